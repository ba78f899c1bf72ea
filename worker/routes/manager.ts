import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { sameOrigin } from '../http/middleware';
import { freshSignIn, personSession } from '../http/people-session';
import { readBody, readQuery } from '../http/validate';
import { handoverList, resendLink, shareHandover } from '../services/handovers';
import {
  dueForPerson,
  fetchInitialPassword,
  identityDetail,
  identityInScope,
  searchForPerson,
} from '../services/identities';
import {
  addDelegate,
  delegatesUnit,
  mailboxDetail,
  mailboxForReset,
  mailboxInScope,
  overview,
  resetOnBehalf,
  revokeDelegate,
  unitAudit,
  unitDetail,
  unitInScope,
  unlockMailbox,
} from '../services/manager';
import { addStaff, removeStaff, staffList, updateStaff } from '../services/staff';
import { EmptyBody } from './fields';
import { HandoverShare, StaffAdd, StaffUpdate } from './handovers.schemas';
import { IdentityDueQuery, IdentitySearch } from './identities.schemas';
import { AuditQuery, DelegateAdd, ResetOnBehalf } from './manager.schemas';
import { routine } from './routine';

/**
 * Managers and delegates: their units' mailboxes, delegates and audit trail. Reset on behalf
 * and delegate changes need a strong sign-in within the last 10 minutes. Writes decide who
 * may act (404 outside the person's units, 403) before reading the body, so the answer to a
 * stranger never depends on what they sent. Staff lists and handovers are for every
 * member of the unit; adding or renumbering staff, sharing and resending need a fresh sign-in
 * too, since each decides who receives a password.
 */
export const manager = new Hono<AppEnv>()
  .use(sameOrigin(), personSession())
  .get('/overview', async (c) => c.json(await overview(depsOf(c), c.get('person'))))
  .get('/mailboxes/:id', async (c) =>
    c.json(await mailboxDetail(depsOf(c), c.get('person'), c.req.param('id'))),
  )
  .post('/mailboxes/:id/unlock', async (c) => {
    const deps = depsOf(c);
    const mailbox = await mailboxInScope(deps, c.get('person'), c.req.param('id'));
    await readBody(c, EmptyBody);
    await unlockMailbox(deps, c.get('person'), mailbox);
    return c.body(null, 204);
  })
  .post('/mailboxes/:id/password', freshSignIn(), async (c) => {
    const deps = depsOf(c);
    const mailbox = await mailboxForReset(deps, c.get('person'), c.req.param('id'));
    const { password } = await readBody(c, ResetOnBehalf);
    return c.json(await resetOnBehalf(deps, c.get('person'), mailbox, password));
  })
  .get('/units/:id', async (c) =>
    c.json(await unitDetail(depsOf(c), c.get('person'), c.req.param('id'))),
  )
  .post('/units/:id/delegates', freshSignIn(), async (c) => {
    const deps = depsOf(c);
    const unit = await delegatesUnit(deps, c.get('person'), c.req.param('id'));
    const input = await readBody(c, DelegateAdd);
    return c.json(await addDelegate(deps, c.get('person'), unit, input), 201);
  })
  .delete('/units/:id/delegates/:personId', freshSignIn(), async (c) => {
    await revokeDelegate(depsOf(c), c.get('person'), c.req.param('id'), c.req.param('personId'));
    return c.body(null, 204);
  })
  .get('/identities', async (c) => {
    readQuery(c, IdentityDueQuery);
    return c.json(await dueForPerson(depsOf(c), c.get('person')));
  })
  .post('/identities/search', async (c) => {
    const { q } = await readBody(c, IdentitySearch);
    return c.json(await searchForPerson(depsOf(c), c.get('person'), q));
  })
  .get('/identities/:id', async (c) =>
    c.json(await identityDetail(depsOf(c), c.get('person'), c.req.param('id'))),
  )
  .post('/identities/:id/initial-password', freshSignIn(), async (c) => {
    const deps = depsOf(c);
    await identityInScope(deps, c.get('person'), c.req.param('id'));
    await readBody(c, EmptyBody);
    return c.json(await fetchInitialPassword(deps, c.get('person'), c.req.param('id')));
  })
  .get('/units/:id/staff', async (c) => {
    const deps = depsOf(c);
    const unit = await unitInScope(deps, c.get('person'), c.req.param('id'));
    return c.json(await staffList(deps, unit));
  })
  .post('/units/:id/staff', freshSignIn(), async (c) => {
    const deps = depsOf(c);
    const unit = await unitInScope(deps, c.get('person'), c.req.param('id'));
    const input = await readBody(c, StaffAdd);
    return c.json(await addStaff(deps, c.get('person'), unit, input), 201);
  })
  .patch('/units/:id/staff/:staffId', freshSignIn(), async (c) => {
    const deps = depsOf(c);
    const unit = await unitInScope(deps, c.get('person'), c.req.param('id'));
    const input = await readBody(c, StaffUpdate);
    return c.json(await updateStaff(deps, c.get('person'), unit, c.req.param('staffId'), input));
  })
  .delete('/units/:id/staff/:staffId', async (c) => {
    const deps = depsOf(c);
    const unit = await unitInScope(deps, c.get('person'), c.req.param('id'));
    await removeStaff(deps, c.get('person'), unit, c.req.param('staffId'));
    return c.body(null, 204);
  })
  .get('/mailboxes/:id/handovers', async (c) => {
    const deps = depsOf(c);
    const mailbox = await mailboxInScope(deps, c.get('person'), c.req.param('id'));
    return c.json(await handoverList(deps, mailbox));
  })
  .post('/mailboxes/:id/handovers', freshSignIn(), async (c) => {
    const deps = depsOf(c);
    const mailbox = await mailboxInScope(deps, c.get('person'), c.req.param('id'));
    const input = await readBody(c, HandoverShare);
    return c.json(await shareHandover(deps, c.get('person'), mailbox, input), 201);
  })
  .post('/mailboxes/:id/handovers/:handoverId/links/:linkId/resend', freshSignIn(), async (c) => {
    const deps = depsOf(c);
    const mailbox = await mailboxInScope(deps, c.get('person'), c.req.param('id'));
    await readBody(c, EmptyBody);
    const ids = { handoverId: c.req.param('handoverId'), linkId: c.req.param('linkId') };
    return c.json(await resendLink(deps, c.get('person'), mailbox, ids));
  })
  .get('/units/:id/audit', async (c) => {
    const deps = depsOf(c);
    const unit = await unitInScope(deps, c.get('person'), c.req.param('id'));
    return c.json(await unitAudit(deps, unit, readQuery(c, AuditQuery)));
  })
  .route('/', routine);
