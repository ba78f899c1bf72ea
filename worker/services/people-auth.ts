/**
 * People's strong sign-in: enrolment through a one-time invite (a passkey, or TOTP
 * where passkeys are not available), then sign-in with the passkey, a TOTP code or a smart
 * card at the edge. Every sign-in starts a new session (verified now: that is also the
 * step-up) and ends the one the browser had. Every sign-in, enrolment and refusal is audited,
 * never with a code, secret or token.
 */

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { renderSVG } from 'uqr';
import type { PersonPrincipal } from '../app-env';
import { audit, auditWhereStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { consume, type Limit } from '../db/counters';
import {
  claimTotpStep,
  claimWebauthnChallenge,
  claimWebauthnChallengeStatement,
  deleteFactorsStatements,
  findPasskey,
  findPasskeyWithPersonRead,
  findPersonForCertificateRead,
  findSignInPersonRead,
  findTotpFactor,
  insertPasskeyStatement,
  insertPersonSessionStatement,
  insertTotpFactorStatement,
  insertWebauthnChallenge,
  inviteTotpSecret,
  offerInviteTotpSecret,
  personLiveGuard,
  recordPasskeyUseStatement,
  revokePersonSessionStatement,
  revokePersonSessionsGuardedStatement,
  type SignInMethod,
  type SignInPerson,
  unitsOfPerson,
} from '../db/credentials';
import type { Guard } from '../db/database';
import {
  findUsableInvite,
  type Invite,
  inviteDigest,
  inviteUsedGuard,
  useInviteStatement,
} from '../db/invites';
import { attemptFailed, clearFailures, countAttempt } from '../db/login-failures';
import { findPersonById, type Person } from '../db/people';
import { signOutStatements } from '../db/person-sessions';
import { readTogether } from '../db/reads';
import { countStatement, overLimit, withinLimit } from '../db/throttle';
import { fromBase64Url } from '../domain/bytes';
import {
  CARD_REFUSAL_CODES,
  type CardRefusal,
  judgeCertificate,
  type TlsClientAuth,
} from '../domain/certificate';
import { clientNetwork } from '../domain/client-network';
import type { ErrorCode } from '../domain/messages';
import { seal, unseal } from '../domain/sealed';
import { newId, newToken, tokenDigest } from '../domain/tokens';
import { matchTotp, newTotpSecret, totpUri } from '../domain/totp';
import { ApiError, refusedAttempt, retryError } from '../http/errors';
import { attemptKey, attemptLimits } from './attempts';
import type { Deps } from './deps';
import {
  authenticationOptions,
  CHALLENGE_SECONDS,
  type RelyingParty,
  registrationOptions,
  userHandleText,
  verifyAuthentication,
  verifyRegistration,
} from './webauthn';

export interface PersonView {
  id: string;
  name: string;
  email: string;
  isAdmin: boolean;
  units: { id: string; name: string; role: 'manager' | 'delegate' }[];
  method: SignInMethod;
  verifiedAt: string;
  freshUntil: string;
  expiresAt: string;
}

/** A new session: the cookie value (shown once, to the browser) and what the app shows. */
export interface SignedIn {
  sessionId: string;
  view: PersonView;
}

type Outcome = 'success' | 'failure' | 'refused';

function record(
  deps: Deps,
  entry: {
    action: string;
    outcome: Outcome;
    personId?: string | null;
    detail?: Record<string, string | number | boolean | null>;
  },
  now: number,
) {
  const person = entry.personId ? `person:${entry.personId}` : null;
  return audit(
    deps.db,
    {
      // Only a successful check makes the person the actor; before that it is whoever knocked.
      actor: entry.outcome === 'success' && person ? person : 'anonymous',
      action: entry.action,
      target: person,
      ip: deps.ip,
      outcome: entry.outcome,
      ...(entry.detail ? { detail: entry.detail } : {}),
    },
    now,
  );
}

// --- Throttles -----------------------------------------------------------------------------

/** Per client address; the same window as the mailbox login's. */
function addressLimit(deps: Deps, kind: 'invite' | 'options' | 'signin', max: number): Limit {
  return { key: `people:${kind}:${clientNetwork(deps.ip)}`, max, windowSeconds: 900 };
}

async function throttle(deps: Deps, limit: Limit, action: string, now: number) {
  const [hit] = await consume(deps.db, [limit], now);
  if (hit) {
    await record(deps, { action, outcome: 'refused', detail: { reason: 'rate_limited' } }, now);
    throw retryError('rate_limited', hit.retryAfter);
  }
}

/** Enrolment: a few calls per invite; generous, since the 256-bit token cannot be guessed. */
const throttleInvite = (deps: Deps, action: string, now: number) =>
  throttle(deps, addressLimit(deps, 'invite', deps.cfg.login.perAddressPer15Min * 2), action, now);

const signInLimit = (deps: Deps) => addressLimit(deps, 'signin', deps.cfg.login.perAddressPer15Min);

const throttleSignIn = (deps: Deps, now: number) =>
  throttle(deps, signInLimit(deps), 'person.signin', now);

/** The audit entry of a throttled request, for a batch: written only where `guard` holds. */
function rateLimitedEntry(deps: Deps, action: string, guard: Guard, now: number) {
  return auditWhereStatement(
    deps.db,
    {
      actor: 'anonymous',
      action,
      target: null,
      ip: deps.ip,
      outcome: 'refused',
      detail: { reason: 'rate_limited' },
    },
    now,
    guard,
  );
}

// --- Sessions and the person's view --------------------------------------------------------

/**
 * The login_failures subject of a person's TOTP sign-in: their e-mail as typed at sign-in
 * (stored e-mails are lower case, as the sign-in schema makes the typed one), so an
 * administrator's unlock clears the key the sign-in counts against.
 */
export function personLockKey(email: string) {
  // A prefix no mailbox username can have (they never contain ':').
  return `person:${email}`;
}

function viewOf(
  deps: Deps,
  person: Pick<SignInPerson, 'id' | 'name' | 'email' | 'isAdmin' | 'units'>,
  session: { method: SignInMethod; verifiedAt: number; expiresAt: number },
): PersonView {
  return {
    id: person.id,
    name: person.name,
    email: person.email,
    isAdmin: person.isAdmin,
    units: person.units,
    method: session.method,
    verifiedAt: isoFromSeconds(session.verifiedAt),
    freshUntil: isoFromSeconds(session.verifiedAt + deps.cfg.people.freshSeconds),
    expiresAt: isoFromSeconds(session.expiresAt),
  };
}

/**
 * The statements that start a session: the browser's previous person session (if any) ends,
 * a new one begins, verified now. With a guard they run only if an enrolment's claim won.
 */
async function sessionStatements(
  deps: Deps,
  s: { personId: string; method: SignInMethod; replacing: string | null; now: number },
  guard?: Guard,
) {
  const sessionId = newToken();
  const expiresAt = s.now + deps.cfg.people.absoluteSeconds;
  const statements: D1PreparedStatement[] = [];
  if (s.replacing)
    statements.push(revokePersonSessionStatement(deps.db, s.replacing, s.now, guard));
  statements.push(
    insertPersonSessionStatement(
      deps.db,
      {
        idHash: await tokenDigest(deps.cfg.sessionSecret, sessionId),
        personId: s.personId,
        at: s.now,
        expiresAt,
        ip: deps.ip,
        method: s.method,
      },
      guard,
    ),
  );
  return { sessionId, expiresAt, statements };
}

/**
 * The sign-in's one write batch: `first` (the passkey's new counter), the browser's previous
 * session ends, a new one starts, and the success is audited, all only while the person is
 * not disabled (read before, checked again here in SQL). The view comes from the read the
 * factor was found with, so a sign-in costs that read and this batch.
 */
async function signIn(
  deps: Deps,
  s: { person: SignInPerson; method: SignInMethod; replacing: string | null; now: number },
  first: D1PreparedStatement[] = [],
): Promise<SignedIn> {
  const { person, now } = s;
  if (person.disabledAt !== null) throw new ApiError('sign_in_failed');
  const guard = personLiveGuard(person.id);
  const { sessionId, expiresAt, statements } = await sessionStatements(
    deps,
    { personId: person.id, method: s.method, replacing: s.replacing, now },
    guard,
  );
  const results = await deps.db.batch([
    ...first,
    ...statements,
    auditWhereStatement(
      deps.db,
      {
        actor: `person:${person.id}`,
        action: 'person.signin',
        target: `person:${person.id}`,
        ip: deps.ip,
        outcome: 'success',
        detail: { method: s.method },
      },
      now,
      guard,
    ),
  ]);
  // Disabled between the read and the batch: nothing was written.
  if (results[first.length + statements.length - 1]?.meta.changes !== 1) {
    throw new ApiError('sign_in_failed');
  }
  return {
    sessionId,
    view: viewOf(deps, person, { method: s.method, verifiedAt: now, expiresAt }),
  };
}

/**
 * GET /api/people/session: the signed-in person, as the app shows them, from what the
 * session check read (no further D1 call).
 */
export function sessionView(deps: Deps, p: PersonPrincipal): PersonView {
  if (!p.method || p.verifiedAt === null) throw new ApiError('unauthorized');
  return {
    id: p.personId,
    name: p.name,
    email: p.email,
    isAdmin: p.isAdmin,
    units: p.units,
    method: p.method,
    verifiedAt: isoFromSeconds(p.verifiedAt),
    freshUntil: isoFromSeconds(p.verifiedAt + deps.cfg.people.freshSeconds),
    expiresAt: isoFromSeconds(p.expiresAt),
  };
}

/**
 * DELETE /api/people/session: ends the session the cookie names, audited if it was live; one
 * D1 call.
 */
export async function signOut(deps: Deps, sessionHash: string) {
  await deps.db.batch(
    signOutStatements(deps.db, {
      idHash: sessionHash,
      now: nowSeconds(),
      idleSeconds: deps.cfg.people.idleSeconds,
      ip: deps.ip,
    }),
  );
}

// --- Invites and enrolment -----------------------------------------------------------------

/** A usable invite and its person, or 410 invite_invalid (audited). */
async function usableInvite(deps: Deps, token: string, action: string, now: number) {
  const invite = await findUsableInvite(deps.db, await inviteDigest(token), now);
  const person = invite ? await findPersonById(deps.db, invite.personId) : null;
  if (!invite || !person || person.disabledAt !== null) {
    await record(deps, { action, outcome: 'refused', detail: { reason: 'invite_invalid' } }, now);
    throw new ApiError('invite_invalid');
  }
  return { invite, person };
}

/** POST /api/people/invite: whose invite this is, so the page can greet them. */
export async function lookUpInvite(deps: Deps, token: string) {
  const now = nowSeconds();
  await throttleInvite(deps, 'person.invite.open', now);
  const { invite, person } = await usableInvite(deps, token, 'person.invite.open', now);
  return { name: person.name, email: person.email, expiresAt: isoFromSeconds(invite.expiresAt) };
}

/**
 * Uses the invite once and, in the same D1 batch, replaces the person's factors with the new
 * one, ends all their sessions and starts a new one. Every write after the claim is guarded by
 * it, so of two racing enrolments exactly one changes anything; the other gets 410.
 */
async function completeEnrolment(
  deps: Deps,
  e: {
    invite: Invite;
    person: Person;
    method: 'passkey' | 'totp';
    factor: (guard: Guard) => D1PreparedStatement;
    replacing: string | null;
    now: number;
  },
): Promise<SignedIn> {
  const { invite, person, now } = e;
  const claim = newId();
  const guard = inviteUsedGuard(invite.id, claim);
  const session = await sessionStatements(
    deps,
    { personId: person.id, method: e.method, replacing: e.replacing, now },
    guard,
  );
  const [claimed] = await deps.db.batch([
    useInviteStatement(deps.db, invite.id, claim, now),
    ...deleteFactorsStatements(deps.db, person.id, guard),
    e.factor(guard),
    revokePersonSessionsGuardedStatement(deps.db, person.id, now, guard),
    ...session.statements,
  ]);
  if (claimed?.meta.changes !== 1) {
    await record(
      deps,
      {
        action: 'person.enrol',
        outcome: 'refused',
        personId: person.id,
        detail: { method: e.method, reason: 'invite_used' },
      },
      now,
    );
    throw new ApiError('invite_invalid');
  }
  await record(
    deps,
    {
      action: 'person.enrol',
      outcome: 'success',
      personId: person.id,
      detail: { method: e.method },
    },
    now,
  );
  return {
    sessionId: session.sessionId,
    view: viewOf(
      deps,
      { ...person, units: await unitsOfPerson(deps.db, person.id) },
      {
        method: e.method,
        verifiedAt: now,
        expiresAt: session.expiresAt,
      },
    ),
  };
}

async function enrolmentFailed(
  deps: Deps,
  personId: string,
  method: 'passkey' | 'totp',
  reason: string,
  now: number,
) {
  await record(
    deps,
    { action: 'person.enrol', outcome: 'failure', personId, detail: { method, reason } },
    now,
  );
}

/** POST /api/people/enrol/passkey/options: creation options bound to the invite. */
export async function passkeyEnrolmentOptions(deps: Deps, rp: RelyingParty, token: string) {
  const now = nowSeconds();
  await throttleInvite(deps, 'person.enrol', now);
  const { invite, person } = await usableInvite(deps, token, 'person.enrol', now);
  const options = await registrationOptions(deps.cfg, rp, person);
  const challengeId = newId();
  await insertWebauthnChallenge(deps.db, {
    id: challengeId,
    challenge: options.challenge,
    purpose: 'register',
    inviteId: invite.id,
    at: now,
    expiresAt: now + CHALLENGE_SECONDS,
  });
  return { challengeId, options };
}

/** POST /api/people/enrol/passkey: verifies the new passkey and signs the person in. */
export async function enrolPasskey(
  deps: Deps,
  rp: RelyingParty,
  input: {
    token: string;
    challengeId: string;
    response: RegistrationResponseJSON;
    replacing: string | null;
  },
): Promise<SignedIn> {
  const now = nowSeconds();
  await throttleInvite(deps, 'person.enrol', now);
  const { invite, person } = await usableInvite(deps, input.token, 'person.enrol', now);
  const challenge = await claimWebauthnChallenge(deps.db, {
    id: input.challengeId,
    purpose: 'register',
    inviteId: invite.id,
    now,
  });
  const fail = async (reason: string): Promise<never> => {
    await enrolmentFailed(deps, person.id, 'passkey', reason, now);
    throw new ApiError('sign_in_failed');
  };
  if (!challenge) return fail('challenge');
  const passkey = await verifyRegistration(rp, input.response, challenge);
  if (!passkey) return fail('verification');
  // A credential id is the authenticator's; one that another person holds is not this one's.
  const existing = await findPasskey(deps.db, passkey.id);
  if (existing && existing.personId !== person.id) return fail('credential_in_use');
  return completeEnrolment(deps, {
    invite,
    person,
    method: 'passkey',
    factor: (guard) =>
      insertPasskeyStatement(deps.db, { ...passkey, personId: person.id }, now, guard),
    replacing: input.replacing,
    now,
  });
}

/**
 * POST /api/people/enrol/totp/options: the secret to add to an authenticator app, as text, an
 * otpauth:// URI and a QR code. The secret waits, sealed to the invite, until a code confirms
 * it; asking again shows the same one.
 */
export async function totpEnrolmentOptions(deps: Deps, token: string) {
  const now = nowSeconds();
  await throttleInvite(deps, 'person.enrol', now);
  const { invite, person } = await usableInvite(deps, token, 'person.enrol', now);
  let secret = invite.totpSecret
    ? await unseal(invite.totpSecret, invite.id, deps.cfg.dataKey)
    : null;
  if (!secret) {
    const fresh = newTotpSecret();
    const sealed = await seal(fresh, invite.id, deps.cfg.dataKey);
    if (await offerInviteTotpSecret(deps.db, invite.id, sealed, invite.totpSecret)) {
      secret = fresh;
    } else {
      // Another tab offered one first: show that one.
      const theirs = await inviteTotpSecret(deps.db, invite.id);
      secret = theirs ? await unseal(theirs, invite.id, deps.cfg.dataKey) : null;
      if (!secret) throw new ApiError('invite_invalid');
    }
  }
  const uri = totpUri(secret, deps.cfg.people.rpName, person.email);
  return { secret, uri, qrSvg: renderSVG(uri, { border: 2 }) };
}

/** POST /api/people/enrol/totp: the first code confirms the secret; the person is signed in. */
export async function enrolTotp(
  deps: Deps,
  input: { token: string; code: string; replacing: string | null },
): Promise<SignedIn> {
  const now = nowSeconds();
  await throttleInvite(deps, 'person.enrol', now);
  const { invite, person } = await usableInvite(deps, input.token, 'person.enrol', now);
  const secret = invite.totpSecret
    ? await unseal(invite.totpSecret, invite.id, deps.cfg.dataKey)
    : null;
  const step = secret ? matchTotp(secret, input.code, Date.now()) : null;
  if (!secret || step === null) {
    await enrolmentFailed(deps, person.id, 'totp', secret ? 'wrong_code' : 'no_secret', now);
    throw new ApiError('invalid_app_code');
  }
  // Sealed again to the person: the invite's copy cannot be moved onto a factor row.
  const sealedSecret = await seal(secret, person.id, deps.cfg.dataKey);
  return completeEnrolment(deps, {
    invite,
    person,
    method: 'totp',
    factor: (guard) =>
      insertTotpFactorStatement(
        deps.db,
        { personId: person.id, sealedSecret, lastStep: step },
        now,
        guard,
      ),
    replacing: input.replacing,
    now,
  });
}

// --- Sign-in -------------------------------------------------------------------------------

/** POST /api/people/session/passkey/options: a challenge for any of the person's passkeys. */
export async function passkeySignInOptions(deps: Deps, rp: RelyingParty) {
  const now = nowSeconds();
  const max = deps.cfg.login.perAddressPer15Min * 2;
  await throttle(deps, addressLimit(deps, 'options', max), 'person.signin', now);
  const options = await authenticationOptions(rp);
  const challengeId = newId();
  await insertWebauthnChallenge(deps.db, {
    id: challengeId,
    challenge: options.challenge,
    purpose: 'authenticate',
    inviteId: null,
    at: now,
    expiresAt: now + CHALLENGE_SECONDS,
  });
  return { challengeId, options };
}

async function signInFailed(
  deps: Deps,
  method: SignInMethod,
  reason: string,
  now: number,
  extra: { personId?: string | null; outcome?: Outcome; hsaId?: string; code?: ErrorCode } = {},
): Promise<never> {
  await record(
    deps,
    {
      action: 'person.signin',
      outcome: extra.outcome ?? 'failure',
      personId: extra.personId ?? null,
      detail: { method, reason, ...(extra.hsaId ? { hsaId: extra.hsaId } : {}) },
    },
    now,
  );
  throw new ApiError(extra.code ?? 'sign_in_failed');
}

/** POST /api/people/session/passkey. */
export async function signInWithPasskey(
  deps: Deps,
  rp: RelyingParty,
  input: { challengeId: string; response: AuthenticationResponseJSON; replacing: string | null },
): Promise<SignedIn> {
  const now = nowSeconds();
  // One read call: the throttle's count, the challenge spent (only within the limit, and
  // first: whatever follows, it cannot be presented again), the refusal's audit entry (only
  // past the limit) and the passkey with its person.
  const limit = signInLimit(deps);
  const count = countStatement(deps.db, limit, now);
  const claim = claimWebauthnChallengeStatement(
    deps.db,
    { id: input.challengeId, purpose: 'authenticate', inviteId: null, now },
    withinLimit(limit, now),
  );
  const found = findPasskeyWithPersonRead(deps.db, input.response.id);
  const [counted, claimed, , stored] = await deps.db.batch([
    count.statement,
    claim.statement,
    rateLimitedEntry(deps, 'person.signin', overLimit(limit, now), now),
    found.statement,
  ]);
  const retryAfter = counted ? count.retryAfter(counted) : null;
  if (retryAfter !== null) throw retryError('rate_limited', retryAfter);
  const challenge = claimed ? claim.read(claimed) : null;
  if (!challenge) return signInFailed(deps, 'passkey', 'challenge', now);
  const passkey = stored ? found.read(stored) : null;
  if (!passkey) return signInFailed(deps, 'passkey', 'unknown_credential', now);
  const personId = passkey.personId;
  if (passkey.personDisabled) {
    return signInFailed(deps, 'passkey', 'person_disabled', now, { personId, outcome: 'refused' });
  }
  const handle = input.response.response.userHandle;
  if (handle && handle !== (await userHandleText(personId))) {
    return signInFailed(deps, 'passkey', 'user_handle', now, { personId });
  }
  const publicKey = fromBase64Url(passkey.publicKey);
  const verified = publicKey
    ? await verifyAuthentication(rp, input.response, challenge, {
        id: passkey.id,
        publicKey,
        counter: passkey.counter,
        transports: passkey.transports,
      })
    : null;
  if (!verified) return signInFailed(deps, 'passkey', 'verification', now, { personId });
  return signIn(
    deps,
    { person: passkey.person, method: 'passkey', replacing: input.replacing, now },
    [recordPasskeyUseStatement(deps.db, passkey.id, verified.newCounter, now)],
  );
}

/** Compared against when the e-mail has no factor, so both paths do the same work. */
const DECOY_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * POST /api/people/session/totp. An unknown e-mail, a person without TOTP and a wrong code
 * answer alike and count towards the same lockout, so the answer tells nobody who exists.
 */
export async function signInWithTotp(
  deps: Deps,
  input: { email: string; code: string; replacing: string | null },
): Promise<SignedIn> {
  const now = nowSeconds();
  await throttleSignIn(deps, now);
  // Per network, then account-wide, like the mailbox password: guesses from one network lock
  // only that network out; the person signing in from elsewhere is not affected.
  const key = attemptKey(deps, personLockKey(input.email));
  // Counted before the code is compared, so parallel guesses cannot outrun the lockout.
  const attempt = await countAttempt(deps.db, key, now, attemptLimits(deps.cfg.login));
  if (attempt.refused) {
    await record(
      deps,
      {
        action: 'person.signin',
        outcome: 'refused',
        detail: { method: 'totp', reason: attempt.refused },
      },
      now,
    );
    throw refusedAttempt(attempt, now);
  }
  const factor = await findTotpFactor(deps.db, input.email);
  const secret = factor
    ? await unseal(factor.sealedSecret, factor.personId, deps.cfg.dataKey)
    : null;
  const step = matchTotp(secret ?? DECOY_SECRET, input.code, Date.now());
  const personId = factor?.personId ?? null;
  const failed = async (reason: string) => {
    await attemptFailed(deps.db, key);
    return signInFailed(deps, 'totp', reason, now, { personId });
  };
  if (!factor || !secret) return failed('unknown');
  if (step === null) return failed('wrong_code');
  if (!(await claimTotpStep(deps.db, factor.personId, step))) return failed('replayed');
  await clearFailures(deps.db, key);
  const [person] = await readTogether(deps.db, [findSignInPersonRead(deps.db, factor.personId)]);
  if (!person) throw new ApiError('sign_in_failed');
  return signIn(deps, { person, method: 'totp', replacing: input.replacing, now });
}

/**
 * POST /api/people/session/certificate: the smart card the edge verified (mutual TLS at
 * Cloudflare) names a person by HSA-id. Off unless CLIENT_CERT_ISSUERS lists an issuer.
 * A refusal names its reason (no card, issuer not accepted, revoked, expired, no HSA-id, no
 * such person): the certificate is the caller's own, and whether an HSA-id belongs to
 * somebody is said only once a valid, accepted certificate carries it.
 */
export async function signInWithCertificate(
  deps: Deps,
  input: { tlsClientAuth: TlsClientAuth | null; replacing: string | null },
): Promise<SignedIn> {
  const now = nowSeconds();
  const refuse = (reason: CardRefusal, extra: { personId?: string; hsaId?: string } = {}) =>
    signInFailed(deps, 'certificate', reason, now, {
      ...extra,
      outcome: 'refused',
      code: CARD_REFUSAL_CODES[reason],
    });
  if (deps.cfg.people.certIssuers.length === 0) return refuse('card_sign_in_off');
  const verdict = judgeCertificate(input.tlsClientAuth, deps.cfg.people.certIssuers, now);
  if (verdict.kind === 'refused') return refuse(verdict.reason);
  const { hsaId } = verdict;
  const [person] = await readTogether(deps.db, [findPersonForCertificateRead(deps.db, hsaId)]);
  if (!person) return refuse('unknown_hsa_id', { hsaId });
  if (person.disabledAt !== null) return refuse('person_disabled', { personId: person.id, hsaId });
  return signIn(deps, { person, method: 'certificate', replacing: input.replacing, now });
}
