import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { formatPhone } from '../../worker/domain/phone-format';

describe('formatPhone: numbers as a person reads them', () => {
  it.each([
    ['+46701234567', '070-123 45 67'],
    ['+46761234567', '076-123 45 67'],
    ['+4687654321', '08-765 43 21'],
    ['+46812345678', '08-123 456 78'],
    ['+4619211000', '019-21 10 00'],
    ['+46313456789', '031-345 67 89'],
    ['+46104567890', '010-456 78 90'],
    ['+4615212345', '0152-123 45'],
    ['+46980123456', '0980-12 34 56'],
  ])('shows the Swedish number %s in national form, %s', (e164, shown) => {
    expect(formatPhone(e164)).toBe(shown);
  });

  it.each([
    ['+4747123456', '+47 47123456'],
    ['+358401234567', '+358 401234567'],
    ['+14155552671', '+1 4155552671'],
    ['+79161234567', '+7 9161234567'],
    ['+35312345678', '+353 12345678'],
  ])('shows the foreign number %s internationally, country code apart: %s', (e164, shown) => {
    expect(formatPhone(e164)).toBe(shown);
  });

  it('leaves what is not E.164 as it was, so a bad stored value is still seen', () => {
    expect(formatPhone('0701234567')).toBe('0701234567');
    expect(formatPhone('')).toBe('');
    expect(formatPhone('+46 70 123 45 67')).toBe('+46 70 123 45 67');
  });

  it('writes every Swedish number the way libphonenumber’s national format does', () => {
    // Every one-, two- and three-digit area code and mobile prefix, at every length the plan
    // allows, with digits that make a valid number; service ranges (premium rate, shared
    // cost, voicemail) are not people's numbers and are left out.
    const skipped = new Set(['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL']);
    let checked = 0;
    for (let prefix = 1; prefix <= 999; prefix += 1) {
      for (let length = 7; length <= 9; length += 1) {
        const national = String(prefix).padEnd(length, '3456789012');
        const parsed = parsePhoneNumberFromString(`+46${national}`);
        if (!parsed?.isValid() || skipped.has(parsed.getType() ?? '')) continue;
        expect(formatPhone(parsed.number), parsed.number).toBe(parsed.formatNational());
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
