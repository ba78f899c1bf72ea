import type { PersonPrincipal } from '../app-env';
import {
  findAnyMailbox,
  insertMailboxStatements,
  insertUnitStatement,
  listUnitsWithCounts,
  mailboxWithUsername,
  renameUnitStatement,
  revokeMailboxSessionsStatement,
  unitManagers,
  updateMailboxStatement,
} from '../db/admin';
import { type AuditEntry, auditStatement } from '../db/audit';
import { nowSeconds } from '../db/clock';
import { findManagedMailbox, findUnit, listManagedMailboxes, type Unit } from '../db/manager';
import { generatePassword } from '../domain/generate-password';
import { checkHistory, hashPassword, newHistorySalt } from '../domain/password-hash';
import { checkPassword } from '../domain/policy';
import { newId } from '../domain/tokens';
import { ApiError, isUniqueViolation } from '../http/errors';
import type { Deps } from './deps';
import { mailboxSummary } from './manager';

/*
 * The administrator's units and mailboxes. The routes have already
 * checked adminOnly and, for writes, a fresh sign-in. Every write and its audit entry go in
 * one batch, so a refused or failed request leaves nothing behind.
 */

export function actorOf(p: PersonPrincipal): string {
  return `person:${p.personId}`;
}

/** A reference in a body to something that does not exist is a bad request, not a 404. */
function noSuch(path: string, what: string): ApiError {
  return new ApiError('invalid_request', { issues: [{ path, message: `No such ${what}` }] });
}

function entry(deps: Deps, p: PersonPrincipal, e: Omit<AuditEntry, 'actor' | 'ip' | 'outcome'>) {
  return { actor: actorOf(p), ip: deps.ip, outcome: 'success' as const, ...e };
}

/**
 * 409 `conflict` that names what already holds the value (`existing`: its kind, id and name)
 * and the field (`issues[0]`, code `taken`), so a form can say "there is already a unit
 * called X" where the name was typed: a reload would change nothing.
 */
export function takenError(
  path: string,
  kind: 'unit' | 'mailbox' | 'person',
  existing: { id: string; name: string },
  message: string,
): ApiError {
  return new ApiError('conflict', {
    issues: [{ path, code: 'taken', message }],
    existing: { kind, id: existing.id, name: existing.name },
  });
}

/* Units */

/** GET /units: every unit, its mailbox count (disabled ones included) and its managers. */
export async function adminUnits(deps: Deps) {
  const [units, managers] = await Promise.all([
    listUnitsWithCounts(deps.db),
    unitManagers(deps.db),
  ]);
  return units.map((u) => ({
    id: u.id,
    name: u.name,
    mailboxCount: u.mailboxCount,
    managers: managers.get(u.id) ?? [],
  }));
}

/** Two units with one name (in any letter case) would be told apart by nobody. */
async function assertNameFree(deps: Deps, name: string, exceptId: string | null) {
  const folded = name.toLocaleLowerCase('sv');
  const units = await listUnitsWithCounts(deps.db);
  const same = units.find((u) => u.id !== exceptId && u.name.toLocaleLowerCase('sv') === folded);
  if (same) {
    throw takenError(
      'name',
      'unit',
      same,
      `There is already a unit named ${JSON.stringify(same.name)}`,
    );
  }
}

/** POST /units: 409 if another unit has the name. */
export async function createUnit(deps: Deps, p: PersonPrincipal, name: string): Promise<Unit> {
  await assertNameFree(deps, name, null);
  const unit = { id: newId(), name };
  const now = nowSeconds();
  await deps.db.batch([
    insertUnitStatement(deps.db, unit, now),
    auditStatement(
      deps.db,
      entry(deps, p, {
        action: 'unit.create',
        target: `unit:${unit.id}`,
        unitId: unit.id,
        detail: { name },
      }),
      now,
    ),
  ]);
  return unit;
}

/** PATCH /units/{id}: 404 for an unknown unit, 409 if another unit has the name. */
export async function renameUnit(deps: Deps, p: PersonPrincipal, id: string, name: string) {
  const unit = await findUnit(deps.db, id);
  if (!unit) throw new ApiError('not_found');
  if (unit.name === name) return unit;
  await assertNameFree(deps, name, unit.id);
  const now = nowSeconds();
  await deps.db.batch([
    renameUnitStatement(deps.db, { id: unit.id, name }),
    auditStatement(
      deps.db,
      entry(deps, p, {
        action: 'unit.rename',
        target: `unit:${unit.id}`,
        unitId: unit.id,
        detail: { name, previous: unit.name },
      }),
      now,
    ),
  ]);
  return { id: unit.id, name };
}

/* Mailboxes */

function usernameTakenError(holder: { id: string; name: string }) {
  return takenError(
    'username',
    'mailbox',
    holder,
    `There is already a mailbox with the username ${JSON.stringify(holder.name)}`,
  );
}

/**
 * GET /mailboxes?unitId=: every mailbox in a unit (disabled ones too, for re-enabling), or
 * of one unit; 404 for an unknown unit.
 */
export async function adminMailboxes(deps: Deps, unitId: string | undefined) {
  if (unitId !== undefined && !(await findUnit(deps.db, unitId))) throw new ApiError('not_found');
  const now = nowSeconds();
  const mailboxes = await listManagedMailboxes(
    deps.db,
    unitId === undefined ? 'all' : [unitId],
    now,
  );
  return mailboxes.map((m) => ({ ...mailboxSummary(deps, m, now), unitName: m.unitName }));
}

