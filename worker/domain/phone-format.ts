/**
 * Phone numbers as a person reads them. Stored and sent as E.164 (`+46701234567`); shown in
 * Swedish national form (`070-123 45 67`: trunk 0 and area code or mobile prefix, a hyphen,
 * then the subscriber number in groups) and any other number in international form with the
 * country code set apart (`+47 47123456`).
 *
 * Hand-written and dependency-free on purpose: the mailbox screens load this on the first
 * screen, whose budget cannot carry libphonenumber's metadata (about 28 KB gzipped even as
 * `min`). A unit test holds the Swedish rule to libphonenumber's own national format.
 */

// Swedish area codes are one digit (8, Stockholm), two digits for the larger places, the
// mobile and the non-geographic 010/020 ranges, and three digits everywhere else (PTS's plan).
const SWEDISH_TWO_DIGIT_CODE = /^(?:1[013689]|2[0136]|3[1356]|4[0246]|54|6[03]|7\d|90[1-9])/;

// ITU calling codes are 1–3 digits and prefix-free: these are the one- and two-digit ones;
// everything else has three.
const CALLING_CODE = /^(?:1|7|2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58]|\d{3})/;

const E164 = /^\+[1-9]\d{6,14}$/;

/** The subscriber part in pairs from the right, a group of three first when the count is odd. */
function groupSubscriber(digits: string): string {
  // Eight digits (Stockholm's longest numbers) are read 3-3-2, as the telephone plan prints them.
  if (digits.length === 8) return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  const head = digits.length % 2 === 1 ? 3 : 2;
  const groups = [digits.slice(0, head)];
  for (let i = head; i < digits.length; i += 2) groups.push(digits.slice(i, i + 2));
  return groups.join(' ');
}

function swedishNational(national: string): string | null {
  const codeLength = national.startsWith('8') ? 1 : SWEDISH_TWO_DIGIT_CODE.test(national) ? 2 : 3;
  const subscriber = national.slice(codeLength);
  // Outside what the plan uses for people's numbers (service and M2M ranges): no guessing.
  if (subscriber.length < 4 || subscriber.length > 8) return null;
  return `0${national.slice(0, codeLength)}-${groupSubscriber(subscriber)}`;
}

/**
 * `+46701234567` → `070-123 45 67`; `+4747123456` → `+47 47123456`. Anything that is not
 * E.164 is returned as it was, so a stored value gone wrong is still shown, not hidden.
 */
export function formatPhone(e164: string): string {
  if (!E164.test(e164)) return e164;
  const digits = e164.slice(1);
  if (digits.startsWith('46')) {
    const national = swedishNational(digits.slice(2));
    if (national) return national;
  }
  const code = CALLING_CODE.exec(digits)?.[0] ?? '';
  return `+${code} ${digits.slice(code.length)}`;
}
