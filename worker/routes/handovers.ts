import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { jsonBody, sameOrigin } from '../http/middleware';
import { readBody } from '../http/validate';
import { peekHandover, revealHandover } from '../services/handovers';
import { LinkToken } from './handovers.schemas';

/**
 * The page a staff member opens from the SMS. No sign-in: the personal link is the
 * factor. The token travels in the body (the link keeps it in the URL fragment, out of every
 * server log and Referer); peek spends nothing, reveal shows the password exactly once. Only
 * the app's own page calls these: same-origin JSON with an Origin, nothing else.
 */
export const handovers = new Hono<AppEnv>()
  .use(sameOrigin({ requireOrigin: true }), jsonBody())
  .post('/peek', async (c) => {
    const { token } = await readBody(c, LinkToken);
    return c.json(await peekHandover(depsOf(c), token));
  })
  .post('/reveal', async (c) => {
    const { token } = await readBody(c, LinkToken);
    return c.json(await revealHandover(depsOf(c), token));
  });
