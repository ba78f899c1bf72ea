import {
  type AuditFilter,
  type AuditRow,
  auditLabels,
  type LabelledAuditRow,
  listAudit,
} from '../db/audit-query';
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
}

function refOf(value: string | null): { kind: string; id: string } | null {
  if (value === null) return null;
  const colon = value.indexOf(':');
  if (colon < 1) return null;
  return { kind: value.slice(0, colon), id: value.slice(colon + 1) };
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

/** Maps rows to AuditItems, looking the names up in one query per kind of id. */
export async function auditItems(db: Db, rows: AuditRow[]): Promise<AuditItem[]> {
  const ids = {
    person: new Set<string>(),
    mailbox: new Set<string>(),
    unit: new Set<string>(),
    staff: new Set<string>(),
  };
  for (const row of rows) {
    for (const ref of [refOf(row.actor), refOf(row.target)]) {
      if (
        ref &&
        (ref.kind === 'person' ||
          ref.kind === 'mailbox' ||
          ref.kind === 'unit' ||
          ref.kind === 'staff')
      ) {
        ids[ref.kind].add(ref.id);
      }
    }
  }
  const labels = await auditLabels(db, {
    personIds: [...ids.person],
    mailboxIds: [...ids.mailbox],
    unitIds: [...ids.unit],
    staffIds: [...ids.staff],
  });
  const label = (value: string | null): string | null => {
    const ref = refOf(value);
    if (!ref) return value;
    const names =
      ref.kind === 'person'
        ? labels.people
        : ref.kind === 'mailbox'
          ? labels.mailboxes
          : ref.kind === 'unit'
            ? labels.units
            : ref.kind === 'staff'
              ? labels.staff
              : null;
    // A deleted subject keeps its raw reference: the trail must still say something.
    return names?.get(ref.id) ?? value;
  };
  return rows.map((row) => toItem(row, label(row.actor) ?? row.actor, label(row.target)));
}

function toItem(row: AuditRow, actorLabel: string, targetLabel: string | null): AuditItem {
  return {
    id: String(row.id),
    at: isoFromSeconds(row.at),
    actor: row.actor,
    actorLabel,
    action: row.action,
    target: row.target,
    targetLabel,
    ip: row.ip,
    outcome: row.outcome,
    detail: parseDetail(row.detail),
  };
}

/**
 * AuditItems from rows read with their names (listAuditLabelledRead). A deleted subject keeps
 * its raw reference, as in auditItems.
 */
export function labelledAuditItems(rows: LabelledAuditRow[]): AuditItem[] {
  return rows.map((row) =>
    toItem(
      row,
      row.actor_label ?? row.actor,
      row.target === null ? null : (row.target_label ?? row.target),
    ),
  );
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
  const { rows, next } = await listAudit(db, filter);
  return { items: await auditItems(db, rows), next: next === null ? null : String(next) };
}
