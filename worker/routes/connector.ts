import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { ApiError } from '../http/errors';
import { admitConnector, hubOf } from '../services/directory';

/**
 * GET /api/connector: the directory connector's WebSocket. Anyone may open one; the hub asks
 * it to sign a nonce and closes it unless a registered connector's key signed it.
 */
export const connector = new Hono<AppEnv>().get('/', async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError('upgrade_required');
  }
  await admitConnector(depsOf(c));
  return hubOf(c.env).fetch(c.req.raw);
});
