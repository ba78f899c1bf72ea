/** Mailbox accounts and their password history. Times are unix seconds. */

import { endResetsStatement } from './challenges';
import type { Db } from './database';
import { allRows, type Read } from './reads';

export interface Mailbox {
  id: string;
  username: string;
  displayName: string;
  unitId: string | null;
  phone: string | null;
  passwordHash: string;
  historySalt: string;
  passwordChangedAt: number;
  /** 'local': D1 holds the hash. 'ad': the domain holds the password; see objectGuid. */
  mode: 'local' | 'ad';
  /** objectGUID of the domain account, in `ad` mode. */
  objectGuid: string | null;
}

export interface MailboxRow {
  id: string;
  username: string;
  display_name: string;
  unit_id: string | null;
  phone: string | null;
  password_hash: string;
  history_salt: string;
  password_changed_at: number;
  mode: 'local' | 'ad';
  object_guid: string | null;
}

export function toMailbox(row: MailboxRow): Mailbox {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    unitId: row.unit_id,
    phone: row.phone,
    passwordHash: row.password_hash,
    historySalt: row.history_salt,
    passwordChangedAt: row.password_changed_at,
    mode: row.mode,
    objectGuid: row.object_guid,
  };
}

const COLUMNS = `id, username, display_name, unit_id, phone, password_hash, history_salt,
  password_changed_at, mode, object_guid`;

/*
 * Self-service lookups: a mailbox an administrator has disabled does not exist for login,
 * reset or phone registration (it answers exactly like an unknown username).
 */

export async function findMailboxByUsername(db: Db, username: string) {
  const row = await mailboxByUsernameStatement(db, username).first<MailboxRow>();
  return row ? toMailbox(row) : null;
}

/** findMailboxByUsername's statement, for a batch (a MailboxRow, or none). */
export function mailboxByUsernameStatement(db: Db, username: string) {
  return db
    .prepare(`SELECT ${COLUMNS} FROM mailboxes WHERE username = ? AND disabled_at IS NULL`)
    .bind(username);
}

export async function findMailboxById(db: Db, id: string) {
  const row = await mailboxWhereStatement(db, 'id = ?', [id]).first<MailboxRow>();
  return row ? toMailbox(row) : null;
}

/**
 * A live mailbox picked by an SQL condition on its columns (`id = (SELECT ...)`, say), for a
 * batch that reads it together with what points at it.
 */
export function mailboxWhereStatement(db: Db, where: string, params: unknown[]) {
  return db
    .prepare(`SELECT ${COLUMNS} FROM mailboxes WHERE ${where} AND disabled_at IS NULL`)
    .bind(...params);
}

/** A batch result's mailbox, or null. */
export function mailboxOf(result: D1Result | undefined): Mailbox | null {
  const row = result?.results[0] as MailboxRow | undefined;
  return row ? toMailbox(row) : null;
}

/** The newest `limit` history digests (the current password's is the newest). */
export async function historyDigests(db: Db, mailboxId: string, limit: number) {
  return digestsOf(await historyStatement(db, 'mailbox_id = ?', [mailboxId], limit).all());
}

/**
 * The newest `limit` history digests of the mailbox an SQL condition picks (`mailbox_id = ?`,
 * or a subquery), for a batch.
 */
export function historyStatement(db: Db, where: string, params: unknown[], limit: number) {
  return db
    .prepare(`SELECT digest FROM password_history WHERE ${where} ORDER BY id DESC LIMIT ?`)
    .bind(...params, limit);
}

/** The digests of a historyStatement's result. */
export function digestsOf(result: D1Result | undefined): string[] {
  return ((result?.results ?? []) as { digest: string }[]).map((r) => r.digest);
}

/** historyDigests as a Read, to share a D1 call with the mailbox's own read. */
export function historyDigestsRead(db: Db, mailboxId: string, limit: number): Read<string[]> {
  return allRows(
    db
      .prepare('SELECT digest FROM password_history WHERE mailbox_id = ? ORDER BY id DESC LIMIT ?')
      .bind(mailboxId, limit),
    (row: { digest: string }) => row.digest,
  );
}

export interface PasswordWrite {
  mailboxId: string;
  passwordHash: string;
  historyDigest: string;
  at: number;
  /** How many history entries to keep: the current password and `historyDepth` earlier ones. */
  keep: number;
}

