/** Directory connectors and their recent errors. Times are unix seconds. */

import { revokeMailboxSessionsStatement } from './admin';
import type { Db } from './database';
import { unlockStatement } from './manager';

export interface Connector {
  id: string;
  name: string;
  signingKey: string;
  encryptionKey: { kty: 'RSA'; n: string; e: string };
  createdAt: number;
  revokedAt: number | null;
  connectedAt: number | null;
  version: string | null;
  domainController: string | null;
  lastJobAt: number | null;
  lastJobOp: string | null;
  lastJobOutcome: string | null;
}

interface ConnectorRow {
  id: string;
  name: string;
  signing_key: string;
  encryption_key: string;
  created_at: number;
  revoked_at: number | null;
  connected_at: number | null;
  version: string | null;
  domain_controller: string | null;
  last_job_at: number | null;
  last_job_op: string | null;
  last_job_outcome: string | null;
}

function toConnector(row: ConnectorRow): Connector {
  return {
    id: row.id,
    name: row.name,
    signingKey: row.signing_key,
    encryptionKey: JSON.parse(row.encryption_key) as Connector['encryptionKey'],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    connectedAt: row.connected_at,
    version: row.version,
    domainController: row.domain_controller,
    lastJobAt: row.last_job_at,
    lastJobOp: row.last_job_op,
    lastJobOutcome: row.last_job_outcome,
  };
}

const COLUMNS = `id, name, signing_key, encryption_key, created_at, revoked_at, connected_at,
  version, domain_controller, last_job_at, last_job_op, last_job_outcome`;

/** A connector that may connect: registered and not revoked. */
export async function findActiveConnector(db: Db, id: string) {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM connectors WHERE id = ? AND revoked_at IS NULL`)
    .bind(id)
    .first<ConnectorRow>();
  return row ? toConnector(row) : null;
}

export async function connectorExists(db: Db, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM connectors WHERE id = ?').bind(id).first()) !== null;
}

export async function listConnectors(db: Db) {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM connectors ORDER BY revoked_at IS NOT NULL, created_at`)
    .all<ConnectorRow>();
  return results.map(toConnector);
}

export async function insertConnector(
  db: Db,
  c: {
    id: string;
    name: string;
    signingKey: string;
    encryptionKey: Connector['encryptionKey'];
    by: string;
    at: number;
  },
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO connectors (id, name, signing_key, encryption_key, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(c.id, c.name, c.signingKey, JSON.stringify(c.encryptionKey), c.at, c.by)
    .run();
  return result.meta.changes === 1;
}

export async function revokeConnector(db: Db, id: string, at: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE connectors SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
    .bind(at, id)
    .run();
  return result.meta.changes === 1;
}

export async function recordConnected(
  db: Db,
  id: string,
  c: { at: number; version: string; domainController: string },
): Promise<void> {
  await db
    .prepare(
      'UPDATE connectors SET connected_at = ?, version = ?, domain_controller = ? WHERE id = ?',
    )
    .bind(c.at, c.version, c.domainController, id)
    .run();
}

/** The last job of a connector, and an error row when it failed (the newest 20 are kept). */
export async function recordJob(
  db: Db,
  id: string | null,
  job: { at: number; op: string; outcome: string; error?: string; detail?: string },
): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  if (id !== null) {
    statements.push(
      db
        .prepare(
          'UPDATE connectors SET last_job_at = ?, last_job_op = ?, last_job_outcome = ? WHERE id = ?',
        )
        .bind(job.at, job.op, job.outcome, id),
    );
  }
  if (job.error !== undefined) {
    statements.push(
      db
        .prepare(
          'INSERT INTO connector_errors (connector_id, at, op, error, detail) VALUES (?, ?, ?, ?, ?)',
        )
        .bind(id, job.at, job.op, job.error, job.detail ?? null),
      db
        .prepare(
          `DELETE FROM connector_errors WHERE connector_id IS ? AND id NOT IN (
             SELECT id FROM connector_errors WHERE connector_id IS ? ORDER BY id DESC LIMIT 20)`,
        )
        .bind(id, id),
    );
  }
  if (statements.length > 0) await db.batch(statements);
}

