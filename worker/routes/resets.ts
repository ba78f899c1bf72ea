import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { jsonBody, sameOrigin } from '../http/middleware';
import { DIRECTORY, DIRECTORY_PASSWORD, JSON_WRITE, op, TURNSTILE } from '../http/openapi';
import { accountIn, TURNSTILE_NOTE, turnstileGate } from '../http/turnstile';
import { readBody } from '../http/validate';
import { resetSetter, shareOwnOffer, staffChoicesForOffer } from '../services/handovers';
import {
  completeReset,
  resendReset,
  sharableReset,
  startReset,
  verifyResetCode,
} from '../services/resets';
import { CodeEntry } from './fields';
import { Handover, ResetShare, ResetStaffLookup, StaffChoices } from './handovers.schemas';
import { Resent, ResetPassword, ResetStart, ResetStarted, ResetToken } from './resets.schemas';

/** What the reset operations say about the daily cap on wrong codes. */
const DAILY_CODE_CAP_NOTE =
  "Wrong codes count per username typed at the start (known or not) and Swedish calendar day, over all its resets (RESET_FAILED_CODES_PER_DAY, 15). Once they are spent, starting, resending and entering a code for that username answer 429 `reset_blocked_today` (the code is not checked) with `retryAfter` and `Retry-After` in seconds until the next midnight, Stockholm time, alike for every username; a manager's unlock or new password for the mailbox ends it.";

/** Turnstile once resets start unusually often from one network or for one username. */
const startChallenge = turnstileGate(
  'reset',
  accountIn(ResetStart, (b) => b.username),
);

/**
 * Reset by SMS code: username, a code to the registered number, then a new password twice:
 * start, resend, code, password. Anonymous writes, so
 * only same-origin JSON: a cross-site form or text/plain post is refused before anything is
 * counted or sent. Outside clients without an Origin (curl, the README) may start and finish a
 * reset; the share after it is the app's own page only.
 */
export const resets = new Hono<AppEnv>()
  .use(sameOrigin(), jsonBody())
  .post(
    '/',
    describeRoute(
      op({
        operationId: 'startReset',
        summary: 'Start a reset: an SMS code goes to the registered number, if there is one',
        description: `${DAILY_CODE_CAP_NOTE} ${TURNSTILE_NOTE}`,
        auth: 'public',
        body: ResetStart,
        success: [
          {
            status: 202,
            schema: ResetStarted,
            description: 'Same shape and timing whether or not the username exists or has a phone',
          },
        ],
        errors: [
          ...JSON_WRITE,
          'invalid_request',
          'rate_limited',
          'reset_blocked_today',
          ...TURNSTILE,
          ...DIRECTORY,
        ],
      }),
    ),
    startChallenge,
    async (c) => {
      const { username } = await readBody(c, ResetStart);
      return c.json(await startReset(depsOf(c), username), 202);
    },
  )
  .post(
    '/:id/resend',
    describeRoute(
      op({
        operationId: 'resendResetCode',
        summary: 'Send the same code again (after 3 minutes)',
        description: DAILY_CODE_CAP_NOTE,
        auth: 'public',
        success: [{ status: 202, schema: Resent, description: 'Resent' }],
        errors: [...JSON_WRITE, 'rate_limited', 'reset_blocked_today', 'expired', 'retry_later'],
      }),
    ),
    async (c) => {
      return c.json(await resendReset(depsOf(c), c.req.param('id')), 202);
    },
  )
  .post(
    '/:id/code',
    describeRoute(
      op({
        operationId: 'verifyResetCode',
        summary: 'Enter the code; answers with a short-lived token',
        description: DAILY_CODE_CAP_NOTE,
        auth: 'public',
        body: CodeEntry,
        success: [{ status: 200, schema: ResetToken, description: 'Verified' }],
        errors: [
          ...JSON_WRITE,
          'invalid_request',
          'invalid_code',
          'expired',
          'locked',
          'reset_blocked_today',
          'retry_later',
        ],
      }),
    ),
    async (c) => {
      const { code } = await readBody(c, CodeEntry);
      return c.json(await verifyResetCode(depsOf(c), c.req.param('id'), code));
    },
  )
  .post(
    '/:id/password',
    describeRoute(
      op({
        operationId: 'completeReset',
        summary: 'Set the new password with the token',
        auth: 'public',
        body: ResetPassword,
        success: [{ status: 204, description: 'Password set; every session of the mailbox ended' }],
        errors: [
          ...JSON_WRITE,
          'invalid_request',
          'policy',
          'expired',
          'invalid_token',
          ...DIRECTORY_PASSWORD,
        ],
      }),
    ),
    async (c) => {
      const { token, newPassword } = await readBody(c, ResetPassword);
      await completeReset(depsOf(c), c.req.param('id'), token, newPassword);
      return c.body(null, 204);
    },
  )
  // After completing, share the new password with the unit's staff (same token; the
  // token travels in the body, so these are POSTs).
  .post(
    '/:id/staff',
    describeRoute(
      op({
        operationId: 'resetStaffChoices',
        summary:
          "After a completed reset: the staff of the mailbox's unit (names, masked numbers); the reset's token proves who completed it",
        auth: 'public',
        body: ResetStaffLookup,
        success: [{ status: 200, schema: StaffChoices, description: 'Staff, by name' }],
        errors: [...JSON_WRITE, 'invalid_request', 'invalid_token', 'share_unavailable'],
      }),
    ),
    sameOrigin({ requireOrigin: true }),
    async (c) => {
      const { token } = await readBody(c, ResetStaffLookup);
      const { read } = await sharableReset(depsOf(c), c.req.param('id'), token);
      return c.json(staffChoicesForOffer(read));
    },
  )
  .post(
    '/:id/handovers',
    describeRoute(
      op({
        operationId: 'resetShareHandover',
        summary:
          'After a completed reset (within 15 minutes): share the new password with staff, with the same token',
        auth: 'public',
        body: ResetShare,
        success: [
          { status: 201, schema: Handover, description: 'Shared (per recipient as above)' },
        ],
        errors: [...JSON_WRITE, 'invalid_request', 'invalid_token', 'share_unavailable'],
      }),
    ),
    sameOrigin({ requireOrigin: true }),
    async (c) => {
      const { token, staffIds } = await readBody(c, ResetShare);
      const deps = depsOf(c);
      const id = c.req.param('id');
      const { mailbox, read } = await sharableReset(deps, id, token);
      const sharer = { setter: resetSetter(id), actor: 'anonymous', name: null };
      return c.json(await shareOwnOffer(deps, sharer, mailbox, staffIds, read), 201);
    },
  );
