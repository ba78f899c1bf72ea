import type { SendResult } from './provider';

/** The fields of a provider's JSON answer that tell whether it took the message. */
type Answer = { id?: unknown; status?: unknown };

/**
 * The HTTPS form POST with basic auth that Mailgun and 46elks both take, its answer sorted
 * into a SendResult. `accepted` tells from the JSON body of a 2xx whether the message was
 * taken.
 */
export async function postForm(
  endpoint: string,
  auth: string,
  fields: Record<string, string>,
  timeoutMs: number,
  accepted: (body: Answer) => boolean,
): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
      signal: AbortSignal.timeout(timeoutMs),
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
    // A 4xx (bad recipient, no credit, bad credentials) will not improve by retrying.
    return { ok: false, error: 'rejected', retryable: false };
  }
  try {
    if (accepted((await response.json()) as Answer)) return { ok: true };
  } catch {
    // fall through
  }
  // The message may or may not have gone out; a retry could double it, so do not retry.
  return { ok: false, error: 'malformed', retryable: false };
}
