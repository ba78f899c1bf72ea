-- The directory: where a mailbox's password really lives, and the connectors that reach it.
-- Every time is unix seconds (INTEGER).

-- 'local': D1 holds the password hash (development and small deployments).
-- 'ad': the domain holds the password; password_hash then holds only a random marker that
-- changes with every password set through Nyckel (so compare-and-set guards keep working) and
-- never verifies. object_guid is the account's objectGUID, the anchor that survives renames.
ALTER TABLE mailboxes ADD COLUMN mode TEXT NOT NULL DEFAULT 'local' CHECK (mode IN ('local', 'ad'));
ALTER TABLE mailboxes ADD COLUMN object_guid TEXT;
CREATE UNIQUE INDEX mailboxes_object_guid ON mailboxes (object_guid) WHERE object_guid IS NOT NULL;

-- Connectors an administrator registered: the public halves of the connector's keys. The id
-- is the JWK thumbprint of the signing key (the connector computes the same).
CREATE TABLE connectors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- Ed25519 public key, base64url (JWK x)
  signing_key TEXT NOT NULL,
  -- RSA public JWK {kty, n, e} as JSON: passwords in jobs are encrypted to it
  encryption_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at INTEGER,
  -- what the connector said when it last proved itself
  connected_at INTEGER,
  version TEXT,
  domain_controller TEXT,
  last_job_at INTEGER,
  last_job_op TEXT,
  last_job_outcome TEXT
);

-- The latest errors per connector, for the administrator's view (pruned to 20 each).
CREATE TABLE connector_errors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  connector_id TEXT,
  at INTEGER NOT NULL,
  op TEXT,
  error TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX connector_errors_connector ON connector_errors (connector_id, id);
