import type { IdentityState } from '../domain/identity-rules';
import { maskPersonnummer } from '../domain/personnummer';
import type { Db } from './database';
import { allRows, oneRow, type Read, readTogether } from './reads';

/** SQL for identities of new hires and their initial passwords. */

export interface IdentityRow {
  id: string;
  userId: string;
  givenName: string;
  familyName: string;
  pnrSealed: string;
  pnrIndex: string;
  pnrMasked: string;
  hsaId: string | null;
  unitId: string;
  unitName: string;
  startDate: string;
  state: IdentityState;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** The current initial password, if any (LEFT JOIN). */
  initial: InitialPasswordRow | null;
}

export interface InitialPasswordRow {
  sealed: string | null;
  reason: 'new' | 'reactivated';
  createdAt: number;
  fetchCount: number;
  firstFetchedAt: number | null;
  lastFetchedAt: number | null;
  firstLoginAt: number | null;
  notifiedAt: number | null;
  remindedAt: number | null;
  /** Where the domain stands: null when the organisation's IdM sets initial passwords. */
  directory: 'pending' | 'written' | null;
  directoryGuid: string | null;
  directoryWrittenAt: number | null;
  directoryTriedAt: number | null;
  directoryError: string | null;
  /** The employment ended before the first login and the copy was deleted. */
  withdrawnAt: number | null;
}

interface Raw {
  id: string;
  user_id: string;
  given_name: string;
  family_name: string;
  pnr_sealed: string;
  pnr_index: string;
  pnr_masked: string;
  hsa_id: string | null;
  unit_id: string;
  unit_name: string;
  start_date: string;
  state: IdentityState;
  version: number;
  created_at: number;
  updated_at: number;
  ip_sealed: string | null;
  ip_reason: 'new' | 'reactivated' | null;
  ip_created_at: number | null;
  ip_fetch_count: number | null;
  ip_first_fetched_at: number | null;
  ip_last_fetched_at: number | null;
  ip_first_login_at: number | null;
  ip_notified_at: number | null;
  ip_reminded_at: number | null;
  ip_directory: 'pending' | 'written' | null;
  ip_directory_guid: string | null;
  ip_directory_written_at: number | null;
  ip_directory_tried_at: number | null;
  ip_directory_error: string | null;
  ip_withdrawn_at: number | null;
}

const COLUMNS = `SELECT i.id, i.user_id, i.given_name, i.family_name, i.pnr_sealed, i.pnr_index,
    i.pnr_masked, i.hsa_id, i.unit_id, u.name AS unit_name, i.start_date, i.state, i.version, i.created_at,
    i.updated_at, p.sealed AS ip_sealed, p.reason AS ip_reason, p.created_at AS ip_created_at,
    p.fetch_count AS ip_fetch_count, p.first_fetched_at AS ip_first_fetched_at,
    p.last_fetched_at AS ip_last_fetched_at, p.first_login_at AS ip_first_login_at,
    p.notified_at AS ip_notified_at, p.reminded_at AS ip_reminded_at,
    p.directory AS ip_directory, p.directory_guid AS ip_directory_guid,
    p.directory_written_at AS ip_directory_written_at, p.directory_tried_at AS ip_directory_tried_at,
    p.directory_error AS ip_directory_error, p.withdrawn_at AS ip_withdrawn_at`;

const SELECT = `${COLUMNS}
  FROM identities i JOIN units u ON u.id = i.unit_id
  LEFT JOIN initial_passwords p ON p.identity_id = i.id`;

/*
 * The same columns for identities with an open initial password. Starting from the partial
 * index initial_passwords_sealed (migration 0004) walks only the open rows; SQLite does not
 * turn the LEFT JOIN above into this by itself, and then scans every identity.
 */
const SELECT_OPEN = `${COLUMNS}
  FROM initial_passwords p JOIN identities i ON i.id = p.identity_id
  JOIN units u ON u.id = i.unit_id`;

