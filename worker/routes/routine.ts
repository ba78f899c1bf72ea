import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { MANAGER_READ, op } from '../http/openapi';
import { unitRoutine } from '../services/routine';
import { UnitRoutine } from './routine.schemas';

/**
 * The unit's routine, mounted inside routes/manager.ts with `.route('/', routine)`,
 * after its `sameOrigin()` and `personSession()`: those decide who is signed in, so this
 * sub-app adds no middleware of its own (one here would be mounted on every manager path).
 */
export const routine = new Hono<AppEnv>().get(
  '/units/:id/routine',
  describeRoute(
    op({
      operationId: 'managerUnitRoutine',
      summary:
        "The unit's password routine, generated: mailboxes, rotation dates for the next year, managers and delegates, links, support and policy",
      auth: 'person',
      success: [{ status: 200, schema: UnitRoutine, description: 'The routine' }],
      errors: MANAGER_READ,
    }),
  ),
  async (c) => c.json(await unitRoutine(depsOf(c), c.get('person'), c.req.param('id'))),
);
