-- Nyckel schema, part 1: mailboxes, their password history, sessions, one-time-code
-- challenges, budgets, the SMS/mail outbox, delivery records and the audit log.
-- Every time is unix seconds (INTEGER). Ids are random base64url strings made by the worker.

CREATE TABLE units (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE mailboxes (
  id TEXT PRIMARY KEY,
  -- canonical form: NFKC, lower case, no zero-width characters (worker/domain/username.ts)
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  unit_id TEXT REFERENCES units (id),
  -- E.164, or NULL when no number has been registered
  phone TEXT,
  -- self-describing PBKDF2 string (worker/domain/password-hash.ts)
  password_hash TEXT NOT NULL,
  -- one salt per account for the history digests, so a candidate is derived once
  history_salt TEXT NOT NULL,
  password_changed_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- Digests of the current and earlier passwords (PBKDF2 with the account's history salt).
CREATE TABLE password_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  mailbox_id TEXT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
  digest TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX password_history_mailbox ON password_history (mailbox_id, id);

-- Sessions: only an HMAC of the cookie value is stored, so a database reader cannot
-- impersonate anyone and a session can be revoked by deleting or marking its row.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('mailbox')),
  subject_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  ip TEXT
);
CREATE INDEX sessions_subject ON sessions (kind, subject_id);

-- One-time-code challenges. KV holds only the code's secret (TTL = lifetime); this row is
-- the authority on attempts, expiry and consumption (KV is eventually consistent; D1 is not).
-- mailbox_id is NULL for a reset started with an unknown username or for a mailbox without
-- a phone: such a decoy behaves the same to the client and never sends an SMS.
CREATE TABLE challenges (
  id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'phone')),
  mailbox_id TEXT REFERENCES mailboxes (id) ON DELETE CASCADE,
  -- the destination of the code (phone purpose: the new number to be saved)
  phone TEXT,
  -- phone purpose: the session that asked, so another session cannot finish it
  session_hash TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  resend_after INTEGER NOT NULL,
  resends INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'verified', 'used', 'locked', 'superseded')),
  -- reset purpose: HMAC of the token handed out after the right code
  token_hash TEXT,
  token_expires_at INTEGER,
  -- set by the request that consumes the challenge; later statements of the same batch
  -- write only if their claim is the one recorded
  claim TEXT
);
CREATE INDEX challenges_mailbox ON challenges (mailbox_id, purpose, status);
CREATE INDEX challenges_expiry ON challenges (expires_at);

-- Fixed-window counters for throttling and SMS budgets: key names the subject
-- (for example 'sms:number:+46701234567'), window_start the window's first second.
CREATE TABLE counters (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX counters_expiry ON counters (expires_at);

-- Lockouts keyed by the submitted (canonical) username whether or not it exists, so a
-- lockout reveals nothing about which usernames are real.
CREATE TABLE login_failures (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  locked_until INTEGER,
  updated_at INTEGER NOT NULL
);

-- Development outbox: what the outbox SMS provider and mailer "sent". Never used in
-- production (the worker refuses the outbox provider outside ENVIRONMENT=development).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'mail')),
  recipient TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Delivery records for operators: never the message body (it may carry a code).
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'mail')),
  purpose TEXT NOT NULL,
  recipient_masked TEXT NOT NULL,
  provider TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'skipped')),
  attempts INTEGER NOT NULL,
  error TEXT,
  created_at INTEGER NOT NULL
);

-- Audit log: who, what, when, from where, outcome. Never a password, code or token.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  ip TEXT,
  outcome TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX audit_target ON audit (target, at);
