// citations.test.mjs - citations a person can read (issue 14): what a person sees names the
// article, clause and point and the regulation by its number, date and name ("Khoản 4 Điều 7
// Quy chế phối hợp ... ban hành kèm theo Quyết định số 2711/QĐ-UBND ngày 17/11/2017 của UBND
// tỉnh Thừa Thiên Huế"), never a preset code ("000 Đ7.4", "001 Đ15.4c", "003 §1", "national").
// The incident page, the warning form's "Căn cứ" and the admin's backup and security panels,
// whose rules cite the preset IN FORCE: the national base names no article of its own for
// backups (no "Tây Sơn" under it); after switching to tayson, 001 Đ12.2, Đ12.6 in words.

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

// A preset code left in the text: "000 Đ7.4", "Đ15.4c", "§1".
const CODE = /\b\d{3} Đ\d|Đ\d+\.\d|§\s?\d/;
const NATIONAL = 'Điều phối, ứng cứu sự cố an toàn thông tin mạng (cơ sở quốc gia)';
const HUE_000 = 'Quy chế phối hợp giữa các cơ quan, đơn vị trong việc ứng phó sự cố máy tính, đảm bảo an toàn '
  + 'thông tin mạng trên địa bàn tỉnh Thừa Thiên Huế ban hành kèm theo Quyết định số 2711/QĐ-UBND '
  + 'ngày 17/11/2017 của UBND tỉnh Thừa Thiên Huế';

test('the incident page cites articles in words and names the preset in force by its title', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  // the sidebar: the preset's title, not its code
  assert.equal((await page.textContent('#preset-in-force')).trim(), NATIONAL);
  // an incident the coordinator handles (the demo's: past step 3, with clocks and a journal)
  const list = (await apiAs(page, 'GET', '/incidents?limit=50')).body.items;
  const inc = list.find((i) => i.status === 'coordinated') || list.find((i) => i.status !== 'new');
  assert.ok(inc, 'a demo incident past its first state');
  await page.goto(`${server.base}/incidents/${inc.id}`);
  await page.waitForSelector('#sec-journal');
  await page.waitForSelector('#sec-clocks');
  const text = await page.textContent('main');
  assert.doesNotMatch(text, CODE, 'no preset code on the incident page');
  // the clocks (QĐ 05/2017/QĐ-TTg Đ11...) and the journal's steps (001 Đ15.4...) in words
  assert.match(await page.textContent('#sec-clocks'), /Điều 11 Quyết định số 05\/2017\/QĐ-TTg ngày 16\/03\/2017 của Thủ tướng Chính phủ/);
  assert.match(await page.textContent('#sec-journal'), /khoản 4 Điều 15 Quy chế bảo đảm an toàn thông tin mạng/);
  await shot(page, 'citations-01-incident');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the warning form pre-fills the legal basis in words: Điều 7 khoản 4 of 000', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.click('nav a[href="/warnings"]');
  await page.waitForSelector('#w-new');
  await page.click('#w-new');
  await page.waitForSelector('#w-legal');
  const basis = await page.inputValue('#w-legal');
  assert.equal(basis, 'Khoản 4 Điều 7 ' + HUE_000);
  assert.doesNotMatch(await page.textContent('main'), CODE);
  assert.doesNotMatch(basis, /000 Đ7\.4/);
  await shot(page, 'citations-02-warning-form');
  // in English the same article, written as English writes it
  await page.evaluate(() => localStorage.setItem('ungcuu.lang', 'en'));
  await page.reload();
  await page.waitForSelector('#w-legal');
  assert.match(await page.inputValue('#w-legal'), /^(Article 7\(4\) of the Regulation on coordination|Khoản 4 Điều 7)/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the backup and security panels cite the preset in force, and follow a switch of preset', async () => {
  const page = await newPage(browser, server);
  await login(page, 'admin', server.adminPassword);
  await page.waitForSelector('#pw-new');
  await page.fill('#pw-new', 'Quantri@2026');
  await page.fill('#pw-again', 'Quantri@2026');
  await page.click('#pw-submit');
  await page.waitForSelector('main h1:has-text("Quản trị hệ thống")');

  // national in force: named by its title; it gives no article for backups, and Tây Sơn is not cited
  await page.click('#tab-backups');
  await page.waitForSelector('#backup-basis');
  const basis = await page.textContent('#backup-basis');
  assert.match(basis, new RegExp(`Quy chế đang áp dụng: ${NATIONAL.replace(/[()]/g, '\\$&')}`));
  assert.match(basis, /không nêu điều khoản riêng/);
  const panel = await page.textContent('main');
  assert.doesNotMatch(panel, /Tây Sơn/);
  assert.doesNotMatch(panel, CODE);
  await shot(page, 'citations-03-backup-national');

  // the preset panel: titles, never the code names
  await page.click('#tab-preset');
  await page.waitForSelector('#preset-facts');
  assert.match(await page.textContent('#preset-facts'), new RegExp(NATIONAL.replace(/[()]/g, '\\$&')));
  assert.doesNotMatch(await page.textContent('main'), /\bnational\b|\btayson\b|hue-2017/);

  // switch to Tây Sơn's regulation: its own articles (Đ12.2, Đ12.6; Đ8.3, Đ12.1b) in words
  const r = await apiAs(page, 'POST', '/admin/handover', { preset: 'tayson' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await page.reload();
  await page.waitForSelector('main h1:has-text("Quản trị hệ thống")');
  await page.click('#tab-backups');
  await page.waitForSelector('#backup-cite');
  assert.match(await page.textContent('#backup-basis'), /Quy chế đang áp dụng: Quy chế bảo đảm an toàn thông tin mạng .* huyện Tây Sơn/);
  assert.match(await page.textContent('#backup-cite'), /Khoản 2 và khoản 6 Điều 12 Quy chế bảo đảm an toàn thông tin mạng .* huyện Tây Sơn \(văn bản hiện có không ghi số, ngày ban hành\)/);
  assert.doesNotMatch(await page.textContent('main'), CODE);
  await shot(page, 'citations-04-backup-tayson');
  await page.click('#tab-security');
  await page.waitForSelector('#rules-static');
  const rules = await page.textContent('#rules-static');
  assert.match(rules, /Khoản 3 Điều 8 và điểm a khoản 1 Điều 12 Quy chế bảo đảm/);
  assert.match(rules, /Điểm b khoản 1 Điều 12 Quy chế bảo đảm/);
  assert.doesNotMatch(rules, CODE);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
