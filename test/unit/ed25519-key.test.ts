import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../worker/domain/bytes';
import { usableEd25519Key } from '../../worker/domain/ed25519-key';

function hex(text: string): Uint8Array {
  return new Uint8Array(text.match(/../g)?.map((b) => Number.parseInt(b, 16)) ?? []);
}

describe('an Ed25519 public key a connector registers', () => {
  it('accepts real keys', async () => {
    for (let i = 0; i < 20; i++) {
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
      const raw = fromBase64Url(jwk.x ?? '');
      expect(raw && usableEd25519Key(raw)).toBe(true);
    }
  });

  it.each([
    ['the all-zero key', '00'.repeat(32)],
    ['the identity', `01${'00'.repeat(31)}`],
    ['the point of order 2', `ec${'ff'.repeat(30)}7f`],
    ['a point of order 4', `${'00'.repeat(31)}80`],
    ['a point of order 8', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
    [
      'another point of order 8',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    ],
  ])('refuses %s, against which signatures can be forged', (_, key) => {
    expect(usableEd25519Key(hex(key))).toBe(false);
  });

  it('refuses bytes that are no point of the curve, and a key of the wrong length', () => {
    expect(usableEd25519Key(hex(`02${'00'.repeat(31)}`))).toBe(false);
    expect(usableEd25519Key(hex('ff'.repeat(32)))).toBe(false);
    expect(usableEd25519Key(new Uint8Array(31))).toBe(false);
  });
});
