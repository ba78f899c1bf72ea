import {
  type Challenge,
  countWrongStatement,
  insertChallengeStatement,
  openForAttemptsGuard,
  type Purpose,
} from '../db/challenges';
import { nowSeconds } from '../db/clock';
import { type BoundedLimit, consume, type Limit, takeBelowStatement } from '../db/counters';
import { type Guard, PREVIOUS_CHANGED } from '../db/database';
import { recordDelivery } from '../db/outbox';
import { clientNetwork } from '../domain/client-network';
import {
  CODE_LIFETIME_SECONDS,
  CODE_MAX_ATTEMPTS,
  codeFor,
  codeMatches,
  newCodeSecret,
  RESEND_AFTER_SECONDS,
} from '../domain/codes';
import { codeSms } from '../domain/messages';
import { maskPhone } from '../domain/phone';
import { supportPhone } from '../domain/support';
import { newId } from '../domain/tokens';
import { sendSms, smsProvider } from '../outbound/sms';
import type { Deps } from './deps';

/** KV key scheme (docs/storage.md): `code:<challenge id>` → base32 HOTP secret, TTL = lifetime. */
export function codeKey(challengeId: string): string {
  return `code:${challengeId}`;
}

export interface StartedChallenge {
  id: string;
  secret: string;
  expiresAt: number;
  resendAfter: number;
}

/**
 * Writes the challenge row (with any statements that must go with it) and the code secret,
 * side by side: one round trip to D1 and one to KV, neither waiting for the other. A secret
 * whose row was not written (a guard refused it, or the batch failed) is never read, and KV
 * forgets it after the code's lifetime. Decoy challenges (no mailbox) get a secret too, so
 * both paths do the same work. `guard` is an SQL condition the row is written under; the
 * batch's results come back so the caller can tell.
 */
export async function startChallenge(
  deps: Deps,
  c: {
    purpose: Purpose;
    mailboxId: string | null;
    /** A reset's submitted canonical username (known or not), for its daily code cap. */
    username?: string | null;
    phone: string | null;
    sessionHash: string | null;
    before?: D1PreparedStatement[];
    guard?: { sql: string; params: unknown[] };
  },
): Promise<StartedChallenge & { results: D1Result[] }> {
  const now = nowSeconds();
  const started: StartedChallenge = {
    id: newId(),
    secret: newCodeSecret(),
    expiresAt: now + CODE_LIFETIME_SECONDS,
    resendAfter: now + RESEND_AFTER_SECONDS,
  };
  const [, results] = await Promise.all([
    deps.kv.put(codeKey(started.id), started.secret, {
      expirationTtl: CODE_LIFETIME_SECONDS,
    }),
    deps.db.batch([
      ...(c.before ?? []),
      insertChallengeStatement(
        deps.db,
        {
          id: started.id,
          purpose: c.purpose,
          mailboxId: c.mailboxId,
          username: c.username ?? null,
          phone: c.phone,
          sessionHash: c.sessionHash,
          at: now,
          expiresAt: started.expiresAt,
          resendAfter: started.resendAfter,
          maxAttempts: CODE_MAX_ATTEMPTS,
        },
        c.guard,
      ),
    ]),
  ]);
  return { ...started, results };
}

export type CodeCheck =
  | { kind: 'ok' }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'locked' }
  | { kind: 'expired' }
  /** A reset's daily cap on wrong codes is reached: the code was not compared. */
  | { kind: 'capped' };

/**
 * What the challenge as read says, before any attempt: open for one, locked, or expired
 * (missing, used, superseded or past its time).
 */
export function codeState(challenge: Challenge | null, now: number): 'open' | 'locked' | 'expired' {
  if (!challenge) return 'expired';
  if (challenge.status === 'locked') return 'locked';
  if (challenge.status !== 'pending' || challenge.expiresAt <= now) return 'expired';
  if (challenge.attempts >= challenge.maxAttempts) return 'locked';
  return 'open';
}

