import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../worker/domain/bytes';
import {
  backoffSeconds,
  checkPublicJwk,
  encryptForConnector,
  jwkThumbprint,
  MAX_ATTEMPTS,
  parsePublicJwk,
  type RsaPublicJwk,
  signature,
  verifySignature,
} from '../../worker/domain/webhook';
import { type ConnectorKeys, connectorKeys, decryptJwe, jweHeader } from '../webhook-helpers';

const SECRET = 'test-only-webhook-secret-0123456789abcdef';
const T = 1_777_881_660;
const BODY = '{"id":"evt_1","event":"ping"}';
/** HMAC-SHA256(SECRET, "1777881660." + BODY), computed with Node's crypto. */
const KNOWN = 't=1777881660,v1=9aeb4290ab3dcf817670f568ec4239f14fd253bc6215a188a5cca950555594da';

describe('the webhook signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">', async () => {
    expect(await signature(SECRET, T, BODY)).toBe(KNOWN);
  });

  it('verifies a fresh, untouched request', async () => {
    expect(await verifySignature(SECRET, KNOWN, BODY, T)).toBe(true);
    expect(await verifySignature(SECRET, KNOWN, BODY, T + 299)).toBe(true);
  });

  it('refuses a changed body, a changed MAC, another secret or a swapped timestamp', async () => {
    expect(await verifySignature(SECRET, KNOWN, BODY.replace('ping', 'pong'), T)).toBe(false);
    expect(await verifySignature(SECRET, KNOWN.replace(/.$/, '0'), BODY, T)).toBe(false);
    expect(await verifySignature(`${SECRET}x`, KNOWN, BODY, T)).toBe(false);
    const moved = KNOWN.replace(`t=${T}`, `t=${T + 1}`);
    expect(await verifySignature(SECRET, moved, BODY, T + 1)).toBe(false);
  });

  it('refuses a stale or far-future timestamp, even with a valid MAC', async () => {
    expect(await verifySignature(SECRET, KNOWN, BODY, T + 301)).toBe(false);
    expect(await verifySignature(SECRET, KNOWN, BODY, T - 301)).toBe(false);
    expect(await verifySignature(SECRET, KNOWN, BODY, T + 3600, 3600)).toBe(true);
  });

  it('refuses malformed headers', async () => {
    for (const header of [
      '',
      'v1=abc',
      `t=${T}`,
      `t=${T},t=${T},v1=${KNOWN.split('v1=')[1]}`,
      `t=soon,v1=${KNOWN.split('v1=')[1]}`,
      'garbage',
    ]) {
      expect(await verifySignature(SECRET, header, BODY, T), header).toBe(false);
    }
  });

  it('accepts one matching v1 among several (a receiver during a secret rotation)', async () => {
    const mac = KNOWN.split('v1=')[1] ?? '';
    const header = `t=${T},v1=${'0'.repeat(64)},v1=${mac}`;
    expect(await verifySignature(SECRET, header, BODY, T)).toBe(true);
  });
});

describe('the retry schedule', () => {
  it('waits 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, then gives up', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => backoffSeconds(i + 1));
    expect(waits).toEqual([60, 300, 1800, 7200, 21_600, 43_200, 86_400, null]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(backoffSeconds(0)).toBeNull();
    expect(backoffSeconds(9)).toBeNull();
  });
});

describe("the connector's public key", () => {
  let keys: ConnectorKeys;
  beforeAll(async () => {
    keys = await connectorKeys();
  });

  it('accepts an exported RSA-OAEP-256 public JWK, reduced to kty, n and e', async () => {
    const checked = await checkPublicJwk(keys.publicJwk);
    expect(checked).toEqual({
      kind: 'ok',
      jwk: { kty: 'RSA', n: keys.publicJwk.n, e: keys.publicJwk.e },
    });
  });

  it('refuses a modulus under 2048 bits', () => {
    const n = toBase64Url(
      (fromBase64Url(keys.publicJwk.n ?? '') ?? new Uint8Array()).slice(0, 128),
    );
    const checked = parsePublicJwk({ kty: 'RSA', n, e: 'AQAB' });
    expect(checked).toEqual({ kind: 'invalid', reason: expect.stringContaining('2048') });
  });

  it('refuses a private key, another key type, a missing n, or another algorithm', () => {
    const { n, e } = keys.publicJwk;
    expect(parsePublicJwk({ kty: 'RSA', n, e, d: 'AQAB' })).toMatchObject({
      reason: expect.stringContaining('private'),
    });
    expect(parsePublicJwk({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }).kind).toBe('invalid');
    expect(parsePublicJwk({ kty: 'RSA', e }).kind).toBe('invalid');
    expect(parsePublicJwk({ kty: 'RSA', n, e, alg: 'RSA1_5' }).kind).toBe('invalid');
    expect(parsePublicJwk({ kty: 'RSA', n, e, use: 'sig' }).kind).toBe('invalid');
    expect(parsePublicJwk({ kty: 'RSA', n, e: 'Ag' }).kind).toBe('invalid');
    expect(parsePublicJwk('{"kty":"RSA"}').kind).toBe('invalid');
    expect(parsePublicJwk(null).kind).toBe('invalid');
  });

  it('has the RFC 7638 thumbprint (the example of §3.1)', async () => {
    const rfc: RsaPublicJwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
    };
    expect(await jwkThumbprint(rfc)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
});

describe('the writeback JWE', () => {
  let keys: ConnectorKeys;
  let jwk: RsaPublicJwk;
  const PASSWORD = 'Tr4sig-Kanin-44 åäö';

  beforeAll(async () => {
    keys = await connectorKeys();
    const checked = parsePublicJwk(keys.publicJwk);
    if (checked.kind !== 'ok') throw new Error('test key refused');
    jwk = checked.jwk;
  });

  it('is a compact JWE the private key decrypts back to the password', async () => {
    const jwe = await encryptForConnector(PASSWORD, jwk);
    const parts = jwe.split('.');
    expect(parts).toHaveLength(5);
    expect(fromBase64Url(parts[1] ?? '')?.length).toBe(256); // the RSA-2048-wrapped key
    expect(fromBase64Url(parts[2] ?? '')?.length).toBe(12); // 96-bit IV
    expect(fromBase64Url(parts[4] ?? '')?.length).toBe(16); // 128-bit tag
    expect(await decryptJwe(jwe, keys.privateKey)).toBe(PASSWORD);
    expect(jwe).not.toContain(PASSWORD);
  });

  it('names RSA-OAEP-256, A256GCM and the key thumbprint in its protected header', async () => {
    const jwe = await encryptForConnector(PASSWORD, jwk);
    expect(jweHeader(jwe)).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: await jwkThumbprint(jwk),
    });
  });

  it('uses a fresh content key and IV every time', async () => {
    const a = await encryptForConnector(PASSWORD, jwk);
    const b = await encryptForConnector(PASSWORD, jwk);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('cannot be opened with another key, or after its header was changed', async () => {
    const jwe = await encryptForConnector(PASSWORD, jwk);
    const other = await connectorKeys();
    await expect(decryptJwe(jwe, other.privateKey)).rejects.toThrow();
    const [, ...rest] = jwe.split('.');
    const header = toBase64Url(
      new TextEncoder().encode(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })),
    );
    await expect(decryptJwe([header, ...rest].join('.'), keys.privateKey)).rejects.toThrow();
  });
});
