import { fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes';

/**
 * AES-256-GCM for secrets Nyckel must read back (TOTP secrets; initial passwords later).
 * A fresh 96-bit IV every time; `context` (for example the owner's id) is bound as additional
 * data, so a ciphertext copied to another row does not decrypt. The key id travels with the
 * ciphertext so keys can rotate: `v1.<keyId>.<iv>.<ciphertext>` (base64url).
 */
export interface DataKeys {
  id: string;
  keys: Map<string, string>;
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function aesKey(base64: string): Promise<CryptoKey> {
  let key = keyCache.get(base64);
  if (!key) {
    const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    if (raw.length !== 32) throw new Error('a data key is 32 bytes');
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keyCache.set(base64, key);
  }
  return key;
}

export async function seal(plaintext: string, context: string, keys: DataKeys): Promise<string> {
  const secret = keys.keys.get(keys.id);
  if (!secret) throw new Error('the current data key is missing');
  const iv = randomBytes(12);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: utf8(context) },
    await aesKey(secret),
    utf8(plaintext),
  );
  return ['v1', keys.id, toBase64Url(iv), toBase64Url(new Uint8Array(ciphertext))].join('.');
}

/** The plaintext, or null for anything malformed, under an unknown key, or tampered with. */
export async function unseal(
  sealed: string,
  context: string,
  keys: DataKeys,
): Promise<string | null> {
  const [version, keyId, ivText, ctText, extra] = sealed.split('.');
  if (version !== 'v1' || !keyId || !ivText || !ctText || extra !== undefined) return null;
  const secret = keys.keys.get(keyId);
  const iv = fromBase64Url(ivText);
  const ciphertext = fromBase64Url(ctText);
  if (!secret || !iv || iv.length !== 12 || !ciphertext) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: utf8(context) },
      await aesKey(secret),
      ciphertext,
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
