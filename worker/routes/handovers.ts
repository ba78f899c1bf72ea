import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { depsOf } from '../http/deps';
import { jsonBody, sameOrigin } from '../http/middleware';
import { ANONYMOUS_WRITE, op } from '../http/openapi';
import { readBody } from '../http/validate';
import { peekHandover, revealHandover } from '../services/handovers';
import { HandoverPeek, HandoverReveal, LinkToken } from './handovers.schemas';

/**
 * The page a staff member opens from the SMS. No sign-in: the personal link is the
 * factor. The token travels in the body (the link keeps it in the URL fragment, out of every
 * server log and Referer); peek spends nothing, reveal shows the password exactly once. Only
 * the app's own page calls these: same-origin JSON with an Origin, nothing else.
 */
export const handovers = new Hono<AppEnv>()
  .use(sameOrigin({ requireOrigin: true }), jsonBody())
  .post(
    '/peek',
    describeRoute(
      op({
        operationId: 'peekHandover',
        summary:
          'Whose password a handover link is for and its state (the token is in the link fragment, sent in the body); spends nothing',
        auth: 'public',
        body: LinkToken,
        success: [{ status: 200, schema: HandoverPeek, description: 'The link' }],
        errors: [...ANONYMOUS_WRITE, 'handover_invalid'],
      }),
    ),
    async (c) => {
      const { token } = await readBody(c, LinkToken);
      return c.json(await peekHandover(depsOf(c), token));
    },
  )
  .post(
    '/reveal',
    describeRoute(
      op({
        operationId: 'revealHandover',
        summary: 'The password, exactly once per link; later calls get 410 with state and viewedAt',
        auth: 'public',
        body: LinkToken,
        success: [{ status: 200, schema: HandoverReveal, description: 'The password' }],
        errors: [...ANONYMOUS_WRITE, 'handover_invalid', 'handover_spent'],
      }),
    ),
    async (c) => {
      const { token } = await readBody(c, LinkToken);
      return c.json(await revealHandover(depsOf(c), token));
    },
  );
