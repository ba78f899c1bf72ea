import type { DirectoryErrorCode } from '../../worker/domain/directory-protocol';

/*
 * Maps what a domain controller (or the network) answered into the closed set of refusals the
 * worker knows. Pure: it looks only at an error's `code` and message, so every mapping can be
 * tested without a domain controller, including the Windows texts Samba never produces.
 *
 * What AD says, and where:
 * - A failed simple bind is invalidCredentials (49) with a Win32 `data` code in the message:
 *   "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563".
 * - A failed password change or reset is constraintViolation (19) whose message starts with a
 *   Win32 error: 00000056 (the old password is wrong) or 0000052D (the domain's policy: history,
 *   minimum age, length or complexity). Windows says no more than that; Samba adds its reason
 *   ("check_password_restrictions: the password was already used (in history)!").
 */

export interface Refusal {
  code: DirectoryErrorCode;
  /** For the administrator's view of recent errors; never a password. */
  detail?: string;
}

/** Whose credentials a bind carried: a refused service account bind is a setup problem. */
export type BindRole = 'user' | 'service';

/** The Win32 `data` codes of a refused bind (AD's "AcceptSecurityContext error"). */
const BIND_DATA: Record<string, DirectoryErrorCode> = {
  '52e': 'wrong_password',
  '775': 'locked',
  '773': 'must_change',
  '532': 'must_change',
  '533': 'disabled',
  '701': 'account_expired',
};

/** Network failures: no domain controller answered. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// ldapts' own texts for a connection that timed out or went away mid-request.
const UNAVAILABLE_TEXT =
  /Connection timeout|Operation timed out|Connection closed before message response|Socket error|Socket connection not established/i;

const RESULT_NAMES: Record<number, string> = {
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  4: 'sizeLimitExceeded',
  8: 'strongAuthRequired',
  11: 'adminLimitExceeded',
  12: 'unavailableCriticalExtension',
  13: 'confidentialityRequired',
  16: 'noSuchAttribute',
  17: 'undefinedAttributeType',
  19: 'constraintViolation',
  20: 'attributeOrValueExists',
  21: 'invalidAttributeSyntax',
  32: 'noSuchObject',
  34: 'invalidDNSyntax',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  64: 'namingViolation',
  65: 'objectClassViolation',
  80: 'other',
};

const MAX_DETAIL = 200;

/** The server's text without ldapts' " Code: 0x13" suffix, on one line and bounded. */
export function serverText(message: string): string {
  return message
    .replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_DETAIL);
}

function describe(error: unknown): { code: number | string | undefined; message: string } {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return {
      code: typeof code === 'number' || typeof code === 'string' ? code : undefined,
      message: error.message,
    };
  }
  return { code: undefined, message: typeof error === 'string' ? error : 'unknown error' };
}

/** The refusal for a failed bind, modify or search. `role` matters for binds only. */
export function refusal(error: unknown, role: BindRole = 'user'): Refusal {
  const { code, message } = describe(error);
  const text = serverText(message);

  if (typeof code === 'string') {
    if (UNAVAILABLE_ERRNO.has(code)) return { code: 'unavailable', detail: code };
    // TLS: certificate names, trust and expiry are the administrator's to fix, not an outage.
    if (/CERT|SELF_SIGNED|TLS|SSL|VERIFY|ISSUER|SIGNATURE|ALTNAME/.test(code)) {
      return { code: 'directory_error', detail: `TLS: ${code}` };
    }
    return { code: 'directory_error', detail: `${code}: ${text}`.slice(0, MAX_DETAIL) };
  }

  if (code === undefined) {
    if (UNAVAILABLE_TEXT.test(message)) return { code: 'unavailable', detail: text };
    return { code: 'directory_error', detail: text };
  }

  if (code === 49) {
    const data = /\bdata ([0-9a-f]{3,8})\b/i.exec(message)?.[1]?.toLowerCase();
    if (role === 'service') {
      // The user did nothing wrong: the connector's own account cannot sign in.
      return {
        code: 'directory_error',
        detail: `the service account could not bind${data ? ` (data ${data})` : ''}`,
      };
    }
    const mapped = data ? BIND_DATA[data] : undefined;
    if (mapped) return { code: mapped };
    // A directory without AD's data codes: a refused simple bind means a wrong password.
    if (!data) return { code: 'wrong_password' };
    return { code: 'directory_error', detail: text };
  }

  if (code === 19) {
    if (/^0000052D\b/i.test(text)) {
      if (/already used|in history|password history/i.test(text)) {
        return { code: 'domain_reused', detail: text };
      }
      if (/too young/i.test(text)) return { code: 'domain_too_recent', detail: text };
      return { code: 'domain_policy', detail: text };
    }
    if (/^00000056\b/i.test(text)) return { code: 'wrong_password' };
  }

  if (code === 50) return { code: 'insufficient_rights', detail: text };
  if (code === 51 || code === 52) return { code: 'unavailable', detail: text };
  if (code === 3) return { code: 'unavailable', detail: text };

  const name = RESULT_NAMES[code] ?? `result ${code}`;
  return { code: 'directory_error', detail: `${name}: ${text}`.slice(0, MAX_DETAIL) };
}
