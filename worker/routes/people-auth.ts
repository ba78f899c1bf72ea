import { type Context, Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import type { TlsClientAuth } from '../domain/certificate';
import { tokenDigest } from '../domain/tokens';
import { depsOf } from '../http/deps';
import { jsonBody, sameOrigin } from '../http/middleware';
import { ANONYMOUS_WRITE, JSON_WRITE, op, TURNSTILE } from '../http/openapi';
import { personSession } from '../http/people-session';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from '../http/session-cookie';
import { accountIn, TURNSTILE_NOTE, turnstileGate } from '../http/turnstile';
import { readBody } from '../http/validate';
import {
  enrolPasskey,
  enrolTotp,
  lookUpInvite,
  passkeyEnrolmentOptions,
  passkeySignInOptions,
  type SignedIn,
  sessionView,
  signInWithCertificate,
  signInWithPasskey,
  signInWithTotp,
  signOut,
  totpEnrolmentOptions,
} from '../services/people-auth';
import { relyingParty } from '../services/webauthn';
import {
  Empty,
  EnrolPasskey,
  EnrolTotp,
  InviteLookup,
  InviteView,
  PasskeyCreation,
  PasskeyRequest,
  PersonView,
  SignInPasskey,
  SignInTotp,
  TotpEnrolment,
} from './people-auth.schemas';

const COOKIE = 'nyckel_person';

/** The hash of the person session the browser holds now (a new sign-in ends it), or null. */
async function currentSession(c: Context<AppEnv>): Promise<string | null> {
  const cookie = readSessionCookie(c, COOKIE);
  if (!cookie || cookie.length > 128) return null;
  return tokenDigest(c.get('config').sessionSecret, cookie);
}

function signedIn(c: Context<AppEnv>, result: SignedIn) {
  writeSessionCookie(c, result.sessionId, c.get('config').people.absoluteSeconds, COOKIE);
  return c.json(result.view);
}

/** Turnstile once TOTP sign-ins fail unusually often from one network or against one person. */
const totpChallenge = turnstileGate(
  'totp',
  accountIn(SignInTotp, (b) => b.email),
);

const rp = (c: Context<AppEnv>) => relyingParty(c.get('config'), c.req.url);

/**
 * Sign-in and enrolment of people: passkeys, TOTP, smart cards, invites. The invite token
 * travels in the body (the link keeps it in the URL fragment, out of every server log). Only
 * the app's own pages call these: same-origin JSON with an Origin, nothing else.
 */
export const peopleAuth = new Hono<AppEnv>()
  .use(sameOrigin({ requireOrigin: true }), jsonBody())
  .post(
    '/invite',
    describeRoute(
      op({
        operationId: 'lookUpInvite',
        summary:
          'Whose invite a link carries (the token is in the link fragment, sent in the body)',
        auth: 'public',
        body: InviteLookup,
        success: [{ status: 200, schema: InviteView, description: 'The invited person' }],
        errors: [...ANONYMOUS_WRITE, 'invite_invalid'],
      }),
    ),
    async (c) => {
      const { token } = await readBody(c, InviteLookup);
      return c.json(await lookUpInvite(depsOf(c), token));
    },
  )
  .post(
    '/enrol/passkey/options',
    describeRoute(
      op({
        operationId: 'passkeyEnrolmentOptions',
        summary: 'Passkey creation options for an invite (challenge valid 5 minutes, single use)',
        auth: 'public',
        body: InviteLookup,
        success: [{ status: 200, schema: PasskeyCreation, description: 'Creation options' }],
        errors: [...ANONYMOUS_WRITE, 'invite_invalid'],
      }),
    ),
    async (c) => {
      const { token } = await readBody(c, InviteLookup);
      return c.json(await passkeyEnrolmentOptions(depsOf(c), rp(c), token));
    },
  )
  .post(
    '/enrol/passkey',
    describeRoute(
      op({
        operationId: 'enrolPasskey',
        summary:
          'Register the passkey: uses the invite, replaces earlier passkeys and TOTP, ends earlier sessions, signs in',
        auth: 'public',
        body: EnrolPasskey,
        success: [
          { status: 200, schema: PersonView, description: 'Signed in; sets the person cookie' },
        ],
        errors: [...ANONYMOUS_WRITE, 'sign_in_failed', 'invite_invalid'],
      }),
    ),
    async (c) => {
      const body = await readBody(c, EnrolPasskey);
      const result = await enrolPasskey(depsOf(c), rp(c), {
        ...body,
        replacing: await currentSession(c),
      });
      return signedIn(c, result);
    },
  )
  .post(
    '/enrol/totp/options',
    describeRoute(
      op({
        operationId: 'totpEnrolmentOptions',
        summary: 'A TOTP secret for an authenticator app: text, otpauth:// URI and QR code (SVG)',
        auth: 'public',
        body: InviteLookup,
        success: [{ status: 200, schema: TotpEnrolment, description: 'The secret to add' }],
        errors: [...ANONYMOUS_WRITE, 'invite_invalid'],
      }),
    ),
    async (c) => {
      const { token } = await readBody(c, InviteLookup);
      return c.json(await totpEnrolmentOptions(depsOf(c), token));
    },
  )
  .post(
    '/enrol/totp',
    describeRoute(
      op({
        operationId: 'enrolTotp',
        summary:
          'Confirm the TOTP secret with a code: uses the invite, replaces earlier factors, signs in',
        auth: 'public',
        body: EnrolTotp,
        success: [
          { status: 200, schema: PersonView, description: 'Signed in; sets the person cookie' },
        ],
        errors: [...ANONYMOUS_WRITE, 'invalid_app_code', 'invite_invalid'],
      }),
    ),
    async (c) => {
      const body = await readBody(c, EnrolTotp);
      return signedIn(
        c,
        await enrolTotp(depsOf(c), { ...body, replacing: await currentSession(c) }),
      );
    },
  )
  .post(
    '/session/passkey/options',
    describeRoute(
      op({
        operationId: 'passkeySignInOptions',
        summary: 'A sign-in challenge for a discoverable passkey (no username needed)',
        auth: 'public',
        body: Empty,
        success: [{ status: 200, schema: PasskeyRequest, description: 'Request options' }],
        errors: ANONYMOUS_WRITE,
      }),
    ),
    async (c) => {
      await readBody(c, Empty);
      return c.json(await passkeySignInOptions(depsOf(c), rp(c)));
    },
  )
  .post(
    '/session/passkey',
    describeRoute(
      op({
        operationId: 'signInWithPasskey',
        summary: 'Sign in with a passkey; ends the session the browser had',
        auth: 'public',
        body: SignInPasskey,
        success: [
          { status: 200, schema: PersonView, description: 'Signed in; sets the person cookie' },
        ],
        errors: [...ANONYMOUS_WRITE, 'sign_in_failed'],
      }),
    ),
    async (c) => {
      const { challengeId, response } = await readBody(c, SignInPasskey);
      const result = await signInWithPasskey(depsOf(c), rp(c), {
        challengeId,
        // Some browsers send a null user handle for "none"; the library wants it absent.
        response: {
          ...response,
          response: { ...response.response, userHandle: response.response.userHandle ?? undefined },
        },
        replacing: await currentSession(c),
      });
      return signedIn(c, result);
    },
  )
  .post(
    '/session/totp',
    describeRoute(
      op({
        operationId: 'signInWithTotp',
        summary: 'Sign in with e-mail and a TOTP code (each code once; lockout per e-mail)',
        description: TURNSTILE_NOTE,
        auth: 'public',
        body: SignInTotp,
        success: [
          { status: 200, schema: PersonView, description: 'Signed in; sets the person cookie' },
        ],
        errors: [...ANONYMOUS_WRITE, 'sign_in_failed', 'locked', ...TURNSTILE],
      }),
    ),
    totpChallenge,
    async (c) => {
      const body = await readBody(c, SignInTotp);
      return signedIn(
        c,
        await signInWithTotp(depsOf(c), { ...body, replacing: await currentSession(c) }),
      );
    },
  )
  .post(
    '/session/certificate',
    describeRoute(
      op({
        operationId: 'signInWithCertificate',
        summary:
          'Sign in with the smart card the edge verified (mutual TLS; the HSA-id in the certificate)',
        auth: 'public',
        body: Empty,
        success: [
          { status: 200, schema: PersonView, description: 'Signed in; sets the person cookie' },
        ],
        errors: [
          'invalid_request',
          'card_off',
          'card_missing',
          'card_not_accepted',
          'card_revoked',
          'card_expired',
          'card_not_yet_valid',
          'card_no_hsa_id',
          'card_unknown_person',
          ...JSON_WRITE,
        ],
      }),
    ),
    async (c) => {
      await readBody(c, Empty);
      // Set by Cloudflare's edge from the mutual-TLS handshake; a client cannot forge it.
      const cf = c.req.raw.cf as { tlsClientAuth?: TlsClientAuth } | undefined;
      const result = await signInWithCertificate(depsOf(c), {
        tlsClientAuth: cf?.tlsClientAuth ?? null,
        replacing: await currentSession(c),
      });
      return signedIn(c, result);
    },
  )
  .get(
    '/session',
    describeRoute(
      op({
        operationId: 'getPersonSession',
        summary: 'The signed-in person, their units and how fresh their sign-in is',
        auth: 'person',
        success: [{ status: 200, schema: PersonView, description: 'The person' }],
        errors: ['unauthorized'],
      }),
    ),
    personSession(),
    async (c) => c.json(await sessionView(depsOf(c), c.get('person'))),
  )
  .delete(
    '/session',
    describeRoute(
      op({
        operationId: 'signOut',
        summary: 'Sign out (revokes the session)',
        auth: 'person',
        success: [{ status: 204, description: 'Signed out' }],
        errors: JSON_WRITE,
      }),
    ),
    async (c) => {
      const hash = await currentSession(c);
      if (hash) await signOut(depsOf(c), hash);
      clearSessionCookie(c, COOKIE);
      return c.body(null, 204);
    },
  );
