import { listUnits } from '../db/manager';
import { readCsv } from '../domain/csv-read';
import { type IdentityFields, validateIdentity } from '../domain/identity-input';
import { searchKey } from '../domain/name-search';
import { ApiError } from '../http/errors';
import { IDENTITIES_PER_REQUEST } from '../routes/identities.schemas';
import type { Deps } from './deps';
import { upsertIdentity } from './identities';

/*
 * The administrator's CSV upload of hires: what Swedish Excel writes
 * (UTF-8 with or without BOM, semicolons; commas work too), previewed with an error per row
 * before anything is written, then imported row by row through the same upsert as the API.
 */

export const MAX_ROWS = 5000;

/** Column names in Swedish or English, compared without case, accents or punctuation. */
const COLUMNS: Record<keyof IdentityFields, string[]> = {
  userId: ['anvandarid', 'userid', 'anvandarnamn', 'vgrid'],
  personalNumber: ['personnummer', 'personalnumber', 'personnr', 'pnr', 'samordningsnummer'],
  hsaId: ['hsaid'],
  givenName: ['fornamn', 'givenname', 'firstname'],
  familyName: ['efternamn', 'familyname', 'lastname', 'surname'],
  unitId: ['enhet', 'unit', 'unitid', 'enhetsid'],
  startDate: ['startdatum', 'startdate', 'anstallningsdatum', 'borjar'],
  state: ['status', 'state', 'kontostatus'],
};

/** Swedish state words as HR writes them. */
const STATES: Record<string, string> = {
  ny: 'new',
  nyanstalld: 'new',
  aktiv: 'active',
  avslutad: 'ended',
  inaktiv: 'inactive',
};

function columnKey(header: string): string {
  return searchKey(header).replace(/[^a-z0-9]/g, '');
}

export interface ImportRow {
  line: number;
  userId: string;
  name: string;
  status: 'ok' | 'error' | 'created' | 'updated' | 'unchanged';
  initialPassword?: 'started' | 'none';
  issues: { path: string; code?: string; message: string }[];
}

function fail(message: string): never {
  throw new ApiError('invalid_request', { issues: [{ path: 'csv', message }] });
}

/** Reads and checks every row; writes nothing. */
async function readRows(deps: Deps, csv: string) {
  const parsed = readCsv(csv);
  if (!parsed.ok) {
    fail(
      parsed.reason === 'empty'
        ? 'The file has no rows'
        : `A quoted cell is not closed (line ${parsed.line})`,
    );
  }
  const { table } = parsed;
  const index = new Map<keyof IdentityFields, number>();
  table.header.forEach((name, i) => {
    const key = columnKey(name);
    for (const [field, names] of Object.entries(COLUMNS) as [keyof IdentityFields, string[]][]) {
      if (names.includes(key) && !index.has(field)) index.set(field, i);
    }
  });
  const missing = (Object.keys(COLUMNS) as (keyof IdentityFields)[]).filter(
    (f) => f !== 'hsaId' && !index.has(f),
  );
  if (missing.length > 0) fail(`Columns missing: ${missing.join(', ')}`);
  if (table.rows.length > MAX_ROWS) fail(`At most ${MAX_ROWS} rows a file`);

  const units = await listUnits(deps.db, 'all');
  const byName = new Map(units.map((u) => [searchKey(u.name), u.id]));
  const ids = new Set(units.map((u) => u.id));
  const cell = (cells: string[], field: keyof IdentityFields) => {
    const i = index.get(field);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  return table.rows.map(({ line, cells }) => {
    const unitText = cell(cells, 'unitId');
    const stateText = cell(cells, 'state');
    const fields: IdentityFields = {
      userId: cell(cells, 'userId'),
      personalNumber: cell(cells, 'personalNumber'),
      hsaId: cell(cells, 'hsaId'),
      givenName: cell(cells, 'givenName'),
      familyName: cell(cells, 'familyName'),
      // A unit by its id or by its name, as people write it in a spreadsheet.
      unitId: ids.has(unitText) ? unitText : (byName.get(searchKey(unitText)) ?? unitText),
      startDate: cell(cells, 'startDate'),
      state: STATES[columnKey(stateText)] ?? stateText,
    };
    return { line, fields, result: validateIdentity(fields, (id) => ids.has(id)) };
  });
}

function summary(separator: string, rows: ImportRow[], committed: boolean) {
  const errors = rows.filter((r) => r.status === 'error').length;
  return { separator, rows, counts: { ok: rows.length - errors, errors }, committed };
}

function separatorOf(csv: string): string {
  const parsed = readCsv(csv);
  return parsed.ok ? parsed.table.separator : ';';
}

/** POST /api/admin/identities/preview */
export async function previewImport(deps: Deps, csv: string) {
  const rows = (await readRows(deps, csv)).map(
    ({ line, fields, result }): ImportRow => ({
      line,
      userId: fields.userId,
      name: `${fields.givenName} ${fields.familyName}`.trim(),
      status: result.ok ? 'ok' : 'error',
      issues: result.ok ? [] : result.issues,
    }),
  );
  return summary(separatorOf(csv), rows, false);
}

/**
 * POST /api/admin/identities/import: every valid row of one part of the file (from `from`,
 * IDENTITIES_PER_REQUEST rows; the answer's `next` is where the following part starts) is
 * upserted; rows with errors are left out and listed, so the administrator can fix the file
 * and upload it again (the upsert is idempotent: rows already imported do nothing the second
 * time). Parts keep each request under the edge's limit of D1 queries per invocation.
 */
export async function runImport(deps: Deps, csv: string, actor: string, from = 0) {
  const all = await readRows(deps, csv);
  const end = Math.min(all.length, from + IDENTITIES_PER_REQUEST);
  const rows: ImportRow[] = [];
  for (const { line, fields, result } of all.slice(from, end)) {
    const base = {
      line,
      userId: fields.userId,
      name: `${fields.givenName} ${fields.familyName}`.trim(),
    };
    if (!result.ok) {
      rows.push({ ...base, status: 'error', issues: result.issues });
      continue;
    }
    try {
      const saved = await upsertIdentity(deps, result.value, actor);
      rows.push({
        ...base,
        userId: result.value.userId,
        status: saved.created ? 'created' : saved.changed ? 'updated' : 'unchanged',
        initialPassword: saved.initialPassword,
        issues: [],
      });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const issues = (err.extra.issues as { path: string; message: string }[] | undefined) ?? [
        { path: '', message: err.code },
      ];
      rows.push({ ...base, status: 'error', issues });
    }
  }
  return {
    ...summary(separatorOf(csv), rows, true),
    total: all.length,
    next: end < all.length ? end : null,
  };
}
