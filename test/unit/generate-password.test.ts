import { describe, expect, it } from 'vitest';
import { generatePassword, type RandomSource } from '../../worker/domain/generate-password';
import { characterClasses, checkPassword, DEFAULT_POLICY } from '../../worker/domain/policy';

/** A random source that plays back the given bytes, then repeats the last one. */
function scripted(bytes: number[]): RandomSource & { used: number } {
  let i = 0;
  const source = ((target: Uint8Array) => {
    for (let j = 0; j < target.length; j++) {
      target[j] = bytes[Math.min(i, bytes.length - 1)] ?? 0;
      i++;
    }
    source.used = i;
  }) as RandomSource & { used: number };
  source.used = 0;
  return source;
}

describe('generatePassword', () => {
  it('makes three groups of four joined by hyphens', () => {
    expect(generatePassword()).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
  });

  it('never uses characters that are mistaken for each other (0, O, 1, l, I)', () => {
    for (let i = 0; i < 500; i++) expect(generatePassword()).not.toMatch(/[0O1lI]/);
  });

  it('always passes the default policy, with all four character classes', () => {
    for (let i = 0; i < 500; i++) {
      const password = generatePassword();
      expect(checkPassword(password, DEFAULT_POLICY)).toEqual([]);
      expect(characterClasses(password)).toEqual({
        upper: true,
        lower: true,
        digit: true,
        special: true,
      });
    }
  });

  it('is different every time', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generatePassword()));
    expect(seen.size).toBe(1000);
  });

  it('grows to meet a longer minimum length', () => {
    const policy = { ...DEFAULT_POLICY, minLength: 20, minClasses: 4 };
    for (let i = 0; i < 50; i++) {
      const password = generatePassword(policy);
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(checkPassword(password, policy)).toEqual([]);
    }
  });

  it('draws again when a password would contain the mailbox username', () => {
    // The first draw contains "Abcd"; with the username abcd the policy refuses it.
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    const index = (ch: string) => alphabet.indexOf(ch);
    const first = [...'Abcd2bcdAbcd'].map(index);
    const second = [...'Xyz3Kq7mPt9h'].map(index);
    const random = scripted([...first, ...second]);
    const password = generatePassword(DEFAULT_POLICY, { username: 'abcd' }, random);
    expect(password).toBe('Xyz3-Kq7m-Pt9h');
  });

  it('throws away bytes that would bias the choice (rejection sampling)', () => {
    // 57 characters: 256 % 57 = 28, so bytes 228–255 are skipped, 0 picks 'A', 57 picks 'A'.
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    const wanted = [...'Ab2cDe3fGh4j'].map((ch) => alphabet.indexOf(ch));
    const withRejects = wanted.flatMap((b, i) => (i % 2 === 0 ? [228, 255, b] : [b + 57]));
    const random = scripted(withRejects);
    expect(generatePassword(DEFAULT_POLICY, {}, random)).toBe('Ab2c-De3f-Gh4j');
    expect(random.used).toBe(withRejects.length);
  });

  it('draws the characters of each class about equally often (no modulo bias)', () => {
    // Across classes the counts differ on purpose: a draw without a digit is thrown away.
    // Within a class they must not: a modulo bias would favour the first 28 of the 57
    // characters (A–Z and a–d) by about 25 %.
    const counts = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      for (const ch of generatePassword().replaceAll('-', '')) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(57);
    for (const pattern of [/[A-Z]/, /[a-z]/, /[2-9]/]) {
      const inClass = [...counts].filter(([ch]) => pattern.test(ch)).map(([, n]) => n);
      const mean = inClass.reduce((a, b) => a + b, 0) / inClass.length;
      for (const count of inClass) {
        expect(count).toBeGreaterThan(mean * 0.85);
        expect(count).toBeLessThan(mean * 1.15);
      }
    }
  });

  it('refuses to loop forever on a policy it cannot meet', () => {
    const impossible = { ...DEFAULT_POLICY, minClasses: 5 };
    expect(() => generatePassword(impossible)).toThrow(/cannot be met/);
  });
});
