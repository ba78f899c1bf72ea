import type { Db } from './database';
/**
 * Settings an administrator changes at run time (migration 0002). A missing row means the
 * wrangler var is in force. Times are unix seconds; updated_by is an actor string.
 */

export interface Setting {
  value: string;
  updatedAt: number;
  updatedBy: string;
}

export async function getSetting(db: Db, key: string): Promise<Setting | null> {
  return settingStatement(db, key).first<Setting>();
}

/** getSetting's statement, for a batch (a Setting row, or none). */
export function settingStatement(db: Db, key: string) {
  return db
    .prepare(
      'SELECT value, updated_at AS updatedAt, updated_by AS updatedBy FROM settings WHERE key = ?',
    )
    .bind(key);
}

export function putSettingStatement(db: Db, key: string, value: string, at: number, by: string) {
  return db
    .prepare(
      `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
    )
    .bind(key, value, at, by);
}

export function deleteSettingStatement(db: Db, key: string) {
  return db.prepare('DELETE FROM settings WHERE key = ?').bind(key);
}
