// page-dashboard.js - the day's picture: open incidents by severity and state, requests waiting
// for an answer, deadlines about to run out, incidents per month by group (an SVG the server
// draws with cairo), and duty compliance by organisation (coordinator and auditors).

import { h } from './dom.js';
import * as api from './api.js';
import { t, nm, fmtDateTime, fmtDate, fmtSpan, fmtNumber, getLang } from './i18n.js';
import { session, can, isCoordinator, presetItem } from './session.js';
import { pageHeader, notice, loading, table, severityBadge, stateBadge, tlpBadge, overdueBadge, badge } from './ui.js';

const SOON = 72 * 3600 * 1000; // "about to expire": within three days

function panel(title, body, { id, wide, actions } = {}) {
  const hid = (id || 'p' + Math.random().toString(36).slice(2, 7)) + '-h';
  return h('section', { class: 'panel' + (wide ? ' wide' : ''), 'aria-labelledby': hid, id },
    h('div.panel-head', h('h2', { id: hid }, title), actions || null), body);
}

function tile(label, value, { kind, href, id } = {}) {
  const inner = [h('span.tile-value', value === null || value === undefined ? '–' : fmtNumber(value)), h('span.tile-label', label)];
  return href ? h('a', { class: 'tile ' + (kind || ''), href, id }, inner) : h('div', { class: 'tile ' + (kind || ''), id }, inner);
}

async function safe(p) {
  try { return await p; } catch (e) { if (e.status === 401) throw e; return { error: e }; }
}

// A count per preset item, in the preset's order; `year` adds the 12-month column.
function countTable(rows, list, caption, year) {
  const counts = new Map((rows || []).map((r) => [r.code, r.count]));
  const items = (session.preset[list] || []).filter((it) => !it.final && (counts.has(it.code) || (year && year.has(it.code))))
    .map((it) => ({ code: it.code, count: counts.get(it.code) || 0, year: year ? year.get(it.code) || 0 : 0 }));
  const cols = [
    { key: 'code', label: caption, render: (r) => (list === 'severities' ? severityBadge(r.code) : stateBadge(r.code)) },
    { key: 'count', label: t('dash.count_open'), cls: 'num', render: (r) => (r.count ? h('strong', fmtNumber(r.count)) : '0') },
  ];
  if (year) cols.push({ key: 'year', label: t('dash.count_year'), cls: 'num', render: (r) => fmtNumber(r.year) });
  return table(cols, items, { sortable: false, empty: t('dash.none_open'), keep: true });
}

// The open incidents (drills apart) the reader may see: the list's pages, at most 1 000 rows.
async function openIncidents() {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 5; i++) {
    const res = await api.get('/incidents', { limit: 200, drill: 0, cursor });
    items.push(...res.items);
    cursor = res.next_cursor;
    if (!cursor) break;
  }
  return { items };
}

function monthTable(byMonth) {
  const months = [...new Set(byMonth.map((r) => r.month))].sort();
  const groups = [...new Set(byMonth.map((r) => r.group))];
  const tbl = h('table.data.compact.keep');
  tbl.append(h('caption', t('dash.monthly_table')));
  const head = h('tr', h('th', { scope: 'col' }, t('dash.month')));
  for (const g of groups) { const it = presetItem('groups', g); head.append(h('th', { scope: 'col', class: 'num' }, it ? nm(it) : g)); }
  tbl.append(h('thead', head));
  const body = h('tbody');
  for (const m of months) {
    const [y, mo] = m.split('-');
    const tr = h('tr', h('th', { scope: 'row' }, `${mo}/${y}`));
    for (const g of groups) {
      const r = byMonth.find((x) => x.month === m && x.group === g);
      tr.append(h('td.num', r ? fmtNumber(r.count) : '0'));
    }
    body.append(tr);
  }
  tbl.append(body);
  return h('div.table-wrap.keep', tbl);
}

function requestsTable(items, box) {
  return table([
    { key: 'incident_ref', label: t('req.incident'), render: (r) => h('a', { href: `/incidents/${r.incident_id}` }, r.incident_ref || `#${r.incident_id}`), sort: (r) => r.incident_ref },
    { key: 'incident_title', label: t('incident.title'), render: (r) => r.incident_title || '' },
    { key: 'org', label: box === 'in' ? t('req.from') : t('req.to'), render: (r) => (box === 'in' ? r.from_name : r.to_name) },
    { key: 'kind', label: t('req.kind'), render: (r) => t('req.kind.' + r.kind) },
    { key: 'due_at', label: t('req.due'), render: (r) => (r.due_at ? fmtDateTime(r.due_at) : '—'), sort: (r) => r.due_at || '' },
  ], items, {
    empty: box === 'in' ? t('dash.no_requests_in') : t('dash.no_requests_out'),
    rowClass: (r) => (r.due_at && new Date(r.due_at) < new Date() ? 'row-overdue' : ''),
  });
}

