// page-admin.js - administration: accounts (create, roles, disable/enable, reset with a one-time
// password shown once, unlock, clear a lost second factor), organisations, API tokens (listed
// and revoked here; created only with the CLI), security settings (TOTP by role), and the
// preset in force with the handover of the coordinator role, and the instance's backups with the
// restore test 001 Đ12.6 asks for every 6 months (docs/backup.md).

import { h, clear, field, select, setFieldError, clearErrors } from './dom.js';
import * as api from './api.js';
import { t, cite, presetTitle, fmtDateTime, getLang, isoDateToVn } from './i18n.js';
import { session, loadOrgs, loadPreset } from './session.js';
import { setQuery } from './router.js';
import { pageHeader, tabs, table, statusLine, toast, busy, badge, confirmDialog, secretDialog, loading, notice } from './ui.js';

const ROLES = ['reporter', 'officer', 'leader', 'operator', 'auditor', 'admin'];
const ORG_ROLES = ['coordinator', 'police', 'military', 'central_agency', 'member', 'response_team', 'isp', 'security_firm', 'national', 'superior'];

export async function render(ctx) {
  const { main, query } = ctx;
  main.append(pageHeader(t('admin.title')));
  const items = [
    { code: 'users', label: t('admin.users') }, { code: 'orgs', label: t('admin.orgs') },
    { code: 'tokens', label: t('admin.tokens') }, { code: 'security', label: t('admin.security') },
    { code: 'preset', label: t('admin.preset') }, { code: 'backups', label: t('admin.backups') },
  ];
  const sel = items.some((i) => i.code === query.get('tab')) ? query.get('tab') : 'users';
  main.append(tabs(items, sel, (code, panel) => {
    setQuery({ tab: code === 'users' ? '' : code });
    const fn = { users, orgs, tokens, security, preset, backups }[code];
    fn(panel, ctx).catch((err) => panel.append(notice(err.text || String(err), 'error')));
  }, t('admin.title')));
}

function roleChecks(prefix, selected = []) {
  const box = h('div.check-row', { role: 'group', 'aria-labelledby': prefix + '-l' });
  for (const r of ROLES) {
    const id = `${prefix}-${r}`;
    box.append(h('span.choice-inline', h('input', { type: 'checkbox', id, value: r, checked: selected.includes(r) }), h('label', { for: id }, t('role.user.' + r))));
  }
  box.values = () => Array.from(box.querySelectorAll('input:checked')).map((c) => c.value);
  return box;
}

// ---- accounts ----
async function users(panel, ctx) {
  const orgs = await loadOrgs();
  const list = h('div');
  const create = h('details.create', { id: 'user-create' }, h('summary', t('admin.user_new')), userCreateForm(orgs, () => load()));
  panel.append(create, list);
  async function load() {
    clear(list);
    list.append(loading());
    const res = await api.get('/users');
    if (!ctx.alive()) return;
    clear(list);
    list.append(table([
      { key: 'username', label: t('admin.username'), sort: (r) => r.username, render: (r) => h('span.mono', r.username) },
      { key: 'full_name', label: t('admin.full_name'), sort: (r) => r.full_name, render: (r) => h('span', r.full_name, r.position ? h('span.muted.block', r.position) : null) },
      { key: 'org_name', label: t('incident.org'), sort: (r) => r.org_name || '', render: (r) => r.org_name || '' },
      { key: 'roles', label: t('admin.roles'), render: (r) => r.roles.map((x) => t('role.user.' + x)).join(', ') },
      {
        key: 'state', label: t('admin.state'), sort: (r) => (r.active ? 0 : 1),
        render: (r) => h('span.badges', r.active ? badge(t('admin.active'), 'met') : badge(t('admin.disabled'), 'late'),
          r.locked_until && new Date(r.locked_until) > new Date() ? badge(t('admin.locked'), 'overdue') : null,
          r.must_change_pw ? badge(t('admin.must_change'), '') : null,
          r.totp_enabled ? badge('TOTP', 'kind') : null),
      },
      { key: 'act', label: t('admin.actions'), render: (r) => userActions(r, load) },
    ], res.items, { caption: t('admin.users') }));
  }
  await load();
}

