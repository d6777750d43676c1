// page-account.js - my account: profile, password change, the TOTP second factor (enrol with
// the secret shown as text and the otpauth URI, confirm with a code, or turn it off where the
// role allows), and my e-mail notification preferences (GET/PUT /me/notifications; an event
// the regulation requires stays "immediate" and says why). Also the enrolment screen a role that
// requires TOTP is held on.

import { h, clear, field, setFieldError } from './dom.js';
import * as api from './api.js';
import { t, cite, fmtDateTime } from './i18n.js';
import { loadMe, can } from './session.js';
import { pageHeader, statusLine, toast, busy, badge, notice, table, secretDialog, empty } from './ui.js';
import { passwordForm } from './page-login.js';

export async function render(ctx) {
  const { main } = ctx;
  const me = await loadMe();
  if (!ctx.alive()) return;
  main.append(pageHeader(t('account.title')));
  const grid = h('div.panels');
  grid.append(h('section.panel', { 'aria-labelledby': 'acc-p' }, h('div.panel-head', h('h2#acc-p', t('account.profile'))), profileForm(me)));
  grid.append(h('section.panel', { 'aria-labelledby': 'acc-pw' }, h('div.panel-head', h('h2#acc-pw', t('password.title'))),
    passwordForm({ askCurrent: true, onDone: () => { toast(t('password.changed')); ctx.rerender(); } })));
  const totpBox = h('section.panel', { 'aria-labelledby': 'acc-totp', id: 'totp' }, h('div.panel-head', h('h2#acc-totp', t('totp.title'))));
  totpSection(totpBox, me, () => ctx.rerender());
  grid.append(totpBox);
  const notifyBox = h('section.panel', { 'aria-labelledby': 'acc-notify', id: 'notifications' },
    h('div.panel-head', h('h2#acc-notify', t('notify.title'))));
  grid.append(notifyBox);
  let hookBox = null;
  if (can('org.edit', me.org_id)) {
    hookBox = h('section.panel', { 'aria-labelledby': 'acc-hook', id: 'webhook' },
      h('div.panel-head', h('h2#acc-hook', t('webhook.title'))));
    grid.append(hookBox);
  }
  main.append(grid);
  await notifySection(notifyBox, ctx);
  if (hookBox) await webhookSection(hookBox, ctx, me.org_id);
}

// My organisation's webhook (leaders and officers): the URL notifications are posted to, signed
// with HMAC-SHA256 (the secret is shown once, when made or rotated), and the delivery log.
async function webhookSection(box, ctx, orgId) {
  let hook;
  try { hook = await api.get(`/orgs/${orgId}/webhook`); } catch (err) { box.append(notice(err.text, 'error')); return; }
  if (!ctx.alive()) return;
  const status = statusLine();
  const url = h('input', { id: 'hook-url', type: 'url', maxlength: 500, value: hook.url || '', placeholder: 'https://' });
  const active = h('input', { id: 'hook-active', type: 'checkbox', checked: hook.url ? !!hook.active : true });
  const rotate = h('input', { id: 'hook-rotate', type: 'checkbox' });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'hook-save' }, t('common.save'));
  const form = h('form', { novalidate: true }, h('p.hint', t('webhook.explain')),
    field(t('webhook.url'), url),
    h('label.check', active, ' ', t('webhook.active')),
    hook.url ? h('label.check', rotate, ' ', t('webhook.rotate')) : null,
    status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setFieldError(url, null);
    await busy(ok, async () => {
      try {
        const body = { url: url.value.trim(), active: active.checked };
        if (rotate.checked) body.rotate_secret = true;
        const res = await api.call('PUT', `/orgs/${orgId}/webhook`, { body });
        status.set(t('common.saved'), 'ok');
        if (res.data.secret) await secretDialog(t('webhook.secret_title'), t('webhook.secret_text'), res.data.secret);
        ctx.rerender();
      } catch (err) {
        if (err.field === 'url') setFieldError(url, err.text);
        status.set(err.text, 'error');
      }
    });
  });
  box.append(form);
  const log = hook.deliveries || [];
  box.append(h('h3', t('webhook.log')));
  box.append(log.length ? table([
    { key: 'at', label: t('webhook.at'), render: (r) => fmtDateTime(r.at) },
    { key: 'outbox_id', label: t('webhook.delivery'), render: (r) => h('span.mono', String(r.outbox_id)) },
    { key: 'attempt', label: t('webhook.attempt'), render: (r) => String(r.attempt) },
    { key: 'status', label: t('webhook.status'), render: (r) => badge(r.status ? String(r.status) : '—', r.status >= 200 && r.status < 300 ? 'ok' : 'bad') },
    { key: 'error', label: t('webhook.error'), render: (r) => r.error || '' },
  ], log, { caption: t('webhook.log'), sortable: false }) : empty(t('webhook.no_log')));
}

