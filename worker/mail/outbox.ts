import { nowSeconds } from '../db/clock';
import { addToOutbox } from '../db/outbox';
import type { MailProvider } from './provider';

/** Development only: "sends" by storing the mail for /api/dev/outbox, next to the SMS. */
export function mailOutboxProvider(db: D1Database): MailProvider {
  return {
    name: 'outbox',
    async send(message) {
      await addToOutbox(db, {
        channel: 'mail',
        recipient: message.to,
        body: `${message.subject}\n\n${message.text}`,
        at: nowSeconds(),
      });
      return { ok: true };
    },
  };
}
