/**
 * Mailbox login lockout, keyed by the submitted canonical username whether or not it exists,
 * so "locked" is no sign that an account is real. Times are unix seconds.
 */

/**
 * How long counted attempts still being checked can make a reached limit a "try again in a
 * moment": a check takes well under a second, so after this one whose worker stopped no
 * longer counts as in progress.
 */
const SETTLING_SECONDS = 10;

export type AttemptVerdict =
  /** Counted: `failures` is the count with this attempt. */
  | { refused: false; failures: number }
  /** A lock from failures: refuse until it ends. */
  | { refused: 'locked'; until: number }
  /**
   * The limit is reached while counted attempts are still being checked (several people
   * signing in to one shared mailbox at once): try again in a moment. A success among them
   * clears the count; if they all fail, the lock stands.
   */
  | { refused: 'busy'; until: number };

/**
 * Counts an attempt before its password or code is checked, and locks for `lockSeconds` once
 * `maxFailures` attempts have been counted. The caller reports back: `attemptFailed`, or
 * `clearFailures` on success. Counting first is what makes the limit hold for requests sent
 * in parallel: checking the lock, then the guess, then writing the failure let every request
 * that read the lock before the fifth failure was written have a guess of its own. While a
 * lock is in force nothing is counted. An expired lock starts a fresh count.
 */
export async function countAttempt(
  db: D1Database,
  username: string,
  now: number,
  maxFailures: number,
  lockSeconds: number,
): Promise<AttemptVerdict> {
  const counted = await db
    .prepare(
      `INSERT INTO login_failures (username, failures, locked_until, updated_at, checking)
       VALUES (?1, 1, CASE WHEN 1 >= ?3 THEN ?2 + ?4 END, ?2, 1)
       ON CONFLICT (username) DO UPDATE SET
         failures = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failures + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failures + 1 END) >= ?3
           THEN ?2 + ?4 ELSE NULL END,
         checking = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE checking + 1 END,
         updated_at = ?2
       WHERE locked_until IS NULL OR locked_until <= ?2
       RETURNING failures`,
    )
    .bind(username, now, maxFailures, lockSeconds)
    .first<{ failures: number }>();
  if (counted) return { refused: false, failures: counted.failures };
  const lock = await db
    .prepare(
      `SELECT locked_until, checking, updated_at FROM login_failures
        WHERE username = ? AND locked_until > ?`,
    )
    .bind(username, now)
    .first<{ locked_until: number; checking: number; updated_at: number }>();
  // Gone between the two statements: a success cleared it, or it just ended.
  if (!lock) return { refused: 'busy', until: now + 1 };
  if (lock.checking > 0 && lock.updated_at > now - SETTLING_SECONDS) {
    return { refused: 'busy', until: now + 2 };
  }
  return { refused: 'locked', until: lock.locked_until };
}

/** A counted attempt turned out wrong: it stays counted and is no longer in progress. */
export async function attemptFailed(db: D1Database, username: string) {
  await db
    .prepare('UPDATE login_failures SET checking = MAX(checking - 1, 0) WHERE username = ?')
    .bind(username)
    .run();
}

export async function clearFailures(db: D1Database, username: string) {
  await db.prepare('DELETE FROM login_failures WHERE username = ?').bind(username).run();
}

/**
 * Locks now, until `until`, without counting this attempt as a failure: a stricter limit
 * than the one `countAttempt` applied (the domain's lockout threshold) is reached.
 */
export async function lockAttempts(db: D1Database, username: string, until: number) {
  await db
    .prepare(
      `UPDATE login_failures SET locked_until = ?, failures = MAX(failures - 1, 0),
         checking = MAX(checking - 1, 0) WHERE username = ?`,
    )
    .bind(until, username)
    .run();
}

/**
 * A counted attempt that was never checked (the directory could not be reached): it is taken
 * back whole, so an outage neither locks anyone out nor leaves a count behind.
 */
export async function attemptUncounted(db: D1Database, username: string, maxFailures: number) {
  await db.batch([
    db
      .prepare(
        `UPDATE login_failures SET failures = MAX(failures - 1, 0), checking = MAX(checking - 1, 0),
           locked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE locked_until END
         WHERE username = ?`,
      )
      .bind(maxFailures, username),
    db
      .prepare('DELETE FROM login_failures WHERE username = ? AND failures = 0 AND checking = 0')
      .bind(username),
  ]);
}
