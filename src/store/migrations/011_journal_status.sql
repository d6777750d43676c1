-- 011_journal_status.sql - the status entries of an incident's journal found without reading its
-- other entries: GET /api/v1/incidents/{id} computes its clocks from when the incident first
-- entered each state (store_journal_state_entries), and the rest of a journal (comments,
-- e-mails, attachments) can be long. Partial, so the entries most writes add (created, comment)
-- cost no index row. Only additions. Portable SQL (PostgreSQL has partial indexes too).
CREATE INDEX journal_status ON journal(incident_id, id) WHERE kind = 'status';
