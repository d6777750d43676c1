-- 014_stix_namespace.sql - the instance's STIX namespace (core/stix.h: the UUIDv5 namespace its
-- objects' ids are made in) is made with the data folder, not written by the first export: a
-- read never writes. A random version-4 UUID; an instance that already has one keeps it.
INSERT OR IGNORE INTO meta(key, value) VALUES ('stix_namespace',
  lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
  substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
  substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))));
