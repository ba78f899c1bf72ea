import type { ErrorCode } from '../domain/messages';
import * as I from '../routes/identities.schemas';
import type { Operation } from './openapi';

/**
 * A service token is missing, unknown, revoked or expired (401), lacks the scope (403), or too
 * many failed.
 */
const TOKEN: ErrorCode[] = ['unauthorized', 'forbidden', 'rate_limited'];
const ADMIN_READ: ErrorCode[] = ['unauthorized', 'forbidden'];
const ADMIN_WRITE: ErrorCode[] = [
  'unauthorized',
  'forbidden',
  'step_up_required',
  'forbidden_origin',
];

/** Identities, initial passwords and the integration API, for /api/openapi.json. */
export const IDENTITY_OPERATIONS: Operation[] = [
  {
    method: 'put',
    path: '/api/integration/identities/{userId}',
    summary:
      'Create or update one identity (idempotent); starts an initial password for a new hire or a re-hire after ended and inactive',
    description:
      'A new hire is `new`, or `active` with a start date of today or later: an initial password is made and the unit is e-mailed. ' +
      'Someone reported for the first time as `active` with a start date in the past is existing staff (a first import of the whole organisation): recorded, with no initial password and no e-mail. ' +
      'An identity that was `ended` and then `inactive` and comes back as `new` or `active` gets a new one. ' +
      'Going to `ended` or `inactive` before the first login deletes the initial password (fetching it then answers 410); ' +
      'if Nyckel had already set it in the domain, the account itself is left to the IdM system. ' +
      'With NEW_HIRE_PASSWORDS=ad the password is set in the domain on the start date, with "must change at next logon", and the first login is seen there.',
    token: 'identities:write',
    body: I.IdentityBody,
    success: [
      { status: 200, schema: I.UpsertResult, description: 'Updated, or unchanged' },
      { status: 201, schema: I.UpsertResult, description: 'Created' },
    ],
    errors: [...TOKEN, 'invalid_request', 'conflict', 'payload_too_large'],
  },
  {
    method: 'post',
    path: '/api/integration/identities',
    summary:
      'The batch form: up to 50 identities (the edge allows 1,000 D1 queries per invocation), each answered with the status the PUT would give',
    token: 'identities:write',
    body: I.IdentityBatch,
    success: [{ status: 200, schema: I.BatchResult, description: 'One result per identity' }],
    errors: [...TOKEN, 'invalid_request', 'payload_too_large'],
  },
  {
    method: 'post',
    path: '/api/integration/identities/{userId}/first-login',
    summary:
      'The person logged in for the first time: the initial password is deleted (idempotent)',
    token: 'identities:write',
    success: [{ status: 200, schema: I.FirstLoginResult, description: 'Recorded' }],
    errors: [...TOKEN, 'invalid_request', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/integration/mailboxes/verify',
    summary: "Check a mailbox's username and password; throttled and locked out like a login",
    token: 'mailboxes:verify',
    body: I.CredentialCheck,
    success: [{ status: 200, schema: I.CredentialResult, description: 'Whether they are right' }],
    errors: [...TOKEN, 'invalid_request', 'locked'],
  },
  {
    method: 'get',
    path: '/api/manager/identities',
    summary: "The person's units' identities with an initial password to fetch (due=true)",
    cookie: 'person',
    success: [{ status: 200, schema: I.IdentityList, description: 'Identities' }],
    errors: ['unauthorized', 'invalid_request'],
  },
  {
    method: 'post',
    path: '/api/manager/identities/search',
    summary:
      "Search the person's units (q: user id prefix; a whole personnummer, or its start from the birth date, YYYYMMDD or YYMMDD, with or without more digits; HSA-id prefix; or name, word prefixes in either order; at most 10). A POST so a personnummer never is in an address (request logs)",
    description:
      'Searches by personnummer, whole or from the birth date on, share a budget of 20 an hour per person (then 429 `rate_limited` with Retry-After), and each is audited as `identity.search_pnr` with the masked forms only. Answers show the number masked to year and month (`198506••-••••`).',
    cookie: 'person',
    body: I.IdentitySearch,
    success: [{ status: 200, schema: I.IdentityList, description: 'Identities' }],
    errors: ['unauthorized', 'invalid_request', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/api/manager/identities/{id}',
    summary: 'An identity of the person’s units and the state of its initial password',
    cookie: 'person',
    success: [{ status: 200, schema: I.IdentityDetail, description: 'The identity' }],
    errors: ['unauthorized', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/manager/identities/{id}/initial-password',
    summary:
      'Fetch the initial password (the same every time; audited); 410 after the first login or once the employment ended before it',
    cookie: 'person',
    success: [{ status: 200, schema: I.FetchedPassword, description: 'The password' }],
    errors: [
      'unauthorized',
      'not_found',
      'step_up_required',
      'forbidden_origin',
      'initial_password_used',
      'initial_password_withdrawn',
    ],
  },
  {
    method: 'post',
    path: '/api/admin/identities/preview',
    summary: 'Check a CSV file of hires row by row; writes nothing',
    cookie: 'person',
    body: I.IdentityImport,
    success: [{ status: 200, schema: I.ImportResult, description: 'Every row with its problems' }],
    errors: [...ADMIN_READ, 'forbidden_origin', 'invalid_request', 'payload_too_large'],
  },
  {
    method: 'post',
    path: '/api/admin/identities/import',
    summary:
      'Import every valid row of one part of a CSV file of hires (50 rows from `from`; send again with `next` until it is null); rows with problems are listed',
    cookie: 'person',
    body: I.IdentityImportPart,
    success: [{ status: 200, schema: I.ImportResult, description: 'Every row with its outcome' }],
    errors: [...ADMIN_WRITE, 'invalid_request', 'payload_too_large'],
  },
  {
    method: 'get',
    path: '/api/admin/service-tokens',
    summary:
      'Service tokens of other systems (never the token itself); those expiring within 30 days first, flagged `expiresSoon`',
    cookie: 'person',
    success: [{ status: 200, schema: I.ServiceTokenList, description: 'Tokens' }],
    errors: ADMIN_READ,
  },
  {
    method: 'post',
    path: '/api/admin/service-tokens',
    summary:
      'Create a service token, optionally with `expiresAt` (at most two years away; after it the token is refused like a revoked one); the answer is the only time the token is shown',
    cookie: 'person',
    body: I.ServiceTokenCreate,
    success: [{ status: 201, schema: I.CreatedServiceToken, description: 'The token, once' }],
    errors: [...ADMIN_WRITE, 'invalid_request'],
  },
  {
    method: 'delete',
    path: '/api/admin/service-tokens/{id}',
    summary: 'Revoke a service token at once',
    cookie: 'person',
    success: [{ status: 204, description: 'Revoked' }],
    errors: [...ADMIN_WRITE, 'not_found'],
  },
];
