// app.js - start-up, the page frame (header, navigation, main), the routes, what happens when the
// session ends, and the idle warning a minute before the server's 10-minute limit (001 Đ8).

import { h, clear, focusMain } from './dom.js';
import * as api from './api.js';
import { loadLang, getLang, t, timeSelfCheck, presetTitle } from './i18n.js';
import { route, start, navigate, match, current } from './router.js';
import { session, can, loadMe, loadPreset, clearSession } from './session.js';
import { notice } from './ui.js';
import * as login from './page-login.js';

const pages = {
  dashboard: () => import('./page-dashboard.js'),
  incidents: () => import('./page-incidents.js'),
  incident: () => import('./page-incident.js'),
  report: () => import('./page-report.js'),
  warnings: () => import('./page-warnings.js'),
  warning: () => import('./page-warning.js'),
  directory: () => import('./page-directory.js'),
  systems: () => import('./page-systems.js'),
  duties: () => import('./page-duties.js'),
  reports: () => import('./page-reports.js'),
  admin: () => import('./page-admin.js'),
  audit: () => import('./page-audit.js'),
  mail: () => import('./page-mail.js'),
  account: () => import('./page-account.js'),
};

const NAV = [
  { path: '/', key: 'nav.dashboard', cap: 'dashboard', page: 'dashboard' },
  { path: '/incidents', key: 'nav.incidents', cap: 'incidents', page: 'incidents' },
  { path: '/incidents/new', key: 'nav.report', cap: 'report', page: 'report' },
  { path: '/warnings', key: 'nav.warnings', cap: 'warnings', page: 'warnings' },
  { path: '/duties', key: 'nav.duties', cap: 'duties', page: 'duties' },
  { path: '/systems', key: 'nav.systems', cap: 'systems', page: 'systems' },
  { path: '/reports', key: 'nav.reports', cap: 'reports', page: 'reports' },
  { path: '/directory', key: 'nav.directory', cap: null, page: 'directory' },
  { path: '/mail', key: 'nav.mail', cap: 'mail', page: 'mail' },
  { path: '/audit', key: 'nav.audit', cap: 'audit', page: 'audit' },
  { path: '/admin', key: 'nav.admin', cap: 'admin', page: 'admin' },
];

route('/', null, { page: 'dashboard', cap: 'dashboard' });
route('/login', null, { public: true });
route('/password', null, { special: 'password' });
route('/incidents', null, { page: 'incidents', cap: 'incidents', nav: '/incidents' });
route('/incidents/new', null, { page: 'report', cap: 'report', nav: '/incidents/new' });
route('/incidents/:id', null, { page: 'incident', cap: 'incidents', nav: '/incidents' });
route('/warnings', null, { page: 'warnings', cap: 'warnings', nav: '/warnings' });
route('/warnings/new', null, { page: 'warnings', cap: 'warnings', nav: '/warnings' });
route('/warnings/:id/edit', null, { page: 'warnings', cap: 'warnings', nav: '/warnings' });
route('/warnings/:id', null, { page: 'warning', cap: 'warnings', nav: '/warnings' });
route('/directory', null, { page: 'directory', nav: '/directory' });
route('/systems', null, { page: 'systems', cap: 'systems', nav: '/systems' });
route('/duties', null, { page: 'duties', cap: 'duties', nav: '/duties' });
route('/reports', null, { page: 'reports', cap: 'reports', nav: '/reports' });
route('/admin', null, { page: 'admin', cap: 'admin', nav: '/admin' });
route('/audit', null, { page: 'audit', cap: 'audit', nav: '/audit' });
route('/mail', null, { page: 'mail', cap: 'mail', nav: '/mail' });
route('/account', null, { page: 'account', nav: '/account' });

let renderSeq = 0;
let forced = null; // 'password' | 'totp': the only page a restricted session may see
let loginMessage = null;
let afterLogin = null;
let booted = false;

const app = () => document.getElementById('app');

// ---- the frame ----

function langButton() {
  const other = getLang() === 'vi' ? 'en' : 'vi';
  return h('button', {
    type: 'button', class: 'btn btn-ghost lang-switch', lang: other, id: 'lang-switch',
    'aria-label': t('lang.switch_to'),
    on: { click: async () => { await loadLang(other); rerender(); } },
  }, other === 'en' ? 'English' : 'Tiếng Việt');
}

