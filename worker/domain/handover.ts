/**
 * Rules of handing a new mailbox password to staff. The only import is the pure page paths, so
 * the web page can share these rules.
 */

import { handoverLink, pageUrl } from './page-paths';

/** How long the setter may still share a password they just set. */
export const SHARE_OFFER_SECONDS = 15 * 60;

/** A shared password, and every link to it, lives 24 hours. */
export const HANDOVER_SECONDS = 24 * 3600;

/** How many recent handovers a mailbox view lists. */
export const HANDOVER_LIST_LIMIT = 20;

export type LinkState = 'ready' | 'viewed' | 'expired' | 'revoked';

/**
 * A link's state at `now`. Viewed wins over everything (the person did see it), then a
 * revocation (removed from the staff, or a fresh link replaced it), then time.
 */
export function linkState(
  link: { viewedAt: number | null; revokedAt: number | null; expiresAt: number },
  now: number,
): LinkState {
  if (link.viewedAt !== null) return 'viewed';
  if (link.revokedAt !== null) return 'revoked';
  if (link.expiresAt <= now) return 'expired';
  return 'ready';
}

/** The personal link sent by SMS, built from the configured origin (never the Host header). */
export function handoverUrl(publicOrigin: string, token: string): string {
  return pageUrl(publicOrigin, handoverLink(token));
}

/**
 * The SMS text: whose mailbox, who shared it (a person's name; null when it was shared from
 * the mailbox's own session or reset, where nobody is named), and the link. Never the
 * password. Swedish: the recipients are staff who never chose a language in Nyckel.
 */
export function handoverSms(p: { username: string; sharedBy: string | null; url: string }): string {
  const who = p.sharedBy === null ? 'Någon i ert arbetslag' : p.sharedBy;
  return `Nyckel: ${who} har delat det nya lösenordet för ${p.username} med dig. Öppna länken för att se det. Den kan visas en gång och gäller i 24 timmar:\n${p.url}`;
}
