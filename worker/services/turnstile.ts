import { readSiteverify, type SiteverifyVerdict } from '../domain/turnstile';

/** Cloudflare's server-side check of a Turnstile token. */
export const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

/**
 * Asks siteverify whether a widget's token is good, with the client's address (Cloudflare
 * compares it with the one that solved the widget) and a timeout. A siteverify that cannot be
 * reached, answers an error or something unreadable is `unavailable`: the caller refuses
 * (fails closed) rather than letting the attempt through unchecked.
 */
export async function verifyTurnstileToken(
  settings: { secret: string; timeoutMs: number },
  token: string,
  remoteIp: string | null,
): Promise<SiteverifyVerdict> {
  const form = new URLSearchParams({
    secret: settings.secret,
    response: token,
    // Lets Cloudflare recognise a retry of this very check instead of calling it a replay.
    idempotency_key: crypto.randomUUID(),
  });
  if (remoteIp) form.set('remoteip', remoteIp);
  let response: Response;
  try {
    response = await fetch(SITEVERIFY_URL, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (err) {
    return { kind: 'unavailable', reason: err instanceof Error ? err.name : 'fetch' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { kind: 'unavailable', reason: `status ${response.status}` };
  }
  try {
    return readSiteverify(await response.json());
  } catch {
    return { kind: 'unavailable', reason: 'not json' };
  }
}
