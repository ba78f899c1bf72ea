import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { ADMIN_READ, ADMIN_WRITE, op } from '../http/openapi';
import { freshSignIn } from '../http/people-session';
import { readBody } from '../http/validate';
import { actorOf } from '../services/admin';
import { previewImport, runImport } from '../services/identity-import';
import { createServiceToken, revokeServiceToken, serviceTokens } from '../services/service-tokens';
import {
  CreatedServiceToken,
  IdentityImport,
  IdentityImportPart,
  ImportResult,
  ServiceTokenCreate,
  ServiceTokenList,
} from './identities.schemas';

/**
 * The administrator's side of new hires: the CSV import (preview, then import) and the
 * service tokens of other systems. Mounted inside `admin`, so personSession and adminOnly
 * have run; writes need a fresh sign-in like every administrator write.
 */
export const adminIdentities = new Hono<AppEnv>()
  .post(
    '/identities/preview',
    describeRoute(
      op({
        operationId: 'adminPreviewIdentityImport',
        summary: 'Check a CSV file of hires row by row; writes nothing',
        auth: 'person',
        body: IdentityImport,
        success: [
          { status: 200, schema: ImportResult, description: 'Every row with its problems' },
        ],
        errors: [...ADMIN_READ, 'forbidden_origin', 'invalid_request', 'payload_too_large'],
      }),
    ),
    async (c) => {
      const { csv } = await readBody(c, IdentityImport);
      return c.json(await previewImport(depsOf(c), csv));
    },
  )
  .post(
    '/identities/import',
    describeRoute(
      op({
        operationId: 'adminImportIdentities',
        summary:
          'Import every valid row of one part of a CSV file of hires (50 rows from `from`; send again with `next` until it is null); rows with problems are listed',
        auth: 'person',
        body: IdentityImportPart,
        success: [{ status: 200, schema: ImportResult, description: 'Every row with its outcome' }],
        errors: [...ADMIN_WRITE, 'invalid_request', 'payload_too_large'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const { csv, from } = await readBody(c, IdentityImportPart);
      return c.json(await runImport(depsOf(c), csv, actorOf(c.get('person')), from));
    },
  )
  .get(
    '/service-tokens',
    describeRoute(
      op({
        operationId: 'adminListServiceTokens',
        summary:
          'Service tokens of other systems (never the token itself); those expiring within 30 days first, flagged `expiresSoon`',
        auth: 'person',
        success: [{ status: 200, schema: ServiceTokenList, description: 'Tokens' }],
        errors: [...ADMIN_READ],
      }),
    ),
    async (c) => c.json(await serviceTokens(depsOf(c))),
  )
  .post(
    '/service-tokens',
    describeRoute(
      op({
        operationId: 'adminCreateServiceToken',
        summary:
          'Create a service token, optionally with `expiresAt` (at most two years away; after it the token is refused like a revoked one); the answer is the only time the token is shown',
        auth: 'person',
        body: ServiceTokenCreate,
        success: [{ status: 201, schema: CreatedServiceToken, description: 'The token, once' }],
        errors: [...ADMIN_WRITE, 'invalid_request'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const input = await readBody(c, ServiceTokenCreate);
      return c.json(await createServiceToken(depsOf(c), c.get('person'), input), 201);
    },
  )
  .delete(
    '/service-tokens/:id',
    describeRoute(
      op({
        operationId: 'adminRevokeServiceToken',
        summary: 'Revoke a service token at once',
        auth: 'person',
        success: [{ status: 204, description: 'Revoked' }],
        errors: [...ADMIN_WRITE, 'not_found'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      await revokeServiceToken(depsOf(c), c.get('person'), c.req.param('id'));
      return c.body(null, 204);
    },
  );
