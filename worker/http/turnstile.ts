import type { MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { audit } from '../db/audit';
import { nowSeconds } from '../db/clock';
import { consume, countStatement } from '../db/counters';
import { firstRow } from '../db/database';
import { clientNetwork } from '../domain/client-network';
import {
  challengeCounters,
  challengeNeeded,
  countsAsAttempt,
  type GuardedAttempt,
  isTokenShaped,
  TURNSTILE_HEADER,
} from '../domain/turnstile';
import { verifyTurnstileToken } from '../services/turnstile';
import { ApiError } from './errors';

/** What the API document says on every operation that may ask for Turnstile. */
export const TURNSTILE_NOTE =
  'When the client network (IPv4 address, IPv6 /64) or the account has made unusually many attempts this hour (reset starts, failed sign-ins) and Turnstile is configured, the answer is 428 `challenge_required` with `siteKey`: show the Turnstile widget with that key and send the same request again with its token in the `Turnstile-Token` header. A bad token is 403 `challenge_failed`; 503 `challenge_unavailable` when Cloudflare cannot check it.';

/** How long a client is asked to wait when siteverify cannot be reached. */
const UNAVAILABLE_RETRY_SECONDS = 30;

/** The body as JSON, or null: the route's own validation reports what is wrong with it. */
function bodyJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Turnstile, Cloudflare's challenge, in front of an attempt that an attacker would repeat:
 * reset starts, mailbox sign-ins, TOTP sign-ins. It is asked only once the client's network
 * (IPv4 address, IPv6 /64) or the account named in the body has, this hour, started more
 * resets or failed more sign-ins than the configured thresholds, so ordinary staff never see
 * it (OWASP's credential-stuffing guidance: a challenge after suspicious volume, not always).
 * Then the request must carry a fresh widget token in the `Turnstile-Token` header, which is
 * checked with siteverify before the attempt runs: no token is 428 `challenge_required` with
 * the site key, a bad one 403 `challenge_failed`, and a siteverify that cannot answer 503
 * `challenge_unavailable` (fail closed). The counters are this middleware's own, kept apart
 * from the lockouts and budgets, which still apply. Off while TURNSTILE_SECRET is unset.
 *
 * `accountOf` reads the account from the parsed body (canonical, or null when the body does
 * not name one validly).
 */
export function turnstileGate(
  attempt: GuardedAttempt,
  accountOf: (body: unknown) => string | null,
): MiddlewareHandler<AppEnv> {
  return async function turnstileGate(c, next) {
    const settings = c.get('config').turnstile;
    if (!settings) return next();
    const db = c.get('db');
    const ip = c.get('clientIp');
    // Hono keeps the text, so the route reads the same body again.
    const account = accountOf(bodyJson(await c.req.text()));
    const counters = challengeCounters(attempt, clientNetwork(ip), account, settings);
    const now = nowSeconds();
    // One round trip for every counter.
    const rows = await db.batch(counters.map((counter) => countStatement(db, counter, now)));
    const counts = rows.map((row) => firstRow<{ count: number }>(row)?.count ?? 0);
    if (challengeNeeded(counts, counters)) {
      const token = c.req.header(TURNSTILE_HEADER);
      if (token === undefined)
        throw new ApiError('challenge_required', { siteKey: settings.siteKey });
      const verdict = isTokenShaped(token)
        ? await verifyTurnstileToken(settings, token, ip)
        : ({ kind: 'failed', errorCodes: ['invalid-input-response'] } as const);
      if (verdict.kind === 'unavailable') {
        console.error(JSON.stringify({ event: 'turnstile_unavailable', reason: verdict.reason }));
        throw new ApiError(
          'challenge_unavailable',
          { retryAfter: UNAVAILABLE_RETRY_SECONDS },
          { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
        );
      }
      if (verdict.kind === 'failed') {
        await audit(
          db,
          {
            actor: 'anonymous',
            action: 'challenge.failed',
            target: `${c.req.method} ${c.req.routePath}`,
            ip,
            outcome: 'refused',
            detail: { attempt, errorCodes: verdict.errorCodes.join(',') },
          },
          now,
        );
        throw new ApiError('challenge_failed', { siteKey: settings.siteKey });
      }
    }
    await next();
    if (countsAsAttempt(attempt, c.res.status)) await consume(db, counters, now);
  };
}

/**
 * Reads the account a body aims at with the route's own schema (so every spelling of one
 * username is one account), or null when the body does not validate.
 */
export function accountIn<S extends v.GenericSchema>(
  schema: S,
  pick: (body: v.InferOutput<S>) => string,
): (body: unknown) => string | null {
  return (body) => {
    const result = v.safeParse(schema, body);
    return result.success ? pick(result.output) : null;
  };
}
