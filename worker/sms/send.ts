import type { Config } from '../config';
import { nowSeconds } from '../db/clock';
import { recordDelivery } from '../db/outbox';
import { maskPhone } from '../domain/phone';
import { elksProvider } from './elks';
import { outboxProvider } from './outbox';
import type { SmsMessage, SmsProvider, SmsResult } from './provider';

export function smsProvider(env: Env, cfg: Config): SmsProvider {
  // config() has already refused the outbox outside development.
  if (cfg.sms.provider === 'outbox') return outboxProvider(env.DB);
  return elksProvider({
    username: env.ELKS_USERNAME,
    password: env.ELKS_PASSWORD,
    from: cfg.sms.from,
    timeoutMs: cfg.sms.timeoutMs,
  });
}

/** A provider that throws (a bug, a binding gone) is a failed send, not a failed request. */
async function attempt(provider: SmsProvider, message: SmsMessage): Promise<SmsResult> {
  try {
    return await provider.send(message);
  } catch {
    return { ok: false, error: 'network', retryable: false };
  }
}

/**
 * Sends with one retry on a retryable failure and records the outcome for operators
 * (masked number, never the text: it carries the code).
 */
export async function sendSms(
  db: D1Database,
  provider: SmsProvider,
  message: SmsMessage,
  purpose: string,
): Promise<SmsResult> {
  let result = await attempt(provider, message);
  let attempts = 1;
  if (!result.ok && result.retryable) {
    result = await attempt(provider, message);
    attempts = 2;
  }
  await recordDelivery(db, {
    channel: 'sms',
    purpose,
    recipientMasked: maskPhone(message.to),
    provider: provider.name,
    status: result.ok ? 'sent' : 'failed',
    attempts,
    error: result.ok ? null : result.error,
    at: nowSeconds(),
  });
  if (!result.ok) {
    console.warn(
      JSON.stringify({
        event: 'sms_failed',
        purpose,
        provider: provider.name,
        error: result.error,
      }),
    );
  }
  return result;
}
