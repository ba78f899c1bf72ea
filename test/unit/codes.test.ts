import { describe, expect, it } from 'vitest';
import {
  CODE_DIGITS,
  CODE_LIFETIME_SECONDS,
  CODE_MAX_ATTEMPTS,
  codeFor,
  codeMatches,
  extractCode,
  newCodeSecret,
  RESEND_AFTER_SECONDS,
} from '../../worker/domain/codes';
import { codeSms } from '../../worker/domain/messages';

/** RFC 4226 appendix D: the ASCII secret "12345678901234567890". */
const RFC4226_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('constants', () => {
  it('has 6-digit codes valid 10 minutes, 5 attempts, resend after 3 minutes', () => {
    expect(CODE_DIGITS).toBe(6);
    expect(CODE_LIFETIME_SECONDS).toBe(600);
    expect(CODE_MAX_ATTEMPTS).toBe(5);
    expect(RESEND_AFTER_SECONDS).toBe(180);
  });
});

describe('newCodeSecret', () => {
  it('is base32 of 160 bits', () => {
    expect(newCodeSecret()).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('differs each call', () => {
    const secrets = new Set(Array.from({ length: 20 }, () => newCodeSecret()));
    expect(secrets.size).toBe(20);
  });
});

describe('codeFor', () => {
  it('gives the RFC 4226 test vector for counter 0', () => {
    expect(codeFor(RFC4226_SECRET)).toBe('755224');
  });

  it('gives six digits, the same each time for one secret', () => {
    const secret = newCodeSecret();
    const code = codeFor(secret);
    expect(code).toMatch(/^\d{6}$/);
    expect(codeFor(secret)).toBe(code);
  });

  it('gives different codes for different secrets (almost always)', () => {
    const codes = new Set(Array.from({ length: 20 }, () => codeFor(newCodeSecret())));
    // 20 draws from a million: a collision that leaves fewer than 18 distinct is ~never.
    expect(codes.size).toBeGreaterThanOrEqual(18);
  });
});

describe('codeMatches', () => {
  it.each([
    ['the right code', '755224', true],
    ['a code one digit off', '755225', false],
    ['another code', '000000', false],
    ['a shorter candidate', '75522', false],
    ['a longer candidate', '7552240', false],
    ['the code with a space', '755 224', false],
    ['an empty candidate', '', false],
  ])('answers %s with %s', (_name, candidate, expected) => {
    expect(codeMatches(RFC4226_SECRET, candidate)).toBe(expected);
  });

  it('matches the code of a fresh secret', () => {
    const secret = newCodeSecret();
    expect(codeMatches(secret, codeFor(secret))).toBe(true);
  });
});

describe('extractCode', () => {
  const smsSv = codeSms('reset', 'sv', {
    username: 'hemtjanstab',
    code: '654321',
    host: 'nyckel.test',
  });

  it.each([
    ['six digits', '123456', '123456'],
    ['a leading zero kept', '012345', '012345'],
    ['digits grouped with a space', '123 456', '123456'],
    ['digits grouped with a hyphen', '123-456', '123456'],
    ['surrounding whitespace', '  123456\n', '123456'],
    ['the whole Swedish SMS', smsSv, '654321'],
    [
      'a Swedish SMS whose body has other 6-digit numbers',
      'Ärende 112233. Din säkerhetskod är 999888, ring 031-777666 vid frågor.\n\n@nyckel.test #654321',
      '654321',
    ],
    [
      'a text with exactly one 6-digit number',
      'Din kod är 482913. Den gäller i 10 minuter.',
      '482913',
    ],
  ])('reads %s', (_name, text, expected) => {
    expect(extractCode(text)).toBe(expected);
  });

  it('checks that the SMS used above really ends with the WebOTP line', () => {
    expect(smsSv.endsWith('\n\n@nyckel.test #654321')).toBe(true);
  });

  it.each([
    ['two 6-digit numbers and no WebOTP line', 'Kod 123456 eller kanske 654321?'],
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['no digits', 'hej'],
    ['the empty string', ''],
    ['a 7-digit WebOTP code', '@nyckel.test #1234567'],
  ])('answers null for %s', (_name, text) => {
    expect(extractCode(text)).toBeNull();
  });
});
