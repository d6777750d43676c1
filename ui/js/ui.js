// ui.js - shared widgets: badges (severity, state, TLP 2.0), notices, toasts, tabs, sortable
// tables, a file drop zone and a confirm dialog. Everything is built with dom.js (no innerHTML).

import { h, clear, button } from './dom.js';
import { t, nm, fmtSize } from './i18n.js';
import { presetItem } from './session.js';

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'];

// TLP 2.0 label: CLEAR white with black border, GREEN/AMBER/RED coloured text on black.
export function tlpBadge(tlp) {
  const v = String(tlp || 'amber').toLowerCase();
  const cls = 'tlp tlp-' + v.replace('+', '-');
  return h('span', { class: cls, title: t('tlp.' + v + '.help') }, 'TLP:' + v.toUpperCase());
}

export function severityBadge(code) {
  const item = presetItem('severities', code);
  const rank = item ? item.rank : 0;
  return h('span', { class: `badge sev sev-${Math.min(rank, 5)}` }, item ? nm(item) : code || '');
}

export function stateBadge(code) {
  const item = presetItem('states', code);
  const cls = item && item.final ? 'badge state state-final' : 'badge state';
  return h('span', { class: cls }, item ? nm(item) : code || '');
}

export function badge(text, kind = '') {
  return h('span', { class: 'badge ' + kind }, text);
}

export function overdueBadge() { return h('span.badge.overdue', t('common.overdue')); }
export function drillBadge() { return h('span.badge.drill', t('common.drill')); }

export function groupName(code) { const g = presetItem('groups', code); return g ? nm(g) : code || ''; }
export function typeName(code) { const g = presetItem('types', code); return g ? nm(g) : code || ''; }

export function pageHeader(title, ...actions) {
  return h('div.page-head', h('h1', title), actions.length ? h('div.page-actions', actions) : null);
}

export function notice(text, kind = 'info', { role } = {}) {
  const r = role || (kind === 'error' ? 'alert' : 'status');
  return h('div', { class: 'notice notice-' + kind, role: r }, text);
}

export function loading() { return h('p.loading', { role: 'status' }, t('common.loading')); }

export function empty(text) { return h('p.empty', text || t('common.empty')); }

// Replaces the content of `box` with an error notice for an ApiError (or any Error).
export function showError(box, err) {
  clear(box);
  box.append(notice(err && err.text ? err.text : String(err && err.message || err), 'error'));
}

// A line under a form that says what went wrong (or right); keeps focusable for screen readers.
export function statusLine() {
  const el = h('div.form-status', { role: 'status', 'aria-live': 'polite' });
  el.set = (text, kind = 'info') => {
    clear(el);
    if (text) el.append(notice(text, kind));
  };
  return el;
}

let toastBox = null;
export function toast(text, kind = 'ok') {
  if (!toastBox || !document.body.contains(toastBox)) {
    toastBox = h('div#toasts.toasts', { role: 'status', 'aria-live': 'polite' });
    document.body.append(toastBox);
  }
  const el = h('div', { class: 'toast toast-' + kind }, text);
  toastBox.append(el);
  setTimeout(() => el.remove(), 5000);
}

// Tabs with the ARIA tab pattern; onSelect(code) fills the panel.
export function tabs(items, selected, onSelect, label) {
  const list = h('div.tabs', { role: 'tablist', 'aria-label': label || '' });
  const panel = h('div.tab-panel', { role: 'tabpanel', tabindex: '0' });
  const btns = items.map((it) => {
    const b = h('button', {
      type: 'button', role: 'tab', id: 'tab-' + it.code, class: 'tab',
      'aria-selected': String(it.code === selected), tabindex: it.code === selected ? '0' : '-1',
      on: { click: () => choose(it.code, true) },
    }, it.label);
    return b;
  });
  function choose(code, focus) {
    for (const b of btns) {
      const on = b.id === 'tab-' + code;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on) { panel.setAttribute('aria-labelledby', b.id); if (focus) b.focus(); }
    }
    clear(panel);
    onSelect(code, panel);
  }
  list.addEventListener('keydown', (e) => {
    const i = btns.indexOf(document.activeElement);
    if (i < 0) return;
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % btns.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + btns.length) % btns.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = btns.length - 1;
    if (j >= 0) { e.preventDefault(); choose(items[j].code, true); }
  });
  list.append(...btns);
  const wrap = h('div.tabset', list, panel);
  wrap.choose = choose;
  queueMicrotask(() => choose(selected, false));
  return wrap;
}

