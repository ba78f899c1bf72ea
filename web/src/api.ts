import type { SupportChannel } from '../../worker/domain/support';
import type { Lang } from './i18n';

/** A failed call: the API's own error body, or `network` when no answer came back. */
export interface ApiFailure {
  ok: false;
  status: number;
  error: string;
  message: string;
  retryAfter?: number;
  attemptsLeft?: number;
  violations?: string[];
  /** What `invalid_request` found wrong: the field (or `csv`), an optional code, a message. */
  issues?: { path: string; code?: string; message: string }[];
  /** The Turnstile site key, when the API asks for the challenge (`challenge_required`). */
  siteKey?: string;
  /** Why `invalid_phone`: `format`, `not_mobile`, or `country` (outside SMS_COUNTRIES). */
  reason?: string;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

let currentLang: Lang = 'sv';

/** The API answers errors in the language the person reads the app in. */
export function setApiLanguage(lang: Lang) {
  currentLang = lang;
}

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
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, error: 'network', message: '' };
  }
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
  };
}

export interface MailboxView {
  username: string;
  displayName: string;
  phone: string | null;
  passwordChangedAt: string;
  passwordExpiresAt: string;
  /** The domain requires a new password first (the one given was right). */
  mustChange: boolean;
}

export interface Policy {
  minLength: number;
  minClasses: number;
  historyDepth: number;
  maxAgeDays: number;
}

export interface Info {
  organisation: string;
  /** The organisation's support channels, as written (SUPPORT_CHANNELS). */
  support: SupportChannel[];
  development: boolean;
  /** Whether sign-in with a SITHS card is on here. */
  cardSignIn: boolean;
}

export interface Challenge {
  expiresAt: string;
  resendAfter: string;
}
