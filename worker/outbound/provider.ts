/**
 * What every outbound provider answers, mail or SMS: the development outbox in development,
 * Mailgun and 46elks in production. Only the message differs between the channels.
 */
export type SendFailure = 'timeout' | 'upstream_error' | 'rejected' | 'malformed' | 'network';

export type SendResult = { ok: true } | { ok: false; error: SendFailure; retryable: boolean };

export interface Provider<M> {
  readonly name: string;
  send(message: M): Promise<SendResult>;
}
