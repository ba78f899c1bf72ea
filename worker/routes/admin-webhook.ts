import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { ADMIN_READ, ADMIN_WRITE, op } from '../http/openapi';
import { freshSignIn } from '../http/people-session';
import { readBody } from '../http/validate';
import { actorOf } from '../services/admin';
import { sendTestWebhook, updateWebhookSettings, webhookAdminView } from '../services/webhooks';
import {
  WebhookTestRequest,
  WebhookTestResult,
  WebhookView,
  WebhookWrite,
} from './webhook.schemas';

/**
 * The administrator's settings of the signed webhook to a directory connector. Mounted inside
 * `admin`, so personSession and adminOnly have run; writes, and the test ping that sends to
 * the receiver, need a fresh sign-in like every administrator write: writeback hands new
 * passwords to whoever holds the configured key, so a stolen or left-open session must not be
 * enough to move it.
 */
export const adminWebhook = new Hono<AppEnv>()
  .get(
    '/webhook',
    describeRoute(
      op({
        operationId: 'adminGetWebhook',
        summary:
          'The signed webhook to a directory connector: URL in force, writeback mode, key thumbprint, whether it can send, counts and the 20 newest events (never a payload)',
        auth: 'person',
        success: [{ status: 200, schema: WebhookView, description: 'Webhook settings and status' }],
        errors: [...ADMIN_READ],
      }),
    ),
    async (c) => c.json(await webhookAdminView(depsOf(c))),
  )
  .put(
    '/webhook',
    describeRoute(
      op({
        operationId: 'adminUpdateWebhook',
        summary:
          'Set the receiver (https; null = WEBHOOK_URL, "" = off), writeback mode and the RSA public JWK (≥ 2048 bits) new passwords are encrypted to; writeback without a key is 400',
        description:
          'Needs a fresh sign-in. The audit entry `webhook.update` shows the receiver (origin and path), writeback and the key thumbprint before and after; a change is e-mailed to every other administrator.',
        auth: 'person',
        body: WebhookWrite,
        success: [{ status: 200, schema: WebhookView, description: 'In force now' }],
        errors: [...ADMIN_WRITE, 'invalid_request'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      const input = await readBody(c, WebhookWrite);
      return c.json(await updateWebhookSettings(depsOf(c), c.get('person'), input));
    },
  )
  .post(
    '/webhook/test',
    describeRoute(
      op({
        operationId: 'adminTestWebhook',
        summary:
          "Send a signed `ping` event now (not stored, not retried) and report the receiver's answer",
        auth: 'person',
        body: WebhookTestRequest,
        success: [
          { status: 200, schema: WebhookTestResult, description: 'What the receiver said' },
        ],
        errors: [...ADMIN_WRITE, 'invalid_request'],
      }),
    ),
    freshSignIn(),
    async (c) => {
      await readBody(c, WebhookTestRequest);
      return c.json(await sendTestWebhook(depsOf(c), actorOf(c.get('person'))));
    },
  );
