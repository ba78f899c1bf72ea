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
  return db
    .prepare(
      `INSERT INTO audit (at, actor, action, target, ip, outcome, detail, unit_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE(?, (SELECT unit_id FROM mailboxes WHERE id = ?)))`,
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
    );
}

export async function audit(db: Db, entry: AuditEntry, at: number) {
  await auditStatement(db, entry, at).run();
}