/**
 * The statements that set a new password: hash, history entry, pruning, and the end of every
 * session of the mailbox (a password change must lock out whoever knew the old one).
 * `guard` is an SQL condition with its parameters that every statement must also satisfy, so
 * a batch that starts by claiming a reset writes nothing if the claim was lost.
 */
export function passwordWriteStatements(
  db: Db,
  w: PasswordWrite,
  guard: { sql: string; params: unknown[] } = { sql: '1', params: [] },
  keepSessionHash: string | null = null,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE mailboxes SET password_hash = ?, password_changed_at = ? WHERE id = ? AND ${guard.sql}`,
      )
      .bind(w.passwordHash, w.at, w.mailboxId, ...guard.params),
    db
      .prepare(
        `INSERT INTO password_history (mailbox_id, digest, created_at) SELECT ?, ?, ? WHERE ${guard.sql}`,
      )
      .bind(w.mailboxId, w.historyDigest, w.at, ...guard.params),
    db
      .prepare(
        `DELETE FROM password_history WHERE mailbox_id = ? AND id NOT IN (
           SELECT id FROM password_history WHERE mailbox_id = ? ORDER BY id DESC LIMIT ?)
         AND ${guard.sql}`,
      )
      .bind(w.mailboxId, w.mailboxId, w.keep, ...guard.params),
    db
      .prepare(
        `UPDATE sessions SET revoked_at = ? WHERE kind = 'mailbox' AND subject_id = ?
           AND revoked_at IS NULL AND id_hash IS NOT ? AND ${guard.sql}`,
      )
      .bind(w.at, w.mailboxId, keepSessionHash, ...guard.params),
    db
      .prepare(`DELETE FROM login_failures WHERE (username = (
           SELECT username FROM mailboxes WHERE id = ?1)
           OR (username >= (SELECT username FROM mailboxes WHERE id = ?1) || '|'
             AND username < (SELECT username FROM mailboxes WHERE id = ?1) || '}'))
           AND ${guard.sql}`)
      .bind(w.mailboxId, ...guard.params),
    // A reset begun before this password is about the one it replaced.
    endResetsStatement(db, w.mailboxId, guard),
    // A password handed over to staff is outdated by the next change; its unopened
    // links and any unshared offer end here, so no link ever shows a password that was replaced.
    db
      .prepare(
        `UPDATE handover_links SET revoked_at = ? WHERE viewed_at IS NULL AND revoked_at IS NULL
           AND handover_id IN (SELECT id FROM handovers WHERE mailbox_id = ?) AND ${guard.sql}`,
      )
      .bind(w.at, w.mailboxId, ...guard.params),
    db
      .prepare(
        `UPDATE handovers SET sealed = NULL WHERE mailbox_id = ? AND sealed IS NOT NULL
           AND ${guard.sql}`,
      )
      .bind(w.mailboxId, ...guard.params),
  ];
}

/**
 * A guard (for `passwordWriteStatements` and `insertSession`) that holds only while the
 * mailbox's stored hash is `passwordHash`: a compare-and-set on the password itself.
 */
export function passwordIsGuard(mailboxId: string, passwordHash: string) {
  return {
    sql: 'EXISTS (SELECT 1 FROM mailboxes WHERE id = ? AND password_hash = ?)',
    params: [mailboxId, passwordHash] as unknown[],
  };
}

export function updatePhoneStatement(
  db: Db,
  mailboxId: string,
  phone: string,
  guard: { sql: string; params: unknown[] },
): D1PreparedStatement {
  return db
    .prepare(`UPDATE mailboxes SET phone = ? WHERE id = ? AND ${guard.sql}`)
    .bind(phone, mailboxId, ...guard.params);
}

/**
 * Swaps the stored hash only if nobody changed the password meanwhile; with `oldHash` null,
 * unconditionally (the domain, which holds the password, already decided).
 */
export function upgradeHashStatement(
  db: Db,
  mailboxId: string,
  oldHash: string | null,
  newHash: string,
): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE mailboxes SET password_hash = ? WHERE id = ? AND (?3 IS NULL OR password_hash = ?3)',
    )
    .bind(newHash, mailboxId, oldHash);
}
