import { describe, expect, it } from 'vitest';
import {
  birthDigits,
  looksLikePersonnummer,
  luhnValid,
  maskPersonnummer,
  maskPersonnummerStart,
  parsePersonnummer,
  personnummerPrefixes,
} from '../../worker/domain/personnummer';

// Midday in Stockholm, so the Swedish and the UTC date agree unless a test says otherwise.
const TODAY = new Date('2026-05-15T10:00:00Z');

/**
 * The check digit computed another way than the module does (weights 2, 1, 2, … from the left
 * over nine digits, digit sums of the products), so a shared mistake cannot pass both.
 */
function withCheckDigit(nineDigits: string): string {
  const sum = [...nineDigits]
    .map((digit, i) => Number(digit) * (i % 2 === 0 ? 2 : 1))
    .flatMap((product) => [...String(product)].map(Number))
    .reduce((a, b) => a + b, 0);
  return `${nineDigits}${(10 - (sum % 10)) % 10}`;
}

/** A Luhn-valid 10-digit number `YYMMDD` + `NNN` + check digit, split as `[yymmdd, nnnc]`. */
function valid(yymmdd: string, nnn = '123'): [string, string] {
  const ten = withCheckDigit(`${yymmdd}${nnn}`);
  return [ten.slice(0, 6), ten.slice(6)];
}

describe('the test helper', () => {
  it.each([
    ['811228987', '8112289874'],
    ['670919953', '6709199530'],
    ['701063239', '7010632391'],
    ['121212121', '1212121212'],
  ])('agrees with the published check digit of %s', (nine, ten) => {
    expect(withCheckDigit(nine)).toBe(ten);
  });
});

