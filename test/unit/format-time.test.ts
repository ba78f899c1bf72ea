import { describe, expect, it } from 'vitest';
import { formatMoment, formatTime } from '../../web/src/format-time';
import { formatDateTime, formatWhen } from '../../web/src/manage/format';
import { formatDateTime as mailDateTime } from '../../worker/domain/mail-text';

// 05:08 UTC on 6 December is 06:08 in Stockholm (winter time); 1 July 05:08 UTC is 07:08.
const WINTER = '2026-12-06T05:08:00Z';
const SUMMER = '2026-07-01T05:08:00Z';

describe('one time format', () => {
  it('writes a time of day as 06:08 in Swedish time, whatever the language', () => {
    expect(formatTime('sv', new Date(WINTER))).toBe('06:08');
    expect(formatTime('en', new Date(WINTER))).toBe('06:08');
    expect(formatTime('sv', new Date(SUMMER))).toBe('07:08');
  });

  it('writes the same time in the links list, the mailbox page, the log and the e-mails', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(formatMoment('sv', WINTER, { short: true, now })).toBe('kl. 06:08');
    expect(formatMoment('en', WINTER, { short: true, now })).toBe('06:08');
    expect(formatMoment('sv', WINTER, { now })).toBe('6 december kl. 06:08');
    expect(formatMoment('en', WINTER, { now })).toBe('6 December at 06:08');
    expect(formatWhen('sv', WINTER, now)).toBe('06:08');
    expect(formatDateTime('sv', WINTER)).toBe('6 dec. 2026 06:08');
    expect(mailDateTime(Date.parse(WINTER) / 1000, 'sv')).toBe('6 december 2026 kl. 06:08');
    for (const text of [
      formatMoment('sv', WINTER, { now }),
      formatWhen('sv', WINTER, now + 86_400_000),
      formatDateTime('en', WINTER),
    ]) {
      expect(text, text).toMatch(/\b06:08$/);
      expect(text, text).not.toMatch(/\d\.\d\d/);
    }
  });

  it('counts "today" in Sweden: 23:30 UTC is already tomorrow there', () => {
    const late = '2026-12-06T23:30:00Z';
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(formatMoment('sv', late, { short: true, now })).toBe('7 december kl. 00:30');
    expect(formatWhen('sv', late, Date.parse('2026-12-07T06:00:00Z'))).toBe('00:30');
  });
});
