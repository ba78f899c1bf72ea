/**
 * A throttle counted in the same D1 batch as the work it guards: the increment first, then
 * statements that run only while the count is within the limit (or, for the refusal's audit
 * entry, only once it is over). The increment and the guards are one transaction, so
 * parallel requests cannot both slip under the limit. Times are unix seconds.
 */
import { incrementStatement, type Limit } from './counters';
import type { Db, Guard } from './database';

function windowStart(now: number, windowSeconds: number): number {
  return now - (now % windowSeconds);
}

const COUNT_SQL = '(SELECT count FROM counters WHERE key = ? AND window_start = ?)';

/** True while the limit's current count (this request's included) is within its max. */
export function withinLimit(limit: Limit, now: number): Guard {
  return {
    sql: `COALESCE(${COUNT_SQL}, 0) <= ?`,
    params: [limit.key, windowStart(now, limit.windowSeconds), limit.max],
  };
}

/** True once the limit's current count is past its max. */
export function overLimit(limit: Limit, now: number): Guard {
  return {
    sql: `COALESCE(${COUNT_SQL}, 0) > ?`,
    params: [limit.key, windowStart(now, limit.windowSeconds), limit.max],
  };
}

/** The counting statement, and how to read whether it refused (and for how long). */
export function countStatement(db: Db, limit: Limit, now: number) {
  return {
    statement: incrementStatement(db, limit, now),
    /** Seconds until the window ends if this use is past the limit, else null. */
    retryAfter(result: D1Result): number | null {
      const count = (result.results[0] as { count: number } | undefined)?.count;
      if (count !== undefined && count <= limit.max) return null;
      return windowStart(now, limit.windowSeconds) + limit.windowSeconds - now;
    },
  };
}
