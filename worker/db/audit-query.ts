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

/** An entry with the names behind its references, read in the same query. */
export interface LabelledAuditRow extends AuditRow {
  /** The name behind `actor`/`target`; null for a plain word, a gone thing or an unknown kind. */
  actor_label: string | null;
  target_label: string | null;
  /** The staff member a handover entry's `detail.staff` names. */
  staff_label: string | null;
}

/** The kinds of `<kind>:<id>` reference the log names, and where each name lives. */
const NAMED: { prefix: string; sql: string }[] = [
  { prefix: 'person:', sql: 'SELECT name FROM people WHERE id = ?' },
  { prefix: 'mailbox:', sql: 'SELECT username FROM mailboxes WHERE id = ?' },
  { prefix: 'unit:', sql: 'SELECT name FROM units WHERE id = ?' },
  { prefix: 'staff:', sql: 'SELECT name FROM staff WHERE id = ?' },
  {
    prefix: 'identity:',
    sql: "SELECT given_name || ' ' || family_name FROM identities WHERE id = ?",
  },
  { prefix: 'service_token:', sql: 'SELECT name FROM service_tokens WHERE id = ?' },
  { prefix: 'service:', sql: 'SELECT name FROM service_tokens WHERE id = ?' },
  { prefix: 'connector:', sql: 'SELECT name FROM connectors WHERE id = ?' },
];

/**
 * The name behind a `<kind>:<id>` reference in `column`, as an SQL expression: one primary-key
 * lookup per named kind, inside the query that reads the entries, so a page of names costs no
 * further round trip. NULL when the thing is gone or the reference names nothing.
 */
export function labelOf(column: string): string {
  const cases = NAMED.map(
    ({ prefix, sql }) =>
      `WHEN substr(${column}, 1, ${prefix.length}) = '${prefix}'
        THEN (${sql.replace('?', `substr(${column}, ${prefix.length + 1})`)})`,
  );
  return `CASE ${cases.join(' ')} END`;
}

/** The labels every read of the log selects next to the entry's own columns. */
export const LABEL_COLUMNS = `${labelOf('a.actor')} AS actor_label,
  ${labelOf('a.target')} AS target_label,
  CASE WHEN json_valid(a.detail)
    THEN (SELECT name FROM staff WHERE id = json_extract(a.detail, '$.staff')) END AS staff_label`;

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
    where.push('a.unit_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(f.unitIds));
  }
  if (f.mailboxId !== undefined) {
    where.push('a.target = ?');
    params.push(`mailbox:${f.mailboxId}`);
  }
  if (f.from !== undefined) {
    where.push('a.at >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('a.at < ?');
    params.push(f.to);
  }
  if (f.actor !== undefined) {
    where.push('a.actor = ?');
    params.push(f.actor);
  }
  if (f.action !== undefined) {
    where.push("(a.action = ? OR a.action LIKE ? ESCAPE '\\')");
    params.push(f.action, `${likeEscape(f.action)}.%`);
  }
  if (f.outcome !== undefined) {
    where.push('a.outcome = ?');
    params.push(f.outcome);
  }
  if (f.before !== undefined) {
    // Keyset: strictly after the cursor entry in (at DESC, id DESC) order. An unknown id
    // makes the subquery NULL, so the page is empty rather than the first page again.
    where.push(
      '(a.at < (SELECT at FROM audit WHERE id = ?) OR (a.at = (SELECT at FROM audit WHERE id = ?) AND a.id < ?))',
    );
    params.push(f.before, f.before, f.before);
  }
  return { sql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * One page of entries with the names behind their references, newest first, and the cursor for
 * the next page (null on the last), as a read that can share a D1 call with others. One more
 * row than asked for is read to know whether there is a next page.
 */
export function listAuditLabelledRead(
  db: Db,
  f: AuditFilter,
): Read<{ rows: LabelledAuditRow[]; next: number | null }> {
  const where = auditWhere(f) ?? { sql: 'WHERE 0', params: [] };
  const limit = Math.min(Math.max(1, Math.floor(f.limit)), MAX_LIMIT);
  return {
    statement: db
      .prepare(
        `SELECT a.id, a.at, a.actor, a.action, a.target, a.ip, a.outcome, a.detail,
           a.unit_id, ${LABEL_COLUMNS}
         FROM audit a ${where.sql}
         ORDER BY a.at DESC, a.id DESC LIMIT ?`,
      )
      .bind(...where.params, limit + 1),
    read: (result) => {
      const results = result.results as LabelledAuditRow[];
      const rows = results.slice(0, limit);
      const next = results.length > limit ? (rows[rows.length - 1]?.id ?? null) : null;
      return { rows, next };
    },
  };
}

/** listAuditLabelledRead in a D1 call of its own. */
export async function listAudit(
  db: Db,
  f: AuditFilter,
): Promise<{ rows: LabelledAuditRow[]; next: number | null }> {
  const read = listAuditLabelledRead(db, f);
  return read.read(await read.statement.all());
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
