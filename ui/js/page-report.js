// page-report.js - reporting an incident with the preset's form 01, in guided steps: what
// happened (classification, detection time and the reporting clocks it starts), description,
// the report form itself, then files and sending. A draft stays in localStorage until sent.

import { h, clear, field, setFieldError, clearErrors, select } from './dom.js';
import * as api from './api.js';
import { t, nm, cite, fmtDateTime, fmtSpan, fmtWithin, fmtSize } from './i18n.js';
import { session, presetForm, presetItem } from './session.js';
import { navigate } from './router.js';
import { pageHeader, notice, tlpBadge, TLP_LEVELS, dropZone, statusLine, toast, busy, confirmDialog } from './ui.js';
import { dateTimeInput, renderForm, controlForProblem } from './forms.js';

const STEPS = ['classify', 'describe', 'form', 'send'];

function draftKey() { return `ungcuu.draft.report.${session.me.id}`; }

function loadDraft() {
  try { return JSON.parse(localStorage.getItem(draftKey()) || 'null'); } catch { return null; }
}

// The clocks the preset starts at detection, for this severity (preset.clocks: within seconds,
// min_severity). Returns [{clock, due (ms), overdue}].
export function clocksFor(severity, detectedIso) {
  const p = session.preset;
  if (!detectedIso) return [];
  const det = new Date(detectedIso).getTime();
  const rank = (presetItem('severities', severity) || {}).rank || 0;
  return (p.clocks || []).filter((c) => {
    if (!c.min_severity) return true;
    const min = presetItem('severities', c.min_severity);
    return min && rank >= min.rank;
  }).map((c) => ({ clock: c, due: det + c.within * 1000 }));
}

export function clockList(severity, detectedIso, { empty } = {}) {
  const list = clocksFor(severity, detectedIso);
  if (!list.length) return h('p.hint', empty || t('report.clocks_need'));
  const now = Date.now();
  const ul = h('ul.clock-list');
  for (const { clock, due } of list) {
    const left = (due - now) / 1000;
    const when = clock.within === 0
      ? h('strong', t('clock.at_once'))
      : h('span', t('clock.due_by'), ' ', h('strong', fmtDateTime(new Date(due))), ' (', fmtWithin(clock.within), ' ', t('clock.after_detection'), ')');
    const state = clock.within === 0
      ? h('span.badge.late', t('clock.now'))
      : left < 0 ? h('span.badge.overdue', t('clock.overdue_by', { span: fmtSpan(-left) }))
        : h('span.badge.running', t('clock.left', { span: fmtSpan(left) }));
    ul.append(h('li', { class: left < 0 || clock.within === 0 ? 'urgent' : '' },
      h('span.clock-name', nm(clock)), ' — ', t('clock.to_' + (clock.target || 'other')), h('br'), when, ' ', state,
      cite(clock) ? h('span.source', ' ', t('common.source'), ': ', cite(clock)) : null));
  }
  return ul;
}

// The preset's description of a severity level (desc_vi/desc_en); while GET /preset does not
// send them, the definitions of 001 Đ15.3 for the usual five codes from the catalogue.
function sevDesc(s) {
  const own = nm(s, 'desc');
  if (own) return own;
  const key = 'severity.desc.' + s.code;
  const cat = t(key);
  return cat === key ? '' : cat;
}

