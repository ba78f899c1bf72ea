import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { ApiError } from '../http/errors';
import { op } from '../http/openapi';
import { admitConnector, hubOf } from '../services/directory';

/**
 * GET /api/connector: the directory connector's WebSocket. Anyone may open one; the hub asks
 * it to sign a nonce and closes it unless a registered connector's key signed it.
 */
export const connector = new Hono<AppEnv>().get(
  '/',
  describeRoute(
    op({
      operationId: 'connectConnector',
      summary:
        "The directory connector's WebSocket (Upgrade: websocket). The hub sends a nonce; the connector signs it with its registered Ed25519 key, then receives jobs (protocol in worker/domain/directory-protocol.ts)",
      auth: 'public',
      success: [{ status: 101, description: 'Switching protocols' }],
      errors: ['upgrade_required', 'rate_limited'],
    }),
  ),
  async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
      throw new ApiError('upgrade_required');
    }
    await admitConnector(depsOf(c));
    return hubOf(c.env).fetch(c.req.raw);
  },
);
