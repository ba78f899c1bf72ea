import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env';
import type { TlsClientAuth } from '../domain/certificate';
import { tokenDigest } from '../domain/tokens';
import { depsOf } from '../http/deps';
import { jsonBody, sameOrigin } from '../http/middleware';
import { personSession } from '../http/people-session';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from '../http/session-cookie';
import { accountIn, turnstileGate } from '../http/turnstile';
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
  SignInPasskey,
  SignInTotp,
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
  .post('/invite', async (c) => {
    const { token } = await readBody(c, InviteLookup);
    return c.json(await lookUpInvite(depsOf(c), token));
  })
  .post('/enrol/passkey/options', async (c) => {
    const { token } = await readBody(c, InviteLookup);
    return c.json(await passkeyEnrolmentOptions(depsOf(c), rp(c), token));
  })
  .post('/enrol/passkey', async (c) => {
    const body = await readBody(c, EnrolPasskey);
    const result = await enrolPasskey(depsOf(c), rp(c), {
      ...body,
      replacing: await currentSession(c),
    });
    return signedIn(c, result);
  })
  .post('/enrol/totp/options', async (c) => {
    const { token } = await readBody(c, InviteLookup);
    return c.json(await totpEnrolmentOptions(depsOf(c), token));
  })
  .post('/enrol/totp', async (c) => {
    const body = await readBody(c, EnrolTotp);
    return signedIn(c, await enrolTotp(depsOf(c), { ...body, replacing: await currentSession(c) }));
  })
  .post('/session/passkey/options', async (c) => {
    await readBody(c, Empty);
    return c.json(await passkeySignInOptions(depsOf(c), rp(c)));
  })
  .post('/session/passkey', async (c) => {
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
  })
  .post('/session/totp', totpChallenge, async (c) => {
    const body = await readBody(c, SignInTotp);
    return signedIn(
      c,
      await signInWithTotp(depsOf(c), { ...body, replacing: await currentSession(c) }),
    );
  })
  .post('/session/certificate', async (c) => {
    await readBody(c, Empty);
    // Set by Cloudflare's edge from the mutual-TLS handshake; a client cannot forge it.
    const cf = c.req.raw.cf as { tlsClientAuth?: TlsClientAuth } | undefined;
    const result = await signInWithCertificate(depsOf(c), {
      tlsClientAuth: cf?.tlsClientAuth ?? null,
      replacing: await currentSession(c),
    });
    return signedIn(c, result);
  })
  .get('/session', personSession(), async (c) =>
    c.json(await sessionView(depsOf(c), c.get('person'))),
  )
  .delete('/session', async (c) => {
    const hash = await currentSession(c);
    if (hash) await signOut(depsOf(c), hash);
    clearSessionCookie(c, COOKIE);
    return c.body(null, 204);
  });
