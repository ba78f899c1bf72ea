/**
 * Canonical form of a mailbox username, so `HemtjanstAB`, ` hemtjanstab ` and a full-width
 * or zero-width-laced copy reach one account and one throttling counter.
 */
export type UsernameResult = { kind: 'ok'; username: string } | { kind: 'invalid' };

// Zero-width and other invisible format characters that survive NFKC.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

/** Account names in the directory: letters a–z, digits, dot, hyphen, underscore. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function canonicalUsername(input: string): UsernameResult {
  const folded = input.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
  return USERNAME.test(folded) ? { kind: 'ok', username: folded } : { kind: 'invalid' };
}
