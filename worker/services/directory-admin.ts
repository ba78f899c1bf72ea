import type * as v from 'valibot';
import type { PersonPrincipal } from '../app-env';
import { findAnyMailbox } from '../db/admin';
import { audit, auditStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import {
  connectorExists,
  insertConnector,
  insertDirectoryMailboxStatement,
  linkStatements,
  listConnectors,
  mailboxByGuid,
  recentErrors,
  revokeConnector,
  takenByMailboxes,
} from '../db/connectors';
import { findMailboxForReset, findUnit } from '../db/manager';
import { fromBase64Url } from '../domain/bytes';
import { type ConnectorKeys, connectorIdOf } from '../domain/directory-protocol';
import { usableEd25519Key } from '../domain/ed25519-key';
import { checkHistory, newHistorySalt } from '../domain/password-hash';
import { checkPassword } from '../domain/policy';
import { newId } from '../domain/tokens';
import { canonicalUsername } from '../domain/username';
import { checkPublicJwk } from '../domain/webhook';
import { ApiError, isUniqueViolation } from '../http/errors';
import type { DirectoryView } from '../routes/directory.schemas';
import { actorOf } from './admin';
import type { Deps } from './deps';
import { directoryState, hubOf, refusalError, resetInDirectory, runJob } from './directory';
import { directoryMarker } from './passwords';

/** At most this many accounts become mailboxes in one import request (D1's query budget). */
export const IMPORT_LIMIT = 200;

/** GET /api/admin/directory: each connector, whether it is connected now, and recent errors. */
export async function directoryView(deps: Deps): Promise<v.InferOutput<typeof DirectoryView>> {
  const hub = hubOf(deps.env);
  const [state, connectors, errors, connected, policy] = await Promise.all([
    directoryState(deps.env),
    listConnectors(deps.db),
    recentErrors(deps.db),
    hub.connected().catch(() => []),
    hub.policy().catch(() => null),
  ]);
  return {
    state,
    policy,
    connectors: connectors.map((c) => {
      const live = connected.find((x) => x.connectorId === c.id);
      return {
        id: c.id,
        name: c.name,
        createdAt: isoFromSeconds(c.createdAt),
        revokedAt: c.revokedAt === null ? null : isoFromSeconds(c.revokedAt),
        connected: live !== undefined,
        connectedSince: live ? new Date(live.since).toISOString() : null,
        version: live?.version ?? c.version,
        domainController: live?.domainController ?? c.domainController,
        lastJob:
          c.lastJobAt !== null && c.lastJobOp !== null
            ? {
                at: isoFromSeconds(c.lastJobAt),
                op: c.lastJobOp,
                outcome: c.lastJobOutcome ?? '',
              }
            : null,
      };
    }),
    recentErrors: errors.map((e) => ({ ...e, at: isoFromSeconds(e.at) })),
  };
}

function invalid(path: string, message: string): ApiError {
  return new ApiError('invalid_request', { issues: [{ path, message }] });
}

/** POST /api/admin/directory/connectors: the public keys a connector printed. */
export async function registerConnector(
  deps: Deps,
  p: PersonPrincipal,
  input: { name: string; keys: ConnectorKeys },
) {
  const x = fromBase64Url(input.keys.signingKey.x);
  // A key of small order would let anyone sign the nonce: refused with any non-point.
  if (x?.length !== 32 || !usableEd25519Key(x)) {
    throw invalid('keys.signingKey', 'Not an Ed25519 public key');
  }
  try {
    await crypto.subtle.importKey('raw', x, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    throw invalid('keys.signingKey', 'Not an Ed25519 public key');
  }
  const rsa = await checkPublicJwk(input.keys.encryptionKey);
  if (rsa.kind !== 'ok') throw invalid('keys.encryptionKey', rsa.reason);
  const id = await connectorIdOf(input.keys.signingKey);
  const now = nowSeconds();
  const created = await insertConnector(deps.db, {
    id,
    name: input.name,
    signingKey: input.keys.signingKey.x,
    encryptionKey: rsa.jwk,
    by: actorOf(p),
    at: now,
  });
  if (!created) throw new ApiError('conflict');
  await audit(
    deps.db,
    {
      actor: actorOf(p),
      action: 'directory.connector.register',
      target: `connector:${id}`,
      ip: deps.ip,
      outcome: 'success',
      detail: { name: input.name },
    },
    now,
  );
  return { id, name: input.name };
}

/** DELETE /api/admin/directory/connectors/{id}: it can no longer connect; its sockets close. */
export async function removeConnector(deps: Deps, p: PersonPrincipal, id: string) {
  const now = nowSeconds();
  const revoked = await revokeConnector(deps.db, id, now);
  // Revoked before: the sockets are closed again (a disconnect that failed is retried this
  // way), and nothing more is recorded.
  if (!revoked && !(await connectorExists(deps.db, id))) throw new ApiError('not_found');
  await hubOf(deps.env).disconnect(id);
  if (!revoked) return;
  await audit(
    deps.db,
    {
      actor: actorOf(p),
      action: 'directory.connector.revoke',
      target: `connector:${id}`,
      ip: deps.ip,
      outcome: 'success',
    },
    now,
  );
}

/** Finds a domain account through the connector, inside its OUs only. */
export async function findAccount(deps: Deps, username: string) {
  const outcome = await runJob(deps, 'find', { username });
  if (outcome.kind === 'refused') throw refusalError(outcome.refusal);
  return outcome.value;
}

export async function listAccounts(deps: Deps, ou: string | undefined) {
  const outcome = await runJob(deps, 'list', ou === undefined ? {} : { ou });
  if (outcome.kind === 'refused') throw refusalError(outcome.refusal);
  return outcome.value;
}

/**
 * PUT /api/admin/mailboxes/{id}/directory: anchors a mailbox to the domain account found by
 * its username. With a password, that password is set in the domain first (judged by
 * Nyckel's policy, then the domain's); without, the domain's current password stays.
 */
export async function linkMailbox(
  deps: Deps,
  p: PersonPrincipal,
  mailboxId: string,
  input: { username: string; password?: string },
) {
  const mailbox = await findAnyMailbox(deps.db, mailboxId);
  if (!mailbox) throw new ApiError('not_found');
  const { account } = await findAccount(deps, input.username);
  if (!account) throw invalid('username', 'No such account in the directory’s OUs');
  const holder = await mailboxByGuid(deps.db, account.guid);
  if (holder && holder.id !== mailbox.id) throw new ApiError('conflict');
  const now = nowSeconds();
  let newPassword: { historyDigest: string } | null = null;
  if (input.password !== undefined) {
    const salt = (await findMailboxForReset(deps.db, mailbox.id))?.mailbox.historySalt;
    const { policy, organisationName, peppers } = deps.cfg;
    const violations = checkPassword(input.password, policy, {
      username: mailbox.username,
      words: [organisationName, mailbox.displayName, mailbox.username],
    });
    if (violations.length > 0) throw new ApiError('policy', { violations });
    const history = await checkHistory(input.password, salt ?? '', [], peppers);
    await resetInDirectory(deps, { objectGuid: account.guid }, input.password);
    newPassword = { historyDigest: history.digest };
  }
  try {
    await deps.db.batch([
      ...linkStatements(deps.db, {
        mailboxId: mailbox.id,
        username: mailbox.username,
        guid: account.guid,
        marker: directoryMarker(),
        at: now,
        newPassword,
      }),
      auditStatement(
        deps.db,
        {
          actor: actorOf(p),
          action: 'mailbox.link',
          target: `mailbox:${mailbox.id}`,
          ip: deps.ip,
          outcome: 'success',
          detail: { account: account.username, passwordSet: newPassword !== null },
        },
        now,
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict');
    throw err;
  }
  return { id: mailbox.id, mode: 'ad' as const, account };
}

/**
 * POST /api/admin/directory/import: the accounts of an OU become mailboxes of a unit, in
 * `ad` mode. Accounts already linked, disabled, with a name Nyckel cannot use, or whose name
 * a mailbox already has are skipped and listed; running it again picks up only new ones.
 */
export async function importAccounts(
  deps: Deps,
  p: PersonPrincipal,
  input: { unitId: string; ou?: string },
) {
  const unit = await findUnit(deps.db, input.unitId);
  if (!unit) throw invalid('unitId', 'No such unit');
  const { accounts } = await listAccounts(deps, input.ou);
  const created: { id: string; username: string }[] = [];
  const skipped: { username: string; reason: string }[] = [];
  const statements: D1PreparedStatement[] = [];
  const now = nowSeconds();
  const names = accounts.map((a) => canonicalUsername(a.username));
  const taken = await takenByMailboxes(
    deps.db,
    accounts.map((a) => a.guid),
    names.flatMap((n) => (n.kind === 'ok' ? [n.username] : [])),
  );
  for (const [i, account] of accounts.entries()) {
    const name = names[i] ?? { kind: 'invalid' as const };
    if (name.kind !== 'ok') {
      skipped.push({ username: account.username, reason: 'invalid_username' });
    } else if (account.disabled) {
      skipped.push({ username: name.username, reason: 'disabled' });
    } else if (taken.guids.has(account.guid)) {
      skipped.push({ username: name.username, reason: 'linked' });
    } else if (taken.usernames.has(name.username)) {
      skipped.push({ username: name.username, reason: 'username_taken' });
    } else if (created.length >= IMPORT_LIMIT) {
      skipped.push({ username: name.username, reason: 'limit' });
    } else {
      const id = newId();
      // Two accounts that fold to one name: the first one wins.
      taken.usernames.add(name.username);
      created.push({ id, username: name.username });
      statements.push(
        insertDirectoryMailboxStatement(deps.db, {
          id,
          username: name.username,
          displayName: (account.displayName || name.username).slice(0, 100),
          unitId: unit.id,
          guid: account.guid,
          marker: directoryMarker(),
          historySalt: newHistorySalt(),
          at: now,
        }),
      );
    }
  }
  statements.push(
    auditStatement(
      deps.db,
      {
        actor: actorOf(p),
        action: 'directory.import',
        target: `unit:${unit.id}`,
        ip: deps.ip,
        outcome: 'success',
        detail: { created: created.length, skipped: skipped.length },
      },
      now,
    ),
  );
  try {
    await deps.db.batch(statements);
  } catch (err) {
    // One transaction: a race with another import or a new mailbox wrote nothing.
    if (isUniqueViolation(err)) throw new ApiError('conflict');
    throw err;
  }
  return { created, skipped };
}
