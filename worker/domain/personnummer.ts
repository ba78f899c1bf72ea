/**
 * Swedish personal identity numbers (personnummer, Skatteverket SKV 704) and coordination
 * numbers (samordningsnummer, SKV 707). Pure, so the web app checks a number as it is typed
 * with the same rules the worker applies before it computes the blind index.
 */

export interface Personnummer {
  /** 12 digits, YYYYMMDDNNNC: the one form the blind index is computed over. */
  canonical: string;
  /** A samordningsnummer: its day is written 60 higher than the real one. */
  coordination: boolean;
  /** The real birth date, YYYY-MM-DD (without the 60 of a samordningsnummer). */
  birthDate: string;
  /** For screens and logs: year and month only (`198506••-••••`), see maskPersonnummer. */
  masked: string;
}

export type PnrResult =
  | { ok: true; value: Personnummer }
  | { ok: false; reason: 'format' | 'date' | 'checksum' };

/** YYMMDD, then `-` (under 100 this year), `+` (100 or older) or nothing, then NNNC. */
const SHORT_FORM = /^(\d{2})(\d{4})([-+]?)(\d{4})$/;
/**
 * YYYYMMDD, then `-` or nothing, then NNNC. No `+`: with the century written out it would say
 * nothing, and a number that carries both is more likely mistyped than meant.
 */
const LONG_FORM = /^(\d{4})(\d{4})-?(\d{4})$/;

/** Skatteverket adds 60 to the day of a samordningsnummer (SKV 707). */
const COORDINATION_DAY_OFFSET = 60;

/*
 * Nobody alive when personnummer were introduced in 1947 was born before 1800; an earlier
 * year in a 12-digit number is a typo, not a person.
 */
const EARLIEST_BIRTH_YEAR = 1800;

const FORMAT = (): PnrResult => ({ ok: false, reason: 'format' });
const DATE = (): PnrResult => ({ ok: false, reason: 'date' });
const CHECKSUM = (): PnrResult => ({ ok: false, reason: 'checksum' });

/**
 * Parses a personnummer or samordningsnummer in any of the forms Skatteverket and people write.
 * A 10-digit number gets its century from `today`: the separator `-` (or none) means under 100
 * in `today`'s year, `+` means 100 or older (Skatteverket switches the separator in the year
 * the person turns 100).
 */
export function parsePersonnummer(input: string, today: Date = new Date()): PnrResult {
  const text = input.trim();
  const short = SHORT_FORM.exec(text);
  const long = short ? null : LONG_FORM.exec(text);
  if (!short && !long) return FORMAT();
  const now = swedishToday(today);

  let year: number;
  let monthDay: string;
  let serial: string;
  if (short) {
    const [, yy = '', md = '', separator = '', nnnc = ''] = short;
    year = centuryYear(Number(yy), now.year, separator === '+');
    monthDay = md;
    serial = nnnc;
  } else {
    const [, yyyy = '', md = '', nnnc = ''] = long ?? [];
    year = Number(yyyy);
    monthDay = md;
    serial = nnnc;
  }

  const month = Number(monthDay.slice(0, 2));
  const writtenDay = Number(monthDay.slice(2));
  const coordination = writtenDay > COORDINATION_DAY_OFFSET;
  const day = coordination ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  if (year < EARLIEST_BIRTH_YEAR || !isDate(year, month, day)) return DATE();

  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  // YYYY-MM-DD strings with four-digit years compare like the dates they name.
  if (birthDate > now.iso) return DATE();

  const yearDigits = pad(year, 4);
  const tenDigits = `${yearDigits.slice(2)}${monthDay}${serial}`;
  if (!luhnValid(tenDigits)) return CHECKSUM();

  return {
    ok: true,
    value: {
      canonical: `${yearDigits}${monthDay}${serial}`,
      coordination,
      birthDate,
      masked: maskPersonnummer(`${yearDigits}${monthDay}${serial}`),
    },
  };
}

/** The mask's hidden digit. */
const HIDDEN = '•';

/**
 * The form a screen, a list or a log shows: the year and month of the 12-digit form, the day
 * and the last four hidden (`198506••-••••`). The day is hidden too because with it, the check
 * digit following from the rest leaves at most 1,000 candidates (half that when the sex digit
 * can be guessed from the name), few enough to try one by one against a search. Also remasks a stored mask of the older, longer form
 * (`19850612-••••`): only its first six characters are read.
 */
export function maskPersonnummer(canonical: string): string {
  return `${canonical.slice(0, 6)}${HIDDEN.repeat(2)}-${HIDDEN.repeat(4)}`;
}

/**
 * The masked form of a typed personnummer start (12-digit form, `YYYYMMDD` and up to four
 * more digits), for an audit entry: year and month, then one hidden digit per digit typed.
 */
export function maskPersonnummerStart(canonicalPrefix: string): string {
  const rest = canonicalPrefix.length - 8;
  return `${canonicalPrefix.slice(0, 6)}${HIDDEN.repeat(2)}${rest > 0 ? `-${HIDDEN.repeat(rest)}` : ''}`;
}

