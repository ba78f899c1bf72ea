import { postForm } from './form-post';
import type { SmsProvider } from './sms';

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
    send: (message) =>
      postForm(
        ELKS_ENDPOINT,
        auth,
        { from: options.from, to: message.to, message: message.body },
        options.timeoutMs,
        (body) => typeof body.id === 'string' && body.status !== 'failed',
      ),
  };
}
