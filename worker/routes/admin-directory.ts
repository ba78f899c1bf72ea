import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
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
  AccountList,
  AccountSearch,
  ConnectorRegister,
  DirectoryImport,
  MailboxLink,
} from './directory.schemas';

/**
 * The administrator's directory: connectors (register, revoke, see their state), looking up
 * domain accounts, linking a mailbox to one and importing an OU. Mounted inside `admin`, so
 * personSession and adminOnly have run; writes need a fresh sign-in. Account look-ups are
 * POSTs so a username never sits in an address or an access log.
 */
export const adminDirectory = new Hono<AppEnv>()
  .get('/directory', async (c) => c.json(await directoryView(depsOf(c))))
  .post('/directory/connectors', freshSignIn(), async (c) => {
    const input = await readBody(c, ConnectorRegister);
    return c.json(await registerConnector(depsOf(c), c.get('person'), input), 201);
  })
  .delete('/directory/connectors/:id', freshSignIn(), async (c) => {
    await removeConnector(depsOf(c), c.get('person'), c.req.param('id'));
    return c.body(null, 204);
  })
  // Look-ups reach into the domain: like every administrator POST, a fresh sign-in first.
  .post('/directory/accounts/search', freshSignIn(), async (c) => {
    const { username } = await readBody(c, AccountSearch);
    return c.json(await findAccount(depsOf(c), username));
  })
  .post('/directory/accounts/list', freshSignIn(), async (c) => {
    const { ou } = await readBody(c, AccountList);
    return c.json(await listAccounts(depsOf(c), ou));
  })
  .post('/directory/import', freshSignIn(), async (c) => {
    const input = await readBody(c, DirectoryImport);
    return c.json(await importAccounts(depsOf(c), c.get('person'), input));
  })
  .put('/mailboxes/:id/directory', freshSignIn(), async (c) => {
    const input = await readBody(c, MailboxLink);
    return c.json(await linkMailbox(depsOf(c), c.get('person'), c.req.param('id'), input));
  });
