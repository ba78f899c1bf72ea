/**
 * One-time-code challenges: the D1 row is the authority on a code's state (attempts, expiry,
 * use). Every change is a conditional UPDATE whose changed-row count decides who won a race.
 * Times are unix seconds.
 */

export type Purpose = 'reset' | 'phone';

import { type Db, firstRow, type Guard } from './database';
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

export interface ChallengeRow {
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

export function toChallenge(r: ChallengeRow): Challenge {
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

/** Inserts a challenge; with `guard`, only while that SQL condition holds. */
export function insertChallengeStatement(
  db: Db,
  c: NewChallenge,
  guard: { sql: string; params: unknown[] } = { sql: '1', params: [] },
) {
  return db
    .prepare(
      `INSERT INTO challenges (id, purpose, mailbox_id, username, phone, session_hash,
         created_at, expires_at, resend_after, max_attempts)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${guard.sql}`,
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
      ...guard.params,
    );
}

/** Ends every other live phone challenge of a mailbox: only the newest number can be confirmed. */
export function supersedePhoneChallengesStatement(
  db: Db,
  mailboxId: string,
  guard: Guard = { sql: '1', params: [] },
) {
  return db
    .prepare(
      `UPDATE challenges SET status = 'superseded'
       WHERE mailbox_id = ? AND purpose = 'phone' AND status = 'pending' AND ${guard.sql}`,
    )
    .bind(mailboxId, ...guard.params);
}

/** One challenge by id, whatever its purpose, for a batch (a ChallengeRow, or none). */
export function challengeStatement(db: Db, id: string) {
  return db.prepare('SELECT * FROM challenges WHERE id = ?').bind(id);
}

/** A batch result's challenge, or null. */
export function readChallenge(result: D1Result | undefined): Challenge | null {
  const row = firstRow<ChallengeRow>(result);
  return row ? toChallenge(row) : null;
}

/**
 * findPhoneChallenge for a batch that reads the session too: the newest phone challenge the
 * session started, for the session's own mailbox.
 */
export function phoneChallengeOfSessionStatement(db: Db, sessionHash: string) {
  return db
    .prepare(
      `SELECT * FROM challenges WHERE purpose = 'phone' AND session_hash = ?1
         AND mailbox_id = (SELECT subject_id FROM sessions WHERE id_hash = ?1)
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .bind(sessionHash);
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
    /** A right code claims as it is entered: it counts its try, and needs one left. */
    countTry?: boolean;
  },
) {
  // A verified reset is bounded by its token's lifetime, a pending code by the code's.
  const live =
    c.tokenHash === undefined
      ? { sql: 'expires_at > ?', params: [c.now] }
      : { sql: 'token_hash = ? AND token_expires_at > ?', params: [c.tokenHash, c.now] };
  const attempt = c.countTry ? ', attempts = attempts + 1' : '';
  const triesLeft = c.countTry ? 'AND attempts < max_attempts' : '';
  return db
    .prepare(
      `UPDATE challenges SET status = 'used', claim = ?${attempt}
       WHERE id = ? AND status = ? AND ${live.sql} ${triesLeft}
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
  const result = await markResentStatement(db, id, now, nextResendAfter, maxResends).run();
  return result.meta.changes === 1;
}

/** markResent's statement, for a batch; with `guard`, only while that also holds. */
export function markResentStatement(
  db: Db,
  id: string,
  now: number,
  nextResendAfter: number,
  maxResends: number,
  guard: Guard = { sql: '1', params: [] },
) {
  return db
    .prepare(
      `UPDATE challenges SET resends = resends + 1, resend_after = ?
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND resend_after <= ? AND resends < ?
         AND ${RESET_NUMBER_CURRENT} AND ${guard.sql}`,
    )
    .bind(nextResendAfter, id, now, now, maxResends, ...guard.params);
}

/** Open for a code attempt: pending, not expired, tries left. */
const OPEN_FOR_ATTEMPTS = `status = 'pending' AND expires_at > ? AND attempts < max_attempts`;

/** A guard that holds while the challenge is open for a code attempt. */
export function openForAttemptsGuard(id: string, now: number): Guard {
  return {
    sql: `EXISTS (SELECT 1 FROM challenges WHERE id = ? AND ${OPEN_FOR_ATTEMPTS})`,
    params: [id, now],
  };
}

/**
 * A wrong code, counted in one statement while the challenge is open for it (and `guard`
 * holds); the try that spends the last one locks the challenge, so even the right code is
 * refused after it. Returns `attempts` and `max_attempts`, or no row when nothing was counted.
 * Parallel guesses each count their own try: no more are compared than the challenge allows.
 */
export function countWrongStatement(db: Db, id: string, now: number, guard: Guard) {
  return db
    .prepare(
      `UPDATE challenges SET attempts = attempts + 1,
         status = CASE WHEN attempts + 1 >= max_attempts THEN 'locked' ELSE status END
       WHERE id = ? AND ${OPEN_FOR_ATTEMPTS} AND ${guard.sql}
       RETURNING attempts, max_attempts`,
    )
    .bind(id, now, ...guard.params);
}

/**
 * The right code of a reset, in one statement: counts the try and marks the reset verified
 * with its token's digest while it is open for the attempt (and `guard` holds). Of parallel
 * right codes one changes the row; the others change nothing.
 */
export function verifyCodeStatement(
  db: Db,
  c: { id: string; tokenHash: string; tokenExpiresAt: number; now: number; guard: Guard },
) {
  return db
    .prepare(
      `UPDATE challenges SET attempts = attempts + 1, status = 'verified', token_hash = ?,
         token_expires_at = ?
       WHERE id = ? AND ${OPEN_FOR_ATTEMPTS} AND ${c.guard.sql}`,
    )
    .bind(c.tokenHash, c.tokenExpiresAt, c.id, c.now, ...c.guard.params);
}

/** A guard that holds once this request's token is the reset's (verifyCodeStatement won). */
export function verifiedWithGuard(id: string, tokenHash: string): Guard {
  return {
    sql: 'EXISTS (SELECT 1 FROM challenges WHERE id = ? AND token_hash = ?)',
    params: [id, tokenHash],
  };
}
