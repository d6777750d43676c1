// page-directory.js - the directory of organisations and their contact points (đầu mối; 000
// Đ5.3a, Đ6.4a), searchable; a leader or officer keeps their own organisation's contact point
// current (PATCH with If-Match).

import { h, clear, field } from './dom.js';
import * as api from './api.js';
import { t, fmtDateTime } from './i18n.js';
import { session, can, loadOrgs } from './session.js';
import { pageHeader, statusLine, toast, busy, badge, empty, loading } from './ui.js';

const CONTACT = [
  ['contact_name', 'text', 128], ['phone', 'tel', 32], ['hotline', 'tel', 32], ['fax', 'tel', 32],
  ['email', 'email', 128], ['address', 'text', 300],
];

export async function render(ctx) {
  const { main, query } = ctx;
  main.append(pageHeader(t('dir.title')), h('p.lead', t('dir.lead')));
  const q = h('input', { type: 'search', id: 'dir-q', value: query.get('q') || '', placeholder: t('dir.search_ph'), maxlength: '200' });
  const form = h('form.filters.inline', { role: 'search', novalidate: true }, field(t('dir.search'), q), h('button', { type: 'submit', class: 'btn btn-primary' }, t('list.apply')));
  const count = h('p.result-count', { role: 'status', 'aria-live': 'polite' });
  const list = h('div.org-cards', { id: 'org-list' });
  main.append(form, count, list);
  const me = session.me;

  async function load() {
    clear(list);
    list.append(loading());
    const res = await api.get('/orgs', { q: q.value.trim() });
    if (!ctx.alive()) return;
    clear(list);
    count.textContent = t('dir.count', { n: res.items.length });
    const items = res.items.slice().sort((a, b) => (b.id === me.org_id) - (a.id === me.org_id) || a.name.localeCompare(b.name, 'vi'));
    if (!items.length) list.append(empty(t('dir.none')));
    for (const o of items) list.append(card(o));
  }

  function card(o) {
    const c = h('article.org-card', { id: 'org-' + o.id, 'aria-labelledby': `org-${o.id}-h` },
      h('h2', { id: `org-${o.id}-h` }, o.name, o.id === me.org_id ? [' ', badge(t('dir.mine'), 'mine')] : null),
      h('p.org-role', t('role.org.' + o.role), o.code ? h('span.muted', ' · ' + o.code) : null),
      contactList(o));
    if (can('org.edit', o.id)) {
      const edit = h('button', { type: 'button', class: 'btn btn-small', id: `org-${o.id}-edit` }, t('dir.edit'));
      edit.addEventListener('click', () => editCard(c, o));
      c.append(h('div.card-actions', edit));
    }
    return c;
  }

  function contactList(o) {
    const rows = [];
    const line = (label, value, href) => {
      if (!value) return;
      rows.push(h('div.fact', h('dt', label), h('dd', href ? h('a', { href, 'data-external': '' }, value) : value)));
    };
    line(t('dir.contact_name'), o.contact_name);
    line(t('dir.phone'), o.phone, 'tel:' + o.phone.replace(/[^\d+]/g, ''));
    if (o.hotline) {
      rows.push(h('div.fact', h('dt', t('dir.hotline')), h('dd', h('a', { href: 'tel:' + o.hotline.replace(/[^\d+]/g, ''), 'data-external': '' }, o.hotline), o.hotline_247 ? [' ', badge('24/7', 'h247')] : null)));
    }
    line(t('dir.fax'), o.fax);
    line(t('dir.email'), o.email, 'mailto:' + o.email);
    line(t('dir.address'), o.address);
    if (!rows.length) return h('p.muted', t('dir.no_contact'));
    return h('div.contact-box', h('dl.facts.contact', rows), h('p.muted.small', t('dir.updated', { when: fmtDateTime(o.updated_at) })));
  }

  async function editCard(c, o) {
    let data; let etag;
    try { ({ data, etag } = await api.getWithEtag(`/orgs/${o.id}`)); } catch (err) { toast(err.text, 'error'); return; }
    const inputs = {};
    const grid = h('div.grid');
    for (const [k, type, max] of CONTACT) {
      inputs[k] = h('input', { type, id: `o${o.id}-${k}`, value: data[k] || '', maxlength: String(max), name: k });
      grid.append(field(t('dir.' + k), inputs[k]));
    }
    inputs.hotline_247 = h('input', { type: 'checkbox', id: `o${o.id}-h247`, checked: !!data.hotline_247 });
    grid.append(h('div.field.check', inputs.hotline_247, h('label', { for: `o${o.id}-h247` }, t('dir.hotline_247'))));
    const status = statusLine();
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn', on: { click: () => c.replaceWith(card(o)) } }, t('common.cancel'));
    const form = h('form.org-edit', { novalidate: true, 'aria-label': t('dir.edit') + ': ' + o.name }, grid, status, h('div.form-actions', cancel, save));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = {};
      for (const [k] of CONTACT) if (inputs[k].value !== (data[k] || '')) body[k] = inputs[k].value.trim();
      if (inputs.hotline_247.checked !== !!data.hotline_247) body.hotline_247 = inputs.hotline_247.checked;
      if (!Object.keys(body).length) { status.set(t('common.nothing_changed'), 'info'); return; }
      await busy(save, async () => {
        try {
          const updated = await api.patch(`/orgs/${o.id}`, body, { headers: { 'If-Match': etag } });
          toast(t('common.saved'));
          await loadOrgs(true).catch(() => {});
          c.replaceWith(card(updated));
        } catch (err) {
          status.set(err.status === 412 ? t('common.changed_meanwhile') : err.text, 'error');
        }
      });
    });
    const body = c.querySelector('.contact-box, p.muted');
    if (body) body.replaceWith(form); else c.append(form);
    c.querySelector('.card-actions')?.remove();
    inputs.contact_name.focus();
  }

  form.addEventListener('submit', async (e) => { e.preventDefault(); await load(); });
  await load();
}
