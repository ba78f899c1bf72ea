import * as S from '../routes/people-auth.schemas';
import type { Operation } from './openapi';
import { TURNSTILE_NOTE } from './turnstile';

/** Sign-in and enrolment of people (routes/people-auth.ts), for /api/openapi.json. */
export const PEOPLE_AUTH_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/people/invite',
    summary: 'Whose invite a link carries (the token is in the link fragment, sent in the body)',
    body: S.InviteLookup,
    success: [{ status: 200, schema: S.InviteView, description: 'The invited person' }],
    errors: [
      'invalid_request',
      'invite_invalid',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/people/enrol/passkey/options',
    summary: 'Passkey creation options for an invite (challenge valid 5 minutes, single use)',
    body: S.InviteLookup,
    success: [{ status: 200, schema: S.PasskeyCreation, description: 'Creation options' }],
    errors: [
      'invalid_request',
      'invite_invalid',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/people/enrol/passkey',
    summary:
      'Register the passkey: uses the invite, replaces earlier passkeys and TOTP, ends earlier sessions, signs in',
    body: S.EnrolPasskey,
    success: [
      { status: 200, schema: S.PersonView, description: 'Signed in; sets the person cookie' },
    ],
    errors: [
      'invalid_request',
      'sign_in_failed',
      'invite_invalid',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/people/enrol/totp/options',
    summary: 'A TOTP secret for an authenticator app: text, otpauth:// URI and QR code (SVG)',
    body: S.InviteLookup,
    success: [{ status: 200, schema: S.TotpEnrolment, description: 'The secret to add' }],
    errors: [
      'invalid_request',
      'invite_invalid',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/people/enrol/totp',
    summary:
      'Confirm the TOTP secret with a code: uses the invite, replaces earlier factors, signs in',
    body: S.EnrolTotp,
    success: [
      { status: 200, schema: S.PersonView, description: 'Signed in; sets the person cookie' },
    ],
    errors: [
      'invalid_request',
      'invalid_app_code',
      'invite_invalid',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/people/session/passkey/options',
    summary: 'A sign-in challenge for a discoverable passkey (no username needed)',
    body: S.Empty,
    success: [{ status: 200, schema: S.PasskeyRequest, description: 'Request options' }],
    errors: ['invalid_request', 'rate_limited', 'forbidden_origin', 'unsupported_media_type'],
  },
  {
    method: 'post',
    path: '/api/people/session/passkey',
    summary: 'Sign in with a passkey; ends the session the browser had',
    body: S.SignInPasskey,
    success: [
      { status: 200, schema: S.PersonView, description: 'Signed in; sets the person cookie' },
    ],
    errors: [
      'invalid_request',
      'sign_in_failed',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'post',
    path: '/api/people/session/totp',
    summary: 'Sign in with e-mail and a TOTP code (each code once; lockout per e-mail)',
    description: TURNSTILE_NOTE,
    body: S.SignInTotp,
    success: [
      { status: 200, schema: S.PersonView, description: 'Signed in; sets the person cookie' },
    ],
    errors: [
      'invalid_request',
      'sign_in_failed',
      'locked',
      'rate_limited',
      'forbidden_origin',
      'unsupported_media_type',
      'challenge_required',
      'challenge_failed',
      'challenge_unavailable',
    ],
  },
  {
    method: 'post',
    path: '/api/people/session/certificate',
    summary:
      'Sign in with the smart card the edge verified (mutual TLS; the HSA-id in the certificate)',
    body: S.Empty,
    success: [
      { status: 200, schema: S.PersonView, description: 'Signed in; sets the person cookie' },
    ],
    errors: [
      'invalid_request',
      'card_off',
      'card_missing',
      'card_not_accepted',
      'card_revoked',
      'card_expired',
      'card_not_yet_valid',
      'card_no_hsa_id',
      'card_unknown_person',
      'forbidden_origin',
      'unsupported_media_type',
    ],
  },
  {
    method: 'get',
    path: '/api/people/session',
    summary: 'The signed-in person, their units and how fresh their sign-in is',
    cookie: 'person',
    success: [{ status: 200, schema: S.PersonView, description: 'The person' }],
    errors: ['unauthorized'],
  },
  {
    method: 'delete',
    path: '/api/people/session',
    summary: 'Sign out (revokes the session)',
    cookie: 'person',
    success: [{ status: 204, description: 'Signed out' }],
    errors: ['forbidden_origin'],
  },
];
