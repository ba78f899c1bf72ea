import type { MailboxPrincipal } from '../app-env';
import { type AuditEntry, audit, auditStatement, auditWhereStatement } from '../db/audit';
import {
  challengeStatement,
  claimGuard,
  claimStatement,
  deleteChallenge,
  endResetsStatement,
  findPhoneChallenge,
  markResentStatement,
  phoneChallengeOfSessionStatement,
  readChallenge,
  supersedePhoneChallengesStatement,
} from '../db/challenges';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import {
  budgetStatements,
  incrementStatement,
  type Limit,
  limitHit,
  withinGuard,
} from '../db/counters';
import { firstRow } from '../db/database';
import {
  type AttemptKey,
  attemptFailed,
  attemptFailedStatement,
  attemptUncounted,
  attemptVerdict,
  clearFailuresStatements,
  countAttempt,
  countAttemptStatements,
  lockAttempts,
  settleRefusedStatements,
  uncountStatements,
} from '../db/login-failures';
import {
  digestsOf,
  findMailboxById,
  findMailboxByUsername,
  historyStatement,
  type Mailbox,
  mailboxByUsernameStatement,
  mailboxOf,
  passwordIsGuard,
  passwordWriteStatements,
  updatePhoneStatement,
  upgradeHashStatement,
} from '../db/mailboxes';
import {
  clearMustChangeStatement,
  insertSessionStatement,
  logoutStatements,
  SESSION_MAILBOX_SQL,
  SESSION_USERNAME_SQL,
  sessionExistsGuard,
} from '../db/sessions';
import { clientNetwork } from '../domain/client-network';
import { MAX_RESENDS, RESEND_AFTER_SECONDS } from '../domain/codes';
import { mailboxStatus } from '../domain/mailbox-status';
import { phoneReplacedSms } from '../domain/messages';
import { burnVerification, hashPassword, verifyPassword } from '../domain/password-hash';
import { maskPhone } from '../domain/phone';
import { supportPhone } from '../domain/support';
import { newId, newToken, tokenDigest } from '../domain/tokens';
import { ApiError, refusedAttempt, retryError } from '../http/errors';
import { sendSms, smsProvider } from '../outbound/sms';
import { attemptKey, attemptLimits } from './attempts';
import {
  attemptCode,
  codeKey,
  codeState,
  dailyLimit,
  sendCode,
  smsLimits,
  startChallenge,
} from './challenges';
import type { Deps } from './deps';
import { accountOf, directoryLoginLimits, refusalError, runJob } from './directory';
import { mailboxSessionSetter, offerAndStaffReads, shareOffer } from './handovers';
import { notifyMailboxChange } from './notices';
import { historyKept, judgeNewPassword, mailboxView } from './passwords';
import { smsNumber } from './sms-numbers';
import { queueMailboxChange } from './webhooks';

export const MAILBOX_SESSION_SECONDS = 15 * 60;

/** The session's mailbox, read with the session (disabled since sign-in: 401 there). */
export function ownMailbox(principal: MailboxPrincipal): Mailbox {
  return principal.account;
}

/**
 * What the share routes read together with the session: the offer this session holds for
 * its mailbox and the staff of the mailbox's unit (readOfferAndStaff reads the results).
 */
export function shareReads(deps: Deps, session: { hash: string; now: number }) {
  return offerAndStaffReads(
    deps.db,
    { sql: SESSION_MAILBOX_SQL, params: [session.hash, session.now] },
    mailboxSessionSetter(session.hash),
    session.now,
  );
}

/** What asking for and confirming a number read with the session: the challenge it started. */
export function phoneChallengeReads(deps: Deps, session: { hash: string; now: number }) {
  return [phoneChallengeOfSessionStatement(deps.db, session.hash)];
}

/**
 * Checks a mailbox password with the lockout kept per submitted username. Unknown usernames
 * cost the same derivation and count failures the same way, so neither the answer, its
 * timing nor a lockout tells which usernames exist.
 */
