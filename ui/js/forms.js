// forms.js - inputs for the preset's forms (GET /preset: forms[].fields with labels vi/en,
// types, required marks, sections, hints) and the date/time inputs used everywhere. Dates are
// typed as dd/mm/yyyy and times as HH:mm, Vietnam time, whatever the browser's locale.

import { h, field, setFieldError, nextId } from './dom.js';
import { t, nm, vnInputs, vnToIso, parseVnDate, isoDateToVn, fmtDate, fmtNumber } from './i18n.js';

// A date input (dd/mm/yyyy). getIso() -> 'yyyy-mm-dd' | '' | null (invalid).
export function dateInput({ value = '', id, label } = {}) {
  const el = h('input', {
    type: 'text', id: id || nextId('date'), inputmode: 'numeric', autocomplete: 'off',
    placeholder: t('form.date_placeholder'), maxlength: '10', class: 'in-date', value,
  });
  if (label) el.setAttribute('aria-label', label);
  el.getIso = () => {
    if (!el.value.trim()) return '';
    return parseVnDate(el.value);
  };
  el.setIso = (iso) => { el.value = iso ? (iso.length === 10 ? isoDateToVn(iso) : fmtDate(iso)) : ''; };
  return el;
}

// Date + time (Vietnam time). getIso() -> '...+07:00' | '' | null (invalid).
export function dateTimeInput({ value, id, withNow = true } = {}) {
  const parts = value ? vnInputs(value) : { date: '', time: '' };
  const date = dateInput({ value: parts.date, id: id || nextId('dt') });
  const time = h('input', {
    type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: t('form.time_placeholder'),
    maxlength: '5', class: 'in-time', value: parts.time, 'aria-label': t('form.time'),
  });
  const now = withNow ? h('button', { type: 'button', class: 'btn btn-small', on: { click: () => set(new Date()) } }, t('form.now')) : null;
  const wrap = h('span.datetime', date, time, now);
  function set(v) {
    const p = v ? vnInputs(v) : { date: '', time: '' };
    date.value = p.date;
    time.value = p.time;
    date.dispatchEvent(new Event('input', { bubbles: true }));
  }
  date.getIso = () => {
    if (!date.value.trim() && !time.value.trim()) return '';
    return vnToIso(date.value, time.value.trim() || '');
  };
  date.setIso = set;
  date.timeEl = time;
  date.wrapEl = wrap;
  return date;
}

function optionLabel(f, v) {
  const key = `form.option.${f.name}.${v}`;
  const s = t(key);
  return s === key ? v : s;
}

// One control for a preset field; the control carries getValue() and setValue().
export function controlFor(f, value, idBase) {
  const id = `${idBase}-${f.name}`;
  let c;
  switch (f.type) {
    case 'textarea':
      c = h('textarea', { id, rows: 3, maxlength: f.maxlen ? String(f.maxlen) : null, name: f.name });
      c.value = value ?? '';
      break;
    case 'date':
      c = dateInput({ id });
      c.setIso(value || '');
      c.getValue = () => c.getIso();
      break;
    case 'datetime':
      c = dateTimeInput({ id, value: value || '' });
      c.getValue = () => c.getIso();
      break;
    case 'int':
      c = h('input', { type: 'number', id, step: '1', inputmode: 'numeric', name: f.name });
      c.value = value ?? '';
      c.getValue = () => (c.value === '' ? '' : (Number.isInteger(+c.value) ? +c.value : null));
      break;
    case 'bool':
      c = h('input', { type: 'checkbox', id, name: f.name, checked: value === true });
      c.getValue = () => c.checked;
      break;
    case 'select':
      c = h('select', { id, name: f.name }, h('option', { value: '' }, t('form.choose')));
      for (const o of f.options || []) c.append(h('option', { value: o, selected: value === o }, optionLabel(f, o)));
      break;
    case 'email':
      c = h('input', { type: 'email', id, name: f.name, autocomplete: 'email', maxlength: f.maxlen ? String(f.maxlen) : null });
      c.value = value ?? '';
      break;
    case 'phone':
      c = h('input', { type: 'tel', id, name: f.name, autocomplete: 'tel', maxlength: f.maxlen ? String(f.maxlen) : null });
      c.value = value ?? '';
      break;
    default:
      c = h('input', { type: 'text', id, name: f.name, maxlength: f.maxlen ? String(f.maxlen) : null });
      c.value = value ?? '';
  }
  if (!c.getValue) c.getValue = () => c.value;
  c.dataset.field = f.name;
  return c;
}

