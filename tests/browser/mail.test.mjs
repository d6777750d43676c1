// mail.test.mjs - the mail quarantine (docs/mail.md "Who may write in"): a reply whose sender
// `ungcuu mailgate` could not verify waits for the coordinator; the coordinator's operator opens
// "Thư chờ duyệt" from the navigation, reads the message and why it waits, accepts it, and finds
// it in the incident's journal under the sender's account. A member has no such page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, startServer, launchBrowser, newPage, login, shot, apiAs } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// One reply as the MTA hands it to `ungcuu mailgate`: From: alone, no Authentication-Results.
function deliver(ref, subject, body) {
  const raw = [
    'From: "Hoàng Văn Tài" <taichinh@demo.binhminh.gov.vn>',
    'To: ungcuu@binhminh.gov.vn',
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Message-ID: <ui-${Date.now()}@demo.binhminh.gov.vn>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join('\r\n');
  const r = spawnSync(BIN, ['mailgate', '--data', server.data], {
    input: raw, encoding: 'utf8',
    env: { ...process.env, UNGCUU_MAIL_AUTHSERV_ID: 'mx.binhminh.gov.vn' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /khu cách ly/);
}

test('the coordinator operator opens the quarantine, reads the message and accepts it', async () => {
  const [id, ref] = server.sql("SELECT i.id || ' ' || i.ref FROM incidents i JOIN orgs o ON o.id = i.org_id WHERE o.code = 'sotc' AND i.tlp = 2 ORDER BY i.id LIMIT 1").split(' ');
  const subject = `Re: [${ref}] Đã đổi mật khẩu các tài khoản kế toán`;
  const body = 'Đã đổi mật khẩu 3 tài khoản và bật xác thực hai lớp.';
  deliver(ref, subject, body);
  const before = Number(server.sql(`SELECT count(*) FROM journal WHERE incident_id = ${id} AND kind = 'email'`));
  assert.equal(before, 0, 'nothing written to the incident before the decision');

  // a member of the network has no quarantine in the navigation
  const member = await newPage(browser, server);
  await login(member, 'taichinh');
  assert.equal(await member.locator('nav a[href="/mail"]').count(), 0);
  await member.context().close();

  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.click('nav a[href="/mail"]');
  await page.waitForSelector('main h1:has-text("Thư chờ duyệt")');
  const row = page.locator('#mq-list tbody tr', { hasText: subject });
  await row.waitFor();
  const text = await row.textContent();
  assert.match(text, /taichinh@demo\.binhminh\.gov\.vn/);
  assert.match(text, new RegExp(ref));
  assert.match(text, /Không có kết quả xác thực/);
  // the message itself, to judge it
  await row.locator('details summary').click();
  await row.locator('details pre').waitFor();
  assert.match(await row.locator('details pre').textContent(), /bật xác thực hai lớp/);
  await shot(page, 'mail-01-quarantine');

  // accepting asks first, naming where the message goes
  await row.locator('button[data-op="accept"]').click();
  await page.waitForSelector('dialog[open]');
  assert.match(await page.textContent('dialog[open]'), new RegExp(`vào sự cố ${ref}`));
  await page.click('dialog[open] button[value="ok"]');
  await page.waitForSelector('#mq-result .notice-ok');
  assert.match(await page.textContent('#mq-result'), /Đã chấp nhận/);
  await page.waitForFunction(() => !document.querySelector('#mq-list button[data-op="accept"]'));
  await shot(page, 'mail-02-accepted');

  // in the incident's journal, by the sender's account, the decision audited by the operator
  const j = await apiAs(page, 'GET', `/incidents/${id}/journal`);
  const entry = j.body.items.find((e) => e.kind === 'email');
  assert.ok(entry, JSON.stringify(j.body));
  assert.equal(entry.author_id, Number(server.sql("SELECT id FROM users WHERE username = 'taichinh'")));
  assert.equal(entry.data.verified, false);
  assert.equal(server.sql("SELECT u.username FROM audit a JOIN users u ON u.id = a.user_id WHERE a.action = 'mail.accept'"), 'dieuphoi');

  // the accepted message is listed as such
  await page.selectOption('#mq-status', 'accepted');
  const done = page.locator('#mq-list tbody tr', { hasText: subject });
  await done.waitFor();
  assert.match(await done.textContent(), /Đã chấp nhận/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
