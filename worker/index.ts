import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './app-env';
import { cleanupStatements } from './db/cleanup';
import { nowSeconds } from './db/clock';
import { ApiError, onError } from './http/errors';
import { apiHeaders, requestContext } from './http/middleware';
import { admin } from './routes/admin';
import { dev } from './routes/dev';
import { mailbox } from './routes/mailbox';
import { manager } from './routes/manager';
import { meta } from './routes/meta';
import { peopleAuth } from './routes/people-auth';
import { resets } from './routes/resets';
import { ROTATION_CRON, runRotation } from './services/rotation';

/** Every request body of the API is a few fields; anything bigger is refused unread. */
const MAX_BODY_BYTES = 16 * 1024;

const app = new Hono<AppEnv>()
  .use('/api/*', apiHeaders(), requestContext(), bodyLimit({ maxSize: MAX_BODY_BYTES }))
  .route('/api', meta)
  .route('/api/mailbox', mailbox)
  .route('/api/resets', resets)
  .route('/api/people', peopleAuth)
  .route('/api/manager', manager)
  .route('/api/admin', admin)
  .route('/api/dev', dev)
  .notFound((c) => {
    if (c.req.path.startsWith('/api/')) throw new ApiError('not_found');
    // Everything else is the PWA (only reached when the worker runs without assets).
    return c.env.ASSETS.fetch(c.req.raw);
  })
  .onError(onError);

/**
 * Cron: the daily run sends the rotation reminders; the hourly one removes expired
 * challenges, counters, sessions and old lockouts.
 */
async function scheduled(
  controller: ScheduledController,
  env: Env,
  // Unused: both runs are awaited, so the runtime keeps the invocation alive until they end.
  _ctx?: ExecutionContext,
): Promise<void> {
  if (controller.cron === ROTATION_CRON) {
    await runRotation(env, Math.floor(controller.scheduledTime / 1000));
    return;
  }
  const results = await env.DB.batch(cleanupStatements(env.DB, nowSeconds()));
  const deleted = results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
  console.log(JSON.stringify({ event: 'cleanup', deleted }));
}

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
export { app };
export type App = typeof app;
