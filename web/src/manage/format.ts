import { formatTime, sameSwedishDay, TIME_ZONE } from '../format-time';
import type { Lang } from '../i18n-text';

/** The locale the app's numbers and dates are written in for a language. */
export const locale = (lang: Lang) => (lang === 'sv' ? 'sv-SE' : 'en-GB');

/** "3 maj 2026" */
export function formatDay(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

/** "3 dec. 2026" in Swedish time: a due date or an expiry in a table, where room is short. */
export function formatShortDay(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(locale(lang), {
    dateStyle: 'medium',
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

/** "3 maj 2026 14:05" (the audit trail: when, to the minute), the time as formatTime writes it. */
export function formatDateTime(lang: Lang, iso: string): string {
  const date = new Date(iso);
  const day = new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: TIME_ZONE,
  }).format(date);
  return `${day} ${formatTime(lang, date)}`;
}

/**
 * "14:05" when it is today in Sweden, else "3 maj 2026 14:05": a moment on another day is
 * written in full, as formatDateTime writes it everywhere else.
 */
export function formatWhen(lang: Lang, iso: string, now = Date.now()): string {
  const date = new Date(iso);
  if (!sameSwedishDay(new Date(now), date)) return formatDateTime(lang, iso);
  return formatTime(lang, date);
}

/** Whole calendar days from today to the date (negative: in the past). */
export function daysFromToday(iso: string, now = Date.now()): number {
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((start(new Date(iso)) - start(new Date(now))) / 86_400_000);
}

/** "i dag", "i morgon", "om 5 dagar", "för 3 dagar sedan". */
export function formatRelativeDays(lang: Lang, iso: string, now = Date.now()): string {
  return new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' }).format(
    daysFromToday(iso, now),
    'day',
  );
}

/**
 * A calendar day written `YYYY-MM-DD` (a start date): "1 december 2026", or "1 december"
 * without the year. Read as UTC so no time zone moves it to the day before.
 */
export function formatCalendarDay(lang: Lang, ymd: string, { year = true } = {}): string {
  const [y, m, d] = ymd.split('-').map(Number);
  if (!y || !m || !d) return ymd;
  return new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric',
    month: 'long',
    ...(year ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}
