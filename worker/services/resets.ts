import { revokeMailboxSessionsStatement } from '../db/admin';
import { audit } from '../db/audit';
import {
  claimGuard,
  claimStatement,
  findChallenge,
  leaseClaim,
  leaseVerified,
  markResent,
  markVerified,
  releaseLease,
} from '../db/challenges';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { directoryInUse } from '../db/connectors';
import {
  boundedCount,
  consume,
  consumeBelow,
  currentCount,
  giveBack,
  type Limit,
} from '../db/counters';
import { findMailboxById, findMailboxByUsername, passwordWriteStatements } from '../db/mailboxes';
import { recordDelivery } from '../db/outbox';
import { type DailyCodeCap, dailyCodeCap } from '../db/reset-code-cap';
import { clientNetwork } from '../domain/client-network';
import { MAX_RESENDS, RESEND_AFTER_SECONDS, RESET_TOKEN_SECONDS } from '../domain/codes';
import { auditReference, digestsEqual, newId, newToken, tokenDigest } from '../domain/tokens';
import { ApiError, retryError } from '../http/errors';
import {
  checkCode,
  codeKey,
  dailyLimit,
  dailyResetLimit,
  deliverCode,
  startChallenge,
} from './challenges';
import type { Deps } from './deps';
import { directoryUnavailable, resetInDirectory, runJob } from './directory';
import { resetSetter, shareOffer } from './handovers';
import { notifyMailboxChange } from './notices';
import { prepareNewPassword } from './passwords';
import { queueMailboxChange } from './webhooks';

function throwIfHit(hits: { retryAfter: number }[]) {
  if (hits.length > 0) throw retryError('rate_limited', Math.max(...hits.map((h) => h.retryAfter)));
}

/** Today's cap on wrong codes for a submitted username (known or not). */
function codeCap(deps: Deps, username: string, now: number): DailyCodeCap {
  return dailyCodeCap(username, deps.cfg.resets.failedCodesPerDay, now);
}

/** 429 `reset_blocked_today`, waiting until the next midnight, Stockholm time. */
function blockedToday(cap: DailyCodeCap, now: number) {
  return retryError('reset_blocked_today', cap.end - now);
}

/**
 * Has the name had its day's wrong codes? Read only: the start and the resend refuse then,
 * so no text goes out for a code that could not be checked anyway.
 */
async function capReached(deps: Deps, cap: DailyCodeCap): Promise<boolean> {
  return (await boundedCount(deps.db, cap)) >= cap.max;
}

/**
 * POST /api/resets. Answers the same whether or not the username exists or has a phone:
 * the same statements run on both paths, the per-username budget counts the submitted name,
 * and the SMS goes out in the background so neither the lookup nor the provider shows in the
 * response or its timing.
 */
