// page-systems.js - the registry of information systems: security level 1-5 (Nghị định
// 85/2016), owner and operator, hosted at the provincial data centre (decides step 1 of the
// procedure), on the critical list (002 Đ5), and assets (domains, IP ranges, URLs).

import { h, clear, field, select, setFieldError, clearErrors } from './dom.js';
import * as api from './api.js';
import { t, fmtDate } from './i18n.js';
import { session, can, loadOrgs } from './session.js';
import { pageHeader, table, statusLine, toast, busy, badge, loading } from './ui.js';
import { findingsPanel } from './scans.js';

const KINDS = ['domain', 'cidr', 'url'];

export async function render(ctx) {
  const { main } = ctx;
  const orgs = await loadOrgs().catch(() => []);
  if (!ctx.alive()) return;
  const addBtn = can('systems.create') ? h('button', { type: 'button', class: 'btn btn-primary', id: 'sys-add' }, t('system.add')) : null;
  main.append(pageHeader(t('system.title'), addBtn), h('p.lead', t('system.lead')));
  const editor = h('div#sys-editor');
  const listBox = h('div');
  main.append(editor, listBox);

  async function load() {
    clear(listBox);
    listBox.append(loading());
    const res = await api.get('/systems');
    if (!ctx.alive()) return;
    clear(listBox);
    listBox.append(table([
      { key: 'name', label: t('system.name'), sort: (r) => r.name.toLowerCase(), render: (r) => h('button', { type: 'button', class: 'btn-link', on: { click: () => open(r.id) } }, r.name) },
      { key: 'level', label: t('system.level'), cls: 'num', sort: (r) => r.level, render: (r) => h('span', { class: 'badge level level-' + r.level }, String(r.level)) },
      { key: 'owner_name', label: t('system.owner'), sort: (r) => r.owner_name || '', render: (r) => r.owner_name || '' },
      { key: 'operator_name', label: t('system.operator'), sort: (r) => r.operator_name || '', render: (r) => r.operator_name || '' },
      { key: 'central_hosted', label: t('system.central_short'), sort: (r) => (r.central_hosted ? 1 : 0), render: (r) => (r.central_hosted ? badge(t('common.yes'), 'yes') : t('common.no')) },
      { key: 'critical', label: t('system.critical_short'), sort: (r) => (r.critical ? 1 : 0), render: (r) => (r.critical ? badge(t('system.critical'), 'critical') : t('common.no')) },
      { key: 'plan', label: t('system.plan'), sort: (r) => r.plan_updated_at || '', render: (r) => (r.plan_updated_at ? fmtDate(r.plan_updated_at) : '—') },
    ], res.items, { caption: t('system.title'), empty: t('system.none') }));
  }

  async function open(id) {
    clear(editor);
    let data = null; let etag = null;
    if (id) {
      try { ({ data, etag } = await api.getWithEtag(`/systems/${id}`)); } catch (err) { toast(err.text, 'error'); return; }
    }
    editor.append(systemForm(data, etag, orgs, async () => { clear(editor); await load(); }));
    if (data) editor.append(findingsPanel(data)); // scanner findings (docs/scan.md)
    editor.querySelector('h2').focus();
  }
  if (addBtn) addBtn.addEventListener('click', () => open(null));
  await load();
}