function clocksTable(rows) {
  const now = Date.now();
  return table([
    { key: 'ref', label: t('incident.ref'), render: (r) => h('a', { href: `/incidents/${r.id}` }, r.ref), sort: (r) => r.ref },
    { key: 'title', label: t('incident.title'), render: (r) => r.title },
    { key: 'severity', label: t('incident.severity'), render: (r) => severityBadge(r.severity) },
    { key: 'org', label: t('incident.org'), render: (r) => r.org_name || '' },
    {
      key: 'next_due_at', label: t('dash.due'), sort: (r) => r.next_due_at || '',
      render: (r) => {
        if (!r.next_due_at) return r.overdue ? overdueBadge() : '—';
        const left = (new Date(r.next_due_at).getTime() - now) / 1000;
        return h('span', fmtDateTime(r.next_due_at), ' ', left < 0 ? overdueBadge() : h('span.muted', t('clock.left', { span: fmtSpan(left) })));
      },
    },
  ], rows, {
    empty: t('dash.no_clocks'),
    rowClass: (r) => (r.overdue ? 'row-overdue' : r.next_due_at && new Date(r.next_due_at).getTime() - now < SOON ? 'row-soon' : ''),
  });
}

export function complianceTable(data) {
  const rows = (data && data.orgs) || [];
  return table([
    { key: 'org_name', label: t('duty.org'), sort: (r) => r.org_name, render: (r) => r.org_name },
    { key: 'due', label: t('duty.c_due'), cls: 'num', sort: (r) => r.due, render: (r) => fmtNumber(r.due) },
    { key: 'done_on_time', label: t('duty.c_on_time'), cls: 'num', sort: (r) => r.done_on_time, render: (r) => fmtNumber(r.done_on_time || 0) },
    { key: 'done_late', label: t('duty.c_late'), cls: 'num', sort: (r) => r.done_late, render: (r) => fmtNumber(r.done_late || 0) },
    { key: 'overdue', label: t('duty.c_overdue'), cls: 'num', sort: (r) => r.overdue, render: (r) => (r.overdue ? h('strong.text-danger', fmtNumber(r.overdue)) : '0') },
    { key: 'pending', label: t('duty.c_pending'), cls: 'num', sort: (r) => r.pending, render: (r) => fmtNumber(r.pending || 0) },
    {
      key: 'rate', label: t('duty.c_rate'), cls: 'num',
      sort: (r) => rate(r),
      render: (r) => { const v = rate(r); return v === null ? '—' : `${v}%`; },
    },
  ], rows, { empty: t('duty.c_empty'), rowClass: (r) => (r.overdue ? 'row-overdue' : '') });
}

function rate(r) {
  const closed = (r.done_on_time || 0) + (r.done_late || 0) + (r.overdue || 0);
  return closed ? Math.round(((r.done_on_time || 0) * 100) / closed) : null;
}

