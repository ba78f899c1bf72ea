import type { PersonPrincipal } from '../app-env';
import { auditStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { closeFinishedStatement, revokeStaffLinksStatement, staffScope } from '../db/handovers';
import type { Unit } from '../db/manager';
import {
  findStaff,
  insertStaffStatement,
  listStaff,
  phoneTaken,
  removeStaffStatement,
  type StaffMember,
  updateStaffStatement,
} from '../db/staff';
import { maskPhone } from '../domain/phone';
import { newId } from '../domain/tokens';
import { ApiError, isUniqueViolation } from '../http/errors';
import type { Deps } from './deps';
import { smsNumber } from './sms-numbers';

/*
 * A unit's staff list, kept by its managers and delegates (administrators
 * everywhere). Staff never sign in; their mobile number is where a handed-over password's
 * link goes, so the number is parsed exactly like a mailbox's and only shown masked. `unit`
 * always comes from unitInScope, so another unit's list answers 404.
 */

function actorOf(p: PersonPrincipal): string {
  return `person:${p.personId}`;
}

/** StaffMember of the API contract: the number masked, times ISO. */
export function staffView(s: StaffMember) {
  return {
    id: s.id,
    name: s.name,
    phoneMasked: maskPhone(s.phone),
    createdAt: isoFromSeconds(s.createdAt),
    updatedAt: isoFromSeconds(s.updatedAt),
  };
}

export async function staffList(deps: Deps, unit: Unit) {
  return (await listStaff(deps.db, unit.id)).map(staffView);
}

/** POST /units/{id}/staff: 409 when the unit already has someone with this number. */
export async function addStaff(
  deps: Deps,
  p: PersonPrincipal,
  unit: Unit,
  input: { name: string; phone: string },
) {
  const phone = smsNumber(deps, input.phone);
  if (await phoneTaken(deps.db, unit.id, phone, null)) throw new ApiError('conflict');
  const now = nowSeconds();
  const member: StaffMember = {
    id: newId(),
    unitId: unit.id,
    name: input.name,
    phone,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.db.batch([
      insertStaffStatement(deps.db, { ...member, createdBy: actorOf(p), at: now }),
      auditStatement(
        deps.db,
        {
          actor: actorOf(p),
          action: 'staff.add',
          target: `staff:${member.id}`,
          ip: deps.ip,
          outcome: 'success',
          unitId: unit.id,
          detail: { phone: maskPhone(phone) },
        },
        now,
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict');
    throw err;
  }
  return staffView(member);
}

async function memberOf(deps: Deps, unit: Unit, staffId: string): Promise<StaffMember> {
  const member = await findStaff(deps.db, unit.id, staffId);
  if (!member) throw new ApiError('not_found');
  return member;
}

/**
 * PATCH /units/{id}/staff/{staffId}. A new number revokes the member's unopened links: they
 * went to the old number, which may be a lost phone.
 */
export async function updateStaff(
  deps: Deps,
  p: PersonPrincipal,
  unit: Unit,
  staffId: string,
  input: { name?: string; phone?: string },
) {
  const member = await memberOf(deps, unit, staffId);
  const phone =
    input.phone === undefined ? member.phone : smsNumber(deps, input.phone, member.phone);
  const phoneChanged = phone !== member.phone;
  if (phoneChanged && (await phoneTaken(deps.db, unit.id, phone, member.id))) {
    throw new ApiError('conflict');
  }
  const now = nowSeconds();
  const name = input.name ?? member.name;
  try {
    await deps.db.batch([
      updateStaffStatement(deps.db, { id: member.id, name, phone, at: now }),
      ...(phoneChanged
        ? [
            revokeStaffLinksStatement(deps.db, member.id, now),
            closeFinishedStatement(deps.db, now, staffScope(member.id)),
          ]
        : []),
      auditStatement(
        deps.db,
        {
          actor: actorOf(p),
          action: 'staff.update',
          target: `staff:${member.id}`,
          ip: deps.ip,
          outcome: 'success',
          unitId: unit.id,
          detail: {
            nameChanged: name !== member.name,
            phoneChanged,
            ...(phoneChanged ? { phone: maskPhone(phone) } : {}),
          },
        },
        now,
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict');
    throw err;
  }
  return staffView({ ...member, name, phone, updatedAt: now });
}

/**
 * DELETE /units/{id}/staff/{staffId}: effective at once. Their links nobody opened are
 * revoked, and a handed-over password nobody else can still view is deleted with them.
 */
export async function removeStaff(deps: Deps, p: PersonPrincipal, unit: Unit, staffId: string) {
  const member = await memberOf(deps, unit, staffId);
  const now = nowSeconds();
  await deps.db.batch([
    removeStaffStatement(deps.db, member.id, now),
    revokeStaffLinksStatement(deps.db, member.id, now),
    closeFinishedStatement(deps.db, now, staffScope(member.id)),
    auditStatement(
      deps.db,
      {
        actor: actorOf(p),
        action: 'staff.remove',
        target: `staff:${member.id}`,
        ip: deps.ip,
        outcome: 'success',
        unitId: unit.id,
      },
      now,
    ),
  ]);
}
