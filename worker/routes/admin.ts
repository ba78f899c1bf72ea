import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { sameOrigin } from '../http/middleware';
import { adminOnly, freshSignIn, personSession } from '../http/people-session';
import { readBody, readQuery } from '../http/validate';
import {
  actorOf,
  adminMailboxes,
  adminUnits,
  createMailbox,
  createUnit,
  renameUnit,
  updateMailbox,
} from '../services/admin';
import { adminAudit, adminAuditCsv } from '../services/admin-audit';
import { adminOverview } from '../services/admin-overview';
import {
  adminPeople,
  adminPerson,
  createPerson,
  invitePerson,
  removeRole,
  setRole,
  unlockPerson,
  updatePerson,
} from '../services/admin-people';
import { networkSettings, replaceNetworks, resetNetworks } from '../services/networks';
import {
  AuditFilter,
  InviteRequest,
  MailboxCreate,
  MailboxFilter,
  MailboxUpdate,
  NetworksWrite,
  PersonCreate,
  PersonUpdate,
  RoleWrite,
  UnitWrite,
} from './admin.schemas';
import { adminDirectory } from './admin-directory';
import { adminIdentities } from './admin-identities';
import { adminWebhook } from './admin-webhook';
import { EmptyBody } from './fields';

/**
 * Administrators: units, mailboxes, people and roles, networks, the whole audit log. Every
 * write needs a fresh sign-in (freshSignIn, 403 `step_up_required`), checked before the body
 * is read.
 */
export const admin = new Hono<AppEnv>()
  .use(sameOrigin(), personSession(), adminOnly())
  .get('/overview', async (c) => c.json(await adminOverview(depsOf(c))))
  .get('/units', async (c) => c.json(await adminUnits(depsOf(c))))
  .post('/units', freshSignIn(), async (c) => {
    const { name } = await readBody(c, UnitWrite);
    return c.json(await createUnit(depsOf(c), c.get('person'), name), 201);
  })
  .patch('/units/:id', freshSignIn(), async (c) => {
    const { name } = await readBody(c, UnitWrite);
    return c.json(await renameUnit(depsOf(c), c.get('person'), c.req.param('id'), name));
  })
  .get('/mailboxes', async (c) => {
    const { unitId } = readQuery(c, MailboxFilter);
    return c.json(await adminMailboxes(depsOf(c), unitId));
  })
  .post('/mailboxes', freshSignIn(), async (c) => {
    const input = await readBody(c, MailboxCreate);
    return c.json(await createMailbox(depsOf(c), c.get('person'), input), 201);
  })
  .patch('/mailboxes/:id', freshSignIn(), async (c) => {
    const change = await readBody(c, MailboxUpdate);
    return c.json(await updateMailbox(depsOf(c), c.get('person'), c.req.param('id'), change));
  })
  .get('/people', async (c) => c.json(await adminPeople(depsOf(c))))
  .post('/people', freshSignIn(), async (c) => {
    const input = await readBody(c, PersonCreate);
    return c.json(await createPerson(depsOf(c), c.get('person'), input), 201);
  })
  .get('/people/:id', async (c) => c.json(await adminPerson(depsOf(c), c.req.param('id'))))
  .patch('/people/:id', freshSignIn(), async (c) => {
    const change = await readBody(c, PersonUpdate);
    return c.json(await updatePerson(depsOf(c), c.get('person'), c.req.param('id'), change));
  })
  .put('/people/:id/roles/:unitId', freshSignIn(), async (c) => {
    const { role } = await readBody(c, RoleWrite);
    const { id, unitId } = c.req.param();
    await setRole(depsOf(c), c.get('person'), id, unitId, role);
    return c.body(null, 204);
  })
  .delete('/people/:id/roles/:unitId', freshSignIn(), async (c) => {
    const { id, unitId } = c.req.param();
    await removeRole(depsOf(c), c.get('person'), id, unitId);
    return c.body(null, 204);
  })
  .post('/people/:id/invite', freshSignIn(), async (c) => {
    await readBody(c, InviteRequest);
    return c.json(await invitePerson(depsOf(c), c.get('person'), c.req.param('id')), 202);
  })
  .post('/people/:id/unlock', freshSignIn(), async (c) => {
    await readBody(c, EmptyBody);
    await unlockPerson(depsOf(c), c.get('person'), c.req.param('id'));
    return c.body(null, 204);
  })
  .get('/networks', async (c) => c.json(await networkSettings(depsOf(c))))
  .put('/networks', freshSignIn(), async (c) => {
    const { cidrs } = await readBody(c, NetworksWrite);
    return c.json(await replaceNetworks(depsOf(c), actorOf(c.get('person')), cidrs));
  })
  .delete('/networks', freshSignIn(), async (c) =>
    c.json(await resetNetworks(depsOf(c), actorOf(c.get('person')))),
  )
  .get('/audit', async (c) => c.json(await adminAudit(depsOf(c), readQuery(c, AuditFilter))))
  .get('/audit.csv', async (c) => {
    const query = readQuery(c, AuditFilter);
    const { text, filename, truncated } = await adminAuditCsv(depsOf(c), c.get('person'), query);
    return c.body(text, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      ...(truncated ? { 'Nyckel-Export-Truncated': 'true' } : {}),
    });
  })
  .route('/', adminIdentities)
  .route('/', adminWebhook)
  .route('/', adminDirectory);
