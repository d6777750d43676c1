// backup.test.mjs - the admin's backups (docs/backup.md): at first login the admin changes the
// one-time password, opens Quản trị › Sao lưu, sees the warning that no restore test was made in
// the last 6 months (the restore test of the preset in force), makes a backup, verifies it, runs a restore test and sees the
// warning go; a backup damaged on disk is reported with its problem.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

const OVERDUE = 'Chưa kiểm tra phục hồi trong 6 tháng qua';

// dd/mm/yyyy HH:MM of an ISO instant in Vietnam time (UTC+7, no daylight saving)
function vn(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

test('the admin makes a backup, verifies it, runs a restore test and the warning goes', async () => {
  const page = await newPage(browser, server);
  // first login with the one-time password: the change is forced
  await login(page, 'admin', server.adminPassword);
  await page.waitForSelector('#pw-new');
  await page.fill('#pw-new', 'Quantri@2026');
  await page.fill('#pw-again', 'Quantri@2026');
  await page.click('#pw-submit');
  await page.waitForSelector('main h1:has-text("Quản trị hệ thống")');

  await page.click('#tab-backups');
  await page.waitForSelector('#backup-now');
  await page.waitForSelector('#backup-list table');
  assert.match(await page.textContent('#backup-state .notice-warn'), new RegExp(OVERDUE.replace(/[()]/g, '\\$&')));
  assert.equal(await page.textContent('#backup-tested'), 'Chưa có');
  assert.match(await page.textContent('#backup-state'), /Từ 01:00 giờ Việt Nam, giữ 14 bản mới nhất/);
  await shot(page, 'backup-01-overdue');

  // a backup now
  await page.click('#backup-now');
  await page.waitForSelector('#backup-result .notice-ok:has-text("Đã tạo bản sao lưu")');
  const made = await page.textContent('#backup-result');
  const name = /(\d{8}T\d{6}Z(?:-\d+)?)/.exec(made)[1];
  const row = page.locator('#backup-list tbody tr', { hasText: name });
  await row.waitFor();
  const listed = (await apiAs(page, 'GET', '/admin/backups')).body.items.find((b) => b.name === name);
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[1], vn(listed.created_at), 'made at, in Vietnam time');
  assert.match(cells[2], /^\d+,\d\d MB$/);
  assert.equal(cells[3], String(listed.incidents));
  assert.match(cells[5], /Hoàn tất/);

  // verify it: sound
  await page.click(`button[data-op="verify"][data-name="${name}"]`);
  await page.waitForSelector(`#backup-result .notice-ok:has-text("${name} nguyên vẹn")`);
  assert.match(await page.textContent('#backup-result'), new RegExp(`${listed.incidents} sự cố`));

  // the restore test: passed, recorded, and the warning is gone
  await page.click(`button[data-op="restore-test"][data-name="${name}"]`);
  await page.waitForSelector(`#backup-result .notice-ok:has-text("Khôi phục thử ${name} thành công")`);
  await page.waitForFunction(() => !document.querySelector('#backup-state .notice-warn'));
  assert.match(await page.textContent('#backup-tested'), /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
  const audit = await apiAs(page, 'GET', '/audit?object_type=backup');
  assert.deepEqual(audit.body.items.map((e) => e.action).slice(0, 3),
    ['backup.restore_test', 'backup.verify', 'backup.create']);
  await shot(page, 'backup-02-tested');

  // a backup damaged on disk: its database replaced; the verification names the problem
  const db = join(server.data, 'backups', name, 'ungcuu.db');
  writeFileSync(db + '.new', 'hỏng');
  renameSync(db + '.new', db);
  await page.click(`button[data-op="verify"][data-name="${name}"]`);
  await page.waitForSelector('#backup-result .notice-error');
  assert.match(await page.textContent('#backup-result'), new RegExp(`${name} bị hỏng: .*SHA-256`));
  assert.equal(await page.locator('#backup-state .notice-warn').count(), 0);
  await shot(page, 'backup-03-broken');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