function userCreateForm(orgs, done) {
  const username = h('input', { type: 'text', id: 'u-username', maxlength: '64', autocomplete: 'off', name: 'username' });
  const fullName = h('input', { type: 'text', id: 'u-full', maxlength: '128', name: 'full_name' });
  const email = h('input', { type: 'email', id: 'u-email', maxlength: '128', name: 'email' });
  const phone = h('input', { type: 'tel', id: 'u-phone', maxlength: '32', name: 'phone' });
  const position = h('input', { type: 'text', id: 'u-position', maxlength: '128', name: 'position' });
  const org = select(orgs.map((o) => ({ value: o.id, label: o.name })), { id: 'u-org', empty: t('form.choose'), name: 'org_id' });
  const roles = roleChecks('u-role', ['officer']);
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'u-create' }, t('admin.user_create'));
  const form = h('form', { novalidate: true },
    h('div.grid', field(t('admin.username'), username, { required: true, hint: t('admin.username_hint') }), field(t('admin.full_name'), fullName, { required: true }),
      field(t('incident.org'), org, { required: true }), field(t('admin.position'), position),
      field(t('dir.email'), email), field(t('dir.phone'), phone),
      h('div.field.wide', h('p.group-label#u-role-l', t('admin.roles'), h('span.req', { 'aria-hidden': 'true' }, ' *')), roles)),
    status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    let bad = null;
    if (!/^[a-z0-9._-]{3,64}$/.test(username.value.trim())) { setFieldError(username, t('admin.username_hint')); bad = bad || username; }
    if (!fullName.value.trim()) { setFieldError(fullName, t('form.required')); bad = bad || fullName; }
    if (!org.value) { setFieldError(org, t('form.required')); bad = bad || org; }
    if (!roles.values().length) { status.set(t('admin.roles_required'), 'error'); bad = bad || roles.querySelector('input'); }
    if (bad) { bad.focus(); return; }
    const body = { username: username.value.trim(), full_name: fullName.value.trim(), org_id: +org.value, roles: roles.values() };
    if (email.value.trim()) body.email = email.value.trim();
    if (phone.value.trim()) body.phone = phone.value.trim();
    if (position.value.trim()) body.position = position.value.trim();
    await busy(ok, async () => {
      try {
        const u = (await api.call('POST', '/users', { body, headers: { 'Idempotency-Key': api.idemKey() } })).data;
        await secretDialog(t('admin.otp_title'), t('admin.otp_text', { user: u.username }), u.one_time_password);
        form.reset();
        done();
      } catch (err) {
        status.set(err.text, 'error');
        const map = { username, full_name: fullName, org_id: org, email, phone, position };
        if (map[err.field]) { setFieldError(map[err.field], err.text); map[err.field].focus(); }
      }
    });
  });
  return form;
}

function userActions(u, reload) {
  const me = session.me;
  const wrap = h('div.row-actions');
  const act = (label, fn, opts = {}) => {
    const b = h('button', { type: 'button', class: 'btn btn-small' + (opts.danger ? ' btn-danger-outline' : ''), dataset: { op: opts.op || '' } }, label, h('span.sr-only', ' ' + u.username));
    b.addEventListener('click', () => busy(b, fn));
    wrap.append(b);
  };
  const op = async (path, confirmKey, danger) => {
    if (confirmKey && !(await confirmDialog(t(confirmKey, { user: u.username }), '', { danger }))) return null;
    try { return await api.post(`/users/${u.id}/${path}`); } catch (err) { toast(err.text, 'error'); return null; }
  };
  act(t('admin.edit_roles'), async () => editRoles(u, reload), { op: 'roles' });
  act(t('admin.reset'), async () => {
    const r = await op('reset', 'admin.reset_q', true);
    if (r) { await secretDialog(t('admin.otp_title'), t('admin.otp_text', { user: u.username }), r.one_time_password); reload(); }
  }, { op: 'reset' });
  if (u.id !== me.id) {
    if (u.active) act(t('admin.disable'), async () => { if (await op('disable', 'admin.disable_q', true)) { toast(t('common.saved')); reload(); } }, { danger: true, op: 'disable' });
    else act(t('admin.enable'), async () => { if (await op('enable')) { toast(t('common.saved')); reload(); } }, { op: 'enable' });
  }
  if (u.locked_until || u.failed_logins) act(t('admin.unlock'), async () => { if (await op('unlock')) { toast(t('common.saved')); reload(); } }, { op: 'unlock' });
  if (u.totp_enabled) act(t('admin.totp_reset'), async () => { if (await op('totp-reset', 'admin.totp_reset_q', true)) { toast(t('common.saved')); reload(); } }, { op: 'totp' });
  return wrap;
}

