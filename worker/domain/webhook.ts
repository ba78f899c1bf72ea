import { constantTimeEqual, fromBase64Url, randomBytes, toBase64Url, toHex, utf8 } from './bytes';
import { hmacSha256 } from './tokens';

/*
 * The signed webhook to a directory connector: the signature every delivery
 * carries, the retry schedule, and the encryption of a new password in writeback mode.
 * Web Crypto only, no runtime imports, so a receiver written in TypeScript can reuse it.
 */

/**
 * The `Nyckel-Signature` header, in Stripe's form: `t=<unix seconds>,v1=<hex>`, where the hex
 * is HMAC-SHA256 with the shared secret (WEBHOOK_SECRET) over the ASCII string
 * `<t>.<exact request body>`. The timestamp is inside the MAC, so a captured request cannot be
 * replayed later than the receiver's tolerance with a fresh `t`.
 */
export async function signature(secret: string, timestamp: number, body: string): Promise<string> {
  const mac = await hmacSha256(secret, `${timestamp}.${body}`);
  return `t=${timestamp},v1=${toHex(mac)}`;
}

/**
 * Checks a `Nyckel-Signature` header as a receiver should: the timestamp within
 * `toleranceSeconds` of `now` (either way, for clock skew), and one of the `v1` values equal to
 * the expected MAC in constant time. Several `v1` values are accepted so a receiver can verify
 * during a secret rotation. Anything malformed is simply false.
 */
export async function verifySignature(
  secret: string,
  header: string,
  body: string,
  now: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return false;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (key === 'v1') {
      candidates.push(value.toLowerCase());
    }
  }
  if (timestamp === null || candidates.length === 0) return false;
  if (Math.abs(now - timestamp) > toleranceSeconds) return false;
  const expected = utf8(toHex(await hmacSha256(secret, `${timestamp}.${body}`)));
  let ok = false;
  // Every candidate is compared, so the time does not tell which one matched.
  for (const candidate of candidates) ok = constantTimeEqual(utf8(candidate), expected) || ok;
  return ok;
}

/** After this many attempts an event is given up ('failed') and logged for operators. */
export const MAX_ATTEMPTS = 8;

/** Waits after the 1st, 2nd, … failed attempt: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h. */
const BACKOFF_SECONDS = [60, 300, 1800, 7200, 21_600, 43_200, 86_400] as const;

/**
 * Seconds to wait after failed attempt number `attempt` (1-based), or null when that was the
 * last one. The whole schedule spans about 45 hours, so a connector down over a weekend night
 * still gets the change; the cron runs every 5 minutes, so short waits round up to that.
 */
export function backoffSeconds(attempt: number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt >= MAX_ATTEMPTS) return null;
  return BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length) - 1] ?? null;
}

/** An RSA public key as a JWK (RFC 7517), reduced to the members that define it. */
export interface RsaPublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
}

export type JwkCheck = { kind: 'ok'; jwk: RsaPublicJwk } | { kind: 'invalid'; reason: string };

/** The members of an RSA private JWK (RFC 7518 §6.3.2); none may reach the server. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

/** NIST SP 800-57 and BSI TR-02102 ask for at least 2048-bit RSA moduli. */
export const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 16_384;

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i] ?? 0));
}

/**
 * Validates the connector's public key without Web Crypto: an RSA JWK with `n` and `e`, a
 * modulus of at least 2048 bits, no private members (a pasted private key must never be
 * stored here), and `alg`/`use`, when present, that allow RSA-OAEP-256 encryption. Returns
 * the key reduced to `kty`, `n` and `e`.
 */
