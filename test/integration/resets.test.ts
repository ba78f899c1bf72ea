import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ResetStarted } from '../../worker/routes/resets.schemas';
import {
  auditRows,
  call,
  json,
  latestCode,
  login,
  seedMailbox,
  startReset,
  waitForSms,
  wrongCode,
} from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

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

describe("a reset in the unit's audit trail", () => {
  it('is named by a reference that lines its entries up but cannot be used to act on the reset', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const mailbox = await seedMailbox({ unitId: unit.id });
    const { id, code } = await startReset(mailbox);
    await call(`/api/resets/${id}/code`, { body: { code: wrongCode(code ?? '') } });
    const verified = await call(`/api/resets/${id}/code`, { body: { code } });
    const { token } = await json<{ token: string }>(verified);
    await call(`/api/resets/${id}/password`, { body: { token, newPassword: 'Ny-Referens-2026' } });

    const trail = await call(`/api/manager/units/${unit.id}/audit`, {
      cookie: await personCookie(manager.id),
    });
    expect(trail.status).toBe(200);
    const text = await trail.text();
    expect(text).toContain('reset.complete');
    expect(text).not.toContain(id);
    const references = (await auditRows())
      .filter((r) => r.action.startsWith('reset.'))
      .map((r) => JSON.parse(r.detail ?? '{}').challenge);
    expect(references).toHaveLength(4);
    expect(new Set(references).size).toBe(1);
    expect(references[0]).toMatch(/^[0-9a-f]{16}$/);
  });
});
