// warnings.test.mjs - warnings through the real UI (docs/warnings.md): the coordinator writes a
// warning with indicators (a wrong line is shown per line), targets the organisations whose
// systems match and issues it; the member acknowledges, reports its system affected and opens an
// incident from the warning (observables copied, related shown); the coordinator sees the live
// tracking table with the acknowledgement, the status and why the system matched, and the
// incident among the warning's related items once the member has reported it (before, it is the
// member's own: docs/access.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, shot, apiAs } from './helpers.mjs';

let server;
let browser;
const state = {};
const TITLE = 'Chiến dịch dò quét cổng quản trị phần mềm ngân sách';

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  state.sys = server.sql("SELECT s.id FROM systems s JOIN orgs o ON o.id = s.owner_org_id WHERE o.code = 'sotc' ORDER BY s.id LIMIT 1");
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the coordinator writes a warning, sees per-line indicator errors, and issues it with matching', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.click('nav a[href="/warnings"]');
  await page.waitForSelector('#w-new');
  await page.click('#w-new');
  await page.waitForSelector('#w-title');
  await page.fill('#w-title', TITLE);
  await page.selectOption('#w-severity', 'high');
  await page.fill('#w-desc', 'Nhiều địa chỉ dò quét trang quản trị; một địa chỉ thuộc dải mạng của Sở Tài chính.');
  await page.fill('#w-indicators', '198.51.100.9\napi.ngansach.binhminh.gov.vn\nđây không phải chỉ báo');
  await page.fill('#w-refs', 'CVE-2024-3400');
  await page.fill('#w-due', '31/12/2099');
  await page.selectOption('#w-mode', 'match');
  await page.click('#w-save');
  await page.waitForSelector('#w-ind-check li.err');
  const check = await page.textContent('#w-ind-check');
  assert.match(check, /Dòng 3/);
  assert.match(check, /ipv4/);
  assert.match(check, /domain/);
  assert.ok(page.url().endsWith('/warnings/new'), 'nothing saved while a line is wrong');
  await page.fill('#w-indicators', '198.51.100.9\napi.ngansach.binhminh.gov.vn');
  await page.click('#w-save');
  await page.waitForURL(/\/warnings\/\d+$/);
  state.url = new URL(page.url()).pathname;
  state.id = state.url.split('/').pop();
  await page.waitForSelector('#w-issue');
  await shot(page, 'warning-draft');
  await page.click('#w-issue');
  await page.click('dialog .btn-primary');
  await page.waitForSelector('#w-tracking');
  const tr = await page.textContent('#w-tracking');
  assert.match(tr, /Sở Tài chính/);
  assert.match(tr, /địa chỉ thuộc dải mạng/);
  assert.match(tr, /Chưa xác nhận/);
  state.ref = (await page.textContent('.incident-badges .ref')).trim();
  assert.match(state.ref, /^CB-\d{4}-\d{6}$/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the member acknowledges, reports its system affected and opens an incident from the warning', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh');
  await page.goto('/warnings?tab=mine');
  await page.waitForSelector(`a[href="${state.url}"]`);
  assert.match(await page.textContent('table.data'), /Chưa xác nhận/);
  await page.click(`a[href="${state.url}"] >> nth=0`);
  await page.waitForSelector('#w-ack');
  await page.click('#w-ack');
  await page.waitForSelector('#w-ack', { state: 'detached' }); // the page is drawn again
  await page.waitForSelector(`#w-st-${state.sys}`);
  assert.match(await page.textContent('#w-mine'), /địa chỉ thuộc dải mạng/);
  await page.selectOption(`#w-st-${state.sys}`, 'affected');
  await page.fill(`#w-note-${state.sys}`, 'Phát hiện truy cập từ địa chỉ trong cảnh báo.');
  await page.setInputFiles(`#w-ev-${state.sys}`, { name: 'nhat-ky.txt', mimeType: 'text/plain', buffer: Buffer.from('log\n') });
  await page.click(`#w-save-${state.sys}`);
  await page.waitForSelector(`#w-inc-${state.sys}`);
  assert.match(await page.textContent(`#w-sys-${state.sys}`), /nhat-ky\.txt/);
  await shot(page, 'warning-target');
  await page.click(`#w-inc-${state.sys}`);
  await page.waitForURL(/\/incidents\/\d+$/);
  await page.waitForSelector('#sec-related');
  assert.match(await page.textContent('#sec-related'), new RegExp(state.ref));
  assert.match(await page.textContent('#sec-observables'), /198\.51\.100\.9/);
  assert.match(await page.textContent('#sec-summary'), new RegExp(state.ref));
  state.incident = new URL(page.url()).pathname;
  // observables: add one, extract from the description
  await page.fill('#obs-input', '203.113.131.5');
  await page.click('#obs-add');
  await page.waitForFunction(() => (document.querySelector('#sec-observables')?.textContent || '').includes('203.113.131.5'));
  await shot(page, 'warning-incident');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the coordinator sees the tracking table with the answer', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.goto(state.url);
  await page.waitForSelector('#w-tracking');
  // not reported yet: the incident is the member's own, not among what the coordinator reads
  assert.doesNotMatch(await page.textContent('#w-related'), /UC-\d{4}-\d{6}/);
  const member = await newPage(browser, server);
  await login(member, 'taichinh');
  const r = await apiAs(member, 'POST', `${state.incident}/transitions`, { action: 'report' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await member.context().close();
  await page.reload();
  await page.waitForSelector('#w-tracking');
  const tr = await page.textContent('#w-tracking');
  assert.match(tr, /Bị ảnh hưởng/);
  assert.match(tr, /nhat-ky\.txt/);
  assert.match(tr, /UC-\d{4}-\d{6}/);
  assert.match(await page.textContent('#w-counts'), /1 đã xác nhận/);
  assert.match(await page.textContent('#w-related'), /UC-\d{4}-\d{6}/);
  await shot(page, 'warning-tracking');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
