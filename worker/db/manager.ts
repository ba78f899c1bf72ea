/**
 * What the manager's home reads and writes: units in scope, their mailboxes with lock state
 * and last self-service activity, the people of a unit, and delegate roles. Unix seconds.
 */
import type { UnitRole } from '../domain/access';
import type { Db } from './database';
import { clearAllStatement } from './login-failures';
import type { Mailbox } from './mailboxes';
import { allRows, oneRow, type Read, readTogether } from './reads';
import { FAILED_CODES_TODAY_SQL, failedCodesTodayParams } from './reset-code-cap';

/** Entries shown with a mailbox on the manager's page: its newest 50. */
export const MAILBOX_AUDIT_LIMIT = 50;

export interface Unit {
  id: string;
  name: string;
}

/*
 * Lists of ids are bound as one JSON array and read with json_each: D1 allows at most 100
 * bound parameters per statement, and a list must never run into that.
 */

/** The units a person sees: every unit ('all', an administrator) or the listed ones. */
export function listUnitsRead(db: Db, unitIds: string[] | 'all'): Read<Unit[]> {
  // An empty list matches nothing through json_each; no special case needed in one batch.
  const where = unitIds === 'all' ? '' : 'WHERE id IN (SELECT value FROM json_each(?))';
  return allRows(
    db
      .prepare(`SELECT id, name FROM units ${where} ORDER BY name, id`)
      .bind(...(unitIds === 'all' ? [] : [JSON.stringify(unitIds)])),
    (row: Unit) => ({ id: row.id, name: row.name }),
  );
}

export async function listUnits(db: Db, unitIds: string[] | 'all'): Promise<Unit[]> {
  if (unitIds !== 'all' && unitIds.length === 0) return [];
  const [units] = await readTogether(db, [listUnitsRead(db, unitIds)]);
  return units;
}

export function findUnitRead(db: Db, id: string): Read<Unit | null> {
  return oneRow(db.prepare('SELECT id, name FROM units WHERE id = ?').bind(id), (row: Unit) => ({
    id: row.id,
    name: row.name,
  }));
}

export async function findUnit(db: Db, id: string): Promise<Unit | null> {
  const [unit] = await readTogether(db, [findUnitRead(db, id)]);
  return unit;
}

/** A mailbox as a manager sees it; disabled ones included (they are listed, greyed out). */
export interface ManagedMailbox {
  id: string;
  unitId: string | null;
  unitName: string | null;
  username: string;
  displayName: string;
  phone: string | null;
  passwordChangedAt: number;
  disabledAt: number | null;
  /** The end of a login lockout in force at `now`, or null. */
  lockedUntil: number | null;
  /** Wrong reset codes today (Stockholm day of `now`) for the mailbox's username. */
  failedCodesToday: number;
  lastActivityAt: number | null;
  lastActivity: string | null;
  mode: 'local' | 'ad';
  objectGuid: string | null;
}

interface ManagedMailboxRow {
  id: string;
  unit_id: string | null;
  unit_name: string | null;
  username: string;
  display_name: string;
  phone: string | null;
  password_changed_at: number;
  disabled_at: number | null;
  locked_until: number | null;
  failed_codes_today: number;
  last_at: number | null;
  last_action: string | null;
  mode: 'local' | 'ad';
  object_guid: string | null;
}

function toManagedMailbox(row: ManagedMailboxRow): ManagedMailbox {
  return {
    id: row.id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    username: row.username,
    displayName: row.display_name,
    phone: row.phone,
    passwordChangedAt: row.password_changed_at,
    disabledAt: row.disabled_at,
    lockedUntil: row.locked_until,
    failedCodesToday: row.failed_codes_today,
    lastActivityAt: row.last_at,
    lastActivity: row.last_action,
    mode: row.mode,
    objectGuid: row.object_guid,
  };
}

/*
 * Last activity: the newest successful change of the mailbox's password or number, whoever
 * made it (the staff by themselves, by SMS code, or a manager on their behalf). A sign-in, a
 * sign-out or an unlock changes nothing a manager needs to know, and would hide the change
 * made just before it. One indexed probe per mailbox through audit_target (target, at).
 * Lock state: the latest lock of the mailbox's username from any network, or account-wide
 * (db/login-failures.ts); a range on the primary key. Today's wrong reset codes: one
 * counters row by primary key (db/reset-code-cap.ts).
 */
