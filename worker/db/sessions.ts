import type { Db } from './database';
/** Server-side sessions, stored by the HMAC of the cookie value. Times are unix seconds. */

export async function insertSession(
  db: Db,
  s: {
    idHash: string;
    kind: 'mailbox';
    subjectId: string;
    at: number;
    expiresAt: number;
    ip: string | null;
    /** The domain wants the password changed first: this session may do only that. */
    mustChange?: boolean;
  },
  guard: { sql: string; params: unknown[] } = { sql: '1', params: [] },
): Promise<boolean> {
  // The guard lets a login open a session only if the password it checked is still the
  // mailbox's: a reset or change that lands meanwhile must not leave an old-password session.
  const result = await db
    .prepare(
      `INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at, ip, must_change)
       SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${guard.sql}`,
    )
    .bind(
      s.idHash,
      s.kind,
      s.subjectId,
      s.at,
      s.expiresAt,
      s.ip,
      s.mustChange ? 1 : 0,
      ...guard.params,
    )
    .run();
  return result.meta.changes === 1;
}

export async function revokeSession(db: Db, idHash: string, now: number) {
  await db
    .prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL')
    .bind(now, idHash)
    .run();
}

/** A live mailbox session with the mailbox's username, in one query. */
export async function findLiveMailboxSession(db: Db, idHash: string, now: number) {
  return db
    .prepare(
      `SELECT s.subject_id AS mailboxId, m.username AS username, s.must_change AS mustChange
       FROM sessions s JOIN mailboxes m ON m.id = s.subject_id
       WHERE s.id_hash = ? AND s.kind = 'mailbox' AND s.revoked_at IS NULL AND s.expires_at > ?
         AND m.disabled_at IS NULL`,
    )
    .bind(idHash, now)
    .first<{ mailboxId: string; username: string; mustChange: number }>();
}

/** The session that changed the password is no longer held to "change it first". */
export function clearMustChangeStatement(db: Db, idHash: string): D1PreparedStatement {
  return db.prepare('UPDATE sessions SET must_change = 0 WHERE id_hash = ?').bind(idHash);
}

export async function insertPersonSession(
  db: Db,
  s: {
    idHash: string;
    personId: string;
    at: number;
    expiresAt: number;
    ip: string | null;
    method: 'passkey' | 'totp' | 'certificate';
  },
) {
  await db
    .prepare(
      `INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at, ip, last_seen_at,
         verified_at, method) VALUES (?, 'person', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(s.idHash, s.personId, s.at, s.expiresAt, s.ip, s.at, s.at, s.method)
    .run();
}

/** Ends every session of a person (role revoked, person disabled, lost device). */
export function revokePersonSessionsStatement(db: Db, personId: string, now: number) {
  return db
    .prepare(
      `UPDATE sessions SET revoked_at = ? WHERE kind = 'person' AND subject_id = ?
         AND revoked_at IS NULL`,
    )
    .bind(now, personId);
}
