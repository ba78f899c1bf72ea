import { revokeMailboxSessionsStatement } from '../db/admin';
import { type AuditEntry, audit, auditWhereStatement } from '../db/audit';
import {
  claimGuard,
  claimStatement,
  leaseClaim,
  leaseVerified,
  markResentStatement,
  releaseLease,
  verifiedWithGuard,
  verifyCodeStatement,
} from '../db/challenges';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import {
  belowGuard,
  consume,
  incrementStatement,
  type Limit,
  limitHit,
  withinGuard,
} from '../db/counters';
import { firstRow, PREVIOUS_CHANGED } from '../db/database';
import { mailboxOf, passwordWriteStatements } from '../db/mailboxes';
import { recordDelivery } from '../db/outbox';
import { type DailyCodeCap, dailyCodeCap } from '../db/reset-code-cap';
import {
  readResetAndMailbox,
  readResetForPassword,
  readResetWithCap,
  resetMailboxStatement,
  resetStartRead,
  resetWithCapStatement,
} from '../db/resets';
import { clientNetwork } from '../domain/client-network';
import { MAX_RESENDS, RESEND_AFTER_SECONDS, RESET_TOKEN_SECONDS } from '../domain/codes';
import { auditReference, digestsEqual, newId, newToken, tokenDigest } from '../domain/tokens';
import { ApiError, retryError } from '../http/errors';
import {
  attemptCode,
  codeKey,
  codeState,
  dailyLimit,
  dailyResetLimit,
  deliverCode,
  startChallenge,
} from './challenges';
import type { Deps } from './deps';
import { directoryUnavailable, resetInDirectory, runJob } from './directory';
import { offerAndStaffReads, readOfferAndStaff, resetSetter, shareOffer } from './handovers';
import { notifyMailboxChange } from './notices';
import { historyKept, judgeNewPassword } from './passwords';
import { queueMailboxChange } from './webhooks';

function throwIfHit(hits: { retryAfter: number }[]) {
  if (hits.length > 0) throw retryError('rate_limited', Math.max(...hits.map((h) => h.retryAfter)));
}

/**
 * A reset's audit entries: anonymous, about its mailbox if it has one, named by the reset's
 * reference; each with its outcome and result.
 */
