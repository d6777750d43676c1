// page-warnings.js - warnings (cảnh báo, 000 Đ7.4): the list (issued by my organisation, sent to
// it with my answer, or all I may read) and the draft form: indicators one per line with the kind
// detected by the server (per-line errors), references, products, targeting (all, roles, a list
// of organisations, or matching systems), the answer's due date (dd/mm/yyyy).

import { h, clear, field, select, setFieldError, clearErrors } from './dom.js';
import * as api from './api.js';
import { t, nm, cite, fmtDate, fmtDateTime } from './i18n.js';
import { session, can, loadOrgs } from './session.js';
import { navigate } from './router.js';
import { pageHeader, table, severityBadge, tlpBadge, badge, statusLine, loading, busy, toast, TLP_LEVELS } from './ui.js';
import { dateInput } from './forms.js';

const ROLES = ['coordinator', 'police', 'military', 'central_agency', 'member', 'response_team', 'isp', 'security_firm', 'national', 'superior'];
const MODES = ['match', 'all', 'roles', 'orgs'];

export function statusBadge(s) { return badge(t('warning.status.' + s), 'state wstate-' + s); }

export async function render(ctx) {
  const { path } = { path: location.pathname };
  if (path === '/warnings/new') return formPage(ctx, null);
  if (ctx.params.id) return formPage(ctx, ctx.params.id);
  return listPage(ctx);
}

async function listPage(ctx) {
  const { main, query } = ctx;
  const newBtn = can('warnings.create') ? h('a', { class: 'btn btn-primary', href: '/warnings/new', id: 'w-new' }, t('warning.new')) : null;
  main.append(pageHeader(t('warning.title'), newBtn), h('p.lead', t('warning.lead')));
  const tabs = [['mine', t('warning.tab_mine')], ['issued', t('warning.tab_issued')], ['all', t('warning.tab_all')]];
  let tab = query.get('tab') || 'all';
  const bar = h('div.filter-actions', { role: 'group', 'aria-label': t('warning.title') });
  for (const [k, label] of tabs) {
    bar.append(h('button', {
      type: 'button', class: 'btn' + (k === tab ? ' btn-primary' : ''), id: 'w-tab-' + k, 'aria-pressed': String(k === tab),
      on: { click: () => navigate('/warnings?tab=' + k) },
    }, label));
  }
  main.append(bar);
  const box = h('div');
  main.append(box);
  box.append(loading());
  const params = { limit: 200 };
  if (tab === 'mine') params.mine = 1;
  if (tab === 'issued') params.issuer = session.me.org_id;
  const res = await api.get('/warnings', params);
  if (!ctx.alive()) return;
  clear(box);
  box.append(table([
    { key: 'ref', label: t('warning.ref'), cls: 'nowrap', sort: (r) => r.id, render: (r) => h('a', { href: `/warnings/${r.id}` }, r.ref) },
    { key: 'title', label: t('warning.f_title'), sort: (r) => r.title.toLowerCase(), render: (r) => h('a.title-link', { href: `/warnings/${r.id}` }, r.title) },
    { key: 'issuer', label: t('warning.issuer'), sort: (r) => r.issuer_name, render: (r) => r.issuer_name },
    { key: 'severity', label: t('incident.severity'), render: (r) => severityBadge(r.severity) },
    { key: 'tlp', label: 'TLP', render: (r) => tlpBadge(r.tlp) },
    { key: 'status', label: t('incident.status'), render: (r) => statusBadge(r.status) },
    { key: 'due', label: t('warning.due'), cls: 'nowrap', sort: (r) => r.due_at || '', render: (r) => (r.due_at ? fmtDate(r.due_at) : '—') },
    {
      key: 'mine', label: t('warning.my_status'), render: (r) => {
        if (!r.my_reason) return r.issuer_org_id === session.me.org_id ? t('warning.acked_n', { n: r.acked, total: r.targets }) : '—';
        return h('span', r.my_acked_at ? badge(t('warning.acked'), 'yes') : badge(t('warning.not_acked'), 'warn'),
          r.my_open ? [' ', badge(t('warning.open_n', { n: r.my_open }), 'flag')] : null,
          r.my_late ? [' ', badge(t('warning.late'), 'overdue')] : null);
      },
    },
  ], res.items, { caption: t('warning.title'), empty: t('warning.none'), rowClass: (r) => (r.my_late ? 'row-overdue' : '') }));
}

