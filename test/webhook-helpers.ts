import { fromBase64Url, utf8 } from '../worker/domain/bytes';

/*
 * What a directory connector does with a writeback event, in Web Crypto only: hold an RSA
 * key pair and open the JWE (RFC 7516 compact serialization) the worker sent.
 */

export interface ConnectorKeys {
  publicJwk: JsonWebKey;
  privateKey: CryptoKey;
}

export async function connectorKeys(modulusLength = 2048): Promise<ConnectorKeys> {
  const pair = (await crypto.subtle.generateKey(
    {
      name: 'RSA-OAEP',
      modulusLength,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['encrypt', 'decrypt'],
  )) as CryptoKeyPair;
  const publicJwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  return { publicJwk, privateKey: pair.privateKey };
}

function part(text: string | undefined): Uint8Array<ArrayBuffer> {
  const bytes = text === undefined ? null : fromBase64Url(text);
  if (!bytes) throw new Error('not a JWE part');
  return bytes;
}

export function jweHeader(jwe: string): Record<string, unknown> {
  const [header] = jwe.split('.');
  return JSON.parse(new TextDecoder().decode(part(header))) as Record<string, unknown>;
}

/** Decrypts RSA-OAEP-256 + A256GCM as any JOSE library would; throws on a wrong key or tamper. */
export async function decryptJwe(jwe: string, privateKey: CryptoKey): Promise<string> {
  const parts = jwe.split('.');
  if (parts.length !== 5) throw new Error('not a compact JWE');
  const [header, encryptedKey, iv, ciphertext, tag] = parts;
  const cek = await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, part(encryptedKey));
  const key = await crypto.subtle.importKey('raw', cek, { name: 'AES-GCM' }, false, ['decrypt']);
  const body = part(ciphertext);
  const mac = part(tag);
  const sealed = new Uint8Array(body.length + mac.length);
  sealed.set(body);
  sealed.set(mac, body.length);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: part(iv), additionalData: utf8(header ?? ''), tagLength: 128 },
    key,
    sealed,
  );
  return new TextDecoder().decode(plain);
}
