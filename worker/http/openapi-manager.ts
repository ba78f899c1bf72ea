import * as F from '../routes/fields';
import * as S from '../routes/manager.schemas';
import type { Operation } from './openapi';

/** The manager's and delegate's routes (routes/manager.ts), for /api/openapi.json. */
export const MANAGER_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/manager/overview',
    summary: 'Tasks first, then every unit the person sees with its mailboxes',
    cookie: 'person',
    success: [{ status: 200, schema: S.Overview, description: 'Tasks and units' }],
    errors: ['unauthorized'],
  },
  {
    method: 'get',
    path: '/api/manager/mailboxes/{id}',
    summary: "A mailbox of the person's units and its newest 50 audit entries",
    cookie: 'person',
    success: [{ status: 200, schema: S.MailboxDetail, description: 'Mailbox and history' }],
    errors: ['unauthorized', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/manager/mailboxes/{id}/unlock',
    summary:
      "End the login lockout, and the day's pause on resets by SMS code (`resetsPausedUntil`), without changing the password",
    cookie: 'person',
    body: F.EmptyBody,
    success: [{ status: 204, description: 'Unlocked (also when it was not locked)' }],
    errors: ['invalid_request', 'unauthorized', 'forbidden_origin', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/manager/mailboxes/{id}/password',
    summary:
      'Reset the password on behalf of the staff (typed, or generated and shown once); needs a fresh sign-in',
    cookie: 'person',
    body: S.ResetOnBehalf,
    success: [
      {
        status: 200,
        schema: S.ResetOnBehalfResult,
        description: "Set; the mailbox's sessions ended and the unit's managers told by e-mail",
      },
    ],
    errors: [
      'invalid_request',
      'unauthorized',
      'forbidden_origin',
      'step_up_required',
      'not_found',
      'conflict',
      'policy',
    ],
  },
  {
    method: 'get',
    path: '/api/manager/units/{id}',
    summary: 'A unit of the person and its managers and delegates',
    cookie: 'person',
    success: [{ status: 200, schema: S.UnitDetail, description: 'Unit and people' }],
    errors: ['unauthorized', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/manager/units/{id}/delegates',
    summary:
      'Make a person a delegate of the unit (invited by e-mail if they cannot sign in yet); managers and administrators; needs a fresh sign-in',
    cookie: 'person',
    body: S.DelegateAdd,
    success: [{ status: 201, schema: S.UnitPerson, description: 'The delegate' }],
    errors: [
      'invalid_request',
      'unauthorized',
      'forbidden_origin',
      'forbidden',
      'step_up_required',
      'not_found',
      'conflict',
    ],
  },
  {
    method: 'delete',
    path: '/api/manager/units/{id}/delegates/{personId}',
    summary: 'Remove a delegate of the unit; their sessions end at once; needs a fresh sign-in',
    cookie: 'person',
    success: [{ status: 204, description: 'Removed' }],
    errors: ['unauthorized', 'forbidden_origin', 'forbidden', 'step_up_required', 'not_found'],
  },
  {
    method: 'get',
    path: '/api/manager/units/{id}/audit',
    summary: "The unit's audit trail, newest first (query: before = cursor, limit = 1–100)",
    cookie: 'person',
    success: [{ status: 200, schema: F.AuditPage, description: 'A page of entries' }],
    errors: ['invalid_request', 'unauthorized', 'not_found'],
  },
];
