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
  const start = windowStart(now, limit.windowSeconds);
  return db
    .prepare(
      `INSERT INTO counters (key, window_start, count, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1
       RETURNING count`,
    )
    .bind(limit.key, start, start + limit.windowSeconds);
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
  const hits: LimitHit[] = [];
  limits.forEach((limit, i) => {
    const count = results[i]?.results[0]?.count ?? Number.POSITIVE_INFINITY;
    if (count > limit.max) {
      hits.push({
        key: limit.key,
        retryAfter: windowStart(now, limit.windowSeconds) + limit.windowSeconds - now,
      });
    }
  });
  return hits;
}

/** The current window's count of a limit without counting anything (0 if none yet). */
export async function currentCount(db: Db, limit: Limit, now: number): Promise<number> {
  const row = await db
    .prepare('SELECT count FROM counters WHERE key = ? AND window_start = ?')
    .bind(limit.key, windowStart(now, limit.windowSeconds))
    .first<{ count: number }>();
  return row?.count ?? 0;
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
 * cannot take more than `max` between them. False, with nothing counted, once it is reached.
 */
export async function consumeBelow(db: Db, limit: BoundedLimit): Promise<boolean> {
  const row = await db
    .prepare(
      `INSERT INTO counters (key, window_start, count, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 WHERE count < ?
       RETURNING count`,
    )
    .bind(limit.key, limit.start, limit.end, limit.max)
    .first<{ count: number }>();
  return row !== null;
}

/** Gives back one use counted by consumeBelow that turned out not to count. */
export async function giveBack(db: Db, limit: BoundedLimit): Promise<void> {
  await db
    .prepare(
      'UPDATE counters SET count = count - 1 WHERE key = ? AND window_start = ? AND count > 0',
    )
    .bind(limit.key, limit.start)
    .run();
}

/** The count of a bounded window without counting anything (0 if none yet). */
export async function boundedCount(db: Db, limit: BoundedLimit): Promise<number> {
  const row = await db
    .prepare('SELECT count FROM counters WHERE key = ? AND window_start = ?')
    .bind(limit.key, limit.start)
    .first<{ count: number }>();
  return row?.count ?? 0;
}

/** Forgets a bounded window's count (a manager's unlock), for a batch. */
export function clearBoundedStatement(db: Db, limit: BoundedLimit) {
  return db
    .prepare('DELETE FROM counters WHERE key = ? AND window_start = ?')
    .bind(limit.key, limit.start);
}
