// session.js - who is signed in (GET /auth/me), what they may do (the roles and the coordinator
// flag decide which pages and buttons show; the server decides again on every request), and
// the preset in force, loaded once.

import * as api from './api.js';

export const session = { me: null, preset: null, orgs: null };

const INCIDENT_ROLES = ['reporter', 'officer', 'leader', 'operator', 'auditor'];
const WRITER_ROLES = ['reporter', 'officer', 'leader', 'operator'];
const HANDLER_ROLES = ['officer', 'leader', 'operator'];

export function hasRole(...roles) {
  const mine = (session.me && session.me.roles) || [];
  return roles.some((r) => mine.includes(r));
}

export function isCoordinator() { return !!(session.me && session.me.coordinator); }

// Page and button capabilities, mirroring docs/access.md.
export function can(cap, arg) {
  const me = session.me;
  if (!me) return false;
  switch (cap) {
    case 'incidents': return hasRole(...INCIDENT_ROLES);
    case 'report': return hasRole(...WRITER_ROLES);
    case 'dashboard': return hasRole(...INCIDENT_ROLES);
    case 'systems': return hasRole(...INCIDENT_ROLES);
    case 'systems.create': return hasRole('officer', 'leader') || (isCoordinator() && hasRole('operator', 'leader'));
    case 'systems.edit': {
      const mine = arg && (arg.owner_org_id === me.org_id || arg.operator_org_id === me.org_id);
      return (mine && hasRole('officer', 'leader')) || (isCoordinator() && hasRole('operator', 'leader'));
    }
    case 'warnings': return hasRole(...INCIDENT_ROLES);
    case 'warnings.create': return hasRole(...HANDLER_ROLES) && (isCoordinator() ||
      ['coordinator', 'police', 'central_agency', 'national', 'response_team'].includes(me.org_role));
    case 'duties': return hasRole(...INCIDENT_ROLES);
    case 'duties.edit': return hasRole(...HANDLER_ROLES) && (!arg || arg.org_id === me.org_id);
    case 'duties.all': return isCoordinator() && hasRole(...INCIDENT_ROLES);
    case 'reports': return hasRole(...INCIDENT_ROLES);
    case 'bulletin': return (isCoordinator() && hasRole(...INCIDENT_ROLES)) || hasRole('auditor');
    case 'compliance': return (isCoordinator() && hasRole(...INCIDENT_ROLES)) || hasRole('auditor');
    case 'org.edit': return hasRole('admin') || (arg === me.org_id && hasRole('leader', 'officer'));
    case 'admin': return hasRole('admin');
    case 'audit': return hasRole('auditor', 'admin');
    case 'mail': return isCoordinator() && hasRole('operator', 'admin');
    case 'users.org': return hasRole('leader') && !hasRole('admin');
    default: return false;
  }
}

export async function loadMe() {
  const me = await api.get('/auth/me');
  session.me = me;
  if (me.csrf_token) api.setCsrf(me.csrf_token);
  return me;
}

export async function loadPreset(force = false) {
  if (!session.preset || force) session.preset = await api.get('/preset');
  return session.preset;
}

export async function loadOrgs(force = false) {
  if (!session.orgs || force) session.orgs = (await api.get('/orgs')).items;
  return session.orgs;
}

export function orgName(id) {
  const o = (session.orgs || []).find((x) => x.id === id);
  return o ? o.name : (id ? `#${id}` : '');
}

export function clearSession() {
  session.me = null;
  session.preset = null;
  session.orgs = null;
  api.setCsrf('');
}

// Lookups in the preset.
export function presetItem(list, code) {
  const p = session.preset;
  if (!p || !p[list]) return null;
  return p[list].find((x) => x.code === code) || null;
}

export function presetForm(code) {
  const p = session.preset;
  return p && p.forms ? p.forms.find((f) => f.code === code) || null : null;
}