// My notification preferences: one select per event (immediate / digest / off).
async function notifySection(box, ctx) {
  const status = statusLine();
  let r;
  try { r = await api.getWithEtag('/me/notifications'); } catch (err) { box.append(notice(err.text, 'error')); return; }
  if (!ctx.alive()) return;
  let etag = r.etag;
  const selects = {};
  const grid = h('div.grid');
  for (const ev of r.data.events) {
    const sel = h('select', { id: 'notify-' + ev.event, name: ev.event, disabled: ev.required });
    for (const m of r.data.modes) {
      const label = ev.event === 'digest' && m !== 'off' ? t('notify.mode.digest_on') : t('notify.mode.' + m);
      sel.append(h('option', { value: m, selected: m === ev.mode }, label));
    }
    selects[ev.event] = sel;
    const hint = ev.required ? t('notify.required') + (cite(ev) ? ' (' + t('common.source') + ': ' + cite(ev) + ')' : '') : null;
    grid.append(field(t('notify.event.' + ev.event), sel, { hint }));
  }
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'notify-save' }, t('common.save'));
  const form = h('form', { novalidate: true }, h('p.hint', t('notify.explain')), grid, status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const events = {};
    for (const ev of r.data.events) if (!ev.required && selects[ev.event].value !== ev.mode) events[ev.event] = selects[ev.event].value;
    if (!Object.keys(events).length) { status.set(t('common.nothing_changed'), 'info'); return; }
    await busy(ok, async () => {
      try {
        const res = await api.call('PUT', '/me/notifications', { body: { events }, headers: etag ? { 'If-Match': etag } : {} });
        etag = res.headers.get('ETag');
        r = { data: res.data };
        status.set(t('common.saved'), 'ok');
      } catch (err) {
        status.set(err.text, 'error');
      }
    });
  });
  box.append(form);
}

function profileForm(me) {
  const f = {};
  const grid = h('div.grid');
  for (const [k, type, max] of [['full_name', 'text', 128], ['position', 'text', 128], ['email', 'email', 128], ['phone', 'tel', 32]]) {
    f[k] = h('input', { type, id: 'acc-' + k, value: me[k] || '', maxlength: String(max), name: k });
    grid.append(field(t('account.' + k), f[k], { required: k === 'full_name' }));
  }
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
  const form = h('form', { novalidate: true },
    h('dl.facts', h('div.fact', h('dt', t('admin.username')), h('dd.mono', me.username)),
      h('div.fact', h('dt', t('incident.org')), h('dd', me.org_name || '')),
      h('div.fact', h('dt', t('admin.roles')), h('dd', (me.roles || []).map((r) => t('role.user.' + r)).join(', '))),
      h('div.fact', h('dt', t('account.since')), h('dd', fmtDateTime(me.created_at)))),
    grid, status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!f.full_name.value.trim()) { setFieldError(f.full_name, t('form.required')); f.full_name.focus(); return; }
    const body = {};
    for (const k of Object.keys(f)) if (f[k].value.trim() !== (me[k] || '')) body[k] = f[k].value.trim();
    if (!Object.keys(body).length) { status.set(t('common.nothing_changed'), 'info'); return; }
    await busy(ok, async () => {
      try {
        const { etag } = await api.getWithEtag(`/users/${me.id}`);
        await api.patch(`/users/${me.id}`, body, { headers: etag ? { 'If-Match': etag } : {} });
        await loadMe();
        status.set(t('common.saved'), 'ok');
      } catch (err) {
        status.set(err.text, 'error');
        if (f[err.field]) setFieldError(f[err.field], err.text);
      }
    });
  });
  return form;
}