export function parsePublicJwk(input: unknown): JwkCheck {
  const invalid = (reason: string): JwkCheck => ({ kind: 'invalid', reason });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalid('The public key must be a JWK object');
  }
  const jwk = input as Record<string, unknown>;
  if (jwk.kty !== 'RSA') return invalid('The public key must be an RSA key (kty "RSA")');
  if (PRIVATE_MEMBERS.some((m) => jwk[m] !== undefined)) {
    return invalid('That is a private key: give the public key only (kty, n, e)');
  }
  if (jwk.alg !== undefined && jwk.alg !== 'RSA-OAEP-256') {
    return invalid('The key must be for RSA-OAEP-256 (alg), or have no alg');
  }
  if (jwk.use !== undefined && jwk.use !== 'enc') {
    return invalid('The key must be an encryption key (use "enc"), or have no use');
  }
  const n = typeof jwk.n === 'string' ? fromBase64Url(jwk.n) : null;
  const e = typeof jwk.e === 'string' ? fromBase64Url(jwk.e) : null;
  if (!n || !e || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    return invalid('The public key needs n and e in base64url');
  }
  const bits = bitLength(n);
  if (bits < MIN_RSA_BITS) return invalid(`The RSA modulus must be at least ${MIN_RSA_BITS} bits`);
  if (bits > MAX_RSA_BITS) return invalid(`The RSA modulus must be at most ${MAX_RSA_BITS} bits`);
  const exponentBits = bitLength(e);
  // An even or tiny exponent is not a usable RSA key; common keys use 65537 (AQAB).
  if (exponentBits < 2 || exponentBits > 32 || ((e[e.length - 1] ?? 0) & 1) === 0) {
    return invalid('The RSA exponent e is not valid');
  }
  return { kind: 'ok', jwk: { kty: 'RSA', n: jwk.n, e: jwk.e } };
}

/**
 * The JWK thumbprint (RFC 7638, SHA-256, base64url): what the administrator compares with the
 * connector's key, and the `kid` of every JWE, so the connector knows which key to use.
 */
export async function jwkThumbprint(jwk: RsaPublicJwk): Promise<string> {
  // Required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(canonical))));
}

function importEncryptionKey(jwk: RsaPublicJwk): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'jwk',
    { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RSA-OAEP-256', ext: true },
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['encrypt'],
  );
}

/** parsePublicJwk, then a real import, so a key that parses but Web Crypto refuses is caught. */
export async function checkPublicJwk(input: unknown): Promise<JwkCheck> {
  const parsed = parsePublicJwk(input);
  if (parsed.kind !== 'ok') return parsed;
  try {
    await importEncryptionKey(parsed.jwk);
  } catch {
    return { kind: 'invalid', reason: 'The public key could not be used for RSA-OAEP-256' };
  }
  return parsed;
}

/** AES-GCM's tag, which Web Crypto appends to the ciphertext and JWE carries on its own. */
const TAG_BYTES = 16;

/**
 * Encrypts a new password to the connector's public key as a JWE in compact serialization
 * (RFC 7516 §7.1): protected header `{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":…}`, a
 * random 256-bit content key wrapped with RSA-OAEP (SHA-256), a 96-bit IV, AES-256-GCM with
 * the ASCII of the encoded header as additional data, and the 128-bit tag. Any JOSE library
 * (jose, Nimbus, python-jose, …) decrypts it with the private key; nobody else can, the
 * worker and its database included.
 */
export async function encryptForConnector(
  password: string,
  publicJwk: RsaPublicJwk,
): Promise<string> {
  const header = {
    alg: 'RSA-OAEP-256',
    enc: 'A256GCM',
    kid: await jwkThumbprint(publicJwk),
  };
  const protectedHeader = toBase64Url(utf8(JSON.stringify(header)));
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const wrappingKey = await importEncryptionKey(publicJwk);
  const contentKey = await crypto.subtle.importKey('raw', cek, { name: 'AES-GCM' }, false, [
    'encrypt',
  ]);
  const [encryptedKey, sealed] = await Promise.all([
    crypto.subtle.encrypt({ name: 'RSA-OAEP' }, wrappingKey, cek),
    crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: utf8(protectedHeader), tagLength: TAG_BYTES * 8 },
      contentKey,
      utf8(password),
    ),
  ]);
  cek.fill(0);
  const bytes = new Uint8Array(sealed);
  const ciphertext = bytes.subarray(0, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  return [
    protectedHeader,
    toBase64Url(new Uint8Array(encryptedKey)),
    toBase64Url(iv),
    toBase64Url(ciphertext),
    toBase64Url(tag),
  ].join('.');
}
