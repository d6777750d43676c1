-- 008_findings.sql - vulnerability scanner reports (Greenbone/OpenVAS, Nmap) imported for an
-- information system, and the findings they show, tracked until fixed (Quảng Nam 003 §1-2: scan
-- every 6 months and fix what is found; Bắc Giang 002 Đ7.2c: the police scan critical systems
-- monthly). docs/scan.md. Portable SQL: no SQLite-only types or functions.

-- One import of one report file: the file itself is in files/<sha256> (content-addressed).
CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  system_id INTEGER NOT NULL REFERENCES systems(id),
  scanner TEXT NOT NULL,            -- 'greenbone' or 'nmap': the kind closure compares within
  format TEXT NOT NULL,             -- 'gvm-report' or 'nmap-xml'
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  scanned_at INTEGER NOT NULL,      -- when the scan ran (from the report)
  results INTEGER NOT NULL DEFAULT 0,   -- findings in the file
  ignored INTEGER NOT NULL DEFAULT 0,   -- log-level results and closed ports, not findings
  new_count INTEGER NOT NULL DEFAULT 0,
  seen_count INTEGER NOT NULL DEFAULT 0,
  reopened_count INTEGER NOT NULL DEFAULT 0,
  closed_count INTEGER NOT NULL DEFAULT 0,
  duties TEXT NOT NULL DEFAULT '',  -- ids of the duty instances the import marked done
  imported_by INTEGER REFERENCES users(id),  -- NULL for the command line without --as
  imported_at INTEGER NOT NULL
);
CREATE INDEX scans_system ON scans(system_id, scanned_at);

-- A finding of a system, deduplicated on (system, scanner, key) across imports.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  system_id INTEGER NOT NULL REFERENCES systems(id),
  scanner TEXT NOT NULL,
  fkey TEXT NOT NULL,               -- 'nvt:<oid>|host|port/proto', 'cve:<id>|host|port/proto', 'port:host|port/proto'
  kind TEXT NOT NULL,               -- 'vulnerability' or 'open_port'
  title TEXT NOT NULL,
  cves TEXT NOT NULL DEFAULT '',    -- comma-separated CVE ids
  cvss REAL,                        -- NULL when the scanner gave no score
  severity TEXT NOT NULL,           -- CVSS v3 band: none, low, medium, high, critical
  host TEXT NOT NULL,
  port INTEGER NOT NULL DEFAULT 0,  -- 0 for a host-level result ('general/tcp')
  protocol TEXT NOT NULL DEFAULT '',
  service TEXT NOT NULL DEFAULT '',
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  first_scan_id INTEGER NOT NULL REFERENCES scans(id),
  last_scan_id INTEGER NOT NULL REFERENCES scans(id),
  status TEXT NOT NULL DEFAULT 'open',  -- open, fixed, accepted_risk, false_positive
  status_by INTEGER REFERENCES users(id),  -- NULL when a scan changed it
  status_at INTEGER NOT NULL DEFAULT 0,
  status_note TEXT NOT NULL DEFAULT '',
  closed_at INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (system_id, scanner, fkey)
);
CREATE INDEX findings_status ON findings(system_id, status, severity);
