import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { expect } from 'vitest';
import { totpCode } from '../worker/domain/totp';
import { app } from '../worker/index';
import { type CallOptions, call, json, ORIGIN, OUTSIDE_IP } from './helpers';
import { SoftAuthenticator as AnyOriginAuthenticator } from './soft-authenticator';

/*
 * Test fixtures for people's sign-in: the software authenticator (soft-authenticator.ts) at
 * the tests' origin, and helpers for the enrolment and sign-in round trips.
 */

/** A passkey authenticator in software, at the tests' origin unless given another. */
export class SoftAuthenticator extends AnyOriginAuthenticator {
  constructor(origin = ORIGIN) {
    super(origin);
  }
}

// --- Round trips -----------------------------------------------------------------------------

/** The Cookie header value a response set (`__Host-nyckel_person=...`), or ''. */
export function cookieFrom(res: Response): string {
  return (res.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
}

export async function passkeyCreation(token: string, options: CallOptions = {}) {
  const res = await call('/api/people/enrol/passkey/options', { body: { token }, ...options });
  expect(res.status).toBe(200);
  return json<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }>(res);
}

export async function passkeyRequest(options: CallOptions = {}) {
  const res = await call('/api/people/session/passkey/options', { body: {}, ...options });
  expect(res.status).toBe(200);
  return json<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>(res);
}

/** Enrols a passkey with the invite; returns the response and the new session's cookie. */
export async function enrolPasskey(token: string, authenticator = new SoftAuthenticator()) {
  const { challengeId, options } = await passkeyCreation(token);
  const response = await authenticator.register(options);
  const res = await call('/api/people/enrol/passkey', {
    body: { token, challengeId, response },
  });
  return { res, cookie: cookieFrom(res), authenticator };
}

export async function signInWithPasskey(authenticator: SoftAuthenticator, cookie?: string) {
  const { challengeId, options } = await passkeyRequest();
  const response = await authenticator.authenticate(options);
  const res = await call('/api/people/session/passkey', {
    body: { challengeId, response },
    cookie: cookie ?? null,
  });
  return { res, cookie: cookieFrom(res) };
}

/** Asks for a TOTP secret with the invite and confirms it with the current code. */
export async function enrolTotp(token: string) {
  const opts = await call('/api/people/enrol/totp/options', { body: { token } });
  expect(opts.status).toBe(200);
  const { secret } = await json<{ secret: string }>(opts);
  const res = await call('/api/people/enrol/totp', {
    body: { token, code: totpCode(secret, Date.now()) },
  });
  return { res, cookie: cookieFrom(res), secret };
}

/** A TOTP code `steps` time steps away from now. */
export function codeAt(secret: string, steps = 0): string {
  return totpCode(secret, Date.now() + steps * 30_000);
}

/**
 * Calls the app directly with another configuration and, optionally, the `cf` object the
 * edge would attach (request.cf.tlsClientAuth for a client certificate).
 */
export async function callApp(
  path: string,
  o: CallOptions & { env?: Partial<Env>; cf?: Record<string, unknown>; url?: string } = {},
): Promise<Response> {
  const headers = new Headers(o.headers);
  const ip = o.ip === undefined ? OUTSIDE_IP : o.ip;
  if (ip !== null) headers.set('CF-Connecting-IP', ip);
  if (o.cookie) headers.set('Cookie', o.cookie);
  const base = o.url ?? ORIGIN;
  const method = o.method ?? (o.body !== undefined ? 'POST' : 'GET');
  if (method !== 'GET' && !headers.has('Origin')) headers.set('Origin', base);
  if (o.body !== undefined) headers.set('Content-Type', 'application/json');
  const init: RequestInit & { cf?: Record<string, unknown> } = {
    method,
    headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  };
  if (o.cf) init.cf = o.cf;
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${base}${path}`, init), { ...env, ...o.env }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
