/**
 * Mailbox login lockout, keyed by the submitted canonical username whether or not it exists,
 * so "locked" is no sign that an account is real. Times are unix seconds.
 */

export async function lockedUntil(db: D1Database, username: string, now: number) {
  const row = await db
    .prepare('SELECT locked_until FROM login_failures WHERE username = ? AND locked_until > ?')
    .bind(username, now)
    .first<{ locked_until: number }>();
  return row?.locked_until ?? null;
}

/** Records a failure; locks for `lockSeconds` when it reaches `maxFailures`. Returns the lock end. */
export async function recordFailure(
  db: D1Database,
  username: string,
  now: number,
  maxFailures: number,
  lockSeconds: number,
): Promise<number | null> {
  const row = await db
    .prepare(
      `INSERT INTO login_failures (username, failures, locked_until, updated_at)
       VALUES (?1, 1, CASE WHEN 1 >= ?3 THEN ?2 + ?4 END, ?2)
       ON CONFLICT (username) DO UPDATE SET
         failures = CASE WHEN locked_until IS NOT NULL AND locked_until <= ?2 THEN 1 ELSE failures + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= ?2 THEN 1 ELSE failures + 1 END) >= ?3
           THEN ?2 + ?4 ELSE NULL END,
         updated_at = ?2
       RETURNING locked_until`,
    )
    .bind(username, now, maxFailures, lockSeconds)
    .first<{ locked_until: number | null }>();
  return row?.locked_until ?? null;
}

export async function clearFailures(db: D1Database, username: string) {
  await db.prepare('DELETE FROM login_failures WHERE username = ?').bind(username).run();
}
