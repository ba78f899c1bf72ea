import type { PersonPrincipal } from '../app-env';
import { audit, auditStatement } from '../db/audit';
import { type LabelledAuditRow, listAuditLabelledRead } from '../db/audit-query';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { listDueIdentitiesRead } from '../db/identities';
import {
  historyDigestsRead,
  type Mailbox,
  type PasswordWrite,
  passwordWriteStatements,
} from '../db/mailboxes';
import {
  deleteDelegateStatement,
  findMailboxForResetRead,
  findManagedMailbox,
  findManagedMailboxRead,
  findRole,
  findUnit,
  insertDelegateStatement,
  insertPersonStatement,
  listManagedMailboxesRead,
  listUnitPeople,
  listUnitsRead,
  MAILBOX_AUDIT_LIMIT,
  type MailboxForReset,
  type ManagedMailbox,
  personState,
  revokeInvitesIfRolelessStatement,
  revokeSessionsIfRolelessStatement,
  type Unit,
  unlockStatement,
} from '../db/manager';
import { findPersonByEmail } from '../db/people';
import { readTogether } from '../db/reads';
import { clearDailyCodeCapStatement } from '../db/reset-code-cap';
import { canActOnUnit, canManageDelegates, unitScope } from '../domain/access';
import { generatePassword } from '../domain/generate-password';
import { mailboxStatus, passwordExpiresAt, taskList } from '../domain/mailbox-status';
import { maskPhone } from '../domain/phone';
import { stockholmDay } from '../domain/stockholm-day';
import { newId } from '../domain/tokens';
import { ApiError } from '../http/errors';
import { labelledAuditItems, labelledAuditPage } from './audit-view';
import type { Deps } from './deps';
import { resetInDirectory, unlockInDirectory } from './directory';
import { shareOffer } from './handovers';
import { identityTasks } from './identities';
import { createInvite } from './invites';
import { notifyMailboxChange } from './notices';
import { judgeNewPassword } from './passwords';
import { queueMailboxChange } from './webhooks';

/*
 * The manager's and delegate's use cases. Every one starts from the
 * principal loaded for this request: a mailbox or unit outside the person's units answers
 * exactly like one that does not exist (404), so ids cannot be probed.
 */

function actorOf(p: PersonPrincipal): string {
  return `person:${p.personId}`;
}

function viewerRole(p: PersonPrincipal, unitId: string): 'manager' | 'delegate' | 'admin' {
  return p.roles.get(unitId) ?? 'admin';
}

/** MailboxSummary of the API contract (times ISO, the number masked). */
export function mailboxSummary(deps: Deps, m: ManagedMailbox, now: number) {
  const { maxAgeDays } = deps.cfg.policy;
  const locked = m.lockedUntil !== null && m.lockedUntil > now;
  // Resets by SMS code wait for the next Swedish day once the day's wrong codes are spent.
  const resetsPaused = m.failedCodesToday >= deps.cfg.resets.failedCodesPerDay;
  return {
    id: m.id,
    unitId: m.unitId,
    username: m.username,
    displayName: m.displayName,
    phoneMasked: m.phone ? maskPhone(m.phone) : null,
    passwordChangedAt: isoFromSeconds(m.passwordChangedAt),
    passwordExpiresAt: isoFromSeconds(passwordExpiresAt(m.passwordChangedAt, maxAgeDays)),
    status: mailboxStatus(m.passwordChangedAt, maxAgeDays, now),
    locked,
    lockedUntil: locked && m.lockedUntil !== null ? isoFromSeconds(m.lockedUntil) : null,
    resetsPausedUntil: resetsPaused ? isoFromSeconds(stockholmDay(now).end) : null,
    disabled: m.disabledAt !== null,
    lastActivityAt: m.lastActivityAt === null ? null : isoFromSeconds(m.lastActivityAt),
    lastActivity: m.lastActivity,
  };
}

