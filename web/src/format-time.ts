import type { Lang } from './i18n-text';

/**
 * Times are Swedish time wherever the phone or computer is set: a lock, a pause or a link's
 * end is reckoned by the server in Stockholm, and the e-mails say the same times.
 */
export const TIME_ZONE = 'Europe/Stockholm';

/**
 * One way to write a time of day, in both apps and in the worker's e-mails: "14:05", which is
 * what Intl gives for sv-SE (and en-GB), so every table, sentence and list agrees. Swedish
 * prose puts "kl." before it ("4 december kl. 14:05"), as the e-mails do.
 */
const clock = new Intl.DateTimeFormat('sv-SE', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: TIME_ZONE,
});
const stockholmDay = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeZone: TIME_ZONE });

/** "14:05" in Swedish time. */
export function formatTime(_lang: Lang, date: Date): string {
  return clock.format(date);
}

/** Whether two moments fall on the same calendar day in Sweden. */
export const sameSwedishDay = (a: Date, b: Date) =>
  stockholmDay.format(a) === stockholmDay.format(b);

/**
 * A moment as people say it: "4 december kl. 14:03", "4 December at 14:03"; with
 * `short: true` only "kl. 14:03" / "14:03" when it is today in Sweden.
 */
export function formatMoment(lang: Lang, iso: string, { short = false, now = Date.now() } = {}) {
  const date = new Date(iso);
  const time = formatTime(lang, date);
  if (short && sameSwedishDay(new Date(now), date)) return lang === 'sv' ? `kl. ${time}` : time;
  const day = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    timeZone: TIME_ZONE,
  }).format(date);
  return lang === 'sv' ? `${day} kl. ${time}` : `${day} at ${time}`;
}
