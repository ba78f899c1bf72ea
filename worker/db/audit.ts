import type { Db } from './database';
/**
 * The audit log: who, what, when, from which address, outcome. `detail` is for ids and
 * masked values only; callers never pass a password, code or token (a test scans for them).
 */
export interface AuditEntry {
  actor: string;
  action: string;
  target?: string | null;
  ip: string | null;
  outcome: 'success' | 'failure' | 'refused';
  detail?: Record<string, string | number | boolean | null>;
  /** The unit the entry belongs to; for a `mailbox:<id>` target it is looked up if omitted. */
  unitId?: string | null;
}

export function auditStatement(db: Db, entry: AuditEntry, at: number) {
  return auditWhereStatement(db, entry, at, { sql: '1', params: [] });
}

/**
 * An audit entry written only if `guard` (an SQL condition with its parameters) holds, for a
 * batch whose earlier statement decides what happened: the entry lands with the outcome it
 * records, in the same transaction.
 */
export function auditWhereStatement(
  db: Db,
  entry: AuditEntry,
  at: number,
  guard: { sql: string; params: unknown[] },
) {
  return db
    .prepare(
      `INSERT INTO audit (at, actor, action, target, ip, outcome, detail, unit_id)
       SELECT ?, ?, ?, ?, ?, ?, ?, COALESCE(?, (SELECT unit_id FROM mailboxes WHERE id = ?))
       WHERE ${guard.sql}`,
    )
    .bind(
      at,
      entry.actor,
      entry.action,
      entry.target ?? null,
      entry.ip,
      entry.outcome,
      entry.detail ? JSON.stringify(entry.detail) : null,
      entry.unitId ?? null,
      entry.target?.startsWith('mailbox:') ? entry.target.slice('mailbox:'.length) : null,
      ...guard.params,
    );
}

export async function audit(db: Db, entry: AuditEntry, at: number) {
  await auditStatement(db, entry, at).run();
}
