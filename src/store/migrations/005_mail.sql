-- 005_mail.sql - notifications out besides e-mail (docs/mail.md): one webhook per organisation
-- (URL and the HMAC secret), the webhook delivery state of each outbox row (apart from its e-mail
-- state, so one channel failing does not hold the other back), and a log of every attempt.
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL UNIQUE REFERENCES orgs(id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

ALTER TABLE outbox ADD COLUMN hook_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN hook_next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN hook_sent_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_hook_pending ON outbox(hook_sent_at, hook_next_at);

CREATE TABLE webhook_log (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  url TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_log_outbox ON webhook_log(outbox_id);
