import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { formatDate } from '../../worker/domain/mail-text';
import worker from '../../worker/index';
import { backgroundSettled } from '../../worker/services/deps';
import { call, callWith, outbox, seedMailbox } from '../helpers';
import { seedPerson, seedUnit } from '../people-helpers';

/*
 * The daily rotation cron: reminders at 14 days, 3 days and on the day, once per
 * threshold and password cycle, to the unit's managers and delegates; an SMS to the mailbox
 * at 3 days; idempotent; failed mail retried on the next run and never sent twice.
 */

const DAY = 86_400;
const MAX_AGE_DAYS = 90;
/** The first run: 2026-05-04 06:05 UTC (08:05 in Sweden), as the cron would fire. */
const RUN = Date.UTC(2026, 4, 4, 6, 5, 0);
const RUN_S = RUN / 1000;

const PRODUCTION: Env = {
  ...env,
  ENVIRONMENT: 'production',
  MAIL_PROVIDER: 'mailgun',
  SMS_PROVIDER: '46elks',
};

let log: MockInstance<typeof console.log>;

afterEach(() => {
  vi.restoreAllMocks();
});

beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

/** Runs the daily cron `days` after the first run, as the runtime would. */
async function runCron(days = 0, appEnv: Env = env, cron = '5 6 * * *') {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ cron, scheduledTime: RUN + days * DAY * 1000 }),
    appEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  await backgroundSettled();
}

/** Places a mailbox so that, at the first run, its password is due in `daysLeft` days. */
async function placeDue(mailboxId: string, daysLeft: number) {
  const changedAt = RUN_S + daysLeft * DAY - MAX_AGE_DAYS * DAY;
  await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
    .bind(changedAt, mailboxId)
    .run();
  return changedAt;
}

let phoneSeq = 0;

async function seedDueMailbox(unitId: string | undefined, daysLeft: number, name?: string) {
  phoneSeq++;
  const phone = `+4670${String(1_000_000 + phoneSeq).slice(-7)}`;
  const mailbox = await seedMailbox({
    ...(unitId ? { unitId } : {}),
    ...(name ? { username: name } : {}),
    displayName: `Brevlåda ${name ?? phoneSeq}`,
    phone,
  });
  const cycle = await placeDue(mailbox.id, daysLeft);
  return { ...mailbox, phone, cycle, due: cycle + MAX_AGE_DAYS * DAY };
}

async function seedTeam(name = 'Hemtjänsten Åby') {
  const unit = await seedUnit(name);
  const manager = await seedPerson({ name: 'Anna Chef', roles: { [unit.id]: 'manager' } });
  const delegate = await seedPerson({ name: 'Olle Ombud', roles: { [unit.id]: 'delegate' } });
  return { unit, manager, delegate };
}

async function mails() {
  return (await outbox()).filter((m) => m.to.includes('@'));
}

async function texts() {
  return (await outbox()).filter((m) => !m.to.includes('@'));
}

/** The mail about one mailbox (its username is in the subject). */
async function mailsAbout(username: string) {
  return (await mails()).filter((m) => m.body.split('\n')[0]?.includes(` ${username} `));
}

async function reminderRows() {
  const { results } = await env.DB.prepare(
    'SELECT mailbox_id, threshold, cycle, channel, status FROM reminders ORDER BY mailbox_id, threshold DESC, channel',
  ).all<{
    mailbox_id: string;
    threshold: number;
    cycle: number;
    channel: string;
    status: string;
  }>();
  return results;
}

function rotationLog(): Record<string, unknown> {
  const lines = log.mock.calls
    .map((c) => String(c[0]))
    .filter((line) => line.includes('"event":"rotation"'));
  expect(lines.length).toBeGreaterThan(0);
  return JSON.parse(lines[lines.length - 1] ?? '{}');
}

