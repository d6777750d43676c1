// page-warning.js - one warning: what it says (indicators, references, products, actions, due
// date), the issuer's buttons (edit the draft, issue, close), the live tracking table for the
// issuer and the coordinator (per organisation: acknowledged, late, per-system status and why it
// matched), the target's answer (acknowledge, status per system with a note and evidence, open an
// incident for an affected system), and related incidents and warnings.

import { h, clear, field, select, dl } from './dom.js';
import * as api from './api.js';
import { t, fmtDate, fmtDateTime } from './i18n.js';
import { session } from './session.js';
import { navigate } from './router.js';
import { pageHeader, table, severityBadge, tlpBadge, badge, statusLine, busy, toast, confirmDialog } from './ui.js';
import { statusBadge } from './page-warnings.js';

const STATES = ['not_affected', 'affected', 'fixing', 'fixed', 'accepted_risk'];

function section(id, title, ...body) {
  return h('section', { class: 'panel', id, 'aria-labelledby': id + '-h' }, h('div.panel-head', h('h2', { id: id + '-h' }, title)), ...body);
}

function sysStatus(s) { return badge(t('warning.sys.' + s), 'sys-' + s); }

// "asset ← indicator: why" lines of warning_systems.matched.
function matchedList(matched) {
  if (!matched || !matched.length) return null;
  return h('ul.plain.matched', matched.map((m) => h('li', h('code', m.asset), ' ← ', h('code', m.indicator), ': ', h('span.muted', m.why))));
}

export async function render(ctx) {
  const { main, params } = ctx;
  const id = encodeURIComponent(params.id);
  const w = await api.get(`/warnings/${id}`);
  const perm = w.permissions || {};
  const [tracking, related, systems] = await Promise.all([
    perm.track && w.status !== 'draft' ? api.get(`/warnings/${id}/tracking`) : null,
    api.get(`/warnings/${id}/related`).catch(() => ({ items: [], systems: [] })),
    w.mine ? api.get('/systems') : null,
  ]);
  if (!ctx.alive()) return;
  const reload = () => ctx.rerender();
  document.title = `${w.ref} — ungcuu`;
  main.append(h('nav.crumbs', { 'aria-label': t('common.breadcrumb') }, h('a', { href: '/warnings' }, t('warning.title')), ' › ', w.ref));
  const acts = [];
  if (perm.edit && w.status === 'draft') {
    acts.push(h('a', { class: 'btn', href: `/warnings/${w.id}/edit`, id: 'w-edit' }, t('warning.edit')));
    const issue = h('button', { type: 'button', class: 'btn btn-primary', id: 'w-issue' }, t('warning.issue'));
    issue.addEventListener('click', async () => {
      if (!await confirmDialog(t('warning.issue_q'), t('warning.issue_text'), { ok: t('warning.issue') })) return;
      await busy(issue, async () => {
        try {
          const r = (await api.call('POST', `/warnings/${w.id}/issue`, { headers: { 'Idempotency-Key': api.idemKey() } })).data;
          toast(t('warning.issued_n', { targets: r.issued.targets, systems: r.issued.systems }));
          reload();
        } catch (err) { toast(err.text, 'error'); }
      });
    });
    acts.push(issue);
  }
  if (perm.edit && w.status === 'issued') {
    const close = h('button', { type: 'button', class: 'btn', id: 'w-close' }, t('warning.close'));
    close.addEventListener('click', async () => {
      if (!await confirmDialog(t('warning.close_q'), '', { ok: t('warning.close') })) return;
      await busy(close, async () => {
        try { await api.post(`/warnings/${w.id}/close`, {}); reload(); } catch (err) { toast(err.text, 'error'); }
      });
    });
    acts.push(close);
  }
  main.append(pageHeader(w.title, ...acts));
  main.append(h('div.incident-badges', h('span.ref', w.ref), severityBadge(w.severity), tlpBadge(w.tlp), statusBadge(w.status),
    w.mine && w.mine.late ? badge(t('warning.late'), 'overdue') : null));

  main.append(section('w-summary', t('warning.summary'),
    dl([
      [t('warning.issuer'), w.issuer_name],
      [t('warning.legal'), w.legal_basis],
      [t('warning.issued_at'), w.issued_at ? fmtDateTime(w.issued_at) : t('warning.status.draft')],
      [t('warning.due'), w.due_at ? fmtDateTime(w.due_at) : '—'],
      [t('warning.mode_label'), t('warning.mode.' + ((w.target && w.target.mode) || 'match'))],
    ]),
    h('h3.sub', t('warning.description')), w.description ? h('div.prose', w.description) : h('p.muted', '—'),
    h('h3.sub', t('warning.indicators')),
    (w.indicators || []).length ? h('ul.plain#w-ind-list', w.indicators.map((i) => h('li', h('span.badge', i.kind), ' ', h('code', i.value)))) : h('p.muted', '—'),
    (w.refs || []).length ? [h('h3.sub', t('warning.refs')), h('ul.plain', w.refs.map((r) => h('li', r.type === 'url' ? h('a', { href: r.value, rel: 'noopener noreferrer', target: '_blank' }, r.value) : r.value)))] : null,
    (w.products || []).length ? [h('h3.sub', t('warning.products')), h('ul.plain', w.products.map((x) => h('li', x.vendor, ' ', x.product, x.versions ? ' ' + x.versions : '')))] : null,
    w.actions ? [h('h3.sub', t('warning.actions')), h('div.prose', w.actions)] : null));

  if (w.mine) main.append(answerSection(w, systems ? systems.items : [], reload));
  if (tracking) main.append(trackingSection(w, tracking));
  main.append(relatedSection(related, 'w-related'));
}