function header(withNav) {
  const me = session.me;
  const brand = h('a.brand', { href: '/' },
    h('img', { src: '/img/logo.svg', alt: '', width: '28', height: '28' }),
    h('span.brand-text', h('span.brand-name', 'ungcuu'), h('span.brand-sub', t('app.subtitle'))));
  const right = h('div.top-right', langButton());
  if (me) {
    right.append(
      h('a.user', { href: '/account', title: t('nav.account') },
        h('span.user-name', me.full_name || me.username), h('span.user-org', me.org_name || '')),
      h('button', { type: 'button', class: 'btn btn-ghost', id: 'logout', on: { click: logout } }, t('nav.logout')));
  }
  const bar = h('header.topbar', { role: 'banner' });
  if (withNav) {
    bar.append(h('button', {
      type: 'button', class: 'btn btn-ghost menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'sidenav',
      on: { click: (e) => toggleMenu(e.currentTarget) },
    }, h('span.menu-icon', { 'aria-hidden': 'true' }), h('span.sr-only', t('nav.menu'))));
  }
  bar.append(brand, right);
  return bar;
}

function toggleMenu(btn) {
  const nav = document.getElementById('sidenav');
  const open = btn.getAttribute('aria-expanded') !== 'true';
  btn.setAttribute('aria-expanded', String(open));
  nav.classList.toggle('open', open);
}

function sidenav(activePath) {
  const ul = h('ul');
  for (const n of NAV) {
    if (n.cap && !can(n.cap)) continue;
    const a = h('a', { href: n.path }, t(n.key));
    if (n.path === activePath) a.setAttribute('aria-current', 'page');
    ul.append(h('li', a));
  }
  const acc = h('a', { href: '/account' }, t('nav.account'));
  if (activePath === '/account') acc.setAttribute('aria-current', 'page');
  ul.append(h('li.nav-account', acc));
  return h('nav#sidenav.sidenav', { 'aria-label': t('nav.label') }, ul, presetNote());
}

// The preset in force, by its title (never its code), under the menu.
function presetNote() {
  const p = session.preset;
  return p ? h('p.preset-note', t('nav.preset'), ' ', h('strong#preset-in-force', presetTitle(p))) : null;
}

function frame(activePath) {
  const root = app();
  clear(root);
  const main = h('main#main', { tabindex: '-1' });
  root.append(header(true), h('div.layout', sidenav(activePath), main),
    h('footer.footer', h('span', t('app.footer')), ' · ', h('a', { href: '/api/v1/openapi.json', 'data-external': '', target: '_blank', rel: 'noopener' }, 'API')));
  return main;
}

function bareFrame() {
  const root = app();
  clear(root);
  const main = h('main#main.bare', { tabindex: '-1' });
  root.append(header(false), main);
  return main;
}

// ---- routing ----

async function render() {
  const seq = ++renderSeq;
  const { path, query } = current();
  const m = match(path);
  closeIdleWarning();
  document.body.classList.remove('nav-open');
  if (!session.me) {
    if (!m || !m.meta.public) afterLogin = path + location.search;
    if (path !== '/login') history.replaceState({}, '', '/login');
    const main = bareFrame();
    login.renderLogin(main, { message: loginMessage, onDone: loggedIn });
    loginMessage = null;
    document.title = t('login.title') + ' — ungcuu';
    return;
  }
  if (forced === 'password' || (m && m.meta.special === 'password')) {
    const main = bareFrame();
    login.renderPassword(main, { forced: forced === 'password', onDone: passwordChanged });
    document.title = t('password.title') + ' — ungcuu';
    return;
  }
  if (forced === 'totp') {
    const main = bareFrame();
    const mod = await pages.account();
    mod.renderTotpForced(main, { onDone: async () => { forced = null; await loadMe(); navigate('/'); } });
    return;
  }
  if (path === '/login') { navigate('/', { replace: true }); return; }
  if (!m) {
    const main = frame('');
    main.append(h('h1', t('notfound.title')), notice(t('notfound.text'), 'warn'), h('p', h('a', { href: '/' }, t('notfound.home'))));
    return;
  }
  let pageName = m.meta.page;
  if (m.meta.cap && !can(m.meta.cap)) {
    // the home page of a user without incident roles: what they can use
    if (path === '/') pageName = can('admin') ? 'admin' : can('audit') ? 'audit' : 'directory';
    else {
      const main = frame('');
      main.append(h('h1', t('forbidden.title')), notice(t('forbidden.text'), 'warn'));
      return;
    }
  }
  const nav = m.meta.nav || (pageName === 'dashboard' ? '/' : '/' + pageName);
  const main = frame(nav);
  try {
    await loadPreset();
  } catch (e) {
    if (seq === renderSeq) main.append(notice(e.text || String(e), 'error'));
    return;
  }
  // the first page drew the menu before the preset was loaded
  const navEl = document.getElementById('sidenav');
  if (navEl && !navEl.querySelector('.preset-note') && session.preset) navEl.append(presetNote());
  const mod = await pages[pageName]();
  if (seq !== renderSeq) return;
  const ctx = { main, params: m.params, query, alive: () => seq === renderSeq, rerender };
  try {
    await mod.render(ctx);
  } catch (e) {
    if (!(e instanceof api.ApiError) || seq !== renderSeq) { if (!(e instanceof api.ApiError)) console.error(e); }
    if (seq === renderSeq && !(e instanceof api.ApiError && e.status === 401)) main.append(notice(e.text || String(e.message || e), 'error'));
  }
  if (seq === renderSeq && !ctx.keepFocus) focusMain();
}