// "vendor | product | versions" per line.
function parseProducts(text) {
  return text.split('\n').map((l) => l.split('|').map((x) => x.trim())).filter((p) => p[0])
    .map(([vendor, product, versions]) => ({ vendor, product: product || '', versions: versions || '' }));
}

function lines(text) { return text.split('\n').map((l) => l.trim()).filter(Boolean); }

async function formPage(ctx, id) {
  const { main } = ctx;
  const p = session.preset;
  const orgs = await loadOrgs().catch(() => []);
  let w = null; let etag = null;
  if (id) ({ data: w, etag } = await api.getWithEtag(`/warnings/${encodeURIComponent(id)}`));
  if (!ctx.alive()) return;
  main.append(h('nav.crumbs', { 'aria-label': t('common.breadcrumb') }, h('a', { href: '/warnings' }, t('warning.title')), ' › ', w ? w.ref : t('warning.new')));
  main.append(pageHeader(w ? t('warning.edit') : t('warning.new')));
  if (!can('warnings.create') || (w && !(w.permissions && w.permissions.edit && w.status === 'draft'))) {
    main.append(h('div.notice.notice-warn', { role: 'status' }, t('warning.cannot_edit')));
    return;
  }
  const title = h('input', { type: 'text', id: 'w-title', maxlength: '300', value: w ? w.title : '' });
  const severity = select(p.severities.map((s) => ({ value: s.code, label: nm(s) })), { id: 'w-severity', value: w ? w.severity : 'high' });
  const tlp = select(TLP_LEVELS.map((l) => ({ value: l, label: 'TLP:' + l.toUpperCase() })), { id: 'w-tlp', value: w ? w.tlp : 'amber' });
  const desc = h('textarea', { id: 'w-desc', rows: 4, maxlength: '20000' });
  desc.value = w ? w.description : '';
  // a new warning's basis: the one the preset in force names for warnings (000 Đ7.4), in words
  const legal = h('textarea', { id: 'w-legal', rows: 2, maxlength: '1000' });
  legal.value = w ? w.legal_basis : cite((p.basis || {}).warning);
  const actions = h('textarea', { id: 'w-actions', rows: 3, maxlength: '20000' });
  actions.value = w ? w.actions : '';
  const due = dateInput({ id: 'w-due' });
  if (w && w.due_at) due.setIso(w.due_at);
  const inds = h('textarea', { id: 'w-indicators', rows: 5, spellcheck: 'false', placeholder: '203.113.131.5\nevil.example.com\nhttps://...' });
  inds.value = w ? (w.indicators || []).map((i) => i.value).join('\n') : '';
  const indCheck = h('ul.plain.ind-check', { id: 'w-ind-check', 'aria-live': 'polite' });
  const refs = h('textarea', { id: 'w-refs', rows: 3, placeholder: 'CVE-2024-3400\nhttps://...' });
  refs.value = w ? (w.refs || []).map((r) => r.value).join('\n') : '';
  const products = h('textarea', { id: 'w-products', rows: 3, placeholder: 'Apache | Tomcat | < 9.0.90' });
  products.value = w ? (w.products || []).map((x) => [x.vendor, x.product, x.versions].filter(Boolean).join(' | ')).join('\n') : '';
  const tg = (w && w.target) || { mode: 'match' };
  const mode = select(MODES.map((m) => ({ value: m, label: t('warning.mode.' + m) })), { id: 'w-mode', value: tg.mode });
  const roleBox = h('div.checks#w-roles', ROLES.map((r) => h('label.check', h('input', { type: 'checkbox', id: 'w-role-' + r, value: r, checked: (tg.roles || []).includes(r) }), ' ', t('role.org.' + r))));
  const orgSel = h('select', { id: 'w-orgs', multiple: true, size: '8' }, orgs.filter((o) => o.id !== session.me.org_id).map((o) => h('option', { value: o.id, selected: (tg.orgs || []).includes(o.id) }, o.name)));
  const roleField = field(t('warning.roles'), roleBox);
  const orgField = field(t('warning.orgs'), orgSel, { hint: t('warning.orgs_hint') });
  function showMode() { roleField.hidden = mode.value !== 'roles'; orgField.hidden = mode.value !== 'orgs'; }
  mode.addEventListener('change', showMode);
  showMode();

  let checked = [];
  async function check() {
    const vals = lines(inds.value);
    clear(indCheck);
    checked = [];
    if (!vals.length) return true;
    const res = await api.post('/indicators/check', { values: vals });
    checked = res.items;
    let ok = true;
    res.items.forEach((it, i) => {
      if (it.error) { ok = false; indCheck.append(h('li.err', t('warning.line_n', { n: i + 1 }), ': ', it.input || '', ' — ', it.error)); }
      else indCheck.append(h('li', h('span.badge', it.kind), ' ', it.value));
    });
    return ok;
  }
  inds.addEventListener('change', () => { check().catch(() => {}); });

  const status = statusLine();
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'w-save' }, t('warning.save_draft'));
  const form = h('form.warning-form', { novalidate: true },
    h('div.grid',
      field(t('warning.f_title'), title, { required: true, wide: true }),
      field(t('incident.severity'), severity, { required: true }),
      field('TLP', tlp, { hint: t('warning.tlp_hint') }),
      field(t('warning.description'), desc, { wide: true }),
      field(t('warning.indicators'), inds, { wide: true, hint: t('warning.indicators_hint') }),
      h('div.field.wide', indCheck),
      field(t('warning.refs'), refs, { wide: true, hint: t('warning.refs_hint') }),
      field(t('warning.products'), products, { wide: true, hint: t('warning.products_hint') }),
      field(t('warning.actions'), actions, { wide: true }),
      field(t('warning.legal'), legal, { wide: true }),
      field(t('warning.due'), due, { hint: t('form.date_hint') }),
      field(t('warning.mode_label'), mode, { wide: true, hint: t('warning.mode_hint') }),
      h('div.field.wide', roleField, orgField)),
    status, h('div.form-actions', h('a', { class: 'btn', href: w ? `/warnings/${w.id}` : '/warnings' }, t('common.cancel')), save));
  main.append(h('section.panel', form));
  if (inds.value) check().catch(() => {});

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    status.set('');
    if (!title.value.trim()) { setFieldError(title, t('form.required')); title.focus(); return; }
    const dueIso = due.getIso();
    if (dueIso === null) { setFieldError(due, t('form.bad_date')); due.focus(); return; }
    await busy(save, async () => {
      let ok;
      try { ok = await check(); } catch (err) { status.set(err.text, 'error'); return; }
      if (!ok) { setFieldError(inds, t('warning.bad_lines')); inds.focus(); return; }
      const target = { mode: mode.value };
      if (mode.value === 'roles') target.roles = ROLES.filter((r) => document.getElementById('w-role-' + r).checked);
      if (mode.value === 'orgs') target.orgs = Array.from(orgSel.selectedOptions).map((o) => +o.value);
      const body = {
        title: title.value.trim(), severity: severity.value, tlp: tlp.value, description: desc.value,
        legal_basis: legal.value, actions: actions.value, due_at: dueIso ? `${dueIso}T23:59:00+07:00` : null,
        indicators: checked.map((c) => ({ kind: c.kind, value: c.value })), refs: lines(refs.value),
        products: parseProducts(products.value), target,
      };
      try {
        let res;
        if (w) res = await api.patch(`/warnings/${w.id}`, body, { headers: etag ? { 'If-Match': etag } : {} });
        else res = (await api.call('POST', '/warnings', { body, headers: { 'Idempotency-Key': api.idemKey() } })).data;
        toast(t('common.saved'));
        navigate(`/warnings/${res.id}`);
      } catch (err) {
        status.set(err.status === 412 ? t('common.changed_meanwhile') : err.text, 'error');
        const map = { title, severity, tlp, description: desc, indicators: inds, refs, products, target: mode, due_at: due, legal_basis: legal, actions };
        if (map[err.field]) { setFieldError(map[err.field], err.text); map[err.field].focus(); }
      }
    });
  });
}

export { fmtDateTime };
