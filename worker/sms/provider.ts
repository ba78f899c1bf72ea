/** The SMS provider interface: the outbox in development, 46elks in production. */
export interface SmsMessage {
  to: string;
  body: string;
}

export type SmsFailure = 'timeout' | 'upstream_error' | 'rejected' | 'malformed' | 'network';

export type SmsResult = { ok: true } | { ok: false; error: SmsFailure; retryable: boolean };

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SmsResult>;
}
