import { nowSeconds } from '../db/clock';
import { addToOutbox } from '../db/outbox';
import type { SmsProvider } from './provider';

/** Development only: "sends" by storing the message for /api/dev/outbox. */
export function outboxProvider(db: D1Database): SmsProvider {
  return {
    name: 'outbox',
    async send(message) {
      await addToOutbox(db, {
        channel: 'sms',
        recipient: message.to,
        body: message.body,
        at: nowSeconds(),
      });
      return { ok: true };
    },
  };
}
