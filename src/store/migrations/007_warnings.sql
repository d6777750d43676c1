-- 007_warnings.sql - warnings (cảnh báo, 000 Đ7.4; 003 §1; 002 Đ7.2c) with their targeting and
-- the remediation each targeted organisation reports back, and indicators: the observables of
-- incidents and the indicators of warnings in ONE table, canonical values (core/indicator.c), so
-- matching is equality lookups on (value, kind). Portable SQL.
CREATE TABLE warnings (
  id INTEGER PRIMARY KEY,
  ref TEXT NOT NULL UNIQUE,                  -- "CB-2026-000001"
  issuer_org_id INTEGER NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL,                    -- a severity code of the preset
  severity_rank INTEGER NOT NULL,
  tlp INTEGER NOT NULL,
  legal_basis TEXT NOT NULL DEFAULT '',
  refs TEXT NOT NULL DEFAULT '[]',           -- JSON [{"type": "cve"|"advisory"|"url", "value"}]
  products TEXT NOT NULL DEFAULT '[]',       -- JSON [{"vendor", "product", "versions"}]
  actions TEXT NOT NULL DEFAULT '',          -- recommended actions
  due_at INTEGER NOT NULL DEFAULT 0,         -- response due; 0 = none
  status TEXT NOT NULL DEFAULT 'draft',      -- draft | issued | withdrawn | closed
  target TEXT NOT NULL DEFAULT '{}',         -- JSON {"mode": "all"|"roles"|"orgs"|"match", ...}
  source TEXT NOT NULL DEFAULT '',           -- '' typed in; 'stix:<id>', 'misp:<uuid>' imported
  stix_id TEXT NOT NULL DEFAULT '',          -- "report--<uuid>", stable across exports
  issued_at INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX warnings_issuer ON warnings(issuer_org_id, id);
CREATE INDEX warnings_status ON warnings(status, id);

-- One row per targeted organisation: why it was targeted, acknowledgement, response.
CREATE TABLE warning_targets (
  warning_id INTEGER NOT NULL REFERENCES warnings(id),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  reason TEXT NOT NULL,                      -- all | role | list | match
  acked_at INTEGER NOT NULL DEFAULT 0,
  acked_by INTEGER REFERENCES users(id),
  responded_at INTEGER NOT NULL DEFAULT 0,   -- every affected system has a final status
  added_at INTEGER NOT NULL,
  PRIMARY KEY (warning_id, org_id)
);
CREATE INDEX warning_targets_org ON warning_targets(org_id, warning_id);

-- Per system of a targeted organisation: matched by assets/products (why), then the status
-- the organisation reports, with evidence, and the incident it spawned if affected.
CREATE TABLE warning_systems (
  warning_id INTEGER NOT NULL REFERENCES warnings(id),
  system_id INTEGER NOT NULL REFERENCES systems(id),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  matched TEXT NOT NULL DEFAULT '[]',        -- JSON [{"asset", "indicator", "why"}]
  status TEXT NOT NULL DEFAULT 'unknown',    -- unknown | not_affected | affected | fixing | fixed | accepted_risk
  note TEXT NOT NULL DEFAULT '',
  evidence_sha256 TEXT NOT NULL DEFAULT '',
  incident_id INTEGER REFERENCES incidents(id),
  updated_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (warning_id, system_id)
);
CREATE INDEX warning_systems_org ON warning_systems(org_id, warning_id);

-- Observables of incidents and indicators of warnings. Exactly one owner per row.
CREATE TABLE indicators (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                        -- ipv4 ipv6 cidr domain url md5 sha1 sha256 email
  value TEXT NOT NULL,                       -- canonical (core/indicator.c)
  incident_id INTEGER REFERENCES incidents(id),
  warning_id INTEGER REFERENCES warnings(id),
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',           -- api | mail | stix | misp | scan
  created_at INTEGER NOT NULL,
  CHECK ((incident_id IS NULL) <> (warning_id IS NULL))
);
CREATE INDEX indicators_value ON indicators(value, kind);
CREATE INDEX indicators_incident ON indicators(incident_id);
CREATE INDEX indicators_warning ON indicators(warning_id);

-- Incidents and warnings found related by matching (shared indicator, indicator in a system's
-- assets). Stored once per pair, smaller (kind, id) first.
CREATE TABLE related (
  a_kind TEXT NOT NULL,                      -- incident | warning
  a_id INTEGER NOT NULL,
  b_kind TEXT NOT NULL,
  b_id INTEGER NOT NULL,
  why TEXT NOT NULL,                         -- the shared canonical value
  created_at INTEGER NOT NULL,
  PRIMARY KEY (a_kind, a_id, b_kind, b_id)
);
CREATE INDEX related_b ON related(b_kind, b_id);
