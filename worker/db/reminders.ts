import type { Db } from './database';
/**
 * Rotation reminders and the mailbox facts that notices and reminders are written from.
 * Times are unix seconds. A reminder row (mailbox, threshold, password cycle, channel) is
 * claimed before anything is sent, so a re-run or a second run at the same time sends nothing
 * twice; `cycle` is the mailbox's password_changed_at, so a new password starts afresh.
 */

export interface NoticeMailbox {
  id: string;
  username: string;
  displayName: string;
  unitId: string | null;
  unitName: string | null;
  phone: string | null;
}

/** A mailbox and its unit's name, disabled or not (a notice still matters then). */
export async function findNoticeMailbox(db: Db, id: string) {
  const row = await db
    .prepare(
      `SELECT m.id, m.username, m.display_name, m.unit_id, u.name AS unit_name, m.phone
       FROM mailboxes m LEFT JOIN units u ON u.id = m.unit_id WHERE m.id = ?`,
    )
    .bind(id)
    .first<{
      id: string;
      username: string;
      display_name: string;
      unit_id: string | null;
      unit_name: string | null;
      phone: string | null;
    }>();
  if (!row) return null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    phone: row.phone,
  } satisfies NoticeMailbox;
}

export interface RotationCandidate {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  unitName: string;
  phone: string | null;
  passwordChangedAt: number;
}

/**
 * Enabled mailboxes with a unit whose password changed at or before `changedBefore` (the
 * caller turns "due within the largest threshold" into that bound, so the index does the
 * filtering and a large municipality is not read whole every morning).
 */
export async function rotationCandidates(db: Db, changedBefore: number, lastThreshold: number) {
  // A mailbox whose last reminder of this password cycle went out has nothing more to send
  // until its password changes. Without this, every long-overdue mailbox cost the daily run
  // two queries every day, and a few hundred of them would take the run past the edge's
  // 1,000 D1 queries per invocation.
  const { results } = await db
    .prepare(
      `SELECT m.id, m.username, m.display_name, m.unit_id, u.name AS unit_name, m.phone,
         m.password_changed_at
       FROM mailboxes m JOIN units u ON u.id = m.unit_id
       WHERE m.disabled_at IS NULL AND m.password_changed_at <= ?
         AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.mailbox_id = m.id
           AND r.cycle = m.password_changed_at AND r.threshold = ? AND r.channel = 'mail'
           AND r.status = 'sent')
       ORDER BY m.unit_id, m.password_changed_at`,
    )
    .bind(changedBefore, lastThreshold)
    .all<{
      id: string;
      username: string;
      display_name: string;
      unit_id: string;
      unit_name: string;
      phone: string | null;
      password_changed_at: number;
    }>();
  return results.map(
    (r): RotationCandidate => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      phone: r.phone,
      passwordChangedAt: r.password_changed_at,
    }),
  );
}

export interface ReminderKey {
  mailboxId: string;
  threshold: number;
  cycle: number;
  channel: 'mail' | 'sms';
}

/**
 * Claims a reminder for sending: a new row, or one whose earlier send failed, or one left
 * 'claimed' by a run that died before it could record the outcome (older than `staleBefore`;
 * the daily schedule means that is yesterday's run). True only for the one caller that won;
 * a 'sent' row is never claimed again.
 */
export async function claimReminder(
  db: Db,
  key: ReminderKey,
  now: number,
  staleBefore: number,
): Promise<boolean> {
  // One statement, so the daily run spends one query per reminder it looks at.
  const claimed = await db
    .prepare(
      `INSERT INTO reminders (mailbox_id, threshold, cycle, channel, status, claimed_at)
       VALUES (?1, ?2, ?3, ?4, 'claimed', ?5)
       ON CONFLICT (mailbox_id, threshold, cycle, channel) DO UPDATE SET
         status = 'claimed', claimed_at = ?5
       WHERE status = 'failed' OR (status = 'claimed' AND claimed_at < ?6)`,
    )
    .bind(key.mailboxId, key.threshold, key.cycle, key.channel, now, staleBefore)
    .run();
  return claimed.meta.changes === 1;
}

export async function finishReminder(db: Db, key: ReminderKey, status: 'sent' | 'failed') {
  await db
    .prepare(
      `UPDATE reminders SET status = ?
       WHERE mailbox_id = ? AND threshold = ? AND cycle = ? AND channel = ? AND status = 'claimed'`,
    )
    .bind(status, key.mailboxId, key.threshold, key.cycle, key.channel)
    .run();
}