async function editRoles(u, reload) {
  let etag;
  try { ({ etag } = await api.getWithEtag(`/users/${u.id}`)); } catch (err) { toast(err.text, 'error'); return; }
  const roles = roleChecks('er-' + u.id, u.roles);
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
  const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
  const d = h('dialog.dialog', { 'aria-labelledby': 'er-h' },
    h('form', { novalidate: true },
      h('h2#er-h', t('admin.edit_roles'), ': ', u.username),
      h('p.group-label', { id: `er-${u.id}-l` }, t('admin.roles')), roles, status, h('div.dialog-actions', cancel, ok)));
  const close = () => { d.close(); d.remove(); };
  cancel.addEventListener('click', close);
  d.querySelector('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!roles.values().length) { status.set(t('admin.roles_required'), 'error'); return; }
    await busy(ok, async () => {
      try {
        await api.patch(`/users/${u.id}`, { roles: roles.values() }, { headers: etag ? { 'If-Match': etag } : {} });
        close();
        toast(t('common.saved'));
        reload();
      } catch (err) { status.set(err.status === 412 ? t('common.changed_meanwhile') : err.text, 'error'); }
    });
  });
  document.body.append(d);
  d.showModal();
  roles.querySelector('input').focus();
}

// ---- organisations ----
async function orgs(panel, ctx) {
  const list = h('div');
  const orgsNow = await loadOrgs(true);
  const code = h('input', { type: 'text', id: 'o-code', maxlength: '32', name: 'code' });
  const name = h('input', { type: 'text', id: 'o-name', maxlength: '256', name: 'name' });
  const role = select(ORG_ROLES.map((r) => ({ value: r, label: t('role.org.' + r) })), { id: 'o-role', value: 'member', name: 'role' });
  const parent = select(orgsNow.map((o) => ({ value: o.id, label: o.name })), { id: 'o-parent', empty: t('admin.no_parent'), name: 'parent_id' });
  const phone = h('input', { type: 'tel', id: 'o-phone', maxlength: '32', name: 'phone' });
  const email = h('input', { type: 'email', id: 'o-email', maxlength: '128', name: 'email' });
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'o-create' }, t('admin.org_create'));
  const form = h('form', { novalidate: true },
    h('div.grid', field(t('admin.org_code'), code, { required: true, hint: t('admin.org_code_hint') }), field(t('admin.org_name'), name, { required: true }),
      field(t('admin.org_role'), role, { required: true }), field(t('admin.org_parent'), parent),
      field(t('dir.phone'), phone), field(t('dir.email'), email)),
    status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    let bad = null;
    if (!/^[a-z0-9_-]{1,32}$/.test(code.value.trim())) { setFieldError(code, t('admin.org_code_hint')); bad = bad || code; }
    if (!name.value.trim()) { setFieldError(name, t('form.required')); bad = bad || name; }
    if (bad) { bad.focus(); return; }
    const body = { code: code.value.trim(), name: name.value.trim(), role: role.value };
    if (parent.value) body.parent_id = +parent.value;
    if (phone.value.trim()) body.phone = phone.value.trim();
    if (email.value.trim()) body.email = email.value.trim();
    await busy(ok, async () => {
      try {
        await api.call('POST', '/orgs', { body, headers: { 'Idempotency-Key': api.idemKey() } });
        toast(t('common.saved'));
        form.reset();
        await load();
      } catch (err) {
        status.set(err.text, 'error');
        const map = { code, name, role, parent_id: parent, phone, email };
        if (map[err.field]) { setFieldError(map[err.field], err.text); map[err.field].focus(); }
      }
    });
  });
  panel.append(h('details.create', h('summary', t('admin.org_new')), form), list);
  async function load() {
    const all = await loadOrgs(true);
    if (!ctx.alive()) return;
    clear(list);
    list.append(table([
      { key: 'code', label: t('admin.org_code'), sort: (r) => r.code, render: (r) => h('span.mono', r.code) },
      { key: 'name', label: t('admin.org_name'), sort: (r) => r.name, render: (r) => h('a', { href: `/directory?q=${encodeURIComponent(r.name)}` }, r.name) },
      { key: 'role', label: t('admin.org_role'), sort: (r) => r.role, render: (r) => t('role.org.' + r.role) },
      { key: 'parent', label: t('admin.org_parent'), render: (r) => (r.parent_id ? (all.find((o) => o.id === r.parent_id) || {}).name || '' : '') },
    ], all, { caption: t('admin.orgs') }));
  }
  await load();
}

