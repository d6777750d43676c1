// scenario.test.mjs - the scenario through the real UI: a member's security officer
// reports an incident with the form (seeing the clocks first, dropping a file) and sends it to the
// coordinator; the coordinator accepts it and asks the police for help; the police answer; it is
// resolved and closed with the closing record; a second member cannot see it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, shot, dropFile, suiteNow } from './helpers.mjs';

let server;
let browser;
const state = {};
const TITLE = 'Máy chủ kế toán nhiễm mã độc đào tiền ảo';

// Vietnam time `hoursAgo` hours ago as {date: dd/mm/yyyy, time: HH:mm, ms}.
function vnAgo(hoursAgo) {
  const ms = suiteNow() - hoursAgo * 3600000;
  const d = new Date(ms + 7 * 3600000);
  const p = (n) => String(n).padStart(2, '0');
  return { date: `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`, ms: Math.floor(ms / 60000) * 60000 };
}

function vnFormat(ms) {
  const d = new Date(ms + 7 * 3600000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('officer reports an incident through the guided form and sends it to the coordinator', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh');
  await page.click('nav a[href="/incidents/new"]');
  await page.waitForSelector('#r-title');
  // step 1: classification, detection time and the clocks it starts
  await page.fill('#r-title', TITLE);
  await page.selectOption('#r-group', 'attack');
  await page.selectOption('#r-type', 'malware');
  await page.check('#r-sev-high');
  const det = vnAgo(3);
  await page.fill('#r-detected', det.date);
  await page.fill('#r-detected ~ .in-time', det.time);
  await page.check('#r-sys-3');
  const clocks = await page.textContent('#r-clocks');
  const due = vnFormat(det.ms + 5 * 86400000);
  assert.ok(clocks.includes(due), `the 5-day clock shows its due time ${due}: ${clocks}`);
  assert.ok(clocks.includes('cơ quan điều phối'), clocks);
  // a serious incident must be reported at once
  await page.check('#r-sev-serious');
  assert.match(await page.textContent('#r-clocks'), /Báo cáo ngay lập tức/);
  await page.check('#r-sev-high');
  assert.doesNotMatch(await page.textContent('#r-clocks'), /Báo cáo ngay lập tức/);
  // required fields are enforced before moving on
  await page.fill('#r-title', '');
  await page.click('#r-next');
  assert.equal(await page.getAttribute('#r-title', 'aria-invalid'), 'true');
  await page.fill('#r-title', TITLE);
  await page.click('#r-next');
  // step 2: description
  await page.fill('#r-description', 'Máy chủ kế toán chạy chậm, tiến trình lạ chiếm 100% CPU, kết nối ra địa chỉ IP nước ngoài.');
  await page.fill('#r-impact', 'Phần mềm kế toán chậm, chưa mất dữ liệu.');
  await page.click('#r-next');
  // step 3: the preset's form 01, partly filled in from the organisation and earlier steps
  await page.waitForSelector('#r-form-org_name');
  assert.equal(await page.inputValue('#r-form-org_name'), 'Sở Tài chính tỉnh Bình Minh');
  assert.equal(await page.inputValue('#r-form-contact_name'), 'Hoàng Văn Tài');
  assert.match(await page.inputValue('#r-form-description'), /tiến trình lạ/);
  assert.equal(await page.inputValue('#r-form-detected_at'), det.date);
  assert.equal(await page.inputValue('#r-form-operator_unit'), 'Sở Tài chính tỉnh Bình Minh');
  const required = await page.$$eval('.preset-form label .req', (els) => els.length);
  assert.ok(required >= 10, 'required fields are marked: ' + required);
  await page.click('#r-next'); // empty required fields stop here
  assert.equal(await page.getAttribute('#r-form-org_address', 'aria-invalid'), 'true');
  await page.fill('#r-form-org_address', '12 Lê Lợi, thành phố Bình Minh');
  await page.fill('#r-form-contact_phone', '0912 345 678');
  await page.fill('#r-form-current_status', 'Đã ngắt máy chủ khỏi mạng.');
  await page.fill('#r-form-detection_method', 'Giám sát hiệu năng cảnh báo CPU cao.');
  await page.fill('#r-form-reported_to', 'Lãnh đạo Sở.');
  await page.click('#r-next');
  // step 4: files by drag and drop, review, send
  await page.waitForSelector('#r-review');
  await dropFile(page, '.dropzone', 'nhat-ky-may-chu.txt', 'Nov 21 03:12:44 kt-01 kernel: suspicious process xmrig\n');
  await page.waitForSelector('#r-files li');
  assert.match(await page.textContent('#r-review'), /Thời hạn báo cáo/);
  assert.ok(await page.isChecked('#r-send'));
  await shot(page, '05-report-form');
  await page.click('#r-submit');
  await page.waitForURL(/\/incidents\/\d+$/);
  await page.waitForSelector('#sec-procedure');
  state.id = page.url().split('/').pop();
  state.ref = (await page.textContent('.incident-badges .ref')).trim();
  assert.equal((await page.textContent('main h1')).trim(), TITLE);
  assert.match(await page.textContent('.incident-badges'), /Đã báo cáo cơ quan điều phối/);
  // the attachment with its SHA-256
  assert.match(await page.textContent('#sec-files'), /nhat-ky-may-chu\.txt/);
  assert.match(await page.textContent('#sec-files .sha code'), /^[0-9a-f]{64}$/);
  // the 5-day clock was met by reporting
  assert.match(await page.textContent('#sec-clocks'), /Đúng hạn/);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.dialogs, []);
  // the draft is gone once sent
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ungcuu.draft')).length), 0);
  await page.context().close();
});

