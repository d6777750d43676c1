// page-incident.js - one incident: summary, affected systems, where it stands in the procedure
// with only the steps the user may take now (incident.actions; a step that requires a form shows
// that form), deadlines and whether they were met, flags, coordination requests and answers,
// attachments with SHA-256, the journal, and comments.

import { h, clear, field, setFieldError, clearErrors, select, dl } from './dom.js';
import * as api from './api.js';
import { t, nm, cite, fmtDateTime, fmtSpan, fmtSize } from './i18n.js';
import { session, presetForm, presetItem, loadOrgs, orgName } from './session.js';
import { pageHeader, notice, table, tlpBadge, severityBadge, stateBadge, overdueBadge, drillBadge, badge, dropZone, statusLine, toast, busy, groupName, typeName, TLP_LEVELS } from './ui.js';
import { renderForm, formValues, dateTimeInput, controlForProblem } from './forms.js';
import { relatedSection } from './page-warning.js';

const REQUEST_KINDS = ['support', 'investigate', 'mobilise', 'notify', 'evidence'];
const ANSWERS = ['accepted', 'declined', 'done'];

function section(id, title, ...body) {
  return h('section', { class: 'panel', id, 'aria-labelledby': id + '-h' }, h('div.panel-head', h('h2', { id: id + '-h' }, title)), ...body);
}

function longText(s) { return s ? h('div.prose', s) : h('p.muted', '—'); }

export async function render(ctx) {
  const { main, params } = ctx;
  const id = params.id;
  const [etagged, journal, requests, attachments, documents, observables, related, told] = await Promise.all([
    api.getWithEtag(`/incidents/${encodeURIComponent(id)}`),
    api.get(`/incidents/${encodeURIComponent(id)}/journal`),
    api.get(`/incidents/${encodeURIComponent(id)}/requests`),
    api.get(`/incidents/${encodeURIComponent(id)}/attachments`),
    api.get(`/incidents/${encodeURIComponent(id)}/documents`).catch((e) => { if (e.status === 401) throw e; return { items: [], error: e }; }),
    api.get(`/incidents/${encodeURIComponent(id)}/observables`).catch(() => ({ items: [] })),
    api.get(`/incidents/${encodeURIComponent(id)}/related`).catch(() => ({ items: [], systems: [] })),
    api.get(`/incidents/${encodeURIComponent(id)}/told`),
  ]);
  await loadOrgs().catch(() => []);
  if (!ctx.alive()) return;
  const inc = etagged.data;
  const etag = etagged.etag;
  const me = session.me;
  const perm = inc.permissions || {};
  const reload = () => ctx.rerender();
  document.title = `${inc.ref} — ungcuu`;

  // ---- header ----
  const overdueNow = (inc.clocks || []).some((c) => c.state === 'overdue');
  main.append(h('nav.crumbs', { 'aria-label': t('common.breadcrumb') }, h('a', { href: '/incidents' }, t('list.title')), ' › ', inc.ref));
  main.append(pageHeader(inc.title));
  main.append(h('div.incident-badges', h('span.ref', inc.ref), severityBadge(inc.severity), stateBadge(inc.status), tlpBadge(inc.tlp),
    inc.is_drill ? drillBadge() : null, overdueNow ? overdueBadge() : null,
    ...(inc.flags || []).map((f) => badge(flagName(f), 'flag'))));

  const layout = h('div.incident-layout');
  const col = h('div.incident-main');
  const side = h('aside.incident-side', { 'aria-label': t('incident.side') });
  layout.append(col, side);
  main.append(layout);

  // ---- summary ----
  col.append(section('sec-summary', t('incident.summary'),
    dl([
      [t('incident.org'), inc.org_name],
      [t('incident.group'), groupName(inc.group)],
      [t('incident.type'), typeName(inc.type)],
      [t('incident.severity'), severityBadge(inc.severity)],
      [t('incident.detected'), fmtDateTime(inc.detected_at)],
      [t('incident.reported'), inc.reported_at ? fmtDateTime(inc.reported_at) : t('incident.not_reported')],
      [t('incident.closed'), inc.closed_at ? fmtDateTime(inc.closed_at) : ''],
      [t('incident.created'), fmtDateTime(inc.created_at)],
    ]),
    h('h3.sub', t('incident.description')), longText(inc.description),
    inc.impact ? [h('h3.sub', t('incident.impact')), longText(inc.impact)] : null,
    inc.actions_taken ? [h('h3.sub', t('incident.actions_taken')), longText(inc.actions_taken)] : null,
    formsDetails(inc),
    perm.edit ? editForm(inc, etag, reload) : null));

  // ---- observables and related items (docs/warnings.md) ----
  col.append(observablesSection(inc, observables.items || [], reload));
  col.append(relatedSection(related, 'sec-related'));

  // ---- procedure ----
  col.append(procedure(inc, journal.items || [], reload));

  // ---- official documents ----
  col.append(documentsSection(inc, documents, ctx));

  // ---- requests ----
  col.append(requestsSection(inc, requests.items || [], reload));

  // ---- journal ----
  col.append(journalSection(inc, journal.items || [], reload));

  // ---- side: clocks, systems, flags, attachments, organisations ----
  side.append(clocksSection(inc));
  side.append(toldSection(inc, told.items || [], attachments.items || [], reload));
  side.append(section('sec-systems', t('incident.systems'),
    (inc.systems || []).length
      ? h('ul.plain', (inc.systems || []).map((s) => h('li', h('strong', s.name), h('br'),
        h('span.muted', t('system.level_n', { n: s.level }), s.central_hosted ? ' · ' + t('system.central') : '', s.critical ? ' · ' + t('system.critical') : ''))))
      : h('p.muted', t('incident.no_systems'))));
  side.append(flagsSection(inc, reload));
  side.append(attachmentsSection(inc, attachments.items || [], journal.items || [], reload));
  side.append(section('sec-orgs', t('incident.participants'),
    h('ul.plain', h('li', h('strong', inc.org_name), ' — ', t('incident.owner_org')),
      (inc.orgs || []).map((o) => h('li', o.name, ' — ', t('incident.reason.' + o.reason))))));
  if ((inc.escalations || []).length) {
    side.append(section('sec-esc', t('incident.escalations'), h('ul.plain', inc.escalations.map((e) => h('li', e.rule, ' · ', fmtDateTime(e.fired_at))))));
  }
}