function toRow(r: Raw): IdentityRow {
  return {
    id: r.id,
    userId: r.user_id,
    givenName: r.given_name,
    familyName: r.family_name,
    pnrSealed: r.pnr_sealed,
    pnrIndex: r.pnr_index,
    // Remasked on the way out: a row written with the older mask, which showed the birth day,
    // shows year and month only like every other.
    pnrMasked: maskPersonnummer(r.pnr_masked),
    hsaId: r.hsa_id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    startDate: r.start_date,
    state: r.state,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    initial:
      r.ip_reason === null
        ? null
        : {
            sealed: r.ip_sealed,
            reason: r.ip_reason,
            createdAt: r.ip_created_at ?? 0,
            fetchCount: r.ip_fetch_count ?? 0,
            firstFetchedAt: r.ip_first_fetched_at,
            lastFetchedAt: r.ip_last_fetched_at,
            firstLoginAt: r.ip_first_login_at,
            notifiedAt: r.ip_notified_at,
            remindedAt: r.ip_reminded_at,
            directory: r.ip_directory,
            directoryGuid: r.ip_directory_guid,
            directoryWrittenAt: r.ip_directory_written_at,
            directoryTriedAt: r.ip_directory_tried_at,
            directoryError: r.ip_directory_error,
            withdrawnAt: r.ip_withdrawn_at,
          },
  };
}

/** The units a search may look in: every unit for an administrator. */
export type UnitFilter = 'all' | string[];

function scopeSql(units: UnitFilter): { sql: string; binds: string[] } {
  if (units === 'all') return { sql: '1 = 1', binds: [] };
  // One JSON array, not one parameter per unit: D1 allows at most 100 bound parameters.
  return { sql: 'i.unit_id IN (SELECT value FROM json_each(?))', binds: [JSON.stringify(units)] };
}

export function findIdentityByIdRead(db: Db, id: string): Read<IdentityRow | null> {
  return oneRow(db.prepare(`${SELECT} WHERE i.id = ?`).bind(id), toRow);
}

export async function findIdentityById(db: Db, id: string): Promise<IdentityRow | null> {
  const [row] = await readTogether(db, [findIdentityByIdRead(db, id)]);
  return row;
}

export async function findIdentityByUserId(db: Db, userId: string): Promise<IdentityRow | null> {
  const r = await db.prepare(`${SELECT} WHERE i.user_id = ?`).bind(userId).first<Raw>();
  return r ? toRow(r) : null;
}

/** The user id that holds a personnummer (by its blind index), to refuse a second holder. */
export async function userIdByPnrIndex(db: Db, index: string): Promise<string | null> {
  const r = await db
    .prepare('SELECT user_id FROM identities WHERE pnr_index = ?')
    .bind(index)
    .first<{ user_id: string }>();
  return r?.user_id ?? null;
}

export interface IdentityWrite {
  id: string;
  userId: string;
  givenName: string;
  familyName: string;
  givenKey: string;
  familyKey: string;
  fullKey: string;
  pnrSealed: string;
  pnrIndex: string;
  /** The keyed blind index of the birth date as the number writes it (migration 0012). */
  birthIndex: string;
  pnrMasked: string;
  hsaId: string | null;
  unitId: string;
  startDate: string;
  state: IdentityState;
}

