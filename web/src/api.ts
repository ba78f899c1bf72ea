import type { InferOutput } from 'valibot';
import { BOOKMARK_HEADER } from '../../worker/domain/d1-bookmark';
import type { ErrorBody, PolicyView } from '../../worker/routes/fields';
import type {
  Challenge as ChallengeSchema,
  MailboxView as MailboxViewSchema,
} from '../../worker/routes/mailbox.schemas';
import type { Info as InfoSchema } from '../../worker/routes/meta.schemas';
import type { Lang } from './i18n';

/*
 * The API's bodies are typed from the worker's own schemas (type-only imports, so nothing of
 * the worker is bundled): a field the worker adds, renames or drops shows up here at once.
 */

/** A failed call: the API's own error body, or `network` when no answer came back. */
export type ApiFailure = { ok: false; status: number } & InferOutput<typeof ErrorBody>;

export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

let currentLang: Lang = 'sv';

/** The API answers errors in the language the person reads the app in. */
export function setApiLanguage(lang: Lang) {
  currentLang = lang;
}

/**
 * The newest D1 bookmark this tab has seen (worker/domain/d1-bookmark.ts), sent with every
 * call so a read answered by a replica already holds the person's own writes. The worker
 * sends only well-formed bookmarks, and they sort as strings. In memory: a reload starts
 * without one (the first screen's budget has no room for more).
 */
let bookmark = '';

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  /** Extra request headers, e.g. a Turnstile token on the retry the API asked for. */
  extraHeaders: Record<string, string> = {},
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': currentLang,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(bookmark ? { [BOOKMARK_HEADER]: bookmark } : {}),
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, error: 'network', message: '' };
  }
  const received = response.headers.get(BOOKMARK_HEADER);
  if (received && received > bookmark) bookmark = received;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.ok) return { ok: true, status: response.status, data: json as T };
  const err = (json ?? {}) as Partial<ApiFailure>;
  return {
    ok: false,
    status: response.status,
    error: typeof err.error === 'string' ? err.error : 'internal',
    message: typeof err.message === 'string' ? err.message : '',
    ...(typeof err.retryAfter === 'number' ? { retryAfter: err.retryAfter } : {}),
    ...(typeof err.attemptsLeft === 'number' ? { attemptsLeft: err.attemptsLeft } : {}),
    ...(Array.isArray(err.violations) ? { violations: err.violations as string[] } : {}),
    ...(Array.isArray(err.issues) ? { issues: err.issues } : {}),
    ...(typeof err.siteKey === 'string' ? { siteKey: err.siteKey } : {}),
    ...(typeof err.reason === 'string' ? { reason: err.reason } : {}),
    ...(typeof err.entry === 'string' ? { entry: err.entry } : {}),
    ...(typeof err.existing === 'object' && err.existing !== null
      ? { existing: err.existing }
      : {}),
  };
}

export type MailboxView = InferOutput<typeof MailboxViewSchema>;
export type Policy = InferOutput<typeof PolicyView>;
export type Info = InferOutput<typeof InfoSchema>;
export type Challenge = InferOutput<typeof ChallengeSchema>;
