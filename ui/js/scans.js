// scans.js - the findings of an information system's vulnerability scans (docs/scan.md), shown
// under the system on the systems page: upload a Greenbone/OpenVAS or Nmap XML report, the
// findings table (severity, CVE, host:port, first and last seen, status) and status changes
// with a note. Text nodes only (strict CSP).

import { h, clear, field, select, setFieldError } from './dom.js';
import * as api from './api.js';
import { t, fmtDate, fmtDateTime } from './i18n.js';
import { session, hasRole, isCoordinator } from './session.js';
import { table, statusLine, toast, busy, badge, dropZone, loading, notice } from './ui.js';

const SEV_CLASS = { none: 'sev-0', unknown: 'sev-1', low: 'sev-2', medium: 'sev-3', high: 'sev-4', critical: 'sev-5' };
const SEV_RANK = { none: 0, unknown: 1, low: 2, medium: 3, high: 4, critical: 5 };
const STATUSES = ['open', 'fixed', 'accepted_risk', 'false_positive'];

// The server decides again: handlers of the owner or operator, of the coordinator, and of the
// police for critical systems.
function canChange(sys) {
  const me = session.me;
  if (!me || !hasRole('officer', 'leader', 'operator')) return false;
  const mine = sys.owner_org_id === me.org_id || sys.operator_org_id === me.org_id;
  return mine || isCoordinator() || (sys.critical && me.org_role === 'police');
}

function sevBadge(code) {
  return h('span', { class: 'badge sev ' + (SEV_CLASS[code] || 'sev-1') }, t('scan.sev.' + code));
}

function statusBadge(code) {
  const kind = { open: 'late', fixed: 'met', accepted_risk: 'kind', false_positive: 'kind' }[code] || '';
  return badge(t('scan.status.' + code), kind);
}