function resetEntry(
  deps: Deps,
  action: string,
  challenge: { mailboxId: string | null } | null,
  reference: string,
) {
  return (outcome: AuditEntry['outcome'], result: string): AuditEntry => ({
    actor: 'anonymous',
    action,
    target: challenge?.mailboxId ? `mailbox:${challenge.mailboxId}` : null,
    ip: deps.ip,
    outcome,
    detail: { challenge: reference, result },
  });
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
 * POST /api/resets. Answers the same whether or not the username exists or has a phone:
 * the same statements run on both paths, the per-username budget counts the submitted name,
 * and the SMS goes out in the background so neither the lookup nor the provider shows in the
 * response or its timing. Two round trips to D1 before the answer, the same two for every
 * name: one batch that reads and counts (resetStartRead), and one that writes the challenge,
 * side by side with the code secret's KV write.
 */
export async function startReset(deps: Deps, username: string) {
  const now = nowSeconds();
  const cap = codeCap(deps, username, now);
  // Per name from this network: someone starting resets from elsewhere never uses up the
  // owner's own hour.
  const byUsername: Limit = {
    key: `reset:username:${username}:${clientNetwork(deps.ip)}`,
    max: deps.cfg.resets.perUsernamePerHour,
    windowSeconds: 3600,
  };
  const byAddress: Limit = {
    key: `reset:address:${clientNetwork(deps.ip)}`,
    max: deps.cfg.resets.perAddressPerHour,
    windowSeconds: 3600,
  };
  // The global ceiling and the resets' share of it are only read here (sends count them).
  const days = [dailyLimit(deps), dailyResetLimit(deps)];
  const read = await resetStartRead(deps.db, { username, cap, byAddress, byUsername, days, now });
  const { mailbox } = read;
  // A name that has had its day's wrong codes waits for tomorrow or a manager: refused
  // first, before any budget is spent or text sent (the batch counted nothing), and alike for
  // every name, real or not (the audit entry, with the mailbox if there is one, is written
  // after the answer).
  if (read.failedCodes >= cap.max) {
    deps.background(() =>
      audit(
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
      ),
    );
    throw blockedToday(cap, now);
  }
  // While any mailbox's password lives in the domain, a reset first makes sure the domain can
  // be reached, so nobody waits for a code they cannot use. It is asked for every username,
  // known or not, so an outage does not tell which names are real; the per-address budget
  // bounds how often one address can make it ask, and the per-username budget is spent only
  // once the domain answered (in the second batch), so retrying through an outage does not
  // use up a person's hour.
  const addressHit = limitHit(byAddress, read.addressCount, now);
  if (read.directoryInUse) {
    throwIfHit(addressHit ? [addressHit] : []);
    await checkDirectory(deps);
  } else {
    throwIfHit(
      [addressHit, limitHit(byUsername, read.usernameCount, now)].filter((h) => h !== null),
    );
  }
  // When either day's ceiling is spent no reset text goes out, and saying so reveals nothing
  // about any one account.
  const spent = days.find((day, i) => (read.dayCounts[i] ?? 0) >= day.max);
  if (spent && !read.directoryInUse) {
    throw retryError('rate_limited', spent.windowSeconds - (now % spent.windowSeconds));
  }

  const target = mailbox?.phone ? { mailbox, phone: mailbox.phone } : null;
  const started = await startChallenge(deps, {
    purpose: 'reset',
    mailboxId: target?.mailbox.id ?? null,
    username,
    phone: target?.phone ?? null,
    sessionHash: null,
    // With the directory in use the name's budget is counted now, and the challenge written
    // only within it (and only while the day's texts last).
    ...(read.directoryInUse
      ? {
          before: [incrementStatement(deps.db, byUsername, now)],
          guard: spent ? { sql: '0', params: [] } : withinGuard(byUsername, now),
        }
      : {}),
  });
  if (read.directoryInUse) {
    const count = started.results[0]?.results[0] as { count: number } | undefined;
    const hit = limitHit(byUsername, count?.count ?? null, now);
    throwIfHit(hit ? [hit] : []);
    if (spent) throw retryError('rate_limited', spent.windowSeconds - (now % spent.windowSeconds));
  }
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

/**
 * POST /api/resets/:id/resend: the same code again, after the 3 minutes the guide asks for.
 * One read (the reset, its name's wrong codes today, its mailbox, side by side with the
 * secret from KV) and one batch that counts the address, marks the resend and audits it.
 */
export async function resendReset(deps: Deps, id: string) {
  const now = nowSeconds();
  const [{ found, mailbox }, secret] = await Promise.all([
    readResetAndMailbox(deps.db, id, now),
    deps.kv.get(codeKey(id)),
  ]);
  const challenge = found?.challenge ?? null;
  if (challenge?.status !== 'pending' || challenge.expiresAt <= now) {
    throw new ApiError('expired');
  }
  if (challenge.resendAfter > now) throw retryError('rate_limited', challenge.resendAfter - now);
  if (challenge.resends >= MAX_RESENDS) throw retryError('rate_limited', challenge.expiresAt - now);
  const reference = await auditReference(id);
  const cap = challenge.username ? codeCap(deps, challenge.username, now) : null;
  if (cap && (found?.failedCodes ?? 0) >= cap.max) {
    await audit(
      deps.db,
      {
        actor: 'anonymous',
        action: 'reset.resend',
        target: challenge.mailboxId ? `mailbox:${challenge.mailboxId}` : null,
        ip: deps.ip,
        outcome: 'refused',
        detail: { challenge: reference, result: 'daily_code_cap' },
      },
      now,
    );
    throw blockedToday(cap, now);
  }
  const byAddress: Limit = {
    key: `resend:address:${clientNetwork(deps.ip)}`,
    max: deps.cfg.resets.perAddressPerHour,
    windowSeconds: 3600,
  };
  if (secret === null) {
    // Counted like any other resend, and nothing sent: KV here has not seen the code yet.
    throwIfHit(await consume(deps.db, [byAddress], now));
    throw retryError('retry_later', 2);
  }
  const next = now + RESEND_AFTER_SECONDS;
  const [counted, resent] = await deps.db.batch([
    incrementStatement(deps.db, byAddress, now),
    markResentStatement(deps.db, id, now, next, MAX_RESENDS, withinGuard(byAddress, now)),
    auditWhereStatement(
      deps.db,
      {
        actor: 'anonymous',
        action: 'reset.resend',
        target: mailbox ? `mailbox:${mailbox.id}` : null,
        ip: deps.ip,
        outcome: 'success',
        detail: { challenge: reference },
      },
      now,
      PREVIOUS_CHANGED,
    ),
  ]);
  const hit = limitHit(byAddress, firstRow<{ count: number }>(counted)?.count ?? null, now);
  throwIfHit(hit ? [hit] : []);
  // Another tap resent it a moment ago.
  if (resent?.meta.changes !== 1) throw retryError('rate_limited', RESEND_AFTER_SECONDS);
  const phone = challenge.phone;
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
 * not). A wrong code takes its place in the cap (one statement) before its try of the reset
 * is counted, in the same batch, so parallel guesses cannot get past it; a right code only
 * needs the cap to have room. At the cap the code is not compared and the try not used.
 * One read (the reset with its name's count, side by side with the secret from KV) and one
 * batch (attemptCode).
 */
export async function verifyResetCode(deps: Deps, id: string, code: string) {
  const now = nowSeconds();
  const [read, secret] = await Promise.all([
    resetWithCapStatement(deps.db, id, now).all(),
    deps.kv.get(codeKey(id)),
  ]);
  const found = readResetWithCap(read);
  const challenge = found?.challenge ?? null;
  const reference = await auditReference(id);
  const entry = resetEntry(deps, 'reset.code', challenge, reference);
  // Resets started before the username was stored (migration 0014) have no name to count.
  const cap = challenge?.username ? codeCap(deps, challenge.username, now) : null;
  const refuse = async (
    outcome: 'failure' | 'refused',
    result: string,
    error: ApiError,
  ): Promise<never> => {
    await audit(deps.db, entry(outcome, result), now);
    throw error;
  };
  // Past the cap the code is not looked at (nor a try of the reset's used).
  if (cap && (found?.failedCodes ?? 0) >= cap.max) {
    return refuse('refused', 'daily_code_cap', blockedToday(cap, now));
  }
  const state = codeState(challenge, now);
  if (state === 'expired' || !challenge) throw new ApiError('expired');
  if (state === 'locked') return refuse('failure', 'locked', new ApiError('locked'));
  // D1 says the reset is live but this location's KV has not seen the secret yet: nothing
  // is counted, and the person tries again in a moment.
  if (secret === null) throw retryError('retry_later', 2);
  const token = newToken();
  const digest = await tokenDigest(deps.cfg.sessionSecret, token);
  const check = await attemptCode(deps, {
    challenge,
    secret,
    code,
    now,
    cap,
    right: [
      verifyCodeStatement(deps.db, {
        id,
        tokenHash: digest,
        tokenExpiresAt: now + RESET_TOKEN_SECONDS,
        now,
        guard: cap ? belowGuard(cap) : { sql: '1', params: [] },
      }),
      auditWhereStatement(
        deps.db,
        entry('success', 'verified'),
        now,
        verifiedWithGuard(id, digest),
      ),
    ],
    wrong: (counted) => auditWhereStatement(deps.db, entry('failure', 'wrong_code'), now, counted),
    fresh: resetWithCapStatement(deps.db, id, now),
    readFresh: readResetWithCap,
  });
  // An attempt that lost a race is told why; its audit entry, the one thing left to write,
  // follows the answer.
  const later = (outcome: 'failure' | 'refused', result: string) =>
    deps.background(() => audit(deps.db, entry(outcome, result), now));
  switch (check.kind) {
    case 'ok':
      return { token };
    case 'wrong':
      throw new ApiError('invalid_code', { attemptsLeft: check.attemptsLeft });
    case 'expired':
      throw new ApiError('expired');
    case 'locked':
      later('failure', 'locked');
      throw new ApiError('locked');
    case 'capped':
      later('refused', 'daily_code_cap');
      throw blockedToday(cap ?? codeCap(deps, '', now), now);
  }
}

/**
 * POST /api/resets/:id/password: sets the password once; the token dies with it. One read
 * (the reset, its mailbox and the mailbox's password history) and one batch that claims the
 * reset, writes the password, stores the share offer and audits the outcome either way. A
 * mailbox whose password lives in the domain takes a lease first (one more write), since the
 * domain's change cannot be part of a D1 batch.
 */
export async function completeReset(deps: Deps, id: string, token: string, newPassword: string) {
  const now = nowSeconds();
  const read = await readResetForPassword(deps.db, id, now, historyKept(deps));
  const challenge = read.found?.challenge ?? null;
  const reference = await auditReference(id);
  const entry = resetEntry(deps, 'reset.complete', challenge, reference);
  const refuse = async (error: ApiError): Promise<never> => {
    await audit(deps.db, entry('refused', error.code), now);
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
  const { mailbox } = read;
  if (!mailbox) return refuse(new ApiError('expired'));

  let write: Awaited<ReturnType<typeof judgeNewPassword>>;
  try {
    write = await judgeNewPassword(deps, mailbox, newPassword, now, read.history);
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
  const claimed = claimGuard(id, claim);
  const offer = await shareOffer(
    deps,
    { mailboxId: mailbox.id, password: newPassword, setter: resetSetter(id), now },
    claimed,
  );
  const [won] = await deps.db.batch([
    claimStatement(deps.db, { id, from: 'verified', claim, now, tokenHash: digest, leased }),
    ...passwordWriteStatements(deps.db, write, claimed),
    offer.statement,
    auditWhereStatement(deps.db, entry('success', 'password_set'), now, claimed),
    // Lost to a parallel request with the same token, or the number was replaced meanwhile.
    auditWhereStatement(deps.db, entry('refused', 'expired'), now, {
      sql: `NOT ${claimed.sql}`,
      params: claimed.params,
    }),
  ]);
  if (won?.meta.changes !== 1) {
    // The domain already has the new password (the number was replaced meanwhile, say):
    // nobody may stay signed in with the old one, even though this reset ends here.
    if (leased) await revokeMailboxSessionsStatement(deps.db, mailbox.id, now).run();
    throw new ApiError('expired');
  }
  // The webhook event and the notices follow the answer; see docs/latency.md.
  deps.background(() =>
    queueMailboxChange(deps, {
      mailboxId: mailbox.id,
      change: 'password',
      via: 'reset',
      at: now,
      newPassword,
    }),
  );
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
 * be shared with the unit's staff, with the offer the reset left and the unit's staff, all in
 * one read. 401 for a wrong token or a reset not completed.
 */
export async function sharableReset(deps: Deps, id: string, token: string) {
  const now = nowSeconds();
  const mailboxSql = `(SELECT mailbox_id FROM challenges WHERE id = ? AND purpose = 'reset')`;
  const [reset, mailboxRow, ...shareRead] = await deps.db.batch([
    resetWithCapStatement(deps.db, id, now),
    resetMailboxStatement(deps.db, id),
    ...offerAndStaffReads(deps.db, { sql: mailboxSql, params: [id] }, resetSetter(id), now),
  ]);
  const challenge = readResetWithCap(reset)?.challenge ?? null;
  const digest = await tokenDigest(deps.cfg.sessionSecret, token);
  if (
    challenge?.status !== 'used' ||
    !challenge.tokenHash ||
    !digestsEqual(challenge.tokenHash, digest) ||
    !challenge.mailboxId
  ) {
    throw new ApiError('invalid_token');
  }
  const mailbox = mailboxOf(mailboxRow);
  if (!mailbox) throw new ApiError('invalid_token');
  return { mailbox, read: readOfferAndStaff(shareRead) };
}
