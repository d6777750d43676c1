// documents.test.mjs - the official documents in the UI (docs/documents.md): the coordinator
// downloads an incident's report as a PDF from the incident page and sees the copy listed with
// its reference (not in the journal); the reports page offers the Mẫu 05 summary (dates,
// shortcuts, organisation) and the quarterly bulletin with the right query; a copy is checked by its file (SHA-256 computed in
// the browser) and by its reference; a member gets only their own summary.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, login, shot, suiteNow, OUT } from './helpers.mjs';

let server;
let browser;
const state = {};

function vnYear() { return new Date(suiteNow() + 7 * 3600000).getUTCFullYear(); }

// GET with the page's cookie: {status, type, head (first bytes as latin1), ref, sha}.
async function fetchAs(page, href) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    return {
      status: r.status, type: r.headers.get('Content-Type'), size: b.length,
      head: String.fromCharCode(...b.slice(0, 8)), ref: r.headers.get('X-Document-Ref'), sha: r.headers.get('X-Content-SHA256'),
    };
  }, href);
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the coordinator downloads an incident report as PDF from the incident page', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.goto('/incidents/2');
  await page.waitForSelector('#sec-documents');
  state.incidentRef = (await page.textContent('.incident-badges .ref')).trim();
  assert.equal(await page.textContent('#doc-report'), 'PDFBáo cáo ban đầu (PDF)');
  assert.match(await page.textContent('#doc-closing'), /Báo cáo kết thúc \(PDF\)/);
  assert.equal(await page.getAttribute('#doc-report', 'href'), '/api/v1/incidents/2/documents/report.pdf');
  assert.equal(await page.getAttribute('#doc-closing', 'href'), '/api/v1/incidents/2/documents/closing.pdf');
  assert.equal(await page.getAttribute('#doc-report', 'download'), '');
  assert.match(await page.textContent('#doc-list'), /Chưa tạo văn bản nào/);
  // a real download through the link (the session cookie authenticates the GET)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#doc-report')]);
  assert.match(download.suggestedFilename(), /^UC-\d{4}-\d+-bao-cao-ban-dau\.pdf$/);
  mkdirSync(OUT, { recursive: true });
  state.pdfPath = join(OUT, 'downloaded-report.pdf');
  await download.saveAs(state.pdfPath);
  const bytes = readFileSync(state.pdfPath);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(bytes.length > 5000, 'a real document: ' + bytes.length);
  // the copy shows in the list (read again after the download) with its reference and hash
  await page.waitForSelector('#doc-list tbody tr code.doc-ref');
  const row = await page.textContent('#doc-list tbody tr');
  assert.match(row, /TL-[0-9A-Z]{10}/);
  assert.match(row, /Báo cáo ban đầu/);
  assert.match(row, /[0-9a-f]{64}/);
  assert.match(row, /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  state.docRef = /TL-[0-9A-Z]{10}/.exec(row)[0];
  // after a reload the copy is still listed; reading a document is audited, not journaled
  await page.reload();
  await page.waitForSelector('#doc-list tbody tr code.doc-ref');
  assert.match(await page.textContent('#doc-list tbody tr'), new RegExp(state.docRef));
  await page.waitForSelector('#journal li');
  assert.equal(await page.$$eval('#journal .tl-document', (l) => l.length), 0);
  await shot(page, '13-incident-documents');
  // the list of documents (64-character hashes) still fits a phone
  await page.setViewportSize({ width: 375, height: 812 });
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw + 1, `incident page is ${sw}px wide in a ${cw}px window`);
  await page.setViewportSize({ width: 1366, height: 768 });
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
});

