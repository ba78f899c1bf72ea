import * as v from 'valibot';
import { Account, ConnectorKeys, DomainPolicy } from '../domain/directory-protocol';
import { DirectoryState, Id, Name, Password, Timestamp, Username } from './fields';

/*
 * Bodies of the administrator's directory routes (/api/admin/directory and the linking of a
 * mailbox, routes/admin-directory.ts), as valibot schemas: the routes validate with them and
 * /api/openapi.json is generated from them.
 */

const NO_CONTROL = /^[^\p{Cc}\p{Cf}]*$/u;

/** A distinguished name as an administrator writes it, e.g. OU=Brevlador,DC=nyckel,DC=test. */
const Dn = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(3),
  v.maxLength(1024),
  v.regex(NO_CONTROL, 'A DN cannot hold control characters'),
);

export const ConnectorRegister = v.strictObject({
  /** What the administrator calls it, e.g. "Kopplingen i serverhallen". */
  name: Name,
  /** What `npm run connector:keys` printed: the public halves only. */
  keys: ConnectorKeys,
});

export const AccountSearch = v.strictObject({ username: Username });
export const AccountList = v.strictObject({ ou: v.optional(Dn) });

export const MailboxLink = v.strictObject({
  /** The domain account's sAMAccountName (or the configured attribute), found by the connector. */
  username: Username,
  /** Set this as the account's password in the domain too (a reset there); left out, it stays. */
  password: v.optional(Password),
});

export const DirectoryImport = v.strictObject({
  unitId: Id,
  /** One of the connector's OUs; left out, all of them. */
  ou: v.optional(Dn),
});

export const ConnectorView = v.object({
  id: v.string(),
  name: v.string(),
  createdAt: Timestamp,
  revokedAt: v.nullable(Timestamp),
  connected: v.boolean(),
  connectedSince: v.nullable(Timestamp),
  version: v.nullable(v.string()),
  domainController: v.nullable(v.string()),
  lastJob: v.nullable(v.object({ at: Timestamp, op: v.string(), outcome: v.string() })),
});

/** POST /connectors: the connector as registered (its keys stay on the server). */
export const ConnectorRegistered = v.object({ id: v.string(), name: v.string() });

/** PUT /mailboxes/{id}/directory: the mailbox now anchored to the account the connector found. */
export const MailboxLinked = v.object({ id: v.string(), mode: v.literal('ad'), account: Account });

export const DirectoryView = v.object({
  state: DirectoryState,
  policy: v.nullable(DomainPolicy),
  connectors: v.array(ConnectorView),
  recentErrors: v.array(
    v.object({
      connectorId: v.nullable(v.string()),
      at: Timestamp,
      op: v.nullable(v.string()),
      error: v.string(),
      detail: v.nullable(v.string()),
    }),
  ),
});

export const AccountFound = v.object({ account: v.nullable(Account) });
export const AccountsListed = v.object({ accounts: v.array(Account) });
export const ImportResult = v.object({
  created: v.array(v.object({ id: v.string(), username: v.string() })),
  skipped: v.array(v.object({ username: v.string(), reason: v.string() })),
});
