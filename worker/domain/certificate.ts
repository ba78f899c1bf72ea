/**
 * Smart-card (SITHS) sign-in at the edge: Cloudflare terminates mutual TLS and reports the
 * client certificate in `request.cf.tlsClientAuth`, every field a string. This module decides
 * from those fields alone whether the certificate may sign a person in, and which HSA-id it
 * carries. Pure: no Hono, no bindings, so it is unit-tested with plain objects.
 */

/** The fields of `request.cf.tlsClientAuth` that the decision reads (all strings at the edge). */
export interface TlsClientAuth {
  certPresented?: unknown;
  certVerified?: unknown;
  certRevoked?: unknown;
  certIssuerDN?: unknown;
  certSubjectDN?: unknown;
  certNotBefore?: unknown;
  certNotAfter?: unknown;
}

export type CertificateRefusal =
  | 'no_certificate'
  | 'not_verified'
  | 'revoked'
  | 'issuer_not_trusted'
  | 'not_yet_valid'
  | 'expired'
  | 'no_hsa_id';

export type CertificateVerdict =
  | { kind: 'ok'; hsaId: string }
  | { kind: 'refused'; reason: CertificateRefusal };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Reads Cloudflare's (OpenSSL's) certificate time, `Dec 22 19:39:00 2028 GMT` (the day may be
 * padded with a space), as unix seconds; null when it is anything else.
 */
export function parseCertificateTime(text: string): number | null {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(
    text.trim(),
  );
  if (!match) return null;
  const [, mon, day, hh, mm, ss, year] = match;
  const month = MONTHS.indexOf(mon ?? '');
  if (month < 0) return null;
  const ms = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss));
  const back = new Date(ms);
  // Date.UTC rolls "Feb 31" over into March; such a date is not one OpenSSL would print.
  if (back.getUTCDate() !== Number(day) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) {
    return null;
  }
  return Math.floor(ms / 1000);
}

/** Splits an RFC 2253 DN on unescaped separators (`,`, and `+` inside a multi-valued RDN). */
function attributes(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i];
    if (ch === '\\' && i + 1 < dn.length) {
      current += ch + dn[i + 1];
      i++;
    } else if (ch === ',' || ch === '+' || ch === ';') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** RFC 2253 value escapes: `\,` and friends, and `\XX` hex pairs. */
function unescapeValue(value: string): string {
  return value.replace(/\\([0-9A-Fa-f]{2}|.)/g, (_m, esc: string) =>
    esc.length === 2 ? String.fromCharCode(Number.parseInt(esc, 16)) : esc,
  );
}

/**
 * A `#`-prefixed value is the attribute's DER encoding (RFC 2253 §2.4), used for types the
 * printer has no name for. A PrintableString (0x13) or UTF8String (0x0c) of short length is
 * all an HSA-id ever is.
 */
function derString(hex: string): string | null {
  if (!/^([0-9A-Fa-f]{2})+$/.test(hex)) return null;
  const bytes = hex.match(/../g)?.map((b) => Number.parseInt(b, 16)) ?? [];
  const [tag, length, ...rest] = bytes;
  if ((tag !== 0x13 && tag !== 0x0c) || length === undefined || length > 127) return null;
  if (rest.length !== length) return null;
  return String.fromCharCode(...rest);
}

/** An HSA-id: the organisation's id, a hyphen, and a local part (for example SE2321000016-1234). */
const HSA_ID = /^[A-Z]{2}[0-9A-Z]{6,20}-[0-9A-Z]{1,40}$/;

/**
 * The HSA-id in a subject DN: SITHS certificates carry it as the SERIALNUMBER attribute
 * (OID 2.5.4.5), which printers name `serialNumber`, `SERIALNUMBER`, or print by its OID.
 * Upper case, as it is stored; null when there is none, or more than one that disagree.
 */
export function hsaIdFromSubject(dn: string): string | null {
  const found = new Set<string>();
  for (const attribute of attributes(dn)) {
    const eq = attribute.indexOf('=');
    if (eq < 0) continue;
    const type = attribute.slice(0, eq).trim().toLowerCase();
    if (type !== 'serialnumber' && type !== '2.5.4.5' && type !== 'oid.2.5.4.5') continue;
    const raw = attribute.slice(eq + 1).trim();
    const value = raw.startsWith('#') ? derString(raw.slice(1)) : unescapeValue(raw);
    const hsaId = value?.trim().toUpperCase();
    if (hsaId && HSA_ID.test(hsaId)) found.add(hsaId);
  }
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

function field(auth: TlsClientAuth, name: keyof TlsClientAuth): string {
  const value = auth[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Whether the edge's report lets the certificate sign someone in. Cloudflare already checked
 * the chain against the uploaded CA; this re-checks what it reported (verified, not revoked,
 * within its validity) and that the issuer is one this deployment trusts for people, so a
 * certificate from another mTLS use on the same zone is not enough. Fails closed on anything
 * missing or unreadable.
 */
export function judgeCertificate(
  auth: TlsClientAuth | null | undefined,
  trustedIssuers: readonly string[],
  now: number,
): CertificateVerdict {
  const refuse = (reason: CertificateRefusal) => ({ kind: 'refused', reason }) as const;
  if (!auth || field(auth, 'certPresented') !== '1') return refuse('no_certificate');
  if (field(auth, 'certVerified') !== 'SUCCESS') return refuse('not_verified');
  if (field(auth, 'certRevoked') !== '0') return refuse('revoked');
  const issuer = field(auth, 'certIssuerDN').trim();
  if (issuer === '' || !trustedIssuers.includes(issuer)) return refuse('issuer_not_trusted');
  const notBefore = field(auth, 'certNotBefore');
  if (notBefore !== '') {
    const start = parseCertificateTime(notBefore);
    if (start === null || start > now) return refuse('not_yet_valid');
  }
  const end = parseCertificateTime(field(auth, 'certNotAfter'));
  if (end === null || end <= now) return refuse('expired');
  const hsaId = hsaIdFromSubject(field(auth, 'certSubjectDN'));
  if (!hsaId) return refuse('no_hsa_id');
  return { kind: 'ok', hsaId };
}

/** Why a card sign-in was refused: the certificate's verdict, or what came after it. */
export type CardRefusal =
  | CertificateRefusal
  | 'card_sign_in_off'
  | 'unknown_hsa_id'
  | 'person_disabled';

/** The error code a person reads for each refusal (worker/domain/messages.ts has the texts). */
export const CARD_REFUSAL_CODES = {
  card_sign_in_off: 'card_off',
  no_certificate: 'card_missing',
  // The edge could not chain it to an uploaded CA, or its issuer is not one trusted for people.
  not_verified: 'card_not_accepted',
  issuer_not_trusted: 'card_not_accepted',
  revoked: 'card_revoked',
  expired: 'card_expired',
  not_yet_valid: 'card_not_yet_valid',
  no_hsa_id: 'card_no_hsa_id',
  // A disabled person is told the same as an unknown one: no active user has this HSA-id.
  unknown_hsa_id: 'card_unknown_person',
  person_disabled: 'card_unknown_person',
} as const satisfies Record<CardRefusal, string>;

export type CardRefusalCode = (typeof CARD_REFUSAL_CODES)[CardRefusal];
