import type { Db } from './database';
/** Server-side sessions, stored by the HMAC of the cookie value. Times are unix seconds. */

export interface NewMailboxSession {
  idHash: string;
  kind: 'mailbox';
  subjectId: string;
  at: number;
  expiresAt: number;
  ip: string | null;
  /** The domain wants the password changed first: this session may do only that. */
  mustChange?: boolean;
}

export async function insertSession(
  db: Db,
  s: NewMailboxSession,
  guard: { sql: string; params: unknown[] } = { sql: '1', params: [] },
): Promise<boolean> {
  const result = await insertSessionStatement(db, s, guard).run();
  return result.meta.changes === 1;
}

/** insertSession's statement, for a batch. */
export function insertSessionStatement(
  db: Db,
  s: NewMailboxSession,
  guard: { sql: string; params: unknown[] } = { sql: '1', params: [] },
) {
  // The guard lets a login open a session only if the password it checked is still the
  // mailbox's: a reset or change that lands meanwhile must not leave an old-password session.
  return db
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
    );
}

/** A guard that holds once the session with this hash exists (its insert won). */
export function sessionExistsGuard(idHash: string) {
  return {
    sql: 'EXISTS (SELECT 1 FROM sessions WHERE id_hash = ?)',
    params: [idHash] as unknown[],
  };
}

export async function revokeSession(db: Db, idHash: string, now: number) {
  await db
    .prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL')
    .bind(now, idHash)
    .run();
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

/**
 * A live mailbox session with its whole mailbox row (toMailbox reads it) and the session's
 * `session_must_change`, for a batch.
 */
export function liveMailboxSessionStatement(db: Db, idHash: string, now: number) {
  return db
    .prepare(
      `SELECT m.*, s.must_change AS session_must_change
       FROM sessions s JOIN mailboxes m ON m.id = s.subject_id
       WHERE s.id_hash = ? AND s.kind = 'mailbox' AND s.revoked_at IS NULL AND s.expires_at > ?
         AND m.disabled_at IS NULL`,
    )
    .bind(idHash, now);
}

/** SQL for the username of a live mailbox session's mailbox, bound with (idHash, now). */
export const SESSION_USERNAME_SQL = `(SELECT m.username FROM sessions s
  JOIN mailboxes m ON m.id = s.subject_id
  WHERE s.id_hash = ? AND s.kind = 'mailbox' AND s.revoked_at IS NULL AND s.expires_at > ?
    AND m.disabled_at IS NULL)`;

/** SQL for the mailbox id of a live mailbox session, bound with (idHash, now). */
export const SESSION_MAILBOX_SQL = `(SELECT s.subject_id FROM sessions s
  JOIN mailboxes m ON m.id = s.subject_id
  WHERE s.id_hash = ? AND s.kind = 'mailbox' AND s.revoked_at IS NULL AND s.expires_at > ?
    AND m.disabled_at IS NULL)`;

/**
 * Logging out in one batch: the audit entry, written only if the session is live (its
 * mailbox the actor and target), then the revocation.
 */
export function logoutStatements(db: Db, idHash: string, now: number, ip: string | null) {
  return [
    db
      .prepare(
        `INSERT INTO audit (at, actor, action, target, ip, outcome, detail, unit_id)
         SELECT ?, 'mailbox:' || m.id, 'mailbox.logout', 'mailbox:' || m.id, ?, 'success', NULL,
           m.unit_id
         FROM sessions s JOIN mailboxes m ON m.id = s.subject_id
         WHERE s.id_hash = ? AND s.kind = 'mailbox' AND s.revoked_at IS NULL
           AND s.expires_at > ? AND m.disabled_at IS NULL`,
      )
      .bind(now, ip, idHash, now),
    db
      .prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL')
      .bind(now, idHash),
  ];
}