export async function checkCredentials(
  deps: Deps,
  username: string,
  password: string,
  /**
   * In `ad` mode, count the attempt but leave the check to the caller's own job (a change,
   * which checks the old password as it replaces it); the caller then settles the attempt.
   */
  options: { deferToDomain?: boolean } = {},
) {
  const now = nowSeconds();
  const key = attemptKey(deps, username);
  // Counted before the check, so parallel guesses cannot outrun the lockout; a success
  // clears the count (the caller, once it has opened the session or answered).
  const attempt = await countAttempt(deps.db, key, now, attemptLimits(deps.cfg.login));
  if (attempt.refused) throw refusedAttempt(attempt, now);
  const mailbox = await findMailboxByUsername(deps.db, username);
  if (mailbox?.mode === 'ad') {
    return checkInDirectory(deps, mailbox, password, attempt.accountFailures ?? 1, now, options);
  }
  let verdict: Awaited<ReturnType<typeof verifyPassword>> = { ok: false };
  if (mailbox) verdict = await verifyPassword(password, mailbox.passwordHash, deps.cfg.peppers);
  else await burnVerification(password, deps.cfg.peppers);
  if (!mailbox || !verdict.ok) {
    await attemptFailed(deps.db, key);
    return null;
  }
  // Past its due date the password still opens the mailbox, but only to change it: the
  // routine's three months, as the domain's "must change at next logon" does in `ad` mode.
  const overdue =
    mailboxStatus(mailbox.passwordChangedAt, deps.cfg.policy.maxAgeDays, now) === 'overdue';
  return { mailbox, needsRehash: verdict.needsRehash, mustChange: overdue };
}

/**
 * Sign-in with the current password of a mailbox whose password lives in the domain: a bind,
 * so a change made in the domain outside Nyckel counts at once. The attempt is counted like
 * any other, under a limit the domain's lockout threshold may make stricter. An attempt that
 * never reached the domain (503, or refused without a bind) is taken back, so nothing is left
 * half-done.
 */
async function checkInDirectory(
  deps: Deps,
  mailbox: Mailbox,
  password: string,
  failures: number,
  now: number,
  options: { deferToDomain?: boolean },
) {
  const limits = await directoryLoginLimits(deps.env, deps.cfg.login);
  const key = attemptKey(deps, mailbox.username);
  // The domain locks the account whichever network the failures came from, so here the
  // account-wide count is what must stay below its threshold.
  if (failures > limits.maxFailures) {
    await lockAttempts(deps.db, key, now + limits.lockSeconds);
    throw retryError('locked', limits.lockSeconds);
  }
  if (options.deferToDomain) return { mailbox, needsRehash: false, mustChange: false };
  let outcome: Awaited<ReturnType<typeof runJob<'verify'>>>;
  try {
    outcome = await runJob(deps, 'verify', { guid: accountOf(mailbox) }, { password });
  } catch (err) {
    await attemptUncounted(deps.db, key, deps.cfg.login.maxFailures);
    throw err;
  }
  if (outcome.kind === 'ok') return { mailbox, needsRehash: false, mustChange: false };
  switch (outcome.refusal) {
    case 'must_change':
      // The password was right; the domain wants a new one before anything else.
      return { mailbox, needsRehash: false, mustChange: true };
    case 'wrong_password':
      await attemptFailed(deps.db, key);
      return null;
    default:
      // Refused without a bind (locked in the domain), or the account cannot sign in at all.
      await attemptUncounted(deps.db, key, deps.cfg.login.maxFailures);
      throw refusalError(outcome.refusal);
  }
}

/**
 * POST /api/mailbox/session. Two round trips to D1 for a mailbox whose password Nyckel holds:
 * one batch counts the address and the attempt and reads the locks and the mailbox; after the
 * derivation, one more either records the failure or opens the session (guarded on the
 * password just checked), clears the count and audits, whichever way the guard went.
 */
