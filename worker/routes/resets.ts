import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { readBody } from '../http/validate';
import { CodeEntry, ResetPassword, ResetStart } from '../schemas';
import { depsOf } from '../services/deps';
import { completeReset, resendReset, startReset, verifyResetCode } from '../services/resets';

/** Reset by SMS code (DESIGN.md rule 3): start, resend, code, password. */
export const resets = new Hono<AppEnv>()
  .post('/', async (c) => {
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
  });