/** The challenge as the attempt's batch left it, to say why the attempt counted nothing. */
export interface FreshChallenge {
  challenge: Challenge;
  /** A reset's wrong codes today (0 where no cap applies). */
  failedCodes: number;
}

/**
 * One code attempt on a challenge that was open when read, in one batch (one transaction):
 * the code is compared with the secret first (in memory), then the batch writes what that
 * attempt amounts to, every guard inside its statements, so parallel attempts are decided by
 * the database exactly as when each was counted before its comparison.
 *
 * - A right code: `right`, whose first statement counts the try and claims the challenge while
 *   it is open (and, for a reset, while the day's cap has room); the caller guards the rest
 *   on it.
 * - A wrong code: it takes its place in the day's cap (`cap`, a reset's) while the challenge
 *   is open, then counts the try only if it got one (the try that spends the last one locks
 *   the challenge), then `wrong` (an audit entry) only if it was counted.
 * - Either way `fresh` comes last: the row as the batch left it, for an attempt that lost a
 *   race (another code spent the last try, the reset was verified, the cap filled up).
 *
 * A decoy (no mailbox) never matches: its code was never sent to anyone.
 */
export async function attemptCode(
  deps: Deps,
  a: {
    challenge: Challenge;
    secret: string;
    code: string;
    now: number;
    cap: BoundedLimit | null;
    right: D1PreparedStatement[];
    wrong: (counted: Guard) => D1PreparedStatement;
    fresh: D1PreparedStatement;
    readFresh: (result: D1Result | undefined) => FreshChallenge | null;
  },
): Promise<CodeCheck> {
  const { challenge, now, cap } = a;
  const matches = challenge.mailboxId !== null && codeMatches(a.secret, a.code);
  if (matches) {
    const results = await deps.db.batch([...a.right, a.fresh]);
    if (results[0]?.meta.changes === 1) return { kind: 'ok' };
    return lostRace(a.readFresh(results[results.length - 1]), cap, now);
  }
  const open = openForAttemptsGuard(challenge.id, now);
  const statements = [
    ...(cap ? [takeBelowStatement(deps.db, cap, open)] : []),
    countWrongStatement(deps.db, challenge.id, now, cap ? PREVIOUS_CHANGED : ALWAYS),
    a.wrong(PREVIOUS_CHANGED),
    a.fresh,
  ];
  const results = await deps.db.batch(statements);
  const counted = results[cap ? 1 : 0]?.results[0] as
    | { attempts: number; max_attempts: number }
    | undefined;
  if (counted) {
    return { kind: 'wrong', attemptsLeft: Math.max(0, counted.max_attempts - counted.attempts) };
  }
  return lostRace(a.readFresh(results[results.length - 1]), cap, now);
}

const ALWAYS: Guard = { sql: '1', params: [] };

/**
 * Why an attempt on a challenge that was open when read counted nothing, from the row as its
 * own batch left it: another attempt spent the last try (locked), the challenge was used or
 * ran out of time (expired), or the day's cap filled up.
 */
function lostRace(fresh: FreshChallenge | null, cap: BoundedLimit | null, now: number): CodeCheck {
  const state = codeState(fresh?.challenge ?? null, now);
  if (state !== 'open') return { kind: state };
  if (cap && (fresh?.failedCodes ?? 0) >= cap.max) return { kind: 'capped' };
  // Still open: the write's own guards refused it (the session that asked for a number ended,
  // or the reset's number is no longer the mailbox's).
  return { kind: 'expired' };
}

export function smsLimits(
  deps: Deps,
  who: { account?: string; phone?: string; address?: boolean },
): Limit[] {
  const { sms } = deps.cfg;
  const limits: Limit[] = [];
  if (who.account) {
    limits.push({
      key: `sms:account:${who.account}`,
      max: sms.perAccountPerHour,
      windowSeconds: 3600,
    });
  }
  if (who.phone) {
    limits.push({ key: `sms:number:${who.phone}`, max: sms.perNumberPerHour, windowSeconds: 3600 });
  }
  if (who.address) {
    limits.push({
      key: `sms:address:${clientNetwork(deps.ip)}`,
      max: sms.perAddressPerHour,
      windowSeconds: 3600,
    });
  }
  return limits;
}

