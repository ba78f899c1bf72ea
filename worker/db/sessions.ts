/** Server-side sessions, stored by the HMAC of the cookie value. Times are unix seconds. */

export async function insertSession(
  db: D1Database,
  s: {
    idHash: string;
    kind: 'mailbox';
    subjectId: string;
    at: number;
    expiresAt: number;
    ip: string | null;
  },
) {
  await db
    .prepare(
      'INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(s.idHash, s.kind, s.subjectId, s.at, s.expiresAt, s.ip)
    .run();
}

export async function revokeSession(db: D1Database, idHash: string, now: number) {
  await db
    .prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL')
    .bind(now, idHash)
    .run();
}

/** A live mailbox session with the mailbox's username, in one query. */
export async function findLiveMailboxSession(db: D1Database, idHash: string, now: number) {
  return db
    .prepare(
      `SELECT s.subject_id AS mailboxId, m.username AS username
       FROM sessions s JOIN mailboxes m ON m.id = s.subject_id
       WHERE s.id_hash = ? AND s.kind = 'mailbox' AND s.revoked_at IS NULL AND s.expires_at > ?`,
    )
    .bind(idHash, now)
    .first<{ mailboxId: string; username: string }>();
}
