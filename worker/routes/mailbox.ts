import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { tokenDigest } from '../domain/tokens';
import { depsOf } from '../http/deps';
import { jsonBody, mailboxSession, sameOrigin } from '../http/middleware';
import { DIRECTORY_PASSWORD, JSON_WRITE, op, TURNSTILE } from '../http/openapi';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from '../http/session-cookie';
import { accountIn, TURNSTILE_NOTE, turnstileGate } from '../http/turnstile';
import { bodyFirst, readBody } from '../http/validate';
import {
  mailboxSessionSetter,
  readOfferAndStaff,
  shareOwnOffer,
  staffChoicesForOffer,
} from '../services/handovers';
import {
  changePassword,
  confirmPhoneChange,
  login,
  logout,
  MAILBOX_SESSION_SECONDS,
  ownMailbox,
  passwordChangeReads,
  phoneChallengeReads,
  requestPhoneChange,
  shareReads,
  view,
} from '../services/mailbox';
import { CodeEntry } from './fields';
import { Handover, MailboxShare, StaffChoices } from './handovers.schemas';
import {
  Challenge,
  MailboxView,
  PasswordChange,
  PhoneSaved,
  PhoneUpdate,
  SessionStart,
} from './mailbox.schemas';

/** Turnstile once sign-ins fail unusually often from one network or against one mailbox. */
const signInChallenge = turnstileGate(
  'mailbox',
  accountIn(SessionStart, (b) => b.username),
);

/**
 * The mailbox's own session: log in with the mailbox's username and password, register a
 * mobile number, change the password. Signing in and changing work from any computer and
 * browser; only registering a number is refused from the municipal network, since the code
 * must reach a phone that is not on it. Writes are same-origin JSON only.
 */