test('a draft survives closing the page', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh.nv');
  await page.goto('/incidents/new');
  await page.fill('#r-title', 'Bản nháp: máy in bị lỗi');
  await page.selectOption('#r-group', 'fault');
  await page.fill('#r-detected', '20/11/2026');
  await page.waitForTimeout(500);
  await page.goto('/incidents');
  await page.goto('/incidents/new');
  assert.equal(await page.inputValue('#r-title'), 'Bản nháp: máy in bị lỗi');
  assert.equal(await page.inputValue('#r-group'), 'fault');
  assert.match(await page.textContent('.draft-box'), /Đã khôi phục bản nháp/);
  await page.click('#r-discard');
  await page.click('dialog .btn-danger');
  await page.waitForSelector('.draft-box .hint');
  assert.equal(await page.inputValue('#r-title'), '');
  await page.context().close();
});

test('coordinator accepts the incident and asks the police for help', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await shot(page, '02-dashboard');
  await page.goto('/incidents?q=dao tien ao'); // search without diacritics
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector(`table.data a:has-text("${state.ref}")`);
  await shot(page, '03-incident-list');
  await page.click(`table.data a:has-text("${state.ref}")`);
  await page.waitForSelector('#proc-actions');
  // only the steps the coordinator may take now
  const actions = await page.$$eval('#proc-actions button', (bs) => bs.map((b) => b.dataset.action));
  assert.deepEqual(actions, ['accept']);
  await page.click('#proc-actions [data-action=accept]');
  await page.fill('#act-note', 'Tiếp nhận, phối hợp xử lý.');
  await page.click('#act-confirm');
  await page.waitForSelector('.incident-badges :text("Phối hợp xử lý")');
  await page.click('#new-request summary');
  await page.selectOption('#rq-org', { label: 'Công an tỉnh Bình Minh (Công an)' });
  await page.selectOption('#rq-kind', 'investigate');
  await page.fill('#rq-body', 'Đề nghị Công an tỉnh hỗ trợ thu thập chứng cứ, xác minh nguồn tấn công.');
  await page.click('#rq-submit');
  await page.waitForSelector('li.request :text("Chờ trả lời")');
  assert.match(await page.textContent('#sec-requests'), /Công an tỉnh Bình Minh/);
  assert.match(await page.textContent('#journal'), /Đề nghị hỗ trợ/);
  await shot(page, '04-incident');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the police see the incident they were asked about and answer', async () => {
  const page = await newPage(browser, server);
  await login(page, 'congan');
  await page.goto('/incidents');
  await page.waitForSelector(`table.data a:has-text("${state.ref}")`);
  await page.click(`table.data a:has-text("${state.ref}")`);
  await page.waitForSelector('.answer-form');
  assert.equal(await page.$$eval('#proc-actions button', (bs) => bs.length), 0, 'the police take no procedure step');
  await page.check('.answer-form input[value=accepted]');
  await page.fill('.answer-form textarea', 'Đã cử cán bộ PA05 phối hợp, thu giữ nhật ký máy chủ.');
  await page.click('.answer-form button[type=submit]');
  await page.waitForSelector('li.request :text("Tiếp nhận")');
  await page.check('.answer-form input[value=done]');
  await page.fill('.answer-form textarea', 'Đã xác minh nguồn tấn công, bàn giao báo cáo.');
  await page.click('.answer-form button[type=submit]');
  await page.waitForSelector('li.request .req-done');
  assert.equal(await page.$$eval('.answer-form', (f) => f.length), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the incident is resolved and closed with the closing record', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.goto(`/incidents/${state.id}`);
  await page.click('#proc-actions [data-action=resolve]');
  await page.click('#act-confirm');
  await page.waitForSelector('#proc-actions [data-action=close]');
  await page.click('#proc-actions [data-action=close]');
  // the closing form (form 02) with what the incident already says filled in
  await page.waitForSelector('#act-closing-what_happened');
  assert.equal(await page.inputValue('#act-closing-incident_name'), TITLE);
  assert.equal(await page.inputValue('#act-closing-report_number'), state.ref);
  await page.fill('#act-closing-what_happened', 'Mã độc đào tiền ảo xâm nhập qua dịch vụ quản trị từ xa để lộ.');
  await page.fill('#act-closing-resolution', 'Cài lại máy chủ, đổi mật khẩu, đóng cổng quản trị.');
  await page.fill('#act-closing-proposals', 'Rà quét lỗ hổng 6 tháng một lần.');
  // the Mẫu 05 fields: a bool as a checkbox, an int as a number input
  assert.equal(await page.getAttribute('#act-closing-foreign_help', 'type'), 'checkbox');
  assert.equal(await page.getAttribute('#act-closing-estimated_damage', 'type'), 'number');
  await page.check('#act-closing-foreign_help');
  await page.fill('#act-closing-estimated_damage', '15000000');
  await page.click('#act-confirm');
  await page.waitForSelector('.incident-badges :text("Đã đóng")');
  assert.match(await page.textContent('#form-closing'), /Thiệt hại ước tính \(đồng\)\s*15\.000\.000/);
  assert.match(await page.textContent('#form-closing'), /Có sự hỗ trợ của tổ chức nước ngoài\s*Có/);
  // the closing report of the closed incident, from the incident page
  assert.doesNotMatch(await page.textContent('#sec-documents'), /bản dự thảo/);
  const closing = await page.evaluate(async () => {
    const r = await fetch(document.querySelector('#doc-closing').href);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, head: String.fromCharCode(...b.slice(0, 5)) };
  });
  assert.deepEqual(closing, { status: 200, head: '%PDF-' });
  assert.match(await page.textContent('#sec-procedure'), /Sự cố đã kết thúc/);
  assert.match(await page.textContent('#form-closing'), /Cài lại máy chủ/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('another member cannot see the incident', async () => {
  const page = await newPage(browser, server);
  await login(page, 'yte');
  await page.goto('/incidents?q=' + encodeURIComponent('đào tiền ảo'));
  await page.waitForSelector('.result-count:not(:empty)');
  assert.equal(await page.$$eval(`table.data a:has-text("${state.ref}")`, (a) => a.length), 0);
  await page.goto(`/incidents/${state.id}`);
  await page.waitForSelector('.notice-error');
  assert.match(await page.textContent('.notice-error'), /Không tìm thấy/);
  assert.equal(await page.$$eval('main h1', (h) => h.filter((x) => x.textContent.includes(TITLE)).length), 0);
  await page.context().close();
});
