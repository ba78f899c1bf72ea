import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AdminOverview } from '../../worker/routes/admin.schemas';
import { backgroundSettled } from '../../worker/services/deps';
import { call, json, login, seedMailbox } from '../helpers';
import { callApp } from '../people-auth-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * The administrator's overview warns of an unusual reset rate: more reset starts in the last
 * hour than RESET_ALERT_PER_HOUR, or the resets' share of today's SMS spent. On an ordinary
 * day it says nothing.
 */

async function adminCookie() {
  const person = await seedPerson({ isAdmin: true, name: 'Ada Admin' });
  return personCookie(person.id);
}

async function overview(cookie: string, vars: Partial<Env> = {}) {
  const res = await callApp('/api/admin/overview', { cookie, env: vars });
  expect(res.status).toBe(200);
  return v.parse(AdminOverview, await res.json());
}

/** Reset starts for made-up names, from a few networks, each audited as `reset.start`. */
async function startResets(n: number, vars: Partial<Env> = {}) {
  for (let i = 0; i < n; i++) {
    const res = await callApp('/api/resets', {
      body: { username: `okand${i}` },
      ip: `203.0.113.${(i % 5) + 1}`,
      env: vars,
    });
    expect(res.status).toBe(202);
  }
  await backgroundSettled();
}

describe('the reset-rate warning on the administrator overview', () => {
  it('says nothing on an ordinary day', async () => {
    const cookie = await adminCookie();
    expect(await overview(cookie)).toEqual({ resetAlert: null });
    await startResets(4);
    // Four starts are well under the default of 50 an hour.
    expect(await overview(cookie)).toEqual({ resetAlert: null });
  });

  it('warns with the count once the last hour has more starts than the threshold', async () => {
    const cookie = await adminCookie();
    const low = { RESET_ALERT_PER_HOUR: '3' };
    await startResets(3);
    // As many as the threshold is not more than it.
    expect(await overview(cookie, low)).toEqual({ resetAlert: null });
    // A start more than an hour ago does not count.
    const now = Math.floor(Date.now() / 1000);
    await env.DB.prepare(
      `INSERT INTO audit (at, actor, action, target, ip, outcome, detail)
       VALUES (?, 'anonymous', 'reset.start', NULL, '203.0.113.9', 'failure', NULL)`,
    )
      .bind(now - 3601)
      .run();
    expect(await overview(cookie, low)).toEqual({ resetAlert: null });

    await startResets(1);
    const { resetAlert } = await overview(cookie, low);
    expect(resetAlert).toMatchObject({
      startsLastHour: 4,
      startsCapped: false,
      threshold: 3,
      overThreshold: true,
      shareSpent: false,
    });
  });

  it("says when the resets' share of today's SMS is spent", async () => {
    const cookie = await adminCookie();
    // 60 % of 5 texts a day: the resets may send 3.
    const small = { SMS_PER_DAY: '5' };
    for (const phone of ['+46701111111', '+46702222222', '+46703333333']) {
      const mailbox = await seedMailbox({ phone });
      const res = await callApp('/api/resets', {
        body: { username: mailbox.username },
        env: small,
      });
      expect(res.status).toBe(202);
    }
    await backgroundSettled();
    // The next start is refused: no reset text goes out until the day is over.
    const refused = await callApp('/api/resets', { body: { username: 'okand' }, env: small });
    expect(refused.status).toBe(429);

    const { resetAlert } = await overview(cookie, small);
    const now = Math.floor(Date.now() / 1000);
    expect(resetAlert).toEqual({
      startsLastHour: 3,
      startsCapped: false,
      threshold: 50,
      overThreshold: false,
      shareSpent: true,
      shareMax: 3,
      shareRenewsAt: new Date((now - (now % 86_400) + 86_400) * 1000).toISOString(),
    });
    // Under the ordinary budget the same texts are far from the share.
    expect(await overview(cookie)).toEqual({ resetAlert: null });
  });

  it('is read by administrators only', async () => {
    await startResets(2);
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const low = { RESET_ALERT_PER_HOUR: '0' };
    const asManager = await callApp('/api/admin/overview', {
      cookie: await personCookie(manager.id),
      env: low,
    });
    expect(asManager.status).toBe(403);
    expect((await json(asManager)).error).toBe('forbidden');
    expect((await callApp('/api/admin/overview', { env: low })).status).toBe(401);
    const mailbox = await seedMailbox();
    const asMailbox = await call('/api/admin/overview', { cookie: await login(mailbox) });
    expect(asMailbox.status).toBe(401);
    // The administrator, by contrast, is told.
    const { resetAlert } = await overview(await adminCookie(), low);
    expect(resetAlert?.startsLastHour).toBe(2);
  });
});