/** GET /overview: tasks first, then every unit the person sees with its mailboxes. */
export async function overview(deps: Deps, p: PersonPrincipal) {
  const now = nowSeconds();
  const scope = unitScope(p);
  const ids = scope.all ? 'all' : scope.unitIds;
  // One D1 call for the whole page: units, their mailboxes and the identities to act on.
  const [units, mailboxes, due] = await readTogether(deps.db, [
    listUnitsRead(deps.db, ids),
    listManagedMailboxesRead(deps.db, ids, now),
    listDueIdentitiesRead(deps.db, ids),
  ]);
  const byUnit = new Map<string, ManagedMailbox[]>();
  for (const m of mailboxes) {
    if (m.unitId === null) continue;
    byUnit.set(m.unitId, [...(byUnit.get(m.unitId) ?? []), m]);
  }
  const tasks = taskList(
    mailboxes.flatMap((m) =>
      m.unitId === null
        ? []
        : [
            {
              mailboxId: m.id,
              unitId: m.unitId,
              username: m.username,
              displayName: m.displayName,
              passwordChangedAt: m.passwordChangedAt,
              hasPhone: m.phone !== null,
              lockedUntil: m.lockedUntil,
              disabled: m.disabledAt !== null,
            },
          ],
    ),
    deps.cfg.policy.maxAgeDays,
    now,
  );
  return {
    identityTasks: identityTasks(due, now),
    tasks: tasks.map((t) => ({
      kind: t.kind,
      mailboxId: t.mailboxId,
      unitId: t.unitId,
      username: t.username,
      displayName: t.displayName,
      dueAt: t.dueAt === null ? null : isoFromSeconds(t.dueAt),
      lockedUntil: t.lockedUntil === null ? null : isoFromSeconds(t.lockedUntil),
    })),
    units: units.map((u) => ({
      id: u.id,
      name: u.name,
      role: viewerRole(p, u.id),
      canManageDelegates: canManageDelegates(p, u.id),
      mailboxes: (byUnit.get(u.id) ?? []).map((m) => mailboxSummary(deps, m, now)),
    })),
  };
}

/*
 * `found` is what the route read along with the person's session (http/manager-reads.ts);
 * undefined when it did not, and the row is read here.
 */

function managedInScope(p: PersonPrincipal, mailbox: ManagedMailbox | null): ManagedMailbox {
  if (!mailbox || !canActOnUnit(p, mailbox.unitId)) throw new ApiError('not_found');
  return mailbox;
}

export async function mailboxInScope(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [ManagedMailbox | null],
) {
  const [mailbox] = found ?? [await findManagedMailbox(deps.db, id, nowSeconds())];
  return managedInScope(p, mailbox);
}

export async function unitInScope(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [Unit | null],
): Promise<Unit> {
  const [unit] = found ?? [await findUnit(deps.db, id)];
  if (!unit || !canActOnUnit(p, unit.id)) throw new ApiError('not_found');
  return unit;
}

/** A unit whose delegates the person may change: 404 outside their units, 403 for a delegate. */
export async function delegatesUnit(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [Unit | null],
): Promise<Unit> {
  const unit = await unitInScope(deps, p, id, found);
  if (!canManageDelegates(p, unit.id)) throw new ApiError('forbidden');
  return unit;
}

/** GET /mailboxes/{id}: the mailbox and its recent history, its names in the same read. */
export async function mailboxDetail(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [ManagedMailbox | null, { rows: LabelledAuditRow[] }],
) {
  const now = nowSeconds();
  const [row, { rows }] =
    found ??
    (await readTogether(deps.db, [
      findManagedMailboxRead(deps.db, id, now),
      listAuditLabelledRead(deps.db, { mailboxId: id, limit: MAILBOX_AUDIT_LIMIT }),
    ]));
  const mailbox = managedInScope(p, row);
  return {
    mailbox: { ...mailboxSummary(deps, mailbox, now), unitName: mailbox.unitName },
    audit: labelledAuditItems(rows),
  };
}

/**
 * POST /mailboxes/{id}/unlock: ends the login lockout and the day's pause on resets by SMS
 * code (today's wrong codes are forgotten), nothing else: a locked mailbox is unlocked without
 * a reset, so the password stays. Idempotent. `mailbox` comes from
 * mailboxInScope.
 */
