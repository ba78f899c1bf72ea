/** People (managers, delegates, administrators) and their roles per unit. Unix seconds. */
import type { UnitRole } from '../domain/access';
import type { Db } from './database';

export interface Person {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  hsaId: string | null;
  isAdmin: boolean;
  disabledAt: number | null;
  createdAt: number;
}

interface PersonRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  hsa_id: string | null;
  is_admin: number;
  disabled_at: number | null;
  created_at: number;
}

export const PERSON_COLUMNS = 'id, name, email, phone, hsa_id, is_admin, disabled_at, created_at';

export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    hsaId: row.hsa_id,
    isAdmin: row.is_admin === 1,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

export async function findPersonById(db: Db, id: string) {
  const row = await db
    .prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = ?`)
    .bind(id)
    .first<PersonRow>();
  return row ? toPerson(row) : null;
}

export async function findPersonByEmail(db: Db, email: string) {
  const row = await db
    .prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE email = ?`)
    .bind(email.toLowerCase())
    .first<PersonRow>();
  return row ? toPerson(row) : null;
}

export async function findPersonByHsaId(db: Db, hsaId: string) {
  const row = await db
    .prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE hsa_id = ? AND disabled_at IS NULL`)
    .bind(hsaId.toUpperCase())
    .first<PersonRow>();
  return row ? toPerson(row) : null;
}

/** The managers and delegates of a unit who can receive mail (not disabled). */
export async function unitRecipients(db: Db, unitId: string) {
  const { results } = await db
    .prepare(
      `SELECT p.id, p.name, p.email, r.role FROM roles r JOIN people p ON p.id = r.person_id
       WHERE r.unit_id = ? AND p.disabled_at IS NULL ORDER BY r.role, p.name`,
    )
    .bind(unitId)
    .all<{ id: string; name: string; email: string; role: UnitRole }>();
  return results;
}

/** Administrators who can sign in, except `personId`: whom a change by that one is told about. */
export async function otherAdministrators(db: Db, personId: string) {
  const { results } = await db
    .prepare(
      `SELECT id, name, email FROM people
       WHERE is_admin = 1 AND disabled_at IS NULL AND id <> ? ORDER BY name`,
    )
    .bind(personId)
    .all<{ id: string; name: string; email: string }>();
  return results;
}
