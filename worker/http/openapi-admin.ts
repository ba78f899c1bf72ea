import * as v from 'valibot';
import type { ErrorCode } from '../domain/messages';
import * as A from '../routes/admin.schemas';
import * as D from '../routes/directory.schemas';
import * as F from '../routes/fields';
import * as W from '../routes/webhook.schemas';
import type { Operation } from './openapi';

/** Every administrator route answers these before it gets to its own work. */
const READ: ErrorCode[] = ['unauthorized', 'forbidden'];
/** Writes also need a fresh sign-in and the app's own origin. */
const WRITE: ErrorCode[] = ['unauthorized', 'forbidden', 'step_up_required', 'forbidden_origin'];

/** The administrator's routes (routes/admin.ts), for /api/openapi.json. */
export const ADMIN_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/overview',
    summary:
      "What the overview warns of: `resetAlert` when more reset starts than RESET_ALERT_PER_HOUR came in over the last hour, or the resets' share of today's SMS is spent; null when all is normal",
    cookie: 'person',
    success: [{ status: 200, schema: A.AdminOverview, description: 'The overview' }],
    errors: READ,
  },
  {
    method: 'get',
    path: '/api/admin/units',
    summary: 'Every unit with its mailbox count (disabled ones included) and its managers',
    cookie: 'person',
    success: [{ status: 200, schema: A.AdminUnitList, description: 'Units, by name' }],
    errors: READ,
  },
  {
    method: 'post',
    path: '/api/admin/units',
    summary: 'Create a unit (409 if another unit has the name, in any letter case)',
    cookie: 'person',
    body: A.UnitWrite,
    success: [{ status: 201, schema: A.UnitView, description: 'Created' }],
    errors: [...WRITE, 'invalid_request', 'conflict'],
  },
  {
    method: 'patch',
    path: '/api/admin/units/{id}',
    summary: 'Rename a unit',
    cookie: 'person',
    body: A.UnitWrite,
    success: [{ status: 200, schema: A.UnitView, description: 'Renamed' }],
    errors: [...WRITE, 'invalid_request', 'not_found', 'conflict'],
  },
  {
    method: 'get',
    path: '/api/admin/mailboxes',
    summary: 'Mailboxes of every unit, disabled ones too; `?unitId=` for one unit (404 if unknown)',
    cookie: 'person',
    success: [
      {
        status: 200,
        schema: v.array(F.MailboxSummaryWithUnit),
        description: 'MailboxSummary[] with unitName',
      },
    ],
    errors: [...READ, 'invalid_request', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/admin/mailboxes',
    summary:
      'Create a mailbox with an initial password: typed (policy, 422) or generated and returned once. An unknown unitId is 400 invalid_request; a taken username 409',
    cookie: 'person',
    body: A.MailboxCreate,
    success: [{ status: 201, schema: A.MailboxCreated, description: 'Created' }],
    errors: [...WRITE, 'invalid_request', 'policy', 'conflict'],
  },
  {
    method: 'patch',
    path: '/api/admin/mailboxes/{id}',
    summary:
      'Rename, move (unknown unitId: 400 invalid_request) or disable/enable a mailbox; disabling ends its sessions',
    cookie: 'person',
    body: A.MailboxUpdate,
    success: [{ status: 200, schema: F.MailboxSummaryWithUnit, description: 'The mailbox now' }],
    errors: [...WRITE, 'invalid_request', 'not_found'],
  },
  {
    method: 'get',
    path: '/api/admin/people',
    summary: 'Everyone, with roles, whether they can sign in and whether an invite is open',
    cookie: 'person',
    success: [{ status: 200, schema: A.AdminPersonList, description: 'People, by name' }],
    errors: READ,
  },
  {
    method: 'post',
    path: '/api/admin/people',
    summary: 'Add a person (e-mail and HSA-id unique: 409). No invite is sent',
    cookie: 'person',
    body: A.PersonCreate,
    success: [{ status: 201, schema: A.AdminPerson, description: 'Created' }],
    errors: [...WRITE, 'invalid_request', 'invalid_phone', 'conflict'],
  },
  {
    method: 'get',
    path: '/api/admin/people/{id}',
    summary:
      'One person as the list shows them, and until when their sign-in with a code is locked (from any network; null if not)',
    cookie: 'person',
    success: [{ status: 200, schema: A.AdminPersonDetail, description: 'The person' }],
    errors: [...READ, 'not_found'],
  },
  {
    method: 'patch',
    path: '/api/admin/people/{id}',
    summary:
      'Change a person; disabling ends their sessions and invites. Not your own admin flag or account (409)',
    cookie: 'person',
    body: A.PersonUpdate,
    success: [{ status: 200, schema: A.AdminPerson, description: 'The person now' }],
    errors: [...WRITE, 'invalid_request', 'invalid_phone', 'not_found', 'conflict'],
  },
  {
    method: 'put',
    path: '/api/admin/people/{id}/roles/{unitId}',
    summary: 'Make the person manager or delegate of the unit',
    cookie: 'person',
    body: A.RoleWrite,
    success: [{ status: 204, description: 'Set' }],
    errors: [...WRITE, 'invalid_request', 'not_found'],
  },
  {
    method: 'delete',
    path: '/api/admin/people/{id}/roles/{unitId}',
    summary: "Remove the person's role in the unit (404 if none); their sessions end",
    cookie: 'person',
    success: [{ status: 204, description: 'Removed' }],
    errors: [...WRITE, 'not_found'],
  },
  {
    method: 'post',
    path: '/api/admin/people/{id}/invite',
    summary:
      'E-mail a new enrolment invite (earlier ones end); the link is never in the answer. 409 for a disabled person',
    cookie: 'person',
    body: A.InviteRequest,
    success: [{ status: 202, schema: A.InviteSent, description: 'Invite e-mailed' }],
    errors: [...WRITE, 'invalid_request', 'not_found', 'conflict'],
  },
  {
    method: 'post',
    path: '/api/admin/people/{id}/unlock',
    summary:
      "End every lock and failure count of the person's sign-in with a code, from every network",
    description:
      'Needs a fresh sign-in. Idempotent: the audit entry `person.unlock` is written also when nothing was locked, with `wasLocked`. The lock follows the e-mail the person has now.',
    cookie: 'person',
    body: F.EmptyBody,
    success: [{ status: 204, description: 'Unlocked (also when it was not locked)' }],
    errors: [...WRITE, 'invalid_request', 'not_found'],
  },
  {
    method: 'get',
    path: '/api/admin/networks',
    summary: 'The internal-network list in force, its source, and the default (wrangler var)',
    cookie: 'person',
    success: [{ status: 200, schema: A.NetworkSettingsView, description: 'Networks' }],
    errors: READ,
  },
  {
    method: 'put',
    path: '/api/admin/networks',
    summary:
      'Replace the internal-network list (at most 100 CIDR entries); a bad entry is 400 invalid_request with `entry`',
    cookie: 'person',
    body: A.NetworksWrite,
    success: [{ status: 200, schema: A.NetworkSettingsView, description: 'In force now' }],
    errors: [...WRITE, 'invalid_request'],
  },
  {
    method: 'delete',
    path: '/api/admin/networks',
    summary: 'Go back to the default list (the wrangler var)',
    cookie: 'person',
    success: [{ status: 200, schema: A.NetworkSettingsView, description: 'In force now' }],
    errors: WRITE,
  },
  {
    method: 'get',
    path: '/api/admin/audit',
    summary:
      'The audit log, newest first: ?from=&to= (date = whole UTC day, or time), actor, action (also its family), unitId, outcome, before (cursor), limit (1–100)',
    cookie: 'person',
    success: [{ status: 200, schema: F.AuditPage, description: 'A page and the next cursor' }],
    errors: [...READ, 'invalid_request'],
  },
  {
    method: 'get',
    path: '/api/admin/audit.csv',
    summary:
      'The same filters as CSV for Excel: UTF-8 with BOM, `;`, CRLF, newest 10,000 rows (header Nyckel-Export-Truncated when cut); cells starting with = + - @ are prefixed with an apostrophe',
    cookie: 'person',
    success: [{ status: 200, description: 'text/csv; charset=utf-8, as an attachment' }],
    errors: [...READ, 'invalid_request'],
  },
  {
    method: 'get',
    path: '/api/admin/webhook',
    summary:
      'The signed webhook to a directory connector: URL in force, writeback mode, key thumbprint, whether it can send, counts and the 20 newest events (never a payload)',
    cookie: 'person',
    success: [{ status: 200, schema: W.WebhookView, description: 'Webhook settings and status' }],
    errors: READ,
  },
  {
    method: 'put',
    path: '/api/admin/webhook',
    summary:
      'Set the receiver (https; null = WEBHOOK_URL, "" = off), writeback mode and the RSA public JWK (≥ 2048 bits) new passwords are encrypted to; writeback without a key is 400',
    description:
      'Needs a fresh sign-in. The audit entry `webhook.update` shows the receiver (origin and path), writeback and the key thumbprint before and after; a change is e-mailed to every other administrator.',
    cookie: 'person',
    body: W.WebhookWrite,
    success: [{ status: 200, schema: W.WebhookView, description: 'In force now' }],
    errors: [...WRITE, 'invalid_request'],
  },
  {
    method: 'post',
    path: '/api/admin/webhook/test',
    summary:
      "Send a signed `ping` event now (not stored, not retried) and report the receiver's answer",
    cookie: 'person',
    body: W.WebhookTestRequest,
    success: [{ status: 200, schema: W.WebhookTestResult, description: 'What the receiver said' }],
    errors: [...WRITE, 'invalid_request'],
  },
  {
    method: 'get',
    path: '/api/admin/directory',
    summary:
      "The directory: local, connected or offline; each connector (connected since, version, domain controller, last job); the domain's policy from the last health job; the 20 newest errors",
    cookie: 'person',
    success: [{ status: 200, schema: D.DirectoryView, description: 'Connectors and their state' }],
    errors: READ,
  },
  {
    method: 'post',
    path: '/api/admin/directory/connectors',
    summary:
      'Register a connector by the public keys `npm run connector:keys` printed (Ed25519 to sign its nonce, RSA ≥ 2048 bits for the passwords in its jobs); its id is the thumbprint of the signing key',
    cookie: 'person',
    body: D.ConnectorRegister,
    success: [{ status: 201, description: '{ id, name }' }],
    errors: [...WRITE, 'invalid_request', 'conflict'],
  },
  {
    method: 'delete',
    path: '/api/admin/directory/connectors/{id}',
    summary: 'Revoke a connector: it can no longer connect, and its open connection is closed',
    cookie: 'person',
    success: [{ status: 204, description: 'Revoked' }],
    errors: [...WRITE, 'not_found'],
  },
  {
    method: 'post',
    path: '/api/admin/directory/accounts/search',
    summary: "Find a domain account by username, inside the connector's OUs only",
    cookie: 'person',
    body: D.AccountSearch,
    success: [{ status: 200, schema: D.AccountFound, description: 'The account, or null' }],
    errors: [...WRITE, 'invalid_request', 'directory_unavailable', 'directory_refused'],
  },
  {
    method: 'post',
    path: '/api/admin/directory/accounts/list',
    summary: "The accounts of one of the connector's OUs (or all of them)",
    cookie: 'person',
    body: D.AccountList,
    success: [{ status: 200, schema: D.AccountsListed, description: 'The accounts' }],
    errors: [...WRITE, 'invalid_request', 'directory_unavailable', 'directory_refused'],
  },
  {
    method: 'post',
    path: '/api/admin/directory/import',
    summary:
      "Create a unit's mailboxes from the accounts of an OU, in `ad` mode (at most 200 a request; linked, disabled and taken names are skipped and listed; run again for the rest)",
    cookie: 'person',
    body: D.DirectoryImport,
    success: [{ status: 200, schema: D.ImportResult, description: 'Created and skipped' }],
    errors: [...WRITE, 'invalid_request', 'conflict', 'directory_unavailable', 'directory_refused'],
  },
  {
    method: 'put',
    path: '/api/admin/mailboxes/{id}/directory',
    summary:
      'Link a mailbox to a domain account (objectGUID becomes its anchor; the domain holds its password from now on, and its sessions end). With a password, it is set in the domain first',
    cookie: 'person',
    body: D.MailboxLink,
    success: [{ status: 200, description: '{ id, mode: "ad", account }' }],
    errors: [
      ...WRITE,
      'invalid_request',
      'not_found',
      'conflict',
      'policy',
      'directory_unavailable',
      'directory_refused',
    ],
  },
];
