// page-incidents.js - the incident list: filters (state, severity, group, organisation, time,
// drill), free-text search (the server folds diacritics), keyset paging with next_cursor, client
// sorting of the loaded rows, overdue rows marked.

import { h, field, select } from './dom.js';
import * as api from './api.js';
import { t, nm, fmtDateTime, fmtSpan } from './i18n.js';
import { session, can, loadOrgs, presetItem } from './session.js';
import { setQuery } from './router.js';
import { pageHeader, table, severityBadge, stateBadge, tlpBadge, overdueBadge, drillBadge, statusLine, loading, busy } from './ui.js';
import { dateInput } from './forms.js';

const PAGE = 50;

export async function render(ctx) {
  const { main, query } = ctx;
  const p = session.preset;
  const orgs = await loadOrgs().catch(() => []);
  if (!ctx.alive()) return;

  main.append(pageHeader(t('list.title'), can('report') ? h('a', { class: 'btn btn-primary', href: '/incidents/new' }, t('nav.report')) : null));

  const q = h('input', { type: 'search', id: 'f-q', name: 'q', value: query.get('q') || '', placeholder: t('list.search_ph'), maxlength: '200' });
  const status = select(p.states.map((s) => ({ value: s.code, label: nm(s) })), { id: 'f-status', value: query.get('status'), empty: t('common.all') });
  const severity = select(p.severities.map((s) => ({ value: s.code, label: nm(s) })), { id: 'f-severity', value: query.get('severity'), empty: t('common.all') });
  const group = select(p.groups.map((s) => ({ value: s.code, label: nm(s) })), { id: 'f-group', value: query.get('group'), empty: t('common.all') });
  const org = select(orgs.map((o) => ({ value: o.id, label: o.name })), { id: 'f-org', value: query.get('org'), empty: t('common.all') });
  const from = dateInput({ id: 'f-from' });
  from.setIso(query.get('from') || '');
  const to = dateInput({ id: 'f-to' });
  to.setIso(query.get('to') || '');
  const drill = select([{ value: '0', label: t('list.drill_no') }, { value: '1', label: t('list.drill_only') }], { id: 'f-drill', value: query.get('drill'), empty: t('list.drill_all') });
  const status_ = statusLine();
  const apply = h('button', { type: 'submit', class: 'btn btn-primary' }, t('list.apply'));
  const reset = h('button', { type: 'button', class: 'btn', on: { click: () => { for (const c of [q, status, severity, group, org, from, to, drill]) c.value = ''; form.requestSubmit(); } } }, t('list.reset'));
  const form = h('form.filters', { role: 'search', 'aria-label': t('list.filters'), novalidate: true },
    h('div.filter-q', field(t('list.search'), q, { hint: t('list.search_hint') })),
    h('div.filter-grid',
      field(t('incident.status'), status),
      field(t('incident.severity'), severity),
      field(t('incident.group'), group),
      field(t('incident.org'), org),
      field(t('list.from'), from, { hint: t('form.date_hint') }),
      field(t('list.to'), to, { hint: t('form.date_hint') }),
      field(t('list.drill'), drill)),
    h('div.filter-actions', apply, reset), status_);
  main.append(form);

  const count = h('p.result-count', { role: 'status', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'btn', id: 'load-more', hidden: true }, t('list.more'));
  const now = Date.now();
  const tbl = table([
    { key: 'ref', label: t('incident.ref'), sort: (r) => r.id, render: (r) => h('a', { href: `/incidents/${r.id}` }, r.ref), cls: 'nowrap' },
    { key: 'title', label: t('incident.title'), sort: (r) => r.title.toLowerCase(), render: (r) => h('span', h('a.title-link', { href: `/incidents/${r.id}` }, r.title), r.is_drill ? [' ', drillBadge()] : null) },
    { key: 'org_name', label: t('incident.org'), sort: (r) => r.org_name || '', render: (r) => r.org_name || '' },
    { key: 'group', label: t('incident.group'), sort: (r) => r.group, render: (r) => { const g = presetItem('types', r.type) || presetItem('groups', r.group); return g ? nm(g) : r.type; } },
    { key: 'severity', label: t('incident.severity'), sort: (r) => (presetItem('severities', r.severity) || {}).rank || 0, render: (r) => severityBadge(r.severity) },
    { key: 'status', label: t('incident.status'), sort: (r) => (presetItem('states', r.status) || {}).rank || 0, render: (r) => stateBadge(r.status) },
    { key: 'tlp', label: 'TLP', sort: (r) => ['clear', 'green', 'amber', 'amber+strict', 'red'].indexOf(r.tlp), render: (r) => tlpBadge(r.tlp) },
    { key: 'detected_at', label: t('incident.detected'), sort: (r) => r.detected_at, render: (r) => fmtDateTime(r.detected_at), cls: 'nowrap' },
    {
      key: 'next_due_at', label: t('list.next_due'), sort: (r) => r.next_due_at || '', cls: 'nowrap',
      render: (r) => {
        const parts = [];
        if (r.next_due_at) {
          const left = (new Date(r.next_due_at).getTime() - now) / 1000;
          parts.push(fmtDateTime(r.next_due_at));
          if (left >= 0) parts.push(h('span.muted.block', t('clock.left', { span: fmtSpan(left) })));
        }
        if (r.overdue) parts.push(h('span.block', overdueBadge()));
        return parts.length ? h('span', parts) : '—';
      },
    },
  ], [], { caption: t('list.title'), rowClass: (r) => (r.overdue ? 'row-overdue' : ''), empty: t('list.none') });
  main.append(count, tbl, h('div.more', more));

  let cursor = null;
  let total = 0;
  function params() {
    const f = from.getIso(), tt = to.getIso();
    return {
      q: q.value.trim(), status: status.value, severity: severity.value, group: group.value, org: org.value,
      from: f || '', to: tt || '', drill: drill.value,
    };
  }
  async function load(append) {
    const f = params();
    const apiParams = { ...f, limit: PAGE };
    if (f.from) apiParams.from = `${f.from}T00:00:00+07:00`;
    if (f.to) apiParams.to = `${f.to}T23:59:59+07:00`;
    if (append && cursor) apiParams.cursor = cursor;
    const res = await api.get('/incidents', apiParams);
    if (!ctx.alive()) return;
    cursor = res.next_cursor;
    if (append) { tbl.addRows(res.items); total += res.items.length; } else { tbl.setRows(res.items); total = res.items.length; }
    more.hidden = !cursor;
    count.textContent = cursor ? t('list.count_more', { n: total }) : t('list.count', { n: total });
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status_.set('');
    if (from.getIso() === null) { status_.set(t('form.bad_date') + ' (' + t('list.from') + ')', 'error'); from.focus(); return; }
    if (to.getIso() === null) { status_.set(t('form.bad_date') + ' (' + t('list.to') + ')', 'error'); to.focus(); return; }
    setQuery(params());
    await busy(apply, async () => {
      try { await load(false); } catch (err) { status_.set(err.text, 'error'); }
    });
  });
  more.addEventListener('click', () => busy(more, async () => {
    try { await load(true); } catch (err) { status_.set(err.text, 'error'); }
  }));
  const l = loading();
  main.append(l);
  try { await load(false); } finally { l.remove(); }
}