// The official documents (docs/documents.md): the report and closing report as PDF downloads
// (the session cookie authenticates the GET), and the list of the copies made so far, each with
// its reference (printed on every page) and the SHA-256 of the file.
export function docKindName(kind, fallback) {
  const key = 'doc.kind.' + kind;
  const s = t(key);
  if (s !== key) return s;
  const f = presetForm(kind);
  return f ? nm(f) : fallback || kind;
}

function documentsSection(inc, documents, ctx) {
  const base = `/api/v1/incidents/${encodeURIComponent(inc.id)}/documents`;
  const listBox = h('div.doc-list', { id: 'doc-list' });
  const fill = (res) => {
    clear(listBox);
    if (res.error) { listBox.append(notice(res.error.text, 'error')); return; }
    listBox.append(documentsTable(res.items || []));
  };
  let timers = [];
  const refresh = () => {
    for (const tm of timers) clearTimeout(tm);
    // the browser saves the file on its own: read the list again once the copy is recorded
    timers = [1200, 4000].map((ms) => setTimeout(async () => {
      if (!ctx.alive()) return;
      try { fill(await api.get(`/incidents/${encodeURIComponent(inc.id)}/documents`)); } catch { /* keep the old list */ }
    }, ms));
  };
  const st = presetItem('states', inc.status);
  const closed = !!(st && st.final);
  const link = (id, href, label, primary) => h('a', {
    id, href, download: '', 'data-external': '', class: primary ? 'btn btn-primary' : 'btn', on: { click: refresh },
  }, h('span.doc-icon', { 'aria-hidden': 'true' }, 'PDF'), label);
  const buttons = h('div.actions.doc-buttons', { id: 'doc-buttons' },
    link('doc-report', base + '/report.pdf', t('doc.report_pdf'), !closed),
    link('doc-closing', base + '/closing.pdf', t('doc.closing_pdf'), closed));
  fill(documents);
  return section('sec-documents', t('doc.title'),
    buttons,
    h('p.hint', t('doc.buttons_hint'), closed ? '' : ' ' + t('doc.closing_draft_hint')),
    h('h3.sub', t('doc.made')), listBox);
}

function documentsTable(items) {
  return table([
    { key: 'ref', label: t('doc.ref'), render: (r) => h('code.doc-ref', r.ref), sort: (r) => r.ref },
    { key: 'kind', label: t('doc.kind'), render: (r) => docKindName(r.kind), sort: (r) => r.kind },
    { key: 'sha256', label: 'SHA-256', render: (r) => h('code.sha-cell', r.sha256) },
    { key: 'who', label: t('doc.who'), render: (r) => r.created_by_name || (r.created_by ? '#' + r.created_by : t('doc.cli')), sort: (r) => r.created_by_name || '' },
    { key: 'created_at', label: t('doc.when'), render: (r) => fmtDateTime(r.created_at), sort: (r) => r.created_at },
  ], items, { caption: t('doc.made'), empty: t('doc.none'), sortable: true });
}