export function insertIdentityStatement(db: Db, w: IdentityWrite, at: number) {
  return db
    .prepare(
      `INSERT INTO identities (id, user_id, given_name, family_name, given_key, family_key,
         full_key, pnr_sealed, pnr_index, pnr_masked, hsa_id, unit_id, start_date, state,
         created_at, updated_at, birth_index)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      w.id,
      w.userId,
      w.givenName,
      w.familyName,
      w.givenKey,
      w.familyKey,
      w.fullKey,
      w.pnrSealed,
      w.pnrIndex,
      w.pnrMasked,
      w.hsaId,
      w.unitId,
      w.startDate,
      w.state,
      at,
      at,
      w.birthIndex,
    );
}

/**
 * Updates an identity only if it still has the version that was read, so of two upserts of
 * the same user id at once only one can decide to start an initial password (the other gets
 * 0 changes and answers 409).
 */
export function updateIdentityStatement(db: Db, w: IdentityWrite, readVersion: number, at: number) {
  return db
    .prepare(
      `UPDATE identities SET given_name = ?, family_name = ?, given_key = ?, family_key = ?,
         full_key = ?, pnr_sealed = ?, pnr_index = ?, pnr_masked = ?, hsa_id = ?, unit_id = ?,
         start_date = ?, state = ?, updated_at = ?, birth_index = ?, version = version + 1
       WHERE id = ? AND version = ?`,
    )
    .bind(
      w.givenName,
      w.familyName,
      w.givenKey,
      w.familyKey,
      w.fullKey,
      w.pnrSealed,
      w.pnrIndex,
      w.pnrMasked,
      w.hsaId,
      w.unitId,
      w.startDate,
      w.state,
      at,
      w.birthIndex,
      w.id,
      readVersion,
    );
}

/**
 * Starts a new initial-password cycle, replacing an earlier (used or unused) one. It must
 * directly follow the identity's insert or update in the same batch: `changes() = 1` makes it
 * a no-op when that write lost a race (SQLite's changes() counts the previous statement).
 */
export function startInitialPasswordStatement(
  db: Db,
  identityId: string,
  sealed: string,
  reason: 'new' | 'reactivated',
  at: number,
  directory: 'pending' | null,
) {
  return db
    .prepare(
      `INSERT INTO initial_passwords (identity_id, sealed, reason, created_at, directory)
       SELECT ?, ?, ?, ?, ? WHERE changes() = 1
       ON CONFLICT (identity_id) DO UPDATE SET sealed = excluded.sealed, reason = excluded.reason,
         created_at = excluded.created_at, fetch_count = 0, first_fetched_at = NULL,
         last_fetched_at = NULL, first_login_at = NULL, notified_at = NULL, reminded_at = NULL,
         notify_claimed_at = NULL, remind_claimed_at = NULL, directory = excluded.directory,
         directory_guid = NULL, directory_written_at = NULL, directory_tried_at = NULL,
         directory_error = NULL, directory_claimed_at = NULL, directory_checked_at = NULL,
         withdrawn_at = NULL`,
    )
    .bind(identityId, sealed, reason, at, directory);
}

/**
 * The employment ended (or went inactive) before the first login: the copy is deleted and can
 * no longer be fetched. Like the cycle's start, it must directly follow the identity's update
 * in the same batch, and does nothing when that update lost a race.
 */
export function withdrawInitialPasswordStatement(db: Db, identityId: string, at: number) {
  return db
    .prepare(
      `UPDATE initial_passwords SET sealed = NULL, withdrawn_at = ?
       WHERE identity_id = ? AND sealed IS NOT NULL AND first_login_at IS NULL AND changes() = 1`,
    )
    .bind(at, identityId);
}

/** Counts a fetch; only while the password still exists (not after the first login). */
export function recordFetchStatement(db: Db, identityId: string, at: number) {
  return db
    .prepare(
      `UPDATE initial_passwords SET fetch_count = fetch_count + 1,
         first_fetched_at = COALESCE(first_fetched_at, ?), last_fetched_at = ?
       WHERE identity_id = ? AND sealed IS NOT NULL`,
    )
    .bind(at, at, identityId);
}

/**
 * The first login: the ciphertext goes, the time stays (idempotent: the first time wins). With
 * `cycle` (its created_at), only while that cycle is still the current one.
 */
export function firstLoginStatements(db: Db, identityId: string, at: number, cycle?: number) {
  return [
    db
      .prepare(
        `UPDATE initial_passwords SET sealed = NULL, first_login_at = COALESCE(first_login_at, ?1)
         WHERE identity_id = ?2 AND (?3 IS NULL OR created_at = ?3)`,
      )
      .bind(at, identityId, cycle ?? null),
    db
      .prepare(
        `UPDATE identities SET state = 'active', updated_at = ? WHERE id = ? AND state = 'new'`,
      )
      .bind(at, identityId),
  ];
}

/** The claim columns of the two mails sent about one initial-password cycle. */
const MAIL_COLUMNS = {
  notification: { sent: 'notified_at', claim: 'notify_claimed_at' },
  reminder: { sent: 'reminded_at', claim: 'remind_claimed_at' },
} as const;

export type CycleMail = keyof typeof MAIL_COLUMNS;

/**
 * Claims the new-hire mail or the start-date reminder of one cycle before it is sent: true for
 * exactly one caller, so two daily runs at once (or a run meeting the import's own send) send
 * it once. A claim from before `staleBefore` belonged to a run that stopped before it could
 * say how the send went, and is taken over.
 */
export async function claimCycleMail(
  db: Db,
  mail: CycleMail,
  identityId: string,
  createdAt: number,
  at: number,
  staleBefore: number,
): Promise<boolean> {
  const c = MAIL_COLUMNS[mail];
  const res = await db
    .prepare(
      `UPDATE initial_passwords SET ${c.claim} = ?
       WHERE identity_id = ? AND created_at = ? AND ${c.sent} IS NULL
         AND (${c.claim} IS NULL OR ${c.claim} < ?)`,
    )
    .bind(at, identityId, createdAt, staleBefore)
    .run();
  return res.meta.changes === 1;
}

/**
 * Ends a claim: `sent` records that the mail went out (never to be sent again this cycle);
 * otherwise the claim is given back so the next daily run tries again.
 */
export async function finishCycleMail(
  db: Db,
  mail: CycleMail,
  identityId: string,
  createdAt: number,
  claimedAt: number,
  sent: boolean,
  at: number,
) {
  const c = MAIL_COLUMNS[mail];
  await db
    .prepare(
      sent
        ? `UPDATE initial_passwords SET ${c.sent} = COALESCE(${c.sent}, ?), ${c.claim} = NULL
           WHERE identity_id = ? AND created_at = ?`
        : `UPDATE initial_passwords SET ${c.claim} = NULL
           WHERE identity_id = ? AND created_at = ? AND ${c.claim} = ?`,
    )
    .bind(...(sent ? [at, identityId, createdAt] : [identityId, createdAt, claimedAt]))
    .run();
}

/**
 * Open initial passwords still unfetched and not reminded whose start date is on or before
 * `lastStart` (a claim older than `staleBefore` does not count).
 */
export async function unfetchedStartingBy(
  db: Db,
  lastStart: string,
  staleBefore: number,
  limit: number,
) {
  const { results } = await db
    .prepare(
      `${SELECT_OPEN} WHERE p.sealed IS NOT NULL AND p.fetch_count = 0 AND p.reminded_at IS NULL
         AND (p.remind_claimed_at IS NULL OR p.remind_claimed_at < ?)
         AND i.start_date <= ? AND i.state IN ('new', 'active')
       ORDER BY i.start_date LIMIT ?`,
    )
    .bind(staleBefore, lastStart, limit)
    .all<Raw>();
  return results.map(toRow);
}

/**
 * Open initial passwords whose new-hire mail has not gone out: a failed send, or one whose
 * claim is older than `staleBefore`, is tried again.
 */
export async function unnotified(db: Db, staleBefore: number, limit: number) {
  const { results } = await db
    .prepare(
      `${SELECT_OPEN} WHERE p.sealed IS NOT NULL AND p.notified_at IS NULL
         AND (p.notify_claimed_at IS NULL OR p.notify_claimed_at < ?)
         AND i.state IN ('new', 'active')
       ORDER BY i.start_date LIMIT ?`,
    )
    .bind(staleBefore, limit)
    .all<Raw>();
  return results.map(toRow);
}

/** Identities in the units with an initial password to fetch, soonest start first. */
export function listDueIdentitiesRead(db: Db, units: UnitFilter, limit = 200): Read<IdentityRow[]> {
  // An empty unit list matches nothing through json_each; no special case needed in a batch.
  const scope = scopeSql(units);
  return allRows(
    db
      .prepare(
        `${SELECT_OPEN} WHERE ${scope.sql} AND p.sealed IS NOT NULL AND i.state IN ('new', 'active')
         ORDER BY i.start_date, i.family_key, i.given_key LIMIT ?`,
      )
      .bind(...scope.binds, limit),
    toRow,
  );
}

export async function listDueIdentities(db: Db, units: UnitFilter, limit = 200) {
  if (units !== 'all' && units.length === 0) return [];
  const [rows] = await readTogether(db, [listDueIdentitiesRead(db, units, limit)]);
  return rows;
}

export type SearchColumn = 'user_id' | 'hsa_id' | 'given_key' | 'family_key' | 'full_key';

/** A prefix condition on one indexed column: `column >= lo AND column < hi`. */
export interface KeyRange {
  column: SearchColumn;
  lo: string;
  hi: string;
}

/**
 * One search of `searchIdentities`: an exact personnummer (its blind index), everyone born on
 * one day (the birth-date index), or prefix ranges that must all hold. Each reads at most
 * `limit` rows.
 */
export type IdentityQuery =
  | { kind: 'pnr'; index: string; limit: number }
  | { kind: 'birth'; index: string; limit: number }
  | { kind: 'ranges'; ranges: KeyRange[]; limit: number };

function querySql(q: IdentityQuery): { where: string; order: string; binds: string[] } {
  switch (q.kind) {
    case 'pnr':
      return { where: 'i.pnr_index = ?', order: 'i.id', binds: [q.index] };
    case 'birth':
      return {
        where: 'i.birth_index = ?',
        order: 'i.family_key, i.given_key, i.id',
        binds: [q.index],
      };
    case 'ranges':
      return {
        where: q.ranges.map((r) => `i.${r.column} >= ? AND i.${r.column} < ?`).join(' AND '),
        order: q.ranges.map((r) => `i.${r.column}`).join(', '),
        binds: q.ranges.flatMap((r) => [r.lo, r.hi]),
      };
  }
}

/**
 * The searches inside the searcher's units, in one round trip, one list of rows per search in
 * the order given. Every search starts from an index: the (unit_id, column) one within units,
 * the column's own for an administrator (`birth_index = ?`, or a range on the first column,
 * the others then filtering the rows that range reaches).
 */
export async function searchIdentities(
  db: Db,
  units: UnitFilter,
  queries: IdentityQuery[],
): Promise<IdentityRow[][]> {
  if ((units !== 'all' && units.length === 0) || queries.length === 0) return queries.map(() => []);
  return readTogether(db, searchIdentitiesReads(db, units, queries));
}

/**
 * searchIdentities' reads, one per query, for a batch with other statements (a
 * personnummer search's budget). An empty unit list matches nothing through json_each.
 */
export function searchIdentitiesReads(
  db: Db,
  units: UnitFilter,
  queries: IdentityQuery[],
): Read<IdentityRow[]>[] {
  const scope = scopeSql(units);
  return queries.map((q) => {
    const { where, order, binds } = querySql(q);
    return allRows(
      db
        .prepare(`${SELECT} WHERE ${scope.sql} AND ${where} ORDER BY ${order} LIMIT ?`)
        .bind(...scope.binds, ...binds, q.limit),
      toRow,
    );
  });
}

/** Identities written before the birth-date index existed, for the backfill. */
export async function identitiesWithoutBirthIndex(
  db: Db,
  limit: number,
): Promise<{ id: string; pnrSealed: string }[]> {
  const { results } = await db
    .prepare('SELECT id, pnr_sealed FROM identities WHERE birth_index IS NULL LIMIT ?')
    .bind(limit)
    .all<{ id: string; pnr_sealed: string }>();
  return results.map((r) => ({ id: r.id, pnrSealed: r.pnr_sealed }));
}

/**
 * Fills in birth indexes in one statement (one JSON array, not a statement per row). A row is
 * set only while its index is still missing and its personnummer is the one that was unsealed:
 * an upsert that landed in between wrote its own index, which stays. Returns the rows set.
 */
export async function setBirthIndexes(
  db: Db,
  rows: { id: string; pnrSealed: string; birthIndex: string }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await db
    .prepare(
      `UPDATE identities SET birth_index = json_extract(j.value, '$.b')
       FROM json_each(?) AS j
       WHERE identities.id = json_extract(j.value, '$.id')
         AND identities.pnr_sealed = json_extract(j.value, '$.s')
         AND identities.birth_index IS NULL`,
    )
    .bind(JSON.stringify(rows.map((r) => ({ id: r.id, s: r.pnrSealed, b: r.birthIndex }))))
    .run();
  return res.meta.changes ?? 0;
}

/**
 * Open initial passwords to write to the domain now: pending, starting today or earlier, of a
 * person still to work, not held by another writer. Never tried first, then the longest ago.
 */
export async function dueDirectoryWrites(
  db: Db,
  today: string,
  staleBefore: number,
  limit: number,
) {
  const { results } = await db
    .prepare(
      `${SELECT_OPEN} WHERE p.sealed IS NOT NULL AND p.directory = 'pending'
         AND (p.directory_claimed_at IS NULL OR p.directory_claimed_at < ?)
         AND i.start_date <= ? AND i.state IN ('new', 'active')
       ORDER BY p.directory_tried_at IS NOT NULL, p.directory_tried_at LIMIT ?`,
    )
    .bind(staleBefore, today, limit)
    .all<Raw>();
  return results.map(toRow);
}

/**
 * Claims the domain write of one cycle: true for exactly one writer. A claim older than
 * `staleBefore` belonged to a writer that stopped and is taken over.
 */
export async function claimDirectoryWrite(
  db: Db,
  identityId: string,
  cycle: number,
  at: number,
  staleBefore: number,
): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE initial_passwords SET directory_claimed_at = ?
       WHERE identity_id = ? AND created_at = ? AND directory = 'pending' AND sealed IS NOT NULL
         AND (directory_claimed_at IS NULL OR directory_claimed_at < ?)`,
    )
    .bind(at, identityId, cycle, staleBefore)
    .run();
  return res.meta.changes === 1;
}

