import type * as v from 'valibot';
import type { PersonPrincipal } from '../app-env';
import { exportAudit } from '../db/admin';
import { audit } from '../db/audit';
import type { AuditFilter as AuditQueryFilter } from '../db/audit-query';
import { nowSeconds } from '../db/clock';
import { AUDIT_ACTIONS } from '../domain/audit-words';
import { toCsv } from '../domain/csv';
import type { Language } from '../domain/language';
import { ApiError } from '../http/errors';
import type { AuditFilter } from '../routes/admin.schemas';
import { actorOf } from './admin';
import { auditPage } from './audit-view';
import type { Deps } from './deps';

/** The administrator's audit log: every unit, filtered, a page at a time or as CSV. */

type Query = v.InferOutput<typeof AuditFilter>;

const DAY = 86_400;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_PAGE = 50;

/**
 * At most this many entries in one CSV file, newest first. A year of a municipality's
 * mailbox traffic fits many times over in a spreadsheet's limit of about a million rows, but
 * one request must stay within a Worker's memory and time; a longer period is exported in
 * parts (narrow `from`/`to`, or `before`). A cut file says so in a header
 * (`Nyckel-Export-Truncated`).
 */
export const AUDIT_CSV_MAX_ROWS = 10_000;

function seconds(raw: string, endOfDay: boolean): number {
  const at = Math.floor(Date.parse(DATE_ONLY.test(raw) ? `${raw}T00:00:00Z` : raw) / 1000);
  return DATE_ONLY.test(raw) && endOfDay ? at + DAY : at;
}

/** The query as db/audit-query.ts understands it; 400 if `from` comes after `to`. */
function filterOf(q: Query): Omit<AuditQueryFilter, 'limit'> {
  const from = q.from === undefined ? undefined : seconds(q.from, false);
  const to = q.to === undefined ? undefined : seconds(q.to, true);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new ApiError('invalid_request', {
      issues: [{ path: 'to', message: 'to must come after from' }],
    });
  }
  return {
    unitIds: q.unitId === undefined ? 'all' : [q.unitId],
    from,
    to,
    actor: q.actor,
    action: q.action,
    outcome: q.outcome,
    before: q.before,
  };
}

/** GET /audit: one page, newest first; `next` is the `before` of the following page. */
export async function adminAudit(deps: Deps, q: Query) {
  return auditPage(deps.db, { ...filterOf(q), limit: q.limit ?? DEFAULT_PAGE });
}

const HEADER: Record<Language, string[]> = {
  sv: ['Tid (UTC)', 'Aktör', 'Händelse', 'Mål', 'Enhet', 'Adress', 'Utfall', 'Detaljer'],
  en: ['Time (UTC)', 'Actor', 'Action', 'Target', 'Unit', 'Address', 'Outcome', 'Details'],
};

const OUTCOME: Record<Language, Record<string, string>> = {
  sv: { success: 'lyckades', failure: 'misslyckades', refused: 'nekades' },
  en: { success: 'success', failure: 'failure', refused: 'refused' },
};

/**
 * "Anna Berg (person:abc)", "Brevlådan upplåst (mailbox.unlock)": the words to read, the raw
 * reference or code to search and filter by.
 */
function labelled(raw: string | null, label: string | null): string {
  if (raw === null) return '';
  return label && label !== raw ? `${label} (${raw})` : raw;
}

/** `2026-05-04 08:00:00`: ISO 8601 with a space, which Excel reads as a date and time. */
function excelTime(at: number): string {
  return new Date(at * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Today in Sweden, for the file name. */
function stockholmDate(at: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
    new Date(at * 1000),
  );
}

/**
 * GET /audit.csv: the filtered log (the newest AUDIT_CSV_MAX_ROWS; `limit` does not apply,
 * `before` continues a cut export) as an Excel-friendly file (worker/domain/csv.ts). Reading the whole log
 * is itself written to it, with the number of rows.
 */
export async function adminAuditCsv(deps: Deps, p: PersonPrincipal, q: Query) {
  const rows = await exportAudit(deps.db, filterOf(q), AUDIT_CSV_MAX_ROWS + 1);
  const truncated = rows.length > AUDIT_CSV_MAX_ROWS;
  const kept = rows.slice(0, AUDIT_CSV_MAX_ROWS);
  const lang = deps.lang;
  const text = toCsv(
    HEADER[lang],
    kept.map((r) => [
      excelTime(r.at),
      labelled(r.actor, r.actor_label),
      labelled(r.action, AUDIT_ACTIONS[r.action]?.[lang] ?? null),
      labelled(r.target, r.target_label),
      r.unit_name ?? r.unit_id,
      r.ip,
      OUTCOME[lang][r.outcome] ?? r.outcome,
      r.detail,
    ]),
  );
  const now = nowSeconds();
  await audit(
    deps.db,
    {
      actor: actorOf(p),
      action: 'audit.export',
      ip: deps.ip,
      outcome: 'success',
      detail: { rows: kept.length, truncated },
    },
    now,
  );
  return { text, filename: `nyckel-audit-${stockholmDate(now)}.csv`, truncated };
}