// ---- tokens ----
async function tokens(panel, ctx) {
  panel.append(notice(t('admin.tokens_cli'), 'info'));
  const list = h('div');
  panel.append(list);
  async function load() {
    const res = await api.get('/tokens');
    if (!ctx.alive()) return;
    clear(list);
    list.append(table([
      { key: 'name', label: t('admin.token_name'), sort: (r) => r.name, render: (r) => r.name },
      { key: 'username', label: t('admin.username'), sort: (r) => r.username, render: (r) => h('span.mono', r.username) },
      { key: 'created_at', label: t('admin.created'), sort: (r) => r.created_at, render: (r) => fmtDateTime(r.created_at) },
      { key: 'last_used', label: t('admin.last_used'), sort: (r) => r.last_used || '', render: (r) => (r.last_used ? fmtDateTime(r.last_used) : '—') },
      {
        key: 'act', label: t('admin.state'),
        render: (r) => {
          if (r.revoked_at) return badge(t('admin.revoked_at', { when: fmtDateTime(r.revoked_at) }), 'late');
          const b = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline' }, t('admin.revoke'), h('span.sr-only', ' ' + r.name));
          b.addEventListener('click', () => busy(b, async () => {
            if (!(await confirmDialog(t('admin.revoke_q', { name: r.name }), '', { danger: true, ok: t('admin.revoke') }))) return;
            try { await api.del(`/tokens/${r.id}`); toast(t('common.saved')); await load(); } catch (err) { toast(err.text, 'error'); }
          }));
          return b;
        },
      },
    ], res.items, { caption: t('admin.tokens'), empty: t('admin.tokens_none') }));
  }
  await load();
}

// ---- security settings ----
async function security(panel) {
  const [s] = await Promise.all([api.get('/settings/security'), loadPreset()]);
  const roles = roleChecks('sec-role', s.totp_required_roles || []);
  const enforce = h('input', { type: 'checkbox', id: 'sec-enforce', checked: !!s.totp_enforce });
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'sec-save' }, t('common.save'));
  const form = h('form.settings', { novalidate: true },
    h('h2.sub', t('admin.totp_policy')), h('p.hint', t('admin.totp_policy_hint')),
    h('p.group-label#sec-role-l', t('admin.totp_roles')), roles,
    h('div.field.check', enforce, h('label', { for: 'sec-enforce' }, t('admin.totp_enforce'), h('span.hint.block', t('admin.totp_enforce_hint')))),
    h('h2.sub', t('admin.rules')),
    h('ul.plain.rules-static#rules-static', [['admin.rule_pw', 'password'], ['admin.rule_lock', 'lockout'], ['admin.rule_idle', 'idle'], ['admin.rule_first', 'password']]
      .map(([k, b]) => h('li', t(k), basisCite(b) ? h('span.source.block', t('common.source'), ': ', basisCite(b)) : null))),
    basisNote(['password', 'lockout', 'idle'], 'rules-basis'),
    status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy(ok, async () => {
      try {
        await api.put('/settings/security', { totp_required_roles: roles.values(), totp_enforce: enforce.checked });
        status.set(t('common.saved'), 'ok');
      } catch (err) { status.set(err.text, 'error'); }
    });
  });
  panel.append(form);
}

// ---- the legal basis of the platform's own rules: the preset IN FORCE's (GET /preset basis) ----
function basisCite(key) {
  const b = ((session.preset || {}).basis || {})[key];
  return b ? cite(b) : '';
}