/**
 * Whether a search text is shaped like a whole personnummer (the forms `parsePersonnummer`
 * reads), so a search can go to the blind index, which only finds exact numbers.
 */
export function looksLikePersonnummer(input: string): boolean {
  const text = input.trim();
  return SHORT_FORM.test(text) || LONG_FORM.test(text);
}

/**
 * The start of a personnummer as a search may type it: the birth date as written in the number
 * (the day 60 higher in a samordningsnummer), `YYYYMMDD` or `YYMMDD`, then optionally the
 * separator and up to four more digits. Without its century a date can mean more than one
 * year: `-` (or none) reads it as this century's rule does, `+` as 100 or older, and with no
 * separator both are tried. Without the separator the digits are also ambiguous (`85061212` is
 * `YYMMDD` and two more, `19850612` a date with its century), so every reading that is a real
 * date, not in the future, is kept.
 */
export interface PnrPrefix {
  /** `YYYYMMDD` as the 12-digit form writes it: the key the birth-date index is made over. */
  birthDigits: string;
  /** The 12-digit form's start that a match must have: `birthDigits` and the digits after. */
  canonicalPrefix: string;
}

const PREFIX_WITH_SEPARATOR = /^(\d{6}|\d{8})([-+])(\d{0,4})$/;
const PREFIX_DIGITS = /^\d{6,12}$/;

/** The readings of a typed personnummer start; empty when it cannot be one. */
export function personnummerPrefixes(input: string, today: Date = new Date()): PnrPrefix[] {
  const text = input.trim();
  const now = swedishToday(today);
  const readings: { date: string; separator: string; rest: string }[] = [];
  const separated = PREFIX_WITH_SEPARATOR.exec(text);
  if (separated) {
    const [, date = '', separator = '', rest = ''] = separated;
    // A `+` after a date with its century says nothing and is refused, as in a whole number.
    if (date.length === 8 && separator === '+') return [];
    readings.push({ date, separator, rest });
  } else if (PREFIX_DIGITS.test(text)) {
    if (text.length <= 10)
      readings.push({ date: text.slice(0, 6), separator: '', rest: text.slice(6) });
    if (text.length >= 8)
      readings.push({ date: text.slice(0, 8), separator: '', rest: text.slice(8) });
  }
  const found = new Map<string, PnrPrefix>();
  for (const { date, separator, rest } of readings) {
    const years =
      date.length === 8
        ? [Number(date.slice(0, 4))]
        : centuryCandidates(Number(date.slice(0, 2)), now.year, separator);
    const monthDay = date.slice(-4);
    for (const year of years) {
      if (!writtenDateValid(year, monthDay, now.iso)) continue;
      const birthDigits = `${pad(year, 4)}${monthDay}`;
      const canonicalPrefix = `${birthDigits}${rest}`;
      found.set(canonicalPrefix, { birthDigits, canonicalPrefix });
    }
  }
  return [...found.values()];
}

/** `YYYYMMDD` of a 12-digit canonical personnummer: the key of the birth-date index. */
export function birthDigits(canonical: string): string {
  return canonical.slice(0, 8);
}

/** The years a two-digit year can mean: `-` under 100, `+` 100 or older, nothing either. */
function centuryCandidates(yy: number, referenceYear: number, separator: string): number[] {
  const recent = centuryYear(yy, referenceYear, false);
  if (separator === '-') return [recent];
  if (separator === '+') return [recent - 100];
  return [recent, recent - 100];
}

/** Whether `MMDD` (the day possibly 60 higher) in `year` is a birth date a number can have. */
function writtenDateValid(year: number, monthDay: string, todayIso: string): boolean {
  const month = Number(monthDay.slice(0, 2));
  const writtenDay = Number(monthDay.slice(2));
  const day =
    writtenDay > COORDINATION_DAY_OFFSET ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  if (year < EARLIEST_BIRTH_YEAR || !isDate(year, month, day)) return false;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` <= todayIso;
}

/**
 * The Luhn (mod 10) check over a string of digits, the last one being the check digit: the
 * check of personnummer, samordningsnummer and organisation numbers alike.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  // Weights 1, 2, 1, 2, … from the check digit leftwards.
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The most recent year ending in `yy` not after `referenceYear`; with `plus`, a century before. */
function centuryYear(yy: number, referenceYear: number, plus: boolean): number {
  const year = referenceYear - ((((referenceYear - yy) % 100) + 100) % 100);
  return plus ? year - 100 : year;
}

function isDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    // Gregorian: every fourth year, except centuries not divisible by 400 (1900 was not leap).
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

let stockholmDate: Intl.DateTimeFormat | undefined;

/*
 * Birth dates are Swedish calendar days: a child born just after midnight in Stockholm has a
 * valid number while UTC still says yesterday.
 */
function swedishToday(today: Date): { year: number; iso: string } {
  stockholmDate ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const parts = stockholmDate.formatToParts(today);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  const year = part('year');
  return { year, iso: `${pad(year, 4)}-${pad(part('month'), 2)}-${pad(part('day'), 2)}` };
}
