import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ResetStarted } from '../../worker/schemas';
import {
  call,
  json,
  latestCode,
  login,
  seedMailbox,
  startReset,
  waitForSms,
  wrongCode,
} from '../helpers';

describe('reset by SMS code', () => {
  it('walks a whole reset: username, code from the SMS, new password, login with it', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const start = await call('/api/resets', { body: { username: 'hemtjanstab' } });
    expect(start.status).toBe(202);
    const started = v.parse(ResetStarted, await start.json());

    const [sms] = await waitForSms('+46701234567');
    expect(sms?.body).toMatch(/hemtjanstab/);
    expect(sms?.body).toMatch(/@nyckel\.test #\d{6}$/);
    const code = await latestCode('+46701234567');

    const verified = await call(`/api/resets/${started.id}/code`, { body: { code } });
    expect(verified.status).toBe(200);
    const { token } = await json<{ token: string }>(verified);
    expect(token.length).toBeGreaterThanOrEqual(40);

    const set = await call(`/api/resets/${started.id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(set.status).toBe(204);

    const oldLogin = await call('/api/mailbox/session', {
      body: { username: 'hemtjanstab', password: mailbox.password },
    });
    expect(oldLogin.status).toBe(401);
    await login({ ...mailbox, password: 'Tr4sig-Kanin-44' });
  });

  it('answers a code with 6 digits, 10 minutes and resend after 3 minutes', async () => {
    await seedMailbox({ username: 'tider' });
    const before = Date.now();
    const res = await call('/api/resets', { body: { username: 'tider' } });
    const body = v.parse(ResetStarted, await res.json());
    const expires = Date.parse(body.expiresAt) - before;
    const resend = Date.parse(body.resendAfter) - before;
    expect(expires).toBeGreaterThan(595_000);
    expect(expires).toBeLessThanOrEqual(601_000);
    expect(resend).toBeGreaterThan(175_000);
    expect(resend).toBeLessThanOrEqual(181_000);
  });

  it('refuses a wrong code and says how many tries are left', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const res = await call(`/api/resets/${id}/code`, { body: { code: wrongCode(code ?? '') } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_code', attemptsLeft: 4 });
    const count = await env.DB.prepare('SELECT attempts FROM challenges WHERE id = ?')
      .bind(id)
      .first();
    expect(count).toEqual({ attempts: 1 });
  });
});
