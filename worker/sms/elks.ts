import type { SmsProvider, SmsResult } from './provider';

export const ELKS_ENDPOINT = 'https://api.46elks.com/a1/sms';

export interface ElksOptions {
  username: string;
  password: string;
  from: string;
  timeoutMs: number;
}

/** 46elks: an HTTPS form POST with basic auth; a created message answers with an id. */
export function elksProvider(options: ElksOptions): SmsProvider {
  const auth = `Basic ${btoa(`${options.username}:${options.password}`)}`;
  return {
    name: '46elks',
    async send(message): Promise<SmsResult> {
      let response: Response;
      try {
        response = await fetch(ELKS_ENDPOINT, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ from: options.from, to: message.to, message: message.body }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
        return { ok: false, error: timedOut ? 'timeout' : 'network', retryable: true };
      }
      if (response.status >= 500 || response.status === 429) {
        await response.body?.cancel();
        return { ok: false, error: 'upstream_error', retryable: true };
      }
      if (!response.ok) {
        await response.body?.cancel();
        // A 4xx (bad number, no credit, bad credentials) will not improve by retrying.
        return { ok: false, error: 'rejected', retryable: false };
      }
      try {
        const body = (await response.json()) as { id?: unknown; status?: unknown };
        if (typeof body.id === 'string' && body.status !== 'failed') return { ok: true };
      } catch {
        // fall through
      }
      // The message may or may not have gone out; a retry could double it, so do not retry.
      return { ok: false, error: 'malformed', retryable: false };
    },
  };
}