describe('parsePersonnummer', () => {
  it.each([
    ['10 digits with a hyphen', '811228-9874'],
    ['10 digits without a separator', '8112289874'],
    ['12 digits with a hyphen', '19811228-9874'],
    ['12 digits without a separator', '198112289874'],
    ['surrounding spaces', '  811228-9874  '],
    ['a tab and a newline around it', '\t19811228-9874\n'],
    ['a no-break space around it', '\u00a0811228-9874\u00a0'],
  ])('reads %s', (_name, input) => {
    expect(parsePersonnummer(input, TODAY)).toEqual({
      ok: true,
      value: {
        canonical: '198112289874',
        coordination: false,
        birthDate: '1981-12-28',
        masked: '198112••-••••',
      },
    });
  });

  it.each([
    ['670919-9530', '196709199530', '1967-09-19', '196709••-••••'],
    ['19121212-1212', '191212121212', '1912-12-12', '191212••-••••'],
    ['121212-1212', '201212121212', '2012-12-12', '201212••-••••'],
    ['121212+1212', '191212121212', '1912-12-12', '191212••-••••'],
    ['1212121212', '201212121212', '2012-12-12', '201212••-••••'],
  ])('reads the known number %s', (input, canonical, birthDate, masked) => {
    expect(parsePersonnummer(input, TODAY)).toEqual({
      ok: true,
      value: { canonical, coordination: false, birthDate, masked },
    });
  });

  it('shows only the year and month, hiding the day and the last four digits', () => {
    const [date, last] = valid('850612');
    const result = parsePersonnummer(`${date}-${last}`, TODAY);
    expect(result).toMatchObject({ ok: true, value: { masked: '198506••-••••' } });
    if (result.ok) {
      expect(result.value.masked).not.toContain(last);
      expect(result.value.masked).not.toContain('0612');
    }
  });

  it('remasks a stored mask of the older form that showed the day', () => {
    expect(maskPersonnummer('19850612-••••')).toBe('198506••-••••');
    expect(maskPersonnummer('19701063-••••')).toBe('197010••-••••');
    expect(maskPersonnummer('198506••-••••')).toBe('198506••-••••');
  });

  it('masks a typed start for the audit log with one dot per digit after the date', () => {
    expect(maskPersonnummerStart('19850612')).toBe('198506••');
    expect(maskPersonnummerStart('1985061212')).toBe('198506••-••');
    expect(maskPersonnummerStart('198506121238')).toBe('198506••-••••');
  });

  describe('samordningsnummer', () => {
    it('reads the known number 701063-2391 with the real birth date', () => {
      expect(parsePersonnummer('701063-2391', TODAY)).toEqual({
        ok: true,
        value: {
          canonical: '197010632391',
          coordination: true,
          birthDate: '1970-10-03',
          masked: '197010••-••••',
        },
      });
    });

    it.each([
      ['the first day of a month (61)', '850161', '1985-01-01'],
      ['the 31st of January (91)', '850191', '1985-01-31'],
      ['the 30th of April (90)', '850490', '1985-04-30'],
      ['the 29th of February in a leap year (89)', '840289', '1984-02-29'],
      ['the 12th of June (72)', '850672', '1985-06-12'],
    ])('accepts %s', (_name, yymmdd, birthDate) => {
      const [date, last] = valid(yymmdd);
      const result = parsePersonnummer(`${date}-${last}`, TODAY);
      expect(result).toEqual({
        ok: true,
        value: {
          canonical: `19${date}${last}`,
          coordination: true,
          birthDate,
          masked: `19${date.slice(0, 4)}••-••••`,
        },
      });
    });

    it('reads the 12-digit form and masks it to year and month', () => {
      const [date, last] = valid('850672');
      expect(parsePersonnummer(`19${date}${last}`, TODAY)).toMatchObject({
        ok: true,
        value: { coordination: true, birthDate: '1985-06-12', masked: '198506••-••••' },
      });
    });

    it.each([
      ['day 92', '850192'],
      ['day 60 (day 0)', '850160'],
      ['the 31st of April (91)', '850491'],
      ['the 29th of February in a common year (89)', '850289'],
      ['the 30th of February (90)', '840290'],
      ['day 99', '850199'],
    ])('refuses %s as a date', (_name, yymmdd) => {
      const [date, last] = valid(yymmdd);
      expect(parsePersonnummer(`${date}-${last}`, TODAY)).toEqual({ ok: false, reason: 'date' });
    });
  });

  describe('calendar', () => {
    it.each([
      ['the 29th of February 2000 (divisible by 400)', '20000229'],
      ['the 29th of February 2024', '20240229'],
      ['the 29th of February 1904', '19040229'],
      ['the 31st of December', '19991231'],
      ['the 1st of January', '19990101'],
      ['the 30th of April', '19990430'],
      ['the 31st of August', '19990831'],
    ])('accepts %s', (_name, yyyymmdd) => {
      const [date, last] = valid(yyyymmdd.slice(2));
      expect(parsePersonnummer(`${yyyymmdd.slice(0, 2)}${date}-${last}`, TODAY)).toMatchObject({
        ok: true,
        value: {
          birthDate: `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}`,
        },
      });
    });

    it.each([
      ['the 29th of February 1900 (a century not divisible by 400)', '19000229'],
      ['the 29th of February 2023', '20230229'],
      ['the 30th of February', '19840230'],
      ['the 31st of April', '19990431'],
      ['the 31st of June', '19990631'],
      ['the 31st of September', '19990931'],
      ['the 31st of November', '19991131'],
      ['month 13', '19991301'],
      ['month 00', '19990001'],
      ['day 00', '19990100'],
      ['day 32', '19990132'],
      ['day 45 (between real days and samordningsnummer)', '19990145'],
      ['a year before 1800', '17991231'],
    ])('refuses %s', (_name, yyyymmdd) => {
      const [date, last] = valid(yyyymmdd.slice(2));
      expect(parsePersonnummer(`${yyyymmdd.slice(0, 2)}${date}-${last}`, TODAY)).toEqual({
        ok: false,
        reason: 'date',
      });
    });

    it('places 000229+ in 1900, which had no 29th of February', () => {
      const [date, last] = valid('000229');
      expect(parsePersonnummer(`${date}+${last}`, TODAY)).toEqual({ ok: false, reason: 'date' });
      expect(parsePersonnummer(`${date}-${last}`, TODAY)).toMatchObject({
        ok: true,
        value: { birthDate: '2000-02-29' },
      });
    });

    it('reports an impossible date before a wrong check digit', () => {
      expect(parsePersonnummer('811232-9874', TODAY)).toEqual({ ok: false, reason: 'date' });
    });
  });

  describe('century of a 10-digit number', () => {
    it.each([
      ['this year, before today', '260101', '-', '2026-01-01'],
      ['today', '260515', '-', '2026-05-15'],
      ['last year', '251231', '-', '2025-12-31'],
      ['a year ending above this one', '270101', '-', '1927-01-01'],
      ['99', '991231', '-', '1999-12-31'],
      ['00', '000101', '-', '2000-01-01'],
      ['+ for this year', '260101', '+', '1926-01-01'],
      ['+ for a year ending above this one', '270101', '+', '1827-01-01'],
      ['+ for 12', '121212', '+', '1912-12-12'],
      ['no separator, like -', '270101', '', '1927-01-01'],
    ])('places %s', (_name, yymmdd, separator, birthDate) => {
      const [date, last] = valid(yymmdd);
      expect(parsePersonnummer(`${date}${separator}${last}`, TODAY)).toMatchObject({
        ok: true,
        value: { birthDate, canonical: `${birthDate.slice(0, 2)}${yymmdd}${last}` },
      });
    });

    it('refuses a birth date later this year rather than moving it a century back', () => {
      const [date, last] = valid('260516');
      expect(parsePersonnummer(`${date}-${last}`, TODAY)).toEqual({ ok: false, reason: 'date' });
      expect(parsePersonnummer(`${date}+${last}`, TODAY)).toMatchObject({
        ok: true,
        value: { birthDate: '1926-05-16' },
      });
    });

    it('follows the reference date it is given', () => {
      const [date, last] = valid('300101');
      expect(parsePersonnummer(`${date}-${last}`, new Date('2029-06-01T12:00:00Z'))).toMatchObject({
        ok: true,
        value: { birthDate: '1930-01-01' },
      });
      expect(parsePersonnummer(`${date}-${last}`, new Date('2030-06-01T12:00:00Z'))).toMatchObject({
        ok: true,
        value: { birthDate: '2030-01-01' },
      });
    });

    it('uses the Swedish date: just after midnight in Stockholm is already the next day', () => {
      // 22:30 UTC on the 15th of May is 00:30 on the 16th in Stockholm (summer time).
      const lateEvening = new Date('2026-05-15T22:30:00Z');
      const [date, last] = valid('260516');
      expect(parsePersonnummer(`${date}-${last}`, lateEvening)).toMatchObject({
        ok: true,
        value: { birthDate: '2026-05-16' },
      });
    });

    it("uses the Swedish year on New Year's night", () => {
      // 23:30 UTC on the 31st of December is 00:30 on the 1st of January in Stockholm.
      const newYearsNight = new Date('2026-12-31T23:30:00Z');
      const [date, last] = valid('270101');
      expect(parsePersonnummer(`${date}-${last}`, newYearsNight)).toMatchObject({
        ok: true,
        value: { birthDate: '2027-01-01' },
      });
    });

    it('uses the current date when none is given', () => {
      expect(parsePersonnummer('811228-9874')).toMatchObject({
        ok: true,
        value: { canonical: '198112289874' },
      });
    });
  });

  describe('future birth dates', () => {
    it.each([
      ['tomorrow, 12 digits', '20260516'],
      ['next year, 12 digits', '20270101'],
      ['far ahead', '20991231'],
    ])('refuses %s', (_name, yyyymmdd) => {
      const [date, last] = valid(yyyymmdd.slice(2));
      expect(parsePersonnummer(`${yyyymmdd.slice(0, 2)}${date}${last}`, TODAY)).toEqual({
        ok: false,
        reason: 'date',
      });
    });

    it('refuses a samordningsnummer whose real date is tomorrow', () => {
      const [date, last] = valid('260576');
      expect(parsePersonnummer(`20${date}${last}`, TODAY)).toEqual({ ok: false, reason: 'date' });
    });
  });

  describe('check digit', () => {
    it.each([
      ['the last digit off by one', '811228-9875'],
      ['the last digit off by one, 12 digits', '198112289873'],
      ['two digits swapped', '811228-9847'],
      ['a serial digit changed', '811228-9774'],
      ['a date digit changed (still a date)', '811227-9874'],
      ['a samordningsnummer with a wrong digit', '701063-2392'],
    ])('refuses %s', (_name, input) => {
      expect(parsePersonnummer(input, TODAY)).toEqual({ ok: false, reason: 'checksum' });
    });

    it('checks the 10 digits only, so the century does not take part', () => {
      expect(parsePersonnummer('18811228-9874', TODAY)).toMatchObject({
        ok: true,
        value: { canonical: '188112289874', birthDate: '1881-12-28' },
      });
    });

    it('accepts every check digit the independent helper computes', () => {
      for (const nnn of ['000', '001', '123', '456', '789', '999']) {
        const [date, last] = valid('850612', nnn);
        expect(parsePersonnummer(`${date}-${last}`, TODAY).ok).toBe(true);
        const wrong = `${last.slice(0, 3)}${(Number(last[3]) + 1) % 10}`;
        expect(parsePersonnummer(`${date}-${wrong}`, TODAY)).toEqual({
          ok: false,
          reason: 'checksum',
        });
      }
    });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['letters', 'abcdef-ghij'],
    ['a letter among the digits', '811228-98x4'],
    ['a trailing letter', '8112289874x'],
    ['a space as separator', '811228 9874'],
    ['a slash as separator', '811228/9874'],
    ['an en dash as separator', '811228\u20139874'],
    ['two hyphens', '811228--9874'],
    ['a hyphen in the wrong place', '81122-89874'],
    ['a hyphen in the wrong place, 12 digits', '1981122-89874'],
    ['hyphens in the date', '1981-12-28-9874'],
    ['a trailing hyphen', '811228-9874-'],
    ['a leading plus', '+8112289874'],
    ['+ with 12 digits', '19811228+9874'],
    ['+ with 12 digits, 1912', '19121212+1212'],
    ['9 digits', '811228-987'],
    ['11 digits', '81122898741'],
    ['13 digits', '1981122898741'],
    ['the date only', '811228'],
    ['full-width digits', '８１１２２８-９８７４'],
    ['Arabic-Indic digits', '٨١١٢٢٨-٩٨٧٤'],
    ['a space inside', '8112 28-9874'],
    ['an e-mail address', 'ake@example.se'],
  ])('refuses the format of %s', (_name, input) => {
    expect(parsePersonnummer(input, TODAY)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('looksLikePersonnummer', () => {
  it.each([
    ['811228-9874'],
    ['811228+9874'],
    ['8112289874'],
    ['19811228-9874'],
    ['198112289874'],
    [' 811228-9874 '],
    ['811228-9875'],
    ['701063-2391'],
  ])('sends %j to the blind index', (input) => {
    expect(looksLikePersonnummer(input)).toBe(true);
  });

  it.each([
    [''],
    ['811228'],
    ['811228-'],
    ['811228-98'],
    ['19811228'],
    ['19811228+9874'],
    ['811228 9874'],
    ['Åke Öberg'],
    ['SE2321000131-E1'],
    ['hemtjanstab'],
    ['81122898741'],
  ])('does not send %j to the blind index', (input) => {
    expect(looksLikePersonnummer(input)).toBe(false);
  });
});

describe('luhnValid', () => {
  it.each([
    ['8112289874', true],
    ['2321000131', true],
    ['0', true],
    ['18', true],
    ['8112289875', false],
    ['', false],
    ['12a4', false],
  ])('judges %j', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });
});

describe('personnummerPrefixes: the start of a number, from the birth date on', () => {
  const canonicalPrefixes = (input: string) =>
    personnummerPrefixes(input, TODAY).map((p) => p.canonicalPrefix);

  it.each([
    ['YYYYMMDD', '19850612', ['19850612']],
    ['YYYYMMDD and a hyphen', '19850612-', ['19850612']],
    ['YYYYMMDD and two digits', '19850612-12', ['1985061212']],
    ['YYYYMMDD and three digits, no hyphen', '19850612123', ['19850612123']],
    ['YYMMDD: both centuries', '850612', ['19850612', '18850612']],
    ['YYMMDD and a hyphen: under 100', '850612-', ['19850612']],
    ['YYMMDD and a plus: 100 or older', '850612+', ['18850612']],
    ['YYMMDD and digits after the hyphen', '850612-123', ['19850612123']],
    ['YYMMDD of this century', '100101', ['20100101', '19100101']],
    ['a samordningsnummer (day + 60)', '701063', ['19701063', '18701063']],
    ['a samordningsnummer with its century', '19701063-2', ['197010632']],
  ])('reads %s', (_name, input, expected) => {
    expect(canonicalPrefixes(input).sort()).toEqual([...expected].sort());
  });

  it('keeps every reading of eight digits that is a real date', () => {
    // 1985-06-12 with its century, or 85-06-12 and two more digits (8506 is no month).
    expect(canonicalPrefixes('85061212').sort()).toEqual(['1885061212', '1985061212']);
    expect(canonicalPrefixes('19850612')).toEqual(['19850612']);
  });

  it('gives the birth date as the number writes it, the key of the index', () => {
    expect(personnummerPrefixes('19701063-23', TODAY)).toEqual([
      { birthDigits: '19701063', canonicalPrefix: '1970106323' },
    ]);
    expect(birthDigits('198506121238')).toBe('19850612');
  });

  it.each([
    ['too short', '8506'],
    ['five digits', '85061'],
    ['no such month', '19851312'],
    ['no such day', '19850230'],
    ['a samordningsnummer day beyond the month', '19850292'],
    ['a date in the future', '20991231'],
    ['before 1800', '17991231'],
    ['a plus after a four-digit year', '19850612+'],
    ['letters', '8506ab'],
    ['too many digits after the date', '850612-12345'],
    ['spaces inside', '850612 12'],
    ['empty', ''],
  ])('refuses %s', (_name, input) => {
    expect(personnummerPrefixes(input, TODAY)).toEqual([]);
  });

  it('takes the century from today: the 2000s only once they have come', () => {
    // On 2026-05-15 "260515" may be today (2026) or 1926; "260516" only 1926.
    expect(canonicalPrefixes('260515').sort()).toEqual(['19260515', '20260515']);
    expect(canonicalPrefixes('260516')).toEqual(['19260516']);
  });
});
