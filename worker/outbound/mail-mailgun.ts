import { postForm } from './form-post';
import type { MailProvider } from './mail';

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
    send: (message) =>
      postForm(
        endpoint,
        auth,
        {
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          // Links in our mail are the message; a tracking redirect would leak and break them.
          'o:tracking': 'no',
        },
        options.timeoutMs,
        (body) => typeof body.id === 'string',
      ),
  };
}
