import type { Db } from './database';
import { handoverCleanupStatements } from './handovers';

/**
 * Deletes rows that can no longer matter. Every query already checks expiry, so this only
 * keeps tables small; a day of grace keeps recent rows for support questions.
 * Times are unix seconds.
 */
const GRACE_SECONDS = 86_400;

export function cleanupStatements(db: Db, now: number): D1PreparedStatement[] {
  const before = now - GRACE_SECONDS;
  return [
    db
      .prepare(
        'DELETE FROM challenges WHERE expires_at < ? AND (token_expires_at IS NULL OR token_expires_at < ?)',
      )
      .bind(before, before),
    db.prepare('DELETE FROM counters WHERE expires_at < ?').bind(now),
    db.prepare('DELETE FROM sessions WHERE expires_at < ?').bind(before),
    db
      .prepare(
        'DELETE FROM login_failures WHERE (locked_until IS NULL OR locked_until < ?) AND updated_at < ?',
      )
      .bind(now, before),
    db.prepare('DELETE FROM webauthn_challenges WHERE expires_at < ?').bind(before),
    // The development outbox only: a week is plenty to walk a flow.
    db.prepare('DELETE FROM outbox WHERE created_at < ?').bind(now - 7 * GRACE_SECONDS),
    // A handed-over password must not outlive its links, even if no view closed it.
    ...handoverCleanupStatements(db, now, before),
  ];
}
