import { HOTP, Secret } from 'otpauth';
import { constantTimeEqual, utf8 } from './bytes';

/**
 * One-time SMS codes: HOTP (RFC 4226, 6 digits) over a fresh random secret per challenge.
 * The secret lives in KV with the code's lifetime as TTL; attempts and use live in D1.
 * Counter 0 is enough because every secret is used for exactly one code.
 */
export const CODE_DIGITS = 6;
export const CODE_LIFETIME_SECONDS = 600;
export const CODE_MAX_ATTEMPTS = 5;
/** The guide: "Avvakta 3 minuter om du inte fått något sms". */
export const RESEND_AFTER_SECONDS = 180;
export const MAX_RESENDS = 3;
/** How long a verified reset's token may be used to set the password. */
export const RESET_TOKEN_SECONDS = 900;

export function newCodeSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function codeFor(secretBase32: string): string {
  return HOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    digits: CODE_DIGITS,
    counter: 0,
  });
}

export function codeMatches(secretBase32: string, candidate: string): boolean {
  return constantTimeEqual(utf8(codeFor(secretBase32)), utf8(candidate));
}

// Re-exported from a module without otpauth, so the web app can use it without the HOTP code.
export { extractCode } from './code-text';
