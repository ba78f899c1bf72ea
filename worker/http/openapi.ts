import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ERRORS, type ErrorCode } from '../domain/messages';
import * as Dev from '../routes/dev.schemas';
import * as F from '../routes/fields';
import * as Mailbox from '../routes/mailbox.schemas';
import * as Meta from '../routes/meta.schemas';
import * as Resets from '../routes/resets.schemas';
import { ADMIN_OPERATIONS } from './openapi-admin';
import { HANDOVER_OPERATIONS } from './openapi-handovers';
import { IDENTITY_OPERATIONS } from './openapi-identities';
import { MANAGER_OPERATIONS } from './openapi-manager';
import { PEOPLE_AUTH_OPERATIONS } from './openapi-people-auth';
import { ROUTINE_OPERATIONS } from './openapi-routine';
import { TURNSTILE_NOTE } from './turnstile';

/**
 * OpenAPI 3.1 for API v1, generated from the same valibot schemas the routes validate with.
 * A test compares this list with the routes the app really registers.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  /** The longer rules, where a summary cannot hold them. */
  description?: string;
  /** Which session cookie the operation needs: the mailbox's own (true) or a person's. */
  cookie?: boolean | 'person';
  /** A service token with this scope (`Authorization: Bearer`), for other systems. */
  token?: string;
  body?: v.GenericSchema;
  success: { status: number; schema?: v.GenericSchema; description: string }[];
  errors: ErrorCode[];
}

/** What the reset operations say about the daily cap on wrong codes. */
const DAILY_CODE_CAP_NOTE =
  "Wrong codes count per username typed at the start (known or not) and Swedish calendar day, over all its resets (RESET_FAILED_CODES_PER_DAY, 15). Once they are spent, starting, resending and entering a code for that username answer 429 `reset_blocked_today` (the code is not checked) with `retryAfter` and `Retry-After` in seconds until the next midnight, Stockholm time, alike for every username; a manager's unlock or new password for the mailbox ends it.";

