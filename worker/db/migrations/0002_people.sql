-- Nyckel schema, part 2: people (managers, delegates, administrators), their roles per unit,
-- strong sign-in factors (passkeys, TOTP), one-time invites, person sessions, run-time
-- settings and rotation reminders. Times are unix seconds; ids are random base64url.

-- A person is not a mailbox: people sign in with a passkey, TOTP or a smart card, never a
-- password.
CREATE TABLE people (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- lower case; unique so an invite by e-mail finds the same person again
  email TEXT NOT NULL UNIQUE,
  -- E.164 or NULL
  phone TEXT,
  -- SITHS/HSA identity (for example SE2321000016-1234), upper case, or NULL
  hsa_id TEXT UNIQUE,
  is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  disabled_at INTEGER,
  created_at INTEGER NOT NULL
);

-- One role per person and unit. A manager manages the unit's mailboxes and its delegates; a
-- delegate manages the mailboxes only.
CREATE TABLE roles (
  person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  unit_id TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('manager', 'delegate')),
  created_at INTEGER NOT NULL,
  created_by TEXT,
  PRIMARY KEY (person_id, unit_id)
);
CREATE INDEX roles_unit ON roles (unit_id, role);

-- Enrolment invites: only a SHA-256 of the link's token is stored. Single use, 72 hours.
-- totp_secret holds the encrypted secret offered during enrolment until it is confirmed.
CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  revoked_at INTEGER,
  totp_secret TEXT,
  -- set by the request that uses the invite; the rest of its batch writes only under it
  claim TEXT
);
CREATE INDEX invites_person ON invites (person_id);

-- WebAuthn credentials (passkeys). id is the credential id (base64url).
CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL DEFAULT 0,
  transports TEXT,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_person ON passkeys (person_id);

-- TOTP factor: the secret encrypted with the data key (AES-GCM, key id inside), and the last
-- time step accepted so that each code works once.
CREATE TABLE totp_factors (
  person_id TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  last_step INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

-- WebAuthn challenges, single use: the ceremony that presents one claims it with a
-- conditional UPDATE.
CREATE TABLE webauthn_challenges (
  id TEXT PRIMARY KEY,
  challenge TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  invite_id TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);

-- Sessions now serve people too. SQLite cannot change a CHECK, so the table is rebuilt.
-- last_seen_at drives the idle timeout; verified_at is the last strong check (step-up).
CREATE TABLE sessions_new (
  id_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('mailbox', 'person')),
  subject_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  ip TEXT,
  last_seen_at INTEGER,
  verified_at INTEGER,
  method TEXT
);
INSERT INTO sessions_new (id_hash, kind, subject_id, created_at, expires_at, revoked_at, ip)
  SELECT id_hash, kind, subject_id, created_at, expires_at, revoked_at, ip FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_subject ON sessions (kind, subject_id);

-- Mailboxes can be disabled by an administrator (no login, no reset, no reminders).
ALTER TABLE mailboxes ADD COLUMN disabled_at INTEGER;
CREATE INDEX mailboxes_unit ON mailboxes (unit_id);

-- The unit an audit entry belongs to, so a unit's trail is one indexed query.
ALTER TABLE audit ADD COLUMN unit_id TEXT;
CREATE INDEX audit_unit ON audit (unit_id, at);
CREATE INDEX audit_at ON audit (at);

-- Settings editable at run time (the internal-network list); a missing row means the
-- wrangler var is in force.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);

-- Rotation reminders: one row per mailbox, threshold and password cycle
-- (password_changed_at), claimed before sending so a re-run sends nothing twice.
CREATE TABLE reminders (
  mailbox_id TEXT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
  threshold INTEGER NOT NULL,
  cycle INTEGER NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('mail', 'sms')),
  status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
  claimed_at INTEGER NOT NULL,
  PRIMARY KEY (mailbox_id, threshold, cycle, channel)
);
