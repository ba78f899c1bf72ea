import type { Db } from './database';
/**
 * Fixed-window counters in D1 (strongly consistent, unlike KV): throttles and SMS budgets.
 * An increment and its read are one statement, so parallel requests cannot both slip under.
 */

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

export interface LimitHit {
  key: string;
  retryAfter: number;
}

function windowStart(now: number, windowSeconds: number): number {
  return now - (now % windowSeconds);
}

export function incrementStatement(db: Db, limit: Limit, now: number) {
  return incrementWhereStatement(db, limit, now, { sql: '1', params: [] });
}

/**
 * incrementStatement, counted only while `guard` (an SQL condition with its parameters) holds:
 * a use that another limit refuses in the same batch is not counted. No row comes back then.
 */
export function incrementWhereStatement(
  db: Db,
  limit: Limit,
  now: number,
  guard: { sql: string; params: unknown[] },
) {
  const start = windowStart(now, limit.windowSeconds);
  return db
    .prepare(
      `INSERT INTO counters (key, window_start, count, expires_at) SELECT ?, ?, 1, ?
       WHERE ${guard.sql}
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1
       RETURNING count`,
    )
    .bind(limit.key, start, start + limit.windowSeconds, ...guard.params);
}

/**
 * The limit exceeded by a count that includes this use (null when within it, or when nothing
 * was counted), with how long until its window ends.
 */
export function limitHit(limit: Limit, count: number | null, now: number): LimitHit | null {
  if (count === null || count <= limit.max) return null;
  return {
    key: limit.key,
    retryAfter: windowStart(now, limit.windowSeconds) + limit.windowSeconds - now,
  };
}

/**
 * An SMS budget counted in a batch as `consume` counts it: every limit, then the ceiling only
 * while none of them refused (refused requests must not use up the day for everyone).
 * `allWithin` holds when neither refused; `hits` reads the batch's results (the statements
 * first, in order) as consume's answer.
 */
export function budgetStatements(
  db: Db,
  limits: readonly Limit[],
  ceiling: Limit,
  now: number,
  /** Counted at all only while this holds (a link the same batch inserted, say). */
  guard: { sql: string; params: unknown[] } = { sql: '1', params: [] },
) {
  const within = limits.map((l) => withinGuard(l, now));
  return {
    statements: [
      ...limits.map((l) => incrementWhereStatement(db, l, now, guard)),
      incrementWhereStatement(db, ceiling, now, allOf([guard, ...within])),
    ],
    allWithin: allOf([...within, withinGuard(ceiling, now)]),
    hits: (results: readonly (D1Result | undefined)[]): LimitHit[] =>
      [...limits, ceiling].flatMap((limit, i) => {
        const row = results[i]?.results[0] as { count: number } | undefined;
        return limitHit(limit, row?.count ?? null, now) ?? [];
      }),
  };
}

/** Guards joined with AND. */
export function allOf(guards: readonly { sql: string; params: unknown[] }[]) {
  return {
    sql: guards.map((g) => `(${g.sql})`).join(' AND ') || '1',
    params: guards.flatMap((g) => g.params),
  };
}

/** A guard that holds while a limit's current window, this use counted, is within its max. */
export function withinGuard(limit: Limit, now: number) {
  return {
    sql: 'COALESCE((SELECT count FROM counters WHERE key = ? AND window_start = ?), 0) <= ?',
    params: [limit.key, windowStart(now, limit.windowSeconds), limit.max] as unknown[],
  };
}

/**
 * Counts one use against every limit in one batch and returns the limits now exceeded.
 * Refused attempts count too: a script that keeps knocking keeps being refused.
 */
export async function consume(db: Db, limits: readonly Limit[], now: number): Promise<LimitHit[]> {
  if (limits.length === 0) return [];
  const results = await db.batch<{ count: number }>(
    limits.map((limit) => incrementStatement(db, limit, now)),
  );
  return limits.flatMap((limit, i) => {
    const hit = limitHit(limit, results[i]?.results[0]?.count ?? Number.POSITIVE_INFINITY, now);
    return hit ? [hit] : [];
  });
}

/** The current window's count of a limit without counting anything (0 if none yet). */
export async function currentCount(db: Db, limit: Limit, now: number): Promise<number> {
  const row = await countStatement(db, limit, now).first<{ count: number }>();
  return row?.count ?? 0;
}

/** The current window's count of a limit, for a batch: a row with `count`, or none. */
export function countStatement(db: Db, limit: Limit, now: number) {
  return db
    .prepare('SELECT count FROM counters WHERE key = ? AND window_start = ?')
    .bind(limit.key, windowStart(now, limit.windowSeconds));
}

/**
 * A counter whose window has its own bounds (a Swedish calendar day, say) instead of one
 * aligned to the epoch like Limit's. `start` tells windows of one key apart; the row is
 * cleaned up after `end`.
 */
export interface BoundedLimit {
  key: string;
  max: number;
  start: number;
  end: number;
}

/**
 * Counts one use only while the count is below `max`, in one statement, so parallel requests
 * cannot take more than `max` between them; and only while `guard` also holds. A row with
 * `count` when the use was taken, none (nothing counted) when not.
 */
export function takeBelowStatement(
  db: Db,
  limit: BoundedLimit,
  guard: { sql: string; params: unknown[] },
) {
  return db
    .prepare(
      `INSERT INTO counters (key, window_start, count, expires_at) SELECT ?, ?, 1, ?
       WHERE ${guard.sql}
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 WHERE count < ?
       RETURNING count`,
    )
    .bind(limit.key, limit.start, limit.end, ...guard.params, limit.max);
}

/** A bounded window's count, for a batch: a row with `count`, or none. */
export function boundedCountStatement(db: Db, limit: BoundedLimit) {
  return db
    .prepare('SELECT count FROM counters WHERE key = ? AND window_start = ?')
    .bind(limit.key, limit.start);
}

/** A guard that holds while a bounded window's count is below its max. */
export function belowGuard(limit: BoundedLimit) {
  return {
    sql: 'COALESCE((SELECT count FROM counters WHERE key = ? AND window_start = ?), 0) < ?',
    params: [limit.key, limit.start, limit.max] as unknown[],
  };
}

/** Forgets a bounded window's count (a manager's unlock), for a batch. */
export function clearBoundedStatement(db: Db, limit: BoundedLimit) {
  return db
    .prepare('DELETE FROM counters WHERE key = ? AND window_start = ?')
    .bind(limit.key, limit.start);
}