export function dailyLimit(deps: Deps): Limit {
  return { key: 'sms:day', max: deps.cfg.sms.perDay, windowSeconds: 86_400 };
}

/** The share of the day's SMS that anonymous reset texts may spend. */
export function dailyResetLimit(deps: Deps): Limit {
  const { perDay, resetSharePercent } = deps.cfg.sms;
  return {
    key: 'sms:day:reset',
    max: Math.floor((perDay * resetSharePercent) / 100),
    windowSeconds: 86_400,
  };
}

/**
 * Counts an SMS against its own budgets and, only if none of them refuses it, against the
 * global daily ceiling: refused requests must not use up the day's SMS for everyone. A reset
 * text first counts against the resets' share of the day, so anonymous starts can never spend
 * the part kept for registration, handovers and notices.
 */
export async function consumeSmsBudget(
  deps: Deps,
  limits: readonly Limit[],
  now: number,
  purpose: 'reset' | 'other' = 'other',
) {
  const hits = await consume(deps.db, limits, now);
  if (hits.length > 0) return hits;
  if (purpose === 'reset') {
    const share = await consume(deps.db, [dailyResetLimit(deps)], now);
    if (share.length > 0) {
      console.warn(
        JSON.stringify({ event: 'sms_reset_share_spent', max: dailyResetLimit(deps).max }),
      );
      return share;
    }
  }
  return consume(deps.db, [dailyLimit(deps)], now);
}

/**
 * The budgets of one reset text: per number from the requester's network (a few an hour, so
 * someone else's starts never use up the owner's own from another network), and per number
 * from all networks together (a higher ceiling against flooding one phone).
 */
export function resetSmsLimits(deps: Deps, phone: string): Limit[] {
  const { sms } = deps.cfg;
  return [
    {
      key: `sms:reset-number:${phone}:${clientNetwork(deps.ip)}`,
      max: sms.resetPerNumberPerNetworkPerHour,
      windowSeconds: 3600,
    },
    { key: `sms:reset-number:${phone}`, max: sms.resetPerNumberPerHour, windowSeconds: 3600 },
  ];
}

/**
 * Sends a challenge's code, within the per-number budget and the global daily ceiling.
 * Used in the background for resets, where the caller must not learn the outcome.
 */
export async function deliverCode(
  deps: Deps,
  c: { purpose: Purpose; phone: string; username: string; secret: string },
): Promise<'sent' | 'failed' | 'skipped'> {
  const hits =
    c.purpose === 'reset'
      ? await consumeSmsBudget(deps, resetSmsLimits(deps, c.phone), nowSeconds(), 'reset')
      : await consumeSmsBudget(deps, smsLimits(deps, { phone: c.phone }), nowSeconds());
  if (hits.length > 0) {
    await recordDelivery(deps.db, {
      channel: 'sms',
      purpose: c.purpose,
      recipientMasked: maskPhone(c.phone),
      provider: deps.cfg.sms.provider,
      status: 'skipped',
      attempts: 0,
      error: `budget:${hits.map((h) => h.key.split(':')[1]).join(',')}`,
      at: nowSeconds(),
    });
    return 'skipped';
  }
  return sendCode(deps, c);
}

/** Sends without budget checks (the caller has consumed them). */
export async function sendCode(
  deps: Deps,
  c: { purpose: Purpose; phone: string; username: string; secret: string },
): Promise<'sent' | 'failed'> {
  const body = codeSms(c.purpose, deps.lang, {
    username: c.username,
    code: codeFor(c.secret),
    host: deps.cfg.publicOrigin.hostname,
    support: supportPhone(deps.cfg.support),
  });
  const result = await sendSms(
    deps.db,
    smsProvider(deps.env, deps.cfg),
    { to: c.phone, body },
    `${c.purpose}_code`,
  );
  return result.ok ? 'sent' : 'failed';
}
