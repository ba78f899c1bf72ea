import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { freshSignIn } from '../http/people-session';
import { readBody } from '../http/validate';
import { actorOf } from '../services/admin';
import { previewImport, runImport } from '../services/identity-import';
import { createServiceToken, revokeServiceToken, serviceTokens } from '../services/service-tokens';
import { IdentityImport, IdentityImportPart, ServiceTokenCreate } from './identities.schemas';

/**
 * The administrator's side of new hires: the CSV import (preview, then import) and the
 * service tokens of other systems. Mounted inside `admin`, so personSession and adminOnly
 * have run; writes need a fresh sign-in like every administrator write.
 */
export const adminIdentities = new Hono<AppEnv>()
  .post('/identities/preview', async (c) => {
    const { csv } = await readBody(c, IdentityImport);
    return c.json(await previewImport(depsOf(c), csv));
  })
  .post('/identities/import', freshSignIn(), async (c) => {
    const { csv, from } = await readBody(c, IdentityImportPart);
    return c.json(await runImport(depsOf(c), csv, actorOf(c.get('person')), from));
  })
  .get('/service-tokens', async (c) => c.json(await serviceTokens(depsOf(c))))
  .post('/service-tokens', freshSignIn(), async (c) => {
    const input = await readBody(c, ServiceTokenCreate);
    return c.json(await createServiceToken(depsOf(c), c.get('person'), input), 201);
  })
  .delete('/service-tokens/:id', freshSignIn(), async (c) => {
    await revokeServiceToken(depsOf(c), c.get('person'), c.req.param('id'));
    return c.body(null, 204);
  });
