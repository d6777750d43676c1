// api.js - the one door to the server's JSON API (/api/v1). Sends the session cookie and the
// CSRF token, turns application/problem+json into ApiError, and tells the app (events on `bus`)
// when the session ended, a password change or a second factor is due.

import { getLang, t } from './i18n.js';

export const BASE = '/api/v1';
export const bus = new EventTarget();

let csrf = '';
let lastRequestAt = Date.now();

export function setCsrf(token) { csrf = token || ''; }
export function lastActivity() { return lastRequestAt; }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || '';
    this.detail = problem.detail || '';
    this.field = problem.field || '';
    this.problem = problem;
  }

  // The message to show: the server's own words (its catalogue's, in the language the request
  // asked with Accept-Language), or our catalogue's for a kind without details.
  get text() {
    if (this.detail) return this.detail;
    const key = 'problem.' + this.title;
    const own = t(key);
    return own !== key ? own : (this.title || t('problem.unknown'));
  }
}

const SPECIAL = {
  401: { 'Session expired': 'expired', 'Not logged in': 'required' },
  403: { 'Password change required': 'password', 'Second factor enrolment required': 'totp' },
};

function query(params) {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// Returns {data, status, headers}. body: an object (sent as JSON), a Blob/File (sent raw).
export async function call(method, path, { body, params, headers = {}, signal } = {}) {
  // the server words its errors (problem `detail`) in the language asked
  const h = { Accept: 'application/json, application/problem+json', 'Accept-Language': getLang(), ...headers };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    if (!h['Content-Type']) h['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) h['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(BASE + path + query(params), {
      method, headers: h, body: payload, credentials: 'same-origin', cache: 'no-store', signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error' });
  }
  lastRequestAt = Date.now();
  const ct = res.headers.get('Content-Type') || '';
  let data = null;
  if (res.status !== 204) {
    if (ct.includes('json')) {
      try { data = await res.json(); } catch { data = null; }
    } else {
      data = await res.text();
    }
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data : { title: `HTTP ${res.status}` };
    const err = new ApiError(res.status, problem);
    const kind = SPECIAL[res.status] && SPECIAL[res.status][err.title];
    if (kind && !path.startsWith('/auth/login')) {
      bus.dispatchEvent(new CustomEvent('auth', { detail: { kind, error: err } }));
    }
    throw err;
  }
  return { data, status: res.status, headers: res.headers };
}

export async function get(path, params) { return (await call('GET', path, { params })).data; }
export async function post(path, body, opts = {}) { return (await call('POST', path, { body, ...opts })).data; }
export async function patch(path, body, opts = {}) { return (await call('PATCH', path, { body, ...opts })).data; }
export async function put(path, body, opts = {}) { return (await call('PUT', path, { body, ...opts })).data; }
export async function del(path) { return (await call('DELETE', path)).data; }

// Uploads one file as the raw body with ?name= (the server hashes it with SHA-256).
export async function upload(path, file) {
  return (await call('POST', path, { body: file, params: { name: file.name } })).data;
}

// GET that also returns the ETag (for PATCH with If-Match).
export async function getWithEtag(path) {
  const r = await call('GET', path);
  return { data: r.data, etag: r.headers.get('ETag') };
}

// A random key for Idempotency-Key on creates, so a double click cannot make two records.
export function idemKey() {
  const a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}
