import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { isInternal } from '../domain/networks';
import { openApiDocument } from '../http/openapi';
import { directoryState } from '../services/directory';
import { effectiveNetworks } from '../services/networks';

/** Health, network, policy and the OpenAPI document: public, read-only. */
export const meta = new Hono<AppEnv>()
  .get('/health', async (c) =>
    c.json({ ok: true as const, directory: await directoryState(c.env) }),
  )
  .get('/network', async (c) => {
    const networks = await effectiveNetworks(c.env.DB, c.get('config'));
    return c.json({ internal: isInternal(c.get('clientIp'), networks) });
  })
  .get('/policy', (c) => {
    const { minLength, minClasses, historyDepth, maxAgeDays } = c.get('config').policy;
    return c.json({ minLength, minClasses, historyDepth, maxAgeDays });
  })
  .get('/info', (c) => {
    const cfg = c.get('config');
    return c.json({
      organisation: cfg.organisationName,
      support: cfg.support,
      development: cfg.isDevelopment,
      // The sign-in page offers the SITHS card only where an issuer is trusted for people.
      cardSignIn: cfg.people.certIssuers.length > 0,
    });
  })
  .get('/openapi.json', (c) => c.json(openApiDocument(c.get('config').publicOrigin.origin)));