export async function login(deps: Deps, username: string, password: string) {
  const now = nowSeconds();
  const byAddress: Limit = {
    key: `login:address:${clientNetwork(deps.ip)}`,
    max: deps.cfg.login.perAddressPer15Min,
    windowSeconds: 900,
  };
  const key = attemptKey(deps, username);
  const limits = attemptLimits(deps.cfg.login);
  // Counted before the check, so parallel guesses cannot outrun the lockout (and only within
  // the address's budget); a success clears the count.
  const results = await deps.db.batch([
    incrementStatement(deps.db, byAddress, now),
    ...countAttemptStatements(deps.db, key, now, limits, withinGuard(byAddress, now)),
    mailboxByUsernameStatement(deps.db, username),
  ]);
  const refused = (result: string) =>
    auditStatement(
      deps.db,
      {
        actor: 'anonymous',
        action: 'mailbox.login',
        ip: deps.ip,
        outcome: 'refused',
        detail: { result },
      },
      now,
    );
  const hit = limitHit(byAddress, firstRow<{ count: number }>(results[0])?.count ?? null, now);
  if (hit) {
    await refused('rate_limited').run();
    throw retryError('rate_limited', hit.retryAfter);
  }
  const counted = results.slice(1, 4);
  const attempt = attemptVerdict(counted, key, now);
  if (attempt.refused) {
    const error = refusedAttempt(attempt, now);
    await deps.db.batch([
      ...settleRefusedStatements(deps.db, counted, key, limits.maxFailures),
      refused(error.code),
    ]);
    throw error;
  }
  const mailbox = mailboxOf(results[4]);
  let result: Awaited<ReturnType<typeof checkCredentials>>;
  if (mailbox?.mode === 'ad') {
    try {
      result = await checkInDirectory(
        deps,
        mailbox,
        password,
        attempt.accountFailures ?? 1,
        now,
        {},
      );
    } catch (err) {
      // An outage of the directory is no attempt at all: it leaves nothing behind.
      if (err instanceof ApiError && err.code !== 'directory_unavailable') {
        await refused(err.code).run();
      }
      throw err;
    }
  } else {
    result = await checkLocally(deps, mailbox, password, now);
  }
  const failed: AuditEntry = {
    actor: 'anonymous',
    action: 'mailbox.login',
    ip: deps.ip,
    outcome: 'failure',
  };
  if (!result) {
    // In `ad` mode checkInDirectory has already recorded the wrong password.
    await deps.db.batch([
      ...(mailbox?.mode === 'ad' ? [] : [attemptFailedStatement(deps.db, key, ALWAYS)]),
      auditStatement(deps.db, failed, now),
    ]);
    throw new ApiError('invalid_credentials');
  }
  const sessionId = newToken();
  const idHash = await tokenDigest(deps.cfg.sessionSecret, sessionId);
  const opened = await openSession(deps, result, password, { idHash, key, failed, now });
  if (!opened) throw new ApiError('invalid_credentials');
  return { sessionId, view: mailboxView(deps, result.mailbox, result.mustChange) };
}

const ALWAYS = { sql: '1', params: [] as unknown[] };

/** The local check: the mailbox's hash, or the same derivation for a name without one. */
async function checkLocally(deps: Deps, mailbox: Mailbox | null, password: string, now: number) {
  let verdict: Awaited<ReturnType<typeof verifyPassword>> = { ok: false };
  if (mailbox) verdict = await verifyPassword(password, mailbox.passwordHash, deps.cfg.peppers);
  else await burnVerification(password, deps.cfg.peppers);
  if (!mailbox || !verdict.ok) return null;
  // Past its due date the password still opens the mailbox, but only to change it: the
  // routine's three months, as the domain's "must change at next logon" does in `ad` mode.
  const overdue =
    mailboxStatus(mailbox.passwordChangedAt, deps.cfg.policy.maxAgeDays, now) === 'overdue';
  return { mailbox, needsRehash: verdict.needsRehash, mustChange: overdue };
}

/**
 * Opens the session in one batch, only while the password just checked is still the
 * mailbox's: a reset or change that landed during the check has ended every session, and
 * this one must not outlive it. The same batch clears the count and audits the success, or,
 * when the guard refused, leaves the attempt counted (in a serial order this password was
 * already the old one) and audits the failure. A hash due for an upgrade is swapped first;
 * if a parallel sign-in swapped it already, the password is checked against what is stored
 * now (more round trips, once per upgrade).
 */
