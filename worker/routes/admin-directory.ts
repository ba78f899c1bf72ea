import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { ADMIN_READ, ADMIN_WRITE, DIRECTORY, DIRECTORY_PASSWORD, op } from '../http/openapi';
import { freshSignIn } from '../http/people-session';
import { readBody } from '../http/validate';
import {
  directoryView,
  findAccount,
  importAccounts,
  linkMailbox,
  listAccounts,
  registerConnector,
  removeConnector,
} from '../services/directory-admin';
import {
  AccountFound,
  AccountList,
  AccountSearch,
  AccountsListed,
  ConnectorRegister,
  DirectoryImport,
  DirectoryView,
  ImportResult,
  MailboxLink,
} from './directory.schemas';

/**
 * The administrator's directory: connectors (register, revoke, see their state), looking up
 * domain accounts, linking a mailbox to one and importing an OU. Mounted inside `admin`, so
 * personSession and adminOnly have run; writes need a fresh sign-in. Account look-ups are
 * POSTs so a username never sits in an address or an access log.
 */
export const adminDirectory = new Hono<AppEnv>()
  .get(
    '/directory',
    describeRoute(
      op({
        operationId: 'adminGetDirectory',
        summary:
          "The directory: local, connected or offline; each connector (connected since, version, domain controller, last job); the domain's policy from the last health job; the 20 newest errors",
        auth: 'person',
        success: [
          { status: 200, schema: DirectoryView, description: 'Connectors and their state' },
        ],
        errors: [...ADMIN_READ],
      }),
    ),
    async (c) => c.json(await directoryView(depsOf(c))),
  )
  .post(
    '/directory/connectors',
    describeRoute(
      op({
        operationId: 'adminRegisterConnector',
        summary:
          'Register a connector by the public keys `npm run connector:keys` printed (Ed25519 to sign its nonce, RSA ≥ 2048 bits for the passwords in its jobs); its id is the thumbprint of the signing key',
        auth: 'person',
        body: ConnectorRegister,
        success: [{ status: 201, description: '{ id, name }' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'conflict'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const input = await readBody(c, ConnectorRegister);
      return c.json(await registerConnector(depsOf(c), c.get('person'), input), 201);
    },
  )
  .delete(
    '/directory/connectors/:id',
    describeRoute(
      op({
        operationId: 'adminRevokeConnector',
        summary: 'Revoke a connector: it can no longer connect, and its open connection is closed',
        auth: 'person',
        success: [{ status: 204, description: 'Revoked' }],
        errors: [...ADMIN_WRITE, 'not_found'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      await removeConnector(depsOf(c), c.get('person'), c.req.param('id'));
      return c.body(null, 204);
    },
  )
  // Look-ups reach into the domain: like every administrator POST, a fresh sign-in first.
  .post(
    '/directory/accounts/search',
    describeRoute(
      op({
        operationId: 'adminFindAccount',
        summary: "Find a domain account by username, inside the connector's OUs only",
        auth: 'person',
        body: AccountSearch,
        success: [{ status: 200, schema: AccountFound, description: 'The account, or null' }],
        errors: [...ADMIN_WRITE, 'invalid_request', ...DIRECTORY],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { username } = await readBody(c, AccountSearch);
      return c.json(await findAccount(depsOf(c), username));
    },
  )
  .post(
    '/directory/accounts/list',
    describeRoute(
      op({
        operationId: 'adminListAccounts',
        summary: "The accounts of one of the connector's OUs (or all of them)",
        auth: 'person',
        body: AccountList,
        success: [{ status: 200, schema: AccountsListed, description: 'The accounts' }],
        errors: [...ADMIN_WRITE, 'invalid_request', ...DIRECTORY],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { ou } = await readBody(c, AccountList);
      return c.json(await listAccounts(depsOf(c), ou));
    },
  )
  .post(
    '/directory/import',
    describeRoute(
      op({
        operationId: 'adminImportAccounts',
        summary:
          "Create a unit's mailboxes from the accounts of an OU, in `ad` mode (at most 200 a request; linked, disabled and taken names are skipped and listed; run again for the rest)",
        auth: 'person',
        body: DirectoryImport,
        success: [{ status: 200, schema: ImportResult, description: 'Created and skipped' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'conflict', ...DIRECTORY],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const input = await readBody(c, DirectoryImport);
      return c.json(await importAccounts(depsOf(c), c.get('person'), input));
    },
  )
  .put(
    '/mailboxes/:id/directory',
    describeRoute(
      op({
        operationId: 'adminLinkMailbox',
        summary:
          'Link a mailbox to a domain account (objectGUID becomes its anchor; the domain holds its password from now on, and its sessions end). With a password, it is set in the domain first',
        auth: 'person',
        body: MailboxLink,
        success: [{ status: 200, description: '{ id, mode: "ad", account }' }],
        errors: [
          ...ADMIN_WRITE,
          'invalid_request',
          'not_found',
          'conflict',
          'policy',
          ...DIRECTORY_PASSWORD,
        ],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const input = await readBody(c, MailboxLink);
      return c.json(await linkMailbox(depsOf(c), c.get('person'), c.req.param('id'), input));
    },
  );
