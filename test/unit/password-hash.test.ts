import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64Url } from '../../worker/domain/bytes';
import {
  burnVerification,
  checkHistory,
  derivationCounter,
  derive,
  hashPassword,
  MAX_ITERATIONS,
  newHistorySalt,
  PBKDF2_ITERATIONS,
  type Peppers,
  parseHash,
  verifyPassword,
} from '../../worker/domain/password-hash';

const PEPPER_1 = 'unit-test-pepper-one-0123456789abcdef';
const PEPPER_2 = 'unit-test-pepper-two-fedcba9876543210';

const V1: Peppers = { current: 1, secrets: new Map([[1, PEPPER_1]]) };
/** A pepper rotation under way: new hashes use version 2, version 1 is still accepted. */
const ROTATING: Peppers = {
  current: 2,
  secrets: new Map([
    [1, PEPPER_1],
    [2, PEPPER_2],
  ]),
};
/** Version 1 has been retired. */
const ONLY_V2: Peppers = { current: 2, secrets: new Map([[2, PEPPER_2]]) };

const PASSWORD = 'Brevlada-2026';
const B64URL = '[A-Za-z0-9_-]';

/** Runs `action` and answers how many PBKDF2 derivations it cost. */
async function derivationsOf(action: () => Promise<unknown>): Promise<number> {
  const before = derivationCounter.count;
  await action();
  return derivationCounter.count - before;
}

/** Builds a stored hash by hand, in the module's format, with any parameters. */
async function handMadeHash(
  password: string,
  iterations: number,
  pepperVersion: number,
  pepper: string,
): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, iterations, pepper);
  return ['pbkdf2-sha256', iterations, pepperVersion, toBase64Url(salt), toBase64Url(hash)].join(
    '$',
  );
}

/** A random but well-formed history entry under the given pepper version. */
function fillerEntry(version: number): string {
  return `${version}$${toBase64Url(randomBytes(32))}`;
}

describe('constants', () => {
  it('derives at 100,000 iterations and caps at the Workers production limit of 100,000', () => {
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect(MAX_ITERATIONS).toBe(100_000);
  });
});

describe('hashPassword', () => {
  it('stores pbkdf2-sha256$100000$<pepper version>$<salt>$<hash>', async () => {
    const stored = await hashPassword(PASSWORD, V1);
    expect(stored).toMatch(
      new RegExp(`^pbkdf2-sha256\\$100000\\$1\\$${B64URL}{22}\\$${B64URL}{43}$`),
    );
  });

  it('records the current pepper version', async () => {
    const stored = await hashPassword(PASSWORD, ROTATING);
    expect(stored.split('$')[2]).toBe('2');
  });

  it('uses a fresh salt each time, so two hashes of one password differ', async () => {
    const first = await hashPassword(PASSWORD, V1);
    const second = await hashPassword(PASSWORD, V1);
    expect(first).not.toBe(second);
    expect(first.split('$')[3]).not.toBe(second.split('$')[3]);
  });

  it('costs exactly one derivation', async () => {
    expect(await derivationsOf(() => hashPassword(PASSWORD, V1))).toBe(1);
  });

  it('refuses to hash when the current pepper is not configured', async () => {
    const missing: Peppers = { current: 3, secrets: new Map([[1, PEPPER_1]]) };
    await expect(hashPassword(PASSWORD, missing)).rejects.toThrow();
  });

  it('produces a hash that parseHash reads back with the right parameters', async () => {
    const parsed = parseHash(await hashPassword(PASSWORD, V1));
    expect(parsed).not.toBeNull();
    expect(parsed?.iterations).toBe(100_000);
    expect(parsed?.pepperVersion).toBe(1);
    expect(parsed?.salt.length).toBe(16);
    expect(parsed?.hash.length).toBe(32);
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and asks for no rehash of a current hash', async () => {
    const stored = await hashPassword(PASSWORD, V1);
    expect(await verifyPassword(PASSWORD, stored, V1)).toEqual({ ok: true, needsRehash: false });
  });

  it.each([
    ['another password', 'Brevlada-2027'],
    ['a change of case', 'brevlada-2026'],
    ['a trailing space', 'Brevlada-2026 '],
    ['the empty string', ''],
  ])('refuses %s', async (_name, candidate) => {
    const stored = await hashPassword(PASSWORD, V1);
    expect(await verifyPassword(candidate, stored, V1)).toEqual({ ok: false });
  });

  it('accepts a password with Swedish letters and refuses it without them', async () => {
    const stored = await hashPassword('Lösenord-Åäö-1', V1);
    expect((await verifyPassword('Lösenord-Åäö-1', stored, V1)).ok).toBe(true);
    expect((await verifyPassword('Losenord-Aao-1', stored, V1)).ok).toBe(false);
  });

  it('refuses the right password under a wrong pepper of the same version', async () => {
    const stored = await hashPassword(PASSWORD, V1);
    const wrong: Peppers = { current: 1, secrets: new Map([[1, `${PEPPER_1}-not`]]) };
    expect(await verifyPassword(PASSWORD, stored, wrong)).toEqual({ ok: false });
  });

  it('refuses a hash whose pepper version is not configured, without deriving', async () => {
    const stored = await hashPassword(PASSWORD, V1);
    let result: unknown;
    const cost = await derivationsOf(async () => {
      result = await verifyPassword(PASSWORD, stored, ONLY_V2);
    });
    expect(result).toEqual({ ok: false });
    expect(cost).toBe(0);
  });

  it('costs exactly one derivation for a well-formed hash', async () => {
    const stored = await hashPassword(PASSWORD, V1);
    expect(await derivationsOf(() => verifyPassword(PASSWORD, stored, V1))).toBe(1);
    expect(await derivationsOf(() => verifyPassword('wrong', stored, V1))).toBe(1);
  });
});

