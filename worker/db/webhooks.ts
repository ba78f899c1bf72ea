/**
 * Webhook events to the directory connector (migration 0003). Times are unix seconds.
 *
 * An event is claimed before it is sent: the claim moves it to 'delivering' and counts the
 * attempt in one UPDATE, so of two cron runs (or the request's own first try and a cron run)
 * only one sends it. `attempts` after the claim is the claim's token: an outcome is written
 * only while the row still carries it, so a late answer from a re-claimed event changes
 * nothing. Once delivered or given up, the payload keeps no password (JWE) and no number.
 */

export type WebhookStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

import type { Db } from './database';

/** An event this run owns: send exactly `payload`, then record the outcome with `attempts`. */
export interface ClaimedWebhook {
  id: string;
  event: string;
  payload: string;
  attempts: number;
}

/** What is left of a delivered or failed payload: everything but the secret-ish fields. */
const STRIP = "json_remove(payload, '$.password', '$.phone')";

/**
 * A new event, already claimed for the first attempt that the request makes at once in the
 * background; if that never reports back, the cron re-claims it as stuck.
 */
export function insertClaimedWebhookStatement(
  db: Db,
  e: { id: string; event: string; payload: string; at: number },
) {
  return db
    .prepare(
      `INSERT INTO webhook_events (id, event, payload, created_at, attempts, next_attempt_at,
         status, claimed_at) VALUES (?, ?, ?, ?, 1, ?, 'delivering', ?)`,
    )
    .bind(e.id, e.event, e.payload, e.at, e.at, e.at);
}

/**
 * Claims up to `limit` events that are due (pending, next attempt reached) or stuck (claimed
 * before `stuckBefore` and never reported), fewer than `maxAttempts` tried. One statement, so
 * a concurrent run sees them already claimed and takes none of them.
 */
export async function claimDueWebhooks(
  db: Db,
  o: { now: number; stuckBefore: number; maxAttempts: number; limit: number },
): Promise<ClaimedWebhook[]> {
  const due = `((status = 'pending' AND next_attempt_at <= ?1)
      OR (status = 'delivering' AND claimed_at <= ?2)) AND attempts < ?3`;
  const { results } = await db
    .prepare(
      `UPDATE webhook_events SET status = 'delivering', claimed_at = ?1, attempts = attempts + 1
       WHERE id IN (SELECT id FROM webhook_events WHERE ${due}
                    ORDER BY next_attempt_at, created_at LIMIT ?4)
         AND ${due}
       RETURNING id, event, payload, attempts`,
    )
    .bind(o.now, o.stuckBefore, o.maxAttempts, o.limit)
    .all<ClaimedWebhook>();
  return results;
}

/**
 * Gives up stuck events whose every attempt is used (the run that claimed the last one never
 * reported). Returns them so the caller can log each one.
 */
export async function failStuckWebhooks(
  db: Db,
  o: { stuckBefore: number; maxAttempts: number },
): Promise<{ id: string; event: string; attempts: number }[]> {
  const { results } = await db
    .prepare(
      `UPDATE webhook_events SET status = 'failed', claimed_at = NULL, last_error = 'stuck',
         last_status = NULL, payload = ${STRIP}
       WHERE status = 'delivering' AND claimed_at <= ? AND attempts >= ?
       RETURNING id, event, attempts`,
    )
    .bind(o.stuckBefore, o.maxAttempts)
    .all<{ id: string; event: string; attempts: number }>();
  return results;
}

export type WebhookOutcome =
  | { kind: 'delivered'; status: number; at: number }
  | { kind: 'retry'; status: number | null; error: string; nextAttemptAt: number }
  | { kind: 'failed'; status: number | null; error: string };

/** Records how the claimed attempt ended; false if the claim was lost (nothing written). */
export async function recordWebhookOutcome(
  db: Db,
  claim: { id: string; attempts: number },
  outcome: WebhookOutcome,
): Promise<boolean> {
  const owned = "id = ? AND status = 'delivering' AND attempts = ?";
  let statement: D1PreparedStatement;
  switch (outcome.kind) {
    case 'delivered':
      statement = db
        .prepare(
          `UPDATE webhook_events SET status = 'delivered', delivered_at = ?, last_status = ?,
             last_error = NULL, claimed_at = NULL, payload = ${STRIP} WHERE ${owned}`,
        )
        .bind(outcome.at, outcome.status, claim.id, claim.attempts);
      break;
    case 'retry':
      statement = db
        .prepare(
          `UPDATE webhook_events SET status = 'pending', next_attempt_at = ?, last_status = ?,
             last_error = ?, claimed_at = NULL WHERE ${owned}`,
        )
        .bind(outcome.nextAttemptAt, outcome.status, outcome.error, claim.id, claim.attempts);
      break;
    case 'failed':
      statement = db
        .prepare(
          `UPDATE webhook_events SET status = 'failed', last_status = ?, last_error = ?,
             claimed_at = NULL, payload = ${STRIP} WHERE ${owned}`,
        )
        .bind(outcome.status, outcome.error, claim.id, claim.attempts);
      break;
  }
  const result = await statement.run();
  return result.meta.changes === 1;
}

/** Delivered and failed events older than `before` are of no more use to anyone. */
export async function pruneWebhooks(db: Db, before: number): Promise<number> {
  const result = await db
    .prepare(
      "DELETE FROM webhook_events WHERE status IN ('delivered', 'failed') AND created_at < ?",
    )
    .bind(before)
    .run();
  return result.meta.changes ?? 0;
}

/** An event as the administrator sees it: never the payload. */
export interface WebhookEventSummary {
  id: string;
  event: string;
  status: WebhookStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

export async function webhookStatusCounts(db: Db): Promise<Record<WebhookStatus, number>> {
  const { results } = await db
    .prepare('SELECT status, COUNT(*) AS n FROM webhook_events GROUP BY status')
    .all<{ status: WebhookStatus; n: number }>();
  const counts: Record<WebhookStatus, number> = {
    pending: 0,
    delivering: 0,
    delivered: 0,
    failed: 0,
  };
  for (const row of results) counts[row.status] = row.n;
  return counts;
}

/** The newest events, without their payload. */
export async function recentWebhooks(db: Db, limit: number): Promise<WebhookEventSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, event, status, attempts, created_at AS createdAt,
         CASE WHEN status = 'pending' THEN next_attempt_at END AS nextAttemptAt,
         delivered_at AS deliveredAt, last_status AS lastStatus, last_error AS lastError
       FROM webhook_events ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    )
    .bind(limit)
    .all<WebhookEventSummary>();
  return results;
}

/** What the payload says about the mailbox, read after the change was written. */
export async function findWebhookMailbox(db: Db, id: string) {
  return db
    .prepare('SELECT id, username, unit_id AS unitId, phone FROM mailboxes WHERE id = ?')
    .bind(id)
    .first<{ id: string; username: string; unitId: string | null; phone: string | null }>();
}

/** The webhook's settings rows (see services/webhooks.ts for the keys), in one read. */
export async function webhookSettingRows(
  db: Db,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const { results } = await db
    .prepare(`SELECT key, value FROM settings WHERE key IN (${keys.map(() => '?').join(', ')})`)
    .bind(...keys)
    .all<{ key: string; value: string }>();
  return new Map(results.map((r) => [r.key, r.value]));
}
