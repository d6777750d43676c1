-- 004_documents.sql - official documents generated from the record (incident report Mẫu 03,
-- closing report Mẫu 04, half-year/yearly summary Mẫu 05, quarterly bulletin): which document,
-- for what, by whom and when, and the SHA-256 of the file handed out, so a copy can be checked
-- against the record (GET /api/v1/documents/{sha256}, /api/v1/documents/verify?ref=).
-- ref is the reference printed on every page ("TL-7KQ2M9XD4P"); params the JSON of what was
-- asked (form, period, organisation, format); created_by is NULL for a command-line export.
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL UNIQUE,
  incident_id INTEGER REFERENCES incidents(id),
  params TEXT NOT NULL DEFAULT '{}',
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_incident ON documents(incident_id, id);