async function openSession(
  deps: Deps,
  result: NonNullable<Awaited<ReturnType<typeof checkCredentials>>>,
  password: string,
  s: { idHash: string; key: AttemptKey; failed: AuditEntry; now: number },
): Promise<boolean> {
  const { mailbox } = result;
  const opened = sessionExistsGuard(s.idHash);
  const notOpened = { sql: `NOT ${opened.sql}`, params: opened.params };
  const open = (passwordHash: string, settleFailure: boolean) => [
    insertSessionStatement(
      deps.db,
      {
        idHash: s.idHash,
        kind: 'mailbox',
        subjectId: mailbox.id,
        at: s.now,
        expiresAt: s.now + MAILBOX_SESSION_SECONDS,
        ip: deps.ip,
        mustChange: result.mustChange,
      },
      passwordIsGuard(mailbox.id, passwordHash),
    ),
    ...clearFailuresStatements(deps.db, s.key, opened),
    auditWhereStatement(
      deps.db,
      {
        actor: `mailbox:${mailbox.id}`,
        action: 'mailbox.login',
        target: `mailbox:${mailbox.id}`,
        ip: deps.ip,
        outcome: 'success',
      },
      s.now,
      opened,
    ),
    ...(settleFailure
      ? [
          attemptFailedStatement(deps.db, s.key, notOpened),
          auditWhereStatement(deps.db, s.failed, s.now, notOpened),
        ]
      : []),
  ];
  if (!result.needsRehash) {
    const [inserted] = await deps.db.batch(open(mailbox.passwordHash, true));
    return inserted?.meta.changes === 1;
  }
  const upgraded = await hashPassword(password, deps.cfg.peppers);
  const [, inserted] = await deps.db.batch([
    upgradeHashStatement(deps.db, mailbox.id, mailbox.passwordHash, upgraded),
    ...open(upgraded, false),
  ]);
  if (inserted?.meta.changes === 1) return true;
  // The hash changed meanwhile (a parallel login upgraded it, or a new password was set):
  // the password must match what is stored now.
  const current = await findMailboxById(deps.db, mailbox.id);
  const still = current
    ? (await verifyPassword(password, current.passwordHash, deps.cfg.peppers)).ok
    : false;
  const [again] = await deps.db.batch(
    current && still
      ? open(current.passwordHash, true)
      : [attemptFailedStatement(deps.db, s.key, ALWAYS), auditStatement(deps.db, s.failed, s.now)],
  );
  return current !== null && still && again?.meta.changes === 1;
}

/** DELETE /api/mailbox/session: the revocation and its audit entry, one batch. */
export async function logout(deps: Deps, sessionHash: string) {
  await deps.db.batch(logoutStatements(deps.db, sessionHash, nowSeconds(), deps.ip));
}

export function view(deps: Deps, principal: MailboxPrincipal) {
  return mailboxView(deps, ownMailbox(principal), principal.mustChange);
}

export type PhoneUpdate =
  | { kind: 'unchanged'; phone: string }
  | { kind: 'code_sent'; expiresAt: string; resendAfter: string };

/**
 * PUT /api/mailbox/phone. A new number is saved only after a code sent to it is entered, so a
 * typo cannot lock the mailbox out and the shared password alone cannot take over its resets.
 * Asking again for the same number within the wait answers with the same challenge; after
 * the wait it sends the same code again (an SMS may just be late).
 */
