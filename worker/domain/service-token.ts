import { toHex, utf8 } from './bytes';
import { newToken } from './tokens';

/** What a service token may do; an administrator picks one or more when creating it. */
export const SERVICE_SCOPES = ['identities:write', 'mailboxes:verify'] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/**
 * A new token: a recognisable prefix (so a leaked one is easy to spot in a repository or a
 * log) and 256 random bits.
 */
export function newServiceToken(): string {
  return `nyk_${newToken()}`;
}

/**
 * What is stored: a plain SHA-256. The token has 256 bits, so a key adds nothing, and the
 * lookup by digest stays one indexed read.
 */
export async function serviceTokenDigest(token: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(token))));
}
