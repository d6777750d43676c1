-- 009_stix.sql - what the STIX/TAXII exchange (docs/stix.md) needs of the 007 tables: TAXII
-- collections are derived from the rows (no copy of the objects), paged by keyset on
-- (date_added, id) where date_added is the row's updated_at; and a report id is looked up by
-- the warning's stix_id. Portable SQL.
CREATE INDEX warnings_published ON warnings(updated_at, id);
CREATE INDEX warnings_stix_id ON warnings(stix_id);
CREATE INDEX incidents_updated ON incidents(updated_at, id);
