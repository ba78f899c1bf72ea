/**
 * What only an administrator writes: units, mailbox provisioning (create, move, disable),
 * people and their roles, and the audit export. Times are unix seconds.
 */
import type { UnitRole } from '../domain/access';
import { type AuditFilter, LABEL_COLUMNS, type LabelledAuditRow } from './audit-query';
import type { Db } from './database';
import type { Unit } from './manager';
import { toPerson } from './people';

/* Units (the reads shared with the manager's routes are in db/manager.ts) */

/** Every unit with how many mailboxes it has (disabled ones included). */
export async function listUnitsWithCounts(db: Db) {
  const { results } = await db
    .prepare(
      `SELECT u.id, u.name,
         (SELECT COUNT(*) FROM mailboxes m WHERE m.unit_id = u.id) AS mailboxCount
       FROM units u ORDER BY u.name, u.id`,
    )
    .all<Unit & { mailboxCount: number }>();
  return results;
}

/** Names of every unit's managers who can still sign in, by unit id. */
export async function unitManagers(db: Db) {
  const { results } = await db
    .prepare(
      `SELECT r.unit_id AS unitId, p.name FROM roles r JOIN people p ON p.id = r.person_id
       WHERE r.role = 'manager' AND p.disabled_at IS NULL ORDER BY p.name`,
    )
    .all<{ unitId: string; name: string }>();
  const byUnit = new Map<string, string[]>();
  for (const row of results) byUnit.set(row.unitId, [...(byUnit.get(row.unitId) ?? []), row.name]);
  return byUnit;
}

export function insertUnitStatement(db: Db, unit: Unit, at: number) {
  return db
    .prepare('INSERT INTO units (id, name, created_at) VALUES (?, ?, ?)')
    .bind(unit.id, unit.name, at);
}

export function renameUnitStatement(db: Db, unit: Unit) {
  return db.prepare('UPDATE units SET name = ? WHERE id = ?').bind(unit.name, unit.id);
}

/* Mailboxes */

/** A mailbox as the administrator sees it: disabled ones too. */
export interface AdminMailbox {
  id: string;
  username: string;
  displayName: string;
  unitId: string | null;
  disabledAt: number | null;
}

export async function findAnyMailbox(db: Db, id: string) {
  return db
    .prepare(
      `SELECT id, username, display_name AS displayName, unit_id AS unitId,
         disabled_at AS disabledAt FROM mailboxes WHERE id = ?`,
    )
    .bind(id)
    .first<AdminMailbox>();
}

/** Whether the canonical username is in use, by a disabled mailbox too (the column is UNIQUE). */
/** The mailbox that has the username, if any: a refusal names it. */
export async function mailboxWithUsername(db: Db, username: string) {
  return db
    .prepare('SELECT id, username AS name FROM mailboxes WHERE username = ?')
    .bind(username)
    .first<{ id: string; name: string }>();
}

