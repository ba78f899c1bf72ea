/**
 * The dates of a unit's routine: when each mailbox's password is to be
 * changed in the coming year. Pure: times are unix seconds, dates are Swedish calendar dates
 * written `YYYY-MM-DD`, whatever zone the runtime is in, so a printed routine names the same
 * day as the reminder e-mails (domain/mail-text.ts) and the manager's home.
 */

import { TIME_ZONE } from './mail-text';
import { mailboxStatus, passwordExpiresAt } from './mailbox-status';
import { PAGES, pageUrl, routinePath } from './page-paths';

/**
 * The links a routine carries: the app, the three self-service pages staff use, and the
 * routine itself. On the public origin, since the routine is printed and shared.
 */
export function routineLinks(publicOrigin: string | URL, unitId: string) {
  return {
    app: pageUrl(publicOrigin, PAGES.start),
    reset: pageUrl(publicOrigin, PAGES.reset),
    register: pageUrl(publicOrigin, PAGES.register),
    change: pageUrl(publicOrigin, PAGES.change),
    routine: pageUrl(publicOrigin, routinePath(unitId)),
  };
}

/** How far ahead the routine lists dates: "the next year". */
export const ROUTINE_HORIZON_DAYS = 365;

export interface RotationDate {
  /** A calendar date in Sweden, `YYYY-MM-DD`. */
  date: string;
  /** The password should already have been changed (only ever the first date). */
  overdue: boolean;
}

const isoDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Sweden at that moment: 23:30 UTC on 28 March is 29 March there. */
export function swedishDate(seconds: number): string {
  const parts = isoDay.formatToParts(new Date(seconds * 1000));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * A calendar date `days` later (earlier when negative). Calendar arithmetic, not seconds: a
 * daylight-saving change between the two dates cannot move the answer by a day, and month
 * ends and 29 February come from the calendar itself.
 */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) throw new Error(`not a calendar date: ${date}`);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * When a mailbox's password is to be changed, for the routine: first the current due date
 * (the day it expires, flagged when that moment has passed, as on the manager's home), then
 * every `maxAgeDays` after it from today on, up to `horizonDays` from today. The current
 * due date is always listed, however late or far off it is.
 *
 * The later dates keep the cycle of the current due date even when it is overdue. If the
 * password is changed late, its real next expiry is later than the date listed, never earlier:
 * a unit that follows the printed dates is always on time. One changed early moves the cycle
 * forward; the routine page says to print it again then.
 */
export function rotationDates(
  passwordChangedAt: number,
  maxAgeDays: number,
  now: number,
  horizonDays = ROUTINE_HORIZON_DAYS,
): RotationDate[] {
  const expiresAt = passwordExpiresAt(passwordChangedAt, maxAgeDays);
  const first = swedishDate(expiresAt);
  const dates: RotationDate[] = [
    { date: first, overdue: mailboxStatus(passwordChangedAt, maxAgeDays, now) === 'overdue' },
  ];
  // A maximum age of 0 would list the same date forever; there is no cycle to show then.
  if (maxAgeDays <= 0) return dates;
  const today = swedishDate(now);
  const last = addDays(today, horizonDays);
  for (let k = 1; ; k++) {
    const date = addDays(first, k * maxAgeDays);
    if (date > last) break;
    // ISO dates compare as strings; a date already past belongs to a missed cycle.
    if (date >= today) dates.push({ date, overdue: false });
  }
  return dates;
}
