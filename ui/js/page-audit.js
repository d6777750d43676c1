// page-audit.js - the audit trail for auditors and admins: who did what and when, filtered by
// object type and user, keyset paging, each entry's before/after, and the hash-chain check.

import { h, clear, field, select } from './dom.js';
import * as api from './api.js';
import { t, fmtDateTime, fmtNumber } from './i18n.js';
import { setQuery } from './router.js';
import { pageHeader, table, statusLine, busy, loading, notice } from './ui.js';

const TYPES = ['incident', 'request', 'user', 'org', 'system', 'duty', 'token', 'settings', 'mail_quarantine'];

export async function render(ctx) {
  const { main, query } = ctx;
  const verifyBtn = h('button', { type: 'button', class: 'btn', id: 'audit-verify' }, t('audit.verify'));
  main.append(pageHeader(t('audit.title'), verifyBtn), h('p.lead', t('audit.lead')));
  const verifyBox = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  main.append(verifyBox);
  verifyBtn.addEventListener('click', () => busy(verifyBtn, async () => {
    clear(verifyBox);
    try {
      const v = await api.get('/audit/verify');
      verifyBox.append(v.intact
        ? notice(t('audit.intact', { n: fmtNumber(v.entries) }), 'ok')
        : notice(t('audit.broken', { n: fmtNumber(v.entries), id: v.first_broken_id }), 'error', { role: 'alert' }));
    } catch (err) { verifyBox.append(notice(err.text, 'error')); }
  }));

  const type = select(TYPES.map((x) => ({ value: x, label: t('audit.type.' + x) })), { id: 'a-type', value: query.get('object_type'), empty: t('common.all') });
  const user = h('input', { type: 'text', id: 'a-user', inputmode: 'numeric', value: query.get('user_id') || '', list: 'a-users', placeholder: t('audit.user_ph') });
  const users = h('datalist#a-users');
  const status = statusLine();
  const form = h('form.filters.inline', { novalidate: true }, field(t('audit.object_type'), type), field(t('audit.user'), user, { hint: t('audit.user_hint') }), users,
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('list.apply')), status);
  const more = h('button', { type: 'button', class: 'btn', id: 'audit-more', hidden: true }, t('list.more'));
  const tbl = table([
    { key: 'at', label: t('audit.at'), render: (r) => h('span.nowrap', fmtDateTime(r.at)), sort: (r) => r.at },
    { key: 'username', label: t('audit.user'), render: (r) => h('span', h('span.mono', r.username || '—'), r.user_id ? h('span.muted', ` #${r.user_id}`) : null), sort: (r) => r.username },
    { key: 'action', label: t('audit.action'), render: (r) => h('span.mono', r.action), sort: (r) => r.action },
    { key: 'object', label: t('audit.object'), render: (r) => objectCell(r), sort: (r) => r.object_type + r.object_id },
    { key: 'ip', label: 'IP', render: (r) => h('span.mono', r.ip || '') },
    { key: 'detail', label: t('audit.detail'), render: (r) => detailCell(r) },
  ], [], { caption: t('audit.title'), empty: t('audit.none') });
  main.append(form, tbl, h('div.more', more));
  const seen = new Map();
  let cursor = null;
  async function load(append) {
    const params = { object_type: type.value, user_id: /^\d+$/.test(user.value.trim()) ? user.value.trim() : '', limit: 100 };
    if (append && cursor) params.cursor = cursor;
    const res = await api.get('/audit', params);
    if (!ctx.alive()) return;
    cursor = res.next_cursor;
    if (append) tbl.addRows(res.items); else tbl.setRows(res.items);
    more.hidden = !cursor;
    for (const r of res.items) if (r.user_id && !seen.has(r.user_id)) { seen.set(r.user_id, r.username); users.append(h('option', { value: String(r.user_id) }, r.username)); }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.set('');
    if (user.value.trim() && !/^\d+$/.test(user.value.trim())) {
      const found = [...seen].find(([, n]) => n === user.value.trim());
      if (found) user.value = String(found[0]); else { status.set(t('audit.user_hint'), 'error'); return; }
    }
    setQuery({ object_type: type.value, user_id: user.value.trim() });
    try { await load(false); } catch (err) { status.set(err.text, 'error'); }
  });
  more.addEventListener('click', () => busy(more, async () => { try { await load(true); } catch (err) { status.set(err.text, 'error'); } }));
  const l = loading();
  main.append(l);
  try { await load(false); } finally { l.remove(); }
}

function objectCell(r) {
  const label = t('audit.type.' + r.object_type);
  const text = `${label === 'audit.type.' + r.object_type ? r.object_type : label} #${r.object_id}`;
  if (r.object_type === 'incident' && r.object_id) return h('a', { href: `/incidents/${r.object_id}` }, text);
  return text;
}

function detailCell(r) {
  if (!r.before && !r.after) return '';
  return h('details.audit-detail',
    h('summary', t('audit.show')),
    r.before ? [h('p.muted', t('audit.before')), h('pre', JSON.stringify(r.before, null, 2))] : null,
    r.after ? [h('p.muted', t('audit.after')), h('pre', JSON.stringify(r.after, null, 2))] : null,
    h('p.muted.small', 'hash ', h('code', (r.hash || '').slice(0, 16) + '…')));
}

