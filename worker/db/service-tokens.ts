import type { Db } from './database';
/** SQL for the service tokens of other systems. Only a SHA-256 of a token is kept. */

export interface ServiceTokenRow {
  id: string;
  name: string;
  scopes: string[];
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  /** Unix seconds; null never expires. */
  expiresAt: number | null;
}

interface Raw {
  id: string;
  name: string;
  scopes: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
  expires_at: number | null;
}

function toRow(r: Raw): ServiceTokenRow {
  return {
    id: r.id,
    name: r.name,
    scopes: r.scopes.split(' ').filter(Boolean),
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    expiresAt: r.expires_at,
  };
}

const COLUMNS = 'id, name, scopes, created_at, created_by, last_used_at, revoked_at, expires_at';

export function insertServiceTokenStatement(
  db: Db,
  t: {
    id: string;
    name: string;
    tokenHash: string;
    scopes: string[];
    createdBy: string;
    expiresAt: number | null;
  },
  at: number,
) {
  return db
    .prepare(
      `INSERT INTO service_tokens (id, name, token_hash, scopes, created_at, created_by, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(t.id, t.name, t.tokenHash, t.scopes.join(' '), at, t.createdBy, t.expiresAt);
}

/** A live token (neither revoked nor expired at `now`) by the hash of what was presented. */
export async function findLiveToken(db: Db, tokenHash: string, now: number) {
  const r = await db
    .prepare(
      `SELECT ${COLUMNS} FROM service_tokens
       WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    )
    .bind(tokenHash, now)
    .first<Raw>();
  return r ? toRow(r) : null;
}

/** At most one write a minute per token: "last used" is for people, not an access log. */
export async function touchToken(db: Db, id: string, at: number) {
  await db
    .prepare(
      `UPDATE service_tokens SET last_used_at = ?
       WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
    )
    .bind(at, id, at - 60)
    .run();
}

export async function listServiceTokens(db: Db) {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM service_tokens ORDER BY revoked_at IS NOT NULL, created_at DESC`,
    )
    .all<Raw>();
  return results.map(toRow);
}

export function revokeServiceTokenStatement(db: Db, id: string, at: number) {
  return db
    .prepare('UPDATE service_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
    .bind(at, id);
}

export async function findServiceToken(db: Db, id: string) {
  const r = await db
    .prepare(`SELECT ${COLUMNS} FROM service_tokens WHERE id = ?`)
    .bind(id)
    .first<Raw>();
  return r ? toRow(r) : null;
}
