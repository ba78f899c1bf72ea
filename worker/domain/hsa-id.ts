/**
 * HSA-id, the identity in Inera's catalogue (HSA) and the SERIALNUMBER of a SITHS card: `SE`,
 * the issuing organisation's number, a hyphen, and a local part. Pure, so the web app checks a
 * typed HSA-id with the same rule as the worker.
 */
import { luhnValid } from './personnummer';

/*
 * The organisation number is 10 digits, or 12 when written with the `16` prefix Skatteverket
 * uses for organisation numbers in 12-digit fields. The local part is 1–31 letters A–Z or
 * digits. Written with explicit ranges, not the `i` flag or after upper-casing, so no other
 * letter can turn into an ASCII one on the way ('ß' upper-cases to 'SS').
 */
const HSA_ID = /^[Ss][Ee](?:16)?(\d{10})-([A-Za-z0-9]{1,31})$/;

export type HsaIdResult = { ok: true; value: string } | { ok: false };

/**
 * Parses an HSA-id; the value is upper case, as SITHS certificates carry it. The organisation
 * number keeps the `16` prefix when it was written with it: a stored id is compared as a whole
 * string with the one in a certificate, so rewriting it could stop the card from matching.
 *
 * The organisation number must pass its Luhn check. Every organisation number that issues
 * HSA-ids passes it (regions 2321000016, 2321000131, 2321000255, Inera 5565594230, …), as all
 * Swedish organisation numbers do, so the check only refuses mistyped ids. The "third digit at
 * least 2" rule of legal persons is not applied: a sole trader's organisation number is a
 * personnummer, and private care providers run as sole traders.
 */
export function parseHsaId(input: string): HsaIdResult {
  const match = HSA_ID.exec(input.trim());
  if (!match || !luhnValid(match[1] ?? '')) return { ok: false };
  return { ok: true, value: input.trim().toUpperCase() };
}

/** Whether a search text starts like an HSA-id (`SE` and a digit), to search HSA-ids by prefix. */
export function looksLikeHsaIdPrefix(input: string): boolean {
  return /^[Ss][Ee][0-9]/.test(input.trim());
}
