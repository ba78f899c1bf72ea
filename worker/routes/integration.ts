import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { DIRECTORY_PASSWORD, op, SERVICE_TOKEN } from '../http/openapi';
import { serviceToken } from '../http/service-token';
import { readBody } from '../http/validate';
import { checkIdentity, recordFirstLogin, upsertIdentity } from '../services/identities';
import {
  requireUserId,
  serviceActor,
  upsertBatch,
  verifyMailboxCredentials,
} from '../services/integration';
import {
  BatchResult,
  CredentialCheck,
  CredentialResult,
  FirstLoginResult,
  IdentityBatch,
  IdentityBody,
  UpsertResult,
} from './identities.schemas';

/**
 * Other systems, with a service token an administrator created: the HR/identity
 * system upserts identities and reports first logins; a downstream system checks mailbox
 * credentials. Server to server: bearer tokens, no cookies, no Origin check.
 */
export const integration = new Hono<AppEnv>()
  .put(
    '/identities/:userId',
    describeRoute(
      op({
        operationId: 'upsertIdentity',
        summary:
          'Create or update one identity (idempotent); starts an initial password for a new hire or a re-hire after ended and inactive',
        description:
          'A new hire is `new`, or `active` with a start date of today or later: an initial password is made and the unit is e-mailed. ' +
          'Someone reported for the first time as `active` with a start date in the past is existing staff (a first import of the whole organisation): recorded, with no initial password and no e-mail. ' +
          'An identity that was `ended` and then `inactive` and comes back as `new` or `active` gets a new one. ' +
          'Going to `ended` or `inactive` before the first login deletes the initial password (fetching it then answers 410); ' +
          'if Nyckel had already set it in the domain, the account itself is left to the IdM system. ' +
          'With NEW_HIRE_PASSWORDS=ad the password is set in the domain on the start date, with "must change at next logon", and the first login is seen there.',
        auth: { token: 'identities:write' },
        body: IdentityBody,
        success: [
          { status: 200, schema: UpsertResult, description: 'Updated, or unchanged' },
          { status: 201, schema: UpsertResult, description: 'Created' },
        ],
        errors: [...SERVICE_TOKEN, 'invalid_request', 'conflict', 'payload_too_large'],
      }),
    ),
    serviceToken('identities:write'),
    async (c) => {
      const deps = depsOf(c);
      const userId = requireUserId(c.req.param('userId'));
      const body = await readBody(c, IdentityBody);
      const valid = await checkIdentity(deps, { ...body, userId });
      const result = await upsertIdentity(deps, valid, serviceActor(c.get('service')));
      return c.json(result, result.created ? 201 : 200);
    },
  )
  .post(
    '/identities',
    describeRoute(
      op({
        operationId: 'upsertIdentities',
        summary:
          'The batch form: up to 50 identities (the edge allows 1,000 D1 queries per invocation), each answered with the status the PUT would give',
        auth: { token: 'identities:write' },
        body: IdentityBatch,
        success: [{ status: 200, schema: BatchResult, description: 'One result per identity' }],
        errors: [...SERVICE_TOKEN, 'invalid_request', 'payload_too_large'],
      }),
    ),
    serviceToken('identities:write'),
    async (c) => {
      const { identities } = await readBody(c, IdentityBatch);
      return c.json(await upsertBatch(depsOf(c), identities, serviceActor(c.get('service'))));
    },
  )
  .post(
    '/identities/:userId/first-login',
    describeRoute(
      op({
        operationId: 'recordFirstLogin',
        summary:
          'The person logged in for the first time: the initial password is deleted (idempotent)',
        auth: { token: 'identities:write' },
        success: [{ status: 200, schema: FirstLoginResult, description: 'Recorded' }],
        errors: [...SERVICE_TOKEN, 'invalid_request', 'not_found'],
      }),
    ),
    serviceToken('identities:write'),
    async (c) => {
      const userId = requireUserId(c.req.param('userId'));
      return c.json(await recordFirstLogin(depsOf(c), userId, serviceActor(c.get('service'))));
    },
  )
  .post(
    '/mailboxes/verify',
    describeRoute(
      op({
        operationId: 'verifyMailboxCredentials',
        summary: "Check a mailbox's username and password; throttled and locked out like a login",
        auth: { token: 'mailboxes:verify' },
        body: CredentialCheck,
        success: [{ status: 200, schema: CredentialResult, description: 'Whether they are right' }],
        errors: [...SERVICE_TOKEN, 'invalid_request', 'locked', ...DIRECTORY_PASSWORD],
      }),
    ),
    serviceToken('mailboxes:verify'),
    async (c) => {
      const { username, password } = await readBody(c, CredentialCheck);
      return c.json(
        await verifyMailboxCredentials(depsOf(c), c.get('service'), username, password),
      );
    },
  );