describe('the daily rotation run', () => {
  it('sends the 14-day, 3-day and on-the-day reminders, and nothing at 20 days', async () => {
    const { unit, manager, delegate } = await seedTeam();
    await seedDueMailbox(unit.id, 20, 'tjugo');
    const at14 = await seedDueMailbox(unit.id, 14, 'fjorton');
    const at3 = await seedDueMailbox(unit.id, 3, 'tre');
    const at0 = await seedDueMailbox(unit.id, 0, 'noll');
    const past = await seedDueMailbox(unit.id, -5, 'sen');

    await runCron();

    expect(await mailsAbout('tjugo')).toEqual([]);
    const people = [delegate.email, manager.email].sort();
    for (const box of [at14, at3, at0, past]) {
      const sent = await mailsAbout(box.username);
      expect(sent.map((m) => m.to).sort()).toEqual(people);
      expect(sent[0]?.body).toContain(`https://nyckel.test/chef/brevlada/${box.id}`);
      expect(sent[0]?.body).toContain(formatDate(box.due, 'sv'));
      expect(sent[0]?.body).toContain(formatDate(box.due, 'en'));
      expect(sent[0]?.body).not.toContain('Hemvard#2026');
    }
    expect((await mailsAbout('fjorton'))[0]?.body).toContain('om 14 dagar');
    expect((await mailsAbout('tre'))[0]?.body).toContain('om 3 dagar');
    expect((await mailsAbout('noll'))[0]?.body).toContain('i dag');
    expect((await mailsAbout('sen'))[0]?.body).toContain('för 5 dagar sedan');
    expect(await mails()).toHaveLength(8);

    // Only the mailbox at 3 days gets an SMS, to its own number.
    const sms = await texts();
    expect(sms.map((m) => m.to)).toEqual([at3.phone]);
    expect(sms[0]?.body).toContain('tre');
    expect(sms[0]?.body).toContain(formatDate(at3.due, 'sv'));
    expect(sms[0]?.body).toContain('https://nyckel.test');
    expect(sms[0]?.body).not.toContain('Hemvard#2026');

    const rows = await reminderRows();
    expect(rows).toHaveLength(5);
    expect(rows).toEqual(
      expect.arrayContaining([
        { mailbox_id: at14.id, threshold: 14, cycle: at14.cycle, channel: 'mail', status: 'sent' },
        { mailbox_id: at3.id, threshold: 3, cycle: at3.cycle, channel: 'mail', status: 'sent' },
        { mailbox_id: at3.id, threshold: 3, cycle: at3.cycle, channel: 'sms', status: 'sent' },
        { mailbox_id: at0.id, threshold: 0, cycle: at0.cycle, channel: 'mail', status: 'sent' },
        { mailbox_id: past.id, threshold: 0, cycle: past.cycle, channel: 'mail', status: 'sent' },
      ]),
    );
  });

  it('sends nothing new when run again the same day', async () => {
    const { unit } = await seedTeam();
    await seedDueMailbox(unit.id, 14);
    await seedDueMailbox(unit.id, 3);
    await seedDueMailbox(unit.id, -5);
    await runCron();
    const before = await outbox();
    const rows = await reminderRows();
    expect(before).toHaveLength(7);

    await runCron();
    expect(await outbox()).toEqual(before);
    expect(await reminderRows()).toEqual(rows);
    // 14 and 3 days: their reminders are claimed and found done. Five days overdue: its last
    // reminder ("due today") went out, so it is no longer a candidate at all.
    expect(rotationLog()).toMatchObject({
      event: 'rotation',
      mailboxes: 2,
      mailSent: 0,
      smsSent: 0,
      alreadyDone: 3,
    });
  });

  it('sends the next threshold on a later day, and each only once', async () => {
    const { unit } = await seedTeam();
    const box = await seedDueMailbox(unit.id, 14, 'vandrare');
    await runCron(0);
    expect(await mailsAbout('vandrare')).toHaveLength(2);

    await runCron(5); // 9 days left: still the 14-day threshold, already sent
    expect(await mailsAbout('vandrare')).toHaveLength(2);

    await runCron(11); // 3 days left
    const third = await mailsAbout('vandrare');
    expect(third).toHaveLength(4);
    expect(third[0]?.body).toContain('om 3 dagar');
    expect((await texts()).map((m) => m.to)).toEqual([box.phone]);

    await runCron(12);
    expect(await mailsAbout('vandrare')).toHaveLength(4);

    await runCron(14); // the day itself
    const onTheDay = await mailsAbout('vandrare');
    expect(onTheDay).toHaveLength(6);
    expect(onTheDay[0]?.body.split('\n')[0]).toContain('i dag');

    await runCron(20); // past due: the 0-day reminder was sent, nothing more
    expect(await mailsAbout('vandrare')).toHaveLength(6);
    expect(await texts()).toHaveLength(1);
  });

  it('sends the 14-day reminder late when the first run finds fewer days left', async () => {
    const { unit } = await seedTeam();
    await seedDueMailbox(unit.id, 10, 'sentkommen');
    await runCron();
    const sent = await mailsAbout('sentkommen');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.body).toContain('om 10 dagar');
    expect(await texts()).toEqual([]);
  });

  it('skips disabled mailboxes, mailboxes without a unit and disabled people', async () => {
    const { unit, manager, delegate } = await seedTeam();
    const gone = await seedPerson({ roles: { [unit.id]: 'manager' }, disabled: true });
    const disabled = await seedDueMailbox(unit.id, 3, 'avstangd');
    await env.DB.prepare('UPDATE mailboxes SET disabled_at = ? WHERE id = ?')
      .bind(RUN_S - DAY, disabled.id)
      .run();
    await seedDueMailbox(undefined, 3, 'utanenhet');
    await seedDueMailbox(unit.id, 3, 'aktiv');

    await runCron();
    expect(await mailsAbout('avstangd')).toEqual([]);
    expect(await mailsAbout('utanenhet')).toEqual([]);
    expect((await mailsAbout('aktiv')).map((m) => m.to).sort()).toEqual(
      [delegate.email, manager.email].sort(),
    );
    expect((await mails()).filter((m) => m.to === gone.email)).toEqual([]);
    expect((await texts()).map((m) => m.to)).toHaveLength(1);
    expect((await reminderRows()).filter((r) => r.mailbox_id === disabled.id)).toEqual([]);
  });

  it("sends nothing for an old cycle's thresholds after the password was changed", async () => {
    const { unit } = await seedTeam();
    const box = await seedDueMailbox(unit.id, 3, 'bytt');
    await runCron(0);
    expect(await mailsAbout('bytt')).toHaveLength(2);

    // The password is changed the day after: a new cycle, 90 days left.
    await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
      .bind(RUN_S + DAY, box.id)
      .run();
    await runCron(2); // would have been the 0-day threshold of the old cycle
    await runCron(3);
    expect(await mailsAbout('bytt')).toHaveLength(2);
    expect(await texts()).toHaveLength(1);

    // 76 days after the change the new cycle's 14-day reminder goes out.
    await runCron(1 + 76);
    expect(await mailsAbout('bytt')).toHaveLength(4);
    const rows = await reminderRows();
    expect(rows.map((r) => [r.threshold, r.cycle, r.channel])).toEqual([
      [14, RUN_S + DAY, 'mail'],
      [3, box.cycle, 'mail'],
      [3, box.cycle, 'sms'],
    ]);
  });

  it('claims nothing while the unit has nobody to tell, and sends once someone is appointed', async () => {
    const unit = await seedUnit();
    await seedDueMailbox(unit.id, 14, 'ensam');
    await runCron(0);
    expect(await mails()).toEqual([]);
    expect(await reminderRows()).toEqual([]);
    expect(rotationLog()).toMatchObject({ noRecipients: 1 });

    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    await runCron(1);
    expect((await mailsAbout('ensam')).map((m) => m.to)).toEqual([manager.email]);
  });

  it('sends each mail once when two runs start at the same time', async () => {
    const { unit } = await seedTeam();
    await seedDueMailbox(unit.id, 14);
    await seedDueMailbox(unit.id, 3);
    await seedDueMailbox(unit.id, 0);
    await Promise.all([runCron(), runCron(), runCron()]);
    expect(await mails()).toHaveLength(6);
    expect(await texts()).toHaveLength(1);
    expect((await reminderRows()).every((r) => r.status === 'sent')).toBe(true);
  });

  it('takes over a reminder left half-done by a run that died, but not one another run holds', async () => {
    const { unit } = await seedTeam();
    const died = await seedDueMailbox(unit.id, 14, 'avbruten');
    const busy = await seedDueMailbox(unit.id, 14, 'upptagen');
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO reminders (mailbox_id, threshold, cycle, channel, status, claimed_at) VALUES (?, 14, ?, 'mail', 'claimed', ?)",
      ).bind(died.id, died.cycle, RUN_S - DAY),
      env.DB.prepare(
        "INSERT INTO reminders (mailbox_id, threshold, cycle, channel, status, claimed_at) VALUES (?, 14, ?, 'mail', 'claimed', ?)",
      ).bind(busy.id, busy.cycle, RUN_S - 60),
    ]);
    await runCron();
    expect(await mailsAbout('avbruten')).toHaveLength(2);
    expect(await mailsAbout('upptagen')).toEqual([]);
  });

  it('writes one log line with counts and no addresses', async () => {
    const { unit, manager } = await seedTeam();
    await seedDueMailbox(unit.id, 3);
    await seedDueMailbox(unit.id, 20);
    await runCron();
    const line = rotationLog();
    expect(line).toEqual({
      event: 'rotation',
      mailboxes: 1,
      due: 1,
      mailSent: 2,
      mailFailed: 0,
      smsSent: 1,
      smsFailed: 0,
      alreadyDone: 0,
      noRecipients: 0,
      noPhone: 0,
      errors: 0,
    });
    const logged = JSON.stringify(log.mock.calls);
    expect(logged).not.toContain('@');
    expect(logged).not.toContain(manager.email);
    expect(logged).not.toContain('+4670');
  });

  it('leaves the hourly cleanup alone: another cron sends no reminders', async () => {
    const { unit } = await seedTeam();
    await seedDueMailbox(unit.id, 3);
    await runCron(0, env, '17 * * * *');
    expect(await outbox()).toEqual([]);
    expect(await reminderRows()).toEqual([]);
  });

  it('counts a mailbox with no number at 3 days and still e-mails its unit', async () => {
    const { unit } = await seedTeam();
    const box = await seedDueMailbox(unit.id, 3, 'nummerlos');
    await env.DB.prepare('UPDATE mailboxes SET phone = NULL WHERE id = ?').bind(box.id).run();
    await runCron();
    expect(await mailsAbout('nummerlos')).toHaveLength(2);
    expect(await texts()).toEqual([]);
    expect(rotationLog()).toMatchObject({ noPhone: 1, smsSent: 0 });
  });
});

