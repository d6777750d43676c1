// helpers.mjs - what every browser test file shares: the real server on a temporary data folder
// and a free port (`init --demo` with UNGCUU_FAST_HASH=1), Debian's chromium driven by
// playwright-core, login, screenshots for reviewers, and a watch for script errors and dialogs.

import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = resolve(ROOT, process.env.UNGCUU_BIN || 'build/ungcuu');
export const OUT = process.env.UNGCUU_TEST_OUTPUT || join(ROOT, 'build-asan', 'test-output', 'browser');
export const DEMO_PASSWORD = 'Demo@2026';

// The suite's clock (tests/run.py, src/util/tm.c): it reads 2026-11-21T09:00:00+07:00 when the run
// starts and runs at the real rate, so no test depends on the machine's date. The server, the CLI
// and every page read it.
const SUITE_START = 1795226400;
if (!(process.env.UNGCUU_FAKE_NOW || '').includes('@')) {
  process.env.UNGCUU_FAKE_NOW = `${SUITE_START}@${Math.floor(Date.now() / 1000)}`;
}
const [CLOCK_START, CLOCK_REAL] = process.env.UNGCUU_FAKE_NOW.split('@').map(Number);
// Now on the suite's clock, in milliseconds (as Date.now()).
export function suiteNow() { return Date.now() + (CLOCK_START - CLOCK_REAL) * 1000; }
const ENV = { ...process.env, UNGCUU_FAST_HASH: '1' };

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

export function cli(args) {
  const r = spawnSync(BIN, args, { env: ENV, encoding: 'utf8', timeout: 60000 });
  if (r.error) throw new Error(`${BIN}: ${r.error.message} (build it first: make all)`);
  if (r.status !== 0) throw new Error(`${BIN} ${args.join(' ')} -> ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// Starts `ungcuu serve` on a fresh demo data folder. Options: sweep (create the duty calendar).
export async function startServer({ sweep = false } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'ungcuu-ui-'));
  let out;
  try {
    out = cli(['init', '--data', data, '--preset', 'national', '--demo']);
  } catch (e) {
    rmSync(data, { recursive: true, force: true });
    throw e;
  }
  const m = /Mật khẩu dùng một lần: (\S+)/.exec(out);
  const adminPassword = m ? m[1] : '';
  if (sweep) cli(['sweep', '--data', data]);
  const port = await freePort();
  const log = openSync(join(data, 'server.log'), 'a');
  const proc = spawn(BIN, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`, '--ui', join(ROOT, 'ui')],
    { env: ENV, stdio: ['ignore', log, log] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const r = await fetch(base + '/api/v1/health');
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline || proc.exitCode !== null) {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      throw new Error('server did not start, see ' + join(data, 'server.log'));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base, data, adminPassword, proc,
    sql(q) {
      const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', join(data, 'ungcuu.db'), q], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error('sqlite3: ' + r.stderr);
      return r.stdout.trim();
    },
    async stop() {
      if (proc.exitCode === null) {
        let timer;
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([done, new Promise((r) => { timer = setTimeout(r, 10000); })]);
        clearTimeout(timer);
        if (proc.exitCode === null) { proc.kill('SIGKILL'); await done; }
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// Debian's chromium, headless, with a fresh profile (launch() makes a new temporary
// user-data-dir each time and removes it on close).
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

// A new browser context (own cookies and storage) and page, watched for script errors and
// dialogs. The browser's own zone is set far from Vietnam so dates prove they use Asia/Ho_Chi_Minh.
export async function newPage(browser, server, { width = 1366, height = 768, locale = 'vi-VN' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale, timezoneId: 'America/New_York', baseURL: server.base });
  // the page's clock is the server's: "overdue", "time left" and date defaults read it
  await context.clock.install({ time: suiteNow() });
  const page = await context.newPage();
  page.errors = [];
  page.dialogs = [];
  page.on('pageerror', (e) => page.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/Failed to load resource/.test(text)) return; // 401/404/409 answers the UI handles
    page.errors.push('console: ' + text);
  });
  page.on('dialog', async (d) => { page.dialogs.push(d.message()); await d.dismiss(); });
  page.setDefaultTimeout(10000);
  return page;
}

export async function login(page, username, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.waitForSelector('main h1');
}

export async function shot(page, name) {
  mkdirSync(OUT, { recursive: true });
  // images (the server-drawn chart) loaded, toasts gone
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), null, { timeout: 5000 }).catch(() => {});
  await page.evaluate(() => document.querySelectorAll('.toast').forEach((e) => e.remove()));
  await page.screenshot({ path: join(OUT, name + '.png'), fullPage: true });
}

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret, `steps` periods from now.
export function totp(secretB32, steps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretB32.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Math.floor(suiteNow() / 1000 / 30) + steps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 15;
  const n = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(n % 1000000).padStart(6, '0');
}

// Data a test can drop on a drop zone: a DataTransfer with one text file, made in the page.
export async function dropFile(page, selector, name, content) {
  const dt = await page.evaluateHandle(([n, c]) => {
    const d = new DataTransfer();
    d.items.add(new File([c], n, { type: 'text/plain' }));
    return d;
  }, [name, content]);
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

// A JSON API call made with the page's session (cookie and CSRF token from /auth/me).
export async function apiAs(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    const r = await fetch('/api/v1' + p, {
      method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }, [method, path, body]);
}