// Groups a base32 secret in fours so it can be typed into an app by hand.
function grouped(secret) { return secret.replace(/(.{4})/g, '$1 ').trim(); }

function enrolFlow(box, onDone) {
  const start = h('button', { type: 'button', class: 'btn btn-primary', id: 'totp-start' }, t('totp.start'));
  const status = statusLine();
  box.append(h('p', t('totp.explain')), start, status);
  start.addEventListener('click', () => busy(start, async () => {
    let r;
    try { r = await api.post('/auth/totp/enroll'); } catch (err) { status.set(err.text, 'error'); return; }
    start.remove();
    const code = h('input', { type: 'text', id: 'totp-code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6' });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'totp-confirm' }, t('totp.confirm'));
    const form = h('form.totp-form', { novalidate: true },
      h('ol.steps-text',
        h('li', t('totp.step1')),
        h('li', t('totp.step2'), h('output.secret', { id: 'totp-secret', 'aria-label': t('totp.secret') }, grouped(r.secret)),
          h('details', h('summary', t('totp.uri')), h('code.uri', { id: 'totp-uri' }, r.uri))),
        h('li', t('totp.step3'))),
      field(t('login.totp'), code, { required: true, hint: t('login.totp_hint') }),
      h('div.form-actions', ok));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!/^\d{6}$/.test(code.value.trim())) { setFieldError(code, t('login.totp_bad')); code.focus(); return; }
      await busy(ok, async () => {
        try {
          await api.post('/auth/totp/confirm', { code: code.value.trim() });
          toast(t('totp.enabled_now'));
          onDone();
        } catch (err) { setFieldError(code, err.text); code.focus(); }
      });
    });
    status.before(form);
    code.focus();
  }));
}

function totpSection(box, me, onDone) {
  if (me.totp_enabled) {
    box.append(h('p', badge(t('totp.on'), 'met'), ' ', t('totp.on_text')));
    if (me.totp_required) { box.append(h('p.hint', t('totp.required_keep'))); return; }
    const code = h('input', { type: 'text', id: 'totp-off-code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6' });
    const status = statusLine();
    const ok = h('button', { type: 'submit', class: 'btn btn-danger-outline' }, t('totp.disable'));
    const form = h('form', { novalidate: true }, field(t('login.totp'), code, { required: true }), status, h('div.form-actions', ok));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await busy(ok, async () => {
        try { await api.post('/auth/totp/disable', { code: code.value.trim() }); toast(t('totp.disabled')); onDone(); } catch (err) { status.set(err.text, 'error'); }
      });
    });
    box.append(h('details', h('summary', t('totp.disable')), form));
    return;
  }
  box.append(h('p', badge(t('totp.off'), ''), ' ', me.totp_required ? t('totp.required_text') : t('totp.optional_text')));
  enrolFlow(box, onDone);
}

// The screen a user is held on when their role requires TOTP and they have none yet.
export function renderTotpForced(main, { onDone }) {
  const card = h('section.auth-card.wide', { 'aria-labelledby': 'totp-forced-h' },
    h('h1#totp-forced-h', t('totp.forced_title')),
    notice(t('totp.forced_text'), 'warn', { role: 'alert' }));
  enrolFlow(card, onDone);
  card.append(h('p.auth-foot', h('button', {
    type: 'button', class: 'btn btn-link', on: { click: async () => { try { await api.post('/auth/logout'); } catch { /* */ } location.assign('/login'); } },
  }, t('nav.logout'))));
  clear(main);
  main.append(h('div.auth-wrap', card));
}