async function summaryOf(deps: Deps, id: string) {
  const now = nowSeconds();
  const mailbox = await findManagedMailbox(deps.db, id, now);
  if (!mailbox) throw new ApiError('not_found');
  return { ...mailboxSummary(deps, mailbox, now), unitName: mailbox.unitName };
}

/**
 * POST /mailboxes: a new mailbox with an initial password, typed (judged by the policy and
 * the blocklist, 422 `policy`) or generated (readable, policy-compliant) and then returned
 * once. It is stored exactly as the seed stores one: a PBKDF2 hash, a history salt and the
 * first history digest, so the first change already refuses it as "reused". The unit must
 * exist (400 `invalid_request` on `unitId`); a taken username is 409 `conflict`.
 */
export async function createMailbox(
  deps: Deps,
  p: PersonPrincipal,
  input: { username: string; displayName: string; unitId: string; password?: string },
) {
  const { policy, peppers, organisationName } = deps.cfg;
  const unit = await findUnit(deps.db, input.unitId);
  if (!unit) throw noSuch('unitId', 'unit');
  const holder = await mailboxWithUsername(deps.db, input.username);
  if (holder) throw usernameTakenError(holder);
  const context = {
    username: input.username,
    words: [organisationName, input.displayName, input.username],
  };
  const generated = input.password === undefined ? generatePassword(policy, context) : null;
  const password = generated ?? input.password ?? '';
  if (generated === null) {
    const violations = checkPassword(password, policy, context);
    if (violations.length > 0) throw new ApiError('policy', { violations });
  }
  const id = newId();
  const now = nowSeconds();
  const historySalt = newHistorySalt();
  const [passwordHash, history] = await Promise.all([
    hashPassword(password, peppers),
    checkHistory(password, historySalt, [], peppers),
  ]);
  try {
    await deps.db.batch([
      ...insertMailboxStatements(deps.db, {
        id,
        username: input.username,
        displayName: input.displayName,
        unitId: unit.id,
        passwordHash,
        historySalt,
        historyDigest: history.digest,
        at: now,
      }),
      auditStatement(
        deps.db,
        entry(deps, p, {
          action: 'mailbox.create',
          target: `mailbox:${id}`,
          unitId: unit.id,
          // Whether the password was generated, never the password.
          detail: { username: input.username, generated: generated !== null },
        }),
        now,
      ),
    ]);
  } catch (err) {
    // The batch is one transaction: on a lost race for the username nothing was written.
    if (isUniqueViolation(err)) {
      const winner = await mailboxWithUsername(deps.db, input.username);
      throw winner ? usernameTakenError(winner) : new ApiError('conflict');
    }
    throw err;
  }
  return { id, username: input.username, generated };
}

/**
 * PATCH /mailboxes/{id}: rename, move to another unit (which must exist: 400 on `unitId`),
 * disable or enable. Disabling ends every session of the mailbox; a disabled mailbox cannot
 * log in, reset or get reminders. A move is written to both units' trails. 404 for an
 * unknown mailbox; a request that changes nothing writes nothing.
 */
export async function updateMailbox(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  change: { displayName?: string; unitId?: string; disabled?: boolean },
) {
  const mailbox = await findAnyMailbox(deps.db, id);
  if (!mailbox) throw new ApiError('not_found');
  const moveTo =
    change.unitId !== undefined && change.unitId !== mailbox.unitId ? change.unitId : null;
  if (moveTo !== null && !(await findUnit(deps.db, moveTo))) throw noSuch('unitId', 'unit');
  const now = nowSeconds();
  const rename = change.displayName !== undefined && change.displayName !== mailbox.displayName;
  const disable = change.disabled === true && mailbox.disabledAt === null;
  const enable = change.disabled === false && mailbox.disabledAt !== null;
  if (!rename && moveTo === null && !disable && !enable) return summaryOf(deps, id);

  const target = `mailbox:${mailbox.id}`;
  const unitAfter = moveTo ?? mailbox.unitId;
  const statements = [
    updateMailboxStatement(deps.db, mailbox.id, {
      displayName: rename ? (change.displayName ?? mailbox.displayName) : mailbox.displayName,
      unitId: unitAfter,
      disabledAt: disable ? now : enable ? null : mailbox.disabledAt,
    }),
  ];
  if (disable) statements.push(revokeMailboxSessionsStatement(deps.db, mailbox.id, now));
  const audits: Omit<AuditEntry, 'actor' | 'ip' | 'outcome'>[] = [];
  if (rename) {
    audits.push({
      action: 'mailbox.rename',
      target,
      unitId: unitAfter,
      detail: { displayName: change.displayName ?? null, previous: mailbox.displayName },
    });
  }
  if (moveTo !== null) {
    // One entry in each unit's trail: the unit it left and the unit it joined.
    const detail = { from: mailbox.unitId, to: moveTo };
    if (mailbox.unitId !== null) {
      audits.push({ action: 'mailbox.move', target, unitId: mailbox.unitId, detail });
    }
    audits.push({ action: 'mailbox.move', target, unitId: moveTo, detail });
  }
  if (disable) audits.push({ action: 'mailbox.disable', target, unitId: unitAfter });
  if (enable) audits.push({ action: 'mailbox.enable', target, unitId: unitAfter });
  await deps.db.batch([
    ...statements,
    ...audits.map((a) => auditStatement(deps.db, entry(deps, p, a), now)),
  ]);
  return summaryOf(deps, id);
}