/** A new mailbox with its first history entry, the same rows scripts/seed.ts writes. */
export function insertMailboxStatements(
  db: Db,
  m: {
    id: string;
    username: string;
    displayName: string;
    unitId: string;
    passwordHash: string;
    historySalt: string;
    historyDigest: string;
    at: number;
  },
) {
  return [
    db
      .prepare(
        `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
           history_salt, password_changed_at, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
      )
      .bind(m.id, m.username, m.displayName, m.unitId, m.passwordHash, m.historySalt, m.at, m.at),
    db
      .prepare('INSERT INTO password_history (mailbox_id, digest, created_at) VALUES (?, ?, ?)')
      .bind(m.id, m.historyDigest, m.at),
  ];
}

export function updateMailboxStatement(
  db: Db,
  id: string,
  change: { displayName: string; unitId: string | null; disabledAt: number | null },
) {
  return db
    .prepare('UPDATE mailboxes SET display_name = ?, unit_id = ?, disabled_at = ? WHERE id = ?')
    .bind(change.displayName, change.unitId, change.disabledAt, id);
}

/** Ends every session of a mailbox (it was disabled). */
export function revokeMailboxSessionsStatement(db: Db, mailboxId: string, now: number) {
  return db
    .prepare(
      `UPDATE sessions SET revoked_at = ? WHERE kind = 'mailbox' AND subject_id = ?
         AND revoked_at IS NULL`,
    )
    .bind(now, mailboxId);
}

/* People */

export interface AdminPersonRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  hsaId: string | null;
  isAdmin: boolean;
  disabledAt: number | null;
  enrolled: boolean;
  invitePending: boolean;
}

/**
 * People with whether they have a sign-in factor and an open invite; one person (`id`) or
 * everyone. `now` decides which invites are still open.
 */
export async function listPeople(db: Db, now: number, id?: string) {
  const { results } = await db
    .prepare(
      `SELECT p.id, p.name, p.email, p.phone, p.hsa_id, p.is_admin, p.disabled_at, p.created_at,
         (EXISTS (SELECT 1 FROM passkeys k WHERE k.person_id = p.id)
           OR EXISTS (SELECT 1 FROM totp_factors t WHERE t.person_id = p.id)) AS enrolled,
         EXISTS (SELECT 1 FROM invites i WHERE i.person_id = p.id AND i.used_at IS NULL
           AND i.revoked_at IS NULL AND i.expires_at > ?1) AS invite_pending
       FROM people p WHERE ?2 IS NULL OR p.id = ?2 ORDER BY p.name, p.email`,
    )
    .bind(now, id ?? null)
    .all<Parameters<typeof toPerson>[0] & { enrolled: number; invite_pending: number }>();
  return results.map(
    (row): AdminPersonRow => ({
      ...toPerson(row),
      enrolled: row.enrolled === 1,
      invitePending: row.invite_pending === 1,
    }),
  );
}

/** Roles with unit names; one person's or everyone's. */
export async function listRoles(db: Db, personId?: string) {
  const { results } = await db
    .prepare(
      `SELECT r.person_id AS personId, r.unit_id AS unitId, u.name AS unitName, r.role
       FROM roles r JOIN units u ON u.id = r.unit_id
       WHERE ?1 IS NULL OR r.person_id = ?1 ORDER BY u.name, u.id`,
    )
    .bind(personId ?? null)
    .all<{ personId: string; unitId: string; unitName: string; role: UnitRole }>();
  return results;
}

export function insertPersonStatement(
  db: Db,
  p: {
    id: string;
    name: string;
    email: string;
    phone: string | null;
    hsaId: string | null;
    isAdmin: boolean;
    at: number;
  },
) {
  return db
    .prepare(
      `INSERT INTO people (id, name, email, phone, hsa_id, is_admin, disabled_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    )
    .bind(p.id, p.name, p.email, p.phone, p.hsaId, p.isAdmin ? 1 : 0, p.at);
}

export function updatePersonStatement(
  db: Db,
  id: string,
  p: {
    name: string;
    phone: string | null;
    hsaId: string | null;
    isAdmin: boolean;
    disabledAt: number | null;
  },
) {
  return db
    .prepare(
      'UPDATE people SET name = ?, phone = ?, hsa_id = ?, is_admin = ?, disabled_at = ? WHERE id = ?',
    )
    .bind(p.name, p.phone, p.hsaId, p.isAdmin ? 1 : 0, p.disabledAt, id);
}

/** Whether another person already has this HSA-id (disabled people too: the column is UNIQUE). */
/** Another person with the HSA-id, if any: a refusal names them. */
export async function personWithHsaId(db: Db, hsaId: string, exceptPersonId: string | null) {
  return db
    .prepare('SELECT id, name FROM people WHERE hsa_id = ? AND id IS NOT ?')
    .bind(hsaId, exceptPersonId)
    .first<{ id: string; name: string }>();
}

/* Roles */

export function upsertRoleStatement(
  db: Db,
  r: { personId: string; unitId: string; role: UnitRole; at: number; by: string },
) {
  return db
    .prepare(
      `INSERT INTO roles (person_id, unit_id, role, created_at, created_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (person_id, unit_id) DO UPDATE SET role = excluded.role,
         created_at = excluded.created_at, created_by = excluded.created_by`,
    )
    .bind(r.personId, r.unitId, r.role, r.at, r.by);
}

export function deleteRoleStatement(db: Db, personId: string, unitId: string) {
  return db.prepare('DELETE FROM roles WHERE person_id = ? AND unit_id = ?').bind(personId, unitId);
}

/* Audit export */

export interface AuditExportRow extends LabelledAuditRow {
  unit_name: string | null;
}

/**
 * The administrator's CSV export: up to `maxRows` entries (newest first) with the names of
 * actor, target, staff member and unit, in ONE query (the names as listAudit reads them,
 * db/audit-query.ts). The filter means exactly what it means for listAudit.
 */
export async function exportAudit(
  db: Db,
  f: Omit<AuditFilter, 'limit' | 'mailboxId'>,
  maxRows: number,
): Promise<AuditExportRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (Array.isArray(f.unitIds)) {
    if (f.unitIds.length === 0) return [];
    add(`a.unit_id IN (${f.unitIds.map(() => '?').join(', ')})`, ...f.unitIds);
  }
  if (f.from !== undefined) add('a.at >= ?', f.from);
  if (f.to !== undefined) add('a.at < ?', f.to);
  if (f.actor !== undefined) add('a.actor = ?', f.actor);
  if (f.action !== undefined) {
    const family = `${f.action.replace(/[\\%_]/g, (ch) => `\\${ch}`)}.%`;
    add("(a.action = ? OR a.action LIKE ? ESCAPE '\\')", f.action, family);
  }
  if (f.outcome !== undefined) add('a.outcome = ?', f.outcome);
  if (f.before !== undefined) {
    add(
      `(a.at < (SELECT at FROM audit WHERE id = ?)
        OR (a.at = (SELECT at FROM audit WHERE id = ?) AND a.id < ?))`,
      f.before,
      f.before,
      f.before,
    );
  }
  const { results } = await db
    .prepare(
      `SELECT a.id, a.at, a.actor, a.action, a.target, a.ip, a.outcome, a.detail, a.unit_id,
         ${LABEL_COLUMNS},
         (SELECT name FROM units WHERE id = a.unit_id) AS unit_name
       FROM audit a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.at DESC, a.id DESC LIMIT ?`,
    )
    .bind(...params, maxRows)
    .all<AuditExportRow>();
  return results;
}
