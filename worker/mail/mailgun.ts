import type { MailProvider, MailResult } from './provider';

export interface MailgunOptions {
  apiKey: string;
  /** https://api.eu.mailgun.net (EU region) or https://api.mailgun.net */
  apiBase: string;
  domain: string;
  from: string;
  timeoutMs: number;
}

/**
 * Mailgun's HTTP API: a form POST to /v3/<domain>/messages with basic auth `api:<key>`; an
 * accepted message answers 200 with an id.
 */
export function mailgunProvider(options: MailgunOptions): MailProvider {
  const auth = `Basic ${btoa(`api:${options.apiKey}`)}`;
  const endpoint = new URL(
    `/v3/${encodeURIComponent(options.domain)}/messages`,
    options.apiBase,
  ).toString();
  return {
    name: 'mailgun',
    async send(message): Promise<MailResult> {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            from: options.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            // Links in our mail are the message; a tracking redirect would leak and break them.
            'o:tracking': 'no',
          }),
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
        return { ok: false, error: 'rejected', retryable: false };
      }
      try {
        const body = (await response.json()) as { id?: unknown };
        if (typeof body.id === 'string') return { ok: true };
      } catch {
        // fall through
      }
      return { ok: false, error: 'malformed', retryable: false };
    },
  };
}
