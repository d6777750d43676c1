// page-duties.js - the periodic-duties calendar (DOMAIN.md "Periodic duties"): an organisation's
// duties month by month with due dates, overdue ones marked, marked done with a note and evidence
// files; the coordinator's and auditors' compliance table by organisation.

import { h, clear, field, select, setFieldError } from './dom.js';
import * as api from './api.js';
import { t, nm, cite, fmtDate, fmtDateTime, fmtSpan } from './i18n.js';
import { session, can, loadOrgs } from './session.js';
import { setQuery } from './router.js';
import { pageHeader, tabs, statusLine, toast, busy, overdueBadge, badge, dropZone, fileLine, loading, empty, notice } from './ui.js';
import { complianceTable } from './page-dashboard.js';

export async function render(ctx) {
  const { main, query } = ctx;
  main.append(pageHeader(t('duty.title')), h('p.lead', t('duty.lead')));
  const items = [{ code: 'mine', label: can('duties.all') ? t('duty.tab_all') : t('duty.tab_mine') }];
  if (can('compliance')) items.push({ code: 'compliance', label: t('duty.tab_compliance') });
  const sel = items.some((i) => i.code === query.get('tab')) ? query.get('tab') : 'mine';
  main.append(tabs(items, sel, (code, panel) => {
    setQuery({ tab: code === 'mine' ? '' : code });
    if (code === 'compliance') compliance(panel, ctx); else duties(panel, ctx);
  }, t('duty.title')));
}

async function duties(panel, ctx) {
  const me = session.me;
  const all = can('duties.all');
  const orgs = all ? await loadOrgs().catch(() => []) : [];
  const status = select([
    { value: 'pending', label: t('duty.s_pending') }, { value: 'overdue', label: t('duty.s_overdue') },
    { value: 'done', label: t('duty.s_done') },
  ], { id: 'd-status', value: 'pending', empty: t('common.all') });
  const org = all ? select(orgs.map((o) => ({ value: o.id, label: o.name })), { id: 'd-org', value: me.org_id, empty: t('duty.all_orgs') }) : null;
  const form = h('form.filters.inline', { novalidate: true }, field(t('duty.status'), status), org ? field(t('duty.org'), org) : null,
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('list.apply')));
  const box = h('div.calendar', { id: 'duty-list' });
  panel.append(form, box);
  async function load() {
    clear(box);
    box.append(loading());
    const res = await api.get('/duties', { status: status.value, org: org ? org.value : '' });
    if (!ctx.alive()) return;
    clear(box);
    const rows = res.items.slice().sort((a, b) => a.due_at.localeCompare(b.due_at));
    if (!rows.length) { box.append(empty(t('duty.none'))); return; }
    // month by month, like a calendar
    const months = new Map();
    for (const r of rows) {
      const d = fmtDate(r.due_at);
      const key = d.slice(3);
      if (!months.has(key)) months.set(key, []);
      months.get(key).push(r);
    }
    for (const [month, list] of months) {
      const sec = h('section.month', { 'aria-label': t('duty.month', { m: month }) }, h('h3.month-h', t('duty.month', { m: month })));
      const ul = h('ul.duties');
      for (const r of list) ul.append(dutyRow(r, !!org && (!org.value || +org.value !== me.org_id), load));
      sec.append(ul);
      box.append(sec);
    }
  }
  form.addEventListener('submit', async (e) => { e.preventDefault(); await load(); });
  await load();
}

