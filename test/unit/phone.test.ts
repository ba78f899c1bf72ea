import { describe, expect, it } from 'vitest';
import { maskPhone, parseCountryList, parsePhone } from '../../worker/domain/phone';

const SWEDISH_MOBILE = '+46701234567';

describe('parsePhone', () => {
  it.each([
    ['070-123 45 67'],
    ['0701234567'],
    ['070 123 45 67'],
    ['+46 70 123 45 67'],
    ['+46 (0)70 123 45 67'],
    ['0046701234567'],
    ['0046 70-123 45 67'],
    ['+46701234567'],
    ['(070) 123 45 67'],
    ['070.123.45.67'],
    ['  070-123 45 67\n'],
    ['070\u00a0123\u00a045\u00a067'],
    ['070\u2009123\u200945\u200967'],
    ['070\u202f123\u202f45\u202f67'],
    ['070\u2013123 45 67'],
    ['\u202a+46 70 123 45 67\u202c'],
  ])('accepts the Swedish writing %j', (input) => {
    expect(parsePhone(input)).toEqual({ kind: 'ok', e164: SWEDISH_MOBILE });
  });

  it.each([
    ['072-123 45 67', '+46721234567'],
    ['073-123 45 67', '+46731234567'],
    ['076-123 45 67', '+46761234567'],
    ['079-123 45 67', '+46791234567'],
  ])('accepts the other Swedish mobile prefix in %j', (input, e164) => {
    expect(parsePhone(input)).toEqual({ kind: 'ok', e164 });
  });

  it.each([
    ['+47 412 34 567', '+4741234567'],
    ['+358 40 1234567', '+358401234567'],
    ['00358 40 1234567', '+358401234567'],
    ['+44 7911 123456', '+447911123456'],
    ['+45 40 12 34 56', '+4540123456'],
    ['+1 415 555 2671', '+14155552671'],
  ])('accepts the foreign mobile %j in international form', (input, e164) => {
    expect(parsePhone(input)).toEqual({ kind: 'ok', e164 });
  });

  it.each([['+44 7911 123456'], ['+1 415 555 2671'], ['+49 151 23456789']])(
    'refuses the mobile %j of a country not allowed',
    (input) => {
      expect(parsePhone(input, 'SE', ['SE', 'NO', 'DK', 'FI'])).toEqual({
        kind: 'invalid',
        reason: 'country',
      });
    },
  );

  it.each([
    ['070-123 45 67', '+46701234567'],
    ['+47 412 34 567', '+4741234567'],
    ['+45 40 12 34 56', '+4540123456'],
    ['+358 40 1234567', '+358401234567'],
  ])('accepts the mobile %j of an allowed country', (input, e164) => {
    expect(parsePhone(input, 'SE', ['SE', 'NO', 'DK', 'FI'])).toEqual({ kind: 'ok', e164 });
  });

  it('still says what else is wrong before the country', () => {
    expect(parsePhone('08-123 456 78', 'SE', ['NO'])).toEqual({
      kind: 'invalid',
      reason: 'not_mobile',
    });
    expect(parsePhone('+44 12', 'SE', ['SE'])).toEqual({ kind: 'invalid', reason: 'format' });
  });

  it('reads a country list and refuses a code that is not a country', () => {
    expect(parseCountryList('SE,NO,DK,FI')).toEqual(['SE', 'NO', 'DK', 'FI']);
    expect(parseCountryList(' se , no,se ')).toEqual(['SE', 'NO']);
    expect(parseCountryList('')).toBeNull();
    expect(parseCountryList(' , ')).toBeNull();
    expect(parseCountryList('SE,UK')).toBeNull();
    expect(parseCountryList('SE,SWE')).toBeNull();
    expect(parseCountryList('SE;NO')).toBeNull();
  });

  it('reads national numbers in the region it is given', () => {
    expect(parsePhone('412 34 567', 'NO')).toEqual({ kind: 'ok', e164: '+4741234567' });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a plus alone', '+'],
    ['two plus signs', '++46701234567'],
    ['a plus in the middle', '070+1234567'],
    ['a letter O for a zero', '07O1234567'],
    ['a vanity number', '070-CALL-ME'],
    ['an extension', '070-123 45 67 ext 1'],
    ['a random string', 'hello world'],
    ['only separators', '-- ()'],
    ['more than 15 digits', '+46 70 123 45 67 89 01 2'],
    ['a digit too few', '070-123 45 6'],
    ['far too few digits', '0701'],
    ['a bare international prefix', '0046'],
    ['raw input over 32 characters', `${' '.repeat(20)}070-123 45 67`],
    ['an unassigned calling code', '+999 123 456 789'],
    // The calling code is never guessed from bare digits: '46…' could be a foreign number
    // missing its '+' as easily as a Swedish one.
    ['a bare 46 without plus', '46701234567'],
    ['a bare 46 with spaces', '46 70 123 45 67'],
    // Ofcom's drama range: well-formed but never assigned, so libphonenumber calls it invalid.
    ['a fictional UK number', '+44 7700 900123'],
  ])('refuses %s as format', (_case, input) => {
    expect(parsePhone(input)).toEqual({ kind: 'invalid', reason: 'format' });
  });

  it.each([
    ['a Stockholm landline', '08-123 456 78'],
    ['a Stockholm landline in international form', '+46 8 123 456 78'],
    ['an Örebro landline', '019-21 10 00'],
    ['a 0900 premium-rate number', '0900-123 456'],
    ['a 0939 premium-rate number', '0939-123 456'],
    ['a 020 freephone number', '020-12 34 56'],
    ['a 077 shared-cost number', '077-112 34 56'],
    ['a Swedish 071 M2M number', '071-912 34 56'],
    ['a Swedish 071 M2M number in international form', '+46 71 912 34 56'],
    ['an Oslo landline', '+47 22 12 34 56'],
    ['a London landline', '+44 20 7946 0018'],
    ['a North American freephone number', '+1 800 234 5678'],
    ['an Iridium (+881) number that libphonenumber calls mobile', '+881 6 123 456789'],
    ['an international-network (+882) number', '+882 123456789'],
    ['an international-network (+883) number', '+883 510 012 345'],
    ['an Inmarsat (+870) number', '+870 773 111 632'],
    ['an international freephone (+800) number', '+800 1234 5678'],
  ])('refuses %s as not mobile', (_case, input) => {
    expect(parsePhone(input)).toEqual({ kind: 'invalid', reason: 'not_mobile' });
  });
});

