import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { isInternal } from '../domain/networks';
import { op } from '../http/openapi';
import { directoryState } from '../services/directory';
import { effectiveNetworks } from '../services/networks';
import { PolicyView } from './fields';
import { Health, Info, NetworkStatus } from './meta.schemas';

/**
 * Health, network, policy and configuration: public, read-only. (The OpenAPI document is served
 * from worker/index.ts, where every route is known.)
 */
export const meta = new Hono<AppEnv>()
  .get(
    '/health',
    describeRoute(
      op({
        operationId: 'getHealth',
        summary:
          'Liveness, and the directory: `local` (no mailbox uses the domain), `connected` (a connector is there now) or `offline`',
        auth: 'public',
        success: [{ status: 200, schema: Health, description: 'Up' }],
        errors: [],
      }),
    ),
    async (c) => c.json({ ok: true as const, directory: await directoryState(c.env) }),
  )
  .get(
    '/network',
    describeRoute(
      op({
        operationId: 'getNetworkStatus',
        summary: 'Is the caller on a configured internal network',
        auth: 'public',
        success: [{ status: 200, schema: NetworkStatus, description: 'Network status' }],
        errors: [],
      }),
    ),
    async (c) => {
      const networks = await effectiveNetworks(c.get('db'), c.get('config'));
      return c.json({ internal: isInternal(c.get('clientIp'), networks) });
    },
  )
  .get(
    '/policy',
    describeRoute(
      op({
        operationId: 'getPasswordPolicy',
        summary: 'The password policy in force',
        auth: 'public',
        success: [{ status: 200, schema: PolicyView, description: 'Policy' }],
        errors: [],
      }),
    ),
    (c) => {
      const { minLength, minClasses, historyDepth, maxAgeDays } = c.get('config').policy;
      return c.json({ minLength, minClasses, historyDepth, maxAgeDays });
    },
  )
  .get(
    '/info',
    describeRoute(
      op({
        operationId: 'getInfo',
        summary:
          'Organisation name, the support channels as the organisation wrote them (only `tel` is a number to dial), whether this is a development deployment, and whether sign-in with a SITHS card is on',
        auth: 'public',
        success: [{ status: 200, schema: Info, description: 'Public configuration' }],
        errors: [],
      }),
    ),
    (c) => {
      const cfg = c.get('config');
      return c.json({
        organisation: cfg.organisationName,
        support: cfg.support,
        development: cfg.isDevelopment,
        // The sign-in page offers the SITHS card only where an issuer is trusted for people.
        cardSignIn: cfg.people.certIssuers.length > 0,
      });
    },
  );
