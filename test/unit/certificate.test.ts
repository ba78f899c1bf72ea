import { describe, expect, it } from 'vitest';
import {
  CARD_REFUSAL_CODES,
  hsaIdFromSubject,
  judgeCertificate,
  parseCertificateTime,
  type TlsClientAuth,
} from '../../worker/domain/certificate';
import { ERRORS } from '../../worker/domain/messages';

const ISSUER = 'CN=SITHS e-id Person HSA-id 3 CA v1,O=Inera AB,C=SE';
const NOW = Date.UTC(2026, 4, 4, 8, 0, 0) / 1000;

function card(overrides: Partial<Record<keyof TlsClientAuth, string>> = {}): TlsClientAuth {
  return {
    certPresented: '1',
    certVerified: 'SUCCESS',
    certRevoked: '0',
    certIssuerDN: ISSUER,
    certSubjectDN: 'CN=Anna Andersson,SERIALNUMBER=SE2321000016-1234,O=Region Test,C=SE',
    certNotBefore: 'Jan  5 10:00:00 2025 GMT',
    certNotAfter: 'Dec 22 19:39:00 2028 GMT',
    ...overrides,
  };
}

describe('certificate times as the edge prints them', () => {
  it('reads the OpenSSL format Cloudflare reports', () => {
    expect(parseCertificateTime('Dec 22 19:39:00 2028 GMT')).toBe(
      Date.UTC(2028, 11, 22, 19, 39, 0) / 1000,
    );
  });

  it('reads a single-digit day padded with a space', () => {
    expect(parseCertificateTime('Jan  5 10:00:00 2025 GMT')).toBe(
      Date.UTC(2025, 0, 5, 10, 0, 0) / 1000,
    );
  });

  it.each([
    '',
    '2028-12-22T19:39:00Z',
    'Dec 22 19:39:00 2028',
    'Foo 22 19:39:00 2028 GMT',
    'Feb 31 10:00:00 2028 GMT',
    'Dec 22 25:39:00 2028 GMT',
  ])('refuses %j', (text) => {
    expect(parseCertificateTime(text)).toBeNull();
  });
});

describe('the HSA-id in the subject', () => {
  it.each([
    ['CN=Anna Andersson,SERIALNUMBER=SE2321000016-1234,O=Region Test,C=SE', 'SE2321000016-1234'],
    ['CN=Anna Andersson, serialNumber=se2321000016-abc1, C=SE', 'SE2321000016-ABC1'],
    ['2.5.4.5=SE2321000016-1234,CN=Anna', 'SE2321000016-1234'],
    ['CN=Anna+SERIALNUMBER=SE2321000016-1234,C=SE', 'SE2321000016-1234'],
    // The DER form: PrintableString (0x13) of 17 characters.
    [
      `CN=Anna,2.5.4.5=#1311${Array.from('SE2321000016-1234', (ch) =>
        ch.charCodeAt(0).toString(16),
      ).join('')}`,
      'SE2321000016-1234',
    ],
    ['CN=Andersson\\, Anna,SERIALNUMBER=SE2321000016-1234', 'SE2321000016-1234'],
  ])('finds it in %s', (dn, expected) => {
    expect(hsaIdFromSubject(dn)).toBe(expected);
  });

  it.each([
    ['no serial number', 'CN=Anna Andersson,O=Region Test,C=SE'],
    ['a personal identity number, not an HSA-id', 'CN=Anna,SERIALNUMBER=197001011234'],
    ['an escaped comma hiding the attribute', 'CN=Anna\\,SERIALNUMBER=SE2321000016-1234'],
    ['two that disagree', 'SERIALNUMBER=SE2321000016-1234,SERIALNUMBER=SE2321000016-9999'],
    ['an empty DN', ''],
    ['a bad DER value', 'CN=Anna,2.5.4.5=#0411abcd'],
  ])('finds none with %s', (_label, dn) => {
    expect(hsaIdFromSubject(dn)).toBeNull();
  });
});

describe('judging what the edge reports', () => {
  it('accepts a verified, unrevoked, current card from a trusted issuer', () => {
    expect(judgeCertificate(card(), [ISSUER], NOW)).toEqual({
      kind: 'ok',
      hsaId: 'SE2321000016-1234',
    });
  });

  it.each([
    ['no certificate at all', null, 'no_certificate'],
    ['the placeholder when none was presented', card({ certPresented: '0' }), 'no_certificate'],
    [
      'a failed verification',
      card({ certVerified: 'FAILED:unable to get local issuer certificate' }),
      'not_verified',
    ],
    ['NONE', card({ certVerified: 'NONE' }), 'not_verified'],
    ['a revoked card', card({ certRevoked: '1' }), 'revoked'],
    ['another issuer', card({ certIssuerDN: 'CN=Other CA,C=SE' }), 'issuer_not_trusted'],
    ['no issuer', card({ certIssuerDN: '' }), 'issuer_not_trusted'],
    ['an expired card', card({ certNotAfter: 'May  4 07:59:59 2026 GMT' }), 'expired'],
    ['an unreadable expiry', card({ certNotAfter: 'soon' }), 'expired'],
    ['a card not valid yet', card({ certNotBefore: 'Jun  1 00:00:00 2026 GMT' }), 'not_yet_valid'],
    ['no HSA-id', card({ certSubjectDN: 'CN=Anna Andersson,C=SE' }), 'no_hsa_id'],
  ])('refuses %s', (_label, auth, reason) => {
    expect(judgeCertificate(auth, [ISSUER], NOW)).toEqual({ kind: 'refused', reason });
  });

  it('refuses a boolean where the edge sends strings', () => {
    const auth = { ...card(), certRevoked: false } as unknown as TlsClientAuth;
    expect(judgeCertificate(auth, [ISSUER], NOW)).toEqual({ kind: 'refused', reason: 'revoked' });
  });

  it('trusts no issuer when none is configured', () => {
    expect(judgeCertificate(card(), [], NOW)).toEqual({
      kind: 'refused',
      reason: 'issuer_not_trusted',
    });
  });
});

describe('CARD_REFUSAL_CODES', () => {
  it('gives every refusal an error code of its own reason, each a 401 with a text', () => {
    for (const [reason, code] of Object.entries(CARD_REFUSAL_CODES)) {
      expect(ERRORS[code].status, reason).toBe(401);
      expect(ERRORS[code].sv.length, reason).toBeGreaterThan(0);
    }
    expect(CARD_REFUSAL_CODES.no_certificate).toBe('card_missing');
    expect(CARD_REFUSAL_CODES.expired).toBe('card_expired');
    expect(CARD_REFUSAL_CODES.issuer_not_trusted).toBe('card_not_accepted');
    expect(CARD_REFUSAL_CODES.no_hsa_id).toBe('card_no_hsa_id');
    // A disabled person reads the same as an unknown one.
    expect(CARD_REFUSAL_CODES.person_disabled).toBe(CARD_REFUSAL_CODES.unknown_hsa_id);
  });
});
