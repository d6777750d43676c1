-- 013_docs.sql - reading a document is audited once per reader, document and hour (docs/
-- documents.md "Checking a copy"): a reporter pulling the same PDF 241 times in 5 s leaves one
-- audit entry, not 241. The write transaction inserts (hour, user, document) here with INSERT
-- OR IGNORE and appends the audit entry only when the row is new, so parallel requests cannot
-- both count as the first. doc is the document's key (kind, incident, parameters); hour is
-- floor(time / 3600). Rows of past hours are dropped as reads come in, so the table stays at
-- about one hour of readers. Only additions. Portable SQL.
CREATE TABLE document_reads (
  hour INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (hour, user_id, doc)
);
