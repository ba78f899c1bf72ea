import type { PersonPrincipal } from '../app-env';
import {
  deleteRoleStatement,
  insertPersonStatement,
  listPeople,
  listRoles,
  personWithHsaId,
  updatePersonStatement,
  upsertRoleStatement,
} from '../db/admin';
import { type AuditEntry, auditStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { revokeOpenInvitesStatement } from '../db/invites';
import { anyLockUntil, clearAllStatement } from '../db/login-failures';
import { findRole, findUnit, revokeInvitesIfRolelessStatement } from '../db/manager';
import { findPersonByEmail, findPersonById } from '../db/people';
import { revokePersonSessionsStatement } from '../db/sessions';
import type { UnitRole } from '../domain/access';
import { maskPhone } from '../domain/phone';
import { newId } from '../domain/tokens';
import { ApiError, isUniqueViolation } from '../http/errors';
import { actorOf, takenError } from './admin';
import type { Deps } from './deps';
import { createInvite } from './invites';
import { personLockKey } from './people-auth';
import { smsNumber } from './sms-numbers';

/*
 * The administrator's people, roles and invites. An administrator
 * can neither remove their own administrator flag nor disable themselves, so there is always
 * someone left who can administer.
 */

type Roles = Awaited<ReturnType<typeof listRoles>>;

function personView(row: Awaited<ReturnType<typeof listPeople>>[number], roles: Roles) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    hsaId: row.hsaId,
    isAdmin: row.isAdmin,
    disabled: row.disabledAt !== null,
    enrolled: row.enrolled,
    invitePending: row.invitePending,
    roles: roles
      .filter((r) => r.personId === row.id)
      .map((r) => ({ unitId: r.unitId, unitName: r.unitName, role: r.role })),
  };
}

/** GET /people: everyone, by name, with their roles and sign-in state. */
export async function adminPeople(deps: Deps) {
  const [people, roles] = await Promise.all([
    listPeople(deps.db, nowSeconds()),
    listRoles(deps.db),
  ]);
  return people.map((row) => personView(row, roles));
}

async function personOf(deps: Deps, id: string) {
  const [rows, roles] = await Promise.all([
    listPeople(deps.db, nowSeconds(), id),
    listRoles(deps.db, id),
  ]);
  const [row] = rows;
  if (!row) throw new ApiError('not_found');
  return personView(row, roles);
}

/**
 * GET /people/{id}: the person as the list shows them, and until when their sign-in with a
 * code is locked. Any lock counts, from any one network too: guesses from one network lock
 * only that network out, yet the person may be the one sitting there, and the unlock clears
 * every network's.
 */
export async function adminPerson(deps: Deps, id: string) {
  const person = await personOf(deps, id);
  const until = await anyLockUntil(deps.db, personLockKey(person.email), nowSeconds());
  return { ...person, signInLockedUntil: until === null ? null : isoFromSeconds(until) };
}

/**
 * POST /people/{id}/unlock: every lock and failure count of the person's sign-in with a code
 * ends, from every network, in one batch with the audit entry; 404 for an unknown person.
 * The key is the person's e-mail as it is now, the one their next sign-in counts against.
 * Idempotent. The entry is written even when nothing was locked, with `wasLocked`, as the
 * manager's mailbox unlock does: failures below the lock limit are cleared too, and the log
 * should show every administrator action on a person's sign-in, not only the ones that
 * happened to find a lock.
 */
export async function unlockPerson(deps: Deps, p: PersonPrincipal, id: string) {
  const person = await findPersonById(deps.db, id);
  if (!person) throw new ApiError('not_found');
  const now = nowSeconds();
  const key = personLockKey(person.email);
  const lockedUntil = await anyLockUntil(deps.db, key, now);
  await deps.db.batch([
    clearAllStatement(deps.db, key),
    auditStatement(
      deps.db,
      entry(deps, p, {
        action: 'person.unlock',
        target: `person:${person.id}`,
        detail: { wasLocked: lockedUntil !== null },
      }),
      now,
    ),
  ]);
}

