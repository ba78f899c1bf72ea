import type { Db } from './database';
/**
 * A unit's staff list: name and mobile number (E.164). Removal is a timestamp so
 * the handover history keeps a name; removed members are never listed or sent anything.
 * Times are unix seconds.
 */
export interface StaffMember {
  id: string;
  unitId: string;
  name: string;
  phone: string;
  createdAt: number;
  updatedAt: number;
}

interface StaffRow {
  id: string;
  unit_id: string;
  name: string;
  phone: string;
  created_at: number;
  updated_at: number;
}

function toStaff(r: StaffRow): StaffMember {
  return {
    id: r.id,
    unitId: r.unit_id,
    name: r.name,
    phone: r.phone,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = 'SELECT id, unit_id, name, phone, created_at, updated_at FROM staff';

/** The unit's current staff, by name. */
export async function listStaff(db: Db, unitId: string): Promise<StaffMember[]> {
  return staffOf(await staffListStatement(db, '?', [unitId]).all());
}

/**
 * The current staff of the unit an SQL expression names (`?`, or a subquery for the unit of
 * a mailbox), for a batch; `staffOf` reads its result.
 */
export function staffListStatement(db: Db, unitSql: string, params: unknown[]) {
  return db
    .prepare(`${COLUMNS} WHERE unit_id = ${unitSql} AND removed_at IS NULL ORDER BY name, id`)
    .bind(...params);
}

export function staffOf(result: D1Result | undefined): StaffMember[] {
  return ((result?.results ?? []) as StaffRow[]).map(toStaff);
}

/** A current member of this unit (a member of another unit is not found). */
export async function findStaff(db: Db, unitId: string, id: string): Promise<StaffMember | null> {
  const row = await db
    .prepare(`${COLUMNS} WHERE id = ? AND unit_id = ? AND removed_at IS NULL`)
    .bind(id, unitId)
    .first<StaffRow>();
  return row ? toStaff(row) : null;
}

/** Whether another current member of the unit has this number. */
export async function phoneTaken(
  db: Db,
  unitId: string,
  phone: string,
  exceptId: string | null,
): Promise<boolean> {
  const row = await db
    .prepare(
      'SELECT 1 AS x FROM staff WHERE unit_id = ? AND phone = ? AND removed_at IS NULL AND id IS NOT ?',
    )
    .bind(unitId, phone, exceptId)
    .first();
  return row !== null;
}

export function insertStaffStatement(
  db: Db,
  s: { id: string; unitId: string; name: string; phone: string; createdBy: string; at: number },
) {
  return db
    .prepare(
      `INSERT INTO staff (id, unit_id, name, phone, created_at, created_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(s.id, s.unitId, s.name, s.phone, s.at, s.createdBy, s.at);
}

export function updateStaffStatement(
  db: Db,
  s: { id: string; name: string; phone: string; at: number },
) {
  return db
    .prepare(
      'UPDATE staff SET name = ?, phone = ?, updated_at = ? WHERE id = ? AND removed_at IS NULL',
    )
    .bind(s.name, s.phone, s.at, s.id);
}

export function removeStaffStatement(db: Db, id: string, at: number) {
  return db
    .prepare('UPDATE staff SET removed_at = ? WHERE id = ? AND removed_at IS NULL')
    .bind(at, id);
}