export async function unlockMailbox(deps: Deps, p: PersonPrincipal, mailbox: ManagedMailbox) {
  const now = nowSeconds();
  // In `ad` mode the lock that matters is the domain's: lockoutTime=0 there first, so a
  // failed unlock (503) leaves Nyckel's own lock as it was too.
  if (mailbox.mode === 'ad') await unlockInDirectory(deps, mailbox);
  const wasLocked = mailbox.lockedUntil !== null && mailbox.lockedUntil > now;
  const resetsPaused = mailbox.failedCodesToday >= deps.cfg.resets.failedCodesPerDay;
  await deps.db.batch([
    unlockStatement(deps.db, mailbox.username),
    clearDailyCodeCapStatement(deps.db, mailbox.username, now),
    auditStatement(
      deps.db,
      {
        actor: actorOf(p),
        action: 'mailbox.unlock',
        target: `mailbox:${mailbox.id}`,
        ip: deps.ip,
        outcome: 'success',
        detail: { wasLocked, ...(resetsPaused ? { resetsPaused } : {}) },
      },
      now,
    ),
  ]);
}

/**
 * The mailbox a reset on behalf is for: 404 outside the person's units, 409 if disabled (it
 * cannot be used; a new password would only hide that). Checked before the body is read.
 */
export async function mailboxForReset(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [MailboxForReset | null, string[]],
) {
  const [row, history] =
    found ??
    (await readTogether(deps.db, [
      findMailboxForResetRead(deps.db, id),
      historyDigestsRead(deps.db, id, deps.cfg.policy.historyDepth + 1),
    ]));
  if (!row || !canActOnUnit(p, row.mailbox.unitId)) throw new ApiError('not_found');
  if (row.disabledAt !== null) throw new ApiError('conflict');
  return { ...row.mailbox, history };
}

/**
 * POST /mailboxes/{id}/password: a new password on the staff's behalf, judged exactly like
 * self-service (policy, blocklist, history). Without a password one is generated and shown
 * once; it is never stored in plain text (only sealed, as the setter's share offer).
 * Every mailbox session ends and the lockout and today's wrong reset codes are cleared in
 * the same batch as the audit entry; the unit's managers and delegates are told.
 */
export async function resetOnBehalf(
  deps: Deps,
  p: PersonPrincipal,
  mailbox: Mailbox & { history: string[] },
  typed: string | undefined,
) {
  const now = nowSeconds();
  const generated =
    typed === undefined
      ? generatePassword(deps.cfg.policy, {
          username: mailbox.username,
          words: [deps.cfg.organisationName, mailbox.displayName, mailbox.username],
        })
      : null;
  const entry = {
    actor: actorOf(p),
    action: 'mailbox.password.on_behalf',
    target: `mailbox:${mailbox.id}`,
    ip: deps.ip,
  };
  let write: PasswordWrite;
  try {
    write = await judgeNewPassword(deps, mailbox, generated ?? typed ?? '', now, mailbox.history);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'policy') {
      await audit(deps.db, { ...entry, outcome: 'refused', detail: { result: 'policy' } }, now);
    }
    throw err;
  }
  // In `ad` mode the domain takes the password first (replace, then unlock); only then is
  // it recorded here, so a 503 or a refusal leaves nothing changed anywhere.
  if (mailbox.mode === 'ad') {
    try {
      await resetInDirectory(deps, mailbox, generated ?? typed ?? '');
    } catch (err) {
      if (err instanceof ApiError && err.code !== 'directory_unavailable') {
        await audit(deps.db, { ...entry, outcome: 'refused', detail: { result: err.code } }, now);
      }
      throw err;
    }
  }
  // The password just set, sealed as an offer only this person can share with the unit's
  // staff for a short while (after the write, which ends any earlier offer).
  const offer = await shareOffer(deps, {
    mailboxId: mailbox.id,
    password: generated ?? typed ?? '',
    setter: actorOf(p),
    now,
  });
  await deps.db.batch([
    ...passwordWriteStatements(deps.db, write),
    clearDailyCodeCapStatement(deps.db, mailbox.username, now),
    offer.statement,
    auditStatement(
      deps.db,
      { ...entry, outcome: 'success', detail: { generated: generated !== null } },
      now,
    ),
  ]);
  // The webhook event is stored after the answer, like the notice: its settings read and
  // insert would be two more round trips before it. A crash in between loses the event.
  const newPassword = generated ?? typed ?? '';
  deps.background(async () => {
    // Its delivery, queued from within this task, runs here, inside the request's waitUntil.
    const delivery: Array<() => Promise<unknown>> = [];
    await queueMailboxChange(
      { ...deps, background: (task) => delivery.push(task) },
      { mailboxId: mailbox.id, change: 'password', via: 'on_behalf', at: now, newPassword },
    );
    await Promise.all(delivery.map((task) => task()));
  });
  deps.background(() =>
    notifyMailboxChange(deps, {
      mailboxId: mailbox.id,
      change: 'password',
      via: 'on_behalf',
      actorLabel: p.name,
      at: now,
    }),
  );
  return {
    generated,
    shareOfferId: offer.id,
    passwordChangedAt: isoFromSeconds(now),
    passwordExpiresAt: isoFromSeconds(passwordExpiresAt(now, deps.cfg.policy.maxAgeDays)),
  };
}

