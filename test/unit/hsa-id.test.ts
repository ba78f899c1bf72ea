import { describe, expect, it } from 'vitest';
import { looksLikeHsaIdPrefix, parseHsaId } from '../../worker/domain/hsa-id';

describe('parseHsaId', () => {
  it.each([
    ['a VGR id', 'SE2321000131-E000000000001', 'SE2321000131-E000000000001'],
    ['a Region Stockholm id', 'SE2321000016-15CQ', 'SE2321000016-15CQ'],
    ['an Inera id', 'SE5565594230-B8N', 'SE5565594230-B8N'],
    ['the 16 prefix (12 digits)', 'SE162321000255-O12345', 'SE162321000255-O12345'],
    ['lower case', 'se2321000131-e000000000001', 'SE2321000131-E000000000001'],
    ['mixed case', 'Se2321000131-aBc1', 'SE2321000131-ABC1'],
    ['surrounding spaces', '  SE2321000131-E1 \n', 'SE2321000131-E1'],
    ['a one-character local part', 'SE2321000131-1', 'SE2321000131-1'],
    [
      'a 31-character local part',
      `SE2321000131-${'A'.repeat(31)}`,
      `SE2321000131-${'A'.repeat(31)}`,
    ],
    ['a local part of digits only', 'SE2321000016-1234', 'SE2321000016-1234'],
  ])('accepts %s', (_name, input, value) => {
    expect(parseHsaId(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['Region Stockholm', '2321000016'],
    ['Västra Götalandsregionen', '2321000131'],
    ['Region Skåne', '2321000255'],
    ['Region Uppsala', '2321000024'],
    ['Inera AB', '5565594230'],
    ['Stockholms stad', '2120000142'],
    ['Malmö stad', '2120001124'],
    ['Göteborgs stad', '2120001355'],
  ])('accepts the organisation number of %s (it passes Luhn)', (_name, org) => {
    expect(parseHsaId(`SE${org}-X1`)).toEqual({ ok: true, value: `SE${org}-X1` });
  });

  it('keeps the 16 prefix as written, since the id is matched as a whole string', () => {
    expect(parseHsaId('SE162321000255-O1')).toEqual({ ok: true, value: 'SE162321000255-O1' });
    expect(parseHsaId('SE2321000255-O1')).toEqual({ ok: true, value: 'SE2321000255-O1' });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['no local part', 'SE2321000131'],
    ['an empty local part', 'SE2321000131-'],
    ['a 32-character local part', `SE2321000131-${'A'.repeat(32)}`],
    ['a wrong check digit in the organisation number', 'SE2321000132-E1'],
    ['a wrong check digit after 16', 'SE162321000256-O1'],
    ['12 digits not starting with 16', 'SE172321000255-O1'],
    ['9 digits', 'SE232100013-E1'],
    ['11 digits', 'SE23210001311-E1'],
    ['13 digits', 'SE1623210002551-E1'],
    ['another country', 'NO2321000131-E1'],
    ['no country', '2321000131-E1'],
    ['an underscore instead of the hyphen', 'SE2321000131_E1'],
    ['a space before the hyphen', 'SE2321000131 -E1'],
    ['a hyphen in the organisation number', 'SE232100-0131-E1'],
    ['a second hyphen', 'SE2321000131-E-1'],
    ['a space in the local part', 'SE2321000131-E 1'],
    ['Å in the local part', 'SE2321000131-ÅB'],
    ['ß, which upper-cases to SS', 'SE2321000131-ß'],
    ['the long s, which upper-cases to S', 'SE2321000131-\u017f1'],
    ['the Kelvin sign, which lower-cases to k', 'SE2321000131-\u212a1'],
    ['full-width SE', 'ＳＥ2321000131-E1'],
    ['full-width digits', 'SE２３２１０００１３１-E1'],
    ['a personnummer', '811228-9874'],
  ])('refuses %s', (_name, input) => {
    expect(parseHsaId(input)).toEqual({ ok: false });
  });
});

describe('looksLikeHsaIdPrefix', () => {
  it.each([['SE2'], ['se2'], ['sE23210'], [' SE2321000131'], ['SE2321000131-E1'], ['SE16']])(
    'searches HSA-ids for %j',
    (input) => {
      expect(looksLikeHsaIdPrefix(input)).toBe(true);
    },
  );

  it.each([
    [''],
    ['S'],
    ['SE'],
    ['SE '],
    ['SEA'],
    ['Sven'],
    ['Selma Lagerlöf'],
    ['ESE2'],
    ['2321000131'],
    ['ＳＥ2'],
  ])('does not search HSA-ids for %j', (input) => {
    expect(looksLikeHsaIdPrefix(input)).toBe(false);
  });
});
