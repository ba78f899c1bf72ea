/**
 * Turnstile, Cloudflare's challenge, as policy: which attempts count toward "unusual", when
 * the challenge is asked, and what a siteverify answer means. No runtime imports, so the rules
 * are testable alone.
 */

/** The attempts that can ask for a challenge once they come unusually often. */
export type GuardedAttempt = 'reset' | 'mailbox' | 'totp';

/** The request header that carries the widget's token on the retry. */
export const TURNSTILE_HEADER = 'Turnstile-Token';

/** Turnstile's tokens are at most 2048 characters (Cloudflare's siteverify documentation). */
const MAX_TOKEN_LENGTH = 2048;

export interface ChallengeThresholds {
  resetsPerHour: number;
  failuresPerHour: number;
}

export interface ChallengeCounter {
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * The counters one attempt is judged by: its client network and, when the body names one, the
 * account it aims at. Reset starts are counted whatever their outcome (a start costs an SMS);
 * sign-ins only when they fail, so a unit that signs in correctly all day is never asked.
 */
export function challengeCounters(
  attempt: GuardedAttempt,
  network: string,
  account: string | null,
  thresholds: ChallengeThresholds,
): ChallengeCounter[] {
  const max = attempt === 'reset' ? thresholds.resetsPerHour : thresholds.failuresPerHour;
  const counters = [{ key: `challenge:${attempt}:network:${network}`, max, windowSeconds: 3600 }];
  if (account) {
    counters.push({ key: `challenge:${attempt}:account:${account}`, max, windowSeconds: 3600 });
  }
  return counters;
}

/** Whether an answer with this status is one of the attempts the counters count. */
export function countsAsAttempt(attempt: GuardedAttempt, status: number): boolean {
  // 429 counts too: a script that keeps knocking after the throttle is the case in point.
  if (attempt === 'reset') return status === 202 || status === 429;
  return status === 401 || status === 423 || status === 429;
}

/** Asked when any counter has already reached its threshold this hour. */
export function challengeNeeded(counts: readonly number[], counters: readonly ChallengeCounter[]) {
  return counters.some((counter, i) => (counts[i] ?? 0) >= counter.max);
}

/** A token worth sending to siteverify: present, printable ASCII, not absurdly long. */
export function isTokenShaped(token: string | undefined): token is string {
  return (
    token !== undefined &&
    token.length > 0 &&
    token.length <= MAX_TOKEN_LENGTH &&
    /^[\x21-\x7e]+$/.test(token)
  );
}

export type SiteverifyVerdict =
  | { kind: 'passed' }
  | { kind: 'failed'; errorCodes: string[] }
  | { kind: 'unavailable'; reason: string };

/**
 * Reads siteverify's JSON. Only `success: true` passes; Cloudflare's own `internal-error`
 * means "ask again later", not "a robot"; anything unreadable fails closed as unavailable.
 */
export function readSiteverify(body: unknown): SiteverifyVerdict {
  if (typeof body !== 'object' || body === null) return { kind: 'unavailable', reason: 'shape' };
  const record = body as Record<string, unknown>;
  if (record.success === true) return { kind: 'passed' };
  const raw = record['error-codes'];
  const errorCodes = Array.isArray(raw)
    ? raw.filter((c): c is string => typeof c === 'string')
    : [];
  if (errorCodes.includes('internal-error'))
    return { kind: 'unavailable', reason: 'internal-error' };
  return { kind: 'failed', errorCodes };
}