/** GET /units/{id}: the unit and its managers and delegates. */
export async function unitDetail(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [Unit | null],
) {
  const unit = await unitInScope(deps, p, id, found);
  return {
    id: unit.id,
    name: unit.name,
    role: viewerRole(p, unit.id),
    canManageDelegates: canManageDelegates(p, unit.id),
    people: await listUnitPeople(deps.db, unit.id, nowSeconds()),
  };
}

/**
 * POST /units/{id}/delegates: makes a person (found by e-mail, created if unknown) a
 * delegate of the unit. Idempotent for an existing delegate; 409 for the unit's manager or a
 * disabled person. An invite is e-mailed whenever the person cannot sign in yet, which also
 * lets a manager send a lost invite again. `unit` comes from delegatesUnit.
 */
export async function addDelegate(
  deps: Deps,
  p: PersonPrincipal,
  unit: Unit,
  input: { name: string; email: string },
) {
  const now = nowSeconds();
  const existing = await findPersonByEmail(deps.db, input.email);
  if (existing && existing.disabledAt !== null) throw new ApiError('conflict');
  const personId = existing?.id ?? newId();
  const role = existing ? await findRole(deps.db, existing.id, unit.id) : null;
  if (role === 'manager') throw new ApiError('conflict');
  await deps.db.batch([
    ...(existing ? [] : [insertPersonStatement(deps.db, { id: personId, ...input, at: now })]),
    insertDelegateStatement(deps.db, {
      personId,
      unitId: unit.id,
      createdBy: actorOf(p),
      at: now,
    }),
    auditStatement(
      deps.db,
      {
        actor: actorOf(p),
        action: 'delegate.add',
        target: `person:${personId}`,
        ip: deps.ip,
        outcome: 'success',
        unitId: unit.id,
        detail: { newPerson: !existing, alreadyDelegate: role === 'delegate' },
      },
      now,
    ),
  ]);
  const state = await personState(deps.db, personId, now);
  let invitePending = state.invitePending;
  if (!state.enrolled) {
    await createInvite(deps, personId, actorOf(p));
    invitePending = true;
  }
  return {
    id: personId,
    name: existing?.name ?? input.name,
    email: existing?.email ?? input.email,
    role: 'delegate' as const,
    enrolled: state.enrolled,
    invitePending,
  };
}

/**
 * DELETE /units/{id}/delegates/{personId}: effective at once (roles are read on every
 * request). If no role is left, the person's sessions and open invites end too.
 */
export async function revokeDelegate(
  deps: Deps,
  p: PersonPrincipal,
  unitId: string,
  personId: string,
) {
  const unit = await delegatesUnit(deps, p, unitId);
  if ((await findRole(deps.db, personId, unit.id)) !== 'delegate') {
    throw new ApiError('not_found');
  }
  const now = nowSeconds();
  await deps.db.batch([
    deleteDelegateStatement(deps.db, personId, unit.id),
    revokeSessionsIfRolelessStatement(deps.db, personId, now),
    revokeInvitesIfRolelessStatement(deps.db, personId, now),
    auditStatement(
      deps.db,
      {
        actor: actorOf(p),
        action: 'delegate.revoke',
        target: `person:${personId}`,
        ip: deps.ip,
        outcome: 'success',
        unitId: unit.id,
      },
      now,
    ),
  ]);
}

/** GET /units/{id}/audit: the unit's trail, newest first, a page at a time (unit from unitInScope). */
export async function unitAudit(deps: Deps, unit: Unit, page: { before?: number; limit: number }) {
  const [labelled] = await readTogether(deps.db, [
    listAuditLabelledRead(deps.db, { unitIds: [unit.id], ...page }),
  ]);
  return labelledAuditPage(labelled);
}
