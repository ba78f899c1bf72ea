import { nowSeconds } from '../db/clock';
import type { Db } from '../db/database';
import { addToOutbox } from '../db/outbox';
import type { Provider } from './provider';

/**
 * Development only: "sends" by storing the message for /api/dev/outbox, mail next to SMS.
 * `body` is the text a reader of the outbox sees.
 */
export function outboxProvider<M extends { to: string }>(
  db: Db,
  channel: 'sms' | 'mail',
  body: (message: M) => string,
): Provider<M> {
  return {
    name: 'outbox',
    async send(message) {
      await addToOutbox(db, {
        channel,
        recipient: message.to,
        body: body(message),
        at: nowSeconds(),
      });
      return { ok: true };
    },
  };
}
