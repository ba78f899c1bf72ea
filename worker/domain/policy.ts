/**
 * Password policy: at least 8 characters, 3 of the 4 classes (A–Z, a–z, digits, specials; Å, Ä
 * and Ö count as none), no reuse, a change every 3 months, each a setting. Pure: the browser
 * app imports it too, so the form and the server judge a password by the same code; hence no
 * Hono, Cloudflare or Node imports.
 */
import { isCommonPassword } from './blocklist';

export type PolicyViolation =
  | 'too_short'
  | 'too_few_classes'
  | 'invalid_characters'
  | 'contains_username'
  | 'reused'
  | 'common'
  | 'mismatch'
  /** The domain refused it under its own policy and did not say which rule (Windows). */
  | 'domain_policy'
  /** The domain's minimum password age: the password was changed too recently. */
  | 'too_recent';

export interface PolicySettings {
  minLength: number;
  minClasses: number;
  historyDepth: number;
  maxAgeDays: number;
}

/** Frozen because it is shared by every request; a caller's tweak must not leak into the next. */
export const DEFAULT_POLICY: PolicySettings = Object.freeze({
  minLength: 8,
  minClasses: 3,
  historyDepth: 24,
  // "Changed every 3 months".
  maxAgeDays: 90,
});

export interface PasswordContext {
  /** Mailbox username; may not appear in the password (case-insensitive). */
  username?: string;
  /** When given and different: 'mismatch'. */
  confirmation?: string;
  /** Extra names to block (organisation name, mailbox display name, username). */
  words?: readonly string[];
}

export interface CharacterClasses {
  upper: boolean;
  lower: boolean;
  digit: boolean;
  special: boolean;
}

/** Shorter usernames ("ab") would turn up by chance in strong passwords. */
const MIN_USERNAME_LENGTH = 3;

/**
 * Printable ASCII only: the shared account is typed on many keyboards (and phones), where
 * å, ä, ö or a non-breaking space may be impossible to enter, and Entra ID's cloud password
 * policy refuses the same characters. Space counts, as Active Directory treats it as a symbol.
 */
function isPrintableAscii(codePoint: number): boolean {
  return codePoint >= 0x20 && codePoint <= 0x7e;
}

export function characterClasses(password: string): CharacterClasses {
  const classes: CharacterClasses = { upper: false, lower: false, digit: false, special: false };
  for (const character of password) {
    const codePoint = character.codePointAt(0) ?? 0;
    // Only A–Z and a–z: the rule says Å, Ä and Ö do not count, and they are refused anyway.
    if (/[A-Z]/.test(character)) classes.upper = true;
    else if (/[a-z]/.test(character)) classes.lower = true;
    else if (/[0-9]/.test(character)) classes.digit = true;
    else if (isPrintableAscii(codePoint)) classes.special = true;
  }
  return classes;
}

function classCount(classes: CharacterClasses): number {
  return [classes.upper, classes.lower, classes.digit, classes.special].filter(Boolean).length;
}

function hasInvalidCharacters(password: string): boolean {
  for (const character of password) {
    if (!isPrintableAscii(character.codePointAt(0) ?? 0)) return true;
  }
  return false;
}

function containsUsername(password: string, username: string | undefined): boolean {
  const name = username?.trim().toLowerCase() ?? '';
  if ([...name].length < MIN_USERNAME_LENGTH) return false;
  return password.toLowerCase().includes(name);
}

/**
 * Every violation the password has that can be judged without the history ('reused' is the
 * server's). Order: the order of the union above, no duplicates. Empty array = acceptable.
 */
export function checkPassword(
  password: string,
  settings: PolicySettings,
  context: PasswordContext = {},
): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  // Code points, not UTF-16 units, so a character the user sees as one counts as one.
  if ([...password].length < settings.minLength) violations.push('too_short');
  if (classCount(characterClasses(password)) < settings.minClasses) {
    violations.push('too_few_classes');
  }
  if (hasInvalidCharacters(password)) violations.push('invalid_characters');
  if (containsUsername(password, context.username)) violations.push('contains_username');
  const words = [...(context.words ?? [])];
  if (context.username !== undefined) words.push(context.username);
  if (isCommonPassword(password, words)) violations.push('common');
  if (context.confirmation !== undefined && context.confirmation !== password) {
    violations.push('mismatch');
  }
  return violations;
}
