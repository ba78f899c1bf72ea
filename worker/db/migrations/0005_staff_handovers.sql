-- A unit's staff list and the handover of a new mailbox password to staff by SMS
-- link. Times are unix seconds; ids are random base64url.

-- The people who use a unit's mailboxes. They never sign in: their mobile number is their
-- factor. A removed member keeps their row (removed_at) so the handover history still has a
-- name; their unopened links are revoked at removal.
CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,                    -- E.164, parsed like a mailbox number
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,               -- audit actor, 'person:<id>'
  updated_at INTEGER NOT NULL,
  removed_at INTEGER
);
-- One live entry per number and unit (the same person twice would get every link twice).
CREATE UNIQUE INDEX staff_unit_phone ON staff (unit_id, phone) WHERE removed_at IS NULL;

-- One password to hand over. It starts as a "share offer" when someone sets a mailbox
-- password (the password comes from that write, never from a client afterwards): only the
-- setter may share it, within 15 minutes. `sealed` is AES-GCM with the handover's id and
-- purpose as additional data; it becomes NULL once every link is viewed, revoked or expired,
-- or the offer lapses unshared.
CREATE TABLE handovers (
  id TEXT PRIMARY KEY,
  mailbox_id TEXT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
  sealed TEXT,
  setter TEXT NOT NULL,                   -- who may share it: 'person:<id>'
  created_at INTEGER NOT NULL,
  offer_expires_at INTEGER NOT NULL,      -- the offer lapses unless shared by then
  shared_at INTEGER,
  shared_by TEXT,                         -- audit actor of the share
  -- set by the request that shares it; the links of its batch are written only under it
  share_claim TEXT,
  expires_at INTEGER                      -- shared_at + 24 hours: the password's end
);
CREATE INDEX handovers_mailbox ON handovers (mailbox_id, created_at);
CREATE INDEX handovers_sealed ON handovers (id) WHERE sealed IS NOT NULL;

-- One personal link per recipient. Only an HMAC of the link's 256-bit token is stored.
-- Single view: `viewed_at` is set by a conditional UPDATE whose changed-row count decides who
-- won; `view_claim` lets the rest of that batch read the password under the same claim.
CREATE TABLE handover_links (
  id TEXT PRIMARY KEY,
  handover_id TEXT NOT NULL REFERENCES handovers (id) ON DELETE CASCADE,
  staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  -- 'queued' until the background send ends: 'sent', 'failed', or 'refused' (SMS budget)
  sms TEXT NOT NULL CHECK (sms IN ('queued', 'sent', 'failed', 'refused')),
  sent_at INTEGER,
  viewed_at INTEGER,
  view_claim TEXT,
  revoked_at INTEGER,
  -- the link that replaced this one (a fresh link to the same person)
  replaced_by TEXT
);
CREATE INDEX handover_links_handover ON handover_links (handover_id);
CREATE INDEX handover_links_staff ON handover_links (staff_id);