export async function render(ctx) {
  const { main } = ctx;
  const p = session.preset;
  const me = session.me;
  const report = presetForm('report');
  const [systemsRes, org] = await Promise.all([
    api.get('/systems').catch(() => ({ items: [] })),
    api.get(`/orgs/${me.org_id}`).catch(() => null),
  ]);
  if (!ctx.alive()) return;
  const systems = systemsRes.items || [];
  let draft = loadDraft();
  let step = 0;
  let idem = api.idemKey();
  const files = [];

  main.append(pageHeader(t('report.title')));
  main.append(h('p.lead', t('report.lead', { form: report ? nm(report) : '' })));
  const draftBox = h('div.draft-box');
  main.append(draftBox);

  // ---- step 1: classification ----
  const title = h('input', { type: 'text', id: 'r-title', maxlength: '300', dataset: { field: 'title' } });
  const group = select(p.groups.map((g) => ({ value: g.code, label: nm(g) })), { id: 'r-group', empty: t('form.choose'), dataset: { field: 'group' } });
  const type = h('select', { id: 'r-type', dataset: { field: 'type' } });
  const fillTypes = (keep) => {
    const cur = keep || type.value;
    clear(type);
    type.append(h('option', { value: '' }, t('form.choose')));
    for (const it of p.types.filter((x) => x.parent === group.value)) type.append(h('option', { value: it.code, selected: it.code === cur }, nm(it)));
    type.disabled = !group.value;
  };
  group.addEventListener('change', () => fillTypes());
  fillTypes();
  const sevBox = h('div.choice-list.sev-choices', { role: 'radiogroup', 'aria-labelledby': 'r-sev-label', id: 'r-severity', dataset: { field: 'severity' } });
  for (const s of p.severities) {
    const id = 'r-sev-' + s.code;
    sevBox.append(h('div.choice',
      h('input', { type: 'radio', name: 'severity', value: s.code, id }),
      h('label', { for: id }, h('span', { class: `badge sev sev-${Math.min(s.rank, 5)}` }, nm(s)),
        sevDesc(s) ? h('span.choice-desc', sevDesc(s)) : null,
        cite(s) ? h('span.source', cite(s)) : null)));
  }
  const detected = dateTimeInput({ id: 'r-detected' });
  detected.dataset.field = 'detected_at';
  const tlpBox = h('div.choice-list.tlp-choices', { role: 'radiogroup', 'aria-labelledby': 'r-tlp-label', id: 'r-tlp' });
  for (const v of TLP_LEVELS) {
    const id = 'r-tlp-' + v.replace('+', '-');
    tlpBox.append(h('div.choice',
      h('input', { type: 'radio', name: 'tlp', value: v, id, checked: v === 'amber' }),
      h('label', { for: id }, tlpBadge(v), h('span.choice-desc', t('tlp.' + v + '.help')))));
  }
  const drill = h('input', { type: 'checkbox', id: 'r-drill' });
  const sysBox = h('div.check-list', { id: 'r-systems' });
  if (!systems.length) sysBox.append(h('p.hint', t('report.no_systems')));
  for (const s of systems) {
    const id = 'r-sys-' + s.id;
    sysBox.append(h('div.check',
      h('input', { type: 'checkbox', id, value: String(s.id), name: 'systems' }),
      h('label', { for: id }, s.name, h('span.muted', ' — ', t('system.level_n', { n: s.level }), s.central_hosted ? ', ' + t('system.central') : '', s.critical ? ', ' + t('system.critical') : ''))));
  }
  const clockBox = h('div.clock-box', { 'aria-live': 'polite', id: 'r-clocks' });
  const sevLabel = h('p.group-label#r-sev-label', t('incident.severity'), h('span.req', { 'aria-hidden': 'true' }, ' *'));
  const tlpLabel = h('p.group-label#r-tlp-label', t('incident.tlp'));
  const step1 = h('section.step', { 'aria-labelledby': 's1-h' },
    h('h2#s1-h', t('report.s1')),
    h('div.grid',
      field(t('incident.title'), title, { required: true, wide: true, hint: t('report.title_hint') }),
      field(t('incident.group'), group, { required: true }),
      field(t('incident.type'), type, { required: true }),
      h('div.field.wide', sevLabel, sevBox, h('p.field-error', { id: 'r-severity-err', hidden: true })),
      field(t('incident.detected'), detected, { required: true, hint: t('form.datetime_hint') }),
      h('div.field.wide', h('h3.sub', t('report.clocks')), clockBox),
      h('div.field.wide', tlpLabel, tlpBox),
      h('div.field.check.wide', drill, h('label', { for: 'r-drill' }, t('report.drill'))),
      h('div.field.wide', h('p.group-label', t('incident.systems')), sysBox)));
  // field() placed the bare date input: swap in the date+time group
  const dWrap = detected.wrapEl;
  detected.parentNode.replaceChild(dWrap, detected);
  dWrap.prepend(detected);
  detected.timeEl.setAttribute('aria-label', t('form.time_of', { field: t('incident.detected') }));

  // ---- step 2: description ----
  const desc = h('textarea', { id: 'r-description', rows: 6, maxlength: '20000', dataset: { field: 'description' } });
  const impact = h('textarea', { id: 'r-impact', rows: 3, maxlength: '20000', dataset: { field: 'impact' } });
  const actions = h('textarea', { id: 'r-actions', rows: 3, maxlength: '20000', dataset: { field: 'actions_taken' } });
  const step2 = h('section.step', { 'aria-labelledby': 's2-h' },
    h('h2#s2-h', t('report.s2')),
    h('div.grid',
      field(t('incident.description'), desc, { required: true, wide: true, hint: report ? nm(report.fields.find((f) => f.name === 'description') || {}, 'hint') : '' }),
      field(t('incident.impact'), impact, { wide: true }),
      field(t('incident.actions_taken'), actions, { wide: true })));

  // ---- step 3: the preset's report form ----
  let formView = null;
  const step3 = h('section.step', { 'aria-labelledby': 's3-h' },
    h('h2#s3-h', report ? nm(report) : t('report.s3')),
    report && cite(report) ? h('p.source', t('common.source'), ': ', cite(report)) : null,
    h('p.hint', t('report.form_hint')));
  const formHost = h('div');
  step3.append(formHost);
  const prefill = {
    org_name: me.org_name || '',
    org_address: (org && org.address) || '',
    org_phone: (org && org.phone) || '',
    org_email: (org && org.email) || '',
    contact_name: me.full_name || '',
    contact_position: me.position || '',
    contact_phone: me.phone || '',
    contact_email: me.email || '',
    reported_at: new Date().toISOString(),
  };
  if (report) {
    formView = renderForm(report, { ...prefill, ...((draft && draft.form) || {}) }, { idBase: 'r-form' });
    formHost.append(formView.el);
  } else {
    formHost.append(notice(t('report.no_form'), 'info'));
  }

  // ---- step 4: files and send ----
  const fileList = h('ul.file-list', { id: 'r-files' });
  const drop = dropZone((fs) => { for (const f of fs) files.push(f); showFiles(); }, { id: 'r-file-input' });
  function showFiles() {
    clear(fileList);
    files.forEach((f, i) => fileList.append(h('li', f.name, ' ', h('span.muted', `(${fmtSize(f.size)})`), ' ',
      h('button', { type: 'button', class: 'btn btn-small btn-link', on: { click: () => { files.splice(i, 1); showFiles(); } } }, t('common.remove'), h('span.sr-only', ' ' + f.name)))));
  }
  const sendReport = h('input', { type: 'checkbox', id: 'r-send', checked: true });
  const review = h('div.review', { id: 'r-review' });
  const step4 = h('section.step', { 'aria-labelledby': 's4-h' },
    h('h2#s4-h', t('report.s4')),
    h('h3.sub', t('report.files')), h('p.hint', t('report.files_hint')), drop, fileList,
    h('h3.sub', t('report.review')), review,
    h('div.field.check', sendReport, h('label', { for: 'r-send' }, t('report.send_now'))),
    h('p.hint', t('report.send_hint')));

  const sections = [step1, step2, step3, step4];
  const stepper = h('ol.stepper', { 'aria-label': t('report.steps') });
  const stepItems = STEPS.map((s, i) => {
    const li = h('li', h('span.step-n', String(i + 1)), ' ', t('report.step_' + s));
    stepper.append(li);
    return li;
  });
  const status = statusLine();
  const back = h('button', { type: 'button', class: 'btn', id: 'r-back' }, t('report.back'));
  const next = h('button', { type: 'button', class: 'btn btn-primary', id: 'r-next' }, t('report.next'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'r-submit' }, t('report.submit'));
  const form = h('form.report-form', { novalidate: true, id: 'report-form' }, stepper, ...sections, status, h('div.form-actions', back, next, submit));
  main.append(form);

  function show(i) {
    step = i;
    sections.forEach((s, k) => { s.hidden = k !== i; });
    stepItems.forEach((li, k) => {
      li.classList.toggle('done', k < i);
      if (k === i) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
    });
    back.hidden = i === 0;
    next.hidden = i === STEPS.length - 1;
    submit.hidden = i !== STEPS.length - 1;
    if (i === 2) syncForm();
    if (i === 3) showReview();
    saveDraft();
  }

  const sev = () => (sevBox.querySelector('input:checked') || {}).value || '';
  const tlp = () => (tlpBox.querySelector('input:checked') || {}).value || 'amber';
  const chosenSystems = () => Array.from(sysBox.querySelectorAll('input:checked')).map((c) => +c.value);

  function updateClocks() {
    clear(clockBox);
    const iso = detected.getIso();
    if (!sev() || !iso) clockBox.append(h('p.hint', t('report.clocks_need')));
    else clockBox.append(clockList(sev(), iso));
  }

  // Copies what steps 1-2 said into the form's fields that repeat it, unless typed over.
  let synced = (draft && draft.synced) || {};
  function syncForm() {
    if (!formView) return;
    const c = formView.controls;
    const sys = systems.filter((s) => chosenSystems().includes(s.id));
    const want = {
      detected_at: detected.getIso() || '',
      description: desc.value,
      system_name: sys.map((s) => s.name + (s.assets && s.assets.length ? ` (${s.assets.map((a) => a.value).join(', ')})` : '')).join('; '),
      operator_unit: [...new Set(sys.map((s) => s.operator_name).filter(Boolean))].join('; '),
      owner_body: [...new Set(sys.map((s) => s.owner_name).filter(Boolean))].join('; '),
      security_level: sys.length ? String(Math.max(...sys.map((s) => s.level))) : '',
    };
    for (const [k, v] of Object.entries(want)) {
      const ctl = c[k];
      if (!ctl || !v) continue;
      const curVal = ctl.getValue();
      if (curVal === '' || curVal === null || curVal === synced[k]) {
        if (ctl.setIso) ctl.setIso(v); else ctl.value = v;
        synced[k] = ctl.getValue();
      }
    }
  }

  function showReview() {
    clear(review);
    const g = presetItem('groups', group.value), ty = presetItem('types', type.value), s = presetItem('severities', sev());
    review.append(h('dl.facts',
      fact(t('incident.title'), title.value),
      fact(t('incident.group'), g ? nm(g) : ''),
      fact(t('incident.type'), ty ? nm(ty) : ''),
      fact(t('incident.severity'), s ? nm(s) : ''),
      fact(t('incident.detected'), detected.getIso() ? fmtDateTime(detected.getIso()) : ''),
      fact('TLP', tlpBadge(tlp())),
      fact(t('incident.systems'), systems.filter((x) => chosenSystems().includes(x.id)).map((x) => x.name).join('; ') || '—'),
      drill.checked ? fact(t('common.drill'), t('common.yes')) : null),
    h('h3.sub', t('report.clocks')), clockList(sev(), detected.getIso()));
  }
  function fact(k, v) { return h('div.fact', h('dt', k), h('dd', v || '—')); }

  // ---- validation per step ----
  function validateStep(i) {
    clearErrors(sections[i]);
    let first = null;
    const bad = (ctl, msg) => { setFieldError(ctl, msg); if (!first) first = ctl; };
    if (i === 0) {
      if (!title.value.trim()) bad(title, t('form.required'));
      if (!group.value) bad(group, t('form.required'));
      if (!type.value) bad(type, t('form.required'));
      const err = document.getElementById('r-severity-err');
      if (!sev()) { err.textContent = t('form.required'); err.hidden = false; if (!first) first = sevBox.querySelector('input'); } else { err.hidden = true; }
      const iso = detected.getIso();
      if (!iso) bad(detected, iso === null ? t('form.bad_datetime') : t('form.required'));
      else if (new Date(iso).getTime() > Date.now() + 600000) bad(detected, t('report.future'));
    } else if (i === 1) {
      if (!desc.value.trim()) bad(desc, t('form.required'));
    } else if (i === 2 && formView) {
      first = formView.validate();
    }
    if (first) { first.focus(); status.set(t('form.fix_errors'), 'error'); } else status.set('');
    return !first;
  }

  next.addEventListener('click', () => { if (validateStep(step)) { show(step + 1); sections[step].querySelector('h2').focus(); } });
  back.addEventListener('click', () => { show(step - 1); sections[step].querySelector('h2').focus(); });
  for (const s of sections) s.querySelector('h2').tabIndex = -1;

  // ---- draft ----
  let saveTimer = null;
  function snapshot() {
    return {
      step, savedAt: new Date().toISOString(), synced,
      title: title.value, group: group.value, type: type.value, severity: sev(), detected: detected.getIso() || '',
      detectedText: [detected.value, detected.timeEl.value], tlp: tlp(), drill: drill.checked, systems: chosenSystems(),
      description: desc.value, impact: impact.value, actions: actions.value,
      form: formView ? formView.values() : {},
    };
  }
  let sent = false;
  function saveDraft() {
    clearTimeout(saveTimer);
    if (sent) return;
    saveTimer = setTimeout(() => {
      // a page left behind (another route, a discarded draft) must not write over the new one
      if (sent || !document.body.contains(form)) return;
      try { localStorage.setItem(draftKey(), JSON.stringify(snapshot())); } catch { /* full or off */ }
    }, 300);
  }
  form.addEventListener('input', () => { saveDraft(); if (step === 0) updateClocks(); });
  form.addEventListener('change', () => { saveDraft(); if (step === 0) updateClocks(); });
  // also when the page is left or closed
  const onHide = () => { clearTimeout(saveTimer); if (document.body.contains(form)) { try { localStorage.setItem(draftKey(), JSON.stringify(snapshot())); } catch { /* */ } } };
  window.addEventListener('pagehide', onHide);

  function restore(d) {
    title.value = d.title || '';
    group.value = d.group || '';
    fillTypes(d.type);
    for (const r of sevBox.querySelectorAll('input')) r.checked = r.value === d.severity;
    if (d.detectedText) { detected.value = d.detectedText[0] || ''; detected.timeEl.value = d.detectedText[1] || ''; }
    for (const r of tlpBox.querySelectorAll('input')) r.checked = r.value === (d.tlp || 'amber');
    drill.checked = !!d.drill;
    for (const c of sysBox.querySelectorAll('input')) c.checked = (d.systems || []).includes(+c.value);
    desc.value = d.description || '';
    impact.value = d.impact || '';
    actions.value = d.actions || '';
  }
  if (draft && (draft.title || draft.description || draft.group)) {
    restore(draft);
    const discard = h('button', { type: 'button', class: 'btn btn-small', id: 'r-discard' }, t('report.discard'));
    discard.addEventListener('click', async () => {
      if (!(await confirmDialog(t('report.discard_q'), t('report.discard_text'), { danger: true, ok: t('report.discard') }))) return;
      sent = true;
      clearTimeout(saveTimer);
      try { localStorage.removeItem(draftKey()); } catch { /* */ }
      window.removeEventListener('pagehide', onHide);
      ctx.rerender();
    });
    draftBox.append(h('div.notice.notice-info', { role: 'status' }, t('report.restored', { when: fmtDateTime(draft.savedAt) }), ' ', discard));
  } else {
    draftBox.append(h('p.hint', t('report.draft_note')));
  }
  updateClocks();
  show(draft && Number.isInteger(draft.step) ? Math.min(draft.step, 2) : 0);

  // ---- send ----
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (let i = 0; i < 3; i++) {
      if (!validateStep(i)) { show(i); validateStep(i); return; }
    }
    syncForm();
    const body = {
      title: title.value.trim(), group: group.value, type: type.value, severity: sev(),
      detected_at: detected.getIso(), description: desc.value, tlp: tlp(), is_drill: drill.checked,
      systems: chosenSystems(),
    };
    if (impact.value.trim()) body.impact = impact.value;
    if (actions.value.trim()) body.actions_taken = actions.value;
    if (formView) body.form = { report: formView.values() };
    await busy(submit, async () => {
      let inc;
      try {
        inc = (await api.call('POST', '/incidents', { body, headers: { 'Idempotency-Key': idem } })).data;
      } catch (err) {
        status.set(err.text, 'error');
        const ctl = controlForProblem(form, err.field);
        if (ctl) {
          const idx = sections.findIndex((s) => s.contains(ctl));
          if (idx >= 0) show(idx);
          setFieldError(ctl, err.text);
          ctl.focus();
        }
        return;
      }
      const problems = [];
      for (const f of files) {
        try { await api.upload(`/incidents/${inc.id}/attachments`, f); } catch (err) { problems.push(`${f.name}: ${err.text}`); }
      }
      if (sendReport.checked) {
        try {
          const full = await api.get(`/incidents/${inc.id}`);
          if ((full.actions || []).some((a) => a.action === 'report')) await api.post(`/incidents/${inc.id}/transitions`, { action: 'report', note: '' });
        } catch (err) { problems.push(err.text); }
      }
      sent = true;
      clearTimeout(saveTimer);
      window.removeEventListener('pagehide', onHide);
      try { localStorage.removeItem(draftKey()); } catch { /* */ }
      idem = api.idemKey();
      toast(t('report.created', { ref: inc.ref }));
      if (problems.length) toast(problems.join(' · '), 'error');
      navigate(`/incidents/${inc.id}`);
    });
  });
}