const MAILBOX_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/health',
    summary:
      'Liveness, and the directory: `local` (no mailbox uses the domain), `connected` (a connector is there now) or `offline`',
    success: [{ status: 200, schema: Meta.Health, description: 'Up' }],
    errors: [],
  },
  {
    method: 'get',
    path: '/api/connector',
    summary:
      "The directory connector's WebSocket (Upgrade: websocket). The hub sends a nonce; the connector signs it with its registered Ed25519 key, then receives jobs (protocol in worker/domain/directory-protocol.ts)",
    success: [{ status: 101, description: 'Switching protocols' }],
    errors: ['upgrade_required', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/api/network',
    summary: 'Is the caller on a configured internal network',
    success: [{ status: 200, schema: Meta.NetworkStatus, description: 'Network status' }],
    errors: [],
  },
  {
    method: 'get',
    path: '/api/policy',
    summary: 'The password policy in force',
    success: [{ status: 200, schema: F.PolicyView, description: 'Policy' }],
    errors: [],
  },
  {
    method: 'get',
    path: '/api/info',
    summary:
      'Organisation name, the support channels as the organisation wrote them (only `tel` is a number to dial), whether this is a development deployment, and whether sign-in with a SITHS card is on',
    success: [{ status: 200, schema: Meta.Info, description: 'Public configuration' }],
    errors: [],
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    success: [{ status: 200, description: 'OpenAPI 3.1 document' }],
    errors: [],
  },
  {
    method: 'post',
    path: '/api/mailbox/session',
    summary: "Log in with the mailbox's own username and current password",
    description: TURNSTILE_NOTE,
    body: Mailbox.SessionStart,
    success: [
      {
        status: 200,
        schema: Mailbox.MailboxView,
        description: 'Mailbox view; sets the session cookie',
      },
    ],
    errors: [
      'invalid_request',
      'invalid_credentials',
      'forbidden_origin',
      'locked',
      'rate_limited',
      'unsupported_media_type',
      'challenge_required',
      'challenge_failed',
      'challenge_unavailable',
    ],
  },
  {
    method: 'get',
    path: '/api/mailbox',
    summary: 'The logged-in mailbox',
    cookie: true,
    success: [{ status: 200, schema: Mailbox.MailboxView, description: 'Mailbox view' }],
    errors: ['unauthorized'],
  },
  {
    method: 'put',
    path: '/api/mailbox/phone',
    summary: 'Ask to register a mobile number: a code goes to the new number',
    description:
      'Only mobile numbers of the countries in SMS_COUNTRIES (by default SE, NO, DK, FI) are accepted; another is 400 `invalid_phone` with `reason: "country"`, `allowedCountries` and a message naming them. The same holds for staff and people numbers.',
    cookie: true,
    body: Mailbox.PhoneUpdate,
    success: [
      { status: 202, schema: Mailbox.Challenge, description: 'Code sent to the new number' },
      { status: 200, schema: Mailbox.PhoneSaved, description: 'Already the registered number' },
    ],
    errors: [
      'invalid_request',
      'invalid_phone',
      'unauthorized',
      'password_change_required',
      'internal_network',
      'forbidden_origin',
      'rate_limited',
      'sms_unavailable',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/mailbox/phone/verify',
    summary: 'Confirm the new number with the code sent to it; saves it',
    cookie: true,
    body: F.CodeEntry,
    success: [{ status: 200, schema: Mailbox.PhoneSaved, description: 'Saved (E.164)' }],
    errors: [
      'invalid_request',
      'invalid_code',
      'expired',
      'locked',
      'unauthorized',
      'password_change_required',
      'internal_network',
      'forbidden_origin',
      'retry_later',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/mailbox/password',
    summary: 'Change the password with the current one',
    cookie: true,
    body: Mailbox.PasswordChange,
    success: [{ status: 204, description: 'Changed' }],
    errors: [
      'invalid_request',
      'invalid_credentials',
      'unauthorized',
      'policy',
      'locked',
      'forbidden_origin',
      'account_locked',
      'directory_unavailable',
      'directory_refused',
      'unsupported_media_type',
    ],
  },
  {
    method: 'delete',
    path: '/api/mailbox/session',
    summary: 'Log out (revokes the session)',
    cookie: true,
    success: [{ status: 204, description: 'Logged out' }],
    errors: ['forbidden_origin'],
  },
  {
    method: 'post',
    path: '/api/resets',
    summary: 'Start a reset: an SMS code goes to the registered number, if there is one',
    description: `${DAILY_CODE_CAP_NOTE} ${TURNSTILE_NOTE}`,
    body: Resets.ResetStart,
    success: [
      {
        status: 202,
        schema: Resets.ResetStarted,
        description: 'Same shape and timing whether or not the username exists or has a phone',
      },
    ],
    errors: [
      'invalid_request',
      'rate_limited',
      'reset_blocked_today',
      'forbidden_origin',
      'unsupported_media_type',
      'challenge_required',
      'challenge_failed',
      'challenge_unavailable',
    ],
  },
  {
    method: 'post',
    path: '/api/resets/{id}/resend',
    summary: 'Send the same code again (after 3 minutes)',
    description: DAILY_CODE_CAP_NOTE,
    success: [{ status: 202, schema: Resets.Resent, description: 'Resent' }],
    errors: [
      'rate_limited',
      'reset_blocked_today',
      'expired',
      'retry_later',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/resets/{id}/code',
    summary: 'Enter the code; answers with a short-lived token',
    description: DAILY_CODE_CAP_NOTE,
    body: F.CodeEntry,
    success: [{ status: 200, schema: Resets.ResetToken, description: 'Verified' }],
    errors: [
      'invalid_request',
      'invalid_code',
      'expired',
      'locked',
      'reset_blocked_today',
      'retry_later',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/resets/{id}/password',
    summary: 'Set the new password with the token',
    body: Resets.ResetPassword,
    success: [{ status: 204, description: 'Password set; every session of the mailbox ended' }],
    errors: [
      'invalid_request',
      'policy',
      'expired',
      'invalid_token',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'get',
    path: '/api/dev/outbox',
    summary: 'Development only: SMS and mail the outbox "sent", newest first',
    success: [{ status: 200, schema: Dev.OutboxList, description: 'Outbox' }],
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/dev/rotation',
    summary: 'Development only: run the daily rotation reminders now',
    success: [{ status: 200, schema: Dev.RotationRun, description: 'What the run did' }],
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/dev/directory-sync',
    summary:
      'Development only: run the five-minute new-hire sync now (start-date writes to the domain, first-login check)',
    success: [{ status: 200, schema: Dev.DirectorySyncRun, description: 'What the run did' }],
    errors: ['not_found'],
  },
];

/** Every operation of API v1; each area keeps its own list next to its routes. */
export const OPERATIONS: Operation[] = [
  ...MAILBOX_OPERATIONS,
  ...PEOPLE_AUTH_OPERATIONS,
  ...MANAGER_OPERATIONS,
  ...ADMIN_OPERATIONS,
  ...IDENTITY_OPERATIONS,
  ...HANDOVER_OPERATIONS,
  ...ROUTINE_OPERATIONS,
];

function schema(s: v.GenericSchema, typeMode: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = toJsonSchema(s, {
    target: 'draft-2020-12',
    typeMode,
    errorMode: 'ignore',
  }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(origin: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {};
    for (const s of op.success) {
      responses[String(s.status)] = {
        description: s.description,
        ...(s.schema
          ? { content: { 'application/json': { schema: schema(s.schema, 'output') } } }
          : {}),
      };
    }
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of op.errors) {
      const status = ERRORS[code].status;
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, codes] of byStatus) {
      responses[String(status)] = {
        description: codes.map((code) => `\`${code}\``).join(', '),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        parameters,
        ...(op.cookie === true ? { security: [{ mailboxSession: [] }] } : {}),
        ...(op.cookie === 'person' ? { security: [{ personSession: [] }] } : {}),
        ...(op.token ? { security: [{ serviceToken: [op.token] }] } : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: schema(op.body, 'input') } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nyckel API',
      version: '1',
      description:
        "Self-service passwords for shared mailbox accounts. Errors are `{error, message}`; the message follows Accept-Language (sv, en). Writes take `Content-Type: application/json` (415 `unsupported_media_type` otherwise) and refuse a foreign `Origin` (403 `forbidden_origin`); the app's own anonymous routes (handovers, people's sign-in and enrolment) also refuse a write without an Origin.",
    },
    servers: [{ url: origin }],
    paths,
    components: {
      schemas: { Error: schema(F.ErrorBody, 'output') },
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
  };
}
