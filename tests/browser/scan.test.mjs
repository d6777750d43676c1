// scan.test.mjs - vulnerability scan findings on the system page (docs/scan.md): the finance
// department uploads a Greenbone report of its system, sees the findings, and calls one a false
// positive with a note.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, newPage, login, shot, dropFile } from './helpers.mjs';

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

test('a scan report is uploaded and a finding marked a false positive', async () => {
  const report = readFileSync(join(ROOT, 'tests', 'data', 'scan', 'greenbone.xml'), 'utf8');
  const page = await newPage(browser, server);
  await login(page, 'taichinh');
  await page.click('nav a[href="/systems"]');
  await page.click('button.btn-link:has-text("Phần mềm quản lý ngân sách")');
  await page.waitForSelector('#scan-h');
  // the list of imports fills in once the findings have loaded
  await page.waitForSelector('#scans p.muted');
  assert.match(await page.textContent('#scans'), /Chưa nhập kết quả quét nào/);
  await dropFile(page, '#scan-h ~ .dropzone', 'quet-thang-11.xml', report);
  await page.waitForSelector('#findings tbody tr >> nth=4');
  assert.equal(await page.locator('#findings tbody tr').count(), 5);
  const status = await page.textContent('#scan-status');
  assert.match(status, /5 lỗ hổng: 5 mới, 0 đã biết, 0 đã khắc phục/);
  // worst first: the Apache finding (CVSS 9.8) with its CVEs and where it was seen
  const first = await page.textContent('#findings tbody tr:first-child');
  assert.match(first, /Nghiêm trọng/);
  assert.match(first, /CVE-/);
  assert.match(first, /10\.20\.1\.1[56]:(443|22)\/tcp/);
  assert.match(await page.textContent('#scans'), /quet-thang-11\.xml/);
  await shot(page, 'scan-findings');
  // the TCP timestamps finding is a false positive here
  const row = page.locator('#findings tbody tr', { hasText: 'TCP Timestamps' });
  await row.locator('button[data-finding]').click();
  await page.waitForSelector('dialog #fs-status');
  await page.selectOption('#fs-status', 'false_positive');
  await page.click('#fs-ok'); // a note is required for it
  assert.equal(await page.getAttribute('#fs-note', 'aria-invalid'), 'true');
  await page.fill('#fs-note', 'Tường lửa đã chặn, không khai thác được');
  await page.click('#fs-ok');
  await page.waitForSelector('dialog', { state: 'detached' });
  await page.waitForFunction(() => document.querySelectorAll('#findings tbody tr').length === 4);
  await page.selectOption('#f-status', 'false_positive');
  await page.click('#scan-h ~ form.filters button[type=submit]');
  await page.waitForSelector('#findings tbody tr:has-text("TCP Timestamps")');
  const fp = await page.textContent('#findings tbody');
  assert.match(fp, /Báo động giả/);
  assert.match(fp, /Tường lửa đã chặn/);
  await shot(page, 'scan-false-positive');
  assert.equal(server.sql("SELECT status FROM findings WHERE title LIKE 'TCP Timestamps%'"), 'false_positive');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
