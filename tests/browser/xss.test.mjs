// xss.test.mjs - markup typed by a user stays text: a script tag and an <img onerror> in every
// text field of the report form, in a comment and in a contact point; nothing runs, no dialog
// opens, and the pages show the characters as typed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login } from './helpers.mjs';

const XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">';
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

async function assertClean(page, where) {
  await page.waitForTimeout(150);
  assert.equal(await page.evaluate(() => window.__xss), undefined, `script ran on ${where}`);
  assert.equal(await page.$$eval('main img[src="x"], main script', (els) => els.length), 0, `markup became elements on ${where}`);
  assert.deepEqual(page.dialogs, [], `dialog on ${where}`);
}

test('markup in every text field of the report form and in a comment stays text', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh');
  await page.goto('/incidents/new');
  await page.fill('#r-title', XSS);
  await page.selectOption('#r-group', 'attack');
  await page.selectOption('#r-type', 'phishing');
  await page.check('#r-sev-medium');
  await page.click('.datetime button'); // "now"
  await assertClean(page, 'report step 1');
  await page.click('#r-next');
  for (const sel of ['#r-description', '#r-impact', '#r-actions']) await page.fill(sel, XSS);
  await page.click('#r-next');
  await page.waitForSelector('.preset-form');
  // every free-text field of form 01 (not the date, time, e-mail or phone inputs)
  const fields = await page.$$('.preset-form input[type=text]:not(.in-date):not(.in-time), .preset-form textarea');
  assert.ok(fields.length >= 15, 'text fields: ' + fields.length);
  for (const f of fields) await f.fill(XSS);
  await page.fill('#r-form-contact_phone', '0912 345 678');
  await page.fill('#r-form-org_phone', '0234 3822 101');
  await assertClean(page, 'report step 3');
  await page.click('#r-next');
  await page.waitForSelector('#r-review');
  assert.ok((await page.textContent('#r-review')).includes(XSS));
  await assertClean(page, 'report review');
  await page.click('#r-submit');
  await page.waitForURL(/\/incidents\/\d+$/);
  await page.waitForSelector('#sec-journal');
  assert.equal((await page.textContent('main h1')).trim(), XSS);
  assert.ok((await page.textContent('#sec-summary')).includes(XSS));
  await page.click('#form-report summary');
  assert.ok((await page.textContent('#form-report')).includes(XSS));
  await assertClean(page, 'incident page');
  // a comment
  await page.fill('#comment-body', XSS);
  await page.click('#comment-submit');
  await page.waitForSelector('#journal .tl-comment');
  assert.ok((await page.textContent('#journal .tl-comment')).includes(XSS));
  await assertClean(page, 'incident page after the comment');
  // the list and the overview
  await page.goto('/incidents');
  await page.waitForSelector('table.data tbody tr');
  assert.ok((await page.textContent('table.data')).includes(XSS));
  await assertClean(page, 'incident list');
  await page.goto('/');
  await page.waitForSelector('#p-latest');
  await assertClean(page, 'overview');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('markup in a contact point stays text in the directory', async () => {
  const page = await newPage(browser, server);
  await login(page, 'taichinh');
  await page.goto('/directory');
  await page.waitForSelector('.org-card');
  const card = page.locator('.org-card', { hasText: 'Đơn vị của tôi' });
  await card.locator('button', { hasText: 'Cập nhật đầu mối' }).click();
  await card.locator('input[name=contact_name]').fill(XSS);
  await card.locator('button[type=submit]').click();
  await page.waitForSelector('.org-card .contact-box');
  await page.reload();
  await page.waitForSelector('.org-card');
  assert.ok((await page.textContent('#org-list')).includes(XSS));
  await assertClean(page, 'directory');
  // the coordinator's view of the same directory
  const other = await newPage(browser, server);
  await login(other, 'dieuphoi');
  await other.goto('/directory?q=' + encodeURIComponent('Tài chính'));
  await other.waitForSelector('.org-card');
  assert.ok((await other.textContent('#org-list')).includes(XSS));
  await assertClean(other, 'directory (coordinator)');
  await page.context().close();
  await other.context().close();
});