function flagName(code) {
  const f = presetItem('flags', code);
  return f ? nm(f) : code;
}

function formsDetails(inc) {
  const out = [];
  for (const [code, vals] of Object.entries(inc.form || {})) {
    const f = presetForm(code);
    if (!f || !vals || !Object.keys(vals).length) continue;
    out.push(h('details.form-details', { id: 'form-' + code }, h('summary', nm(f)), formValues(f, vals)));
  }
  return out.length ? h('div.forms', out) : null;
}

// Editing the main fields (PATCH with If-Match, so a change made meanwhile is not overwritten).
function editForm(inc, etag, reload) {
  const p = session.preset;
  const title = h('input', { type: 'text', id: 'e-title', value: inc.title, maxlength: '300', dataset: { field: 'title' } });
  const sev = select(p.severities.map((s) => ({ value: s.code, label: nm(s) })), { id: 'e-severity', value: inc.severity });
  const tlp = select(TLP_LEVELS.map((v) => ({ value: v, label: 'TLP:' + v.toUpperCase() })), { id: 'e-tlp', value: inc.tlp });
  const impact = h('textarea', { id: 'e-impact', rows: 3, dataset: { field: 'impact' } });
  impact.value = inc.impact || '';
  const actions = h('textarea', { id: 'e-actions', rows: 3, dataset: { field: 'actions_taken' } });
  actions.value = inc.actions_taken || '';
  const status = statusLine();
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
  const form = h('form.edit-form', { novalidate: true },
    h('div.grid', field(t('incident.title'), title, { wide: true }), field(t('incident.severity'), sev), field(t('incident.tlp'), tlp),
      field(t('incident.impact'), impact, { wide: true }), field(t('incident.actions_taken'), actions, { wide: true })),
    status, h('div.form-actions', save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    if (title.value.trim() !== inc.title) body.title = title.value.trim();
    if (sev.value !== inc.severity) body.severity = sev.value;
    if (tlp.value !== inc.tlp) body.tlp = tlp.value;
    if (impact.value !== (inc.impact || '')) body.impact = impact.value;
    if (actions.value !== (inc.actions_taken || '')) body.actions_taken = actions.value;
    if (!Object.keys(body).length) { status.set(t('common.nothing_changed'), 'info'); return; }
    await busy(save, async () => {
      try {
        await api.patch(`/incidents/${inc.id}`, body, { headers: etag ? { 'If-Match': etag } : {} });
        toast(t('common.saved'));
        reload();
      } catch (err) {
        status.set(err.status === 412 ? t('common.changed_meanwhile') : err.text, 'error');
      }
    });
  });
  return h('details.edit', { id: 'edit-incident' }, h('summary', t('incident.edit')), form);
}

