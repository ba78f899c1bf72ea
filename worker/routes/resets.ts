import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { jsonBody, sameOrigin } from '../http/middleware';
import { accountIn, turnstileGate } from '../http/turnstile';
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
import { ResetShare, ResetStaffLookup } from './handovers.schemas';
import { ResetPassword, ResetStart } from './resets.schemas';

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
  .post('/', startChallenge, async (c) => {
    const { username } = await readBody(c, ResetStart);
    return c.json(await startReset(depsOf(c), username), 202);
  })
  .post('/:id/resend', async (c) => {
    return c.json(await resendReset(depsOf(c), c.req.param('id')), 202);
  })
  .post('/:id/code', async (c) => {
    const { code } = await readBody(c, CodeEntry);
    return c.json(await verifyResetCode(depsOf(c), c.req.param('id'), code));
  })
  .post('/:id/password', async (c) => {
    const { token, newPassword } = await readBody(c, ResetPassword);
    await completeReset(depsOf(c), c.req.param('id'), token, newPassword);
    return c.body(null, 204);
  })
  // After completing, share the new password with the unit's staff (same token; the
  // token travels in the body, so these are POSTs).
  .post('/:id/staff', sameOrigin({ requireOrigin: true }), async (c) => {
    const { token } = await readBody(c, ResetStaffLookup);
    const deps = depsOf(c);
    const id = c.req.param('id');
    const mailbox = await sharableReset(deps, id, token);
    return c.json(await staffChoicesForOffer(deps, resetSetter(id), mailbox));
  })
  .post('/:id/handovers', sameOrigin({ requireOrigin: true }), async (c) => {
    const { token, staffIds } = await readBody(c, ResetShare);
    const deps = depsOf(c);
    const id = c.req.param('id');
    const mailbox = await sharableReset(deps, id, token);
    const sharer = { setter: resetSetter(id), actor: 'anonymous', name: null };
    return c.json(await shareOwnOffer(deps, sharer, mailbox, staffIds), 201);
  });