export async function render(ctx) {
  const { main } = ctx;
  const me = session.me;
  const coord = isCoordinator();
  main.append(pageHeader(coord ? t('dash.title_coord') : t('dash.title_member', { org: me.org_name || '' }),
    can('report') ? h('a', { class: 'btn btn-primary', href: '/incidents/new' }, t('nav.report')) : null));
  const body = h('div.dash');
  main.append(body, loading());

  const [summary, list, reqIn, reqOut, compliance, duties] = await Promise.all([
    safe(api.get('/stats/summary', { drill: 0 })),
    safe(openIncidents()),
    safe(api.get('/requests', { box: 'in', status: 'open' })),
    coord ? safe(api.get('/requests', { box: 'out', status: 'open' })) : null,
    can('compliance') ? safe(api.get('/duties/compliance')) : null,
    !coord && can('duties') ? safe(api.get('/duties', { status: 'pending' })) : null,
  ]);
  if (!ctx.alive()) return;
  main.querySelector('.loading')?.remove();

  const finals = new Set((session.preset.states || []).filter((s) => s.final).map((s) => s.code));
  const openRows = list.error ? [] : list.items.filter((r) => !finals.has(r.status));
  const overdue = openRows.filter((r) => r.overdue);
  const statsOk = summary && !summary.error;

  // tiles
  const tiles = h('div.tiles');
  tiles.append(
    tile(t('dash.open'), openRows.length, { href: '/incidents', id: 'tile-open' }),
    tile(t('dash.overdue'), overdue.length, { kind: overdue.length ? 'alert' : '', href: '/incidents', id: 'tile-overdue' }),
    tile(box('in'), reqIn && !reqIn.error ? reqIn.items.length : null, { id: 'tile-req-in', kind: reqIn && !reqIn.error && reqIn.items.length ? 'alert' : '' }),
  );
  if (coord) tiles.append(tile(box('out'), reqOut && !reqOut.error ? reqOut.items.length : null, { id: 'tile-req-out' }));
  if (statsOk && summary.drills !== undefined) tiles.append(tile(t('dash.drills'), summary.drills, { kind: 'muted' }));
  body.append(tiles);

  // open incidents by severity and state: counted over the open rows of the list (the summary's
  // by_severity counts every incident of the last 12 months, shown beside for comparison)
  const grid = h('div.panels');
  const count = (key) => {
    const m = new Map();
    for (const r of openRows) m.set(r[key], (m.get(r[key]) || 0) + 1);
    return [...m].map(([code, c]) => ({ code, count: c }));
  };
  const year = statsOk ? new Map((summary.by_severity || []).map((r) => [r.code, r.count])) : null;
  grid.append(panel(t('dash.by_severity'), countTable(count('severity'), 'severities', t('incident.severity'), year), { id: 'p-sev' }));
  grid.append(panel(t('dash.by_status'), countTable(count('status'), 'states', t('incident.status')), { id: 'p-status' }));

  // clocks about to expire
  const now = Date.now();
  const soon = openRows.filter((r) => r.overdue || r.next_due_at);
  soon.sort((a, b) => (a.next_due_at || '9999').localeCompare(b.next_due_at || '9999'));
  grid.append(panel(t('dash.clocks'), h('div', h('p.hint', t('dash.clocks_hint')), clocksTable(soon.slice(0, 15))), { id: 'p-clocks', wide: true }));

  // requests
  if (reqIn && !reqIn.error) grid.append(panel(box('in'), requestsTable(reqIn.items, 'in'), { id: 'p-req-in', wide: true }));
  if (reqOut && !reqOut.error) grid.append(panel(box('out'), requestsTable(reqOut.items, 'out'), { id: 'p-req-out', wide: true }));
  if ((reqIn && reqIn.error) && coord) grid.append(panel(box('in'), notice(t('dash.unavailable'), 'info'), { id: 'p-req-in' }));

  // monthly chart (server-rendered SVG) with a table for screen readers and exact numbers
  const chartBox = h('div.chart');
  const img = h('img', { src: `/api/v1/stats/monthly.svg?months=12&lang=${getLang()}`, alt: t('dash.monthly_alt'), class: 'chart-img', id: 'monthly-chart', width: '960', height: '360' });
  img.addEventListener('error', () => { img.replaceWith(notice(t('dash.chart_unavailable'), 'info')); });
  chartBox.append(img);
  if (statsOk && summary.by_month && summary.by_month.length) {
    chartBox.append(h('details.chart-data', h('summary', t('dash.show_table')), monthTable(summary.by_month)));
  }
  grid.append(panel(t('dash.monthly'), chartBox, { id: 'p-monthly', wide: true }));

  // compliance
  if (compliance && !compliance.error) {
    grid.append(panel(t('dash.compliance'), h('div', h('p.hint', t('dash.compliance_hint')), complianceTable(compliance)), {
      id: 'p-compliance', wide: true, actions: h('a', { href: '/duties?tab=compliance' }, t('dash.more')),
    }));
  }
  // a member's own duties
  if (duties && !duties.error) {
    const items = duties.items.slice().sort((a, b) => a.due_at.localeCompare(b.due_at)).slice(0, 6);
    grid.append(panel(t('dash.my_duties'), table([
      { key: 'name', label: t('duty.name'), render: (r) => h('span', nm(r) || r.duty, r.system_name ? h('span.muted', ' — ' + r.system_name) : null) },
      { key: 'due_at', label: t('duty.due'), render: (r) => h('span', fmtDate(r.due_at), r.overdue ? [' ', overdueBadge()] : null) },
    ], items, { sortable: false, empty: t('duty.none'), rowClass: (r) => (r.overdue ? 'row-overdue' : '') }), {
      id: 'p-duties', wide: true, actions: h('a', { href: '/duties' }, t('dash.more')),
    }));
  }
  // the latest open incidents
  const latest = openRows.slice(0, 8);
  grid.append(panel(t('dash.latest'), table([
    { key: 'ref', label: t('incident.ref'), render: (r) => h('a', { href: `/incidents/${r.id}` }, r.ref) },
    { key: 'title', label: t('incident.title'), render: (r) => h('span', r.title, r.is_drill ? [' ', badge(t('common.drill'), 'drill')] : null) },
    { key: 'severity', label: t('incident.severity'), render: (r) => severityBadge(r.severity) },
    { key: 'status', label: t('incident.status'), render: (r) => stateBadge(r.status) },
    { key: 'tlp', label: 'TLP', render: (r) => tlpBadge(r.tlp) },
  ], latest, { sortable: false, empty: t('dash.none_open'), rowClass: (r) => (r.overdue ? 'row-overdue' : '') }), {
    id: 'p-latest', wide: true, actions: h('a', { href: '/incidents' }, t('dash.more')),
  }));
  body.append(grid);
  if (!statsOk) body.prepend(notice(t('dash.stats_missing'), 'info'));
}

function box(which) { return which === 'in' ? t('dash.requests_in') : t('dash.requests_out'); }