export async function startReset(deps: Deps, username: string) {
  const now = nowSeconds();
  // A name that has had its day's wrong codes waits for tomorrow or a manager: refused
  // first, before any budget is spent or text sent, and alike for every name, real or not
  // (the audit entry, with the mailbox if there is one, is written in the background).
  const cap = codeCap(deps, username, now);
  if (await capReached(deps, cap)) {
    deps.background(async () => {
      const mailbox = await findMailboxByUsername(deps.db, username);
      await audit(
        deps.db,
        {
          actor: 'anonymous',
          action: 'reset.start',
          target: mailbox ? `mailbox:${mailbox.id}` : null,
          ip: deps.ip,
          outcome: 'refused',
          detail: { result: 'daily_code_cap' },
        },
        now,
      );
    });
    throw blockedToday(cap, now);
  }
  const limits: Limit[] = [
    // Per name from this network: someone starting resets from elsewhere never uses up the
    // owner's own hour.
    {
      key: `reset:username:${username}:${clientNetwork(deps.ip)}`,
      max: deps.cfg.resets.perUsernamePerHour,
      windowSeconds: 3600,
    },
    {
      key: `reset:address:${clientNetwork(deps.ip)}`,
      max: deps.cfg.resets.perAddressPerHour,
      windowSeconds: 3600,
    },
  ];
  // While any mailbox's password lives in the domain, a reset first makes sure the domain can
  // be reached, so nobody waits for a code they cannot use. It is asked for every username,
  // known or not, so an outage does not tell which names are real; the per-address budget
  // bounds how often one address can make it ask, and the per-username budget is spent only
  // once the domain answered, so retrying through an outage does not use up a person's hour.
  if (await directoryInUse(deps.db)) {
    const [byUsername, byAddress] = limits as [Limit, Limit];
    throwIfHit(await consume(deps.db, [byAddress], now));
    await checkDirectory(deps);
    throwIfHit(await consume(deps.db, [byUsername], now));
  } else {
    throwIfHit(await consume(deps.db, limits, now));
  }
  // The global ceiling and the resets' share of it are only read here (sends count them):
  // when either is spent no reset text goes out, and saying so reveals nothing about any one
  // account.
  for (const day of [dailyLimit(deps), dailyResetLimit(deps)]) {
    if ((await currentCount(deps.db, day, now)) >= day.max) {
      throw retryError('rate_limited', day.windowSeconds - (now % day.windowSeconds));
    }
  }

  const mailbox = await findMailboxByUsername(deps.db, username);
  const target = mailbox?.phone ? { mailbox, phone: mailbox.phone } : null;
  const started = await startChallenge(deps, {
    purpose: 'reset',
    mailboxId: target?.mailbox.id ?? null,
    username,
    phone: target?.phone ?? null,
    sessionHash: null,
  });
  deps.background(async () => {
    const outcome = target
      ? await deliverCode(deps, {
          purpose: 'reset',
          phone: target.phone,
          username: target.mailbox.username,
          secret: started.secret,
        })
      : await recordNoSend(deps, mailbox ? 'no_phone' : 'unknown_username');
    await audit(
      deps.db,
      {
        actor: 'anonymous',
        action: 'reset.start',
        target: mailbox ? `mailbox:${mailbox.id}` : null,
        ip: deps.ip,
        outcome: outcome === 'sent' ? 'success' : 'failure',
        detail: {
          challenge: await auditReference(started.id),
          sms: mailbox ? (mailbox.phone ? outcome : 'no_phone') : 'unknown_username',
        },
      },
      nowSeconds(),
    );
  });
  return {
    id: started.id,
    expiresAt: isoFromSeconds(started.expiresAt),
    resendAfter: isoFromSeconds(started.resendAfter),
  };
}

/** A health job through the hub: 503 `directory_unavailable` unless a domain controller answers. */
async function checkDirectory(deps: Deps): Promise<void> {
  const outcome = await runJob(deps, 'health', {});
  if (outcome.kind !== 'ok') throw directoryUnavailable();
}

/**
 * The background work of a reset that sends nothing, shaped like a real send's (a counter
 * update and a delivery record), so that the load it leaves behind for the next request on
 * this isolate and database does not tell known usernames from unknown ones.
 */
async function recordNoSend(deps: Deps, reason: 'no_phone' | 'unknown_username') {
  const now = nowSeconds();
  await consume(
    deps.db,
    [{ key: 'reset:no_send', max: Number.MAX_SAFE_INTEGER, windowSeconds: 3600 }],
    now,
  );
  await recordDelivery(deps.db, {
    channel: 'sms',
    purpose: 'reset',
    recipientMasked: '',
    provider: deps.cfg.sms.provider,
    status: 'skipped',
    attempts: 0,
    error: reason,
    at: now,
  });
  return 'skipped' as const;
}

