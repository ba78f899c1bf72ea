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

export function incrementStatement(db: D1Database, limit: Limit, now: number) {
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
export async function consume(
  db: D1Database,
  limits: readonly Limit[],
  now: number,
): Promise<LimitHit[]> {
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
export async function currentCount(db: D1Database, limit: Limit, now: number): Promise<number> {
  const row = await db
    .prepare('SELECT count FROM counters WHERE key = ? AND window_start = ?')
    .bind(limit.key, windowStart(now, limit.windowSeconds))
    .first<{ count: number }>();
  return row?.count ?? 0;
}
