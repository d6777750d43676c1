// page-login.js - sign in (with the 6-digit code when the account has TOTP), the messages for a
// locked account and an ended session, and the password change forced at first login.

import { h, field, setFieldError, clearErrors } from './dom.js';
import * as api from './api.js';
import { t } from './i18n.js';
import { notice, statusLine, busy } from './ui.js';
import { session } from './session.js';

let knownPassword = null; // the password just typed at login, so first-login change asks once

export function rememberPassword(pw) { knownPassword = pw; }

function card(title, ...body) {
  return h('section.auth-card', { 'aria-labelledby': 'auth-title' },
    h('div.auth-brand', h('img', { src: '/img/logo.svg', alt: '', width: '40', height: '40' }),
      h('div', h('p.auth-org', t('app.title')), h('p.auth-sub', t('app.subtitle_long')))),
    h('h1#auth-title', title), ...body);
}

export function renderLogin(main, { message, onDone }) {
  const user = h('input', { type: 'text', id: 'login-username', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
  const pass = h('input', { type: 'password', id: 'login-password', name: 'password', autocomplete: 'current-password', required: true });
  const code = h('input', { type: 'text', id: 'login-totp', name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '[0-9]{6}' });
  const codeField = field(t('login.totp'), code, { hint: t('login.totp_hint'), required: true });
  codeField.hidden = true;
  const status = statusLine();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', id: 'login-submit' }, t('login.submit'));
  const form = h('form.auth-form', { novalidate: true },
    field(t('login.username'), user, { required: true }),
    field(t('login.password'), pass, { required: true }),
    codeField, status, submit);
  let step = 'password';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    status.set('');
    if (!user.value.trim()) { setFieldError(user, t('form.required')); user.focus(); return; }
    if (!pass.value) { setFieldError(pass, t('form.required')); pass.focus(); return; }
    const body = { username: user.value.trim(), password: pass.value };
    if (step === 'totp') {
      if (!/^\d{6}$/.test(code.value.trim())) { setFieldError(code, t('login.totp_bad')); code.focus(); return; }
      body.totp = code.value.trim();
    }
    await busy(submit, async () => {
      try {
        const r = await api.post('/auth/login', body);
        onDone(r, body.password);
      } catch (err) {
        if (err.title === 'Second factor required') {
          step = 'totp';
          codeField.hidden = false;
          user.readOnly = true;
          status.set(t('login.totp_needed'), 'info');
          code.focus();
        } else if (err.title === 'Account locked') {
          status.set(err.text || t('login.locked'), 'error');
        } else if (err.title === 'Invalid credentials') {
          status.set(step === 'totp' ? t('login.invalid_totp') : t('login.invalid'), 'error');
          if (step === 'totp') { code.value = ''; code.focus(); } else { pass.value = ''; pass.focus(); }
        } else {
          status.set(err.text, 'error');
        }
      }
    });
  });
  main.append(h('div.auth-wrap', card(t('login.title'),
    message ? notice(message.text, message.kind, { role: 'alert' }) : null,
    form,
    h('p.auth-foot', t('login.help')))));
  user.focus();
}

// Password policy of 001 Đ8: at least 8 characters with lower case, upper case and a digit or
// symbol. Shown as a live checklist; the server checks again.
const RULES = [
  ['password.rule_len', (s) => s.length >= 8],
  ['password.rule_lower', (s) => /\p{Ll}/u.test(s)],
  ['password.rule_upper', (s) => /\p{Lu}/u.test(s)],
  ['password.rule_digit', (s) => /[\d\p{P}\p{S}]/u.test(s)],
];

export function passwordForm({ askCurrent, onDone, submitLabel }) {
  const cur = h('input', { type: 'password', id: 'pw-current', autocomplete: 'current-password' });
  const nw = h('input', { type: 'password', id: 'pw-new', autocomplete: 'new-password' });
  const again = h('input', { type: 'password', id: 'pw-again', autocomplete: 'new-password' });
  const list = h('ul.rules', { id: 'pw-rules', 'aria-live': 'polite' });
  const items = RULES.map(([k]) => h('li', t(k)));
  list.append(...items);
  const check = () => RULES.forEach(([, fn], i) => items[i].classList.toggle('ok', fn(nw.value)));
  nw.addEventListener('input', check);
  const status = statusLine();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'pw-submit' }, submitLabel || t('password.submit'));
  const form = h('form.auth-form', { novalidate: true },
    askCurrent ? field(t('password.current'), cur, { required: true }) : null,
    field(t('password.new'), nw, { required: true }),
    h('div.rules-box', h('p.hint', t('password.policy')), list),
    field(t('password.again'), again, { required: true }),
    status, submit);
  nw.setAttribute('aria-describedby', 'pw-rules ' + nw.getAttribute('aria-describedby'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    status.set('');
    const current = askCurrent ? cur.value : knownPassword;
    if (askCurrent && !current) { setFieldError(cur, t('form.required')); cur.focus(); return; }
    if (!RULES.every(([, fn]) => fn(nw.value))) { setFieldError(nw, t('password.weak')); nw.focus(); return; }
    if (nw.value !== again.value) { setFieldError(again, t('password.mismatch')); again.focus(); return; }
    await busy(submit, async () => {
      try {
        await api.post('/auth/password', { current_password: current, new_password: nw.value });
        knownPassword = null;
        onDone();
      } catch (err) {
        const target = err.field === 'current_password' ? cur : err.field === 'new_password' ? nw : null;
        if (target && (askCurrent || target !== cur)) { setFieldError(target, err.text); target.focus(); }
        else status.set(err.text, 'error');
      }
    });
  });
  return form;
}

export function renderPassword(main, { forced, onDone }) {
  const askCurrent = !knownPassword;
  const me = session.me || {};
  main.append(h('div.auth-wrap', card(t('password.title'),
    forced ? notice(t('password.forced', { user: me.username || '' }), 'warn', { role: 'alert' }) : null,
    passwordForm({ askCurrent, onDone }),
    h('p.auth-foot', h('button', {
      type: 'button', class: 'btn btn-link', on: { click: async () => { try { await api.post('/auth/logout'); } catch { /* */ } location.assign('/login'); } },
    }, t('nav.logout'))))));
  const first = main.querySelector('input');
  if (first) first.focus();
}
