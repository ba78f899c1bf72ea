import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { serviceToken } from '../http/service-token';
import { readBody } from '../http/validate';
import { checkIdentity, recordFirstLogin, upsertIdentity } from '../services/identities';
import {
  requireUserId,
  serviceActor,
  upsertBatch,
  verifyMailboxCredentials,
} from '../services/integration';
import { CredentialCheck, IdentityBatch, IdentityBody } from './identities.schemas';

/**
 * Other systems, with a service token an administrator created: the HR/identity
 * system upserts identities and reports first logins; a downstream system checks mailbox
 * credentials. Server to server: bearer tokens, no cookies, no Origin check.
 */
export const integration = new Hono<AppEnv>()
  .put('/identities/:userId', serviceToken('identities:write'), async (c) => {
    const deps = depsOf(c);
    const userId = requireUserId(c.req.param('userId'));
    const body = await readBody(c, IdentityBody);
    const valid = await checkIdentity(deps, { ...body, userId });
    const result = await upsertIdentity(deps, valid, serviceActor(c.get('service')));
    return c.json(result, result.created ? 201 : 200);
  })
  .post('/identities', serviceToken('identities:write'), async (c) => {
    const { identities } = await readBody(c, IdentityBatch);
    return c.json(await upsertBatch(depsOf(c), identities, serviceActor(c.get('service'))));
  })
  .post('/identities/:userId/first-login', serviceToken('identities:write'), async (c) => {
    const userId = requireUserId(c.req.param('userId'));
    return c.json(await recordFirstLogin(depsOf(c), userId, serviceActor(c.get('service'))));
  })
  .post('/mailboxes/verify', serviceToken('mailboxes:verify'), async (c) => {
    const { username, password } = await readBody(c, CredentialCheck);
    return c.json(await verifyMailboxCredentials(depsOf(c), c.get('service'), username, password));
  });
