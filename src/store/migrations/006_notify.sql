-- 006_notify.sql - notifications beyond the events of 003/005 (docs/mail.md): duty reminders,
-- the leaders' weekly digest, and e-mail addressed to one person (users.email) rather than to an
-- organisation's contact point. Each reminder and each digest has a unique key written in the
-- same transaction as its outbox row, so two sweeps at once, or a restart, never queue it twice.

-- A row addressed to one user (the digest): sent to users.email, never to a webhook.
ALTER TABLE outbox ADD COLUMN user_id INTEGER REFERENCES users(id);

-- One reminder per duty instance and kind ('before_7d', 'before_1d', 'due', 'overdue').
CREATE TABLE duty_reminders (
  id INTEGER PRIMARY KEY,
  duty_id INTEGER NOT NULL REFERENCES duties(id),
  kind TEXT NOT NULL,
  outbox_id INTEGER REFERENCES outbox(id),
  created_at INTEGER NOT NULL,
  UNIQUE (duty_id, kind)
);

-- One digest per user and ISO week ('2026-W47').
CREATE TABLE digests (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  week TEXT NOT NULL,
  outbox_id INTEGER REFERENCES outbox(id),
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, week)
);

-- Per-user preferences (core/notify.h): a row only where the person chose; the version is the
-- ETag of GET/PUT /api/v1/me/notifications.
CREATE TABLE notify_prefs (
  user_id INTEGER NOT NULL REFERENCES users(id),
  event TEXT NOT NULL,
  mode TEXT NOT NULL,
  PRIMARY KEY (user_id, event)
);
ALTER TABLE users ADD COLUMN notify_version INTEGER NOT NULL DEFAULT 1;

-- Per-user copies of an organisation's notification: the job thread "fans out" each row once
-- (fanned = 1) into rows of the organisation's people who want the event at once; (parent_id,
-- user_id) is unique, so nobody gets one event twice. Rows queued before this migration are
-- not fanned out.
ALTER TABLE outbox ADD COLUMN parent_id INTEGER REFERENCES outbox(id);
ALTER TABLE outbox ADD COLUMN fanned INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET fanned = 1;
CREATE UNIQUE INDEX outbox_fanout ON outbox(parent_id, user_id);
CREATE INDEX outbox_unfanned ON outbox(fanned, id);