// The procedure: the preset's states in order, where the incident is, and the steps allowed now.
function procedure(inc, journal, reload) {
  const p = session.preset;
  // the states the incident really went through (the journal's status entries)
  const visited = new Set([(p.states.find((s) => s.initial) || {}).code]);
  for (const j of journal) if (j.kind === 'status' && j.data && j.data.to) visited.add(j.data.to);
  const ol = h('ol.procedure', { 'aria-label': t('incident.procedure') });
  for (const s of p.states) {
    const li = h('li', { class: s.code === inc.status ? 'current' : visited.has(s.code) ? 'done' : '' },
      h('span.proc-step', String(s.rank)), h('span.proc-name', nm(s)));
    if (s.code === inc.status) li.setAttribute('aria-current', 'step');
    ol.append(li);
  }
  const actionsBox = h('div.actions', { id: 'proc-actions' });
  const panel = h('div.action-panel', { id: 'action-panel' });
  const acts = inc.actions || [];
  if (!acts.length) {
    const st = presetItem('states', inc.status);
    actionsBox.append(h('p.muted', st && st.final ? t('incident.finished') : t('incident.no_actions')));
  }
  for (const a of acts) {
    const b = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: a.action } }, nm(a));
    b.addEventListener('click', () => openAction(a));
    actionsBox.append(b);
  }
  function openAction(a) {
    clear(panel);
    const form = presetForm(a.requires);
    const note = h('textarea', { id: 'act-note', rows: 3, maxlength: '20000' });
    let fv = null;
    const status = statusLine();
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'act-confirm' }, t('incident.confirm_action', { name: nm(a) }));
    const cancel = h('button', { type: 'button', class: 'btn', on: { click: () => { clear(panel); actionsBox.querySelector(`[data-action="${a.action}"]`)?.focus(); } } }, t('common.cancel'));
    const f = h('form.action-form', { novalidate: true, 'aria-labelledby': 'act-h' },
      h('h3#act-h', nm(a)),
      cite(a) ? h('p.source', t('common.source'), ': ', cite(a)) : null,
      h('p.hint', t('incident.moves_to', { state: nm(presetItem('states', a.to) || { code: a.to }) })));
    if (form) {
      fv = renderForm(form, { ...defaultsFor(form.code, inc), ...((inc.form || {})[form.code] || {}) }, { idBase: 'act-' + form.code });
      f.append(h('h4.sub', nm(form)), cite(form) ? h('p.source', cite(form)) : null, fv.el);
    }
    f.append(field(t('incident.note'), note, { wide: true }), status, h('div.form-actions', cancel, ok));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (fv) {
        const bad = fv.validate();
        if (bad) { bad.focus(); status.set(t('form.fix_errors'), 'error'); return; }
      }
      const body = { action: a.action };
      if (note.value.trim()) body.note = note.value;
      if (fv) body.form = { [form.code]: fv.values() };
      await busy(ok, async () => {
        try {
          await api.post(`/incidents/${inc.id}/transitions`, body);
          toast(t('incident.action_done', { name: nm(a) }));
          reload();
        } catch (err) {
          status.set(err.text, 'error');
          const ctl = controlForProblem(f, err.field);
          if (ctl && err.field !== 'action') { setFieldError(ctl, err.text); ctl.focus(); }
        }
      });
    });
    panel.append(f);
    (f.querySelector('input, textarea, select') || note).focus();
  }
  return section('sec-procedure', t('incident.procedure'), ol,
    h('h3.sub', t('incident.actions_now')), actionsBox, panel);
}

// Sensible first values for a form from what the incident already says.
function defaultsFor(code, inc) {
  const sys = inc.systems || [];
  const common = {
    org_name: inc.org_name,
    incident_name: inc.title,
    description: inc.description,
    detected_at: inc.detected_at,
    system_name: sys.map((s) => s.name).join('; '),
    security_level: sys.length ? String(Math.max(...sys.map((s) => s.level))) : undefined,
    operator_unit: ((inc.form || {}).report || {}).operator_unit || (code === 'closing' ? inc.org_name : undefined),
    owner_body: ((inc.form || {}).report || {}).owner_body,
    report_number: inc.ref,
    report_date: inc.reported_at ? new Date(new Date(inc.reported_at).getTime() + 7 * 3600000).toISOString().slice(0, 10) : undefined,
    made_at: new Date().toISOString(),
  };
  const form = presetForm(code);
  const out = {};
  for (const f of form.fields) if (common[f.name] !== undefined && common[f.name] !== '') out[f.name] = common[f.name];
  return out;
}

function clockState(c) {
  const cls = { running: 'running', met: 'met', late: 'late', overdue: 'overdue', unmet: 'overdue' }[c.state] || '';
  let text = t('clock.state.' + c.state);
  if (c.state === 'running' && c.due_at) text += ' — ' + t('clock.left', { span: fmtSpan((new Date(c.due_at) - Date.now()) / 1000) });
  return h('span', { class: 'badge ' + cls }, text);
}

function clocksSection(inc) {
  const clocks = inc.clocks || [];
  const body = clocks.length
    ? h('ul.clocks', clocks.map((c) => h('li', { class: 'clock clock-' + c.state },
      h('span.clock-name', nm(c)),
      h('span.clock-line', t('clock.target'), ': ', t('clock.to_' + (c.target || 'other'))),
      h('span.clock-line', t('clock.due'), ': ', c.within === 0 ? t('clock.at_once_short') + ' (' + fmtDateTime(c.due_at) + ')' : fmtDateTime(c.due_at)),
      c.stopped_at ? h('span.clock-line', t('clock.stopped'), ': ', fmtDateTime(c.stopped_at)) : null,
      clockState(c),
      cite(c) ? h('span.source', t('common.source'), ': ', cite(c)) : null)))
    : h('p.muted', t('clock.none'));
  return section('sec-clocks', t('incident.clocks'), body);
}

