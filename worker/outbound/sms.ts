import type { Config } from '../config';
import type { Db } from '../db/database';
import { maskPhone } from '../domain/phone';
import { outboxProvider } from './dev-outbox';
import type { Provider, SendResult } from './provider';
import { type Channel, sendAndRecord } from './send';
import { elksProvider } from './sms-46elks';

/** A text message: the outbox in development, 46elks in production. */
export interface SmsMessage {
  to: string;
  body: string;
}

export type SmsProvider = Provider<SmsMessage>;

export function smsProvider(env: Env, cfg: Config): SmsProvider {
  // config() has already refused the outbox outside development.
  if (cfg.sms.provider === 'outbox') {
    return outboxProvider(env.DB, 'sms', (message) => message.body);
  }
  return elksProvider({
    username: env.ELKS_USERNAME,
    password: env.ELKS_PASSWORD,
    from: cfg.sms.from,
    timeoutMs: cfg.sms.timeoutMs,
  });
}

const SMS: Channel<SmsMessage> = { name: 'sms', maskRecipient: (message) => maskPhone(message.to) };

export function sendSms(
  db: Db,
  provider: SmsProvider,
  message: SmsMessage,
  purpose: string,
): Promise<SendResult> {
  return sendAndRecord(db, SMS, provider, message, purpose);
}