export async function requestPhoneChange(
  deps: Deps,
  principal: MailboxPrincipal,
  rawPhone: string,
): Promise<PhoneUpdate> {
  const phone = smsNumber(deps, rawPhone);
  const mailbox = ownMailbox(principal);
  if (mailbox.phone === phone) return { kind: 'unchanged', phone };
  const now = nowSeconds();

  const pending =
    principal.reads.length > 0
      ? readChallenge(principal.reads[0])
      : await findPhoneChallenge(deps.db, mailbox.id, principal.sessionHash);
  const samePending =
    pending && pending.status === 'pending' && pending.expiresAt > now && pending.phone === phone
      ? pending
      : null;
  if (samePending && samePending.resendAfter > now) {
    return {
      kind: 'code_sent',
      expiresAt: isoFromSeconds(samePending.expiresAt),
      resendAfter: isoFromSeconds(samePending.resendAfter),
    };
  }

  // The budgets are counted in the batch that writes: the resend's mark or the new challenge,
  // each only within them, and the refusal's entry only when one refused.
  const budget = budgetStatements(
    deps.db,
    smsLimits(deps, { account: mailbox.id, phone, address: true }),
    dailyLimit(deps),
    now,
  );
  const entry = {
    actor: `mailbox:${mailbox.id}`,
    action: 'mailbox.phone.code',
    target: `mailbox:${mailbox.id}`,
    ip: deps.ip,
    detail: { phone: maskPhone(phone) },
  };
  const counted = [
    ...budget.statements,
    auditWhereStatement(
      deps.db,
      { ...entry, outcome: 'refused', detail: { result: 'rate_limited', phone: maskPhone(phone) } },
      now,
      { sql: `NOT (${budget.allWithin.sql})`, params: budget.allWithin.params },
    ),
  ];
  const refuseIfHit = (results: readonly (D1Result | undefined)[]) => {
    const hits = budget.hits(results);
    if (hits.length > 0) {
      throw retryError('rate_limited', Math.max(...hits.map((h) => h.retryAfter)));
    }
  };

  let before = counted;
  if (samePending && samePending.resends < MAX_RESENDS) {
    const secret = await deps.kv.get(codeKey(samePending.id));
    const next = now + RESEND_AFTER_SECONDS;
    const results = await deps.db.batch([
      ...counted,
      ...(secret === null
        ? []
        : [markResentStatement(deps.db, samePending.id, now, next, MAX_RESENDS, budget.allWithin)]),
    ]);
    refuseIfHit(results);
    if (secret === null) throw retryError('retry_later', 2);
    if (results[counted.length]?.meta.changes === 1) {
      const sent = await sendCode(deps, {
        purpose: 'phone',
        phone,
        username: mailbox.username,
        secret,
      });
      if (sent !== 'sent') throw new ApiError('sms_unavailable');
      return {
        kind: 'code_sent',
        expiresAt: isoFromSeconds(samePending.expiresAt),
        resendAfter: isoFromSeconds(next),
      };
    }
    // Another request resent it a moment ago: a fresh code, within the budget just counted.
    before = [];
  }

  const started = await startChallenge(deps, {
    purpose: 'phone',
    mailboxId: mailbox.id,
    phone,
    sessionHash: principal.sessionHash,
    before: [...before, supersedePhoneChallengesStatement(deps.db, mailbox.id, budget.allWithin)],
    guard: budget.allWithin,
  });
  if (before.length > 0) refuseIfHit(started.results);
  const sent = await sendCode(deps, {
    purpose: 'phone',
    phone,
    username: mailbox.username,
    secret: started.secret,
  });
  if (sent !== 'sent') {
    // Nothing may stay behind: the person tries again and gets a fresh code.
    await deleteChallenge(deps.db, started.id);
    await deps.kv.delete(codeKey(started.id));
    await audit(deps.db, { ...entry, outcome: 'failure' }, now);
    throw new ApiError('sms_unavailable');
  }
  // The text went; its entry follows the answer (the delivery record is already written).
  deps.background(() => audit(deps.db, { ...entry, outcome: 'success' }, now));
  return {
    kind: 'code_sent',
    expiresAt: isoFromSeconds(started.expiresAt),
    resendAfter: isoFromSeconds(started.resendAfter),
  };
}

/**
 * POST /api/mailbox/phone/verify: saves the number; the number it replaces is told. The code
 * attempt and, with the right code, the claim, the new number and the audit entry are one
 * batch (attemptCode).
 */
