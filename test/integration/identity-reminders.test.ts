import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../worker/index';
import { backgroundSettled } from '../../worker/services/deps';
import { json, login, outbox, seedMailbox } from '../helpers';
import {
  dayFromToday,
  identityBody,
  integrationCall,
  PNR,
  seedServiceToken,
  validPnr,
} from '../identity-helpers';
import { seedPerson, seedUnit } from '../people-helpers';

/*
 * The reminder three days before the start date for an initial password nobody has
 * fetched, from the daily cron; and the credential check for downstream systems.
 */

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

/** One scheduled run, as the runtime would make it now. */
async function runScheduled(cron: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env, ctx);
  await waitOnExecutionContext(ctx);
  await backgroundSettled();
}

const runDailyCron = () => runScheduled('5 6 * * *');
const runFiveMinuteCron = () => runScheduled('*/5 * * * *');

async function hire(startInDays: number, userId = 'annand01', pnr = PNR.anna.input) {
  const unit = await seedUnit();
  const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
  const { token } = await seedServiceToken();
  const res = await integrationCall(`/api/integration/identities/${userId}`, token, {
    method: 'PUT',
    body: identityBody(unit.id, { startDate: dayFromToday(startInDays), personalNumber: pnr }),
  });
  const { identity } = await json<{ identity: { id: string } }>(res);
  await backgroundSettled();
  return { manager, id: identity.id };
}

async function reminders(email: string) {
  return (await outbox()).filter((m) => m.to === email && m.body.includes('påminnelse'));
}

describe('the reminder before the start date', () => {
  it('goes out once at 3 days, and not again on a re-run', async () => {
    const { manager } = await hire(3);
    await runDailyCron();
    const sent = await reminders(manager.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toContain('om 3 dagar');
    await runDailyCron();
    expect(await reminders(manager.email)).toHaveLength(1);
  });

  it('does not go out earlier, nor for a password already fetched', async () => {
    const early = await hire(4);
    await runDailyCron();
    expect(await reminders(early.manager.email)).toHaveLength(0);
    await env.DB.prepare('DELETE FROM initial_passwords').run();
    const fetched = await hire(2, 'akeost02', PNR.ake.input);
    await env.DB.prepare('UPDATE initial_passwords SET fetch_count = 1').run();
    await runDailyCron();
    expect(await reminders(fetched.manager.email)).toHaveLength(0);
  });

  it('sends the new-hire mail again on the next run when it could not be sent', async () => {
    const { manager } = await hire(9);
    await env.DB.prepare('UPDATE initial_passwords SET notified_at = NULL').run();
    await env.DB.prepare('DELETE FROM outbox').run();
    await runDailyCron();
    const mails = (await outbox()).filter((m) => m.to === manager.email);
    expect(mails).toHaveLength(1);
    await runDailyCron();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(1);
  });
});

describe('new-hire mail retries from the five-minute cron', () => {
  it('sends a failed new-hire mail within minutes, not the next morning', async () => {
    const { manager } = await hire(9);
    await env.DB.prepare('UPDATE initial_passwords SET notified_at = NULL').run();
    await env.DB.prepare('DELETE FROM outbox').run();
    await runFiveMinuteCron();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(1);
    await runFiveMinuteCron();
    await runDailyCron();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(1);
  });

  it('sends at most 25 a run (the edge allows 1,000 queries a run), the rest the next run', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const { token } = await seedServiceToken();
    const identities = Array.from({ length: 30 }, (_, i) => ({
      userId: `manga${String(i).padStart(2, '0')}`,
      ...identityBody(unit.id, {
        personalNumber: validPnr(i),
        hsaId: null,
        startDate: dayFromToday(20),
      }),
    }));
    const res = await integrationCall('/api/integration/identities', token, {
      body: { identities },
    });
    expect(res.status).toBe(200);
    await backgroundSettled();
    await env.DB.prepare('UPDATE initial_passwords SET notified_at = NULL').run();
    await env.DB.prepare('DELETE FROM outbox').run();
    await runFiveMinuteCron();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(25);
    await runFiveMinuteCron();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(30);
  });
});