function systemForm(sys, etag, orgs, done) {
  const me = session.me;
  const editable = !sys || can('systems.edit', sys);
  const name = h('input', { type: 'text', id: 's-name', value: sys ? sys.name : '', maxlength: '256', name: 'name' });
  const desc = h('textarea', { id: 's-desc', rows: 3, maxlength: '4000', name: 'description' });
  desc.value = sys ? sys.description || '' : '';
  const level = select([1, 2, 3, 4, 5].map((n) => ({ value: n, label: t('system.level_n', { n }) + ' — ' + t('system.level_' + n) })), { id: 's-level', value: sys ? sys.level : '', empty: t('form.choose'), name: 'level' });
  const orgOpts = orgs.map((o) => ({ value: o.id, label: o.name }));
  const owner = select(orgOpts, { id: 's-owner', value: sys ? sys.owner_org_id : me.org_id, name: 'owner_org_id' });
  const operator = select(orgOpts, { id: 's-operator', value: sys ? sys.operator_org_id : me.org_id, name: 'operator_org_id' });
  const central = h('input', { type: 'checkbox', id: 's-central', checked: !!(sys && sys.central_hosted) });
  const critical = h('input', { type: 'checkbox', id: 's-critical', checked: !!(sys && sys.critical) });
  const assets = h('ul.assets', { id: 's-assets' });
  function assetRow(a = { kind: 'domain', value: '' }) {
    const n = assets.children.length + 1;
    const kind = select(KINDS.map((k) => ({ value: k, label: t('system.asset.' + k) })), { value: a.kind, 'aria-label': t('system.asset_kind_n', { n }) });
    const val = h('input', { type: 'text', value: a.value, maxlength: '300', 'aria-label': t('system.asset_value_n', { n }), placeholder: t('system.asset_ph') });
    const rm = h('button', { type: 'button', class: 'btn btn-small btn-link' }, t('common.remove'));
    const li = h('li.asset', kind, val, rm);
    rm.addEventListener('click', () => li.remove());
    assets.append(li);
    return val;
  }
  for (const a of (sys && sys.assets) || []) assetRow(a);
  const addAsset = h('button', { type: 'button', class: 'btn btn-small', on: { click: () => assetRow().focus() } }, t('system.asset_add'));
  // products the system runs (vendor | product | version, one per line): warnings name products
  const products = h('textarea', { id: 's-products', rows: 3, maxlength: '20000', placeholder: t('system.products_ph') });
  products.value = ((sys && sys.products) || []).map((p) => [p.vendor, p.product, p.version].filter(Boolean).join(' | ')).join('\n');
  const status = statusLine();
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 's-save' }, sys ? t('common.save') : t('system.register'));
  const cancel = h('button', { type: 'button', class: 'btn', on: { click: () => done() } }, t('common.close'));
  const form = h('form.system-form', { novalidate: true, 'aria-labelledby': 's-h' },
    h('h2#s-h', { tabindex: '-1' }, sys ? sys.name : t('system.add')),
    h('div.grid',
      field(t('system.name'), name, { required: true, wide: true }),
      field(t('system.description'), desc, { wide: true }),
      field(t('system.level'), level, { required: true, hint: t('system.level_hint') }),
      h('div.field'),
      field(t('system.owner'), owner, { required: true }),
      field(t('system.operator'), operator, { required: true }),
      h('div.field.check', central, h('label', { for: 's-central' }, t('system.central'), h('span.hint.block', t('system.central_hint')))),
      h('div.field.check', critical, h('label', { for: 's-critical' }, t('system.critical'), h('span.hint.block', t('system.critical_hint')))),
      h('div.field.wide', h('p.group-label', t('system.assets')), h('p.hint', t('system.assets_hint')), assets, addAsset),
      field(t('system.products'), products, { wide: true, hint: t('system.products_hint') })),
    status, h('div.form-actions', cancel, editable ? save : null));
  if (!editable) for (const el of form.querySelectorAll('input, select, textarea')) el.disabled = true;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    let bad = null;
    if (!name.value.trim()) { setFieldError(name, t('form.required')); bad = bad || name; }
    if (!level.value) { setFieldError(level, t('form.required')); bad = bad || level; }
    if (bad) { bad.focus(); return; }
    const list = Array.from(assets.querySelectorAll('li')).map((li) => ({ kind: li.querySelector('select').value, value: li.querySelector('input').value.trim() })).filter((a) => a.value);
    const body = {
      name: name.value.trim(), description: desc.value, level: +level.value, owner_org_id: +owner.value, operator_org_id: +operator.value,
      central_hosted: central.checked, critical: critical.checked, assets: list,
      products: products.value.split('\n').map((l) => l.split('|').map((x) => x.trim())).filter((p) => p[0])
        .map(([vendor, product, version]) => ({ vendor, product: product || '', version: version || '' })),
    };
    await busy(save, async () => {
      try {
        if (sys) await api.patch(`/systems/${sys.id}`, body, { headers: etag ? { 'If-Match': etag } : {} });
        else await api.call('POST', '/systems', { body, headers: { 'Idempotency-Key': api.idemKey() } });
        toast(t('common.saved'));
        done();
      } catch (err) {
        status.set(err.status === 412 ? t('common.changed_meanwhile') : err.text, 'error');
        const map = { name, level, owner_org_id: owner, operator_org_id: operator, description: desc, products };
        if (map[err.field]) { setFieldError(map[err.field], err.text); map[err.field].focus(); }
      }
    });
  });
  return h('section.panel.editor', form);
}