export function findingsPanel(sys) {
  const editable = canChange(sys);
  const filter = select(STATUSES.map((s) => ({ value: s, label: t('scan.status.' + s) })), { id: 'f-status', value: 'open', empty: t('common.all') });
  const box = h('div', { id: 'findings' });
  const scansBox = h('div', { id: 'scans' });
  const status = statusLine();
  status.id = 'scan-status';
  const panel = h('section.panel', { 'aria-labelledby': 'scan-h' },
    h('h2#scan-h', t('scan.title')),
    h('p.hint', t('scan.lead')));
  if (editable) {
    const zone = dropZone((files) => upload(files[0]), { id: 'scan-file', label: t('scan.drop'), multiple: false });
    panel.append(zone, status);
  }
  panel.append(h('form.filters.inline', { novalidate: true, on: { submit: (e) => { e.preventDefault(); load(); } } },
    field(t('scan.status_label'), filter), h('button', { type: 'submit', class: 'btn' }, t('list.apply'))), box,
  h('h3.sub', t('scan.imports')), scansBox);

  async function upload(file) {
    if (!file) return;
    status.set(t('scan.uploading', { name: file.name }), 'info');
    try {
      const r = await api.call('POST', `/systems/${sys.id}/scans`, { body: file, params: { name: file.name }, headers: { 'Idempotency-Key': api.idemKey() } });
      const s = r.data;
      const msg = t('scan.imported', { n: s.results, created: s.new_count, seen: s.seen_count, closed: s.closed_count });
      status.set(msg + (s.duties && s.duties.length ? ' ' + t('scan.duty_done') : ''), 'ok');
      toast(msg);
      await load();
    } catch (err) {
      const errs = (err.problem && err.problem.errors) || [];
      status.set(err.text + (errs.length ? ' — ' + errs.slice(0, 3).map((e) => t('scan.item_error', { item: e.item, line: e.line, msg: e.message })).join('; ') : ''), 'error');
    }
  }

  async function load() {
    clear(box);
    box.append(loading());
    let res; let scans;
    try {
      [res, scans] = await Promise.all([api.get(`/systems/${sys.id}/findings`, { status: filter.value }), api.get(`/systems/${sys.id}/scans`, { limit: 20 })]);
    } catch (err) { clear(box); box.append(notice(err.text, 'error')); return; }
    clear(box);
    box.append(table([
      { key: 'severity', label: t('scan.severity'), sort: (r) => SEV_RANK[r.severity] * 100 + (r.cvss || 0), render: (r) => h('span', sevBadge(r.severity), r.cvss !== null && r.cvss !== undefined ? h('span.muted', ' ' + r.cvss.toFixed(1)) : null) },
      { key: 'title', label: t('scan.finding'), sort: (r) => r.title, render: (r) => h('span', h('span.block', r.title), r.cves.length ? h('span.muted.block.cves', r.cves.join(', ')) : null) },
      { key: 'host', label: t('scan.where'), sort: (r) => r.host + ':' + String(r.port).padStart(5, '0'), render: (r) => r.host + (r.port ? ':' + r.port : '') + (r.protocol ? '/' + r.protocol : '') },
      { key: 'first_seen_at', label: t('scan.first_seen'), sort: (r) => r.first_seen_at, render: (r) => fmtDate(r.first_seen_at) },
      { key: 'last_seen_at', label: t('scan.last_seen'), sort: (r) => r.last_seen_at, render: (r) => fmtDate(r.last_seen_at) },
      { key: 'status', label: t('scan.status_label'), sort: (r) => r.status, render: (r) => statusCell(r) },
    ], res.items, { caption: t('scan.title'), empty: t('scan.none') }));
    clear(scansBox);
    scansBox.append(scans.items.length ? h('ul.plain.scan-list', scans.items.map((s) => h('li',
      h('strong', s.name), ' — ', s.scanner, ', ', fmtDateTime(s.scanned_at), ': ',
      t('scan.imported', { n: s.results, created: s.new_count, seen: s.seen_count, closed: s.closed_count })))) : h('p.muted', t('scan.no_imports')));
  }

  function statusCell(r) {
    const cell = h('div.finding-status', { id: 'finding-' + r.id }, statusBadge(r.status));
    if (r.status_note) cell.append(h('span.muted.block', r.status_note));
    if (editable) {
      const b = h('button', { type: 'button', class: 'btn btn-small', dataset: { finding: r.id } }, t('scan.change'));
      b.addEventListener('click', () => statusDialog(r, load));
      cell.append(b);
    }
    return cell;
  }

  load();
  return panel;
}

function statusDialog(r, reload) {
  const sel = select(STATUSES.map((s) => ({ value: s, label: t('scan.status.' + s) })), { id: 'fs-status', value: r.status });
  const note = h('textarea', { id: 'fs-note', rows: 3, maxlength: '4000' });
  const status = statusLine();
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'fs-ok' }, t('common.save'));
  const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
  const form = h('form', { method: 'dialog', novalidate: true },
    h('h2#fs-h', t('scan.change_title')),
    h('p', h('strong', r.title), ' — ', r.host + (r.port ? ':' + r.port : '')),
    field(t('scan.status_label'), sel), field(t('scan.note'), note, { hint: t('scan.note_hint') }), status,
    h('div.dialog-actions', cancel, ok));
  const d = h('dialog.dialog', { 'aria-labelledby': 'fs-h' }, form);
  const close = () => { d.close(); d.remove(); };
  cancel.addEventListener('click', close);
  d.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if ((sel.value === 'accepted_risk' || sel.value === 'false_positive') && !note.value.trim()) {
      setFieldError(note, t('form.required'));
      note.focus();
      return;
    }
    await busy(ok, async () => {
      try {
        await api.patch(`/findings/${r.id}`, { status: sel.value, note: note.value }, { headers: { 'If-Match': `"v${r.version}"` } });
        close();
        toast(t('common.saved'));
        reload();
      } catch (err) { status.set(err.status === 412 ? t('common.changed_meanwhile') : err.text, 'error'); }
    });
  });
  document.body.append(d);
  d.showModal();
  sel.focus();
}