export async function confirmPhoneChange(deps: Deps, principal: MailboxPrincipal, code: string) {
  const mailbox = ownMailbox(principal);
  // Read with the session (phoneChallengeReads), or now if the route did not ask for it.
  const challenge =
    principal.reads.length > 0
      ? readChallenge(principal.reads[0])
      : await findPhoneChallenge(deps.db, mailbox.id, principal.sessionHash);
  const now = nowSeconds();
  const entry = {
    actor: `mailbox:${mailbox.id}`,
    action: 'mailbox.phone.verify',
    target: `mailbox:${mailbox.id}`,
    ip: deps.ip,
  };
  const failure = (result: string): AuditEntry => ({
    ...entry,
    outcome: 'failure',
    detail: { result },
  });
  const state = codeState(challenge, now);
  if (state === 'expired' || !challenge) throw new ApiError('expired');
  if (state === 'locked') {
    await audit(deps.db, failure('locked'), now);
    throw new ApiError('locked');
  }
  const secret = await deps.kv.get(codeKey(challenge.id));
  if (secret === null) throw retryError('retry_later', 2);
  const id = challenge.id;
  // The challenge carries the number it was sent to.
  const phone = challenge.phone ?? '';
  const previous = mailbox.phone;
  const claim = newId();
  const claimed = claimGuard(id, claim);
  const check = await attemptCode(deps, {
    challenge,
    secret,
    code,
    now,
    cap: null,
    right: [
      claimStatement(deps.db, { id, from: 'pending', claim, now, countTry: true }),
      updatePhoneStatement(deps.db, mailbox.id, phone, claimed),
      // A reset whose code went to the number being replaced ends here.
      endResetsStatement(deps.db, mailbox.id, claimed),
      auditWhereStatement(
        deps.db,
        {
          ...entry,
          outcome: 'success',
          detail: { phone: maskPhone(phone), replaced: previous ? maskPhone(previous) : null },
        },
        now,
        claimed,
      ),
    ],
    wrong: (counted) => auditWhereStatement(deps.db, failure('wrong_code'), now, counted),
    fresh: challengeStatement(deps.db, id),
    readFresh: (result) => {
      const fresh = readChallenge(result);
      return fresh ? { challenge: fresh, failedCodes: 0 } : null;
    },
  });
  switch (check.kind) {
    case 'expired':
    case 'capped':
      throw new ApiError('expired');
    case 'locked':
      // Lost a race for the last try: the entry follows the answer.
      deps.background(() => audit(deps.db, failure('locked'), now));
      throw new ApiError('locked');
    case 'wrong':
      throw new ApiError('invalid_code', { attemptsLeft: check.attemptsLeft });
    case 'ok':
      break;
  }
  deps.background(() =>
    queueMailboxChange(deps, { mailboxId: mailbox.id, change: 'phone', via: 'self', at: now }),
  );
  deps.background(() =>
    notifyMailboxChange(deps, {
      mailboxId: mailbox.id,
      change: 'phone',
      via: 'self',
      actorLabel: mailbox.username,
      at: now,
    }),
  );
  if (previous && previous !== phone) {
    const body = phoneReplacedSms(deps.lang, {
      username: mailbox.username,
      maskedNew: maskPhone(phone),
      support: supportPhone(deps.cfg.support),
    });
    deps.background(() =>
      sendSms(deps.db, smsProvider(deps.env, deps.cfg), { to: previous, body }, 'phone_replaced'),
    );
  }
  return { phone };
}

/**
 * What changing the password reads together with the session: the attempt on the current
 * password, counted before it is checked (keyed on the session's username, so it needs no
 * read of its own), and the mailbox's password history.
 */
export function passwordChangeReads(deps: Deps, session: { hash: string; now: number }) {
  const subject = { sql: SESSION_USERNAME_SQL, params: [session.hash, session.now] };
  return [
    ...countAttemptStatements(
      deps.db,
      { subject, network: clientNetwork(deps.ip) },
      session.now,
      attemptLimits(deps.cfg.login),
      ALWAYS,
    ),
    historyStatement(
      deps.db,
      `mailbox_id = ${SESSION_MAILBOX_SQL}`,
      [session.hash, session.now],
      historyKept(deps),
    ),
  ];
}

/**
 * POST /api/mailbox/password: the current password again, then the new one under the policy.
 * Two round trips for a mailbox whose password Nyckel holds: the session's read (with the
 * attempt counted and the history, passwordChangeReads), then one batch that writes the
 * change and its audit entry, or the failure.
 */