const MANAGED_SELECT = `
  SELECT m.id, m.unit_id, u.name AS unit_name, m.username, m.display_name, m.phone,
    m.password_changed_at, m.disabled_at,
    (SELECT MAX(lf.locked_until) FROM login_failures lf
      WHERE (lf.username = m.username
        OR (lf.username >= m.username || '|' AND lf.username < m.username || '}'))
        AND lf.locked_until > ?) AS locked_until,
    ${FAILED_CODES_TODAY_SQL} AS failed_codes_today,
    a.at AS last_at, a.action AS last_action, m.mode, m.object_guid
  FROM mailboxes m
  LEFT JOIN units u ON u.id = m.unit_id
  LEFT JOIN audit a ON a.id = (
    SELECT x.id FROM audit x
    WHERE x.target = 'mailbox:' || m.id AND x.outcome = 'success'
      AND x.action IN ('mailbox.password.change', 'mailbox.password.on_behalf',
        'reset.complete', 'mailbox.phone.verify')
    ORDER BY x.at DESC, x.id DESC LIMIT 1)`;

/** The mailboxes of the given units (every unit's for 'all'), by unit, then display name. */
export function listManagedMailboxesRead(
  db: Db,
  unitIds: string[] | 'all',
  now: number,
): Read<ManagedMailbox[]> {
  const where =
    unitIds === 'all'
      ? 'WHERE m.unit_id IS NOT NULL'
      : 'WHERE m.unit_id IN (SELECT value FROM json_each(?))';
  return allRows(
    db
      .prepare(`${MANAGED_SELECT} ${where} ORDER BY m.unit_id, m.display_name, m.username`)
      .bind(
        now,
        ...failedCodesTodayParams(now),
        ...(unitIds === 'all' ? [] : [JSON.stringify(unitIds)]),
      ),
    toManagedMailbox,
  );
}

export async function listManagedMailboxes(
  db: Db,
  unitIds: string[] | 'all',
  now: number,
): Promise<ManagedMailbox[]> {
  if (unitIds !== 'all' && unitIds.length === 0) return [];
  const [mailboxes] = await readTogether(db, [listManagedMailboxesRead(db, unitIds, now)]);
  return mailboxes;
}

export function findManagedMailboxRead(
  db: Db,
  id: string,
  now: number,
): Read<ManagedMailbox | null> {
  return oneRow(
    db.prepare(`${MANAGED_SELECT} WHERE m.id = ?`).bind(now, ...failedCodesTodayParams(now), id),
    toManagedMailbox,
  );
}

export async function findManagedMailbox(db: Db, id: string, now: number) {
  const [mailbox] = await readTogether(db, [findManagedMailboxRead(db, id, now)]);
  return mailbox;
}

/**
 * The mailbox with what a password change needs, disabled or not (db/mailboxes.ts hides
 * disabled mailboxes from self-service; a manager must get a clear refusal instead).
 */
interface MailboxForResetRow {
  id: string;
  username: string;
  display_name: string;
  unit_id: string | null;
  phone: string | null;
  password_hash: string;
  history_salt: string;
  password_changed_at: number;
  disabled_at: number | null;
  mode: 'local' | 'ad';
  object_guid: string | null;
}

function toMailboxForReset(row: MailboxForResetRow) {
  const mailbox: Mailbox = {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    unitId: row.unit_id,
    phone: row.phone,
    passwordHash: row.password_hash,
    historySalt: row.history_salt,
    passwordChangedAt: row.password_changed_at,
    mode: row.mode,
    objectGuid: row.object_guid,
  };
  return { mailbox, disabledAt: row.disabled_at };
}

export type MailboxForReset = ReturnType<typeof toMailboxForReset>;

export function findMailboxForResetRead(db: Db, id: string): Read<MailboxForReset | null> {
  return oneRow(
    db
      .prepare(
        `SELECT id, username, display_name, unit_id, phone, password_hash, history_salt,
           password_changed_at, disabled_at, mode, object_guid FROM mailboxes WHERE id = ?`,
      )
      .bind(id),
    toMailboxForReset,
  );
}

export async function findMailboxForReset(db: Db, id: string) {
  const [found] = await readTogether(db, [findMailboxForResetRead(db, id)]);
  return found;
}

/** Ends a login lockout without touching the password (the mailbox's username is the key). */
export function unlockStatement(db: Db, username: string) {
  return clearAllStatement(db, username);
}

export interface UnitPerson {
  id: string;
  name: string;
  email: string;
  role: UnitRole;
  /** Has a passkey or TOTP: can sign in. */
  enrolled: boolean;
  /** Has an invite that is neither used, revoked nor expired. */
  invitePending: boolean;
}

