/**
 * Generated passwords for a reset on behalf: shown once to the manager, who reads
 * it aloud or copies it to the staff, so it avoids characters that are easily mistaken for
 * each other (0/O, 1/l/I). Pure: no Hono or Cloudflare imports, so the browser could use it.
 */
import { checkPassword, DEFAULT_POLICY, type PasswordContext, type PolicySettings } from './policy';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const ALPHABET = UPPER + LOWER + DIGITS;
const GROUP_LENGTH = 4;
const MIN_GROUPS = 3;
/** A policy the generator cannot meet within this many draws is a configuration error. */
const MAX_DRAWS = 200;

/** Fills a byte array with random values; crypto.getRandomValues unless a test swaps it. */
export type RandomSource = (bytes: Uint8Array) => void;

const cryptoRandom: RandomSource = (bytes) => {
  crypto.getRandomValues(bytes);
};

/**
 * One character uniformly from `alphabet`: bytes at or above the largest multiple of the
 * alphabet's size are thrown away (rejection sampling), so `byte % size` has no modulo bias.
 */
function pick(alphabet: string, random: RandomSource): string {
  const limit = 256 - (256 % alphabet.length);
  const byte = new Uint8Array(1);
  for (;;) {
    random(byte);
    const value = byte[0] ?? 255;
    if (value < limit) return alphabet[value % alphabet.length] ?? '';
  }
}

function hasEveryClass(candidate: string): boolean {
  return /[A-Z]/.test(candidate) && /[a-z]/.test(candidate) && /[2-9]/.test(candidate);
}

/**
 * A readable random password like `Kq7m-Xa3h-9pRt`: groups of four letters and digits joined
 * by hyphens (the hyphen is the special character), at least three groups and as many as the
 * policy's minimum length needs. Twelve characters from 57 give about 70 bits. A draw that
 * lacks upper case, lower case or a digit, or that the policy refuses (the mailbox's username
 * or a blocked word by chance), is thrown away and drawn again, so every password returned
 * has all four classes and passes `checkPassword(policy, context)`.
 */
export function generatePassword(
  policy: PolicySettings = DEFAULT_POLICY,
  context: PasswordContext = {},
  random: RandomSource = cryptoRandom,
): string {
  // n groups of 4 with n - 1 hyphens: 5n - 1 characters.
  const groups = Math.max(MIN_GROUPS, Math.ceil((policy.minLength + 1) / (GROUP_LENGTH + 1)));
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const parts: string[] = [];
    for (let g = 0; g < groups; g++) {
      let part = '';
      for (let i = 0; i < GROUP_LENGTH; i++) part += pick(ALPHABET, random);
      parts.push(part);
    }
    const candidate = parts.join('-');
    if (hasEveryClass(candidate) && checkPassword(candidate, policy, context).length === 0) {
      return candidate;
    }
  }
  throw new Error('generatePassword: the policy cannot be met');
}
