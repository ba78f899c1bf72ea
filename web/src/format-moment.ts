import type { Lang } from './i18n';

/**
 * A moment as people say it: "4 december kl. 14.03" (Swedish style), "4 December at 14:03";
 * with `short: true` only "kl. 14.03" / "14:03" when it is today.
 */
export function formatMoment(lang: Lang, iso: string, { short = false, now = Date.now() } = {}) {
  const date = new Date(iso);
  const hh = String(date.getHours()).padStart(2, '0');
  const mm = String(date.getMinutes()).padStart(2, '0');
  const time = lang === 'sv' ? `kl. ${hh}.${mm}` : `${hh}:${mm}`;
  if (short && new Date(now).toDateString() === date.toDateString()) return time;
  const day = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
  }).format(date);
  return lang === 'sv' ? `${day} ${time}` : `${day} at ${time}`;
}