const PERSON_STATE = `
  EXISTS (SELECT 1 FROM passkeys k WHERE k.person_id = p.id)
    OR EXISTS (SELECT 1 FROM totp_factors t WHERE t.person_id = p.id) AS enrolled,
  EXISTS (SELECT 1 FROM invites i WHERE i.person_id = p.id AND i.used_at IS NULL
    AND i.revoked_at IS NULL AND i.expires_at > ?) AS invite_pending`;

interface UnitPersonRow {
  id: string;
  name: string;
  email: string;
  role: UnitRole;
  enrolled: number;
  invite_pending: number;
}

function toUnitPerson(row: UnitPersonRow): UnitPerson {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    enrolled: row.enrolled === 1,
    invitePending: row.invite_pending === 1,
  };
}

/** The unit's managers, then its delegates, by name; disabled people are left out. */
export function listUnitPeopleRead(db: Db, unitId: string, now: number): Read<UnitPerson[]> {
  return allRows(
    db
      .prepare(
        `SELECT p.id, p.name, p.email, r.role, ${PERSON_STATE}
         FROM roles r JOIN people p ON p.id = r.person_id
         WHERE r.unit_id = ? AND p.disabled_at IS NULL
         ORDER BY r.role = 'delegate', p.name, p.id`,
      )
      .bind(now, unitId),
    toUnitPerson,
  );
}

export async function listUnitPeople(db: Db, unitId: string, now: number) {
  const [people] = await readTogether(db, [listUnitPeopleRead(db, unitId, now)]);
  return people;
}

/** Whether a person can sign in yet and whether an invite is waiting for them. */
export async function personState(db: Db, personId: string, now: number) {
  const row = await db
    .prepare(`SELECT ${PERSON_STATE} FROM people p WHERE p.id = ?`)
    .bind(now, personId)
    .first<{ enrolled: number; invite_pending: number }>();
  return { enrolled: row?.enrolled === 1, invitePending: row?.invite_pending === 1 };
}

export async function findRole(db: Db, personId: string, unitId: string) {
  const row = await db
    .prepare('SELECT role FROM roles WHERE person_id = ? AND unit_id = ?')
    .bind(personId, unitId)
    .first<{ role: UnitRole }>();
  return row?.role ?? null;
}

/** A person made by a manager's invite: name and e-mail only (lower case, unique). */
export function insertPersonStatement(
  db: Db,
  p: { id: string; name: string; email: string; at: number },
) {
  return db
    .prepare('INSERT INTO people (id, name, email, created_at) VALUES (?, ?, ?, ?)')
    .bind(p.id, p.name, p.email.toLowerCase(), p.at);
}

/**
 * Makes the person a delegate of the unit. Does nothing if they already have a role there,
 * so a manager is never demoted by a delegate invite.
 */
export function insertDelegateStatement(
  db: Db,
  r: { personId: string; unitId: string; createdBy: string; at: number },
) {
  return db
    .prepare(
      `INSERT INTO roles (person_id, unit_id, role, created_at, created_by)
       VALUES (?, ?, 'delegate', ?, ?) ON CONFLICT (person_id, unit_id) DO NOTHING`,
    )
    .bind(r.personId, r.unitId, r.at, r.createdBy);
}

/** Removes a delegate role only: a manager's role is not this route's to remove. */
export function deleteDelegateStatement(db: Db, personId: string, unitId: string) {
  return db
    .prepare("DELETE FROM roles WHERE person_id = ? AND unit_id = ? AND role = 'delegate'")
    .bind(personId, unitId);
}

/**
 * Revokes the person's open invites if, after the statements before it in the batch, they
 * have no role left and are not an administrator: an invite must not outlive its purpose.
 */
/**
 * Ends a person's sessions once they hold no role and are no administrator. Someone with
 * other duties keeps signing in: their roles are read on every request, so the revoked unit
 * is out of reach at once anyway, and a manager cannot sign out an administrator or another
 * unit's manager by adding and removing them as a delegate.
 */
export function revokeSessionsIfRolelessStatement(db: Db, personId: string, now: number) {
  return db
    .prepare(
      `UPDATE sessions SET revoked_at = ? WHERE kind = 'person' AND subject_id = ?
         AND revoked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM roles WHERE person_id = ?)
         AND NOT EXISTS (SELECT 1 FROM people WHERE id = ? AND is_admin = 1)`,
    )
    .bind(now, personId, personId, personId);
}

export function revokeInvitesIfRolelessStatement(db: Db, personId: string, now: number) {
  return db
    .prepare(
      `UPDATE invites SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL
         AND revoked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM roles WHERE person_id = ?)
         AND NOT EXISTS (SELECT 1 FROM people WHERE id = ? AND is_admin = 1)`,
    )
    .bind(now, personId, personId, personId);
}