/** The domain has the password: recorded even if the claim lapsed, since it is true. */
export function directoryWrittenStatement(
  db: Db,
  identityId: string,
  cycle: number,
  guid: string,
  at: number,
) {
  return db
    .prepare(
      `UPDATE initial_passwords SET directory = 'written', directory_guid = ?,
         directory_written_at = ?, directory_tried_at = ?, directory_error = NULL,
         directory_claimed_at = NULL
       WHERE identity_id = ? AND created_at = ?`,
    )
    .bind(guid, at, at, identityId, cycle);
}

/** A write that failed: why, and when; the claim is given back for the next run. */
export function directoryFailedStatement(
  db: Db,
  identityId: string,
  cycle: number,
  claimedAt: number,
  error: string,
  at: number,
) {
  return db
    .prepare(
      `UPDATE initial_passwords SET directory_error = ?, directory_tried_at = ?,
         directory_claimed_at = NULL
       WHERE identity_id = ? AND created_at = ? AND directory = 'pending'
         AND directory_claimed_at = ?`,
    )
    .bind(error, at, identityId, cycle, claimedAt);
}

/** Written passwords not yet used, for the first-login check: the longest unchecked first. */
export async function awaitingFirstLogin(db: Db, limit: number) {
  const { results } = await db
    .prepare(
      `${SELECT_OPEN} WHERE p.sealed IS NOT NULL AND p.directory = 'written'
         AND p.directory_guid IS NOT NULL
       ORDER BY p.directory_checked_at IS NOT NULL, p.directory_checked_at LIMIT ?`,
    )
    .bind(limit)
    .all<Raw>();
  return results.map(toRow);
}

/** Records that the domain was asked about these identities' accounts just now. */
export function directoryCheckedStatement(db: Db, identityIds: string[], at: number) {
  return db
    .prepare(
      `UPDATE initial_passwords SET directory_checked_at = ?
       WHERE identity_id IN (SELECT value FROM json_each(?))`,
    )
    .bind(at, JSON.stringify(identityIds));
}
