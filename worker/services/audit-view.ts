import { type AuditFilter, type LabelledAuditRow, listAudit } from '../db/audit-query';
import { isoFromSeconds } from '../db/clock';
import type { Db } from '../db/database';

/**
 * An audit entry as the API shows it (who, what, when, from where, outcome), with
 * names next to the ids so the trail reads like a sentence.
 */
export interface AuditItem {
  /** The entry's id (a decimal string); also the `before` cursor of the next page. */
  id: string;
  at: string;
  actor: string;
  /** The person's or staff member's name, the mailbox's username, 'anonymous' or 'system'. */
  actorLabel: string;
  action: string;
  target: string | null;
  targetLabel: string | null;
  ip: string | null;
  outcome: string;
  /** Ids and masked values only (worker/db/audit.ts), never a secret. */
  detail: Record<string, unknown> | null;
  /** Names for ids in `detail`, by key (`staff`: the staff member's name). */
  detailNames?: Record<string, string>;
}

function parseDetail(detail: string | null): Record<string, unknown> | null {
  if (detail === null) return null;
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Maps rows to AuditItems. The names were read with the rows (db/audit-query.ts); a reference
 * whose thing is gone keeps its raw form here, and the apps say "borttagen …" for its kind.
 */
export function labelledAuditItems(rows: LabelledAuditRow[]): AuditItem[] {
  return rows.map((row) => ({
    id: String(row.id),
    at: isoFromSeconds(row.at),
    actor: row.actor,
    actorLabel: row.actor_label ?? row.actor,
    action: row.action,
    target: row.target,
    targetLabel: row.target_label ?? row.target,
    ip: row.ip,
    outcome: row.outcome,
    detail: parseDetail(row.detail),
    ...(row.staff_label === null ? {} : { detailNames: { staff: row.staff_label } }),
  }));
}

/** An audit page as the API answers it, from a labelled read. */
export function labelledAuditPage(page: { rows: LabelledAuditRow[]; next: number | null }) {
  return {
    items: labelledAuditItems(page.rows),
    next: page.next === null ? null : String(page.next),
  };
}

/**
 * One page of the audit log as the API answers it: `{items, next}`, newest first; `next` is
 * the `before` value for the following page, null on the last. Callers decide the scope
 * (`filter.unitIds`) from the principal; this function checks nothing.
 */
export async function auditPage(
  db: Db,
  filter: AuditFilter,
): Promise<{ items: AuditItem[]; next: string | null }> {
  return labelledAuditPage(await listAudit(db, filter));
}
