import { nowSeconds } from '../db/clock';
import type { Db } from '../db/database';
import { type Delivery, recordDelivery } from '../db/outbox';
import type { Provider, SendResult } from './provider';

/** What the delivery record needs to know of a channel: its name and how to mask a recipient. */
export interface Channel<M> {
  name: Delivery['channel'];
  maskRecipient(message: M): string;
}

/** A provider that throws (a bug, a binding gone) is a failed send, not a failed request. */
async function attempt<M>(provider: Provider<M>, message: M): Promise<SendResult> {
  try {
    return await provider.send(message);
  } catch {
    return { ok: false, error: 'network', retryable: false };
  }
}

/**
 * Sends with one retry on a retryable failure and records the outcome for operators: the
 * masked recipient, never the text (an SMS carries a code, an invite mail a link that signs
 * someone in).
 */
export async function sendAndRecord<M>(
  db: Db,
  channel: Channel<M>,
  provider: Provider<M>,
  message: M,
  purpose: string,
): Promise<SendResult> {
  let result = await attempt(provider, message);
  let attempts = 1;
  if (!result.ok && result.retryable) {
    result = await attempt(provider, message);
    attempts = 2;
  }
  await recordDelivery(db, {
    channel: channel.name,
    purpose,
    recipientMasked: channel.maskRecipient(message),
    provider: provider.name,
    status: result.ok ? 'sent' : 'failed',
    attempts,
    error: result.ok ? null : result.error,
    at: nowSeconds(),
  });
  if (!result.ok) {
    console.warn(
      JSON.stringify({
        event: `${channel.name}_failed`,
        purpose,
        provider: provider.name,
        error: result.error,
      }),
    );
  }
  return result;
}
