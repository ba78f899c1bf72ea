// The 'max' metadata, not 'mobile': the mobile set only knows mobile patterns, so it cannot tell
// a valid landline ('not_mobile') from a mistyped mobile number ('format'), and the person needs
// to know which mistake they made. It costs about 15 kB more gzipped than 'mobile'.
import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import { formatPhone } from './phone-format';

export type PhoneResult =
  | { kind: 'ok'; e164: string }
  | { kind: 'invalid'; reason: 'format' | 'not_mobile' | 'country' };

// The longest sensible writing ('+46 (0)70 123 45 67' is 19) with room for odd spacing; bounds
// the work done on whatever a client sends before any regular expression runs.
const MAX_INPUT_LENGTH = 32;

// E.164 allows at most 15 digits after the '+'.
const MAX_E164_DIGITS = 15;

// What people type or what contact apps paste between digits: spaces (incl. NBSP, thin, figure
// and narrow no-break spaces), hyphens and Unicode dashes, dots, parentheses, and the invisible
// direction marks iOS wraps around a copied number.
const SEPARATORS =
  /[ \u00a0\u2000-\u200a\u202f.()\-\u2010-\u2015\u2212\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const CLEAN_NUMBER = /^\+?[0-9]+$/;

// Only these can receive an SMS; FIXED_LINE_OR_MOBILE is what North American and some other
// plans give every number, since there the ranges are shared.
const SMS_CAPABLE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

const SWEDEN_CALLING_CODE = '46';

// Swedish 071 is the M2M/telematics range (PTS): SIMs in alarms and meters that cannot be relied
// on to receive an SMS. Refused by prefix so a future metadata update that calls them MOBILE
// cannot let them in. libphonenumber keeps the trunk 0 when it cannot make sense of a number.
const SWEDISH_M2M = /^0?71/;

// Fresh objects each time, so a caller that changes a result cannot change the next one.
const FORMAT = (): PhoneResult => ({ kind: 'invalid', reason: 'format' });
const NOT_MOBILE = (): PhoneResult => ({ kind: 'invalid', reason: 'not_mobile' });

const COUNTRY = (): PhoneResult => ({ kind: 'invalid', reason: 'country' });

/**
 * Parses a number as Swedes write it; default region SE. Only numbers that can receive SMS
 * (mobile) are accepted. With `allowedCountries` (ISO 3166 codes), a valid mobile number of
 * another country is refused as 'country': SMS to far-away or premium ranges is how "SMS
 * pumping" fraud runs up a bill, and an organisation's staff have numbers from a few countries.
 */
export function parsePhone(
  input: string,
  defaultRegion: CountryCode = 'SE',
  allowedCountries?: readonly string[],
): PhoneResult {
  if (input.length > MAX_INPUT_LENGTH) return FORMAT();
  const cleaned = input.trim().replace(SEPARATORS, '');
  if (!CLEAN_NUMBER.test(cleaned)) return FORMAT();

  const parsed = parsePhoneNumberFromString(cleaned, {
    defaultCountry: defaultRegion,
    extract: false,
  });
  if (!parsed) return FORMAT();
  if (tookCallingCodeFromBareDigits(cleaned, parsed)) return FORMAT();
  if (parsed.number.length - 1 > MAX_E164_DIGITS) return FORMAT();

  // Satellite and international networks (+870, +881, +882, +883, ...) are refused whatever
  // libphonenumber calls them (it says MOBILE for +881): SMS delivery there is unreliable and
  // priced like premium rate.
  if (parsed.isNonGeographic()) return NOT_MOBILE();
  if (
    parsed.countryCallingCode === SWEDEN_CALLING_CODE &&
    SWEDISH_M2M.test(parsed.nationalNumber)
  ) {
    return NOT_MOBILE();
  }
  if (!parsed.isValid()) return FORMAT();

  const type = parsed.getType();
  if (type === undefined || !SMS_CAPABLE_TYPES.has(type)) return NOT_MOBILE();
  // The country of the number itself, not of its calling code: +47 is also Svalbard, +1 is
  // two dozen countries. A valid number always has one.
  if (allowedCountries && !allowedCountries.includes(parsed.country ?? '')) return COUNTRY();
  return { kind: 'ok', e164: parsed.number };
}

/**
 * Reads a comma-separated list of ISO 3166 alpha-2 codes (`SE,NO,DK,FI`), upper case and
 * without duplicates; null if it is empty or names a code libphonenumber does not know (a typo
 * such as `SV` or `UK` would otherwise refuse every number of the country meant).
 */
export function parseCountryList(raw: string): string[] | null {
  const codes = raw
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
  if (codes.length === 0) return null;
  if (!codes.every((code) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code))) return null;
  return [...new Set(codes)];
}

