import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { isoFromSeconds } from '../db/clock';
import { listOutbox } from '../db/outbox';
import { ApiError } from '../http/errors';

/** Development only: what the outbox SMS provider and mailer "sent", newest first. */
export const dev = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.get('config').isDevelopment) throw new ApiError('not_found');
    await next();
  })
  .get('/outbox', async (c) => {
    const rows = await listOutbox(c.env.DB);
    return c.json(
      rows.map((r) => ({
        channel: r.channel,
        to: r.recipient,
        body: r.body,
        createdAt: isoFromSeconds(r.created_at),
      })),
    );
  });
