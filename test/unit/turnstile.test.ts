import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { config } from '../../worker/config';
import {
  challengeCounters,
  challengeNeeded,
  countsAsAttempt,
  isTokenShaped,
  readSiteverify,
} from '../../worker/domain/turnstile';

const THRESHOLDS = { resetsPerHour: 10, failuresPerHour: 5 };

describe('when Turnstile is asked', () => {
  it('judges an attempt by its network and, when named, its account, each per hour', () => {
    expect(challengeCounters('reset', 'v4:198.51.100.7', 'hemtjanstab', THRESHOLDS)).toEqual([
      { key: 'challenge:reset:network:v4:198.51.100.7', max: 10, windowSeconds: 3600 },
      { key: 'challenge:reset:account:hemtjanstab', max: 10, windowSeconds: 3600 },
    ]);
    expect(challengeCounters('totp', 'unknown', null, THRESHOLDS)).toEqual([
      { key: 'challenge:totp:network:unknown', max: 5, windowSeconds: 3600 },
    ]);
  });

  it('asks once a counter has reached its threshold, not before', () => {
    const counters = challengeCounters('mailbox', 'n', 'a', THRESHOLDS);
    expect(challengeNeeded([4, 4], counters)).toBe(false);
    expect(challengeNeeded([5, 0], counters)).toBe(true);
    expect(challengeNeeded([0, 5], counters)).toBe(true);
  });

  it('counts every reset start, and only the failed sign-ins', () => {
    expect(countsAsAttempt('reset', 202)).toBe(true);
    expect(countsAsAttempt('reset', 429)).toBe(true);
    expect(countsAsAttempt('reset', 400)).toBe(false);
    for (const attempt of ['mailbox', 'totp'] as const) {
      expect(countsAsAttempt(attempt, 200)).toBe(false);
      expect(countsAsAttempt(attempt, 401)).toBe(true);
      expect(countsAsAttempt(attempt, 423)).toBe(true);
      expect(countsAsAttempt(attempt, 428)).toBe(false);
    }
  });

  it('sends siteverify only tokens shaped like one', () => {
    expect(isTokenShaped(undefined)).toBe(false);
    expect(isTokenShaped('')).toBe(false);
    expect(isTokenShaped('a b')).toBe(false);
    expect(isTokenShaped('x'.repeat(2049))).toBe(false);
    expect(isTokenShaped('0.abc-DEF_123.xyz')).toBe(true);
  });
});

describe("siteverify's answer", () => {
  it('passes only success: true', () => {
    expect(readSiteverify({ success: true })).toEqual({ kind: 'passed' });
    expect(readSiteverify({ success: 'true' })).toMatchObject({ kind: 'failed' });
    expect(readSiteverify({ success: false, 'error-codes': ['timeout-or-duplicate'] })).toEqual({
      kind: 'failed',
      errorCodes: ['timeout-or-duplicate'],
    });
  });

  it('reads Cloudflare’s internal error and an unreadable answer as unavailable (fail closed)', () => {
    expect(readSiteverify({ success: false, 'error-codes': ['internal-error'] }).kind).toBe(
      'unavailable',
    );
    expect(readSiteverify(null).kind).toBe('unavailable');
    expect(readSiteverify('ok').kind).toBe('unavailable');
  });
});

describe('Turnstile configuration', () => {
  const withVars = (vars: Partial<Record<keyof Env, string>>): Env => ({ ...env, ...vars }) as Env;

  it('is off while TURNSTILE_SECRET is unset', () => {
    expect(config(withVars({ TURNSTILE_SECRET: '', TURNSTILE_SITE_KEY: 'x' })).turnstile).toBe(
      null,
    );
  });

  it('needs the site key with the secret, and defaults the thresholds to 10 an hour', () => {
    expect(() => config(withVars({ TURNSTILE_SECRET: 's', TURNSTILE_SITE_KEY: '' }))).toThrow(
      /TURNSTILE_SITE_KEY/,
    );
    const cfg = config(
      withVars({
        TURNSTILE_SECRET: '1x0000000000000000000000000000000AA',
        TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
        TURNSTILE_RESETS_PER_HOUR: '',
        TURNSTILE_FAILURES_PER_HOUR: '',
        TURNSTILE_TIMEOUT_MS: '',
      }),
    );
    expect(cfg.turnstile).toEqual({
      siteKey: '1x00000000000000000000AA',
      secret: '1x0000000000000000000000000000000AA',
      resetsPerHour: 10,
      failuresPerHour: 10,
      timeoutMs: 5000,
    });
  });
});
