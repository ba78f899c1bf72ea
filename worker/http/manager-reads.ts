import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { listAuditLabelledRead } from '../db/audit-query';
import { findIdentityByIdRead } from '../db/identities';
import { historyDigestsRead } from '../db/mailboxes';
import {
  findMailboxForResetRead,
  findManagedMailboxRead,
  findUnitRead,
  MAILBOX_AUDIT_LIMIT,
} from '../db/manager';
import { together } from '../db/reads';
import type { ReadAlong } from './people-session';

/*
 * The reads the manager's routes make first, sent with the person's session check in one D1
 * call (personSession(along) in routes/manager.ts). Each reads what the path names; the
 * service still decides whether the person may see it, exactly as when it reads it itself.
 */

function pathId(c: Context<AppEnv>): string {
  return c.req.param('id') ?? '';
}

/** GET /mailboxes/{id}: the mailbox and its newest entries, with names. */
export const mailboxPageAlong = ((c, db, now) =>
  together([
    findManagedMailboxRead(db, pathId(c), now),
    listAuditLabelledRead(db, { mailboxId: pathId(c), limit: MAILBOX_AUDIT_LIMIT }),
  ])) satisfies ReadAlong<unknown>;

/** POST /mailboxes/{id}/password: the mailbox with its password history. */
export const mailboxForResetAlong = ((c, db) =>
  together([
    findMailboxForResetRead(db, pathId(c)),
    historyDigestsRead(db, pathId(c), c.get('config').policy.historyDepth + 1),
  ])) satisfies ReadAlong<unknown>;

/** The other /mailboxes/{id}/… routes: the mailbox as a manager sees it. */
export const mailboxAlong = ((c, db, now) =>
  together([findManagedMailboxRead(db, pathId(c), now)])) satisfies ReadAlong<unknown>;

/** /units/{id}/…: the unit. */
export const unitAlong = ((c, db) =>
  together([findUnitRead(db, pathId(c))])) satisfies ReadAlong<unknown>;

/** /identities/{id}/…: the identity. */
export const identityAlong = ((c, db) =>
  together([findIdentityByIdRead(db, pathId(c))])) satisfies ReadAlong<unknown>;