describe('maskPhone', () => {
  it.each([
    [SWEDISH_MOBILE, '070-••• 45 67'],
    ['+46791234567', '079-••• 45 67'],
    ['+4687654321', '08-7•• 43 21'],
    ['+4741234567', '+47 41 •• 45 67'],
    ['+358401234567', '+358 40 •••4567'],
    ['+447911123456', '+44 79•• ••3456'],
    ['+14155552671', '+1 41• ••• 2671'],
    // Five national digits: fewer are shown rather than none hidden.
    ['+50051234', '+500 ••234'],
  ])('masks %s as %s', (e164, masked) => {
    expect(maskPhone(e164)).toBe(masked);
  });

  it('hides one dot per digit and keeps the grouping of the national form', () => {
    const masked = maskPhone(SWEDISH_MOBILE);
    expect(masked.replace(/•/g, '0').replace(/[0-9]/g, '0')).toBe('000-000 00 00');
  });

  it.each([
    ['not a number', 'garbage', ''],
    ['a national number', '0701234567', '••••••4567'],
  ])('never shows more than the last four digits of %s', (_case, input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it('masks what parsePhone returns', () => {
    const result = parsePhone('070-123 45 67');
    expect(result.kind === 'ok' && maskPhone(result.e164)).toBe('070-••• 45 67');
  });
});