// "Regulation in force: <title>." and, when it names no article for any of keys, says so.
function basisNote(keys, id) {
  const p = session.preset;
  if (!p) return null;
  return h('p.hint.basis-note', { id },
    t('basis.in_force', { title: presetTitle(p) }),
    keys.some((k) => basisCite(k)) ? null : [' ', t('basis.none')]);
}

// ---- preset and handover ----
async function preset(panel) {
  const [list, orgsNow] = await Promise.all([api.get('/admin/presets'), loadOrgs(true)]);
  const inForce = list.items.find((p) => p.in_force);
  const coord = orgsNow.find((o) => o.role === 'coordinator');
  panel.append(h('h2.sub', t('admin.preset_in_force')),
    inForce ? h('dl.facts#preset-facts', h('div.fact', h('dt', t('admin.preset_title')), h('dd', h('strong', presetTitle(inForce)))),
      cite(inForce) ? h('div.fact', h('dt', t('common.source')), h('dd', cite(inForce))) : null,
      h('div.fact', h('dt', t('admin.lead_role')), h('dd', t('role.org.' + inForce.lead_role)))) : null);
  panel.append(h('h2.sub', t('admin.presets_all')), table([
    { key: 'title', label: t('admin.preset_title'), render: (r) => presetTitle(r) },
    { key: 'lead_role', label: t('admin.lead_role'), render: (r) => t('role.org.' + r.lead_role) },
    { key: 'in_force', label: t('admin.state'), render: (r) => (r.in_force ? badge(t('admin.in_force'), 'met') : '') },
  ], list.items, { sortable: false }));

  const presetSel = select(list.items.map((p) => ({ value: p.name, label: presetTitle(p) })), { id: 'ho-preset', empty: t('admin.keep_preset') });
  const orgSel = select(orgsNow.map((o) => ({ value: o.id, label: `${o.name} (${t('role.org.' + o.role)})` })), { id: 'ho-org', empty: t('admin.keep_coordinator') });
  const note = h('textarea', { id: 'ho-note', rows: 3, maxlength: '2000' });
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-danger', id: 'ho-submit' }, t('admin.handover_do'));
  const form = h('form.handover', { novalidate: true },
    h('h2.sub', t('admin.handover')), h('p.hint', t('admin.handover_hint')),
    coord ? h('p', t('admin.coordinator_now'), ' ', h('strong', coord.name)) : null,
    h('div.grid', field(t('admin.new_preset'), presetSel), field(t('admin.new_coordinator'), orgSel), field(t('incident.note'), note, { wide: true })),
    status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!presetSel.value && !orgSel.value) { status.set(t('admin.handover_need'), 'error'); presetSel.focus(); return; }
    if (!(await confirmDialog(t('admin.handover_q'), t('admin.handover_warn'), { danger: true, ok: t('admin.handover_do') }))) return;
    const body = {};
    if (presetSel.value) body.preset = presetSel.value;
    if (orgSel.value) body.coordinator_org_id = +orgSel.value;
    if (note.value.trim()) body.note = note.value;
    await busy(ok, async () => {
      try {
        const r = await api.post('/admin/handover', body);
        const chosen = list.items.find((x) => x.name === r.preset);
        status.set(t('admin.handover_done', { preset: chosen ? presetTitle(chosen) : presetTitle(session.preset), incidents: r.incidents_rerouted, requests: r.requests_rerouted }), 'ok');
        await loadPreset(true);
        const note = document.getElementById('preset-in-force');
        if (note) note.textContent = presetTitle(session.preset);
      } catch (err) { status.set(err.text, 'error'); }
    });
  });
  panel.append(form);
}