test('the reports page offers the summary and the bulletin with the right query', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.click('#sidenav a[href="/reports"]');
  await page.waitForSelector('#sec-summary-report');
  assert.equal((await page.textContent('main h1')).trim(), 'Báo cáo');
  assert.match(await page.textContent('#sec-summary-report h2'), /Báo cáo tổng hợp Mẫu 05/);
  const y = vnYear();
  // the shortcuts fill the dd/mm/yyyy inputs; the links follow
  await page.click(`#sum-h1-${y}`);
  assert.equal(await page.inputValue('#sum-from'), `01/01/${y}`);
  assert.equal(await page.inputValue('#sum-to'), `30/06/${y}`);
  assert.equal(await page.getAttribute('#sum-pdf', 'href'), `/api/v1/reports/summary.pdf?from=${y}-01-01&to=${y}-06-30`);
  await page.click(`#sum-year-${y}`);
  assert.equal(await page.getAttribute('#sum-xlsx', 'href'), `/api/v1/reports/summary.xlsx?from=${y}-01-01&to=${y}-12-31`);
  // typed dates, and an organisation for the coordinator ("Toàn tỉnh" by default)
  assert.equal(await page.$eval('#sum-org option', (o) => o.textContent), 'Toàn tỉnh');
  await page.fill('#sum-from', `01/04/${y}`);
  await page.fill('#sum-to', `30/09/${y}`);
  await page.selectOption('#sum-org', { label: 'Sở Tài chính tỉnh Bình Minh' });
  const org = await page.inputValue('#sum-org');
  assert.ok(org, 'an organisation value');
  assert.equal(await page.getAttribute('#sum-csv', 'href'), `/api/v1/reports/summary.csv?from=${y}-04-01&to=${y}-09-30&org=${encodeURIComponent(org)}`);
  // a wrong date turns the links off and says so
  await page.fill('#sum-to', '31/02/2026');
  assert.equal(await page.getAttribute('#sum-pdf', 'href'), null);
  assert.equal(await page.getAttribute('#sum-to', 'aria-invalid'), 'true');
  await page.click(`#sum-year-${y}`);
  await page.selectOption('#sum-org', '');
  const pdf = await fetchAs(page, await page.getAttribute('#sum-pdf', 'href'));
  assert.equal(pdf.status, 200);
  assert.equal(pdf.head.slice(0, 5), '%PDF-');
  assert.match(pdf.ref, /^TL-/);
  const xlsx = await fetchAs(page, await page.getAttribute('#sum-xlsx', 'href'));
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.head.slice(0, 2), 'PK');
  const csv = await fetchAs(page, await page.getAttribute('#sum-csv', 'href'));
  assert.equal(csv.status, 200);
  assert.equal(csv.head.slice(0, 3), '\u00ef\u00bb\u00bf', 'UTF-8 byte-order mark');
  // the bulletin: year and quarter
  await page.selectOption('#bul-year', String(y - 1));
  await page.selectOption('#bul-quarter', '2');
  assert.equal(await page.getAttribute('#bul-pdf', 'href'), `/api/v1/reports/bulletin.pdf?year=${y - 1}&quarter=2`);
  assert.equal(await page.getAttribute('#bul-xlsx', 'href'), `/api/v1/reports/bulletin.xlsx?year=${y - 1}&quarter=2`);
  const bul = await fetchAs(page, await page.getAttribute('#bul-pdf', 'href'));
  assert.equal(bul.status, 200);
  assert.equal(bul.head.slice(0, 5), '%PDF-');
  state.bulletinRef = bul.ref;
  await shot(page, '14-reports');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a downloaded document is verified by its file and by its reference', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.goto('/reports');
  await page.waitForSelector('#sec-verify');
  // the file: its SHA-256 computed in the browser, then looked up
  await page.setInputFiles('#verify-file', state.pdfPath);
  await page.waitForSelector('#verify-result .verify-facts');
  const res = await page.textContent('#verify-result');
  assert.match(res, new RegExp(state.docRef));
  assert.match(res, /Báo cáo ban đầu/);
  assert.match(res, new RegExp(state.incidentRef));
  assert.match(res, /Trung tâm|Điều phối|\p{L}+ \p{L}+/u);
  assert.match(await page.textContent('#verify-hash'), /[0-9a-f]{64}/);
  assert.equal(await page.getAttribute('#verify-result a', 'href'), '/incidents/2');
  await shot(page, '15-verify');
  // the reference printed on a copy (typed in lower case)
  await page.fill('#verify-ref', state.bulletinRef.toLowerCase());
  await page.click('#verify-submit');
  await page.waitForSelector(`#verify-result code.doc-ref:has-text("${state.bulletinRef}")`);
  assert.match(await page.textContent('#verify-result'), /Bản tin hằng quý/);
  // a file that is not a document, and an unknown reference
  await page.setInputFiles('#verify-file', { name: 'khac.txt', mimeType: 'text/plain', buffer: Buffer.from('không phải văn bản') });
  await page.waitForSelector('#verify-result .notice-warn');
  assert.match(await page.textContent('#verify-result'), /Không tìm thấy/);
  await page.fill('#verify-ref', 'TL-0000000000');
  await page.click('#verify-submit');
  await page.waitForSelector('#verify-result .notice-warn:has-text("TL-0000000000")');
  await page.fill('#verify-ref', 'abc');
  await page.click('#verify-submit');
  assert.equal(await page.getAttribute('#verify-ref', 'aria-invalid'), 'true');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a member has their own summary only; the auditor has the bulletin', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh.nv');
  await page.goto('/reports');
  await page.waitForSelector('#sec-summary-report');
  assert.equal(await page.$$eval('#sum-org', (s) => s.length), 0, 'no organisation picker');
  assert.equal(await page.$$eval('#sec-bulletin', (s) => s.length), 0, 'no bulletin');
  assert.match(await page.textContent('#sec-summary-report'), /Sở Tài chính tỉnh Bình Minh/);
  const href = await page.getAttribute('#sum-pdf', 'href');
  assert.doesNotMatch(href, /org=/);
  const pdf = await fetchAs(page, href);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.head.slice(0, 5), '%PDF-');
  // the coordinator's report found by its reference stays hidden from a member
  await page.fill('#verify-ref', state.bulletinRef);
  await page.click('#verify-submit');
  await page.waitForSelector('#verify-result .notice-warn');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const audit = await newPage(browser, server);
  await login(audit, 'kiemtra');
  await audit.goto('/reports');
  await audit.waitForSelector('#sec-bulletin');
  const bul = await fetchAs(audit, await audit.getAttribute('#bul-xlsx', 'href'));
  assert.equal(bul.status, 200);
  assert.equal(bul.head.slice(0, 2), 'PK');
  assert.deepEqual(audit.errors, []);
  await audit.context().close();
});