function rerender() { render(); }

async function loggedIn(result, password) {
  api.setCsrf(result.csrf_token);
  session.me = { ...result.user, must_change_password: result.must_change_password };
  login.rememberPassword(password);
  if (result.must_change_password) forced = 'password';
  else if (result.totp_enrolment_required) forced = 'totp';
  else forced = null;
  const to = afterLogin && afterLogin !== '/login' ? afterLogin : '/';
  afterLogin = null;
  navigate(forced === 'password' ? '/password' : to, { replace: true });
}

async function passwordChanged() {
  forced = null;
  login.rememberPassword(null);
  await loadMe();
  navigate('/', { replace: true });
}

async function logout() {
  try { await api.post('/auth/logout'); } catch { /* ended already */ }
  clearSession();
  forced = null;
  loginMessage = { text: t('login.logged_out'), kind: 'info' };
  navigate('/login');
}

api.bus.addEventListener('auth', (e) => {
  const { kind } = e.detail;
  if (kind === 'expired' || kind === 'required') {
    const had = !!session.me;
    clearSession();
    forced = null;
    if (kind === 'expired') loginMessage = { text: t('session.expired'), kind: 'warn' };
    else if (had) loginMessage = { text: t('session.ended'), kind: 'warn' };
    if (location.pathname !== '/login') afterLogin = location.pathname + location.search;
    if (booted) render();
  } else if (kind === 'password' && forced !== 'password') {
    forced = 'password';
    if (booted) navigate('/password', { replace: true });
  } else if (kind === 'totp' && forced !== 'totp') {
    forced = 'totp';
    if (booted) render();
  }
});

// ---- idle warning ----

let idleDialog = null;
let lastPing = 0;

function idleTimeout() { return (session.me && session.me.idle_timeout) || 600; }

function closeIdleWarning() {
  if (idleDialog) { idleDialog.close(); idleDialog.remove(); idleDialog = null; }
}

function showIdleWarning(left) {
  if (idleDialog) {
    idleDialog.querySelector('.idle-left').textContent = String(Math.max(0, left));
    return;
  }
  const stay = h('button', { type: 'button', class: 'btn btn-primary', id: 'idle-stay', on: { click: keepAlive } }, t('session.stay'));
  const out = h('button', { type: 'button', class: 'btn', on: { click: () => { closeIdleWarning(); logout(); } } }, t('nav.logout'));
  idleDialog = h('dialog.dialog', { role: 'alertdialog', 'aria-labelledby': 'idle-title', 'aria-describedby': 'idle-text', id: 'idle-warning' },
    h('h2#idle-title', t('session.warning_title')),
    h('p#idle-text', t('session.warning_before'), ' ', h('strong.idle-left', String(left)), ' ', t('session.warning_after')),
    h('div.dialog-actions', out, stay));
  idleDialog.addEventListener('cancel', (e) => { e.preventDefault(); keepAlive(); });
  document.body.append(idleDialog);
  idleDialog.showModal();
  stay.focus();
}

async function keepAlive() {
  closeIdleWarning();
  try { await loadMe(); } catch { /* the auth event takes over */ }
}

function idleTick() {
  if (!session.me) return;
  const idle = (Date.now() - api.lastActivity()) / 1000;
  const limit = idleTimeout();
  if (idle >= limit + 1) {
    closeIdleWarning();
    api.get('/auth/me').catch(() => {}); // the server answers "Session expired"
    return;
  }
  // the server writes last_seen at most every 15 s, so warn a little early
  if (idle >= limit - 75) showIdleWarning(Math.round(limit - idle));
}

// Typing and clicking is interaction too: tell the server, at most once a minute.
function onInteraction() {
  if (!session.me || idleDialog) return;
  const now = Date.now();
  if (now - api.lastActivity() > 60000 && now - lastPing > 60000) {
    lastPing = now;
    api.get('/auth/me').catch(() => {});
  }
}

// ---- start ----

async function boot() {
  try {
    await loadLang();
  } catch {
    app().append(notice('Không tải được bản dịch / could not load the message catalogue', 'error'));
    return;
  }
  document.getElementById('skip-link').textContent = t('app.skip');
  if (!timeSelfCheck()) console.warn('time zone self-check failed');
  try {
    const me = await loadMe();
    if (me.must_change_password) forced = 'password';
  } catch (e) {
    if (e.title === 'Second factor enrolment required') forced = 'totp';
    session.me = session.me || null;
  }
  setInterval(idleTick, 1000);
  document.addEventListener('keydown', onInteraction, { passive: true });
  document.addEventListener('pointerdown', onInteraction, { passive: true });
  booted = true;
  start(render);
}

boot();