function flagsSection(inc, reload) {
  const flags = session.preset.flags || [];
  const raised = inc.flags || [];
  const body = [];
  body.push(raised.length ? h('ul.plain', raised.map((f) => h('li', badge(flagName(f), 'flag')))) : h('p.muted', t('flag.none')));
  const available = flags.filter((f) => !raised.includes(f.code));
  if (inc.permissions && inc.permissions.edit && available.length) {
    const sel = select(available.map((f) => ({ value: f.code, label: nm(f) })), { id: 'flag-code', empty: t('form.choose') });
    const desc = h('p.hint', { id: 'flag-desc' });
    sel.addEventListener('change', () => { const f = flags.find((x) => x.code === sel.value); desc.textContent = f ? [nm(f, 'desc'), cite(f)].filter(Boolean).join(' — ') : ''; });
    const note = h('textarea', { id: 'flag-note', rows: 2 });
    const status = statusLine();
    const ok = h('button', { type: 'submit', class: 'btn' }, t('flag.raise'));
    const form = h('form', { novalidate: true }, field(t('flag.which'), sel), desc, field(t('incident.note'), note), status, h('div.form-actions', ok));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!sel.value) { setFieldError(sel, t('form.required')); sel.focus(); return; }
      await busy(ok, async () => {
        try {
          const body = { flag: sel.value };
          if (note.value.trim()) body.note = note.value;
          await api.post(`/incidents/${inc.id}/flags`, body);
          toast(t('flag.raised'));
          reload();
        } catch (err) { status.set(err.text, 'error'); }
      });
    });
    body.push(h('details', h('summary', t('flag.raise')), form));
  }
  return section('sec-flags', t('incident.flags'), ...body);
}

// Who was told of the incident, when and how (docs/presets.md "clocks"): the platform's
// notifications and the reports made outside it, the facts the deadlines above are met by; and,
// for those who take the procedure's steps, recording a letter, a fax or a call.
const TOLD_MEANS = ['letter', 'fax', 'phone', 'email', 'meeting'];

function toldSection(inc, items, files, reload) {
  const perm = inc.permissions || {};
  const body = [];
  if (!items.length) body.push(h('p.muted', t('told.none')));
  else {
    body.push(h('ul.plain.told', items.map((f) => h('li', { class: 'told-' + f.how },
      h('strong', f.org_name), ' (', t('role.org.' + f.role), ')', h('br'),
      h('span.muted', fmtDateTime(f.told_at), ' · ',
        f.how === 'notification' ? t('told.by_platform') : [t('told.how.' + f.how), f.ref ? ' ' + t('told.ref_no', { ref: f.ref }) : ''],
        f.recorded_by_name && f.how !== 'notification' ? [' · ', t('told.recorded_by'), ' ', f.recorded_by_name] : null),
      f.attachment_id ? h('div', t('told.evidence'), ': ', h('a', { href: `/api/v1/attachments/${f.attachment_id}`, download: f.attachment_name, 'data-external': '' }, f.attachment_name)) : null,
      f.note ? h('div.prose', f.note) : null))));
  }
  if (perm.transition) body.push(toldForm(inc, files, reload));
  return section('sec-told', t('told.title'), ...body);
}

