/**
 * One-time-code challenges: the D1 row is the authority on a code's state (attempts, expiry,
 * use). Every change is a conditional UPDATE whose changed-row count decides who won a race.
 * Times are unix seconds.
 */

export type Purpose = 'reset' | 'phone';

import type { Db } from './database';
export type ChallengeStatus = 'pending' | 'verified' | 'used' | 'locked' | 'superseded';

export interface Challenge {
  id: string;
  purpose: Purpose;
  mailboxId: string | null;
  /** Reset purpose: the canonical username typed at the start, known or not. */
  username: string | null;
  phone: string | null;
  sessionHash: string | null;
  createdAt: number;
  expiresAt: number;
  resendAfter: number;
  resends: number;
  attempts: number;
  maxAttempts: number;
  status: ChallengeStatus;
  tokenHash: string | null;
  tokenExpiresAt: number | null;
}

interface ChallengeRow {
  id: string;
  purpose: Purpose;
  mailbox_id: string | null;
  username: string | null;
  phone: string | null;
  session_hash: string | null;
  created_at: number;
  expires_at: number;
  resend_after: number;
  resends: number;
  attempts: number;
  max_attempts: number;
  status: ChallengeStatus;
  token_hash: string | null;
  token_expires_at: number | null;
}

function toChallenge(r: ChallengeRow): Challenge {
  return {
    id: r.id,
    purpose: r.purpose,
    mailboxId: r.mailbox_id,
    username: r.username,
    phone: r.phone,
    sessionHash: r.session_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    resendAfter: r.resend_after,
    resends: r.resends,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    status: r.status,
    tokenHash: r.token_hash,
    tokenExpiresAt: r.token_expires_at,
  };
}

export interface NewChallenge {
  id: string;
  purpose: Purpose;
  mailboxId: string | null;
  /** Reset purpose: the submitted canonical username (known or not); null otherwise. */
  username: string | null;
  phone: string | null;
  sessionHash: string | null;
  at: number;
  expiresAt: number;
  resendAfter: number;
  maxAttempts: number;
}