// A table. columns: [{key, label, render(row) -> Node|string, sort(row) -> value, cls}].
// Sorting is client-side over the rows given (the API pages newest first).
export function table(columns, rows, { caption, rowClass, empty: emptyText, sortable = true, onSort, keep } = {}) {
  let sortKey = null;
  let dir = 1;
  const tbl = h('table.data', keep ? { class: 'keep' } : null);
  if (caption) tbl.append(h('caption.sr-only', caption));
  const thead = h('thead');
  const tr = h('tr');
  const tbody = h('tbody');
  for (const c of columns) {
    const th = h('th', { scope: 'col', class: c.cls || '' });
    if (sortable && c.sort) {
      const b = h('button.sort', { type: 'button', on: { click: () => sortBy(c, th) } }, c.label, h('span.sort-ind', { 'aria-hidden': 'true' }, ''));
      th.setAttribute('aria-sort', 'none');
      th.append(b);
    } else {
      th.append(c.label);
    }
    tr.append(th);
  }
  thead.append(tr);
  tbl.append(thead, tbody);
  function fill() {
    clear(tbody);
    if (!rows.length) {
      tbody.append(h('tr', h('td', { colspan: String(columns.length), class: 'empty' }, emptyText || t('common.empty'))));
      return;
    }
    for (const r of rows) {
      const row = h('tr', { class: rowClass ? rowClass(r) || '' : '' });
      for (const c of columns) {
        const v = c.render ? c.render(r) : r[c.key];
        row.append(h('td', { class: c.cls || '', 'data-label': c.label }, v === null || v === undefined ? '' : v));
      }
      tbody.append(row);
    }
  }
  function sortBy(c, th) {
    if (sortKey === c.key) dir = -dir; else { sortKey = c.key; dir = 1; }
    for (const x of tr.children) {
      const ind = x.querySelector('.sort-ind');
      if (!ind) continue;
      x.setAttribute('aria-sort', 'none');
      ind.textContent = '';
    }
    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    th.querySelector('.sort-ind').textContent = dir > 0 ? ' ▲' : ' ▼';
    rows.sort((a, b) => {
      const va = c.sort(a), vb = c.sort(b);
      if (va === vb) return 0;
      if (va === null || va === undefined || va === '') return 1;
      if (vb === null || vb === undefined || vb === '') return -1;
      return (va < vb ? -1 : 1) * dir;
    });
    fill();
    if (onSort) onSort(c.key, dir);
  }
  fill();
  const wrap = h('div.table-wrap', keep ? { class: 'keep' } : null, tbl);
  wrap.setRows = (newRows) => { rows = newRows; fill(); };
  wrap.addRows = (more) => { rows.push(...more); fill(); };
  return wrap;
}

// A drop zone for files: drag and drop or the (keyboard-usable) file picker. onFiles(File[]).
export function dropZone(onFiles, { label, multiple = true, id } = {}) {
  const inputId = id || 'file-' + Math.random().toString(36).slice(2, 8);
  const inp = h('input', { type: 'file', id: inputId, class: 'sr-only', multiple });
  const zone = h('div.dropzone',
    h('p', label || t('files.drop')),
    h('label', { for: inputId, class: 'btn' }, t('files.choose')),
    inp);
  inp.addEventListener('change', () => { if (inp.files.length) onFiles(Array.from(inp.files)); inp.value = ''; });
  inp.addEventListener('focus', () => zone.classList.add('focus'));
  inp.addEventListener('blur', () => zone.classList.remove('focus'));
  for (const ev of ['dragenter', 'dragover']) {
    zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.add('over'); });
  }
  for (const ev of ['dragleave', 'drop']) {
    zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.remove('over'); });
  }
  zone.addEventListener('drop', (e) => {
    const files = Array.from((e.dataTransfer && e.dataTransfer.files) || []);
    if (files.length) onFiles(files);
  });
  zone.input = inp;
  return zone;
}

export function fileLine(f) {
  return h('span', f.name, ' ', h('span.muted', '(' + fmtSize(f.size) + ')'));
}

// A modal confirm dialog (native <dialog>): resolves true or false.
export function confirmDialog(title, text, { ok, cancel, danger } = {}) {
  return new Promise((resolve) => {
    const okBtn = button(ok || t('common.ok'), { class: danger ? 'btn btn-danger' : 'btn btn-primary', value: 'ok' });
    const cancelBtn = button(cancel || t('common.cancel'), { class: 'btn', value: 'cancel' });
    const d = h('dialog.dialog', { 'aria-labelledby': 'dlg-title' },
      h('h2#dlg-title', title), text ? h('p', text) : null, h('div.dialog-actions', cancelBtn, okBtn));
    const done = (v) => { d.close(); d.remove(); resolve(v); };
    okBtn.addEventListener('click', () => done(true));
    cancelBtn.addEventListener('click', () => done(false));
    d.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(d);
    d.showModal();
    cancelBtn.focus();
  });
}

// A dialog showing a secret once (one-time password): the text can be selected and copied.
export function secretDialog(title, text, secret) {
  return new Promise((resolve) => {
    const okBtn = button(t('common.close'), { class: 'btn btn-primary' });
    const code = h('output.secret', { 'aria-label': title }, secret);
    const d = h('dialog.dialog', { 'aria-labelledby': 'sec-title' },
      h('h2#sec-title', title), h('p', text), code, h('div.dialog-actions', okBtn));
    okBtn.addEventListener('click', () => { d.close(); d.remove(); resolve(); });
    d.addEventListener('cancel', () => { d.remove(); resolve(); });
    document.body.append(d);
    d.showModal();
    okBtn.focus();
  });
}

// Disables a button while an async action runs; returns the action's result.
export async function busy(btn, fn) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try { return await fn(); } finally { btn.disabled = false; btn.removeAttribute('aria-busy'); }
}