export async function changePassword(
  deps: Deps,
  principal: MailboxPrincipal,
  currentPassword: string,
  newPassword: string,
) {
  const now = nowSeconds();
  const mailbox = ownMailbox(principal);
  const key = attemptKey(deps, principal.username);
  const limits = attemptLimits(deps.cfg.login);
  const counted = principal.reads.slice(0, 3);
  const attempt = attemptVerdict(counted, key, now);
  if (attempt.refused) {
    const settle = settleRefusedStatements(deps.db, counted, key, limits.maxFailures);
    if (settle.length > 0) await deps.db.batch(settle);
    throw refusedAttempt(attempt, now);
  }
  const entry = {
    actor: `mailbox:${principal.mailboxId}`,
    action: 'mailbox.password.change',
    target: `mailbox:${principal.mailboxId}`,
    ip: deps.ip,
  };
  const failed: AuditEntry = { ...entry, outcome: 'failure', detail: { result: 'wrong_password' } };
  // In `ad` mode the change itself checks the current password (delete-old/add-new), so
  // there is one operation in the domain, not a bind and then a change; an attempt that never
  // reached a check is taken back.
  const inDomain = mailbox.mode === 'ad';
  const uncount = () =>
    inDomain ? uncountStatements(deps.db, key, deps.cfg.login.maxFailures) : [];
  if (inDomain) {
    const domain = await directoryLoginLimits(deps.env, deps.cfg.login);
    // The domain locks the account whichever network the failures came from.
    if ((attempt.accountFailures ?? 1) > domain.maxFailures) {
      await lockAttempts(deps.db, key, now + domain.lockSeconds);
      throw retryError('locked', domain.lockSeconds);
    }
  } else if (!(await verifyPassword(currentPassword, mailbox.passwordHash, deps.cfg.peppers)).ok) {
    await deps.db.batch([
      attemptFailedStatement(deps.db, key, ALWAYS),
      auditStatement(deps.db, failed, now),
    ]);
    throw new ApiError('invalid_credentials');
  }
  let write: Awaited<ReturnType<typeof judgeNewPassword>>;
  try {
    write = await judgeNewPassword(deps, mailbox, newPassword, now, digestsOf(principal.reads[3]));
  } catch (err) {
    await deps.db.batch([
      ...uncount(),
      auditStatement(deps.db, { ...entry, outcome: 'refused', detail: { result: 'policy' } }, now),
    ]);
    throw err;
  }
  if (inDomain) {
    // Nyckel's own policy has passed, so most refusals got a specific message already; the
    // domain now checks the old password and applies its history and minimum age.
    let outcome: Awaited<ReturnType<typeof runJob<'change'>>>;
    try {
      outcome = await runJob(
        deps,
        'change',
        { guid: accountOf(mailbox) },
        { oldPassword: currentPassword, newPassword },
      );
    } catch (err) {
      await deps.db.batch(uncount());
      throw err;
    }
    if (outcome.kind === 'refused') {
      if (outcome.refusal === 'wrong_password') {
        await deps.db.batch([
          attemptFailedStatement(deps.db, key, ALWAYS),
          auditStatement(deps.db, failed, now),
        ]);
        throw new ApiError('invalid_credentials');
      }
      // Anything else was decided without a wrong password: no failure to count.
      await deps.db.batch([
        ...uncount(),
        auditStatement(
          deps.db,
          { ...entry, outcome: 'refused', detail: { result: outcome.refusal } },
          now,
        ),
      ]);
      throw refusalError(outcome.refusal);
    }
  }
  // Other sessions end; the one that made the change stays signed in, and may share the new
  // password with the unit's staff for a short while (bound to this session).
  // A compare-and-set on the hash just checked: if a reset or another change landed since,
  // the current password given is no longer current and nothing is written (no lost update).
  // In `ad` mode the domain has already decided that (it checked the old password as it
  // changed it), so what it accepted is recorded whatever D1 held.
  const guard = passwordIsGuard(principal.mailboxId, write.passwordHash);
  const offer = await shareOffer(
    deps,
    {
      mailboxId: principal.mailboxId,
      password: newPassword,
      setter: mailboxSessionSetter(principal.sessionHash),
      now,
    },
    guard,
  );
  const [swapped] = await deps.db.batch([
    upgradeHashStatement(
      deps.db,
      principal.mailboxId,
      inDomain ? null : mailbox.passwordHash,
      write.passwordHash,
    ),
    ...passwordWriteStatements(deps.db, write, guard, principal.sessionHash),
    clearMustChangeStatement(deps.db, principal.sessionHash),
    offer.statement,
    auditWhereStatement(deps.db, { ...entry, outcome: 'success' }, now, guard),
    auditWhereStatement(deps.db, failed, now, { sql: `NOT ${guard.sql}`, params: guard.params }),
  ]);
  if (swapped?.meta.changes !== 1) throw new ApiError('invalid_credentials');
  // The webhook event and the notices follow the answer; see docs/latency.md.
  deps.background(() =>
    queueMailboxChange(deps, {
      mailboxId: principal.mailboxId,
      change: 'password',
      via: 'self',
      at: now,
      newPassword,
    }),
  );
  deps.background(() =>
    notifyMailboxChange(deps, {
      mailboxId: principal.mailboxId,
      change: 'password',
      via: 'self',
      actorLabel: principal.username,
      at: now,
    }),
  );
}
