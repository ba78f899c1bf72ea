import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, totpCode, totpStep, totpUri } from '../../worker/domain/totp';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const T = 1_111_111_109_000;

describe('TOTP', () => {
  it('makes the RFC 6238 test vector (SHA-1, 6 digits)', () => {
    // The 8-digit vector is 07081804; six digits keep the last six.
    expect(totpCode(RFC_SECRET, T)).toBe('081804');
  });

  it('makes 160-bit secrets in base32, different every time', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('finds the step a code belongs to, one step either side', () => {
    const step = totpStep(T);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, T), T)).toBe(step);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, T - 30_000), T)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, T + 30_000), T)).toBe(step + 1);
  });

  it('refuses codes two steps away', () => {
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, T - 60_000), T)).toBeNull();
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, T + 60_000), T)).toBeNull();
  });

  it.each(['', '12345', '1234567', 'abcdef', '08180４'])('refuses %j', (code) => {
    expect(matchTotp(RFC_SECRET, code, T)).toBeNull();
  });

  it('matches nothing with a secret that is not base32', () => {
    expect(matchTotp('not base32!', '081804', T)).toBeNull();
  });

  it('writes an otpauth URI with issuer, account, SHA-1, 6 digits and 30 s', () => {
    const uri = totpUri(RFC_SECRET, 'Nyckel – Örebro kommun', 'anna@example.se');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const url = new URL(uri);
    expect(url.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(url.searchParams.get('issuer')).toBe('Nyckel – Örebro kommun');
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(url.pathname)).toContain('anna@example.se');
  });
});
