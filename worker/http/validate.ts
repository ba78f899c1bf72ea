import type { Context, MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { ApiError } from './errors';

/** What a client is told about a bad field: where and what, never the value it sent. */
export interface FieldIssue {
  path: string;
  message: string;
}

function describe(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: issue.path?.map((item) => String(item.key)).join('.') || '',
    // valibot's default messages quote the received value ("received 73194628"), which may
    // be a password sent with the wrong type. Our own `check` messages never do.
    message:
      issue.type === 'check'
        ? issue.message
        : `Invalid ${issue.type.replace(/_/g, ' ')}: expected ${issue.expected ?? 'a valid value'}`,
  }));
}

/**
 * Reads and validates a JSON body, the one way every input is read: malformed JSON and wrong
 * types are 400 `invalid_request` with the valibot issues, never a 500.
 */
export async function readBody<S extends v.GenericSchema>(
  c: Context<AppEnv>,
  schema: S,
): Promise<v.InferOutput<S>> {
  // Read outside the try: a body over the size limit must stay a 413, not become a 400.
  const text = await c.req.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_request', { issues: [{ path: '', message: 'Body is not JSON' }] });
  }
  const result = v.safeParse(schema, json);
  if (!result.success) throw new ApiError('invalid_request', { issues: describe(result.issues) });
  return result.output;
}

/**
 * Validates the body ahead of the middleware that follows it, for a route whose session check
 * already writes (the password change counts its attempt in the session's read): a malformed
 * request is refused before anything is written. The handler's readBody reads the same text.
 */
export function bodyFirst<S extends v.GenericSchema>(schema: S): MiddlewareHandler<AppEnv> {
  return async function bodyFirst(c, next) {
    await readBody(c, schema);
    await next();
  };
}

/**
 * Validates a query string like a body: a bad value is 400 `invalid_request` naming the
 * parameter, never echoing what was sent.
 */
export function readQuery<S extends v.GenericSchema>(
  c: Context<AppEnv>,
  schema: S,
): v.InferOutput<S> {
  const result = v.safeParse(schema, c.req.query());
  if (!result.success) throw new ApiError('invalid_request', { issues: describe(result.issues) });
  return result.output;
}