describe('POST /api/dev/rotation', () => {
  it('runs the daily reminders now in development, and sends nothing new the second time', async () => {
    const { unit } = await seedTeam();
    const box = await seedMailbox({ unitId: unit.id, username: 'nuforfallen' });
    // Due today by the real clock, which is what the route runs on.
    await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
      .bind(Math.floor(Date.now() / 1000) - MAX_AGE_DAYS * DAY, box.id)
      .run();
    const first = await call('/api/dev/rotation', { method: 'POST' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ due: 1, mailSent: 2, errors: 0 });
    await backgroundSettled();
    expect(await mailsAbout('nuforfallen')).toHaveLength(2);
    const second = await call('/api/dev/rotation', { method: 'POST' });
    // Its last reminder of this cycle went out: nothing left to look at until it changes.
    expect(await second.json()).toMatchObject({ mailboxes: 0, mailSent: 0 });
    expect(await mailsAbout('nuforfallen')).toHaveLength(2);
  });

  it('does not exist outside development, and sends nothing there', async () => {
    const { unit } = await seedTeam();
    const box = await seedMailbox({ unitId: unit.id });
    await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
      .bind(Math.floor(Date.now() / 1000) - MAX_AGE_DAYS * DAY, box.id)
      .run();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const res = await callWith(PRODUCTION, '/api/dev/rotation', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await reminderRows()).toEqual([]);
  });
});

