import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { config } from '../../worker/config';
import { dailyCodeCap } from '../../worker/db/reset-code-cap';
import { stockholmDay } from '../../worker/domain/stockholm-day';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('stockholmDay', () => {
  it('starts and ends the day at midnight in Stockholm, in summer time', () => {
    // 00:30 UTC on 5 May is 02:30 in Stockholm, the same day.
    expect(stockholmDay(at('2026-05-05T00:30:00Z'))).toEqual({
      date: '2026-05-05',
      start: at('2026-05-04T22:00:00Z'),
      end: at('2026-05-05T22:00:00Z'),
    });
    // 22:30 UTC on 4 May is already 5 May in Stockholm.
    expect(stockholmDay(at('2026-05-04T22:30:00Z')).date).toBe('2026-05-05');
    expect(stockholmDay(at('2026-05-04T21:59:59Z')).date).toBe('2026-05-04');
  });

  it('starts and ends the day at midnight in Stockholm, in winter time', () => {
    expect(stockholmDay(at('2026-01-15T12:00:00Z'))).toEqual({
      date: '2026-01-15',
      start: at('2026-01-14T23:00:00Z'),
      end: at('2026-01-15T23:00:00Z'),
    });
    expect(stockholmDay(at('2026-01-15T23:00:00Z')).date).toBe('2026-01-16');
    expect(stockholmDay(at('2026-01-15T22:59:59Z')).date).toBe('2026-01-15');
  });

  it('has 23 hours on the day the clocks go forward and 25 on the day they go back', () => {
    const spring = stockholmDay(at('2026-03-29T12:00:00Z'));
    expect(spring).toEqual({
      date: '2026-03-29',
      start: at('2026-03-28T23:00:00Z'),
      end: at('2026-03-29T22:00:00Z'),
    });
    expect(spring.end - spring.start).toBe(23 * 3600);
    const autumn = stockholmDay(at('2026-10-25T12:00:00Z'));
    expect(autumn).toEqual({
      date: '2026-10-25',
      start: at('2026-10-24T22:00:00Z'),
      end: at('2026-10-25T23:00:00Z'),
    });
    expect(autumn.end - autumn.start).toBe(25 * 3600);
    // Just around the changes themselves (01:00 UTC both times).
    expect(stockholmDay(at('2026-03-29T00:59:59Z')).start).toBe(spring.start);
    expect(stockholmDay(at('2026-03-29T01:00:00Z')).start).toBe(spring.start);
    expect(stockholmDay(at('2026-10-25T01:30:00Z')).end).toBe(autumn.end);
  });

  it('rolls over months and years', () => {
    expect(stockholmDay(at('2026-12-31T23:30:00Z'))).toEqual({
      date: '2027-01-01',
      start: at('2026-12-31T23:00:00Z'),
      end: at('2027-01-01T23:00:00Z'),
    });
    expect(stockholmDay(at('2026-04-30T12:00:00Z')).end).toBe(at('2026-04-30T22:00:00Z'));
  });

  it('is the same day for every second of it', () => {
    const day = stockholmDay(at('2026-10-25T12:00:00Z'));
    for (let t = day.start; t < day.end; t += 1800) {
      expect(stockholmDay(t)).toEqual(day);
    }
    expect(stockholmDay(day.end).date).toBe('2026-10-26');
    expect(stockholmDay(day.start - 1).date).toBe('2026-10-24');
  });
});

describe('dailyCodeCap', () => {
  it('keys the count on the username and the Stockholm date, over that day', () => {
    const cap = dailyCodeCap('hemtjanstab', 15, at('2026-05-04T22:30:00Z'));
    expect(cap).toEqual({
      key: 'reset:failed_codes:hemtjanstab:2026-05-05',
      max: 15,
      start: at('2026-05-04T22:00:00Z'),
      end: at('2026-05-05T22:00:00Z'),
      date: '2026-05-05',
    });
  });
});

describe('RESET_FAILED_CODES_PER_DAY', () => {
  const withVars = (vars: Partial<Record<keyof Env, string>>): Env => ({ ...env, ...vars }) as Env;

  it('is 15 unless set', () => {
    expect(config(withVars({ RESET_FAILED_CODES_PER_DAY: '' })).resets.failedCodesPerDay).toBe(15);
    expect(config(withVars({ RESET_FAILED_CODES_PER_DAY: '8' })).resets.failedCodesPerDay).toBe(8);
  });

  it('refuses a value that is not a whole number of at least 1', () => {
    for (const bad of ['0', '-1', '1.5', 'many']) {
      expect(() => config(withVars({ RESET_FAILED_CODES_PER_DAY: bad })), bad).toThrow(
        /RESET_FAILED_CODES_PER_DAY/,
      );
    }
  });
});