describe('needsRehash', () => {
  it('is true for a hash made at 20,000 iterations', async () => {
    const stored = await handMadeHash(PASSWORD, 20_000, 1, PEPPER_1);
    expect(await verifyPassword(PASSWORD, stored, V1)).toEqual({ ok: true, needsRehash: true });
  });

  it('still refuses a wrong password against an old 20,000-iteration hash', async () => {
    const stored = await handMadeHash(PASSWORD, 20_000, 1, PEPPER_1);
    expect(await verifyPassword('Brevlada-2027', stored, V1)).toEqual({ ok: false });
  });

  it('is true for a hash under an older pepper version that is still configured', async () => {
    const stored = await hashPassword(PASSWORD, V1);
    expect(await verifyPassword(PASSWORD, stored, ROTATING)).toEqual({
      ok: true,
      needsRehash: true,
    });
  });

  it('is false once the password is rehashed under the new pepper', async () => {
    const stored = await hashPassword(PASSWORD, ROTATING);
    expect(await verifyPassword(PASSWORD, stored, ROTATING)).toEqual({
      ok: true,
      needsRehash: false,
    });
  });
});

describe('derive', () => {
  const salt = randomBytes(16);

  it.each([
    ['one above the Workers cap (local workerd would allow it)', MAX_ITERATIONS + 1],
    ['150,000', 150_000],
    ['a billion', 1_000_000_000],
    ['zero', 0],
    ['a negative number', -1],
    ['a non-integer', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s iterations without deriving', async (_name, iterations) => {
    let error: unknown;
    const cost = await derivationsOf(async () => {
      error = await derive(PASSWORD, salt, iterations, PEPPER_1).catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(RangeError);
    expect(cost).toBe(0);
  });

  it('derives exactly at the cap', async () => {
    const out = await derive(PASSWORD, salt, MAX_ITERATIONS, PEPPER_1);
    expect(out.length).toBe(32);
  });

  it('is deterministic for the same inputs and depends on each of them', async () => {
    const base = toBase64Url(await derive(PASSWORD, salt, 10_000, PEPPER_1));
    expect(toBase64Url(await derive(PASSWORD, salt, 10_000, PEPPER_1))).toBe(base);
    expect(toBase64Url(await derive('other', salt, 10_000, PEPPER_1))).not.toBe(base);
    expect(toBase64Url(await derive(PASSWORD, randomBytes(16), 10_000, PEPPER_1))).not.toBe(base);
    expect(toBase64Url(await derive(PASSWORD, salt, 10_001, PEPPER_1))).not.toBe(base);
    expect(toBase64Url(await derive(PASSWORD, salt, 10_000, PEPPER_2))).not.toBe(base);
  });
});

describe('parseHash and verifyPassword on tampered or foreign hashes', () => {
  const salt16 = toBase64Url(randomBytes(16));
  const hash32 = toBase64Url(randomBytes(32));
  const ok = (parts: Partial<Record<'scheme' | 'iter' | 'ver' | 'salt' | 'hash', string>>) =>
    [
      parts.scheme ?? 'pbkdf2-sha256',
      parts.iter ?? '100000',
      parts.ver ?? '1',
      parts.salt ?? salt16,
      parts.hash ?? hash32,
    ].join('$');

  it('reads the well-formed control case', () => {
    expect(parseHash(ok({}))).not.toBeNull();
    expect(parseHash(ok({ iter: '10000' }))?.iterations).toBe(10_000);
  });

  it.each([
    ['another scheme', ok({ scheme: 'pbkdf2-sha512' })],
    ['a bcrypt hash', '$2b$12$abcdefghijklmnopqrstuuJ0bHWk6qtC7wGNzUu0lD6Q6pMyO3yW'],
    ['a billion iterations', ok({ iter: '1000000000' })],
    ['9,999 iterations', ok({ iter: '9999' })],
    ['150,000 iterations', ok({ iter: '150000' })],
    ['100,001 iterations', ok({ iter: '100001' })],
    ['iterations with a sign', ok({ iter: '+100000' })],
    ['iterations in exponent form', ok({ iter: '1e5' })],
    ['empty iterations', ok({ iter: '' })],
    ['a non-numeric pepper version', ok({ ver: 'x' })],
    ['a five-digit pepper version', ok({ ver: '12345' })],
    ['a short salt (15 bytes)', ok({ salt: toBase64Url(randomBytes(15)) })],
    ['an empty salt', ok({ salt: '' })],
    ['a salt of 65 bytes', ok({ salt: toBase64Url(randomBytes(65)) })],
    ['a hash of 31 bytes', ok({ hash: toBase64Url(randomBytes(31)) })],
    ['a hash of 33 bytes', ok({ hash: toBase64Url(randomBytes(33)) })],
    ['an empty hash', ok({ hash: '' })],
    ['a "+" in the salt', ok({ salt: `+${salt16.slice(1)}` })],
    ['a "/" in the hash', ok({ hash: `/${hash32.slice(1)}` })],
    ['"=" padding on the salt', ok({ salt: `${salt16}==` })],
    ['a space in the hash', ok({ hash: `${hash32.slice(0, 10)} ${hash32.slice(11)}` })],
    ['missing parts', ['pbkdf2-sha256', '100000', '1', salt16].join('$')],
    ['only the scheme', 'pbkdf2-sha256'],
    ['the empty string', ''],
    ['extra parts', `${ok({})}$extra`],
    ['a trailing separator', `${ok({})}$`],
  ])('refuses %s, and verifyPassword answers false without deriving', async (_name, stored) => {
    expect(parseHash(stored)).toBeNull();
    let result: unknown;
    const cost = await derivationsOf(async () => {
      result = await verifyPassword(PASSWORD, stored, V1);
    });
    expect(result).toEqual({ ok: false });
    expect(cost).toBe(0);
  });
});

describe('burnVerification', () => {
  it('costs exactly one derivation', async () => {
    expect(await derivationsOf(() => burnVerification(PASSWORD, V1))).toBe(1);
  });
});

describe('checkHistory', () => {
  it('writes digests as <pepper version>$<43 base64url characters>', async () => {
    const { digest } = await checkHistory(PASSWORD, newHistorySalt(), [], V1);
    expect(digest).toMatch(new RegExp(`^1\\$${B64URL}{43}$`));
    const rotated = await checkHistory(PASSWORD, newHistorySalt(), [], ROTATING);
    expect(rotated.digest).toMatch(new RegExp(`^2\\$${B64URL}{43}$`));
  });

  it('gives the same digest for the same password and salt, another for another salt', async () => {
    const salt = newHistorySalt();
    const a = await checkHistory(PASSWORD, salt, [], V1);
    const b = await checkHistory(PASSWORD, salt, [], V1);
    const c = await checkHistory(PASSWORD, newHistorySalt(), [], V1);
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
  });

  it('finds no reuse against an empty history', async () => {
    const result = await checkHistory(PASSWORD, newHistorySalt(), [], V1);
    expect(result.reused).toBe(false);
  });

  it('finds reuse when the candidate is in the history', async () => {
    const salt = newHistorySalt();
    const entries = [
      (await checkHistory('Gammalt-1', salt, [], V1)).digest,
      (await checkHistory(PASSWORD, salt, [], V1)).digest,
      (await checkHistory('Gammalt-3', salt, [], V1)).digest,
    ];
    expect((await checkHistory(PASSWORD, salt, entries, V1)).reused).toBe(true);
    expect((await checkHistory('Helt-nytt-9', salt, entries, V1)).reused).toBe(false);
  });

  it('does not find reuse of an entry made with another account’s history salt', async () => {
    const entries = [(await checkHistory(PASSWORD, newHistorySalt(), [], V1)).digest];
    expect((await checkHistory(PASSWORD, newHistorySalt(), entries, V1)).reused).toBe(false);
  });

  it.each([0, 5, 24])(
    'costs one derivation for a history of %i entries, reused or not',
    async (depth) => {
      const salt = newHistorySalt();
      const own = (await checkHistory(PASSWORD, salt, [], V1)).digest;
      const others = Array.from({ length: depth }, () => fillerEntry(1));
      const withCandidateLast = depth > 0 ? [...others.slice(1), own] : [];

      let fresh: { reused: boolean } | undefined;
      expect(
        await derivationsOf(async () => {
          fresh = await checkHistory(PASSWORD, salt, others, V1);
        }),
      ).toBe(1);
      expect(fresh?.reused).toBe(false);

      let repeated: { reused: boolean } | undefined;
      expect(
        await derivationsOf(async () => {
          repeated = await checkHistory(PASSWORD, salt, withCandidateLast, V1);
        }),
      ).toBe(1);
      expect(repeated?.reused).toBe(depth > 0);
    },
  );

  it('keeps a reset to at most two derivations whatever the history depth', async () => {
    const salt = newHistorySalt();
    const entries = Array.from({ length: 24 }, () => fillerEntry(1));
    const cost = await derivationsOf(async () => {
      const check = await checkHistory('Nytt-Losen-1', salt, entries, V1);
      expect(check.reused).toBe(false);
      await hashPassword('Nytt-Losen-1', V1);
    });
    expect(cost).toBe(2);
  });

  it('detects reuse across a pepper rotation, at two derivations', async () => {
    const salt = newHistorySalt();
    const entries = [
      (await checkHistory('Gammalt-1', salt, [], V1)).digest,
      (await checkHistory(PASSWORD, salt, [], V1)).digest,
      ...Array.from({ length: 10 }, () => fillerEntry(1)),
    ];
    let result: { reused: boolean; digest: string } | undefined;
    const cost = await derivationsOf(async () => {
      result = await checkHistory(PASSWORD, salt, entries, ROTATING);
    });
    expect(result?.reused).toBe(true);
    expect(result?.digest.startsWith('2$')).toBe(true);
    expect(cost).toBe(2);
  });

  it('finds no reuse across a pepper rotation for a new password, at two derivations', async () => {
    const salt = newHistorySalt();
    const entries = [(await checkHistory('Gammalt-1', salt, [], V1)).digest];
    let result: { reused: boolean } | undefined;
    const cost = await derivationsOf(async () => {
      result = await checkHistory(PASSWORD, salt, entries, ROTATING);
    });
    expect(result?.reused).toBe(false);
    expect(cost).toBe(2);
  });

  it('detects reuse of mixed-version history entries during a rotation', async () => {
    const salt = newHistorySalt();
    const entries = [
      (await checkHistory('Gammalt-1', salt, [], V1)).digest,
      (await checkHistory('Gammalt-2', salt, [], ROTATING)).digest,
    ];
    expect((await checkHistory('Gammalt-1', salt, entries, ROTATING)).reused).toBe(true);
    expect((await checkHistory('Gammalt-2', salt, entries, ROTATING)).reused).toBe(true);
    expect((await checkHistory('Gammalt-3', salt, entries, ROTATING)).reused).toBe(false);
  });

  it('skips entries under a retired pepper without deriving for them', async () => {
    const salt = newHistorySalt();
    const entries = [(await checkHistory(PASSWORD, salt, [], V1)).digest];
    let result: { reused: boolean } | undefined;
    const cost = await derivationsOf(async () => {
      result = await checkHistory(PASSWORD, salt, entries, ONLY_V2);
    });
    expect(result?.reused).toBe(false);
    expect(cost).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'not a salt!'],
    ['standard base64 with padding', 'AAAAAAAAAAAAAAAAAAAAAA=='],
    ['too short (8 bytes)', toBase64Url(randomBytes(8))],
  ])('throws for a malformed history salt: %s', async (_name, salt) => {
    await expect(checkHistory(PASSWORD, salt, [], V1)).rejects.toThrow('malformed history salt');
  });

  it('makes history salts of 16 random bytes in base64url', () => {
    const a = newHistorySalt();
    expect(a).toMatch(new RegExp(`^${B64URL}{22}$`));
    expect(newHistorySalt()).not.toBe(a);
  });
});
