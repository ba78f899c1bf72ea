/**
 * A person's session as every signed-in request reads it: in one statement, the session, the
 * person and their roles with the units' names, so the check costs one D1 round trip. Times
 * are unix seconds.
 */
import type { UnitRole } from '../domain/access';
import type { SignInMethod } from './credentials';
import type { Db } from './database';
import { oneRow, type Read } from './reads';

export interface PersonUnit {
  id: string;
  name: string;
  role: UnitRole;
}

export interface SignedInPerson {
  personId: string;
  name: string;
  email: string;
  isAdmin: boolean;
  method: SignInMethod | null;
  verifiedAt: number | null;
  expiresAt: number;
  lastSeenAt: number;
  /** unit id → role, for every role the person holds now. */
  roles: Map<string, UnitRole>;
  /** The units of those roles that exist, by name: what the person's own view lists. */
  units: PersonUnit[];
}

interface Row {
  personId: string;
  name: string;
  email: string;
  isAdmin: number;
  method: SignInMethod | null;
  verifiedAt: number | null;
  expiresAt: number;
  lastSeenAt: number;
  roles: string;
}

function toSignedIn(row: Row): SignedInPerson {
  const roles = JSON.parse(row.roles) as { unitId: string; name: string | null; role: UnitRole }[];
  return {
    personId: row.personId,
    name: row.name,
    email: row.email,
    isAdmin: row.isAdmin === 1,
    method: row.method,
    verifiedAt: row.verifiedAt,
    expiresAt: row.expiresAt,
    lastSeenAt: row.lastSeenAt,
    roles: new Map(roles.map((r) => [r.unitId, r.role])),
    units: roles.flatMap((r) =>
      r.name === null ? [] : [{ id: r.unitId, name: r.name, role: r.role }],
    ),
  };
}

/**
 * A live person session (not revoked, within its absolute lifetime, not idle longer than
 * `idleSeconds`, its person not disabled) with the person's roles as they are now: a revoked
 * role takes effect on the next request.
 */
export function signedInPersonRead(
  db: Db,
  idHash: string,
  now: number,
  idleSeconds: number,
): Read<SignedInPerson | null> {
  return oneRow(
    db
      .prepare(
        `SELECT s.subject_id AS personId, p.name, p.email, p.is_admin AS isAdmin, s.method,
           s.verified_at AS verifiedAt, s.expires_at AS expiresAt, s.last_seen_at AS lastSeenAt,
           (SELECT json_group_array(json_object('unitId', x.unit_id, 'name', x.name, 'role', x.role))
              FROM (SELECT r.unit_id, u.name, r.role FROM roles r
                      LEFT JOIN units u ON u.id = r.unit_id
                    WHERE r.person_id = s.subject_id ORDER BY u.name, r.unit_id) x) AS roles
         FROM sessions s JOIN people p ON p.id = s.subject_id
         WHERE s.id_hash = ?1 AND s.kind = 'person' AND s.revoked_at IS NULL AND s.expires_at > ?2
           AND s.last_seen_at > ?3 AND p.disabled_at IS NULL`,
      )
      .bind(idHash, now, now - idleSeconds),
    toSignedIn,
  );
}

/**
 * Keeps an active session alive; written at most once a minute to spare D1 writes. Run after
 * the answer: a touch lost to a crash only lets the session idle out a little sooner.
 */
export function touchPersonSessionStatement(db: Db, idHash: string, now: number) {
  return db
    .prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?')
    .bind(now, idHash, now - 60);
}

/**
 * Signs a session out in one call: the audit entry is written only if the session was live
 * (read before it is revoked, in the same batch), then the session ends whatever its state.
 */
export function signOutStatements(
  db: Db,
  s: { idHash: string; now: number; idleSeconds: number; ip: string | null },
) {
  return [
    db
      .prepare(
        `INSERT INTO audit (at, actor, action, target, ip, outcome, detail, unit_id)
         SELECT ?1, 'person:' || s.subject_id, 'person.signout', 'person:' || s.subject_id, ?2,
           'success', NULL, NULL
         FROM sessions s JOIN people p ON p.id = s.subject_id
         WHERE s.id_hash = ?3 AND s.kind = 'person' AND s.revoked_at IS NULL
           AND s.expires_at > ?1 AND s.last_seen_at > ?4 AND p.disabled_at IS NULL`,
      )
      .bind(s.now, s.ip, s.idHash, s.now - s.idleSeconds),
    db
      .prepare(
        `UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND kind = 'person'
           AND revoked_at IS NULL`,
      )
      .bind(s.now, s.idHash),
  ];
}