// ---- backups and the restore test (the preset's basis.backup: tayson 001 Đ12.2, Đ12.6) ----
function fmtMB(bytes) {
  const mb = (bytes || 0) / 1048576;
  return new Intl.NumberFormat(getLang() === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(mb) + ' MB';
}

async function backups(panel, ctx) {
  await loadPreset();
  const stateBox = h('div#backup-state');
  const result = statusLine();
  result.id = 'backup-result';
  const list = h('div#backup-list');
  const now = h('button', { type: 'button', class: 'btn btn-primary', id: 'backup-now' }, t('backup.now'));
  panel.append(h('h2.sub', t('backup.title')), h('p.hint', t('backup.hint')),
    basisNote(['backup'], 'backup-basis'),
    basisCite('backup') ? h('p.source#backup-cite', t('common.source'), ': ', basisCite('backup')) : null,
    stateBox,
    h('div.form-actions', now), result, list);

  // the outcome of a verification or a restore test, in words: sound, or the first problem
  const report = (r, kind) => {
    if (r.sound) {
      result.set(t(kind === 'restore' ? 'backup.restore_ok' : 'backup.verify_ok',
        { name: r.name, incidents: r.incidents, audit: r.audit_entries, files: r.files }), 'ok');
    } else {
      result.set(t(kind === 'restore' ? 'backup.restore_bad' : 'backup.verify_bad', { name: r.name, problem: r.problem || '' }), 'error');
    }
  };

  const actions = (b) => {
    if (!b.complete) return '';
    const wrap = h('div.row-actions');
    const act = (label, op, path, kind) => {
      const btn = h('button', { type: 'button', class: 'btn btn-small', dataset: { op, name: b.name } }, label, h('span.sr-only', ' ' + b.name));
      btn.addEventListener('click', () => busy(btn, async () => {
        result.set(t(kind === 'restore' ? 'backup.restore_running' : 'backup.verify_running', { name: b.name }), 'info');
        try {
          report(await api.post(`/admin/backups/${encodeURIComponent(b.name)}/${path}`, {}), kind);
          if (kind === 'restore') await load();
        } catch (err) { result.set(err.text, 'error'); }
      }));
      wrap.append(btn);
    };
    act(t('backup.verify'), 'verify', 'verify', 'verify');
    act(t('backup.restore_test'), 'restore-test', 'restore-test', 'restore');
    return wrap;
  };

  async function load() {
    const s = await api.get('/admin/backups');
    if (!ctx.alive()) return;
    clear(stateBox);
    if (s.restore_test_overdue) stateBox.append(notice(t('backup.overdue'), 'warn', { role: 'alert' }));
    const daily = s.daily || {};
    stateBox.append(h('dl.facts',
      h('div.fact', h('dt', t('backup.last_restore_test')), h('dd#backup-tested', s.restore_tested_at ? fmtDateTime(s.restore_tested_at) : t('backup.never'))),
      h('div.fact', h('dt', t('backup.last_daily')), h('dd', s.last_daily_backup ? isoDateToVn(s.last_daily_backup) : t('backup.never'))),
      h('div.fact', h('dt', t('backup.daily')), h('dd', daily.enabled
        ? t('backup.daily_on', { hour: String(daily.hour).padStart(2, '0') + ':00', keep: daily.keep })
        : t(daily.settings_valid === false ? 'backup.daily_invalid' : 'backup.daily_off')))));
    clear(list);
    list.append(table([
      { key: 'name', label: t('backup.name'), render: (r) => h('span.mono', r.name) },
      { key: 'created_at', label: t('backup.created_at'), sort: (r) => r.created_at || '', render: (r) => (r.created_at ? fmtDateTime(r.created_at) : '—') },
      { key: 'size', label: t('backup.size'), sort: (r) => r.database_size, render: (r) => (r.complete ? fmtMB(r.database_size) : '—') },
      { key: 'incidents', label: t('backup.incidents'), sort: (r) => r.incidents, render: (r) => (r.complete ? String(r.incidents) : '—') },
      { key: 'files', label: t('backup.files'), sort: (r) => r.files, render: (r) => (r.complete ? String(r.files) : '—') },
      { key: 'state', label: t('admin.state'), render: (r) => (r.complete ? badge(t('backup.complete'), 'met') : badge(t('backup.unfinished'), 'late')) },
      { key: 'act', label: t('admin.actions'), render: actions },
    ], s.items, { caption: t('backup.list'), empty: t('backup.none'), rowClass: (r) => (r.complete ? '' : 'unfinished') }));
  }

  now.addEventListener('click', () => busy(now, async () => {
    result.set(t('backup.running'), 'info');
    try {
      const b = await api.call('POST', '/admin/backups', { body: {}, headers: { 'Idempotency-Key': api.idemKey() } });
      result.set(t('backup.made', { name: b.data.name, when: fmtDateTime(b.data.created_at), size: fmtMB(b.data.database_size) }), 'ok');
      await load();
    } catch (err) { result.set(err.text, 'error'); }
  }));
  await load();
}
