// webhook.test.mjs - an organisation's officer sets its webhook on the account page: the signing
// secret is shown once, a coordination request to the organisation is posted to a local receiver
// (checked against the secret, as docs/mail.md says a receiver should), and the delivery shows in
// the page's log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, launchBrowser, newPage, login, shot, apiAs, BIN } from './helpers.mjs';

let server;
let browser;
let receiver;
const received = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (receiver) receiver.close();
});

test('webhook: set on the account page, secret shown once, a delivery signed and logged', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh'); // an officer of Sở Tài chính
  await page.goto('/account');
  await page.waitForSelector('#webhook #hook-url');
  assert.match(await page.textContent('#webhook'), /Chưa gửi lần nào/);
  const url = `http://127.0.0.1:${receiver.address().port}/ungcuu`;
  await page.fill('#hook-url', url);
  await page.click('#hook-save');
  await page.waitForSelector('dialog output.secret');
  const secret = (await page.textContent('dialog output.secret')).trim();
  assert.ok(secret.length >= 40, secret);
  await shot(page, '30-webhook-secret');
  await page.click('dialog button');
  await page.waitForSelector('#webhook #hook-url');
  assert.equal(await page.inputValue('#hook-url'), url);

  // the coordinator asks Sở Tài chính for help on one of its incidents: a notification to it
  const coord = await newPage(browser, server);
  await login(coord, 'dieuphoi');
  const sotc = server.sql("SELECT id FROM orgs WHERE code = 'sotc'").trim();
  const inc = server.sql(`SELECT id FROM incidents WHERE org_id = ${sotc} AND status <> 'new' LIMIT 1`).trim();
  const r = await apiAs(coord, 'POST', `/incidents/${inc}/requests`,
    { org_id: Number(sotc), kind: 'support', body: 'Đề nghị gửi nhật ký tường lửa.' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // the job thread's round, without waiting for its minute; asynchronously, so this process's
  // receiver can answer the POST meanwhile
  await promisify(execFile)(BIN, ['sweep', '--data', server.data],
    { env: { ...process.env, UNGCUU_FAST_HASH: '1' }, timeout: 60000 });
  assert.ok(received.length >= 1, 'nothing posted to the webhook');
  const got = received.find((x) => x.headers['x-ungcuu-event'] === 'request');
  assert.ok(got, JSON.stringify(received.map((x) => x.headers['x-ungcuu-event'])));
  const sig = /t=(\d+),v1=([0-9a-f]+)/.exec(got.headers['x-ungcuu-signature']);
  assert.ok(sig, got.headers['x-ungcuu-signature']);
  const want = createHmac('sha256', secret).update(`${sig[1]}.${got.body}`).digest();
  assert.ok(timingSafeEqual(want, Buffer.from(sig[2], 'hex')), 'signature does not verify');
  assert.equal(JSON.parse(got.body).event, 'request');

  await page.reload();
  await page.waitForSelector('#webhook table.data tbody tr');
  const row = await page.textContent('#webhook table.data tbody tr');
  assert.match(row, /200/);
  await shot(page, '31-webhook-log');
});
