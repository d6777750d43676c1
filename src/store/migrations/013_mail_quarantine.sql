-- 012_mail_quarantine.sql - incoming e-mail that `ungcuu mailgate` did not store (docs/mail.md
-- "Who may write in"): its sender was not vouched for by the MTA (Authentication-Results), or is
-- no account that may comment on the incident (or report one). Nothing of it is in an incident
-- until the coordinator's operator accepts it; a rejected one stays, marked. The raw message is
-- the file DATA/files/<sha256> (content-addressed like attachments): the same bytes delivered
-- twice make one row. Portable SQL.
CREATE TABLE mail_quarantine (
  id INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,           -- the raw message, DATA/files/<sha256>
  size INTEGER NOT NULL,
  message_id TEXT NOT NULL DEFAULT '',
  from_addr TEXT NOT NULL DEFAULT '',    -- the claimed sender (From:), lower case
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',         -- the text as intake read it, for people to judge
  kind TEXT NOT NULL,                    -- 'reply' (to incident_id) or 'report' ([TBSC])
  incident_id INTEGER REFERENCES incidents(id),
  ref TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,                  -- stable code (auth_missing, not_allowed, ...)
  reason_text TEXT NOT NULL,             -- the same in Vietnamese
  authenticated INTEGER NOT NULL DEFAULT 0, -- the MTA vouched for from_addr
  auth TEXT NOT NULL DEFAULT '',         -- the MTA's results that were counted
  user_id INTEGER REFERENCES users(id),  -- the account from_addr belonged to on arrival
  org_id INTEGER REFERENCES orgs(id),    -- that account's organisation, or the contact address's
  status TEXT NOT NULL DEFAULT 'pending', -- pending, accepted, rejected
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  result_incident_id INTEGER REFERENCES incidents(id), -- where an accepted message went
  result_journal_id INTEGER
);
CREATE INDEX mail_quarantine_status ON mail_quarantine(status, id);
