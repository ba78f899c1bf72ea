import {
  attemptState,
  type Challenge,
  countAttempt,
  insertChallengeStatement,
  lockIfExhausted,
  type Purpose,
  uncountAttempt,
} from '../db/challenges';
import { nowSeconds } from '../db/clock';
import { consume, type Limit } from '../db/counters';
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
 * Writes the challenge row (with any statements that must go with it) and the code secret.
 * Decoy challenges (no mailbox) get a secret too, so both paths do the same work.
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
  },
): Promise<StartedChallenge> {
  const now = nowSeconds();
  const started: StartedChallenge = {
    id: newId(),
    secret: newCodeSecret(),
    expiresAt: now + CODE_LIFETIME_SECONDS,
    resendAfter: now + RESEND_AFTER_SECONDS,
  };
  await deps.kv.put(codeKey(started.id), started.secret, {
    expirationTtl: CODE_LIFETIME_SECONDS,
  });
  await deps.db.batch([
    ...(c.before ?? []),
    insertChallengeStatement(deps.db, {
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
    }),
  ]);
  return started;
}

export type CodeCheck =
  | { kind: 'ok' }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'locked' }
  | { kind: 'expired' }
  /** D1 says the challenge is live but this location's KV has not seen the secret yet. */
  | { kind: 'unavailable' };

/**
 * Checks a code against a challenge. The attempt is counted in D1 before the comparison, so
 * parallel guesses cannot exceed the limit; no attempt is counted when KV cannot answer.
 *
 * `beforeCompare` runs once the attempt is counted, just before the comparison: a limit
 * beyond the challenge's own (a reset's daily cap) that throws to refuse. Then the attempt is
 * given back and the code never compared.
 */
export async function checkCode(
  deps: Deps,
  challenge: Challenge | null,
  code: string,
  beforeCompare?: () => Promise<void>,
): Promise<CodeCheck> {
  const now = nowSeconds();
  if (!challenge) return { kind: 'expired' };
  if (challenge.status === 'locked') return { kind: 'locked' };
  if (challenge.status !== 'pending' || challenge.expiresAt <= now) return { kind: 'expired' };
  if (challenge.attempts >= challenge.maxAttempts) return { kind: 'locked' };

  const secret = await deps.kv.get(codeKey(challenge.id));
  if (secret === null) return { kind: 'unavailable' };

  let counted = await countAttempt(deps.db, challenge.id, now);
  for (let race = 0; !counted; race++) {
    // Lost a race with other attempts or with the clock: answer from the row as it is now.
    const fresh = await attemptState(deps.db, challenge.id);
    // Only the request that spent the last try locks the row: a parallel request that
    // merely lost the race must not lock a challenge whose right code is being accepted.
    if (fresh && (fresh.status === 'locked' || fresh.attempts >= fresh.maxAttempts)) {
      return { kind: 'locked' };
    }
    if (fresh?.status !== 'pending' || fresh.expiresAt <= now) return { kind: 'expired' };
    // Still open: the tries it lacked a moment ago were given back (refused by
    // `beforeCompare`), so this attempt may be counted after all. Rarely twice in a row.
    if (race === 2) return { kind: 'unavailable' };
    counted = await countAttempt(deps.db, challenge.id, now);
  }
  if (beforeCompare) {
    try {
      await beforeCompare();
    } catch (err) {
      await uncountAttempt(deps.db, challenge.id);
      throw err;
    }
  }
  // A decoy never matches: its code was never sent to anyone.
  if (challenge.mailboxId !== null && codeMatches(secret, code)) return { kind: 'ok' };
  if (counted.attempts >= counted.maxAttempts) await lockIfExhausted(deps.db, challenge.id);
  return { kind: 'wrong', attemptsLeft: Math.max(0, counted.maxAttempts - counted.attempts) };
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
