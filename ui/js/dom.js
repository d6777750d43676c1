// dom.js - building the page without innerHTML: every text goes in as a text node, so nothing a
// user typed can become markup (the CSP forbids inline script anyway; this is the second wall).

const BLOCKED = /^(on|innerhtml$|outerhtml$|style$|srcdoc$)/i;

// h('tag.class#id', {attrs, on: {click}}, ...children). Strings and numbers become text nodes.
export function h(spec, props, ...children) {
  const m = /^([a-z0-9-]+)?((?:[.#][\w-]+)*)$/i.exec(spec);
  const el = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1));
      else el.id = part.slice(1);
    }
  }
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  if (props) setProps(el, props);
  append(el, children);
  return el;
}

function setProps(el, props) {
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'class') {
      for (const c of String(v).split(/\s+/)) if (c) el.classList.add(c);
    } else if (k === 'text') {
      el.textContent = String(v);
    } else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
    } else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled' ||
               k === 'hidden' || k === 'multiple' || k === 'required') {
      el[k] = v;
      if (k === 'required') el.setAttribute('aria-required', 'true');
    } else if (k === 'for') {
      el.htmlFor = v;
    } else if ((k === 'href' || k === 'src') && /^\s*(javascript|vbscript|data):/i.test(String(v))) {
      throw new Error('refused URL');
    } else if (BLOCKED.test(k)) {
      throw new Error('refused attribute ' + k);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false || c === '') continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function $(sel, root = document) { return root.querySelector(sel); }
export function $$(sel, root = document) { return Array.from(root.querySelectorAll(sel)); }

let uid = 0;
export function nextId(prefix = 'f') { uid += 1; return `${prefix}-${uid}`; }

// A labelled field: label, control, hint and error line, wired with aria-describedby.
export function field(labelText, control, { hint, required, id, wide, error } = {}) {
  const cid = control.id || id || nextId('fld');
  control.id = cid;
  const hintId = cid + '-hint';
  const errId = cid + '-err';
  const described = [];
  const wrap = h('div.field', wide ? { class: 'wide' } : null);
  const label = h('label', { for: cid }, labelText);
  if (required) {
    label.append(h('span.req', { 'aria-hidden': 'true' }, ' *'));
    control.setAttribute('aria-required', 'true');
  }
  wrap.append(label, control);
  if (hint) {
    wrap.append(h('p.hint', { id: hintId }, hint));
    described.push(hintId);
  }
  const err = h('p.field-error', { id: errId, hidden: !error }, error || '');
  wrap.append(err);
  described.push(errId);
  control.setAttribute('aria-describedby', described.join(' '));
  return wrap;
}

// Shows or clears the error line of a field made by field().
export function setFieldError(control, message) {
  const err = document.getElementById(control.id + '-err');
  if (message) {
    control.setAttribute('aria-invalid', 'true');
    if (err) { err.textContent = message; err.hidden = false; }
  } else {
    control.removeAttribute('aria-invalid');
    if (err) { err.textContent = ''; err.hidden = true; }
  }
}

export function clearErrors(root) {
  for (const c of $$('[aria-invalid="true"]', root)) setFieldError(c, '');
}

export function input(props = {}) { return h('input', { type: 'text', ...props }); }
export function textarea(props = {}) { return h('textarea', { rows: 4, ...props }); }

// <select> from [{value, label}], with an optional empty first option.
export function select(options, { value, empty, ...props } = {}) {
  const s = h('select', props);
  if (empty !== undefined) s.append(h('option', { value: '' }, empty));
  for (const o of options) {
    s.append(h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label));
  }
  return s;
}

export function button(label, props = {}) {
  return h('button', { type: 'button', class: 'btn', ...props }, label);
}

// A definition list from [[term, value], ...]; empty values are skipped.
export function dl(pairs, cls = 'facts') {
  const d = h('dl', { class: cls });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    d.append(h('div.fact', h('dt', k), h('dd', v)));
  }
  return d;
}

export function focusMain() {
  const main = document.getElementById('main');
  if (main) main.focus({ preventScroll: false });
}
