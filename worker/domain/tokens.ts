import { constantTimeEqual, randomBytes, toBase64Url, toHex, utf8 } from './bytes';

/**
 * A random identifier or bearer secret. 32 bytes = 256 bits, well above the 120 bits that
 * Lucia and OWASP ask of session ids and reset tokens.
 */
export function newToken(bytes = 32): string {
  return toBase64Url(randomBytes(bytes));
}

/** Shorter public ids (reset ids, row ids): 128 bits, still unguessable. */
export function newId(): string {
  return newToken(16);
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keyCache.set(secret, key);
  }
  return key;
}

export async function hmacSha256(secret: string, message: string | Uint8Array<ArrayBuffer>) {
  const data = typeof message === 'string' ? utf8(message) : message;
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), data));
}

/**
 * What is stored for a bearer token (session cookie, reset token): a keyed hash, so the
 * database alone neither reveals a usable token nor lets a reader forge one.
 */
export async function tokenDigest(secret: string, token: string): Promise<string> {
  return toHex(await hmacSha256(secret, token));
}

export function digestsEqual(a: string, b: string): boolean {
  return constantTimeEqual(utf8(a), utf8(b));
}

/**
 * What is stored for an invite link's token: a plain SHA-256. The token has 256 bits, so no
 * key is needed, and `npm run admin -- invite --remote` can write one without the secrets.
 */
export async function inviteDigest(token: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(token))));
}

/**
 * How the audit trail names a reset: a reset's id is what its code and token routes take, and
 * the trail is read by a unit's managers and delegates, who must not be able to send wrong
 * codes to a colleague's reset in progress. The same id always gives the same reference, so
 * the entries of one reset still line up.
 */
export async function auditReference(id: string): Promise<string> {
  return (await inviteDigest(`audit:${id}`)).slice(0, 16);
}
