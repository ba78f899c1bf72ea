/**
 * The reset requests' own round trips: each request reads what it needs in one batch and
 * writes in one more, so a person on the edge waits for two calls to the database, not one
 * per question. The guards stay in the statements (conditional INSERTs and UPDATEs), so a race
 * is still decided by the database, exactly once.
 */

import { type Challenge, type ChallengeRow, toChallenge } from './challenges';
import { DIRECTORY_IN_USE_SQL } from './connectors';
import {
  type BoundedLimit,
  belowGuard,
  boundedCountStatement,
  countStatement,
  incrementWhereStatement,
  type Limit,
} from './counters';
import { type Db, firstRow } from './database';
import {
  digestsOf,
  historyStatement,
  type Mailbox,
  mailboxByUsernameStatement,
  mailboxOf,
  mailboxWhereStatement,
} from './mailboxes';
import { failedCodesTodayParams } from './reset-code-cap';

export interface ResetStartRead {
  /** Today's wrong codes of the submitted name. */
  failedCodes: number;
  directoryInUse: boolean;
  /** The per-address count with this start, or null when the cap refused it first. */
  addressCount: number | null;
  /** The per-name count with this start; null when not counted yet (cap, or the directory). */
  usernameCount: number | null;
  /** The day's SMS counts, in the order asked. */
  dayCounts: number[];
  mailbox: Mailbox | null;
}

/**
 * A reset start's first round trip, the same statements for every name, known or not: the
 * day's cap on wrong codes, whether the directory is in use, the per-address budget (counted
 * unless the cap refuses), the per-name budget (counted unless the cap refuses or the
 * directory must answer first: then it is counted once the domain answered), the day's SMS
 * ceilings and the mailbox.
 */
export async function resetStartRead(
  db: Db,
  r: {
    username: string;
    cap: BoundedLimit;
    byAddress: Limit;
    byUsername: Limit;
    days: readonly Limit[];
    now: number;
  },
): Promise<ResetStartRead> {
  const capBelow = belowGuard(r.cap);
  const results = await db.batch([
    boundedCountStatement(db, r.cap),
    db.prepare(`SELECT ${DIRECTORY_IN_USE_SQL} AS used`),
    incrementWhereStatement(db, r.byAddress, r.now, capBelow),
    incrementWhereStatement(db, r.byUsername, r.now, {
      sql: `${capBelow.sql} AND NOT ${DIRECTORY_IN_USE_SQL}`,
      params: capBelow.params,
    }),
    mailboxByUsernameStatement(db, r.username),
    ...r.days.map((day) => countStatement(db, day, r.now)),
  ]);
  const count = (i: number) => firstRow<{ count: number }>(results[i])?.count ?? null;
  return {
    failedCodes: count(0) ?? 0,
    directoryInUse: firstRow<{ used: number }>(results[1])?.used === 1,
    addressCount: count(2),
    usernameCount: count(3),
    mailbox: mailboxOf(results[4]),
    dayCounts: r.days.map((_, i) => count(5 + i) ?? 0),
  };
}

/**
 * A reset challenge with today's wrong codes of the name typed at its start (0 for a reset
 * without one), in one statement.
 */
export function resetWithCapStatement(db: Db, id: string, now: number) {
  return db
    .prepare(
      `SELECT c.*, COALESCE((SELECT fc.count FROM counters fc
         WHERE fc.key = ?2 || c.username || ?3 AND fc.window_start = ?4), 0) AS failed_codes
       FROM challenges c WHERE c.id = ?1 AND c.purpose = 'reset'`,
    )
    .bind(id, ...failedCodesTodayParams(now));
}

export function readResetWithCap(
  result: D1Result | undefined,
): { challenge: Challenge; failedCodes: number } | null {
  const row = firstRow<ChallengeRow & { failed_codes: number }>(result);
  return row ? { challenge: toChallenge(row), failedCodes: row.failed_codes } : null;
}

/** The mailbox a reset is for (if it is still there and enabled), for a batch. */
export function resetMailboxStatement(db: Db, id: string) {
  return mailboxWhereStatement(
    db,
    `id = (SELECT mailbox_id FROM challenges WHERE id = ? AND purpose = 'reset')`,
    [id],
  );
}

/** A reset, today's wrong codes of its name and its mailbox, in one round trip. */
export async function readResetAndMailbox(db: Db, id: string, now: number) {
  const [reset, mailbox] = await db.batch([
    resetWithCapStatement(db, id, now),
    resetMailboxStatement(db, id),
  ]);
  return { found: readResetWithCap(reset), mailbox: mailboxOf(mailbox) };
}

/**
 * What completing a reset reads, in one round trip: the reset, its mailbox, and the newest
 * `keep` entries of the mailbox's password history.
 */
export async function readResetForPassword(db: Db, id: string, now: number, keep: number) {
  const [reset, mailbox, history] = await db.batch([
    resetWithCapStatement(db, id, now),
    resetMailboxStatement(db, id),
    historyStatement(
      db,
      `mailbox_id = (SELECT mailbox_id FROM challenges WHERE id = ? AND purpose = 'reset')`,
      [id],
      keep,
    ),
  ]);
  return {
    found: readResetWithCap(reset),
    mailbox: mailboxOf(mailbox),
    history: digestsOf(history),
  };
}