/** POST /api/resets/:id/resend: the same code again, after the 3 minutes the guide asks for. */
export async function resendReset(deps: Deps, id: string) {
  const now = nowSeconds();
  const challenge = await findChallenge(deps.db, id, 'reset');
  if (challenge?.status !== 'pending' || challenge.expiresAt <= now) {
    throw new ApiError('expired');
  }
  if (challenge.resendAfter > now) throw retryError('rate_limited', challenge.resendAfter - now);
  if (challenge.resends >= MAX_RESENDS) throw retryError('rate_limited', challenge.expiresAt - now);
  const cap = challenge.username ? codeCap(deps, challenge.username, now) : null;
  if (cap && (await capReached(deps, cap))) {
    await audit(
      deps.db,
      {
        actor: 'anonymous',
        action: 'reset.resend',
        target: challenge.mailboxId ? `mailbox:${challenge.mailboxId}` : null,
        ip: deps.ip,
        outcome: 'refused',
        detail: { challenge: await auditReference(id), result: 'daily_code_cap' },
      },
      now,
    );
    throw blockedToday(cap, now);
  }
  throwIfHit(
    await consume(
      deps.db,
      [
        {
          key: `resend:address:${clientNetwork(deps.ip)}`,
          max: deps.cfg.resets.perAddressPerHour,
          windowSeconds: 3600,
        },
      ],
      now,
    ),
  );
  const secret = await deps.kv.get(codeKey(id));
  if (secret === null) throw retryError('retry_later', 2);
  const next = now + RESEND_AFTER_SECONDS;
  if (!(await markResent(deps.db, id, now, next, MAX_RESENDS))) {
    // Another tap resent it a moment ago.
    throw retryError('rate_limited', RESEND_AFTER_SECONDS);
  }
  const mailbox = challenge.mailboxId ? await findMailboxById(deps.db, challenge.mailboxId) : null;
  const phone = challenge.phone;
  await audit(
    deps.db,
    {
      actor: 'anonymous',
      action: 'reset.resend',
      target: mailbox ? `mailbox:${mailbox.id}` : null,
      ip: deps.ip,
      outcome: 'success',
      detail: { challenge: await auditReference(id) },
    },
    now,
  );
  if (mailbox && phone) {
    deps.background(() =>
      deliverCode(deps, { purpose: 'reset', phone, username: mailbox.username, secret }),
    );
  }
  return { resendAfter: isoFromSeconds(next) };
}

/**
 * POST /api/resets/:id/code: the right code turns the reset into a short-lived token.
 *
 * Every wrong code counts against the day's cap of the name typed at the start (known or
 * not). An attempt takes its place in the cap (one statement) after the reset's own try is
 * counted and before the code is compared, so parallel guesses cannot get past it; a right
 * code gives its place back. At the cap the code is not compared and the try not used.
 */
export async function verifyResetCode(deps: Deps, id: string, code: string) {
  const challenge = await findChallenge(deps.db, id, 'reset');
  const reference = await auditReference(id);
  const auditEntry = (outcome: 'success' | 'failure' | 'refused', result: string, at: number) =>
    audit(
      deps.db,
      {
        actor: 'anonymous',
        action: 'reset.code',
        target: challenge?.mailboxId ? `mailbox:${challenge.mailboxId}` : null,
        ip: deps.ip,
        outcome,
        detail: { challenge: reference, result },
      },
      at,
    );
  // Resets started before the username was stored (migration 0014) have no name to count.
  const capNow = nowSeconds();
  const cap = challenge?.username ? codeCap(deps, challenge.username, capNow) : null;
  const refuse = async (full: DailyCodeCap): Promise<never> => {
    await auditEntry('refused', 'daily_code_cap', capNow);
    throw blockedToday(full, capNow);
  };
  // Past the cap the code is not looked at (nor a try of the reset's used)...
  if (cap && (await capReached(deps, cap))) await refuse(cap);
  // ...and up to it, each attempt that is about to be compared takes its place first, so
  // parallel guesses cannot get past the cap between them.
  let taken = false;
  const check = await checkCode(
    deps,
    challenge,
    code,
    cap
      ? async () => {
          if (!(await consumeBelow(deps.db, cap))) await refuse(cap);
          taken = true;
        }
      : undefined,
  );
  // Only a wrong code counts: the right one gives its place back.
  if (cap && taken && check.kind !== 'wrong') await giveBack(deps.db, cap);
  const now = nowSeconds();
  switch (check.kind) {
    case 'expired':
      throw new ApiError('expired');
    case 'locked':
      await auditEntry('failure', 'locked', now);
      throw new ApiError('locked');
    case 'unavailable':
      throw retryError('retry_later', 2);
    case 'wrong':
      await auditEntry('failure', 'wrong_code', now);
      throw new ApiError('invalid_code', { attemptsLeft: check.attemptsLeft });
    case 'ok':
      break;
  }
  const token = newToken();
  const digest = await tokenDigest(deps.cfg.sessionSecret, token);
  if (!(await markVerified(deps.db, id, digest, now + RESET_TOKEN_SECONDS, now))) {
    throw new ApiError('expired');
  }
  await auditEntry('success', 'verified', now);
  return { token };
}

