// duties.test.mjs - the duty calendar (after `ungcuu sweep` made the instances): an organisation
// sees a due duty and marks it done with a note and an evidence file; the coordinator sees the
// compliance table.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, shot, dropFile, suiteNow } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ sweep: true });
  // one duty of the finance department fell due last week and was not done
  server.sql(`UPDATE duties SET due_at = ${Math.floor(suiteNow() / 1000)} - 7*86400 WHERE id = (SELECT d.id FROM duties d JOIN orgs o ON o.id = d.org_id WHERE o.code = 'sotc' AND d.status = 'pending' ORDER BY d.due_at LIMIT 1)`);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a due duty is shown, overdue marked, and marked done with a note and evidence', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh');
  await page.click('nav a[href="/duties"]');
  await page.waitForSelector('li.duty');
  const overdue = page.locator('li.duty.row-overdue').first();
  assert.match(await overdue.textContent(), /Quá hạn/);
  const count = await page.locator('li.duty').count();
  assert.ok(count >= 3, 'duties listed: ' + count);
  await shot(page, '08-duties');
  const id = (await overdue.getAttribute('id')).replace('duty-', '');
  await overdue.locator('button[data-duty]').click();
  await page.waitForSelector('dialog #dd-note');
  await page.click('#dd-ok'); // the note is required
  assert.equal(await page.getAttribute('#dd-note', 'aria-invalid'), 'true');
  await page.fill('#dd-note', 'Đã gửi báo cáo tổng hợp số 125/BC-STC.');
  await dropFile(page, 'dialog .dropzone', 'bao-cao-125.txt', 'Báo cáo tổng hợp sự cố 6 tháng');
  await page.waitForSelector('dialog .file-list li');
  await page.click('#dd-ok');
  await page.waitForSelector('dialog', { state: 'detached' });
  await page.waitForSelector(`#duty-${id}`, { state: 'detached' }); // no longer pending
  // shown among the done ones, with the note and the evidence
  await page.selectOption('#d-status', 'done');
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector(`#duty-${id}`);
  const done = await page.textContent(`#duty-${id}`);
  assert.match(done, /125\/BC-STC/);
  assert.match(done, /1 tệp minh chứng/);
  assert.match(done, /Hoàn thành bởi Hoàng Văn Tài/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the coordinator sees duty compliance by organisation', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.goto('/duties?tab=compliance');
  await page.waitForSelector('.tab-panel table.data tbody tr');
  assert.match(await page.textContent('.tab-panel'), /Sở Tài chính tỉnh Bình Minh/);
  await page.click('#tab-mine');
  await page.waitForSelector('#d-org');
  await page.context().close();
});
