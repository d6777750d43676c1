-- 003_procedure.sql - what the procedure engine keeps: flags raised on incidents, when an incident
-- last changed state, escalation firings (unique, so a sweep is idempotent and safe to run twice),
-- the notification outbox, and the periodic-duty calendar with its evidence.
ALTER TABLE incidents ADD COLUMN flags TEXT NOT NULL DEFAULT '';
-- the last TOTP time step accepted, so a code is never accepted twice (RFC 6238 §5.2)
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN state_changed_at INTEGER NOT NULL DEFAULT 0;
UPDATE incidents SET state_changed_at = updated_at;
CREATE INDEX incidents_open ON incidents(status, state_changed_at);

CREATE TABLE escalations (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  rule TEXT NOT NULL,
  subject_id INTEGER NOT NULL DEFAULT 0,
  fired_at INTEGER NOT NULL,
  UNIQUE (incident_id, rule, subject_id)
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  event TEXT NOT NULL,
  org_id INTEGER REFERENCES orgs(id),
  incident_id INTEGER REFERENCES incidents(id),
  payload TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL DEFAULT 0,
  sent_at INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(sent_at, next_at);

CREATE TABLE duties (
  id INTEGER PRIMARY KEY,
  duty TEXT NOT NULL,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  system_id INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  done_at INTEGER NOT NULL DEFAULT 0,
  done_by INTEGER REFERENCES users(id),
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (duty, org_id, system_id, due_at)
);
CREATE INDEX duties_org ON duties(org_id, due_at);

CREATE TABLE duty_evidence (
  id INTEGER PRIMARY KEY,
  duty_id INTEGER NOT NULL REFERENCES duties(id),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX duty_evidence_duty ON duty_evidence(duty_id);

-- Requests opened by an escalation rule have no human author: created_by becomes nullable.
-- SQLite cannot drop a NOT NULL in place, so the table is rebuilt (same columns, same ids).
CREATE TABLE requests_new (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  from_org_id INTEGER NOT NULL REFERENCES orgs(id),
  to_org_id INTEGER NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  due_at INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users(id),
  answered_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  answered_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO requests_new SELECT id, incident_id, from_org_id, to_org_id, kind, body, status,
  answer, due_at, created_by, answered_by, created_at, answered_at FROM requests;
DROP TABLE requests;
ALTER TABLE requests_new RENAME TO requests;
CREATE INDEX requests_incident ON requests(incident_id);
CREATE INDEX requests_to ON requests(to_org_id, status);
CREATE INDEX requests_due ON requests(status, due_at);
