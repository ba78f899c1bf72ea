import { toJsonSchema } from '@valibot/to-json-schema';
import type { Hono } from 'hono';
import type { Schema } from 'hono/types';
import { type DescribeRouteOptions, type GenerateSpecOptions, generateSpecs } from 'hono-openapi';
import type * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { ERRORS, type ErrorCode } from '../domain/messages';
import { ErrorBody } from '../routes/fields';

/*
 * OpenAPI 3.1 for API v1, generated from the routes themselves: each route's first handler is
 * `describeRoute(op({...}))`, next to the code it describes, with the same valibot schemas the
 * route validates with. hono-openapi collects them from `app.routes`; a test compares the
 * document with the routes the app really registers.
 */

/** Who may call an operation: anyone, the mailbox's own session, a person's, or a service token. */
export type Auth =
  | 'public'
  | 'mailbox'
  | 'person'
  | { token: 'identities:write' | 'mailboxes:verify' };

export interface OperationSpec {
  /** Unique over the API, camelCase: what a generated client calls the method. */
  operationId: string;
  summary: string;
  /** The longer rules, where a summary cannot hold them. */
  description?: string;
  auth: Auth;
  body?: v.GenericSchema;
  /** The object schema the route reads its query string with (readQuery). */
  query?: v.GenericSchema;
  success: { status: number; schema?: v.GenericSchema; description: string }[];
  /** Every error the handler and its middleware can answer with; grouped by status. */
  errors: ErrorCode[];
}

/** Every administrator route answers these before it gets to its own work. */
export const ADMIN_READ: ErrorCode[] = ['unauthorized', 'forbidden'];
/** Administrator writes also need a fresh sign-in and the app's own origin. */
export const ADMIN_WRITE: ErrorCode[] = [
  'unauthorized',
  'forbidden',
  'step_up_required',
  'forbidden_origin',
];
/**
 * A service token is missing, unknown, revoked or expired (401), lacks the scope (403), or too
 * many failed.
 */
export const SERVICE_TOKEN: ErrorCode[] = ['unauthorized', 'forbidden', 'rate_limited'];

/**
 * A manager or delegate route about one unit, mailbox or identity: no live person session
 * (401), or not one of the person's units (404, as if it did not exist).
 */
export const MANAGER_READ: ErrorCode[] = ['unauthorized', 'not_found'];
/** Their writes also refuse a foreign Origin. */
export const MANAGER_WRITE: ErrorCode[] = ['unauthorized', 'forbidden_origin', 'not_found'];
/** A write that decides who gets a password also needs a fresh sign-in (freshSignIn). */
export const MANAGER_FRESH_WRITE: ErrorCode[] = [...MANAGER_WRITE, 'step_up_required'];

/**
 * A write to a router with sameOrigin() and jsonBody(): a foreign Origin (403), a body not
 * declared JSON (415).
 */
export const JSON_WRITE: ErrorCode[] = ['forbidden_origin', 'unsupported_media_type'];
/**
 * The app's own anonymous writes (handovers, people's sign-in and enrolment): a body to
 * validate, a budget per client, same-origin JSON.
 */
export const ANONYMOUS_WRITE: ErrorCode[] = ['invalid_request', 'rate_limited', ...JSON_WRITE];

/** A route behind turnstileGate(): see TURNSTILE_NOTE. */
export const TURNSTILE: ErrorCode[] = [
  'challenge_required',
  'challenge_failed',
  'challenge_unavailable',
];

/** The domain's directory (AD, through the connector) is not connected, or refused the call. */
export const DIRECTORY: ErrorCode[] = ['directory_unavailable', 'directory_refused'];
/**
 * Checking or setting a mailbox's password in the domain: the account may also be locked,
 * disabled or expired there.
 */
export const DIRECTORY_PASSWORD: ErrorCode[] = [
  'account_locked',
  'account_disabled',
  'account_expired',
  ...DIRECTORY,
];

/**
 * A valibot schema as JSON Schema: `input` for what a client sends (defaults optional),
 * `output` for what it receives. Transforms and checks JSON Schema cannot express are left out
 * (errorMode 'ignore') rather than failing the document. Converted here, not by hono-openapi's
 * resolver, so the schemas read exactly as the routes validate them.
 */
export function jsonSchema(s: v.GenericSchema, typeMode: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = toJsonSchema(s, {
    target: 'draft-2020-12',
    typeMode,
    errorMode: 'ignore',
  }) as Record<string, unknown>;
  return rest;
}

