import type { Db } from './database';

/** The development outbox and the operators' delivery records. Times are unix seconds. */

export async function addToOutbox(
  db: Db,
  m: { channel: 'sms' | 'mail'; recipient: string; body: string; at: number },
) {
  await db
    .prepare('INSERT INTO outbox (channel, recipient, body, created_at) VALUES (?, ?, ?, ?)')
    .bind(m.channel, m.recipient, m.body, m.at)
    .run();
}

export async function listOutbox(db: Db, limit = 50) {
  const { results } = await db
    .prepare(
      'SELECT channel, recipient, body, created_at FROM outbox ORDER BY created_at DESC, id DESC LIMIT ?',
    )
    .bind(limit)
    .all<{ channel: 'sms' | 'mail'; recipient: string; body: string; created_at: number }>();
  return results;
}

export interface Delivery {
  channel: 'sms' | 'mail';
  purpose: string;
  recipientMasked: string;
  provider: string;
  status: 'sent' | 'failed' | 'skipped';
  attempts: number;
  error: string | null;
  at: number;
}

export async function recordDelivery(db: Db, d: Delivery) {
  await db
    .prepare(
      `INSERT INTO deliveries (channel, purpose, recipient_masked, provider, status, attempts, error, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(d.channel, d.purpose, d.recipientMasked, d.provider, d.status, d.attempts, d.error, d.at)
    .run();
}
