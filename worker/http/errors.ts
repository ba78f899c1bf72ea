import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env';
import { pickLanguage } from '../domain/language';
import { ERRORS, type ErrorCode, errorMessage } from '../domain/messages';

/** Ends a request with one of the API's own error codes; `extra` joins the JSON body. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'ApiError';
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

/** 429/423/503 with the wait in both the header and the body. */
export function retryError(
  code: 'rate_limited' | 'locked' | 'retry_later' | 'directory_unavailable' | 'reset_blocked_today',
  retryAfterSeconds: number,
  extra: Record<string, unknown> = {},
): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ApiError(code, { retryAfter: seconds, ...extra }, { 'Retry-After': String(seconds) });
}

/**
 * The answer to an attempt the lockout refused before checking it: 423 for a lock from
 * failures, 429 for a limit reached a moment ago by attempts possibly still in progress.
 */
export function refusedAttempt(
  verdict: { refused: 'locked' | 'busy'; until: number },
  now: number,
): ApiError {
  return retryError(verdict.refused === 'locked' ? 'locked' : 'rate_limited', verdict.until - now);
}

export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  const lang = c.get('lang') ?? pickLanguage(c.req.header('Accept-Language'));
  const body = { error: error.code, message: errorMessage(error.code, lang), ...error.extra };
  const headers = new Headers(error.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/**
 * D1's own words for "the database was briefly unavailable" (busy, overloaded, restarted, the
 * connection lost, a timeout; Cloudflare's D1 error list), as opposed to a bug such as a
 * constraint or syntax error, which stays a 500. A D1 batch is one transaction, so after such
 * a failure nothing was written and the same request can simply be sent again.
 */
const TRANSIENT_D1 =
  /SQLITE_BUSY|SQLITE_LOCKED|network connection lost|transient|overloaded|reset because|object to be reset|timed out|exceeded timeout/i;

/**
 * D1 reports a UNIQUE violation as an error message. Writes that race for a unique value (a
 * username, an e-mail address, a number, a user id) let the index decide and answer 409.
 */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && err.message.includes('UNIQUE constraint failed');
}

export function isTransientStorageError(err: Error): boolean {
  return err.message.startsWith('D1_') && TRANSIENT_D1.test(err.message);
}

/** Seconds a client is asked to wait after a transient storage failure. */
const STORAGE_RETRY_SECONDS = 5;

/** The one error handler: our own codes pass through; anything else is logged by name only. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    if (err.status === 413) return errorResponse(c, new ApiError('payload_too_large'));
    if (err.status === 400) return errorResponse(c, new ApiError('invalid_request'));
  }
  // Never the message: a driver error can quote the SQL parameters, which may be secrets.
  if (isTransientStorageError(err)) {
    console.error(
      JSON.stringify({ event: 'storage_unavailable', name: err.name, path: c.req.path }),
    );
    return errorResponse(c, retryError('retry_later', STORAGE_RETRY_SECONDS));
  }
  console.error(JSON.stringify({ event: 'unhandled_error', name: err.name, path: c.req.path }));
  return errorResponse(c, new ApiError('internal'));
}