function toldForm(inc, files, reload) {
  const orgs = (session.orgs || []).filter((o) => o.id !== inc.org_id && o.active !== false);
  const org = orgSelect(orgs, ['coordinator', 'national', 'superior', 'police', 'military', 'central_agency', 'isp', 'response_team', 'security_firm', 'member'], 'told-org');
  const how = select(TOLD_MEANS.map((m) => ({ value: m, label: t('told.how.' + m) })), { id: 'told-how', value: 'letter' });
  const ref = h('input', { id: 'told-ref', type: 'text', maxlength: '64', autocomplete: 'off', 'data-field': 'ref' });
  const at = dateTimeInput({ id: 'told-at' });
  const note = h('textarea', { id: 'told-note', rows: 2, maxlength: '2000', 'data-field': 'note' });
  const evidence = select(files.map((a) => ({ value: a.id, label: a.name })), { id: 'told-evidence', empty: t('told.evidence_none') });
  evidence.dataset.field = 'attachment_id';
  org.dataset.field = 'org_id';
  how.dataset.field = 'how';
  at.dataset.field = 'told_at';
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'told-submit' }, t('told.save'));
  const atField = field(t('told.at'), at, { required: true, hint: t('form.datetime_hint') });
  atField.replaceChild(at.wrapEl, at);
  at.wrapEl.prepend(at);
  const form = h('form.told-form', { novalidate: true },
    h('p.muted', t('told.hint')),
    field(t('told.org'), org, { required: true }), field(t('told.how'), how, { required: true }),
    field(t('told.ref'), ref, { hint: t('told.ref_hint') }), atField,
    field(t('told.evidence'), evidence, { hint: t('told.evidence_hint') }), field(t('told.note'), note),
    status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    let bad = null;
    if (!org.value) { setFieldError(org, t('form.required')); bad = bad || org; }
    if (how.value === 'letter' && !ref.value.trim()) { setFieldError(ref, t('told.ref_needed')); bad = bad || ref; }
    const when = at.getIso();
    if (!when) { setFieldError(at, when === '' ? t('form.required') : t('form.bad_datetime')); bad = bad || at; }
    if (bad) { bad.focus(); return; }
    const body = { org_id: +org.value, how: how.value, told_at: when };
    if (ref.value.trim()) body.ref = ref.value.trim();
    if (note.value.trim()) body.note = note.value;
    if (evidence.value) body.attachment_id = +evidence.value;
    await busy(ok, async () => {
      try {
        await api.post(`/incidents/${inc.id}/told`, body);
        toast(t('told.saved'));
        reload();
      } catch (err) {
        const c = controlForProblem(form, err.field);
        if (c) { setFieldError(c, err.text); c.focus(); } else status.set(err.text, 'error');
      }
    });
  });
  return h('details.new-told', { id: 'new-told' }, h('summary', t('told.new')), form);
}

function requestsSection(inc, items, reload) {
  const me = session.me;
  const perm = inc.permissions || {};
  const body = [];
  if (!items.length) body.push(h('p.muted', t('req.none')));
  const list = h('ul.requests');
  for (const r of items) {
    const overdue = r.status === 'open' && r.due_at && new Date(r.due_at) < new Date();
    const li = h('li', { class: 'request' + (overdue ? ' row-overdue' : ''), id: 'req-' + r.id },
      h('div.req-head', h('strong', r.from_name), ' → ', h('strong', r.to_name), ' ', badge(t('req.kind.' + r.kind), 'kind'), ' ',
        badge(t('req.status.' + r.status), 'req-' + r.status), overdue ? [' ', overdueBadge()] : null),
      h('div.req-meta', fmtDateTime(r.created_at), r.due_at ? [' · ', t('req.due'), ': ', fmtDateTime(r.due_at)] : null),
      h('div.prose', r.body),
      r.answer ? h('div.req-answer', h('span.muted', t('req.answer'), ' (', fmtDateTime(r.answered_at), '): '), h('div.prose', r.answer)) : null);
    if (r.to_org_id === me.org_id && perm.comment && (r.status === 'open' || r.status === 'accepted')) li.append(answerForm(r, reload));
    list.append(li);
  }
  if (items.length) body.push(list);
  if (perm.request) body.push(newRequestForm(inc, reload));
  return section('sec-requests', t('incident.requests'), ...body);
}

function answerForm(r, reload) {
  const name = 'ans-' + r.id;
  const group = h('div.choice-row', { role: 'radiogroup', 'aria-labelledby': name + '-l' });
  for (const a of ANSWERS) {
    if (a === 'accepted' && r.status === 'accepted') continue;
    const id = `${name}-${a}`;
    group.append(h('span.choice-inline', h('input', { type: 'radio', name, id, value: a }), h('label', { for: id }, t('req.status.' + a))));
  }
  const text = h('textarea', { id: name + '-text', rows: 3, maxlength: '4000' });
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, t('req.send_answer'));
  const form = h('form.answer-form', { novalidate: true },
    h('p.group-label', { id: name + '-l' }, t('req.your_answer')), group, field(t('req.answer_text'), text, { required: true }), status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const st = (group.querySelector('input:checked') || {}).value;
    if (!st) { status.set(t('req.choose_status'), 'error'); group.querySelector('input').focus(); return; }
    if (!text.value.trim()) { setFieldError(text, t('form.required')); text.focus(); return; }
    await busy(ok, async () => {
      try {
        await api.post(`/requests/${r.id}/answer`, { status: st, answer: text.value });
        toast(t('req.answered'));
        reload();
      } catch (err) { status.set(err.text, 'error'); }
    });
  });
  return form;
}

// A choice of organisations, those whose role comes first in roleOrder first, then by name.
function orgSelect(orgs, roleOrder, id) {
  const sorted = [...orgs].sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) || a.name.localeCompare(b.name, 'vi'));
  return select(sorted.map((o) => ({ value: o.id, label: `${o.name} (${t('role.org.' + o.role)})` })), { id, empty: t('form.choose') });
}

