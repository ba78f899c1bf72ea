/**
 * The daily cap on wrong reset codes (RESET_FAILED_CODES_PER_DAY): one counter per submitted
 * canonical username and Swedish calendar day, in `counters`, whether or not the name is a
 * mailbox, so reaching the cap says nothing about which names exist. Its window is the
 * Stockholm day itself (start and end at Stockholm midnight), and the key carries the date.
 */
import { stockholmDay } from '../domain/stockholm-day';
import { type BoundedLimit, clearBoundedStatement } from './counters';
import type { Db } from './database';

const PREFIX = 'reset:failed_codes:';

export interface DailyCodeCap extends BoundedLimit {
  /** The Stockholm date the count is for, `YYYY-MM-DD`. */
  date: string;
}

/** `reset:failed_codes:<username>:<YYYY-MM-DD>`, from midnight to midnight Stockholm time. */
export function dailyCodeCap(username: string, max: number, now: number): DailyCodeCap {
  const day = stockholmDay(now);
  return {
    key: `${PREFIX}${username}:${day.date}`,
    max,
    start: day.start,
    end: day.end,
    date: day.date,
  };
}

/** Forgets today's wrong codes of a mailbox's username: a manager's unlock or new password. */
export function clearDailyCodeCapStatement(db: Db, username: string, now: number) {
  return clearBoundedStatement(db, dailyCodeCap(username, 0, now));
}

/**
 * A column for a query over `mailboxes m`: today's wrong reset codes of the mailbox's
 * username (0 when none). Bind `failedCodesTodayParams(now)` where the fragment stands.
 */
export const FAILED_CODES_TODAY_SQL = `COALESCE((SELECT fc.count FROM counters fc
      WHERE fc.key = ? || m.username || ? AND fc.window_start = ?), 0)`;

export function failedCodesTodayParams(now: number): [string, string, number] {
  const day = stockholmDay(now);
  return [PREFIX, `:${day.date}`, day.start];
}