interface Upstream {
  url: string;
  form: URLSearchParams;
}

/** Fake Mailgun and 46elks behind fetch; `mailAnswer` decides each Mailgun response. */
function fakeProviders(mailAnswer: (form: URLSearchParams) => number) {
  const received: Upstream[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    received.push({ url: request.url, form });
    if (request.url.startsWith('https://api.46elks.com/')) {
      return new Response(JSON.stringify({ id: 's1', status: 'created' }), { status: 200 });
    }
    const status = mailAnswer(form);
    return status === 200
      ? new Response(JSON.stringify({ id: '<m1@mg>', message: 'Queued' }), { status: 200 })
      : new Response('error', { status });
  });
  const mailsTo = () =>
    received.filter((r) => r.url.includes('/messages')).map((r) => r.form.get('to'));
  return { received, spy, mailsTo };
}

describe('the rotation run with Mailgun', () => {
  it('sends through Mailgun and 46elks in production', async () => {
    const { unit, manager, delegate } = await seedTeam();
    const box = await seedDueMailbox(unit.id, 3, 'produktion');
    const upstream = fakeProviders(() => 200);
    await runCron(0, PRODUCTION);
    expect(upstream.mailsTo().sort()).toEqual([delegate.email, manager.email].sort());
    const mail = upstream.received.find((r) => r.url.includes('/messages'));
    expect(mail?.url).toMatch(/^https:\/\/api\.eu\.mailgun\.net\/v3\/[^/]+\/messages$/);
    expect(mail?.form.get('subject')).toContain('produktion');
    expect(mail?.form.get('text')).toContain(`https://nyckel.test/chef/brevlada/${box.id}`);
    const sms = upstream.received.filter((r) => r.url.startsWith('https://api.46elks.com/'));
    expect(sms.map((r) => r.form.get('to'))).toEqual([box.phone]);
    expect(await outbox()).toEqual([]);
  });

  it('retries a failed mail on the next run, and never sends a sent one again', async () => {
    const { unit, manager, delegate } = await seedTeam();
    await seedDueMailbox(unit.id, 14, 'avbrott');
    let mailStatus = 503;
    const upstream = fakeProviders(() => mailStatus);

    await runCron(0, PRODUCTION);
    // Two recipients, each tried twice (one retry of a 5xx).
    expect(upstream.mailsTo()).toHaveLength(4);
    expect((await reminderRows()).map((r) => r.status)).toEqual(['failed']);
    expect(rotationLog()).toMatchObject({ mailSent: 0, mailFailed: 2 });

    mailStatus = 200;
    upstream.received.length = 0;
    await runCron(1, PRODUCTION);
    expect(upstream.mailsTo().sort()).toEqual([delegate.email, manager.email].sort());
    expect((await reminderRows()).map((r) => r.status)).toEqual(['sent']);

    upstream.received.length = 0;
    await runCron(2, PRODUCTION);
    await runCron(2, PRODUCTION);
    expect(upstream.mailsTo()).toEqual([]);
  });

  it('goes on past a failure: other mailboxes still get their reminders', async () => {
    const broken = await seedUnit('Trasig');
    await seedPerson({ email: 'fel@example.se', roles: { [broken.id]: 'manager' } });
    const { unit, manager, delegate } = await seedTeam();
    await seedDueMailbox(broken.id, 14, 'trasig');
    await seedDueMailbox(unit.id, 14, 'hel');
    const upstream = fakeProviders((form) => (form.get('to') === 'fel@example.se' ? 400 : 200));

    await runCron(0, PRODUCTION);
    expect(upstream.mailsTo().sort()).toEqual(
      ['fel@example.se', delegate.email, manager.email].sort(),
    );
    const statuses = (await reminderRows()).map((r) => r.status).sort();
    expect(statuses).toEqual(['failed', 'sent']);
    expect(rotationLog()).toMatchObject({ mailSent: 2, mailFailed: 1 });
  });

  it('does not send twice to someone who got it when another recipient failed', async () => {
    const { unit, manager } = await seedTeam();
    const bad = await seedPerson({ email: 'studsar@example.se', roles: { [unit.id]: 'delegate' } });
    await seedDueMailbox(unit.id, 14, 'halvvags');
    const upstream = fakeProviders((form) => (form.get('to') === bad.email ? 400 : 200));
    await runCron(0, PRODUCTION);
    expect(upstream.mailsTo()).toContain(manager.email);

    upstream.received.length = 0;
    await runCron(1, PRODUCTION);
    expect(upstream.mailsTo()).toEqual([]);
  });

  it('records the failed deliveries masked, without the text', async () => {
    const { unit } = await seedTeam();
    await seedDueMailbox(unit.id, 14, 'maskerad');
    fakeProviders(() => 500);
    await runCron(0, PRODUCTION);
    const { results } = await env.DB.prepare(
      "SELECT * FROM deliveries WHERE channel = 'mail' ORDER BY id",
    ).all<Record<string, unknown>>();
    expect(results).toHaveLength(2);
    for (const row of results) {
      expect(row).toMatchObject({
        purpose: 'rotation_14',
        provider: 'mailgun',
        status: 'failed',
        attempts: 2,
        error: 'upstream_error',
      });
      expect(String(row.recipient_masked)).toMatch(/^.•••@example\.se$/);
    }
    expect(JSON.stringify(results)).not.toContain('maskerad');
  });
});