interface JsonObjectSchema {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
}

/** A query schema's fields as OpenAPI query parameters, each with its own JSON Schema. */
export function queryParameters(query: v.GenericSchema) {
  const object = jsonSchema(query, 'input') as JsonObjectSchema;
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query' as const,
    required: required.has(name),
    schema,
  }));
}

const ERROR_CONTENT = {
  'application/json': { schema: { $ref: '#/components/schemas/Error' } },
};

/** Error codes grouped by their status, each status described by its codes. */
export function errorResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERRORS[code].status;
    const listed = byStatus.get(status) ?? [];
    if (!listed.includes(code)) byStatus.set(status, [...listed, code]);
  }
  const responses: Record<string, { description: string; content: typeof ERROR_CONTENT }> = {};
  for (const [status, list] of byStatus) {
    responses[String(status)] = {
      description: list.map((code) => `\`${code}\``).join(', '),
      content: ERROR_CONTENT,
    };
  }
  return responses;
}

function security(auth: Auth): Record<string, string[]>[] {
  if (auth === 'public') return [];
  if (auth === 'mailbox') return [{ mailboxSession: [] }];
  if (auth === 'person') return [{ personSession: [] }];
  return [{ serviceToken: [auth.token] }];
}

/** One operation's OpenAPI, for `describeRoute` as the route's first handler. */
export function op(spec: OperationSpec): DescribeRouteOptions {
  const responses: Record<string, unknown> = {};
  for (const s of spec.success) {
    responses[String(s.status)] = {
      description: s.description,
      ...(s.schema
        ? { content: { 'application/json': { schema: jsonSchema(s.schema, 'output') } } }
        : {}),
    };
  }
  Object.assign(responses, errorResponses(...spec.errors));
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    // hono-openapi adds the path parameters to these.
    parameters: spec.query ? queryParameters(spec.query) : [],
    security: security(spec.auth),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
          },
        }
      : {}),
    responses: responses as DescribeRouteOptions['responses'],
  };
}

const DOCUMENTATION = {
  info: {
    title: 'Nyckel API',
    version: '1',
    description:
      "Self-service passwords for shared mailbox accounts. Errors are `{error, message}`; the message follows Accept-Language (sv, en). Writes take `Content-Type: application/json` (415 `unsupported_media_type` otherwise) and refuse a foreign `Origin` (403 `forbidden_origin`); the app's own anonymous routes (handovers, people's sign-in and enrolment) also refuse a write without an Origin.",
  },
  components: {
    schemas: { Error: jsonSchema(ErrorBody, 'output') },
    securitySchemes: {
      mailboxSession: { type: 'apiKey', in: 'cookie', name: '__Host-nyckel_mailbox' },
      personSession: { type: 'apiKey', in: 'cookie', name: '__Host-nyckel_person' },
      serviceToken: {
        type: 'http',
        scheme: 'bearer',
        description:
          'A service token an administrator created (scopes: identities:write, mailboxes:verify)',
      },
    },
  },
} as const;

type Document = Awaited<ReturnType<typeof generateSpecs>>;
interface Parameter {
  in?: string;
}

/** The routes do not change while an isolate lives: the document is generated once. */
let generated: Promise<Document> | undefined;

async function generate<S extends Schema, B extends string>(
  app: Hono<AppEnv, S, B>,
): Promise<Document> {
  const doc = await generateSpecs(app, {
    documentation: structuredClone(DOCUMENTATION) as GenerateSpecOptions['documentation'],
    // `/api/openapi.json` and `/api/admin/audit.csv` are operations, not static files.
    excludeStaticFile: false,
    // Every 400 is listed with its codes by op(); hono-openapi's own shape is not the API's.
    defaultValidationErrorResponse: false,
  });
  // Path parameters first, then the query, as a reader expects them.
  for (const methods of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(methods ?? {})) {
      const parameters = (operation as { parameters?: Parameter[] }).parameters;
      parameters?.sort((a, b) => Number(a.in !== 'path') - Number(b.in !== 'path'));
    }
  }
  return doc;
}

/** The OpenAPI document of `app`, served from `origin`. */
export async function openApiDocument<S extends Schema, B extends string>(
  app: Hono<AppEnv, S, B>,
  origin: string,
) {
  generated ??= generate(app);
  const doc = await generated;
  return { ...doc, servers: [{ url: origin }] };
}