function answerSection(w, systems, reload) {
  const mine = w.mine;
  const me = session.me;
  const body = [];
  const canAnswer = w.permissions && w.permissions.answer;
  body.push(dl([
    [t('warning.acked'), mine.acked_at ? `${fmtDateTime(mine.acked_at)} · ${mine.acked_by_name || ''}` : t('warning.not_acked')],
    [t('warning.responded'), mine.responded_at ? fmtDateTime(mine.responded_at) : '—'],
  ]));
  if (canAnswer && !mine.acked_at) {
    const ack = h('button', { type: 'button', class: 'btn btn-primary', id: 'w-ack' }, t('warning.ack'));
    ack.addEventListener('click', () => busy(ack, async () => {
      try { await api.post(`/warnings/${w.id}/ack`); toast(t('warning.acked')); reload(); } catch (err) { toast(err.text, 'error'); }
    }));
    body.push(h('div.form-actions', ack));
  }
  // matched systems first, then the organisation's other systems
  const rows = new Map();
  for (const s of mine.systems || []) rows.set(s.system_id, { ...s });
  for (const s of systems) {
    if ((s.owner_org_id === me.org_id || s.operator_org_id === me.org_id) && !rows.has(s.id)) rows.set(s.id, { system_id: s.id, name: s.name, status: 'unknown', matched: [] });
  }
  const list = h('ul.plain.w-systems');
  for (const s of rows.values()) list.append(systemAnswer(w, s, canAnswer, reload));
  body.push(h('h3.sub', t('warning.my_systems')), rows.size ? list : h('p.muted', t('incident.no_systems')));
  return section('w-mine', t('warning.my_answer'), ...body);
}

