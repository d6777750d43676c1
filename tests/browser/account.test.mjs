// account.test.mjs - the notification preferences on the account page: an event the regulation
// requires is shown locked with its legal source, the others are chosen and saved (ETag/If-Match
// on the way), and a choice survives a reload.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, shot, apiAs } from './helpers.mjs';

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

test('notification preferences: required event locked, others saved', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi'); // the coordinator's operator
  await page.goto('/account');
  await page.waitForSelector('#notifications #notify-request');
  // incident_reported is required for the coordinator's operators (national preset)
  assert.equal(await page.isDisabled('#notify-incident_reported'), true);
  assert.equal(await page.inputValue('#notify-incident_reported'), 'immediate');
  const hint = await page.textContent('#notifications .field:has(#notify-incident_reported) .hint');
  assert.match(hint, /không tắt được/);
  // its legal basis in words (TT 20/2017/TT-BTTTT Đ11), never the code
  assert.match(hint, /Căn cứ: Điều 11 Thông tư số 20\/2017\/TT-BTTTT ngày 12\/09\/2017/);
  assert.doesNotMatch(hint, /TT 20\/2017/);
  assert.equal(await page.inputValue('#notify-request'), 'digest');
  await page.selectOption('#notify-request', 'immediate');
  await page.selectOption('#notify-duty_reminder', 'off');
  await page.click('#notify-save');
  await page.waitForSelector('#notifications .form-status :text("Đã lưu.")');
  await shot(page, '20-account-notifications');
  await page.reload();
  await page.waitForSelector('#notifications #notify-request');
  assert.equal(await page.inputValue('#notify-request'), 'immediate');
  assert.equal(await page.inputValue('#notify-duty_reminder'), 'off');
  // the server refuses to switch a required event off, naming the event and its source
  const r = await apiAs(page, 'PUT', '/me/notifications', { events: { incident_reported: 'off' } });
  assert.equal(r.status, 422);
  assert.match(r.body.detail, /incident_reported/);
  assert.match(r.body.detail, /Điều 11 Thông tư số 20\/2017\/TT-BTTTT/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
