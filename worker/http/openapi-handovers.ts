import { EmptyBody } from '../routes/fields';
import * as S from '../routes/handovers.schemas';
import type { Operation } from './openapi';

/** Staff lists and password handovers (routes/manager.ts, routes/handovers.ts). */
export const HANDOVER_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/manager/units/{id}/staff',
    summary:
      "The unit's staff (name and masked mobile number); managers, delegates, administrators",
    cookie: 'person',
    success: [{ status: 200, schema: S.StaffList, description: 'Staff, by name' }],
    errors: ['unauthorized', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/manager/units/{id}/staff',
    summary:
      'Add a staff member (mobile number parsed like a mailbox number); needs a fresh sign-in',
    cookie: 'person',
    body: S.StaffAdd,
    success: [{ status: 201, schema: S.StaffMember, description: 'Added' }],
    errors: [
      'invalid_request',
      'invalid_phone',
      'unauthorized',
      'forbidden_origin',
      'step_up_required',
      'not_found',
      'conflict',
    ],
  },
  {
    method: 'patch',
    path: '/api/manager/units/{id}/staff/{staffId}',
    summary:
      "Change a staff member's name or number (a new number revokes their unopened links); needs a fresh sign-in",
    cookie: 'person',
    body: S.StaffUpdate,
    success: [{ status: 200, schema: S.StaffMember, description: 'Changed' }],
    errors: [
      'invalid_request',
      'invalid_phone',
      'unauthorized',
      'forbidden_origin',
      'step_up_required',
      'not_found',
      'conflict',
    ],
  },
  {
    method: 'delete',
    path: '/api/manager/units/{id}/staff/{staffId}',
    summary: 'Remove a staff member; their unopened links are revoked at once',
    cookie: 'person',
    success: [{ status: 204, description: 'Removed' }],
    errors: ['unauthorized', 'forbidden_origin', 'not_found'],
  },
  {
    method: 'get',
    path: '/api/manager/mailboxes/{id}/handovers',
    summary: "The mailbox's newest password handovers, per recipient: sent, viewed, expired",
    cookie: 'person',
    success: [{ status: 200, schema: S.HandoverList, description: 'Handovers, newest first' }],
    errors: ['unauthorized', 'not_found'],
  },
  {
    method: 'post',
    path: '/api/manager/mailboxes/{id}/handovers',
    summary:
      'Share the password the caller just set (shareOfferId) with staff: one single-view SMS link each, valid 24 hours; needs a fresh sign-in',
    cookie: 'person',
    body: S.HandoverShare,
    success: [
      {
        status: 201,
        schema: S.Handover,
        description: "Shared; per recipient 'queued' or 'refused' (SMS budget, with retryAfter)",
      },
    ],
    errors: [
      'invalid_request',
      'unauthorized',
      'forbidden_origin',
      'step_up_required',
      'not_found',
      'share_unavailable',
    ],
  },
  {
    method: 'post',
    path: '/api/manager/mailboxes/{id}/handovers/{handoverId}/links/{linkId}/resend',
    summary:
      'A fresh link to one recipient (the old link is revoked) while the password still exists; needs a fresh sign-in',
    cookie: 'person',
    body: EmptyBody,
    success: [{ status: 200, schema: S.HandoverRecipient, description: 'The new link' }],
    errors: [
      'invalid_request',
      'unauthorized',
      'forbidden_origin',
      'step_up_required',
      'not_found',
      'conflict',
      'share_unavailable',
      'rate_limited',
    ],
  },
  {
    method: 'post',
    path: '/api/handovers/peek',
    summary:
      'Whose password a handover link is for and its state (the token is in the link fragment, sent in the body); spends nothing',
    body: S.LinkToken,
    success: [{ status: 200, schema: S.HandoverPeek, description: 'The link' }],
    errors: [
      'invalid_request',
      'handover_invalid',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/handovers/reveal',
    summary: 'The password, exactly once per link; later calls get 410 with state and viewedAt',
    body: S.LinkToken,
    success: [{ status: 200, schema: S.HandoverReveal, description: 'The password' }],
    errors: [
      'invalid_request',
      'handover_invalid',
      'handover_spent',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'get',
    path: '/api/mailbox/staff',
    summary:
      "The staff of the mailbox's unit, to pick who gets the new password (names, masked numbers)",
    cookie: true,
    success: [{ status: 200, schema: S.StaffChoices, description: 'Staff, by name' }],
    errors: ['unauthorized'],
  },
  {
    method: 'post',
    path: '/api/mailbox/handovers',
    summary:
      'Share the password this session just set (POST /api/mailbox/password, within 15 minutes) with staff: one single-view SMS link each',
    cookie: true,
    body: S.MailboxShare,
    success: [{ status: 201, schema: S.Handover, description: 'Shared (per recipient as above)' }],
    errors: [
      'invalid_request',
      'unauthorized',
      'forbidden_origin',
      'share_unavailable',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/resets/{id}/staff',
    summary:
      "After a completed reset: the staff of the mailbox's unit (names, masked numbers); the reset's token proves who completed it",
    body: S.ResetStaffLookup,
    success: [{ status: 200, schema: S.StaffChoices, description: 'Staff, by name' }],
    errors: ['invalid_request', 'invalid_token', 'forbidden_origin', 'unsupported_media_type'],
  },
  {
    method: 'post',
    path: '/api/resets/{id}/handovers',
    summary:
      'After a completed reset (within 15 minutes): share the new password with staff, with the same token',
    body: S.ResetShare,
    success: [{ status: 201, schema: S.Handover, description: 'Shared (per recipient as above)' }],
    errors: [
      'invalid_request',
      'invalid_token',
      'share_unavailable',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
];
