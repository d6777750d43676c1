// page-reports.js - the official documents that are not of one incident (docs/documents.md): the
// half-year / yearly summary (TT 20/2017 Mẫu 05) as PDF, XLSX or CSV, the quarterly bulletin for
// the coordinator and auditors, and checking a copy: by the reference printed on it, or by the
// SHA-256 of the file, computed here in the browser (the file never leaves the machine).

import { h, clear, field, setFieldError, select, dl } from './dom.js';
import * as api from './api.js';
import { t, cite, fmtDateTime } from './i18n.js';
import { session, can, isCoordinator, loadOrgs } from './session.js';
import { pageHeader, notice, statusLine, busy, dropZone } from './ui.js';
import { dateInput } from './forms.js';
import { docKindName } from './page-incident.js';

const pad = (n) => String(n).padStart(2, '0');

// Today in Vietnam time: {y, m, d}.
function vnToday() {
  const d = new Date(Date.now() + 7 * 3600000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

const vn = (y, m, d) => `${pad(d)}/${pad(m)}/${y}`;

function panel(id, title, ...body) {
  return h('section', { class: 'panel', id, 'aria-labelledby': id + '-h' }, h('div.panel-head', h('h2', { id: id + '-h' }, title)), ...body);
}

// A download link that is off (no href) until its parameters are valid.
function docLink(id, label) {
  const a = h('a', { id, class: 'btn doc-link', download: '', 'data-external': '' }, h('span.doc-icon', { 'aria-hidden': 'true' }, label), t('reports.download'));
  a.setAttribute('aria-label', t('reports.download_as', { fmt: label }));
  a.setHref = (href) => {
    if (href) { a.href = href; a.removeAttribute('aria-disabled'); } else { a.removeAttribute('href'); a.setAttribute('aria-disabled', 'true'); }
  };
  return a;
}

function summaryPanel(orgs) {
  const today = vnToday();
  const half = today.m <= 6 ? 1 : 2;
  const from = dateInput({ id: 'sum-from' });
  const to = dateInput({ id: 'sum-to' });
  const set = (a, b) => { from.value = a; to.value = b; update(); };
  const shortcuts = h('div.shortcuts', { role: 'group', 'aria-label': t('reports.shortcuts') });
  const years = [today.y, today.y - 1];
  for (const y of years) {
    shortcuts.append(
      h('button', { type: 'button', class: 'btn btn-small', id: `sum-h1-${y}`, on: { click: () => set(vn(y, 1, 1), vn(y, 6, 30)) } }, t('reports.first_half', { y })),
      h('button', { type: 'button', class: 'btn btn-small', id: `sum-h2-${y}`, on: { click: () => set(vn(y, 7, 1), vn(y, 12, 31)) } }, t('reports.second_half', { y })),
      h('button', { type: 'button', class: 'btn btn-small', id: `sum-year-${y}`, on: { click: () => set(vn(y, 1, 1), vn(y, 12, 31)) } }, t('reports.whole_year', { y })));
  }
  let org = null;
  const fields = [field(t('reports.from'), from, { hint: t('form.date_hint') }), field(t('reports.to'), to, { hint: t('form.date_hint') })];
  if (isCoordinator()) {
    const list = (orgs || []).slice().sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    org = select(list.map((o) => ({ value: o.code || o.id, label: o.name })), { id: 'sum-org', empty: t('reports.whole_province') });
    fields.push(field(t('reports.org'), org, { hint: t('reports.org_hint') }));
  }
  const links = {
    pdf: docLink('sum-pdf', 'PDF'),
    xlsx: docLink('sum-xlsx', 'XLSX'),
    csv: docLink('sum-csv', 'CSV'),
  };
  const status = statusLine();
  function update() {
    const a = from.getIso();
    const b = to.getIso();
    setFieldError(from, a === null ? t('form.bad_date') : '');
    setFieldError(to, b === null ? t('form.bad_date') : '');
    let ok = a && b;
    if (ok && b < a) { setFieldError(to, t('reports.to_before_from')); ok = false; }
    status.set(ok ? '' : t('reports.need_dates'), 'info');
    for (const [fmt, link] of Object.entries(links)) {
      if (!ok) { link.setHref(''); continue; }
      const q = new URLSearchParams({ from: a, to: b });
      if (org && org.value) q.set('org', org.value);
      link.setHref(`/api/v1/reports/summary.${fmt}?${q}`);
    }
  }
  for (const el of [from, to]) el.addEventListener('input', update);
  if (org) org.addEventListener('change', update);
  // the current half-year, as the server does without dates
  if (half === 1) set(vn(today.y, 1, 1), vn(today.y, 6, 30)); else set(vn(today.y, 7, 1), vn(today.y, 12, 31));
  return panel('sec-summary-report', t('reports.summary'),
    h('p.hint', t('reports.summary_hint')),
    basisLine('summary'),
    org ? null : h('p.own-org', t('reports.own_org', { org: session.me.org_name || '' })),
    shortcuts,
    h('div.grid', fields),
    status,
    h('div.actions.doc-buttons', { id: 'sum-links' }, links.pdf, links.xlsx, links.csv));
}

// The legal basis the preset in force names for a document (GET /preset basis), as people write it.
function basisLine(key) {
  const b = ((session.preset || {}).basis || {})[key];
  return b && cite(b) ? h('p.source', t('common.source'), ': ', cite(b)) : null;
}

function bulletinPanel() {
  const today = vnToday();
  const years = [];
  for (let y = today.y; y >= today.y - 5; y--) years.push({ value: y, label: String(y) });
  const year = select(years, { id: 'bul-year', value: today.y });
  const quarter = select([1, 2, 3, 4].map((q) => ({ value: q, label: t('reports.quarter_n', { q }) })), { id: 'bul-quarter', value: Math.floor((today.m + 2) / 3) });
  const pdf = docLink('bul-pdf', 'PDF');
  const xlsx = docLink('bul-xlsx', 'XLSX');
  function update() {
    const q = new URLSearchParams({ year: year.value, quarter: quarter.value });
    pdf.setHref(`/api/v1/reports/bulletin.pdf?${q}`);
    xlsx.setHref(`/api/v1/reports/bulletin.xlsx?${q}`);
  }
  year.addEventListener('change', update);
  quarter.addEventListener('change', update);
  update();
  return panel('sec-bulletin', t('reports.bulletin'),
    h('p.hint', t('reports.bulletin_hint')),
    basisLine('bulletin'),
    h('div.grid', field(t('reports.year'), year), field(t('reports.quarter'), quarter)),
    h('div.actions.doc-buttons', { id: 'bul-links' }, pdf, xlsx));
}

async function sha256Hex(file) {
  const buf = await file.arrayBuffer();
  const dig = await crypto.subtle.digest('SHA-256', buf);
  return Array.from(new Uint8Array(dig), (b) => b.toString(16).padStart(2, '0')).join('');
}

function verifyResult(box, doc) {
  clear(box);
  const who = doc.created_by_name || t('doc.cli');
  box.append(notice(t('verify.found'), 'ok'),
    dl([
      [t('doc.kind'), docKindName(doc.kind, doc.kind_name)],
      [t('doc.ref'), h('code.doc-ref', doc.ref)],
      [t('verify.incident'), doc.incident_id ? h('a', { href: `/incidents/${doc.incident_id}` }, doc.incident_ref || '#' + doc.incident_id) : ''],
      [t('doc.who'), who],
      [t('doc.when'), fmtDateTime(doc.created_at)],
      ['SHA-256', h('code.sha-cell', doc.sha256)],
    ], 'facts verify-facts'));
}

function verifyPanel() {
  const result = h('div.verify-result', { id: 'verify-result', role: 'status', 'aria-live': 'polite' });
  const show = async (params, what) => {
    clear(result);
    result.append(h('p.loading', t('common.loading')));
    try {
      verifyResult(result, await api.get('/documents/verify', params));
    } catch (err) {
      clear(result);
      if (err.status === 404) result.append(notice(t('verify.not_found', { what }), 'warn'));
      else result.append(notice(err.text, 'error'));
    }
  };
  // by the reference printed on the copy (or a SHA-256 pasted)
  const ref = h('input', { type: 'text', id: 'verify-ref', autocomplete: 'off', spellcheck: 'false', maxlength: '80', placeholder: 'TL-XXXXXXXXXX' });
  const check = h('button', { type: 'submit', class: 'btn btn-primary', id: 'verify-submit' }, t('verify.check'));
  const form = h('form.verify-form', { novalidate: true }, field(t('verify.ref'), ref, { hint: t('verify.ref_hint') }), h('div.form-actions', check));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = ref.value.trim();
    setFieldError(ref, '');
    let params = null;
    if (/^[0-9a-f]{64}$/i.test(v)) params = { sha256: v.toLowerCase() };
    else if (/^TL-[0-9A-Z]{6,40}$/i.test(v)) params = { ref: v.toUpperCase() };
    if (!params) { setFieldError(ref, t('verify.bad_ref')); ref.focus(); return; }
    await busy(check, () => show(params, v));
  });
  // by the file itself: its SHA-256, computed here (drop it or pick it)
  const hashLine = h('p.sha', { id: 'verify-hash' });
  const byFile = async (files) => {
    const f = files[0];
    clear(hashLine);
    clear(result);
    if (!f) return;
    if (!(window.crypto && crypto.subtle)) { result.append(notice(t('verify.no_subtle'), 'error')); return; }
    result.append(h('p.loading', t('verify.hashing')));
    let hex;
    try { hex = await sha256Hex(f); } catch (err) { clear(result); result.append(notice(String(err.message || err), 'error')); return; }
    hashLine.append(f.name, ' · SHA-256: ', h('code', hex));
    try {
      verifyResult(result, await api.get('/documents/' + hex));
    } catch (err) {
      clear(result);
      if (err.status === 404) result.append(notice(t('verify.not_found', { what: f.name }), 'warn'));
      else result.append(notice(err.text, 'error'));
    }
  };
  const zone = dropZone(byFile, { id: 'verify-file', multiple: false, label: t('verify.drop') });
  return panel('sec-verify', t('verify.title'),
    h('p.hint', t('verify.hint')),
    h('div.verify-grid', form,
      h('div.verify-file', h('p.group-label', t('verify.file')), zone, h('p.hint', t('verify.file_hint')), hashLine)),
    result);
}

export async function render(ctx) {
  const { main } = ctx;
  document.title = t('reports.title') + ' — ungcuu';
  const orgs = isCoordinator() ? await loadOrgs().catch(() => []) : [];
  if (!ctx.alive()) return;
  main.append(pageHeader(t('reports.title')));
  main.append(h('p.lead', t('reports.lead')));
  main.append(summaryPanel(orgs));
  if (can('bulletin')) main.append(bulletinPanel());
  main.append(verifyPanel());
}
