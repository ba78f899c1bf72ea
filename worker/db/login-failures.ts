/**
 * Sign-in lockouts, keyed by the submitted canonical username (or a person's e-mail) whether
 * or not it exists, so "locked" is no sign that an account is real. Times are unix seconds.
 *
 * Failures throttle the one trying, not the owner: each account has a row per client network
 * (`<subject>|<network>`, the network as clientNetwork() names it) that locks after a few
 * failures, and one account-wide row (`<subject>`) with a much higher ceiling across all
 * networks, past which every further attempt waits a growing delay instead of meeting a hard
 * lock. Someone guessing from one network locks only that network; the owner signing in from
 * another one is not affected until the guesses are so many, from so many networks, that the
 * account-wide delay applies to all.
 */

/**
 * How long counted attempts still being checked can make a reached limit a "try again in a
 * moment": a check takes well under a second, so after this one whose worker stopped no
 * longer counts as in progress.
 */
const SETTLING_SECONDS = 10;

import { type Db, firstRow, type Guard, PREVIOUS_CHANGED } from './database';

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
/** Who is signing in, and from where. */
export interface AttemptKey {
  /** The canonical username (or the lock key of a person's e-mail). */
  subject: string;
  /** clientNetwork() of the client address. */
  network: string;
}

export interface AttemptLimits {
  /** Failures from one network before that network is locked out of the account. */
  maxFailures: number;
  lockSeconds: number;
  /** Failures across all networks before each further attempt waits a growing delay. */
  ceiling: number;
  /** How long since the last attempt the account-wide count is kept. */
  windowSeconds: number;
  /** The first delay past the ceiling; it doubles with each further failure, up to maxDelay. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

const networkRow = (key: AttemptKey) => `${key.subject}|${key.network}`;

/**
 * Counts an attempt against its network's row and the account's row, in that order; see
 * countOne for why counting comes before checking. A refusal by the account-wide row takes
 * the network's count back, so waiting out a delay costs nobody a try.
 */
export async function countAttempt(
  db: Db,
  key: AttemptKey,
  now: number,
  limits: AttemptLimits,
): Promise<AttemptVerdict & { accountFailures?: number }> {
  const local = await countOne(db, networkRow(key), now, limits.maxFailures, limits.lockSeconds);
  if (local.refused) return local;
  const account = await accountStatement(db, literal(key.subject), now, limits, ALWAYS).first<{
    failures: number;
  }>();
  if (account) return { ...local, accountFailures: account.failures };
  await takeBack(db, networkRow(key), limits.maxFailures);
  const wait = await db
    .prepare('SELECT locked_until FROM login_failures WHERE username = ? AND locked_until > ?')
    .bind(key.subject, now)
    .first<{ locked_until: number }>();
  return { refused: 'locked', until: wait?.locked_until ?? now + 1 };
}

/** One row's count (a network's, or a person's whole key where no network applies). */
async function countOne(
  db: Db,
  username: string,
  now: number,
  maxFailures: number,
  lockSeconds: number,
): Promise<AttemptVerdict> {
  const counted = await countOneStatement(
    db,
    literal(username),
    now,
    maxFailures,
    lockSeconds,
    ALWAYS,
  ).first<{ failures: number }>();
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
export async function attemptFailed(db: Db, key: AttemptKey) {
  await attemptFailedStatement(db, key, ALWAYS).run();
}

/** A success: this network's count and the account-wide count start again. */
export async function clearFailures(db: Db, key: AttemptKey) {
  await db.batch(clearFailuresStatements(db, key, ALWAYS));
}

/**
 * Every lock and count of an account, from every network: a manager's unlock, or a new
 * password (which makes earlier guesses moot). `<subject>|…` sorts between `<subject>|` and
 * `<subject>}`, so this is a range on the primary key.
 */
export function clearAllStatement(db: Db, subject: string) {
  return db
    .prepare(
      `DELETE FROM login_failures
       WHERE username = ?1 OR (username >= ?1 || '|' AND username < ?1 || '}')`,
    )
    .bind(subject);
}

/**
 * The latest end of any lock on an account, from any network, or null: what a manager sees
 * as "locked" (perhaps only from the network someone guessed from; the unlock clears all).
 */
export const ANY_LOCK_SQL = `(SELECT MAX(x.locked_until) FROM login_failures x
  WHERE (x.username = ?1 OR (x.username >= ?1 || '|' AND x.username < ?1 || '}'))
    AND x.locked_until > ?2)`;

/** ANY_LOCK_SQL for one account: when its latest lock ends, or null when none is in force. */
export async function anyLockUntil(db: Db, subject: string, now: number): Promise<number | null> {
  const row = await db
    .prepare(`SELECT ${ANY_LOCK_SQL} AS locked_until`)
    .bind(subject, now)
    .first<{ locked_until: number | null }>();
  return row?.locked_until ?? null;
}

/**
 * Locks the whole account now, until `until`, without counting this attempt as a failure: a
 * stricter limit than the ones countAttempt applied (the domain's lockout threshold, which
 * counts every network alike) is reached.
 */
export async function lockAttempts(db: Db, key: AttemptKey, until: number) {
  await db.batch([
    db
      .prepare(
        `UPDATE login_failures SET locked_until = ?, failures = MAX(failures - 1, 0)
         WHERE username = ?`,
      )
      .bind(until, key.subject),
    db
      .prepare(
        `UPDATE login_failures SET failures = MAX(failures - 1, 0),
           checking = MAX(checking - 1, 0) WHERE username = ?`,
      )
      .bind(networkRow(key)),
  ]);
}

/**
 * A counted attempt that was never checked (the directory could not be reached): it is taken
 * back whole, from the network's row and the account's, so an outage neither locks anyone
 * out nor leaves a count behind.
 */
export async function attemptUncounted(db: Db, key: AttemptKey, maxFailures: number) {
  await db.batch(uncountStatements(db, key, maxFailures));
}

/** attemptUncounted's statements, for a batch with the audit entry that goes with them. */
export function uncountStatements(db: Db, key: AttemptKey, maxFailures: number) {
  return [
    ...takeBackStatements(db, networkRow(key), maxFailures),
    db
      .prepare(
        `UPDATE login_failures SET failures = MAX(failures - 1, 0)
         WHERE username = ? AND locked_until IS NULL`,
      )
      .bind(key.subject),
    db.prepare('DELETE FROM login_failures WHERE username = ? AND failures = 0').bind(key.subject),
  ];
}

async function takeBack(db: Db, row: string, maxFailures: number) {
  await db.batch(takeBackStatements(db, row, maxFailures));
}

const ALWAYS: Guard = { sql: '1', params: [] };

/*
 * The same steps as statements, for a sign-in that counts its attempt, reads the locks and its
 * mailbox in one batch and settles the attempt in one more: each written only while `guard`
 * (an SQL condition with its parameters) holds.
 */

/** An SQL expression for a lock row's key (`?` with the key, or a subquery), with its parameters. */
export interface RowKey {
  sql: string;
  params: unknown[];
}

const literal = (key: string): RowKey => ({ sql: '?', params: [key] });

/** countOne's upsert: a row with `failures` when counted, none when a lock refused it. */
function countOneStatement(
  db: Db,
  row: RowKey,
  now: number,
  maxFailures: number,
  lockSeconds: number,
  guard: Guard,
) {
  return db
    .prepare(
      `INSERT INTO login_failures (username, failures, locked_until, updated_at, checking)
       SELECT ${row.sql}, 1, CASE WHEN 1 >= ? THEN ? + ? END, ?, 1
       WHERE ${row.sql} IS NOT NULL AND ${guard.sql}
       ON CONFLICT (username) DO UPDATE SET
         failures = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failures + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failures + 1 END) >= ?
           THEN ? + ? ELSE NULL END,
         checking = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE checking + 1 END,
         updated_at = ?
       WHERE locked_until IS NULL OR locked_until <= ?
       RETURNING failures`,
    )
    .bind(
      ...row.params,
      maxFailures,
      now,
      lockSeconds,
      now,
      ...row.params,
      ...guard.params,
      maxFailures,
      now,
      lockSeconds,
      now,
      now,
    );
}

/** The account-wide row's upsert: a row with `failures` when counted, none when delayed. */
function accountStatement(db: Db, row: RowKey, now: number, limits: AttemptLimits, guard: Guard) {
  // How many failures this one makes: a window past its time starts again.
  const next = 'CASE WHEN updated_at < ? - ? THEN 1 ELSE failures + 1 END';
  const window = [now, limits.windowSeconds];
  return db
    .prepare(
      `INSERT INTO login_failures (username, failures, locked_until, updated_at, checking)
       SELECT ${row.sql}, 1, NULL, ?, 0 WHERE ${row.sql} IS NOT NULL AND ${guard.sql}
       ON CONFLICT (username) DO UPDATE SET
         failures = ${next},
         locked_until = CASE
           WHEN (${next}) > ?
           THEN ? + MIN(?, ? * (1 << MIN((${next}) - ? - 1, 20)))
           ELSE NULL END,
         updated_at = ?
       WHERE locked_until IS NULL OR locked_until <= ?
       RETURNING failures`,
    )
    .bind(
      ...row.params,
      now,
      ...row.params,
      ...guard.params,
      ...window,
      ...window,
      limits.ceiling,
      now,
      limits.maxDelaySeconds,
      limits.baseDelaySeconds,
      ...window,
      limits.ceiling,
      now,
      now,
    );
}

/**
 * countAttempt's statements for a batch, counted only while `guard` holds: the network's row,
 * then the account's (only if the network's was counted), then both rows as they are after
 * that, so `attemptVerdict` can say what countAttempt would have. The caller settles the
 * attempt in its next batch (`settleRefusedStatements` when refused). `subject` may be an
 * SQL expression (the username of a session's mailbox, say), so the count can share a
 * batch with the read that names it.
 */
export function countAttemptStatements(
  db: Db,
  key: AttemptKey | { subject: RowKey; network: string },
  now: number,
  limits: AttemptLimits,
  guard: Guard,
): D1PreparedStatement[] {
  const subject = typeof key.subject === 'string' ? literal(key.subject) : key.subject;
  const network: RowKey = {
    sql: `(${subject.sql} || '|' || ?)`,
    params: [...subject.params, key.network],
  };
  return [
    countOneStatement(db, network, now, limits.maxFailures, limits.lockSeconds, guard),
    accountStatement(db, subject, now, limits, PREVIOUS_CHANGED),
    db
      .prepare(
        `SELECT username, locked_until, checking, updated_at FROM login_failures
         WHERE username IN (${network.sql}, ${subject.sql})`,
      )
      .bind(...network.params, ...subject.params),
  ];
}

/** What countAttemptStatements' three results say, as countAttempt would. */
export function attemptVerdict(
  results: readonly (D1Result | undefined)[],
  key: AttemptKey,
  now: number,
): AttemptVerdict & { accountFailures?: number } {
  const local = firstRow<{ failures: number }>(results[0]);
  const account = firstRow<{ failures: number }>(results[1]);
  const rows = (results[2]?.results ?? []) as {
    username: string;
    locked_until: number | null;
    checking: number;
    updated_at: number;
  }[];
  const row = (username: string) => rows.find((r) => r.username === username);
  if (!local) {
    const lock = row(networkRow(key));
    // Gone, or its lock over, between the two statements: a success cleared it.
    if (!lock || lock.locked_until === null || lock.locked_until <= now) {
      return { refused: 'busy', until: now + 1 };
    }
    if (lock.checking > 0 && lock.updated_at > now - SETTLING_SECONDS) {
      return { refused: 'busy', until: now + 2 };
    }
    return { refused: 'locked', until: lock.locked_until };
  }
  if (account)
    return { refused: false, failures: local.failures, accountFailures: account.failures };
  const wait = row(key.subject)?.locked_until;
  return { refused: 'locked', until: wait && wait > now ? wait : now + 1 };
}

/**
 * What a refusal by the account-wide row leaves to undo: the network's count, taken back, so
 * waiting out a delay costs nobody a try (countAttempt does it at once).
 */
export function settleRefusedStatements(
  db: Db,
  results: readonly (D1Result | undefined)[],
  key: AttemptKey,
  maxFailures: number,
): D1PreparedStatement[] {
  const countedHere = firstRow(results[0]) !== null && firstRow(results[1]) === null;
  return countedHere ? takeBackStatements(db, networkRow(key), maxFailures) : [];
}

/** attemptFailed's statement, written only while `guard` holds. */
export function attemptFailedStatement(db: Db, key: AttemptKey, guard: Guard) {
  return db
    .prepare(
      `UPDATE login_failures SET checking = MAX(checking - 1, 0) WHERE username = ? AND ${guard.sql}`,
    )
    .bind(networkRow(key), ...guard.params);
}

/** clearFailures' statements, written only while `guard` holds. */
export function clearFailuresStatements(db: Db, key: AttemptKey, guard: Guard) {
  return [networkRow(key), key.subject].map((username) =>
    db
      .prepare(`DELETE FROM login_failures WHERE username = ? AND ${guard.sql}`)
      .bind(username, ...guard.params),
  );
}

function takeBackStatements(db: Db, row: string, maxFailures: number) {
  return [
    db
      .prepare(
        `UPDATE login_failures SET failures = MAX(failures - 1, 0), checking = MAX(checking - 1, 0),
           locked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE locked_until END
         WHERE username = ?`,
      )
      .bind(maxFailures, row),
    db
      .prepare('DELETE FROM login_failures WHERE username = ? AND failures = 0 AND checking = 0')
      .bind(row),
  ];
}