export const mailbox = new Hono<AppEnv>()
  .use(sameOrigin(), jsonBody())
  .post(
    '/session',
    describeRoute(
      op({
        operationId: 'startMailboxSession',
        summary: "Log in with the mailbox's own username and current password",
        description: TURNSTILE_NOTE,
        auth: 'public',
        body: SessionStart,
        success: [
          {
            status: 200,
            schema: MailboxView,
            description: 'Mailbox view; sets the session cookie',
          },
        ],
        errors: [
          ...JSON_WRITE,
          'invalid_request',
          'invalid_credentials',
          'locked',
          'rate_limited',
          ...TURNSTILE,
          ...DIRECTORY_PASSWORD,
        ],
      }),
    ),
    signInChallenge,
    async (c) => {
      const { username, password } = await readBody(c, SessionStart);
      const { sessionId, view } = await login(depsOf(c), username, password);
      writeSessionCookie(c, sessionId, MAILBOX_SESSION_SECONDS);
      return c.json(view);
    },
  )
  .delete(
    '/session',
    describeRoute(
      op({
        operationId: 'endMailboxSession',
        summary: 'Log out (revokes the session)',
        auth: 'mailbox',
        success: [{ status: 204, description: 'Logged out' }],
        errors: JSON_WRITE,
      }),
    ),
    async (c) => {
      const cookie = readSessionCookie(c);
      if (cookie && cookie.length <= 128) {
        const deps = depsOf(c);
        const hash = await tokenDigest(deps.cfg.sessionSecret, cookie);
        await logout(deps, hash);
      }
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  )
  .get(
    '/',
    describeRoute(
      op({
        operationId: 'getMailbox',
        summary: 'The logged-in mailbox',
        auth: 'mailbox',
        success: [{ status: 200, schema: MailboxView, description: 'Mailbox view' }],
        errors: ['unauthorized'],
      }),
    ),
    mailboxSession({ whileMustChange: true }),
    async (c) => c.json(view(depsOf(c), c.get('mailbox'))),
  )
  .put(
    '/phone',
    describeRoute(
      op({
        operationId: 'requestPhoneChange',
        summary: 'Ask to register a mobile number: a code goes to the new number',
        description:
          'Only mobile numbers of the countries in SMS_COUNTRIES (by default SE, NO, DK, FI) are accepted; another is 400 `invalid_phone` with `reason: "country"`, `allowedCountries` and a message naming them. The same holds for staff and people numbers.',
        auth: 'mailbox',
        body: PhoneUpdate,
        success: [
          { status: 202, schema: Challenge, description: 'Code sent to the new number' },
          { status: 200, schema: PhoneSaved, description: 'Already the registered number' },
        ],
        errors: [
          'invalid_request',
          'invalid_phone',
          'unauthorized',
          'password_change_required',
          'internal_network',
          ...JSON_WRITE,
          'rate_limited',
          'sms_unavailable',
        ],
      }),
    ),
    mailboxSession({ outsideNetwork: true, reads: phoneChallengeReads }),
    async (c) => {
      const { phone } = await readBody(c, PhoneUpdate);
      const result = await requestPhoneChange(depsOf(c), c.get('mailbox'), phone);
      if (result.kind === 'unchanged') return c.json({ phone: result.phone });
      return c.json({ expiresAt: result.expiresAt, resendAfter: result.resendAfter }, 202);
    },
  )
  .post(
    '/phone/verify',
    describeRoute(
      op({
        operationId: 'confirmPhoneChange',
        summary: 'Confirm the new number with the code sent to it; saves it',
        auth: 'mailbox',
        body: CodeEntry,
        success: [{ status: 200, schema: PhoneSaved, description: 'Saved (E.164)' }],
        errors: [
          'invalid_request',
          'invalid_code',
          'expired',
          'locked',
          'unauthorized',
          'password_change_required',
          'internal_network',
          ...JSON_WRITE,
          'retry_later',
        ],
      }),
    ),
    mailboxSession({ outsideNetwork: true, reads: phoneChallengeReads }),
    async (c) => {
      const { code } = await readBody(c, CodeEntry);
      return c.json(await confirmPhoneChange(depsOf(c), c.get('mailbox'), code));
    },
  )
  .post(
    '/password',
    describeRoute(
      op({
        operationId: 'changeMailboxPassword',
        summary: 'Change the password with the current one',
        auth: 'mailbox',
        body: PasswordChange,
        success: [{ status: 204, description: 'Changed' }],
        errors: [
          ...JSON_WRITE,
          'invalid_request',
          'invalid_credentials',
          'unauthorized',
          'policy',
          'locked',
          ...DIRECTORY_PASSWORD,
        ],
      }),
    ),
    bodyFirst(PasswordChange),
    mailboxSession({ whileMustChange: true, reads: passwordChangeReads }),
    async (c) => {
      const { currentPassword, newPassword } = await readBody(c, PasswordChange);
      await changePassword(depsOf(c), c.get('mailbox'), currentPassword, newPassword);
      return c.body(null, 204);
    },
  )
  // After a change in this session, share the new password with the unit's staff.
  .get(
    '/staff',
    describeRoute(
      op({
        operationId: 'mailboxStaffChoices',
        summary:
          "The staff of the mailbox's unit, to pick who gets the new password (names, masked numbers)",
        auth: 'mailbox',
        success: [{ status: 200, schema: StaffChoices, description: 'Staff, by name' }],
        errors: ['unauthorized', 'password_change_required', 'share_unavailable'],
      }),
    ),
    mailboxSession({ reads: shareReads }),
    async (c) => c.json(staffChoicesForOffer(readOfferAndStaff(c.get('mailbox').reads))),
  )
  .post(
    '/handovers',
    describeRoute(
      op({
        operationId: 'mailboxShareHandover',
        summary:
          'Share the password this session just set (POST /api/mailbox/password, within 15 minutes) with staff: one single-view SMS link each',
        auth: 'mailbox',
        body: MailboxShare,
        success: [
          { status: 201, schema: Handover, description: 'Shared (per recipient as above)' },
        ],
        errors: [
          ...JSON_WRITE,
          'invalid_request',
          'unauthorized',
          'password_change_required',
          'share_unavailable',
        ],
      }),
    ),
    mailboxSession({ reads: shareReads }),
    async (c) => {
      const { staffIds } = await readBody(c, MailboxShare);
      const principal = c.get('mailbox');
      const deps = depsOf(c);
      const sharer = {
        setter: mailboxSessionSetter(principal.sessionHash),
        actor: `mailbox:${principal.mailboxId}`,
        name: null,
      };
      const read = readOfferAndStaff(principal.reads);
      return c.json(await shareOwnOffer(deps, sharer, ownMailbox(principal), staffIds, read), 201);
    },
  );