/**
 * A number someone can dial from their own phone (a support line: landlines count, mobile or
 * not), as E.164; null for anything else, such as an internal extension ("2000") that only
 * works inside the organisation's own telephone system.
 */
export function parseDialable(input: string, defaultRegion: CountryCode = 'SE'): string | null {
  if (input.length > MAX_INPUT_LENGTH) return null;
  const cleaned = input.trim().replace(SEPARATORS, '');
  if (!CLEAN_NUMBER.test(cleaned)) return null;
  const parsed = parsePhoneNumberFromString(cleaned, {
    defaultCountry: defaultRegion,
    extract: false,
  });
  if (!parsed || tookCallingCodeFromBareDigits(cleaned, parsed) || !parsed.isValid()) return null;
  return parsed.number;
}

/**
 * libphonenumber reads '46701234567' as +46 70 123 45 67 when it is not a valid national
 * number. That guess is ambiguous ('4741234567' is Norwegian +47 or Swedish 0474-…), so a
 * number without '+' or an international prefix must be in national form. In North America
 * this also asks for '+1', since there the trunk prefix and the calling code are both 1.
 */
function tookCallingCodeFromBareDigits(cleaned: string, parsed: PhoneNumber): boolean {
  if (cleaned.startsWith('+')) return false;
  const national = parsed.nationalNumber;
  if (!cleaned.endsWith(national)) return false;
  return cleaned.slice(0, cleaned.length - national.length) === parsed.countryCallingCode;
}

const HIDDEN = '•';
const SHOWN_LEADING = 2;
const SHOWN_TRAILING = 4;
// Short national numbers (some small countries have 5–7 digits) would otherwise be shown whole.
const MIN_HIDDEN = 2;

/**
 * Masks for display: keeps the country code (for a Swedish number its trunk 0), the first two
 * digits of the national number and the last four; each hidden digit becomes '•' one for one,
 * keeping the grouping of the form a person reads (`070-••• 45 67`, `+47 47 •• 34 56`).
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164, { extract: false });
  if (!parsed) return maskAllButLast(e164);
  const swedish = parsed.countryCallingCode === SWEDEN_CALLING_CODE;
  const shown = swedish ? formatPhone(parsed.number) : '';
  const national = swedish && shown.startsWith('0');
  const countryPart = national ? '0' : `+${parsed.countryCallingCode}`;
  const formatted = national ? shown : parsed.formatInternational();
  if (!formatted.startsWith(countryPart)) return maskAllButLast(e164);

  // Count the digits as printed rather than nationalNumber: some formats insert digits
  // (Argentina's mobile '9').
  const nationalPart = formatted.slice(countryPart.length);
  const total = nationalPart.replace(/[^0-9]/g, '').length;
  const trailing = Math.min(SHOWN_TRAILING, Math.max(0, total - MIN_HIDDEN));
  const leading = Math.min(SHOWN_LEADING, Math.max(0, total - MIN_HIDDEN - trailing));

  let index = 0;
  let masked = '';
  for (const char of nationalPart) {
    if (char < '0' || char > '9') {
      masked += char;
      continue;
    }
    masked += index < leading || index >= total - trailing ? char : HIDDEN;
    index += 1;
  }
  return countryPart + masked;
}

// Only reached for something that is not an E.164 number (a stored value gone wrong); it
// still must not show more than the designed mask would.
function maskAllButLast(value: string): string {
  const digits = value.replace(/[^0-9]/g, '');
  const trailing = Math.min(SHOWN_TRAILING, Math.max(0, digits.length - MIN_HIDDEN));
  return HIDDEN.repeat(digits.length - trailing) + digits.slice(digits.length - trailing);
}
