import type { Config } from '../config';
import { nowSeconds } from '../db/clock';
import { recordDelivery } from '../db/outbox';
import { mailgunProvider } from './mailgun';
import { mailOutboxProvider } from './outbox';
import type { MailMessage, MailProvider, MailResult } from './provider';

export function mailProvider(env: Env, cfg: Config): MailProvider {
  // config() has already refused the outbox outside development.
  if (cfg.mail.provider === 'outbox') return mailOutboxProvider(env.DB);
  return mailgunProvider({
    apiKey: env.MAILGUN_API_KEY,
    apiBase: cfg.mail.apiBase,
    domain: cfg.mail.domain,
    from: cfg.mail.from,
    timeoutMs: cfg.mail.timeoutMs,
  });
}

/** An address for operators' records: the first letter and the domain. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${address[0]}•••${address.slice(at)}`;
}

async function attempt(provider: MailProvider, message: MailMessage): Promise<MailResult> {
  try {
    return await provider.send(message);
  } catch {
    return { ok: false, error: 'network', retryable: false };
  }
}

/**
 * Sends with one retry on a retryable failure and records the outcome for operators (masked
 * address, never the text: an invite carries a link that signs someone in).
 */
export async function sendMail(
  db: D1Database,
  provider: MailProvider,
  message: MailMessage,
  purpose: string,
): Promise<MailResult> {
  let result = await attempt(provider, message);
  let attempts = 1;
  if (!result.ok && result.retryable) {
    result = await attempt(provider, message);
    attempts = 2;
  }
  await recordDelivery(db, {
    channel: 'mail',
    purpose,
    recipientMasked: maskEmail(message.to),
    provider: provider.name,
    status: result.ok ? 'sent' : 'failed',
    attempts,
    error: result.ok ? null : result.error,
    at: nowSeconds(),
  });
  if (!result.ok) {
    console.warn(
      JSON.stringify({
        event: 'mail_failed',
        purpose,
        provider: provider.name,
        error: result.error,
      }),
    );
  }
  return result;
}
