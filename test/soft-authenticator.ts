import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { fromBase64Url, toBase64Url, utf8 } from '../worker/domain/bytes';

/*
 * A software authenticator that makes real WebAuthn registration and assertion responses
 * (P-256 keys from WebCrypto, CBOR by hand, attestation "none"), so the server's verification
 * runs unmodified. Used by the tests (test/people-auth-helpers.ts) and by the benchmark's
 * passkey sign-ins (bench/edge.mjs), so it imports nothing from the test runner.
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

  constructor(readonly origin: string) {}

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
