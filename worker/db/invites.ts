/**
 * Enrolment invites. Only a SHA-256 of the link's 256-bit token is stored: the token has
 * enough entropy that no key is needed, which lets `npm run admin -- invite --remote` write
 * one without knowing the deployment's secrets. Times are unix seconds.
 */
export { inviteDigest } from '../domain/tokens';

import type { Db } from './database';

export interface Invite {
  id: string;
  personId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  totpSecret: string | null;
}

export function insertInviteStatement(
  db: Db,
  i: {
    id: string;
    tokenHash: string;
    personId: string;
    createdBy: string;
    at: number;
    expiresAt: number;
  },
) {
  return db
    .prepare(
      `INSERT INTO invites (id, token_hash, person_id, created_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(i.id, i.tokenHash, i.personId, i.createdBy, i.at, i.expiresAt);
}

/** Earlier open invites of a person end when a new one is made (lost device = new invite). */
export function revokeOpenInvitesStatement(db: Db, personId: string, now: number) {
  return db
    .prepare(
      `UPDATE invites SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL
         AND revoked_at IS NULL`,
    )
    .bind(now, personId);
}

/** A usable invite: not used, not revoked, not expired, and its person not disabled. */
export async function findUsableInvite(db: Db, tokenHash: string, now: number) {
  return db
    .prepare(
      `SELECT i.id, i.person_id AS personId, i.created_by AS createdBy, i.created_at AS createdAt,
         i.expires_at AS expiresAt, i.totp_secret AS totpSecret
       FROM invites i JOIN people p ON p.id = i.person_id
       WHERE i.token_hash = ? AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
         AND p.disabled_at IS NULL`,
    )
    .bind(tokenHash, now)
    .first<Invite>();
}

/**
 * Claims an invite; the changed-row count decides a race between two tabs. Put it first in a
 * batch whose other statements are guarded by `inviteUsedGuard`.
 */
export function useInviteStatement(db: Db, inviteId: string, claim: string, now: number) {
  return db
    .prepare(
      `UPDATE invites SET used_at = ?, claim = ? WHERE id = ? AND used_at IS NULL
         AND revoked_at IS NULL AND expires_at > ?`,
    )
    .bind(now, claim, inviteId, now);
}

/** SQL guard: true only if this request's claim (a fresh random value) won the invite. */
export function inviteUsedGuard(inviteId: string, claim: string) {
  return {
    sql: 'EXISTS (SELECT 1 FROM invites WHERE id = ? AND claim = ?)',
    params: [inviteId, claim] as unknown[],
  };
}