export async function recentErrors(db: Db, limit = 20) {
  const { results } = await db
    .prepare(
      `SELECT connector_id AS connectorId, at, op, error, detail FROM connector_errors
       ORDER BY id DESC LIMIT ?`,
    )
    .bind(limit)
    .all<{
      connectorId: string | null;
      at: number;
      op: string | null;
      error: string;
      detail: string | null;
    }>();
  return results;
}

/** Whether anything uses the directory: a mailbox in `ad` mode or a registered connector. */
export async function directoryInUse(db: Db): Promise<boolean> {
  const row = await db.prepare(`SELECT ${DIRECTORY_IN_USE_SQL} AS used`).first<{ used: number }>();
  return row?.used === 1;
}

/** directoryInUse as an SQL condition, for a statement that depends on it. */
export const DIRECTORY_IN_USE_SQL = `(EXISTS (SELECT 1 FROM mailboxes WHERE mode = 'ad')
  OR EXISTS (SELECT 1 FROM connectors WHERE revoked_at IS NULL))`;

/** The mailbox already anchored to a domain account, if any. */
export async function mailboxByGuid(db: Db, guid: string) {
  return db
    .prepare('SELECT id, username FROM mailboxes WHERE object_guid = ?')
    .bind(guid)
    .first<{ id: string; username: string }>();
}

/**
 * Anchors a mailbox to a domain account: from now on the domain holds its password. Every
 * session ends and Nyckel's own lockout is cleared, since both were about the old password.
 * With `changedAt` (a password was set in the domain just now) the history gets its digest.
 */
export function linkStatements(
  db: Db,
  l: {
    mailboxId: string;
    username: string;
    guid: string;
    marker: string;
    at: number;
    newPassword: { historyDigest: string } | null;
  },
): D1PreparedStatement[] {
  const statements = [
    db
      .prepare(
        `UPDATE mailboxes SET mode = 'ad', object_guid = ?, password_hash = ?,
           password_changed_at = CASE WHEN ? THEN ? ELSE password_changed_at END
         WHERE id = ?`,
      )
      .bind(l.guid, l.marker, l.newPassword ? 1 : 0, l.at, l.mailboxId),
    revokeMailboxSessionsStatement(db, l.mailboxId, l.at),
    unlockStatement(db, l.username),
  ];
  if (l.newPassword) {
    statements.push(
      db
        .prepare('INSERT INTO password_history (mailbox_id, digest, created_at) VALUES (?, ?, ?)')
        .bind(l.mailboxId, l.newPassword.historyDigest, l.at),
    );
  }
  return statements;
}

/**
 * A mailbox created from a domain account: `ad` from the start, no phone, no history (Nyckel
 * has never seen its password). `passwordChangedAt` is when the import ran: the domain's own
 * pwdLastSet is not read, so the first rotation reminder comes a full period later.
 */
export function insertDirectoryMailboxStatement(
  db: Db,
  m: {
    id: string;
    username: string;
    displayName: string;
    unitId: string;
    guid: string;
    marker: string;
    historySalt: string;
    at: number;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
         history_salt, password_changed_at, created_at, mode, object_guid)
       VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 'ad', ?)`,
    )
    .bind(m.id, m.username, m.displayName, m.unitId, m.marker, m.historySalt, m.at, m.at, m.guid);
}

/** Of the given accounts and names, which are anchored already and which names are taken. */
export async function takenByMailboxes(db: Db, guids: string[], usernames: string[]) {
  const [linked, named] = await db.batch<{ value: string }>([
    db
      .prepare(
        'SELECT object_guid AS value FROM mailboxes WHERE object_guid IN (SELECT value FROM json_each(?))',
      )
      .bind(JSON.stringify(guids)),
    db
      .prepare(
        'SELECT username AS value FROM mailboxes WHERE username IN (SELECT value FROM json_each(?))',
      )
      .bind(JSON.stringify(usernames)),
  ]);
  return {
    guids: new Set((linked?.results ?? []).map((r) => r.value)),
    usernames: new Set((named?.results ?? []).map((r) => r.value)),
  };
}
