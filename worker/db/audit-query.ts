import type { Db } from './database';
import type { Read } from './reads';
/**
 * Reading the audit log: a unit's trail, a mailbox's history, the administrator's filtered
 * log. Times are unix seconds. Newest first by (at, id), so the audit_unit (unit_id, at),
 * audit_target (target, at) and audit_at (at) indexes give the order; the page cursor is
 * the id of the last entry of the previous page.
 */

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: string;
  detail: string | null;
  unit_id: string | null;
}

export interface AuditFilter {
  /** Units whose entries are wanted; 'all' (or absent) for every entry. An empty list finds none. */
  unitIds?: string[] | 'all';
  /** Entries whose target is `mailbox:<id>`. */
  mailboxId?: string;
  /** From this time (inclusive), unix seconds. */
  from?: number;
  /** Up to this time (exclusive), unix seconds. */
  to?: number;
  /** Exact actor string (`person:<id>`, `mailbox:<id>`, `anonymous`, `system`). */
  actor?: string;
  /** An action code, or a family of them: `mailbox.password` also finds `mailbox.password.change`. */
  action?: string;
  outcome?: string;
  /** Page cursor: entries older than the entry with this id. */
  before?: number;
  /** 1–100. */
  limit: number;
}

const MAX_LIMIT = 100;

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The WHERE clause and parameters of a filter; null when it can match nothing. */
function auditWhere(f: AuditFilter): { sql: string; params: unknown[] } | null {
  const where: string[] = [];
  const params: unknown[] = [];
  if (Array.isArray(f.unitIds)) {
    if (f.unitIds.length === 0) return null;
    // One JSON parameter however many units: D1 binds at most 100 parameters a statement.
    where.push('unit_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(f.unitIds));
  }
  if (f.mailboxId !== undefined) {
    where.push('target = ?');
    params.push(`mailbox:${f.mailboxId}`);
  }
  if (f.from !== undefined) {
    where.push('at >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('at < ?');
    params.push(f.to);
  }
  if (f.actor !== undefined) {
    where.push('actor = ?');
    params.push(f.actor);
  }
  if (f.action !== undefined) {
    where.push("(action = ? OR action LIKE ? ESCAPE '\\')");
    params.push(f.action, `${likeEscape(f.action)}.%`);
  }
  if (f.outcome !== undefined) {
    where.push('outcome = ?');
    params.push(f.outcome);
  }
  if (f.before !== undefined) {
    // Keyset: strictly after the cursor entry in (at DESC, id DESC) order. An unknown id
    // makes the subquery NULL, so the page is empty rather than the first page again.
    where.push(
      '(at < (SELECT at FROM audit WHERE id = ?) OR (at = (SELECT at FROM audit WHERE id = ?) AND id < ?))',
    );
    params.push(f.before, f.before, f.before);
  }
  return { sql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

function pageLimit(f: AuditFilter): number {
  return Math.min(Math.max(1, Math.floor(f.limit)), MAX_LIMIT);
}

/** The page's rows and the cursor of the next page, from one more row than asked for. */
function toPage<R extends { id: number }>(results: R[], limit: number) {
  const rows = results.slice(0, limit);
  const next = results.length > limit ? (rows[rows.length - 1]?.id ?? null) : null;
  return { rows, next };
}

const AUDIT_COLUMNS = 'id, at, actor, action, target, ip, outcome, detail, unit_id';

/**
 * One page of entries, newest first, and the cursor for the next page (null on the last).
 * One more row than asked for is read to know whether there is a next page.
 */
export async function listAudit(
  db: Db,
  f: AuditFilter,
): Promise<{ rows: AuditRow[]; next: number | null }> {
  const where = auditWhere(f);
  if (!where) return { rows: [], next: null };
  const limit = pageLimit(f);
  const { results } = await db
    .prepare(`SELECT ${AUDIT_COLUMNS} FROM audit ${where.sql} ORDER BY at DESC, id DESC LIMIT ?`)
    .bind(...where.params, limit + 1)
    .all<AuditRow>();
  return toPage(results, limit);
}

/** An audit row with the names of the person, mailbox, unit or staff member it mentions. */
export interface LabelledAuditRow extends AuditRow {
  actor_label: string | null;
  target_label: string | null;
}

/** The name an `<kind>:<id>` reference stands for (auditLabels' lookups, per row in SQL). */
function labelSql(column: 'actor' | 'target') {
  return `CASE
      WHEN substr(${column}, 1, 7) = 'person:'
        THEN (SELECT name FROM people WHERE id = substr(${column}, 8))
      WHEN substr(${column}, 1, 8) = 'mailbox:'
        THEN (SELECT username FROM mailboxes WHERE id = substr(${column}, 9))
      WHEN substr(${column}, 1, 5) = 'unit:'
        THEN (SELECT name FROM units WHERE id = substr(${column}, 6))
      WHEN substr(${column}, 1, 6) = 'staff:'
        THEN (SELECT name FROM staff WHERE id = substr(${column}, 7))
    END AS ${column}_label`;
}

/**
 * listAudit with the names next to the ids, in one statement (one primary-key probe per
 * mentioned id), so a page costs one D1 call and can share it with other reads.
 */
export function listAuditLabelledRead(
  db: Db,
  f: AuditFilter,
): Read<{ rows: LabelledAuditRow[]; next: number | null }> {
  const where = auditWhere(f) ?? { sql: 'WHERE 0', params: [] };
  const limit = pageLimit(f);
  return {
    statement: db
      .prepare(
        `SELECT ${AUDIT_COLUMNS}, ${labelSql('actor')}, ${labelSql('target')}
         FROM audit ${where.sql} ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .bind(...where.params, limit + 1),
    read: (result) => toPage(result.results as LabelledAuditRow[], limit),
  };
}

/** Names for the ids an audit page mentions, so a person reads "Anna Berg", not an id. */
export async function auditLabels(
  db: Db,
  ids: { personIds: string[]; mailboxIds: string[]; unitIds: string[]; staffIds?: string[] },
) {
  const lookup = async (table: string, column: string, values: string[]) => {
    if (values.length === 0) return new Map<string, string>();
    // A page can name up to 200 ids; bound as one JSON array (D1: at most 100 parameters).
    const { results } = await db
      .prepare(
        `SELECT id, ${column} AS label FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .bind(JSON.stringify(values))
      .all<{ id: string; label: string }>();
    return new Map(results.map((r) => [r.id, r.label]));
  };
  const [people, mailboxes, units, staff] = await Promise.all([
    lookup('people', 'name', ids.personIds),
    lookup('mailboxes', 'username', ids.mailboxIds),
    lookup('units', 'name', ids.unitIds),
    lookup('staff', 'name', ids.staffIds ?? []),
  ]);
  return { people, mailboxes, units, staff };
}

/**
 * How many entries of one action were written from `since` on, counting at most `cap`: the
 * audit_at (at) index narrows the read to the recent entries, and the cap bounds it however
 * large a flood grows.
 */
export async function countActionSince(
  db: Db,
  action: string,
  since: number,
  cap: number,
): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit WHERE at >= ?1 AND action = ?2 LIMIT ?3)`,
    )
    .bind(since, action, cap)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
