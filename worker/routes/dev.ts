import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { listOutbox } from '../db/outbox';
import { ApiError } from '../http/errors';
import { op } from '../http/openapi';
import { cronDeps } from '../services/deps';
import { syncNewHiresWithDirectory } from '../services/hire-directory';
import { runInitialPasswordReminders } from '../services/identities';
import { runRotation } from '../services/rotation';
import { DirectorySyncRun, OutboxList, RotationRun } from './dev.schemas';

/**
 * Development only: what the outbox SMS provider and mailer "sent", newest first, and the
 * daily rotation run on demand. (`wrangler dev --test-scheduled` cannot help: its
 * `/__scheduled` path is answered by the static assets before the worker sees it.)
 */
export const dev = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.get('config').isDevelopment) throw new ApiError('not_found');
    await next();
  })
  .get(
    '/outbox',
    describeRoute(
      op({
        operationId: 'devListOutbox',
        summary: 'Development only: SMS and mail the outbox "sent", newest first',
        auth: 'public',
        success: [{ status: 200, schema: OutboxList, description: 'Outbox' }],
        errors: ['not_found'],
      }),
    ),
    async (c) => {
      const rows = await listOutbox(c.env.DB);
      return c.json(
        rows.map((r) => ({
          channel: r.channel,
          to: r.recipient,
          body: r.body,
          createdAt: isoFromSeconds(r.created_at),
        })),
      );
    },
  )
  .post(
    '/rotation',
    describeRoute(
      op({
        operationId: 'devRunRotation',
        summary: 'Development only: run the daily rotation reminders now',
        auth: 'public',
        success: [{ status: 200, schema: RotationRun, description: 'What the run did' }],
        errors: ['not_found'],
      }),
    ),
    async (c) => {
      const now = nowSeconds();
      const rotation = await runRotation(c.env, now);
      const initialPasswords = await runInitialPasswordReminders(cronDeps(c.env), now);
      return c.json({ ...rotation, initialPasswords });
    },
  )
  // The five-minute run's new-hire part now: the start-date writes and the first-login check.
  .post(
    '/directory-sync',
    describeRoute(
      op({
        operationId: 'devRunDirectorySync',
        summary:
          'Development only: run the five-minute new-hire sync now (start-date writes to the domain, first-login check)',
        auth: 'public',
        success: [{ status: 200, schema: DirectorySyncRun, description: 'What the run did' }],
        errors: ['not_found'],
      }),
    ),
    async (c) => {
      return c.json(await syncNewHiresWithDirectory(cronDeps(c.env), nowSeconds()));
    },
  );
