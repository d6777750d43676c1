// told.test.mjs - who was told of an incident, as a person sees it (issue "legal truth"): after
// a report to the province, the incident page lists the coordinator as told by the platform and
// the national coordinator's deadline still running; the coordinator records the official
// letter it sent to the national centre (number and date), and the deadline shows met at the
// letter's time. A letter without its number, or a time after now, is refused where it was typed.

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

test('the coordinator records the letter it sent to the national centre, and its deadline is met', async () => {
  const member = await newPage(browser, server);
  await login(member, 'taichinh');
  const made = await apiAs(member, 'POST', '/incidents', {
    title: 'Mã độc mã hóa máy chủ kế toán', group: 'attack', type: 'malware', severity: 'high',
    detected_at: '2026-11-20T08:30:00+07:00', description: 'Máy chủ kế toán bị mã hóa dữ liệu.',
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id;
  const rep = await apiAs(member, 'POST', `/incidents/${id}/transitions`, { action: 'report' });
  assert.equal(rep.status, 200, JSON.stringify(rep.body));
  await member.context().close();

  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.goto(`${server.base}/incidents/${id}`);
  await page.waitForSelector('#sec-told');
  const told = await page.textContent('#sec-told');
  assert.match(told, /Cơ quan điều phối/);
  assert.match(told, /thông báo của hệ thống/);
  const national = page.locator('#sec-clocks li', { hasText: 'Cơ quan điều phối quốc gia' }).first();
  assert.match(await national.textContent(), /Đang tính/);

  const ncsc = (await apiAs(page, 'GET', '/orgs')).body.items.find((o) => o.code === 'ncsc');
  await page.click('#new-told summary');
  await page.selectOption('#told-org', String(ncsc.id));
  await page.selectOption('#told-how', 'letter');
  await page.fill('#told-at', '21/11/2026');
  await page.fill('#new-told .in-time', '08:00');
  await page.click('#told-submit');
  // a letter needs its number: said at the field, nothing sent
  await page.waitForSelector('#told-ref[aria-invalid="true"]');
  assert.match(await page.textContent('#new-told'), /Công văn cần có số/);
  await page.fill('#told-ref', '125/STTTT-CNTT');
  // a time after now: the server's words, at the time field
  await page.fill('#told-at', '01/01/2027');
  await page.click('#told-submit');
  await page.waitForSelector('#told-at[aria-invalid="true"]');
  assert.match(await page.textContent('#new-told'), /không được trước khi phát hiện sự cố hoặc sau hiện tại/);
  await shot(page, 'told-01-refused');

  await page.fill('#told-at', '21/11/2026');
  await page.click('#told-submit');
  await page.waitForSelector('#sec-told li.told-letter');
  assert.match(await page.textContent('#sec-told li.told-letter'), /Trung tâm Giám sát an toàn không gian mạng quốc gia[\s\S]*21\/11\/2026 08:00[\s\S]*Công văn số 125\/STTTT-CNTT/);
  const met = page.locator('#sec-clocks li', { hasText: 'Cơ quan điều phối quốc gia' }).first();
  assert.match(await met.textContent(), /Đúng hạn/);
  assert.match(await met.textContent(), /Đã báo lúc/);
  // the journal says it in words, with the letter's number
  const journal = await page.textContent('#sec-journal');
  assert.match(journal, /Báo cáo ngoài hệ thống[\s\S]*công văn số 125\/STTTT-CNTT, lúc 21\/11\/2026 08:00/);
  // no catalogue key left untranslated anywhere on the page
  assert.doesNotMatch(await page.textContent('main'), /\b(journal|told|clock|role)\.[a-z_.]+\b/);
  await shot(page, 'told-02-recorded');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
