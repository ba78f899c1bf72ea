import { auditStatement } from '../db/audit';
import { nowSeconds } from '../db/clock';
import {
  awaitingFirstLogin,
  claimDirectoryWrite,
  directoryCheckedStatement,
  directoryFailedStatement,
  directoryWrittenStatement,
  dueDirectoryWrites,
  firstLoginStatements,
  type IdentityRow,
} from '../db/identities';
import { PASSWORD_STATE_MAX } from '../domain/directory-protocol';
import { swedishDate } from '../domain/identity-rules';
import { unseal } from '../domain/sealed';
import { ApiError } from '../http/errors';
import type { Deps } from './deps';
import { runJob } from './directory';
import { initialPasswordContext } from './identities';

/*
 * A new hire's initial password in the domain. On the start date (a Stockholm calendar day)
 * the password is set on the account the IdM system created, with "must change at next
 * logon"; before that day the domain does not have it. A write that fails (no connector, no
 * account yet) is tried again by the five-minute run. Once written it is never written again
 * for that cycle: a second write after the person chose their own password would undo it.
 * The first login is seen in the domain: pwdLastSet leaves 0 when the person chooses their
 * own password, and Nyckel then deletes its copy.
 */

/**
 * How long a claim on a write holds. A job is answered or given up within seconds
 * (JOB_WAIT_MS), so an older claim belongs to a writer that stopped half-way.
 */
const CLAIM_LEASE_SECONDS = 120;

/**
 * Writes per run. A run may make at most 1,000 D1 queries and waits up to 8 s per job when
 * the connector is slow; the rest waits five minutes for the next run.
 */
const WRITES_PER_RUN = 20;

/** The account key the connector looks the hire up by, or null if the identity has none. */
function accountValue(deps: Deps, row: IdentityRow): string | null {
  const dir = deps.cfg.identities.directory;
  if (!dir) return null;
  return dir.key === 'hsaId' ? row.hsaId : row.userId;
}

export type WriteOutcome = { kind: 'written' | 'skipped' } | { kind: 'failed'; error: string };

/**
 * Writes one identity's initial password to the domain, if it is due and nobody else is
 * writing it. A failure's reason is recorded for the manager's page.
 */
export async function writeInitialPassword(
  deps: Deps,
  row: IdentityRow,
  now: number,
): Promise<WriteOutcome> {
  const dir = deps.cfg.identities.directory;
  const cycle = row.initial;
  if (!dir || !cycle || cycle.directory !== 'pending' || cycle.sealed === null)
    return { kind: 'skipped' };
  if (row.startDate > swedishDate(now)) return { kind: 'skipped' };
  if (
    !(await claimDirectoryWrite(deps.db, row.id, cycle.createdAt, now, now - CLAIM_LEASE_SECONDS))
  ) {
    return { kind: 'skipped' };
  }
  const fail = async (error: string) => {
    await directoryFailedStatement(
      deps.db,
      row.id,
      cycle.createdAt,
      now,
      error,
      nowSeconds(),
    ).run();
    console.log(JSON.stringify({ event: 'initial_password_directory', identity: row.id, error }));
    return { kind: 'failed' as const, error };
  };
  const value = accountValue(deps, row);
  if (value === null) return fail('no_account_key');
  const password = await unseal(cycle.sealed, initialPasswordContext(row.id), deps.cfg.dataKey);
  if (password === null) return fail('unreadable');
  let guid: string;
  try {
    const outcome = await runJob(
      deps,
      'initial',
      { attribute: dir.attribute, value },
      { newPassword: password },
    );
    // A refusal about a person's own password (wrong_password, locked) cannot come from a set.
    if (outcome.kind === 'refused') return fail(outcome.refusal);
    guid = outcome.value.guid;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const reason =
      error.code === 'directory_unavailable'
        ? 'unavailable'
        : typeof error.extra.reason === 'string'
          ? error.extra.reason
          : error.code;
    return fail(reason);
  }
  const at = nowSeconds();
  await deps.db.batch([
    directoryWrittenStatement(deps.db, row.id, cycle.createdAt, guid, at),
    auditStatement(
      deps.db,
      {
        actor: 'system:directory',
        action: 'initial_password.directory_write',
        target: `identity:${row.id}`,
        ip: null,
        outcome: 'success',
        unitId: row.unitId,
        detail: { userId: row.userId, account: guid },
      },
      at,
    ),
  ]);
  return { kind: 'written' };
}

/**
 * Asks the domain whether the hires whose password it has still must change it. Those who
 * chose their own count as a first login: Nyckel's copy is deleted, as when the HR system
 * reports it.
 */
async function checkFirstLogins(deps: Deps) {
  const rows = await awaitingFirstLogin(deps.db, PASSWORD_STATE_MAX);
  const byGuid = new Map<string, IdentityRow>();
  for (const r of rows) if (r.initial?.directoryGuid) byGuid.set(r.initial.directoryGuid, r);
  if (byGuid.size === 0) return { checked: 0, firstLogins: 0 };
  const outcome = await runJob(deps, 'password_state', { guids: [...byGuid.keys()] });
  if (outcome.kind === 'refused') return { checked: 0, firstLogins: 0 };
  const at = nowSeconds();
  const statements: D1PreparedStatement[] = [
    directoryCheckedStatement(
      deps.db,
      rows.map((r) => r.id),
      at,
    ),
  ];
  let firstLogins = 0;
  for (const account of outcome.value.accounts) {
    const row = byGuid.get(account.guid);
    if (!row?.initial || account.mustChange) continue;
    firstLogins++;
    statements.push(
      ...firstLoginStatements(deps.db, row.id, account.passwordSetAt ?? at, row.initial.createdAt),
      auditStatement(
        deps.db,
        {
          actor: 'system:directory',
          action: 'identity.first_login',
          target: `identity:${row.id}`,
          ip: null,
          outcome: 'success',
          unitId: row.unitId,
          detail: { userId: row.userId, source: 'directory' },
        },
        at,
      ),
    );
  }
  await deps.db.batch(statements);
  return { checked: byGuid.size, firstLogins };
}

/**
 * The scheduled sync (every five minutes, and on demand in development): the start-date
 * writes that are due or to be retried, then the first-login check. Does nothing when the
 * IdM sets initial passwords.
 */
export async function syncNewHiresWithDirectory(deps: Deps, now: number) {
  const counts = { written: 0, failed: 0, checked: 0, firstLogins: 0, unavailable: false };
  if (!deps.cfg.identities.directory) return counts;
  const due = await dueDirectoryWrites(
    deps.db,
    swedishDate(now),
    now - CLAIM_LEASE_SECONDS,
    WRITES_PER_RUN,
  );
  for (const row of due) {
    const outcome = await writeInitialPassword(deps, row, nowSeconds());
    if (outcome.kind === 'written') counts.written++;
    else if (outcome.kind === 'failed') {
      counts.failed++;
      // No connector: the rest would wait for the same answer.
      if (outcome.error === 'unavailable') {
        counts.unavailable = true;
        break;
      }
    }
  }
  if (!counts.unavailable) {
    try {
      Object.assign(counts, await checkFirstLogins(deps));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      counts.unavailable = error.code === 'directory_unavailable';
    }
  }
  console.log(JSON.stringify({ event: 'new_hire_directory_sync', ...counts }));
  return counts;
}
