import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from './app-env';
import { cleanupStatements } from './db/cleanup';
import { nowSeconds } from './db/clock';
import { ApiError, onError } from './http/errors';
import { apiHeaders, requestContext } from './http/middleware';
import { op, openApiDocument } from './http/openapi';
import { admin } from './routes/admin';
import { connector } from './routes/connector';
import { dev } from './routes/dev';
import { handovers } from './routes/handovers';
import { integration } from './routes/integration';
import { mailbox } from './routes/mailbox';
import { manager } from './routes/manager';
import { meta } from './routes/meta';
import { peopleAuth } from './routes/people-auth';
import { resets } from './routes/resets';
import { cronDeps } from './services/deps';
import { syncNewHiresWithDirectory } from './services/hire-directory';
import {
  backfillBirthIndexes,
  retryInitialPasswordMails,
  runInitialPasswordReminders,
} from './services/identities';
import { ROTATION_CRON, runRotation } from './services/rotation';
import { deliverDueWebhooks, WEBHOOK_CRON } from './services/webhooks';

/** Every request body of the API is a few fields; anything bigger is refused unread. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The two exceptions: a batch of identities from the HR system, and a CSV file of hires (up to 2 MB of
 * text, which JSON escaping can make up to twice as long).
 */
function largeBody(method: string, path: string): number | null {
  if (method !== 'POST') return null;
  if (path === '/api/integration/identities') return 512 * 1024;
  if (path === '/api/admin/identities/preview' || path === '/api/admin/identities/import') {
    return 4 * 1024 * 1024;
  }
  return null;
}

const routes = new Hono<AppEnv>()
  .use('/api/*', apiHeaders(), requestContext(), async (c, next) =>
    bodyLimit({ maxSize: largeBody(c.req.method, c.req.path) ?? MAX_BODY_BYTES })(c, next),
  )
  .route('/api', meta)
  .route('/api/connector', connector)
  .route('/api/mailbox', mailbox)
  .route('/api/resets', resets)
  .route('/api/handovers', handovers)
  .route('/api/people', peopleAuth)
  .route('/api/manager', manager)
  .route('/api/admin', admin)
  .route('/api/integration', integration)
  .route('/api/dev', dev);

/**
 * The OpenAPI document is generated from the routes' own descriptions, so it is served here,
 * where every route is registered: `routes` is complete by the time a request asks for it
 * (generated on the first request, then kept for the isolate's life).
 */
const app = routes
  .get(
    '/api/openapi.json',
    describeRoute(
      op({
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        auth: 'public',
        success: [{ status: 200, description: 'OpenAPI 3.1 document' }],
        errors: [],
      }),
    ),
    async (c) => c.json(await openApiDocument(routes, c.get('config').publicOrigin.origin)),
  )
  .notFound((c) => {
    if (c.req.path.startsWith('/api/')) throw new ApiError('not_found');
    // Everything else is the PWA (only reached when the worker runs without assets).
    return c.env.ASSETS.fetch(c.req.raw);
  })
  .onError(onError);

/**
 * Cron: the daily run sends the rotation reminders and the initial-password reminders; the
 * five-minute one retries webhook deliveries and failed new-hire mails to managers and fills in missing
 * birth-date indexes, and writes new hires' initial passwords to the domain on their start
 * date (retrying until it works) and looks for their first logins there; the hourly one removes expired challenges, counters, sessions
 * and old lockouts.
 */
async function scheduled(
  controller: ScheduledController,
  env: Env,
  // Unused: both runs are awaited, so the runtime keeps the invocation alive until they end.
  _ctx?: ExecutionContext,
): Promise<void> {
  if (controller.cron === ROTATION_CRON) {
    const now = Math.floor(controller.scheduledTime / 1000);
    await runRotation(env, now);
    await runInitialPasswordReminders(cronDeps(env), now);
    return;
  }
  if (controller.cron === WEBHOOK_CRON) {
    const now = Math.floor(controller.scheduledTime / 1000);
    await deliverDueWebhooks(env, now);
    await retryInitialPasswordMails(cronDeps(env), now);
    await backfillBirthIndexes(cronDeps(env));
    await syncNewHiresWithDirectory(cronDeps(env), now);
    return;
  }
  const results = await env.DB.batch(cleanupStatements(env.DB, nowSeconds()));
  const deleted = results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
  console.log(JSON.stringify({ event: 'cleanup', deleted }));
}

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
export { DirectoryHub } from './directory/hub';
export { app };
export type App = typeof app;
