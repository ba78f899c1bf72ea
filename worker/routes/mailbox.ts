import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { tokenDigest } from '../domain/tokens';
import { depsOf } from '../http/deps';
import { jsonBody, mailboxSession, outsideNetwork, sameOrigin } from '../http/middleware';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from '../http/session-cookie';
import { accountIn, turnstileGate } from '../http/turnstile';
import { readBody } from '../http/validate';
import { mailboxSessionSetter, shareOwnOffer, staffChoicesForOffer } from '../services/handovers';
import {
  changePassword,
  confirmPhoneChange,
  login,
  logout,
  MAILBOX_SESSION_SECONDS,
  ownMailbox,
  requestPhoneChange,
  view,
} from '../services/mailbox';
import { CodeEntry } from './fields';
import { MailboxShare } from './handovers.schemas';
import { PasswordChange, PhoneUpdate, SessionStart } from './mailbox.schemas';

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
  .post('/session', signInChallenge, async (c) => {
    const { username, password } = await readBody(c, SessionStart);
    const { sessionId, view } = await login(depsOf(c), username, password);
    writeSessionCookie(c, sessionId, MAILBOX_SESSION_SECONDS);
    return c.json(view);
  })
  .delete('/session', async (c) => {
    const cookie = readSessionCookie(c);
    if (cookie && cookie.length <= 128) {
      const deps = depsOf(c);
      const hash = await tokenDigest(deps.cfg.sessionSecret, cookie);
      await logout(deps, hash);
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .get('/', mailboxSession({ whileMustChange: true }), async (c) =>
    c.json(await view(depsOf(c), c.get('mailbox'))),
  )
  .put('/phone', outsideNetwork(), mailboxSession(), async (c) => {
    const { phone } = await readBody(c, PhoneUpdate);
    const result = await requestPhoneChange(depsOf(c), c.get('mailbox'), phone);
    if (result.kind === 'unchanged') return c.json({ phone: result.phone });
    return c.json({ expiresAt: result.expiresAt, resendAfter: result.resendAfter }, 202);
  })
  .post('/phone/verify', outsideNetwork(), mailboxSession(), async (c) => {
    const { code } = await readBody(c, CodeEntry);
    return c.json(await confirmPhoneChange(depsOf(c), c.get('mailbox'), code));
  })
  .post('/password', mailboxSession({ whileMustChange: true }), async (c) => {
    const { currentPassword, newPassword } = await readBody(c, PasswordChange);
    await changePassword(depsOf(c), c.get('mailbox'), currentPassword, newPassword);
    return c.body(null, 204);
  })
  // After a change in this session, share the new password with the unit's staff.
  .get('/staff', mailboxSession(), async (c) => {
    const deps = depsOf(c);
    const mailbox = await ownMailbox(deps, c.get('mailbox'));
    const setter = mailboxSessionSetter(c.get('mailbox').sessionHash);
    return c.json(await staffChoicesForOffer(deps, setter, mailbox));
  })
  .post('/handovers', mailboxSession(), async (c) => {
    const { staffIds } = await readBody(c, MailboxShare);
    const principal = c.get('mailbox');
    const deps = depsOf(c);
    const sharer = {
      setter: mailboxSessionSetter(principal.sessionHash),
      actor: `mailbox:${principal.mailboxId}`,
      name: null,
    };
    return c.json(
      await shareOwnOffer(deps, sharer, await ownMailbox(deps, principal), staffIds),
      201,
    );
  });
