// pages.test.mjs - every main page opens without script errors for the role that uses it (and
// leaves a screenshot for reviewers), only the pages a role may use are offered, the English
// switch works and is remembered, and the main pages are usable at a phone's width (375 px).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, shot } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ sweep: true });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function navLinks(page) {
  return page.$$eval('#sidenav a', (as) => as.map((a) => a.getAttribute('href')));
}

test('each role is offered only its pages', async () => {
  const expect = {
    'taichinh.nv': ['/', '/incidents', '/incidents/new', '/warnings', '/duties', '/systems', '/reports', '/directory', '/account'],
    kiemtra: ['/', '/incidents', '/warnings', '/duties', '/systems', '/reports', '/directory', '/audit', '/account'],
    ubnd: ['/', '/incidents', '/incidents/new', '/warnings', '/duties', '/systems', '/reports', '/directory', '/account'],
  };
  for (const [user, links] of Object.entries(expect)) {
    const page = await newPage(browser, server);
    await login(page, user);
    const got = await navLinks(page);
    assert.deepEqual(got, links, user);
    assert.deepEqual(page.errors, [], user);
    await page.context().close();
  }
  // an auditor cannot report: the report page says so
  const page = await newPage(browser, server);
  await login(page, 'kiemtra');
  await page.goto('/incidents/new');
  await page.waitForSelector('.notice-warn');
  await page.context().close();
});

test('main pages open cleanly, with screenshots', async () => {
  const page = await newPage(browser, server);
  await login(page, 'dieuphoi');
  await page.waitForSelector('#p-latest');
  await page.goto('/incidents/2');
  await page.waitForSelector('#sec-journal');
  // TLP:RED label on the police-assisted ransomware case: red on black
  const red = await page.$eval('.incident-badges .tlp', (e) => [e.textContent, getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
  assert.deepEqual(red, ['TLP:RED', 'rgb(255, 43, 43)', 'rgb(0, 0, 0)']);
  // dates are Vietnam time whatever the browser's zone (the context runs in New York)
  const detected = await page.$eval('#sec-summary', (e) => e.textContent);
  assert.match(detected, /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  // editing an incident (PATCH with If-Match) shows in its badges and journal
  await page.goto('/incidents/1');
  await page.click('#edit-incident summary');
  await page.selectOption('#e-severity', 'high');
  await page.click('#edit-incident button[type=submit]');
  await page.waitForSelector('.incident-badges .sev-3');
  assert.match(await page.textContent('#journal'), /Đã sửa: mức độ/);
  await page.goto('/directory');
  await page.waitForSelector('.org-card');
  await page.fill('#dir-q', 'vnpt');
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector('.result-count:has-text("1 đơn vị")');
  await page.fill('#dir-q', '');
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector('.result-count:has-text("14 đơn vị")');
  await shot(page, '06-directory');
  await page.goto('/systems');
  await page.waitForSelector('table.data tbody tr');
  await page.click('table.data tbody tr button.btn-link');
  await page.waitForSelector('#s-name');
  assert.equal(await page.$$eval('#s-assets li', (l) => l.length) >= 1, true);
  await shot(page, '07-systems');
  await page.context().close();

  const audit = await newPage(browser, server);
  await login(audit, 'kiemtra');
  await audit.goto('/audit');
  await audit.waitForSelector('table.data tbody tr');
  await audit.click('#audit-verify');
  await audit.waitForSelector('#verify-result .notice-ok');
  assert.match(await audit.textContent('#verify-result'), /toàn vẹn/);
  await audit.selectOption('#a-type', 'user');
  await audit.click('form.filters button[type=submit]');
  await audit.waitForTimeout(300);
  const types = await audit.$$eval('table.data tbody td:nth-child(4)', (tds) => tds.map((t) => t.textContent));
  assert.ok(types.length > 0 && types.every((t) => t.startsWith('Tài khoản')), types.join(','));
  await shot(audit, '10-audit');
  assert.deepEqual(audit.errors, []);
  await audit.context().close();
});

test('the English switch works and is remembered', async () => {
  const page = await newPage(browser, server);
  await page.goto('/login');
  await page.click('#lang-switch');
  await page.waitForSelector('h1:has-text("Log in")');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.fill('#login-username', 'taichinh');
  await page.fill('#login-password', 'Demo@2026');
  await page.click('#login-submit');
  await page.waitForSelector('main h1');
  assert.match(await page.textContent('#sidenav'), /Report an incident/);
  await page.goto('/incidents');
  await page.waitForSelector('table.data tbody tr');
  assert.match(await page.textContent('thead'), /Severity/);
  await page.goto('/incidents/new');
  await page.waitForSelector('#r-title');
  assert.match(await page.textContent('main'), /Classify the incident/);
  assert.match(await page.textContent('#r-severity'), /Serious/);
  await page.goto('/incidents/1');
  await page.waitForSelector('#sec-clocks');
  assert.match(await page.textContent('#sec-clocks'), /Report the incident to the coordinator/);
  assert.match(await page.textContent('#sec-documents'), /Incident report \(PDF\)/);
  await shot(page, '11-english');
  await page.goto('/reports');
  await page.waitForSelector('#sec-summary-report');
  assert.match(await page.textContent('#sec-summary-report h2'), /Summary report, form 05/);
  assert.match(await page.textContent('#sec-verify'), /Check a document/);
  await page.goto('/incidents/1');
  await page.waitForSelector('#sec-clocks');
  // kept after a reload, and switching back works
  await page.reload();
  await page.waitForSelector('#sec-clocks');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.click('#lang-switch');
  await page.waitForSelector('#sec-clocks h2:has-text("Thời hạn")');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('phone width: the main pages fit 375 px and the menu opens', async () => {
  const page = await newPage(browser, server, { width: 375, height: 812 });
  await page.goto('/login');
  await page.waitForSelector('#login-username');
  await shot(page, '12-phone-login');
  await login(page, 'taichinh');
  const fits = async (what) => {
    const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(sw <= cw + 1, `${what}: page is ${sw}px wide in a ${cw}px window`);
  };
  await page.waitForSelector('#p-latest');
  await fits('overview');
  await shot(page, '12-phone-dashboard');
  // the navigation hides behind the menu button
  assert.equal(await page.isVisible('#sidenav'), false);
  await page.click('.menu-toggle');
  assert.equal(await page.isVisible('#sidenav'), true);
  assert.equal(await page.getAttribute('.menu-toggle', 'aria-expanded'), 'true');
  await page.click('#sidenav a[href="/incidents"]');
  await page.waitForSelector('table.data tbody tr');
  await fits('incident list');
  await shot(page, '12-phone-list');
  await page.click('table.data tbody tr a');
  await page.waitForSelector('#sec-journal');
  await fits('incident');
  await shot(page, '12-phone-incident');
  await page.goto('/incidents/new');
  await page.waitForSelector('#r-title');
  await fits('report form');
  await shot(page, '12-phone-report');
  await page.goto('/duties');
  await page.waitForSelector('li.duty');
  await fits('duties');
  await shot(page, '12-phone-duties');
  await page.goto('/directory');
  await page.waitForSelector('.org-card');
  await fits('directory');
  await page.goto('/reports');
  await page.waitForSelector('#sec-verify');
  await fits('reports');
  await shot(page, '12-phone-reports');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
