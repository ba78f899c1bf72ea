import { isoFromSeconds } from '../db/clock';
import { historyDigests, type Mailbox, type PasswordWrite } from '../db/mailboxes';
import { checkHistory, hashPassword } from '../domain/password-hash';
import { checkPassword } from '../domain/policy';
import { newToken } from '../domain/tokens';
import { ApiError } from '../http/errors';
import type { Deps } from './deps';

/**
 * Judges a new password for a mailbox (policy, blocklist, history) and prepares what to
 * write. Exactly two PBKDF2 derivations, whatever the history depth: one history digest for
 * the candidate, one fresh login hash. Throws 422 `policy` with every violation found.
 */
export async function prepareNewPassword(
  deps: Deps,
  mailbox: Mailbox,
  newPassword: string,
  at: number,
): Promise<PasswordWrite> {
  const { policy, organisationName } = deps.cfg;
  const violations: string[] = checkPassword(newPassword, policy, {
    username: mailbox.username,
    words: [organisationName, mailbox.displayName, mailbox.username],
  });
  // Character rules first: a password refused for them is not worth a derivation.
  if (violations.includes('invalid_characters')) throw new ApiError('policy', { violations });
  const entries = await historyDigests(deps.db, mailbox.id, policy.historyDepth + 1);
  return judgeNewPassword(deps, mailbox, newPassword, at, entries, violations);
}

/**
 * prepareNewPassword with the mailbox's newest `historyDepth + 1` history digests already
 * read (together with the mailbox, in the same D1 call).
 */
export async function judgeNewPassword(
  deps: Deps,
  mailbox: Mailbox,
  newPassword: string,
  at: number,
  entries: string[],
  checked?: string[],
): Promise<PasswordWrite> {
  const { policy, peppers, organisationName } = deps.cfg;
  const violations =
    checked ??
    checkPassword(newPassword, policy, {
      username: mailbox.username,
      words: [organisationName, mailbox.displayName, mailbox.username],
    });
  if (violations.includes('invalid_characters')) throw new ApiError('policy', { violations });
  const keep = policy.historyDepth + 1;
  const history = await checkHistory(newPassword, mailbox.historySalt, entries, peppers);
  if (history.reused) violations.push('reused');
  if (violations.length > 0) throw new ApiError('policy', { violations });
  return {
    mailboxId: mailbox.id,
    // In `ad` mode the domain holds the password; D1 keeps a marker that changes with it.
    passwordHash:
      mailbox.mode === 'ad' ? directoryMarker() : await hashPassword(newPassword, peppers),
    historyDigest: history.digest,
    at,
    keep,
  };
}

/**
 * What `password_hash` holds for a mailbox whose password lives in the domain: random, new
 * with every password set through Nyckel, so the compare-and-set guards on the hash still
 * tell a change that landed meanwhile; it is no PBKDF2 string, so it never verifies.
 */
export function directoryMarker(): string {
  return `directory$${newToken()}`;
}

/** The mailbox view of the API: what a logged-in mailbox sees of itself. */
export function mailboxView(deps: Deps, mailbox: Mailbox, mustChange = false) {
  return {
    username: mailbox.username,
    displayName: mailbox.displayName,
    phone: mailbox.phone,
    passwordChangedAt: isoFromSeconds(mailbox.passwordChangedAt),
    passwordExpiresAt: isoFromSeconds(
      mailbox.passwordChangedAt + deps.cfg.policy.maxAgeDays * 86_400,
    ),
    /**
     * The password was right but must be changed before anything else: past its due date, or
     * the domain requires it ("must change at next logon").
     */
    mustChange,
  };
}