function newRequestForm(inc, reload) {
  const me = session.me;
  const orgs = (session.orgs || []).filter((o) => o.id !== me.org_id);
  const org = orgSelect(orgs, ['police', 'military', 'isp', 'response_team', 'security_firm', 'national', 'central_agency', 'superior', 'member'], 'rq-org');
  const kind = select(REQUEST_KINDS.map((k) => ({ value: k, label: t('req.kind.' + k) })), { id: 'rq-kind', value: 'support' });
  const text = h('textarea', { id: 'rq-body', rows: 3, maxlength: '4000' });
  const due = dateTimeInput({ id: 'rq-due', withNow: false });
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'rq-submit' }, t('req.send'));
  const dueField = field(t('req.due'), due, { hint: t('form.datetime_hint') });
  dueField.replaceChild(due.wrapEl, due);
  due.wrapEl.prepend(due);
  const form = h('form.request-form', { novalidate: true },
    h('div.grid', field(t('req.to'), org, { required: true }), field(t('req.kind'), kind, { required: true }),
      field(t('req.body'), text, { required: true, wide: true }), dueField),
    status, h('div.form-actions', ok));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    let bad = null;
    if (!org.value) { setFieldError(org, t('form.required')); bad = bad || org; }
    if (!text.value.trim()) { setFieldError(text, t('form.required')); bad = bad || text; }
    const d = due.getIso();
    if (d === null) { setFieldError(due, t('form.bad_datetime')); bad = bad || due; }
    if (bad) { bad.focus(); return; }
    const body = { org_id: +org.value, kind: kind.value, body: text.value };
    if (d) body.due_at = d;
    await busy(ok, async () => {
      try {
        await api.call('POST', `/incidents/${inc.id}/requests`, { body, headers: { 'Idempotency-Key': api.idemKey() } });
        toast(t('req.sent'));
        reload();
      } catch (err) { status.set(err.text, 'error'); }
    });
  });
  return h('details.new-request', { id: 'new-request' }, h('summary', t('req.new')), form);
}

function attachmentsSection(inc, items, journal, reload) {
  const byAttachment = new Map();
  for (const j of journal) if (j.kind === 'attachment' && j.data) byAttachment.set(j.data.attachment_id, j);
  const body = [];
  if (!items.length) body.push(h('p.muted', t('files.none')));
  else {
    body.push(h('ul.files', items.map((a) => {
      const j = byAttachment.get(a.id);
      return h('li.file',
        h('a', { href: `/api/v1/attachments/${a.id}`, download: a.name, 'data-external': '' }, a.name),
        h('span.muted', ` · ${fmtSize(a.size)} · ${fmtDateTime(a.created_at)}`, j ? ` · ${j.author_name}` : ''),
        h('span.sha', h('abbr', { title: 'SHA-256' }, 'SHA-256'), ': ', h('code', a.sha256)));
    })));
  }
  if (inc.permissions && inc.permissions.comment) {
    const status = statusLine();
    const zone = dropZone(async (files) => {
      status.set(t('files.uploading'), 'info');
      const problems = [];
      for (const f of files) {
        try { await api.upload(`/incidents/${inc.id}/attachments`, f); } catch (err) { problems.push(`${f.name}: ${err.text}`); }
      }
      if (problems.length) status.set(problems.join(' · '), 'error');
      else { toast(t('files.uploaded', { n: files.length })); reload(); }
    }, { id: 'att-input' });
    body.push(zone, status);
  }
  return section('sec-files', t('incident.attachments'), ...body);
}

