import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { unitRoutine } from '../services/routine';

/**
 * The unit's routine, mounted inside routes/manager.ts with `.route('/', routine)`,
 * after its `sameOrigin()` and `personSession()`: those decide who is signed in, so this
 * sub-app adds no middleware of its own (one here would be mounted on every manager path).
 */
export const routine = new Hono<AppEnv>().get('/units/:id/routine', async (c) =>
  c.json(await unitRoutine(depsOf(c), c.get('person'), c.req.param('id'))),
);