/**
 * A typed number in E.164, or 400 `invalid_phone` with the reason (a country outside
 * SMS_COUNTRIES too, unless it is the number already stored); null or blank clears it.
 */
function phoneOf(deps: Deps, raw: string | null, current: string | null = null): string | null {
  if (raw === null || raw.trim() === '') return null;
  return smsNumber(deps, raw, current);
}

function entry(deps: Deps, p: PersonPrincipal, e: Omit<AuditEntry, 'actor' | 'ip' | 'outcome'>) {
  return { actor: actorOf(p), ip: deps.ip, outcome: 'success' as const, ...e };
}

function emailTaken(holder: { id: string; name: string }) {
  return takenError('email', 'person', holder, `${holder.name} already has this e-mail address`);
}

function hsaIdTakenError(holder: { id: string; name: string }) {
  return takenError('hsaId', 'person', holder, `${holder.name} already has this HSA-id`);
}

/**
 * POST /people: a person who can then be given roles and invited. E-mail (lower case) and
 * HSA-id are unique: 409 `conflict`. No invite is sent here; that is its own action.
 */
export async function createPerson(
  deps: Deps,
  p: PersonPrincipal,
  input: {
    name: string;
    email: string;
    phone?: string | null;
    hsaId?: string | null;
    isAdmin?: boolean;
  },
) {
  const phone = phoneOf(deps, input.phone ?? null);
  const hsaId = input.hsaId ?? null;
  const sameEmail = await findPersonByEmail(deps.db, input.email);
  if (sameEmail) throw emailTaken(sameEmail);
  const sameHsa = hsaId === null ? null : await personWithHsaId(deps.db, hsaId, null);
  if (sameHsa) throw hsaIdTakenError(sameHsa);
  const id = newId();
  const now = nowSeconds();
  const isAdmin = input.isAdmin ?? false;
  try {
    await deps.db.batch([
      insertPersonStatement(deps.db, {
        id,
        name: input.name,
        email: input.email,
        phone,
        hsaId,
        isAdmin,
        at: now,
      }),
      auditStatement(
        deps.db,
        entry(deps, p, { action: 'person.create', target: `person:${id}`, detail: { isAdmin } }),
        now,
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict');
    throw err;
  }
  return personOf(deps, id);
}

/**
 * PATCH /people/{id}. Disabling ends the person's sessions and open invites at once (a
 * disabled person cannot sign in or enrol); enabling lets them sign in again with the factors
 * they have. The caller cannot drop their own administrator flag or disable themselves (409).
 */
export async function updatePerson(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  change: {
    name?: string;
    phone?: string | null;
    hsaId?: string | null;
    isAdmin?: boolean;
    disabled?: boolean;
  },
) {
  const person = await findPersonById(deps.db, id);
  if (!person) throw new ApiError('not_found');
  if (person.id === p.personId && (change.isAdmin === false || change.disabled === true)) {
    throw new ApiError('conflict', { reason: 'self' });
  }
  const phone =
    change.phone === undefined ? person.phone : phoneOf(deps, change.phone, person.phone);
  const hsaId = change.hsaId === undefined ? person.hsaId : change.hsaId;
  const sameHsa =
    hsaId === null || hsaId === person.hsaId
      ? null
      : await personWithHsaId(deps.db, hsaId, person.id);
  if (sameHsa) throw hsaIdTakenError(sameHsa);
  const name = change.name ?? person.name;
  const isAdmin = change.isAdmin ?? person.isAdmin;
  const disable = change.disabled === true && person.disabledAt === null;
  const enable = change.disabled === false && person.disabledAt !== null;
  const changed = [
    name !== person.name ? 'name' : null,
    phone !== person.phone ? 'phone' : null,
    hsaId !== person.hsaId ? 'hsaId' : null,
  ].filter((field) => field !== null);
  const adminChanged = isAdmin !== person.isAdmin;
  if (changed.length === 0 && !adminChanged && !disable && !enable) return personOf(deps, id);

  const now = nowSeconds();
  const target = `person:${person.id}`;
  const audits: Omit<AuditEntry, 'actor' | 'ip' | 'outcome'>[] = [];
  if (changed.length > 0) {
    audits.push({
      action: 'person.update',
      target,
      // Which fields changed; the number only masked.
      detail: {
        fields: changed.join(','),
        ...(changed.includes('phone') ? { phone: phone ? maskPhone(phone) : null } : {}),
      },
    });
  }
  if (adminChanged) {
    audits.push({ action: isAdmin ? 'person.admin.grant' : 'person.admin.revoke', target });
  }
  if (disable) audits.push({ action: 'person.disable', target });
  if (enable) audits.push({ action: 'person.enable', target });
  try {
    await deps.db.batch([
      updatePersonStatement(deps.db, person.id, {
        name,
        phone,
        hsaId,
        isAdmin,
        disabledAt: disable ? now : enable ? null : person.disabledAt,
      }),
      ...(disable
        ? [
            revokePersonSessionsStatement(deps.db, person.id, now),
            revokeOpenInvitesStatement(deps.db, person.id, now),
          ]
        : []),
      ...audits.map((a) => auditStatement(deps.db, entry(deps, p, a), now)),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict');
    throw err;
  }
  return personOf(deps, id);
}

async function personAndUnit(deps: Deps, personId: string, unitId: string) {
  const [person, unit] = await Promise.all([
    findPersonById(deps.db, personId),
    findUnit(deps.db, unitId),
  ]);
  if (!person || !unit) throw new ApiError('not_found');
  return { person, unit };
}

/** PUT /people/{id}/roles/{unitId}: makes the person manager or delegate there (upsert). */
export async function setRole(
  deps: Deps,
  p: PersonPrincipal,
  personId: string,
  unitId: string,
  role: UnitRole,
) {
  const { person, unit } = await personAndUnit(deps, personId, unitId);
  const previous = await findRole(deps.db, person.id, unit.id);
  if (previous === role) return;
  const now = nowSeconds();
  await deps.db.batch([
    upsertRoleStatement(deps.db, {
      personId: person.id,
      unitId: unit.id,
      role,
      at: now,
      by: actorOf(p),
    }),
    auditStatement(
      deps.db,
      entry(deps, p, {
        action: 'role.set',
        target: `person:${person.id}`,
        unitId: unit.id,
        detail: { role, previous },
      }),
      now,
    ),
  ]);
}

/**
 * DELETE /people/{id}/roles/{unitId}: 404 if the person has no role there. Effective at once
 * (roles are read on every request); as when a manager revokes a delegate, the person's
 * sessions end, and their open invites too if no role is left. An administrator removing
 * their own role stays signed in.
 */
export async function removeRole(deps: Deps, p: PersonPrincipal, personId: string, unitId: string) {
  const { person, unit } = await personAndUnit(deps, personId, unitId);
  const role = await findRole(deps.db, person.id, unit.id);
  if (role === null) throw new ApiError('not_found');
  const now = nowSeconds();
  await deps.db.batch([
    deleteRoleStatement(deps.db, person.id, unit.id),
    ...(person.id === p.personId ? [] : [revokePersonSessionsStatement(deps.db, person.id, now)]),
    revokeInvitesIfRolelessStatement(deps.db, person.id, now),
    auditStatement(
      deps.db,
      entry(deps, p, {
        action: 'role.remove',
        target: `person:${person.id}`,
        unitId: unit.id,
        detail: { role },
      }),
      now,
    ),
  ]);
}

/**
 * POST /people/{id}/invite: a new enrolment invite (earlier open ones end). The link goes
 * only by e-mail; the answer carries its expiry. 404 unknown person, 409 disabled person.
 */
export async function invitePerson(deps: Deps, p: PersonPrincipal, personId: string) {
  const { expiresAt } = await createInvite(deps, personId, actorOf(p), deps.lang);
  return { expiresAt: isoFromSeconds(expiresAt) };
}
