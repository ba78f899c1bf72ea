import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { freshSignIn } from '../http/people-session';
import { readBody } from '../http/validate';
import { actorOf } from '../services/admin';
import { sendTestWebhook, updateWebhookSettings, webhookAdminView } from '../services/webhooks';
import { WebhookTestRequest, WebhookWrite } from './webhook.schemas';

/**
 * The administrator's settings of the signed webhook to a directory connector. Mounted inside
 * `admin`, so personSession and adminOnly have run; writes, and the test ping that sends to
 * the receiver, need a fresh sign-in like every administrator write: writeback hands new
 * passwords to whoever holds the configured key, so a stolen or left-open session must not be
 * enough to move it.
 */
export const adminWebhook = new Hono<AppEnv>()
  .get('/webhook', async (c) => c.json(await webhookAdminView(depsOf(c))))
  .put('/webhook', freshSignIn(), async (c) => {
    const input = await readBody(c, WebhookWrite);
    return c.json(await updateWebhookSettings(depsOf(c), c.get('person'), input));
  })
  .post('/webhook/test', freshSignIn(), async (c) => {
    await readBody(c, WebhookTestRequest);
    return c.json(await sendTestWebhook(depsOf(c), actorOf(c.get('person'))));
  });
