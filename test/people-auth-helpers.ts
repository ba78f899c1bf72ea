import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { expect } from 'vitest';
import { fromBase64Url, toBase64Url, utf8 } from '../worker/domain/bytes';
import { totpCode } from '../worker/domain/totp';
import { app } from '../worker/index';
import { type CallOptions, call, json, ORIGIN, OUTSIDE_IP } from './helpers';

/*
 * Test fixtures for people's sign-in: a software authenticator that makes real WebAuthn
 * registration and assertion responses (P-256 keys from WebCrypto, CBOR by hand, attestation
 * "none"), so the server's verification runs unmodified; and helpers for the enrolment and
 * sign-in round trips.
 */

// --- Minimal CBOR (RFC 8949): only what an attestation object and a COSE key use ----------

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 0x100) return [(major << 5) | 24, length];
  if (length < 0x10000) return [(major << 5) | 25, length >> 8, length & 0xff];
  throw new Error('too long for this encoder');
}

export function cbor(value: Cbor): Uint8Array {
  const out: number[] = [];
  const write = (v: Cbor) => {
    if (typeof v === 'number') {
      out.push(...(v >= 0 ? head(0, v) : head(1, -1 - v)));
    } else if (typeof v === 'string') {
      const bytes = utf8(v);
      out.push(...head(3, bytes.length), ...bytes);
    } else if (v instanceof Uint8Array) {
      out.push(...head(2, v.length), ...v);
    } else {
      out.push(...head(5, v.size));
      for (const [k, item] of v) {
        write(k);
        write(item);
      }
    }
  };
  write(value);
  return new Uint8Array(out);
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

function uint32(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** WebCrypto signs ECDSA as r‖s; WebAuthn wants the ASN.1 DER SEQUENCE of two INTEGERs. */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let v = bytes.slice(i);
    if ((v[0] ?? 0) & 0x80) v = concat(new Uint8Array([0]), v);
    return concat(new Uint8Array([0x02, v.length]), v);
  };
  const body = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

interface StoredCredential {
  id: Uint8Array<ArrayBuffer>;
  keys: CryptoKeyPair;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  userVerified?: boolean;
  /** Registration: the credential id to create (default 16 random bytes). */
  credentialId?: Uint8Array<ArrayBuffer>;
}

/** A passkey authenticator in software, as Chromium's virtual authenticator behaves. */
export class SoftAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(readonly origin = ORIGIN) {}

  async register(
    options: PublicKeyCredentialCreationOptionsJSON,
    o: CeremonyOverrides = {},
  ): Promise<RegistrationResponseJSON> {
    const rpId = o.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const jwk = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as JsonWebKey;
    const cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, fromBase64Url(jwk.x ?? '') ?? new Uint8Array()],
        [-3, fromBase64Url(jwk.y ?? '') ?? new Uint8Array()],
      ]),
    );
    const id = o.credentialId ?? crypto.getRandomValues(new Uint8Array(16));
    const flags = FLAG_UP | FLAG_AT | (o.userVerified === false ? 0 : FLAG_UV);
    const authData = concat(
      await sha256(utf8(rpId)),
      new Uint8Array([flags]),
      uint32(0),
      new Uint8Array(16),
      new Uint8Array([0, id.length]),
      id,
      cose,
    );
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientData = utf8(
      JSON.stringify({
        type: o.type ?? 'webauthn.create',
        challenge: o.challenge ?? options.challenge,
        origin: o.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
    this.credentials.push({ id, keys, rpId, userHandle: options.user.id, counter: 0 });
    const credentialId = toBase64Url(id);
    return {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: toBase64Url(clientData),
        attestationObject: toBase64Url(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** Signs with the newest credential (or `credential`), as a person picking their passkey. */
  async authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    o: CeremonyOverrides & { credential?: StoredCredential; userHandle?: string | null } = {},
  ): Promise<AuthenticationResponseJSON> {
    const credential = o.credential ?? this.credentials.at(-1);
    if (!credential) throw new Error('no credential registered');
    credential.counter++;
    const flags = FLAG_UP | (o.userVerified === false ? 0 : FLAG_UV);
    const authData = concat(
      await sha256(utf8(o.rpId ?? options.rpId ?? credential.rpId)),
      new Uint8Array([flags]),
      uint32(credential.counter),
    );
    const clientData = utf8(
      JSON.stringify({
        type: o.type ?? 'webauthn.get',
        challenge: o.challenge ?? options.challenge,
        origin: o.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
    const signed = concat(authData, await sha256(clientData));
    const raw = new Uint8Array(
      await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        credential.keys.privateKey,
        signed,
      ),
    );
    const credentialId = toBase64Url(credential.id);
    const userHandle = o.userHandle === undefined ? credential.userHandle : o.userHandle;
    return {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: toBase64Url(clientData),
        authenticatorData: toBase64Url(authData),
        signature: toBase64Url(derSignature(raw)),
        ...(userHandle === null ? {} : { userHandle }),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
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
