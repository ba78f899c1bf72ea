-- Identities of new hires and their initial passwords, the service tokens of the
-- HR/identity integration, and the signed webhook to a directory connector.

-- A person as the HR/identity system knows them. The personnummer is stored sealed (AES-GCM,
-- the identity's id as additional data) with a keyed blind index (HMAC-SHA256) for exact
-- search and a masked form for display; it never appears in clear in a table.
CREATE TABLE identities (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE,           -- the organisation's login id, lower case
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  -- Folded (case and diacritics removed) for prefix search: "ake" finds "Åke".
  given_key TEXT NOT NULL,
  family_key TEXT NOT NULL,
  full_key TEXT NOT NULL,                 -- "given family", folded
  pnr_sealed TEXT NOT NULL,
  pnr_index TEXT NOT NULL UNIQUE,
  pnr_masked TEXT NOT NULL,               -- 19850612-••••
  hsa_id TEXT,                            -- upper case
  unit_id TEXT NOT NULL REFERENCES units (id),
  start_date TEXT NOT NULL,               -- YYYY-MM-DD, the employment start date
  state TEXT NOT NULL CHECK (state IN ('new', 'active', 'ended', 'inactive')),
  version INTEGER NOT NULL DEFAULT 1,     -- optimistic concurrency for upserts
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Prefix search within the searcher's units (unit_id = ? or IN (...), then a range).
CREATE INDEX identities_unit_user ON identities (unit_id, user_id);
CREATE INDEX identities_unit_hsa ON identities (unit_id, hsa_id);
CREATE INDEX identities_unit_given ON identities (unit_id, given_key);
CREATE INDEX identities_unit_family ON identities (unit_id, family_key);
CREATE INDEX identities_unit_full ON identities (unit_id, full_key);
-- An administrator searches every unit.
CREATE INDEX identities_hsa ON identities (hsa_id);
CREATE INDEX identities_given ON identities (given_key);
CREATE INDEX identities_family ON identities (family_key);
CREATE INDEX identities_full ON identities (full_key);

-- The current initial password of an identity (one cycle; a re-activation starts a new one).
-- `sealed` is AES-GCM with the identity's id as additional data, and is deleted (NULL) at
-- the first login.
CREATE TABLE initial_passwords (
  identity_id TEXT PRIMARY KEY REFERENCES identities (id),
  sealed TEXT,
  reason TEXT NOT NULL CHECK (reason IN ('new', 'reactivated')),
  created_at INTEGER NOT NULL,
  fetch_count INTEGER NOT NULL DEFAULT 0,
  first_fetched_at INTEGER,
  last_fetched_at INTEGER,
  first_login_at INTEGER,
  notified_at INTEGER,                    -- the rule-7 e-mail went out
  reminded_at INTEGER                     -- the 3-days-before-start reminder went out
);
CREATE INDEX initial_passwords_open ON initial_passwords (first_login_at, fetch_count);

-- Tokens for other systems (HR intake, credential check). Only a SHA-256 of the token is
-- stored; it is shown once when created.
CREATE TABLE service_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,                   -- space-separated
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

-- Webhook events to the directory connector, delivered and retried from here. `id` is the
-- idempotency key the receiver sees. Times are unix seconds. `attempts` counts claims, so it
-- also fences a late outcome write; the payload's `password` (a JWE) and `phone` are removed
-- once the event is delivered or given up.
CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
  claimed_at INTEGER,
  last_status INTEGER,                    -- HTTP status of the last attempt, NULL if none came back
  last_error TEXT,                        -- 'http', 'timeout', 'network', 'redirect', 'stuck'
  delivered_at INTEGER
);
CREATE INDEX webhook_events_due ON webhook_events (status, next_attempt_at);