function dutyRow(r, showOrg, reload) {
  const left = (new Date(r.due_at).getTime() - Date.now()) / 1000;
  const st = r.status === 'done'
    ? badge(t('duty.s_done'), 'met')
    : r.status === 'cancelled' ? badge(t('duty.s_cancelled'), '')
      : r.overdue ? overdueBadge() : badge(t('clock.left', { span: fmtSpan(left) }), 'running');
  const li = h('li', { class: 'duty' + (r.overdue ? ' row-overdue' : ''), id: 'duty-' + r.id },
    h('div.duty-date', h('span.duty-day', fmtDate(r.due_at).slice(0, 5)), h('span.muted', fmtDate(r.due_at).slice(6))),
    h('div.duty-body',
      h('p.duty-name', nm(r) || r.duty, r.system_name ? h('span.muted', ' — ', r.system_name) : null),
      showOrg ? h('p.duty-org', r.org_name) : null,
      nm(r, 'desc') ? h('details.duty-desc', h('summary', t('duty.details')), h('p', nm(r, 'desc')), cite(r) ? h('p.source', t('common.source'), ': ', cite(r)) : null) : (cite(r) ? h('p.source', t('common.source'), ': ', cite(r)) : null),
      r.status === 'done' ? h('p.duty-done', t('duty.done_by', { who: r.done_by_name || '', when: fmtDateTime(r.done_at) }), r.note ? h('span.prose.block', r.note) : null) : null,
      r.evidence ? h('p.muted', t('duty.evidence_n', { n: r.evidence })) : null),
    h('div.duty-state', st));
  if (r.status === 'pending' && can('duties.edit', r)) {
    const b = h('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { duty: r.id } }, t('duty.mark_done'));
    b.addEventListener('click', () => doneDialog(r, reload));
    li.querySelector('.duty-state').append(b);
  }
  return li;
}

function doneDialog(r, reload) {
  const files = [];
  const note = h('textarea', { id: 'dd-note', rows: 4, maxlength: '4000' });
  const list = h('ul.file-list');
  const zone = dropZone((fs) => { files.push(...fs); show(); }, { id: 'dd-files', label: t('duty.evidence_drop') });
  function show() { clear(list); for (const f of files) list.append(h('li', fileLine(f))); }
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'dd-ok' }, t('duty.mark_done'));
  const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
  const form = h('form', { method: 'dialog', novalidate: true },
    h('h2#dd-h', t('duty.done_title')),
    h('p', h('strong', nm(r) || r.duty), r.system_name ? ' — ' + r.system_name : '', ' · ', t('duty.due'), ': ', fmtDate(r.due_at)),
    r.evidence_kind ? h('p.hint', t('duty.evidence_kind'), ': ', r.evidence_kind) : null,
    field(t('duty.note'), note, { required: true, hint: t('duty.note_hint') }),
    h('p.group-label', t('duty.evidence')), zone, list, status,
    h('div.dialog-actions', cancel, ok));
  const d = h('dialog.dialog.wide', { 'aria-labelledby': 'dd-h' }, form);
  const close = () => { d.close(); d.remove(); };
  cancel.addEventListener('click', close);
  d.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!note.value.trim()) { setFieldError(note, t('form.required')); note.focus(); return; }
    await busy(ok, async () => {
      try {
        for (const f of files) await api.upload(`/duties/${r.id}/evidence`, f);
        await api.post(`/duties/${r.id}/done`, { note: note.value });
        close();
        toast(t('duty.marked'));
        reload();
      } catch (err) { status.set(err.text, 'error'); }
    });
  });
  document.body.append(d);
  d.showModal();
  note.focus();
}

async function compliance(panel, ctx) {
  const from = h('p.hint', t('duty.c_period'));
  panel.append(from, loading());
  let data;
  try { data = await api.get('/duties/compliance'); } catch (err) { clear(panel); panel.append(notice(err.text, 'error')); return; }
  if (!ctx.alive()) return;
  clear(panel);
  panel.append(from, complianceTable(data));
  const late = data.late || [];
  if (late.length) {
    panel.append(h('h3.sub', t('duty.c_late_list')), h('ul.plain.late-list', late.slice(0, 100).map((r) =>
      h('li', h('strong', r.org_name), ' — ', nm(r) || r.duty, ' · ', t('duty.due'), ': ', fmtDate(r.due_at), ' ',
        r.status === 'done' ? badge(t('duty.done_late_at', { when: fmtDate(r.done_at) }), 'late') : overdueBadge()))));
  }
}

