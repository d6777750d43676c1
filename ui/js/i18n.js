// i18n.js - message catalogues (ui/i18n/vi.json, en.json), the language switch (kept in
// localStorage), names from the preset (name_vi / name_en), and dates shown as dd/mm/yyyy HH:mm
// in Asia/Ho_Chi_Minh whatever the browser's own zone.

const KEY = 'ungcuu.lang';
export const LANGS = ['vi', 'en'];
export const TZ = 'Asia/Ho_Chi_Minh';
const VN_OFFSET_MIN = 7 * 60; // Vietnam keeps UTC+7 all year

let lang = 'vi';
let cat = {};
let fallback = {};

try {
  const saved = localStorage.getItem(KEY);
  if (LANGS.includes(saved)) lang = saved;
} catch { /* storage may be off: Vietnamese */ }

async function fetchCat(l) {
  const r = await fetch(`/i18n/${l}.json`, { cache: 'no-cache' });
  if (!r.ok) throw new Error('catalogue ' + l);
  return r.json();
}

export async function loadLang(l = lang) {
  if (!LANGS.includes(l)) l = 'vi';
  if (!Object.keys(fallback).length) fallback = await fetchCat('vi');
  cat = l === 'vi' ? fallback : await fetchCat(l);
  lang = l;
  document.documentElement.lang = l;
  try { localStorage.setItem(KEY, l); } catch { /* ignore */ }
}

export function getLang() { return lang; }

// t('incident.title', {n: 3}) -> catalogue text with {n} replaced. A missing key shows itself.
export function t(key, params) {
  let s = cat[key] ?? fallback[key];
  if (s === undefined) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? String(params[k]) : m));
  return s;
}

// The name of a preset item (or any object with x_vi / x_en) in the current language.
export function nm(obj, base = 'name') {
  if (!obj) return '';
  return obj[`${base}_${lang}`] || obj[`${base}_vi`] || (base === 'name' ? obj.code || '' : '');
}

// A legal source as people write it ("Điểm c khoản 4 Điều 15 Quy chế ..."): the API's
// citation_vi / citation_en beside a raw `source` code, which is never shown.
export function cite(obj) {
  return nm(obj, 'citation');
}

// The title of a preset (GET /preset, /admin/presets) in the current language; never its code.
export function presetTitle(p) {
  if (!p) return '';
  return (lang === 'en' && p.title_en) || p.title || '';
}

// ---- dates and times, always in Asia/Ho_Chi_Minh ----

const pad = (n) => String(n).padStart(2, '0');

function vnParts(date) {
  // Vietnam has no daylight saving: shift by +7h and read UTC fields (same result as Intl with
  // timeZone TZ, checked below at start-up, and cheap enough for long tables).
  const d = new Date(date.getTime() + VN_OFFSET_MIN * 60000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), H: d.getUTCHours(), M: d.getUTCMinutes() };
}

const fmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

// Formats with Intl (timeZone Asia/Ho_Chi_Minh) into dd/mm/yyyy HH:mm parts.
function intlParts(date) {
  const o = {};
  for (const p of fmt.formatToParts(date)) o[p.type] = p.value;
  return { y: +o.year, m: +o.month, d: +o.day, H: +o.hour % 24, M: +o.minute };
}

function toDate(v) {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtDate(v) {
  const d = toDate(v);
  if (!d) return '';
  const p = intlParts(d);
  return `${pad(p.d)}/${pad(p.m)}/${p.y}`;
}

export function fmtTime(v) {
  const d = toDate(v);
  if (!d) return '';
  const p = intlParts(d);
  return `${pad(p.H)}:${pad(p.M)}`;
}

export function fmtDateTime(v) {
  const d = toDate(v);
  return d ? `${fmtDate(d)} ${fmtTime(d)}` : '';
}

// {date: 'dd/mm/yyyy', time: 'HH:mm'} of an instant in Vietnam time (for filling inputs).
export function vnInputs(v = new Date()) {
  const d = toDate(v);
  if (!d) return { date: '', time: '' };
  const p = vnParts(d);
  return { date: `${pad(p.d)}/${pad(p.m)}/${p.y}`, time: `${pad(p.H)}:${pad(p.M)}` };
}

// 'dd/mm/yyyy' -> 'yyyy-mm-dd', or null when not a real date.
export function parseVnDate(s) {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(s || '');
  if (!m) return null;
  const d = +m[1], mo = +m[2], y = +m[3];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

export function parseVnTime(s) {
  const m = /^\s*(\d{1,2})[:hH.](\d{2})\s*$/.exec(s || '');
  if (!m || +m[1] > 23 || +m[2] > 59) return null;
  return `${pad(+m[1])}:${m[2]}`;
}

// Date and time typed in Vietnam time -> ISO 8601 with +07:00, or null.
export function vnToIso(dateStr, timeStr = '00:00') {
  const d = parseVnDate(dateStr);
  const tm = parseVnTime(timeStr);
  if (!d || !tm) return null;
  return `${d}T${tm}:00+07:00`;
}

// 'yyyy-mm-dd' -> 'dd/mm/yyyy'
export function isoDateToVn(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

// A span of seconds as "3 ngày 4 giờ" / "3 d 4 h".
export function fmtSpan(seconds) {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600), mm = Math.floor((s % 3600) / 60);
  const parts = [];
  if (d) parts.push(t('time.days', { n: d }));
  if (hh) parts.push(t('time.hours', { n: hh }));
  if (!d && (mm || !hh)) parts.push(t('time.minutes', { n: mm }));
  return parts.join(' ');
}

// The preset's `within` (seconds): "ngay lập tức" for 0, else "5 ngày".
export function fmtWithin(seconds) {
  return seconds === 0 ? t('clock.at_once') : fmtSpan(seconds);
}

export function fmtSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

export function fmtNumber(n) {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}

// Self-check: the shortcut in vnParts agrees with Intl for now.
export function timeSelfCheck() {
  const d = new Date();
  const a = vnParts(d), b = intlParts(d);
  return a.d === b.d && a.H === b.H && a.M === b.M;
}