export function insertChallengeStatement(db: Db, c: NewChallenge) {
  return db
    .prepare(
      `INSERT INTO challenges (id, purpose, mailbox_id, username, phone, session_hash,
         created_at, expires_at, resend_after, max_attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      c.id,
      c.purpose,
      c.mailboxId,
      c.username,
      c.phone,
      c.sessionHash,
      c.at,
      c.expiresAt,
      c.resendAfter,
      c.maxAttempts,
    );
}

/** Ends every other live phone challenge of a mailbox: only the newest number can be confirmed. */
export function supersedePhoneChallengesStatement(db: Db, mailboxId: string) {
  return db
    .prepare(
      `UPDATE challenges SET status = 'superseded'
       WHERE mailbox_id = ? AND purpose = 'phone' AND status = 'pending'`,
    )
    .bind(mailboxId);
}

export async function findChallenge(db: Db, id: string, purpose: Purpose) {
  const row = await db
    .prepare('SELECT * FROM challenges WHERE id = ? AND purpose = ?')
    .bind(id, purpose)
    .first<ChallengeRow>();
  return row ? toChallenge(row) : null;
}

/** The newest pending phone challenge started by this session. */
export async function findPhoneChallenge(db: Db, mailboxId: string, sessionHash: string) {
  const row = await db
    .prepare(
      `SELECT * FROM challenges WHERE mailbox_id = ? AND purpose = 'phone' AND session_hash = ?
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .bind(mailboxId, sessionHash)
    .first<ChallengeRow>();
  return row ? toChallenge(row) : null;
}

export async function deleteChallenge(db: Db, id: string) {
  await db.prepare('DELETE FROM challenges WHERE id = ?').bind(id).run();
}

/**
 * Counts one attempt before the code is compared, so twenty parallel guesses are twenty
 * counted attempts. Returns the attempt's number, or null when the challenge was no longer
 * open for attempts (used, locked, expired or out of tries) by the time this ran.
 */
export async function countAttempt(db: Db, id: string, now: number) {
  const row = await db
    .prepare(
      `UPDATE challenges SET attempts = attempts + 1
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
       RETURNING attempts, max_attempts`,
    )
    .bind(id, now)
    .first<{ attempts: number; max_attempts: number }>();
  return row ? { attempts: row.attempts, maxAttempts: row.max_attempts } : null;
}

/** A challenge's attempts as they are now, after countAttempt lost a race. */
export async function attemptState(db: Db, id: string) {
  const row = await db
    .prepare('SELECT status, attempts, max_attempts, expires_at FROM challenges WHERE id = ?')
    .bind(id)
    .first<{
      status: ChallengeStatus;
      attempts: number;
      max_attempts: number;
      expires_at: number;
    }>();
  return row
    ? {
        status: row.status,
        attempts: row.attempts,
        maxAttempts: row.max_attempts,
        expiresAt: row.expires_at,
      }
    : null;
}

/**
 * Gives back an attempt counted by countAttempt whose code was then not compared (a limit
 * beyond the challenge's own refused it), so it does not use up one of the owner's tries.
 */
export async function uncountAttempt(db: Db, id: string) {
  await db
    .prepare('UPDATE challenges SET attempts = attempts - 1 WHERE id = ? AND attempts > 0')
    .bind(id)
    .run();
}

/** After the last allowed wrong code the challenge is locked: even the right code is refused. */
export async function lockIfExhausted(db: Db, id: string) {
  await db
    .prepare(
      `UPDATE challenges SET status = 'locked'
       WHERE id = ? AND status = 'pending' AND attempts >= max_attempts`,
    )
    .bind(id)
    .run();
}

/** Marks a reset as verified and stores its token's digest; false if another request won. */
export async function markVerified(
  db: Db,
  id: string,
  tokenHash: string,
  tokenExpiresAt: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE challenges SET status = 'verified', token_hash = ?, token_expires_at = ?
       WHERE id = ? AND status = 'pending' AND expires_at > ?`,
    )
    .bind(tokenHash, tokenExpiresAt, id, now)
    .run();
  return result.meta.changes === 1;
}

/**
 * The first statement of a consuming batch: claims the challenge for this request. The
 * statements after it carry `claimGuard` so they write only if this claim is the one stored.
 */
/**
 * A reset code belongs to the number it was sent to: once the mailbox's number is another
 * (a stolen phone replaced), the reset cannot be completed nor its code sent again, even if
 * it was started in the moment before the change.
 */
const RESET_NUMBER_CURRENT = `(purpose <> 'reset'
  OR phone IS (SELECT m.phone FROM mailboxes m WHERE m.id = challenges.mailbox_id))`;

/**
 * Ends a mailbox's open resets, inside the batch that sets a new password or confirms a new
 * number (`guard` as for that batch): a reset begun before is about a password or a number
 * that is no longer the mailbox's. The batch's own claimed challenge is already 'used'.
 */
export function endResetsStatement(
  db: Db,
  mailboxId: string,
  guard: { sql: string; params: unknown[] },
) {
  return db
    .prepare(
      `UPDATE challenges SET status = 'superseded'
       WHERE mailbox_id = ? AND purpose = 'reset' AND status IN ('pending', 'verified')
         AND ${guard.sql}`,
    )
    .bind(mailboxId, ...guard.params);
}

/**
 * A new number is confirmed only while the session that asked for it is live: a reset that
 * landed a moment earlier has signed everybody out, and its batch must not be followed by a
 * number change from a session it ended.
 */
const PHONE_SESSION_LIVE = `(purpose <> 'phone' OR EXISTS (SELECT 1 FROM sessions s
  WHERE s.id_hash = challenges.session_hash AND s.revoked_at IS NULL))`;

export function claimStatement(
  db: Db,
  c: {
    id: string;
    from: 'pending' | 'verified';
    claim: string;
    now: number;
    tokenHash?: string;
    /** The claim was leased first (leaseVerified): only that lease may finish it. */
    leased?: boolean;
  },
) {
  // A verified reset is bounded by its token's lifetime, a pending code by the code's.
  const live =
    c.tokenHash === undefined
      ? { sql: 'expires_at > ?', params: [c.now] }
      : { sql: 'token_hash = ? AND token_expires_at > ?', params: [c.tokenHash, c.now] };
  return db
    .prepare(
      `UPDATE challenges SET status = 'used', claim = ?
       WHERE id = ? AND status = ? AND ${live.sql}
         AND ${RESET_NUMBER_CURRENT} AND ${PHONE_SESSION_LIVE}
         AND claim IS ${c.leased ? '?' : 'NULL'}`,
    )
    .bind(c.claim, c.id, c.from, ...live.params, ...(c.leased ? [c.claim] : []));
}

/**
 * A lease older than this was left by a request that stopped (its worker was cancelled): the
 * request itself gave up after the hub's 8 s wait, and a write it had sent has landed or
 * failed well within it, so the token may be used again.
 */
export const LEASE_SECONDS = 30;

/**
 * Reserves a verified reset for one request while it sets the password in the domain, which
 * cannot be part of a D1 batch: a second request with the same token finds it taken. The
 * reset stays 'verified', so if the domain cannot be reached the lease is released and the
 * token is not spent. The claim starts with the unix second it was taken.
 */
export async function leaseVerified(
  db: Db,
  c: { id: string; claim: string; tokenHash: string; now: number },
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE challenges SET claim = ? WHERE id = ? AND status = 'verified'
         AND (claim IS NULL OR CAST(substr(claim, 1, instr(claim, ':') - 1) AS INTEGER) < ?)
         AND token_hash = ? AND token_expires_at > ? AND ${RESET_NUMBER_CURRENT}`,
    )
    .bind(c.claim, c.id, c.now - LEASE_SECONDS, c.tokenHash, c.now)
    .run();
  return result.meta.changes === 1;
}

/** A lease's claim: when it was taken, then a random id. */
export function leaseClaim(now: number, id: string): string {
  return `${now}:${id}`;
}

export async function releaseLease(db: Db, id: string, claim: string): Promise<void> {
  await db
    .prepare(
      `UPDATE challenges SET claim = NULL WHERE id = ? AND claim = ? AND status = 'verified'`,
    )
    .bind(id, claim)
    .run();
}

export function claimGuard(id: string, claim: string) {
  return {
    sql: 'EXISTS (SELECT 1 FROM challenges WHERE id = ? AND claim = ?)',
    params: [id, claim] as unknown[],
  };
}

/** Resend: the same code again, only after the wait, a bounded number of times. */
export async function markResent(
  db: Db,
  id: string,
  now: number,
  nextResendAfter: number,
  maxResends: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE challenges SET resends = resends + 1, resend_after = ?
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND resend_after <= ? AND resends < ?
         AND ${RESET_NUMBER_CURRENT}`,
    )
    .bind(nextResendAfter, id, now, now, maxResends)
    .run();
  return result.meta.changes === 1;
}
