import type { Config } from '../config';
import type { Db } from '../db/database';
import { outboxProvider } from './dev-outbox';
import { mailgunProvider } from './mail-mailgun';
import type { Provider, SendResult } from './provider';
import { type Channel, sendAndRecord } from './send';

/** An e-mail: the outbox in development, Mailgun in production. */
export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text only: no tracking pixels, no remote content, nothing for a filter to strip. */
  text: string;
}

export type MailProvider = Provider<MailMessage>;

export function mailProvider(env: Env, cfg: Config): MailProvider {
  // config() has already refused the outbox outside development.
  if (cfg.mail.provider === 'outbox') {
    return outboxProvider(env.DB, 'mail', (message) => `${message.subject}\n\n${message.text}`);
  }
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

const MAIL: Channel<MailMessage> = {
  name: 'mail',
  maskRecipient: (message) => maskEmail(message.to),
};

export function sendMail(
  db: Db,
  provider: MailProvider,
  message: MailMessage,
  purpose: string,
): Promise<SendResult> {
  return sendAndRecord(db, MAIL, provider, message, purpose);
}
