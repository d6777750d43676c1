-- 015_told.sql - who was told of an incident, and when: the facts its clocks are met by
-- (DOMAIN.md "Facts, not inferences"; docs/presets.md "Clocks"). A row is one telling: the
-- platform's notification (an outbox row to an organisation about the incident, written by the
-- trigger below in the same transaction, whatever path queued it), or a report a person made
-- outside the platform (an official letter with its number, a fax, a call), recorded with who
-- recorded it. `role` is the organisation's role when it was told, "coordinator" for the one
-- holding that role then (meta coordinator_org_id), so a later handover does not rewrite the
-- past. Nothing here is inferred from a state.
CREATE TABLE incident_told (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL,
  at INTEGER NOT NULL,
  how TEXT NOT NULL,
  ref TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  attachment_id INTEGER REFERENCES attachments(id), -- the evidence: the letter as sent, scanned
  outbox_id INTEGER UNIQUE REFERENCES outbox(id),
  recorded_by INTEGER REFERENCES users(id),
  recorded_at INTEGER NOT NULL
);
CREATE INDEX incident_told_first ON incident_told(incident_id, role, at);

-- an organisation-level notification about an incident tells that organisation (the per-person
-- copies of a row, parent_id set, tell no one new; nor does a reminder to the incident's own)
CREATE TRIGGER outbox_tells AFTER INSERT ON outbox
WHEN NEW.incident_id IS NOT NULL AND NEW.org_id IS NOT NULL AND NEW.parent_id IS NULL
  AND NEW.org_id IS NOT (SELECT org_id FROM incidents WHERE id = NEW.incident_id)
BEGIN
  INSERT INTO incident_told(incident_id, org_id, role, at, how, outbox_id, recorded_at)
  SELECT NEW.incident_id, NEW.org_id,
         CASE WHEN CAST(NEW.org_id AS TEXT) =
                   (SELECT value FROM meta WHERE key = 'coordinator_org_id')
              THEN 'coordinator' ELSE o.role END,
         NEW.created_at, 'notification', NEW.id, NEW.created_at
  FROM orgs o WHERE o.id = NEW.org_id;
END;

-- the notifications queued before this table are the same facts
INSERT INTO incident_told(incident_id, org_id, role, at, how, outbox_id, recorded_at)
SELECT x.incident_id, x.org_id,
       CASE WHEN CAST(x.org_id AS TEXT) = (SELECT value FROM meta WHERE key = 'coordinator_org_id')
            THEN 'coordinator' ELSE o.role END,
       x.created_at, 'notification', x.id, x.created_at
FROM outbox x JOIN orgs o ON o.id = x.org_id JOIN incidents i ON i.id = x.incident_id
WHERE x.parent_id IS NULL AND x.org_id <> i.org_id;
