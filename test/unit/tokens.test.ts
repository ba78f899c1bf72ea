import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  fromBase64Url,
  randomBytes,
  toBase64Url,
} from '../../worker/domain/bytes';
import { digestsEqual, newId, newToken, tokenDigest } from '../../worker/domain/tokens';

const SECRET = 'unit-test-session-secret-0123456789';

describe('newToken', () => {
  it('has at least 256 bits: 43 base64url characters that decode to 32 bytes', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fromBase64Url(token)?.length).toBe(32);
  });

  it('differs each call', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newToken()));
    expect(tokens.size).toBe(50);
  });
});

describe('newId', () => {
  it('is 22 base64url characters (128 bits)', () => {
    const id = newId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fromBase64Url(id)?.length).toBe(16);
  });

  it('differs each call', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newId()));
    expect(ids.size).toBe(50);
  });
});

describe('tokenDigest', () => {
  it('is 64 hex characters, the same for the same secret and token', async () => {
    const token = newToken();
    const digest = await tokenDigest(SECRET, token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await tokenDigest(SECRET, token)).toBe(digest);
  });

  it('differs for another secret', async () => {
    const token = newToken();
    expect(await tokenDigest(`${SECRET}-rotated`, token)).not.toBe(
      await tokenDigest(SECRET, token),
    );
  });

  it('differs for another token', async () => {
    expect(await tokenDigest(SECRET, newToken())).not.toBe(await tokenDigest(SECRET, newToken()));
  });

  it('is HMAC-SHA256 (RFC 4231 test case 2)', async () => {
    expect(await tokenDigest('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('does not store the token itself', async () => {
    const token = newToken();
    expect(await tokenDigest(SECRET, token)).not.toContain(token);
  });
});

describe('digestsEqual', () => {
  it.each([
    ['equal strings', 'abc123', 'abc123', true],
    ['one character different', 'abc123', 'abc124', false],
    ['different lengths', 'abc123', 'abc1234', false],
    ['a prefix', 'abc', 'abc123', false],
    ['two empty strings', '', '', true],
    ['case differs', 'ABC', 'abc', false],
  ])('answers %s with %s', (_name, a, b, expected) => {
    expect(digestsEqual(a, b)).toBe(expected);
  });

  it('matches two digests of the same token', async () => {
    const token = newToken();
    expect(digestsEqual(await tokenDigest(SECRET, token), await tokenDigest(SECRET, token))).toBe(
      true,
    );
  });
});

// bytes.ts is covered here (no separate file): tokens are its main consumer.
describe('base64url (bytes.ts)', () => {
  it.each(Array.from({ length: 41 }, (_, n) => n))(
    'round-trips %i random bytes without padding or +/',
    (length) => {
      const bytes = randomBytes(length);
      const text = toBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(text.length).toBe(Math.ceil((length * 4) / 3));
      expect(Array.from(fromBase64Url(text) ?? [-1])).toEqual(Array.from(bytes));
    },
  );

  it('uses - and _ where standard base64 uses + and /', () => {
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(Array.from(fromBase64Url('-_8') ?? [])).toEqual([0xfb, 0xff]);
  });

  it('decodes the empty string to no bytes', () => {
    expect(fromBase64Url('')?.length).toBe(0);
  });

  it.each([
    ['a plus', '+_8'],
    ['a slash', '-/8'],
    ['= padding', '-_8='],
    ['== padding', 'AA=='],
    ['a space', 'AA AA'],
    ['a leading space', ' AAAA'],
    ['a newline', 'AAAA\n'],
    ['a non-ASCII letter', 'ÅAAA'],
    ['an impossible length (one character)', 'A'],
  ])('refuses %s with null', (_name, text) => {
    expect(fromBase64Url(text)).toBeNull();
  });
});

describe('constantTimeEqual (bytes.ts)', () => {
  it.each([
    ['equal arrays', [1, 2, 3], [1, 2, 3], true],
    ['two empty arrays', [], [], true],
    ['a different last byte', [1, 2, 3], [1, 2, 4], false],
    ['a different first byte', [0, 2, 3], [1, 2, 3], false],
    ['a shorter array', [1, 2], [1, 2, 3], false],
    ['a longer array', [1, 2, 3, 0], [1, 2, 3], false],
    ['empty against non-empty', [], [0], false],
  ])('answers %s with %s', (_name, a, b, expected) => {
    expect(constantTimeEqual(new Uint8Array(a), new Uint8Array(b))).toBe(expected);
  });
});
