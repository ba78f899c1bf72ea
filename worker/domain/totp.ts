/**
 * TOTP (RFC 6238) for people without a passkey: SHA-1, 6 digits, 30-second steps — what every
 * authenticator app reads from an otpauth:// QR code. Pure wrapper over otpauth so the rules
 * (window ±1, which step a code belongs to) live in one place and are unit-tested.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** One step either side: a phone clock off by up to ~30 s, or a code typed as it turns over. */
export const TOTP_WINDOW = 1;
/** 160 bits, the HMAC-SHA-1 block RFC 4226 recommends. */
const SECRET_BYTES = 20;

/** A fresh random secret in base32 (what the QR code and manual entry carry). */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

function totp(secretBase32: string, issuer = '', label = 'Nyckel') {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The otpauth:// URI for the QR code: issuer (the app's name) and the person's e-mail. */
export function totpUri(secretBase32: string, issuer: string, label: string): string {
  return totp(secretBase32, issuer, label).toString();
}

/** The time step a moment falls in (unix milliseconds). */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for a moment (tests and the development tools use it; the server never shows one). */
export function totpCode(secretBase32: string, nowMs: number): string {
  return totp(secretBase32).generate({ timestamp: nowMs });
}

/**
 * The time step the code belongs to, within ±TOTP_WINDOW of now, or null. The caller stores
 * the step so the same code (or an older one) cannot be used again.
 */
export function matchTotp(secretBase32: string, code: string, nowMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  let delta: number | null;
  try {
    delta = totp(secretBase32).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  } catch {
    // A stored secret that is not base32 any more: no code matches it.
    return null;
  }
  return delta === null ? null : totpStep(nowMs) + delta;
}