/** POST /api/resets/:id/password: sets the password once; the token dies with it. */
export async function completeReset(deps: Deps, id: string, token: string, newPassword: string) {
  const now = nowSeconds();
  const challenge = await findChallenge(deps.db, id, 'reset');
  const reference = await auditReference(id);
  const record = (outcome: 'success' | 'refused', result: string) =>
    audit(
      deps.db,
      {
        actor: 'anonymous',
        action: 'reset.complete',
        target: challenge?.mailboxId ? `mailbox:${challenge.mailboxId}` : null,
        ip: deps.ip,
        outcome,
        detail: { challenge: reference, result },
      },
      now,
    );
  const refuse = async (error: ApiError): Promise<never> => {
    await record('refused', error.code);
    throw error;
  };
  if (!challenge || challenge.status === 'used' || challenge.status === 'superseded') {
    return refuse(new ApiError('expired'));
  }
  const digest = await tokenDigest(deps.cfg.sessionSecret, token);
  if (
    challenge.status !== 'verified' ||
    !challenge.tokenHash ||
    !digestsEqual(challenge.tokenHash, digest) ||
    !challenge.mailboxId
  ) {
    return refuse(new ApiError('invalid_token'));
  }
  if ((challenge.tokenExpiresAt ?? 0) <= now) return refuse(new ApiError('expired'));
  const mailbox = await findMailboxById(deps.db, challenge.mailboxId);
  if (!mailbox) return refuse(new ApiError('expired'));

  let write: Awaited<ReturnType<typeof prepareNewPassword>>;
  try {
    write = await prepareNewPassword(deps, mailbox, newPassword, now);
  } catch (err) {
    if (err instanceof ApiError) return refuse(err);
    throw err;
  }
  const leased = mailbox.mode === 'ad';
  const claim = leased ? leaseClaim(now, newId()) : newId();
  if (leased) {
    if (!(await leaseVerified(deps.db, { id, claim, tokenHash: digest, now }))) {
      return refuse(new ApiError('expired'));
    }
    try {
      await resetInDirectory(deps, mailbox, newPassword);
    } catch (err) {
      await releaseLease(deps.db, id, claim);
      // The domain was not reached: nothing changed, and the token still works.
      if (err instanceof ApiError && err.code === 'directory_unavailable') throw err;
      if (err instanceof ApiError) return refuse(err);
      throw err;
    }
  }
  // Whoever completed the reset may share the new password with the unit's staff for a
  // short while, proving it with the same token (see sharableReset).
  const offer = await shareOffer(
    deps,
    { mailboxId: mailbox.id, password: newPassword, setter: resetSetter(id), now },
    claimGuard(id, claim),
  );
  const [claimed] = await deps.db.batch([
    claimStatement(deps.db, { id, from: 'verified', claim, now, tokenHash: digest, leased }),
    ...passwordWriteStatements(deps.db, write, claimGuard(id, claim)),
    offer.statement,
  ]);
  if (claimed?.meta.changes !== 1) {
    // The domain already has the new password (the number was replaced meanwhile, say):
    // nobody may stay signed in with the old one, even though this reset ends here.
    if (leased) await revokeMailboxSessionsStatement(deps.db, mailbox.id, now).run();
    return refuse(new ApiError('expired'));
  }
  await record('success', 'password_set');
  await queueMailboxChange(deps, {
    mailboxId: mailbox.id,
    change: 'password',
    via: 'reset',
    at: now,
    newPassword,
  });
  deps.background(() =>
    notifyMailboxChange(deps, {
      mailboxId: mailbox.id,
      change: 'password',
      via: 'reset',
      actorLabel: mailbox.username,
      at: now,
    }),
  );
}

/**
 * A completed reset whose token the caller still holds: the mailbox, so the new password can
 * be shared with the unit's staff. 401 for a wrong token or a reset not completed.
 */
export async function sharableReset(deps: Deps, id: string, token: string) {
  const challenge = await findChallenge(deps.db, id, 'reset');
  const digest = await tokenDigest(deps.cfg.sessionSecret, token);
  if (
    challenge?.status !== 'used' ||
    !challenge.tokenHash ||
    !digestsEqual(challenge.tokenHash, digest) ||
    !challenge.mailboxId
  ) {
    throw new ApiError('invalid_token');
  }
  const mailbox = await findMailboxById(deps.db, challenge.mailboxId);
  if (!mailbox) throw new ApiError('invalid_token');
  return mailbox;
}