describe('a sender stopped between claiming a mail and sending it', () => {
  const now = () => Math.floor(Date.now() / 1000);

  /** What a worker leaves when the runtime ends it after the claim, before any mail went out. */
  async function stoppedAfterClaim(column: 'notify_claimed_at' | 'remind_claimed_at', at: number) {
    const sent = column === 'notify_claimed_at' ? 'notified_at' : 'reminded_at';
    await env.DB.prepare(`UPDATE initial_passwords SET ${sent} = NULL, ${column} = ?`)
      .bind(at)
      .run();
    await env.DB.prepare('DELETE FROM outbox').run();
  }

  it('leaves a fresh claim to its holder: the daily run does not send the new-hire mail too', async () => {
    const { manager } = await hire(9);
    await stoppedAfterClaim('notify_claimed_at', now() - 60);
    await runDailyCron();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(0);
  });

  it('sends the new-hire mail after all when the claim is over an hour old, and then never again', async () => {
    const { manager } = await hire(9);
    await stoppedAfterClaim('notify_claimed_at', now() - 3601);
    await runDailyCron();
    const mails = (await outbox()).filter((m) => m.to === manager.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body).toContain('hämta initialt lösenord för Anna Andersson');
    const row = await env.DB.prepare(
      'SELECT notified_at, notify_claimed_at FROM initial_passwords',
    ).first<{ notified_at: number | null; notify_claimed_at: number | null }>();
    expect(row?.notified_at).toBeGreaterThan(now() - 60);
    expect(row?.notify_claimed_at).toBeNull();
    await runDailyCron();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(1);
  });

  it('sends the start-date reminder after all when its claim is over an hour old', async () => {
    const { manager } = await hire(3);
    await stoppedAfterClaim('remind_claimed_at', now() - 60);
    await runDailyCron();
    expect(await reminders(manager.email)).toHaveLength(0);
    await stoppedAfterClaim('remind_claimed_at', now() - 3601);
    await runDailyCron();
    expect(await reminders(manager.email)).toHaveLength(1);
    await runDailyCron();
    expect(await reminders(manager.email)).toHaveLength(1);
  });
});

describe('POST /api/integration/mailboxes/verify', () => {
  it('says whether the credentials are right, alike for a wrong password and an unknown account', async () => {
    const mailbox = await seedMailbox();
    const { token } = await seedServiceToken(['mailboxes:verify']);
    const verify = (username: string, password: string) =>
      integrationCall('/api/integration/mailboxes/verify', token, { body: { username, password } });
    expect(await json(await verify(mailbox.username, mailbox.password))).toEqual({ valid: true });
    expect(await json(await verify(mailbox.username, 'Fel-losen-1'))).toEqual({ valid: false });
    expect(await json(await verify('finnsinte', 'Fel-losen-1'))).toEqual({ valid: false });
  });

  it('counts toward the login lockout: after five wrong, even the right password is locked', async () => {
    const mailbox = await seedMailbox();
    const { token } = await seedServiceToken(['mailboxes:verify']);
    const verify = (password: string) =>
      integrationCall('/api/integration/mailboxes/verify', token, {
        body: { username: mailbox.username, password },
      });
    for (let i = 0; i < 5; i++) await verify('Fel-losen-1');
    const res = await verify(mailbox.password);
    expect(res.status).toBe(423);
    await expect(login(mailbox)).rejects.toThrow();
  });

  it('refuses a bad body with 400 and a token without the scope with 403', async () => {
    const { token } = await seedServiceToken(['mailboxes:verify']);
    const hr = await seedServiceToken(['identities:write']);
    const bad = await integrationCall('/api/integration/mailboxes/verify', token, {
      body: { username: ['x'], password: 1 },
    });
    expect(bad.status).toBe(400);
    const wrongScope = await integrationCall('/api/integration/mailboxes/verify', hr.token, {
      body: { username: 'hemtjanstab', password: 'x' },
    });
    expect(wrongScope.status).toBe(403);
  });
});
