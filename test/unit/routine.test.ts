import { describe, expect, it } from 'vitest';
import {
  addDays,
  ROUTINE_HORIZON_DAYS,
  rotationDates,
  swedishDate,
} from '../../worker/domain/routine';

const DAY = 86_400;
const MAX_AGE = 90;

/** Unix seconds of a UTC moment, written like an ISO string. */
function at(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** A password that expires at the given moment (changed MAX_AGE days before it). */
function expiringAt(iso: string, maxAge = MAX_AGE): number {
  return at(iso) - maxAge * DAY;
}

const dates = (list: { date: string }[]) => list.map((d) => d.date);

describe('swedishDate', () => {
  it.each([
    ['2026-12-04T10:00:00Z', '2026-12-04'],
    // Winter (CET, UTC+1): 23:30 UTC is already the next day in Sweden.
    ['2026-03-28T23:30:00Z', '2026-03-29'],
    ['2026-12-31T23:00:00Z', '2027-01-01'],
    ['2026-12-31T22:59:59Z', '2026-12-31'],
    // Summer (CEST, UTC+2): 22:30 UTC is 00:30 the next day, 21:30 UTC still 23:30.
    ['2026-07-01T22:30:00Z', '2026-07-02'],
    ['2026-07-01T21:30:00Z', '2026-07-01'],
  ])('gives the Swedish calendar date of %s: %s', (iso, expected) => {
    expect(swedishDate(at(iso))).toBe(expected);
  });
});

describe('addDays', () => {
  it.each([
    // Month ends
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-11-30', 90, '2027-02-28'],
    ['2027-02-28', 90, '2027-05-29'],
    ['2026-08-31', 30, '2026-09-30'],
    // Leap years: 2028 has 29 February, 2027 and 2100 have not, 2000 had.
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-29', 1, '2028-03-01'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2027-12-31', 90, '2028-03-30'],
    ['2028-01-01', 365, '2028-12-31'],
    // Across the daylight-saving changes: whole days, no drift.
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-10-24', 2, '2026-10-26'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('refuses something that is not a date', () => {
    expect(() => addDays('3 mars', 1)).toThrow();
  });
});

describe('rotationDates', () => {
  it('lists the due date, then every 90 days within the next year', () => {
    const now = at('2026-12-04T12:00:00Z');
    const result = rotationDates(expiringAt('2027-03-04T10:00:00Z'), MAX_AGE, now);
    expect(result).toEqual([
      { date: '2027-03-04', overdue: false },
      { date: '2027-06-02', overdue: false },
      { date: '2027-08-31', overdue: false },
      { date: '2027-11-29', overdue: false },
    ]);
  });

  it('names the Swedish date of the due moment, not the UTC one', () => {
    // Expires at 00:30 on 29 March in Sweden (23:30 UTC the day before).
    const now = at('2026-01-10T09:00:00Z');
    const result = rotationDates(expiringAt('2026-03-28T23:30:00Z'), MAX_AGE, now);
    expect(result[0]).toEqual({ date: '2026-03-29', overdue: false });
    expect(result[1]?.date).toBe('2026-06-27');
  });

  it('keeps whole calendar days across the change back to winter time', () => {
    // 00:30 on 25 October in Sweden (summer time). 90 × 86,400 seconds later it is 23:30 on
    // 22 January in winter time: counting seconds would move the next date a day early.
    const now = at('2026-09-01T09:00:00Z');
    const result = rotationDates(expiringAt('2026-10-24T22:30:00Z'), MAX_AGE, now);
    expect(dates(result).slice(0, 2)).toEqual(['2026-10-25', '2027-01-23']);
  });

  it('follows month ends and 29 February', () => {
    const now = at('2027-11-01T09:00:00Z');
    const result = rotationDates(expiringAt('2027-12-31T10:00:00Z'), MAX_AGE, now);
    expect(dates(result)).toEqual(['2027-12-31', '2028-03-30', '2028-06-28', '2028-09-26']);
  });

  it('flags a due date that has passed, and lists the coming dates of the same cycle', () => {
    // Changed 95 days ago: due 5 days ago.
    const now = at('2026-12-04T12:00:00Z');
    const result = rotationDates(now - 95 * DAY, MAX_AGE, now);
    expect(result).toEqual([
      { date: '2026-11-29', overdue: true },
      { date: '2027-02-27', overdue: false },
      { date: '2027-05-28', overdue: false },
      { date: '2027-08-26', overdue: false },
      { date: '2027-11-24', overdue: false },
    ]);
    expect(result.filter((d) => d.overdue)).toHaveLength(1);
  });

  it('skips the dates of cycles already missed when long overdue', () => {
    // Due 200 days ago: the dates 110 and 20 days ago are gone; the next is in 70 days.
    const now = at('2026-12-04T12:00:00Z');
    const result = rotationDates(now - 290 * DAY, MAX_AGE, now);
    expect(result[0]).toEqual({ date: '2026-05-18', overdue: true });
    expect(dates(result).slice(1)).toEqual([
      '2027-02-12',
      '2027-05-13',
      '2027-08-11',
      '2027-11-09',
    ]);
  });

  it('is not overdue earlier on the day it is due', () => {
    const now = at('2026-12-04T09:00:00Z');
    const [first] = rotationDates(expiringAt('2026-12-04T13:00:00Z'), MAX_AGE, now);
    expect(first).toEqual({ date: '2026-12-04', overdue: false });
    const [later] = rotationDates(expiringAt('2026-12-04T13:00:00Z'), MAX_AGE, now + 5 * 3600);
    expect(later).toEqual({ date: '2026-12-04', overdue: true });
  });

  it('includes a date exactly a year ahead, and not a day more', () => {
    const now = at('2026-12-04T09:00:00Z');
    // Due today: the fourth date after it is 360 days ahead; with 73-day cycles the fifth
    // lands on day 365 exactly.
    expect(dates(rotationDates(expiringAt('2026-12-04T15:00:00Z', 73), 73, now))).toEqual([
      '2026-12-04',
      '2027-02-15',
      '2027-04-29',
      '2027-07-11',
      '2027-09-22',
      '2027-12-04',
    ]);
    expect(ROUTINE_HORIZON_DAYS).toBe(365);
    expect(rotationDates(expiringAt('2026-12-05T15:00:00Z', 73), 73, now, 364).at(-1)?.date).toBe(
      '2027-09-23',
    );
  });

  it('always lists the current due date, even beyond the year', () => {
    const now = at('2026-12-04T09:00:00Z');
    expect(rotationDates(now, 400, now)).toEqual([{ date: '2028-01-08', overdue: false }]);
  });

  it('lists one date when there is no cycle (maximum age 0)', () => {
    const now = at('2026-12-04T09:00:00Z');
    expect(rotationDates(now - DAY, 0, now)).toEqual([{ date: '2026-12-03', overdue: true }]);
  });
});
