// auth.test.mjs - signing in as 001 Đ8 wants it: the admin's first login forces a password change
// (with the policy checked), five wrong passwords lock the account with a clear message, an
// idle session ends with a message (and a warning a minute before), and the TOTP second factor
// is enrolled in the UI and then asked for at login.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, shot, totp } from './helpers.mjs';

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

test('login page, then the admin changes the one-time password at first login', async () => {
  const page = await newPage(browser, server);
  await page.goto('/');
  await page.waitForSelector('#login-username');
  await shot(page, '01-login');
  // keyboard only: the fields are labelled and in order
  await page.focus('#login-username');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(server.adminPassword);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#pw-new');
  assert.match(await page.textContent('main'), /mật khẩu cấp lần đầu/);
  assert.equal(await page.$$eval('#pw-current', (e) => e.length), 0, 'the password just typed is not asked again');
  // the policy is checked before sending
  await page.fill('#pw-new', 'ngan');
  await page.fill('#pw-again', 'ngan');
  await page.click('#pw-submit');
  assert.equal(await page.getAttribute('#pw-new', 'aria-invalid'), 'true');
  assert.equal(await page.$$eval('#pw-rules li.ok', (e) => e.length), 1); // lower case only
  await page.fill('#pw-new', 'Quantri@2026');
  await page.fill('#pw-again', 'Quantri@2026x');
  await page.click('#pw-submit');
  assert.equal(await page.getAttribute('#pw-again', 'aria-invalid'), 'true');
  await page.fill('#pw-again', 'Quantri@2026');
  assert.equal(await page.$$eval('#pw-rules li.ok', (e) => e.length), 4);
  await page.click('#pw-submit');
  await page.waitForSelector('main h1:has-text("Quản trị hệ thống")');
  assert.equal(page.url(), server.base + '/');
  // the new password works
  await page.click('#logout');
  await page.waitForSelector('#login-username');
  assert.match(await page.textContent('main'), /Bạn đã đăng xuất/);
  await login(page, 'admin', 'Quantri@2026');
  await page.goto('/admin');
  await page.waitForSelector('table.data tbody tr');
  await shot(page, '09-admin');
  // an account created here shows its one-time password once
  await page.click('#user-create summary');
  await page.fill('#u-username', 'canbo.moi');
  await page.fill('#u-full', 'Nguyễn Thị Mới');
  await page.selectOption('#u-org', { label: 'Sở Tài chính tỉnh Bình Minh' });
  await page.click('#u-create');
  await page.waitForSelector('dialog .secret');
  const otp = (await page.textContent('dialog .secret')).trim();
  assert.ok(otp.length >= 8, otp);
  await page.click('dialog .btn-primary');
  await page.waitForSelector('td:has-text("canbo.moi")');
  for (const tab of ['tokens', 'security', 'preset']) {
    await page.click(`#tab-${tab}`);
    await page.waitForSelector('.tab-panel :is(table, form)');
  }
  // the preset in force by its title, never its code name
  assert.match(await page.textContent('.tab-panel'), /Điều phối, ứng cứu sự cố an toàn thông tin mạng \(cơ sở quốc gia\)/);
  assert.doesNotMatch(await page.textContent('.tab-panel'), /\bnational\b/);
  await page.click('#tab-tokens');
  assert.match(await page.textContent('.tab-panel'), /ungcuu token create/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('five wrong passwords lock the account with a clear message', async () => {
  const page = await newPage(browser, server);
  await page.goto('/login');
  for (let i = 0; i < 5; i++) {
    await page.fill('#login-username', 'giaoduc');
    await page.fill('#login-password', 'Sai@mat-khau' + i);
    await page.click('#login-submit');
    await page.waitForSelector('.form-status .notice-error');
    if (i < 4) assert.match(await page.textContent('.form-status'), /Sai tên đăng nhập hoặc mật khẩu/);
  }
  assert.match(await page.textContent('.form-status'), /bị khóa/);
  // even the right password is refused while locked
  await page.fill('#login-password', 'Demo@2026');
  await page.click('#login-submit');
  await page.waitForTimeout(300);
  assert.match(await page.textContent('.form-status'), /bị khóa/);
  assert.ok(page.url().endsWith('/login'));
  await page.context().close();
});

test('an idle session ends with a message, after a warning a minute before', async () => {
  const page = await newPage(browser, server);
  await page.clock.install();
  await login(page, 'taichinh');
  await page.waitForSelector('#p-latest');
  await page.waitForLoadState('networkidle');
  // nine and a half minutes without a request: the warning
  await page.clock.fastForward('09:30');
  await page.waitForSelector('#idle-warning[open]');
  assert.match(await page.textContent('#idle-warning'), /sắp kết thúc/);
  await page.click('#idle-stay');
  await page.waitForSelector('#idle-warning', { state: 'detached' });
  await page.waitForLoadState('networkidle');
  // the server's clock decides: make the session 601 s old, then act
  server.sql("UPDATE sessions SET last_seen = last_seen - 601 WHERE user_id = (SELECT id FROM users WHERE username = 'taichinh')");
  await page.click('nav a[href="/incidents"]');
  await page.waitForSelector('#login-username');
  assert.match(await page.textContent('main'), /Phiên làm việc đã kết thúc sau 10 phút không thao tác/);
  await shot(page, '01-session-expired');
  // logging in again returns to the page that was asked for
  await page.fill('#login-username', 'taichinh');
  await page.fill('#login-password', 'Demo@2026');
  await page.click('#login-submit');
  await page.waitForURL(/\/incidents$/);
  await page.context().close();
});

test('TOTP: enrol on the account page, then login asks for the code', async () => {
  const page = await newPage(browser, server);
  await login(page, 'yte');
  await page.goto('/account');
  await page.click('#totp-start');
  await page.waitForSelector('#totp-secret');
  const secret = (await page.textContent('#totp-secret')).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.match(await page.textContent('#totp-uri'), /^otpauth:\/\/totp\/ungcuu:yte\?secret=/);
  await page.fill('#totp-code', totp(secret));
  await page.click('#totp-confirm');
  await page.waitForSelector('#totp .met');
  await page.click('#logout');
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', 'yte');
  await page.fill('#login-password', 'Demo@2026');
  await page.click('#login-submit');
  await page.waitForSelector('#login-totp:visible');
  assert.match(await page.textContent('.form-status'), /mã 6 số/);
  // a code of the next period: the one just used for enrolment is not accepted twice
  await page.fill('#login-totp', totp(secret, 1));
  await page.click('#login-submit');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.waitForSelector('main h1');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
