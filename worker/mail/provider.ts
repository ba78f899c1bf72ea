/** The e-mail provider interface: the outbox in development, Mailgun in production. */
export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text only: no tracking pixels, no remote content, nothing for a filter to strip. */
  text: string;
}

export type MailFailure = 'timeout' | 'upstream_error' | 'rejected' | 'malformed' | 'network';

export type MailResult = { ok: true } | { ok: false; error: MailFailure; retryable: boolean };

export interface MailProvider {
  readonly name: string;
  send(message: MailMessage): Promise<MailResult>;
}
