-- 010_products.sql - what warning matching needs beside 007 (docs/warnings.md): the products a
-- system runs (vendor, product, version), matching keys of system assets so matching is equality
-- lookups, the prefix lengths present among stored networks, the unique firings of the
-- "warning_unanswered" escalation, and the evidence file's name. Only additions. Portable SQL.

-- Products of a system, matched case-insensitively on vendor + product: match_key is
-- lower(vendor) || '|' || lower(product).
CREATE TABLE system_products (
  id INTEGER PRIMARY KEY,
  system_id INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  match_key TEXT NOT NULL
);
CREATE INDEX system_products_system ON system_products(system_id);
CREATE INDEX system_products_key ON system_products(match_key);

-- The key an asset is found by (core/match.c): "n:<canonical network>" for a CIDR (an address is
-- its /32 or /128) or a URL whose host is an address, "d:<domain>" for a domain or a URL's host
-- name. lo: for networks, the first address as fixed-width hex ("4:cb718300"), so the networks
-- INSIDE a warning's network are one index range.
ALTER TABLE system_assets ADD COLUMN mkey TEXT NOT NULL DEFAULT '';
ALTER TABLE system_assets ADD COLUMN lo TEXT NOT NULL DEFAULT '';
UPDATE system_assets SET mkey = 'd:' || lower(value) WHERE kind = 'domain';
UPDATE system_assets SET mkey = 'n:' || value WHERE kind = 'cidr' AND value LIKE '%/%';
CREATE INDEX system_assets_mkey ON system_assets(mkey);
CREATE INDEX system_assets_lo ON system_assets(lo) WHERE lo <> '';

-- The prefix lengths present among stored networks (assets and indicators), per family (4, 6):
-- an address is matched by looking up its network at each of these lengths only.
CREATE TABLE match_prefixes (
  family INTEGER NOT NULL,
  bits INTEGER NOT NULL,
  PRIMARY KEY (family, bits)
);
INSERT OR IGNORE INTO match_prefixes(family, bits)
  SELECT CASE WHEN value LIKE '%:%' THEN 6 ELSE 4 END,
         CAST(substr(value, instr(value, '/') + 1) AS INTEGER)
  FROM system_assets WHERE kind = 'cidr' AND value LIKE '%/%';

-- Unique firings of warning escalation rules: once per warning, late organisation and rule.
CREATE TABLE warning_firings (
  warning_id INTEGER NOT NULL REFERENCES warnings(id),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  rule TEXT NOT NULL,
  fired_at INTEGER NOT NULL,
  PRIMARY KEY (warning_id, org_id, rule)
);

ALTER TABLE warning_systems ADD COLUMN evidence_name TEXT NOT NULL DEFAULT '';
CREATE INDEX warning_targets_open ON warning_targets(responded_at, warning_id);
