// page-mail.js - the mail quarantine (docs/mail.md "Who may write in"): e-mail that
// `ungcuu mailgate` did not store, because the mail server did not vouch for its sender or the
// sender may not write where it was sent, waits here for the coordinator's operators and admins.
// They read each message and why it waits, and accept it (stored as the sender sent it) or
// reject it (kept, marked). The server decides who may, and audits every decision.

import { h, clear, field, select } from './dom.js';
import * as api from './api.js';
import { t, fmtDateTime, fmtSize } from './i18n.js';
import { setQuery } from './router.js';
import { pageHeader, table, statusLine, busy, loading, badge, confirmDialog } from './ui.js';

const STATUSES = ['pending', 'accepted', 'rejected', 'all'];

export async function render(ctx) {
  const { main, query } = ctx;
  const start = STATUSES.includes(query.get('status')) ? query.get('status') : 'pending';
  const status = select(STATUSES.map((s) => ({ value: s, label: t('mail.status.' + s) })), { id: 'mq-status', value: start });
  const result = statusLine();
  result.id = 'mq-result';
  const list = h('div#mq-list');
  const more = h('button', { type: 'button', class: 'btn', id: 'mq-more', hidden: true }, t('list.more'));
  main.append(pageHeader(t('mail.title')), h('p.lead', t('mail.lead')),
    h('form.filters.inline', { novalidate: true, on: { submit: (e) => e.preventDefault() } }, field(t('mail.show'), status)),
    result, list, h('div.more', more));

  const tbl = table([
    { key: 'received_at', label: t('mail.received'), sort: (r) => r.received_at, render: (r) => h('span.nowrap', fmtDateTime(r.received_at)) },
    { key: 'from_addr', label: t('mail.from'), sort: (r) => r.from_addr, render: senderCell },
    { key: 'subject', label: t('mail.subject'), render: (r) => messageCell(r) },
    { key: 'target', label: t('mail.target'), render: targetCell },
    { key: 'reason', label: t('mail.reason'), sort: (r) => r.reason, render: reasonCell },
    { key: 'status', label: t('mail.state'), render: (r) => stateCell(r, decide) },
  ], [], { caption: t('mail.title'), empty: t('mail.none') });
  list.append(tbl);

  let cursor = null;
  async function load(append) {
    const params = { status: status.value, limit: 50 };
    if (append && cursor) params.cursor = cursor;
    const res = await api.get('/mail/quarantine', params);
    if (!ctx.alive()) return;
    cursor = res.next_cursor;
    if (append) tbl.addRows(res.items); else tbl.setRows(res.items);
    more.hidden = !cursor;
  }

  async function decide(r, op, btn) {
    const where = r.kind === 'report' ? t('mail.as_report') : t('mail.in_incident', { ref: r.ref });
    const ok = await confirmDialog(t(op === 'accept' ? 'mail.accept' : 'mail.reject') + ' #' + r.id,
      t(op === 'accept' ? 'mail.accept_q' : 'mail.reject_q', { where }),
      { ok: t(op === 'accept' ? 'mail.accept' : 'mail.reject'), danger: op === 'reject' });
    if (!ok) return;
    await busy(btn, async () => {
      try {
        const d = await api.post(`/mail/quarantine/${r.id}/${op}`, {});
        result.set(op === 'accept' ? t('mail.accepted', { id: d.id, ref: d.result_ref || '' }) : t('mail.rejected', { id: d.id }), 'ok');
        await load(false);
      } catch (err) { result.set(err.text, 'error'); }
    });
  }

  status.addEventListener('change', async () => {
    setQuery({ status: status.value === 'pending' ? '' : status.value });
    result.set('');
    try { await load(false); } catch (err) { result.set(err.text, 'error'); }
  });
  more.addEventListener('click', () => busy(more, async () => { try { await load(true); } catch (err) { result.set(err.text, 'error'); } }));
  const l = loading();
  main.append(l);
  try { await load(false); } finally { l.remove(); }
}

function senderCell(r) {
  const who = r.sender_username
    ? h('span.muted', r.sender_username + (r.sender_org_name ? ' · ' + r.sender_org_name : ''))
    : h('span.muted', r.sender_org_name || t('mail.no_account'));
  return h('span', h('span.mono', r.from_addr || '—'), h('br'), who);
}

// The subject; opening it shows the message's text, read when asked for.
function messageCell(r) {
  const body = h('div.mq-body');
  const d = h('details.mq-message', h('summary', r.subject || t('mail.no_subject')), body,
    h('p.muted.small', t('mail.meta', { id: r.id, size: fmtSize(r.size), mid: r.message_id || '—' })));
  d.addEventListener('toggle', async () => {
    if (!d.open || body.dataset.loaded) return;
    body.dataset.loaded = '1';
    body.append(loading());
    try {
      const one = await api.get(`/mail/quarantine/${r.id}`);
      clear(body);
      body.append(h('pre', one.body || ''));
    } catch (err) {
      clear(body);
      body.append(h('p.error', err.text));
      delete body.dataset.loaded;
    }
  });
  return d;
}

function targetCell(r) {
  if (r.kind === 'report') return t('mail.new_report');
  return r.incident_id ? h('a', { href: `/incidents/${r.incident_id}` }, h('span.ref.nowrap', r.ref)) : r.ref;
}

function reasonCell(r) {
  const key = r.reason === 'not_allowed' ? `mail.reason.not_allowed.${r.kind}` : 'mail.reason.' + r.reason;
  const text = t(key);
  return h('span', text === key ? r.reason_text : text,
    r.auth ? h('span.muted.small', h('br'), t('mail.auth', { auth: r.auth })) : null);
}

function stateCell(r, decide) {
  if (r.status === 'pending') {
    const acc = h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-op': 'accept', 'data-id': String(r.id) }, t('mail.accept'));
    const rej = h('button', { type: 'button', class: 'btn btn-small', 'data-op': 'reject', 'data-id': String(r.id) }, t('mail.reject'));
    acc.addEventListener('click', () => decide(r, 'accept', acc));
    rej.addEventListener('click', () => decide(r, 'reject', rej));
    return h('span.actions', acc, ' ', rej);
  }
  const done = badge(t('mail.status.' + r.status), r.status === 'accepted' ? 'met' : 'late');
  const by = h('span.muted.small', h('br'), t('mail.decided', { who: r.decided_by_username || '—', when: fmtDateTime(r.decided_at) }));
  const to = r.result_incident_id ? [h('br'), h('a', { href: `/incidents/${r.result_incident_id}` }, r.result_ref || '#' + r.result_incident_id)] : null;
  return h('span', done, by, to, r.note ? h('span.muted.small', h('br'), r.note) : null);
}