function wrapField(f, c) {
  const hint = nm(f, 'hint') || '';
  if (f.type === 'bool') {
    const w = h('div.field.check', c, h('label', { for: c.id }, nm(f, 'label')));
    if (hint) w.append(h('p.hint', hint));
    w.append(h('p.field-error', { id: c.id + '-err', hidden: true }));
    c.setAttribute('aria-describedby', c.id + '-err');
    return w;
  }
  const target = c.wrapEl || c;
  const w = field(nm(f, 'label'), c, {
    hint: f.type === 'datetime' ? [hint, t('form.datetime_hint')].filter(Boolean).join(' — ') : (f.type === 'date' ? [hint, t('form.date_hint')].filter(Boolean).join(' — ') : hint),
    required: f.required, wide: f.type === 'textarea',
  });
  if (c.timeEl) c.timeEl.setAttribute('aria-label', t('form.time_of', { field: nm(f, 'label') }));
  if (target !== c) {
    // field() appended the date input alone: put the date+time group in its place
    w.replaceChild(target, c);
    target.prepend(c);
  }
  return w;
}

// Renders a preset form (sections as fieldsets). Returns {el, controls, values(), validate()}.
export function renderForm(form, values = {}, { idBase, only } = {}) {
  const base = idBase || 'form-' + form.code;
  const controls = {};
  const el = h('div.preset-form');
  const sections = form.sections && form.sections.length ? form.sections : [{ code: '', name_vi: '', name_en: '' }];
  const bySection = new Map(sections.map((s) => [s.code, []]));
  for (const f of form.fields) {
    if (only && !only(f)) continue;
    const key = bySection.has(f.section) ? f.section : sections[0].code;
    bySection.get(key).push(f);
  }
  for (const s of sections) {
    const fields = bySection.get(s.code);
    if (!fields.length) continue;
    const box = s.code ? h('fieldset.section', h('legend', nm(s))) : h('div.section');
    const grid = h('div.grid');
    for (const f of fields) {
      const c = controlFor(f, values[f.name], base);
      controls[f.name] = c;
      grid.append(wrapField(f, c));
    }
    box.append(grid);
    el.append(box);
  }
  function collect() {
    const out = {};
    for (const f of form.fields) {
      const c = controls[f.name];
      if (!c) continue;
      const v = c.getValue();
      if (v === '' || v === null || v === undefined) continue;
      out[f.name] = typeof v === 'string' ? v.replace(/\r\n/g, '\n') : v;
    }
    return out;
  }
  // Marks missing required and malformed values; returns the first bad control or null.
  function validate() {
    let first = null;
    for (const f of form.fields) {
      const c = controls[f.name];
      if (!c) continue;
      const v = c.getValue();
      let msg = '';
      if (v === null) msg = f.type === 'datetime' ? t('form.bad_datetime') : f.type === 'date' ? t('form.bad_date') : t('form.bad_value');
      else if (f.required && (v === '' || v === false && f.type !== 'bool')) msg = t('form.required');
      else if (f.type === 'email' && v && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) msg = t('form.bad_email');
      setFieldError(c, msg);
      if (msg && !first) first = c;
    }
    return first;
  }
  return { el, controls, values: collect, validate };
}

// Shows stored form values read-only, with the preset's labels.
export function formValues(form, values) {
  const d = h('dl.facts.form-values');
  for (const f of form.fields) {
    const v = values ? values[f.name] : undefined;
    if (v === undefined || v === null || v === '') continue;
    let text = v;
    if (f.type === 'bool') text = v ? t('common.yes') : t('common.no');
    else if (f.type === 'int' && typeof v === 'number') text = fmtNumber(v);
    else if (f.type === 'datetime') text = formatMaybe(v, true);
    else if (f.type === 'date') text = isoDateToVn(v) || v;
    d.append(h('div.fact', h('dt', nm(f, 'label')), h('dd', String(text))));
  }
  return d;
}

function formatMaybe(v, withTime) {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return withTime ? `${fmtDate(d)} ${vnInputs(d).time}` : fmtDate(d);
}

// Finds the control for a server problem's `field` ("form.report.x" or "title").
export function controlForProblem(root, fieldName) {
  if (!fieldName) return null;
  const parts = fieldName.split('.');
  const name = parts[parts.length - 1];
  return root.querySelector(`[data-field="${CSS.escape(name)}"]`) || root.querySelector(`[name="${CSS.escape(name)}"]`);
}