function systemAnswer(w, s, canAnswer, reload) {
  const sid = s.system_id;
  const li = h('li.w-system', { id: 'w-sys-' + sid }, h('strong', s.name), ' ', sysStatus(s.status),
    s.incident_id ? [' · ', h('a', { href: `/incidents/${s.incident_id}`, id: 'w-sys-inc-' + sid }, s.incident_ref || t('warning.incident'))] : null,
    matchedList(s.matched),
    s.evidence_name ? h('p', t('warning.evidence'), ': ', h('a', { href: `/api/v1/warnings/${w.id}/systems/${sid}/evidence`, download: s.evidence_name, 'data-external': '' }, s.evidence_name)) : null,
    s.note ? h('p.muted', s.note) : null);
  if (!canAnswer) return li;
  const st = select(STATES.map((x) => ({ value: x, label: t('warning.sys.' + x) })), { id: 'w-st-' + sid, value: s.status === 'unknown' ? '' : s.status, empty: t('form.choose') });
  const note = h('input', { type: 'text', id: 'w-note-' + sid, maxlength: '4000', value: s.note || '' });
  const file = h('input', { type: 'file', id: 'w-ev-' + sid });
  const status = statusLine();
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'w-save-' + sid }, t('warning.report'));
  const form = h('form.w-answer', { novalidate: true },
    h('div.grid', field(t('warning.sys_status'), st), field(t('warning.note'), note), field(t('warning.evidence'), file)),
    status, h('div.form-actions', save));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!st.value) { status.set(t('form.required'), 'error'); st.focus(); return; }
    busy(save, async () => {
      try {
        await api.put(`/warnings/${w.id}/systems/${sid}`, { status: st.value, note: note.value });
        if (file.files.length) await api.upload(`/warnings/${w.id}/systems/${sid}/evidence`, file.files[0]);
        toast(t('common.saved'));
        reload();
      } catch (err) { status.set(err.text, 'error'); }
    });
  });
  li.append(form);
  if (s.status === 'affected' && !s.incident_id) {
    const spawn = h('button', { type: 'button', class: 'btn', id: 'w-inc-' + sid }, t('warning.spawn'));
    spawn.addEventListener('click', () => busy(spawn, async () => {
      try {
        const inc = (await api.call('POST', `/warnings/${w.id}/systems/${sid}/incident`, { body: {}, headers: { 'Idempotency-Key': api.idemKey() } })).data;
        toast(t('warning.spawned', { ref: inc.ref }));
        navigate(`/incidents/${inc.id}`);
      } catch (err) { toast(err.text, 'error'); }
    }));
    li.append(h('div.form-actions', spawn));
  }
  return li;
}

function trackingSection(w, tr) {
  const c = tr.counts;
  return section('w-tracking', t('warning.tracking'),
    h('p#w-counts', t('warning.counts', { targets: c.targets, acked: c.acked, responded: c.responded, late: c.late })),
    table([
      { key: 'org', label: t('warning.org'), sort: (r) => r.org_name, render: (r) => h('span', r.org_name, h('span.muted.block', t('warning.reason.' + r.reason))) },
      { key: 'acked', label: t('warning.acked'), cls: 'nowrap', sort: (r) => r.acked_at || '', render: (r) => (r.acked_at ? fmtDateTime(r.acked_at) : badge(t('warning.not_acked'), 'warn')) },
      { key: 'late', label: t('warning.late_col'), sort: (r) => (r.late ? 1 : 0), render: (r) => h('span', r.late ? badge(t('warning.late'), 'overdue') : (r.responded_at ? badge(t('warning.responded'), 'yes') : '—'), r.escalated_at ? h('span.muted.block', t('warning.escalated'), ' ', fmtDate(r.escalated_at)) : null) },
      {
        key: 'systems', label: t('warning.systems'), render: (r) => (r.systems.length
          ? h('ul.plain', r.systems.map((s) => h('li', h('strong', s.name), ' ', sysStatus(s.status),
            s.incident_id ? [' · ', h('a', { href: `/incidents/${s.incident_id}` }, s.incident_ref || '#')] : null,
            s.evidence_name ? [' · ', h('a', { href: `/api/v1/warnings/${w.id}/systems/${s.system_id}/evidence`, download: s.evidence_name, 'data-external': '' }, s.evidence_name)] : null,
            s.note ? h('span.muted.block', s.note) : null, matchedList(s.matched))))
          : '—'),
      },
    ], tr.items, { caption: t('warning.tracking'), empty: t('warning.no_targets'), rowClass: (r) => (r.late ? 'row-overdue' : '') }));
}

// Related incidents and warnings (shared indicators) and systems whose assets match, with why.
export function relatedSection(rel, id) {
  const body = [];
  if (!(rel.items || []).length && !(rel.systems || []).length) body.push(h('p.muted', t('related.none')));
  if ((rel.items || []).length) {
    body.push(h('ul.plain', rel.items.map((i) => h('li',
      h('a', { href: (i.kind === 'warning' ? '/warnings/' : '/incidents/') + i.id }, i.ref), ' ',
      badge(t('related.' + i.kind)), ' ', i.title, h('span.muted.block', t('related.why'), ': ', i.why)))));
  }
  if ((rel.systems || []).length) {
    body.push(h('h3.sub', t('related.systems')), h('ul.plain', rel.systems.map((s) => h('li', h('strong', s.name), matchedList(s.matched)))));
  }
  return section(id, t('related.title'), ...body);
}