// Observables (IP, domain, URL, hash, e-mail): the list, adding one per line, and extracting
// those named in the description; the server validates and links related items.
function observablesSection(inc, items, reload) {
  const body = [];
  body.push(items.length
    ? h('ul.plain#obs-list', items.map((o) => h('li', h('span.badge', o.kind), ' ', h('code', o.value), h('span.muted', ' · ', t('obs.source.' + (o.source || 'api'))))))
    : h('p.muted#obs-list', t('obs.none')));
  if (inc.permissions && inc.permissions.comment) {
    const text = h('textarea', { id: 'obs-input', rows: 3, spellcheck: 'false', placeholder: '203.113.131.5\nevil.example.com' });
    const status = statusLine();
    const add = h('button', { type: 'submit', class: 'btn btn-primary', id: 'obs-add' }, t('obs.add'));
    const extract = h('button', { type: 'button', class: 'btn', id: 'obs-extract' }, t('obs.extract'));
    const form = h('form.obs-form', { novalidate: true }, field(t('obs.input'), text, { wide: true, hint: t('obs.hint') }), status, h('div.form-actions', extract, add));
    const send = (btn, body) => busy(btn, async () => {
      try {
        const r = await api.post(`/incidents/${inc.id}/observables`, body);
        toast(t('obs.added', { n: r.added.length }));
        reload();
      } catch (err) { status.set(err.text, 'error'); }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const vals = text.value.split('\n').map((l) => l.trim()).filter(Boolean);
      if (!vals.length) { setFieldError(text, t('form.required')); text.focus(); return; }
      send(add, { observables: vals });
    });
    extract.addEventListener('click', () => send(extract, { extract: true }));
    body.push(form);
  }
  return section('sec-observables', t('obs.title'), ...body);
}

function journalSection(inc, items, reload) {
  const ol = h('ol.timeline', { id: 'journal' });
  for (const j of items.slice().reverse()) ol.append(journalEntry(j));
  const body = [ol];
  if (inc.permissions && inc.permissions.comment) {
    const text = h('textarea', { id: 'comment-body', rows: 3, maxlength: '10000' });
    const status = statusLine();
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'comment-submit' }, t('journal.add'));
    const form = h('form.comment-form', { novalidate: true }, field(t('journal.comment'), text, { wide: true }), status, h('div.form-actions', ok));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!text.value.trim()) { setFieldError(text, t('form.required')); text.focus(); return; }
      await busy(ok, async () => {
        try {
          await api.call('POST', `/incidents/${inc.id}/journal`, { body: { body: text.value }, headers: { 'Idempotency-Key': api.idemKey() } });
          toast(t('journal.added'));
          reload();
        } catch (err) { status.set(err.text, 'error'); }
      });
    });
    body.unshift(form);
  }
  return section('sec-journal', t('incident.journal'), ...body);
}

function stateName(code) { const s = presetItem('states', code); return s ? nm(s) : code; }

function journalEntry(j) {
  const d = j.data || {};
  let what = null;
  switch (j.kind) {
    case 'status':
      what = h('span', d.from ? [stateName(d.from), ' → '] : null, h('strong', stateName(d.to)), cite(d) ? h('span.source', ' — ', t('common.source'), ': ', cite(d)) : null);
      break;
    case 'request':
      what = h('span', t('journal.asked'), ' ', h('strong', orgName(d.to_org_id)), d.kind ? [' — ', t('req.kind.' + d.kind)] : null);
      break;
    case 'answer':
      what = h('span', t('journal.answered'), ' ', badge(t('req.status.' + d.status), 'req-' + d.status));
      break;
    case 'attachment':
      what = h('span', d.name || j.body, d.sha256 ? h('code.sha-inline', ' SHA-256 ' + d.sha256.slice(0, 16) + '…') : null);
      break;
    case 'flag':
      what = h('span', badge(flagName(d.flag), 'flag'), cite(d) ? h('span.source', ' — ', t('common.source'), ': ', cite(d)) : null);
      break;
    case 'document':
      what = h('span', docKindName(d.form || '', d.form), d.ref ? [' · ', h('code.doc-ref', d.ref)] : null,
        d.sha256 ? h('code.sha-inline', ' SHA-256 ' + d.sha256.slice(0, 16) + '…') : null);
      break;
    case 'observables':
      what = h('span', (d.observables || []).map((o) => `${o.kind} ${o.value}`).join(', '));
      break;
    case 'update':
      what = d.changed && d.changed.length ? h('span', t('journal.changed'), ' ', d.changed.map((k) => t('field.' + k)).join(', ')) : null;
      break;
    default:
      break;
  }
  const showBody = j.body && !(j.kind === 'attachment' && d.name === j.body) && !(j.kind === 'flag' && !j.body) && !(j.kind === 'document' && d.ref);
  return h('li', { class: 'tl tl-' + j.kind },
    h('div.tl-head', h('span', { class: 'tl-kind' }, t('journal.kind.' + j.kind)), ' ',
      h('time', { datetime: j.created_at }, fmtDateTime(j.created_at)), ' · ',
      h('span.tl-author', j.author_name || t('journal.system')), j.org_name ? h('span.muted', ' — ' + j.org_name) : null),
    what ? h('div.tl-what', what) : null,
    showBody ? h('div.prose', j.body) : null);
}

