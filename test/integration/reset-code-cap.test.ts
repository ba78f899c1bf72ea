import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ERRORS } from '../../worker/domain/messages';
import { backgroundSettled } from '../../worker/services/deps';
import { auditRows, call, json, latestCode, login, seedMailbox, wrongCode } from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * The daily cap on wrong reset codes (RESET_FAILED_CODES_PER_DAY, 15): counted per username
 * typed at the start, known or not, per Swedish calendar day, across every reset and network.
 * Past it, start, resend and code answer 429 `reset_blocked_today` until midnight Stockholm
 * time, or until a manager unlocks the mailbox or sets a new password.
 */

const PHONE = '+46701234567';
/** 2026-05-04 12:15:00 in Stockholm (CEST, UTC+2): 11 h 45 min to midnight. */
const T0 = Date.UTC(2026, 4, 4, 10, 15, 0);
const TO_MIDNIGHT = 11 * 3600 + 45 * 60;
/** Midnight at the end of 2026-05-04 in Stockholm. */
const MIDNIGHT = Date.UTC(2026, 4, 4, 22, 0, 0);
const CAP = 15;

/** One network per reset: the per-name and per-number budgets are per network. */
const net = (i: number) => `203.0.113.${i + 1}`;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

function start(username: string, ip: string) {
  return call('/api/resets', { body: { username }, ip });
}

function enter(id: string, code: string, ip: string) {
  return call(`/api/resets/${id}/code`, { body: { code }, ip });
}

async function started(username: string, ip: string) {
  const res = await start(username, ip);
  expect(res.status).toBe(202);
  return (await json<{ id: string }>(res)).id;
}

async function smsCount(): Promise<number> {
  await backgroundSettled();
  return (
    (await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'").first<number>(
      'n',
    )) ?? 0
  );
}

async function attempts(id: string): Promise<number> {
  return (
    (await env.DB.prepare('SELECT attempts FROM challenges WHERE id = ?')
      .bind(id)
      .first<number>('attempts')) ?? -1
  );
}

async function totalAttempts(): Promise<number> {
  return (
    (await env.DB.prepare(
      "SELECT COALESCE(SUM(attempts), 0) AS n FROM challenges WHERE purpose = 'reset'",
    ).first<number>('n')) ?? -1
  );
}

async function failedToday(username: string, date = '2026-05-04'): Promise<number> {
  return (
    (await env.DB.prepare('SELECT count FROM counters WHERE key = ?')
      .bind(`reset:failed_codes:${username}:${date}`)
      .first<number>('count')) ?? 0
  );
}

/** Asserts the cap's answer and returns its status, headers and body for comparison. */
async function expectBlocked(res: Response, retryAfter = TO_MIDNIGHT) {
  expect(res.status).toBe(429);
  expect(res.headers.get('Retry-After')).toBe(String(retryAfter));
  const body = await json(res);
  expect(body).toEqual({
    error: 'reset_blocked_today',
    message: ERRORS.reset_blocked_today.sv,
    retryAfter,
  });
  return { status: res.status, retryAfterHeader: res.headers.get('Retry-After'), body };
}

/**
 * Spends a name's day of wrong codes over four resets from four networks (5 + 5 + 4 + 1) and
 * returns the last reset, still open with 4 tries left, and its right code (null for a name
 * without a mailbox, whose code never matches).
 */
async function spendTheDay(username: string, known: boolean) {
  const resets: { id: string; code: string | null }[] = [];
  for (let i = 0; i < 4; i++) {
    const id = await started(username, net(i));
    resets.push({ id, code: known ? await latestCode(PHONE) : null });
  }
  const plan = [5, 5, 4, 1];
  const answers: number[] = [];
  for (const [i, tries] of plan.entries()) {
    const reset = resets[i];
    if (!reset) throw new Error('no reset');
    for (let n = 0; n < tries; n++) {
      const wrong = reset.code ? wrongCode(reset.code) : '000000';
      answers.push((await enter(reset.id, wrong, net(i))).status);
    }
  }
  // Every one of the 15 was checked and refused as a wrong code.
  expect(answers).toEqual(Array(CAP).fill(400));
  expect(await failedToday(username)).toBe(CAP);
  const last = resets[3];
  if (!last) throw new Error('no reset');
  return { last, resets };
}

describe('the daily cap on wrong reset codes', { timeout: 60_000 }, () => {
  it('refuses even the right code and a new start after 15 wrong ones, and sends nothing', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    const { last } = await spendTheDay(mailbox.username, true);
    expect(await attempts(last.id)).toBe(1);
    const texts = await smsCount();
    const challenges = await env.DB.prepare('SELECT COUNT(*) AS n FROM challenges').first('n');

    // The right code on a reset with tries left: refused without being checked.
    await expectBlocked(await enter(last.id, last.code ?? '', net(3)));
    expect(await attempts(last.id)).toBe(1);
    expect(await failedToday(mailbox.username)).toBe(CAP);

    // A new start from a network never seen before: refused before anything is sent or counted.
    await expectBlocked(await start(mailbox.username, '192.0.2.200'));
    // The English text says the same.
    const en = await call('/api/resets', {
      body: { username: mailbox.username },
      ip: '192.0.2.201',
      headers: { 'Accept-Language': 'en' },
    });
    expect(en.status).toBe(429);
    expect(await json(en)).toMatchObject({ message: ERRORS.reset_blocked_today.en });
    expect(ERRORS.reset_blocked_today.en).toMatch(/tomorrow/);
    expect(ERRORS.reset_blocked_today.en).toMatch(/manager/);
    expect(ERRORS.reset_blocked_today.sv).toMatch(/i morgon/);
    expect(ERRORS.reset_blocked_today.sv).toMatch(/chef/);

    // Nor is the same code sent again, once the guide's 3 minutes have passed.
    vi.setSystemTime(T0 + 181_000);
    await expectBlocked(
      await call(`/api/resets/${last.id}/resend`, { body: {}, ip: net(3) }),
      TO_MIDNIGHT - 181,
    );

    expect(await smsCount()).toBe(texts);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM challenges').first('n')).toBe(
      challenges,
    );
    // No other budget was spent by the refused starts.
    const spent = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM counters WHERE key LIKE '%192.0.2.20%'",
    ).first('n');
    expect(spent).toBe(0);

    // Audited as refused by the daily cap, with the mailbox, never with a code.
    const rows = await auditRows();
    const refused = rows.filter((r) => r.outcome === 'refused');
    expect(refused.map((r) => [r.action, r.target, JSON.parse(r.detail ?? '{}').result])).toEqual([
      ['reset.code', `mailbox:${mailbox.id}`, 'daily_code_cap'],
      ['reset.start', `mailbox:${mailbox.id}`, 'daily_code_cap'],
      ['reset.start', `mailbox:${mailbox.id}`, 'daily_code_cap'],
      ['reset.resend', `mailbox:${mailbox.id}`, 'daily_code_cap'],
    ]);
    const logged = JSON.stringify(rows);
    expect(logged).not.toContain(last.code ?? 'no code');
    expect(logged).not.toContain(wrongCode(last.code ?? ''));
  });

  it('answers an unknown username exactly like a real one', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    const known = await spendTheDay(mailbox.username, true);
    const unknown = await spendTheDay('finnsinte', false);

    const knownCode = await expectBlocked(await enter(known.last.id, '123456', net(3)));
    const unknownCode = await expectBlocked(await enter(unknown.last.id, '123456', net(3)));
    expect(unknownCode).toEqual(knownCode);
    expect(await attempts(unknown.last.id)).toBe(1);

    const knownStart = await expectBlocked(await start(mailbox.username, '192.0.2.9'));
    const unknownStart = await expectBlocked(await start('finnsinte', '192.0.2.9'));
    expect(unknownStart).toEqual(knownStart);

    // Another name is not affected by either.
    expect((await start('nagonannan', '192.0.2.9')).status).toBe(202);
    await backgroundSettled();
    const rows = (await auditRows()).filter((r) => r.outcome === 'refused');
    expect(rows.map((r) => [r.action, r.target])).toEqual([
      ['reset.code', `mailbox:${mailbox.id}`],
      ['reset.code', null],
      ['reset.start', `mailbox:${mailbox.id}`],
      ['reset.start', null],
    ]);
  });

  it('counts the name as typed at the start in its canonical form', async () => {
    await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    await spendTheDay('hemtjanstab', true);
    await expectBlocked(await start(' HemtjanstAB ', '192.0.2.9'));
  });

  it('lets no more than 15 wrong codes through, however many arrive at once', async () => {
    await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    // 12 wrong codes (5 + 5 + 2), then a fresh reset: 3 left of the day.
    const ids: string[] = [];
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(await started('hemtjanstab', net(i)));
      codes.push(await latestCode(PHONE));
    }
    for (const [i, tries] of [5, 5, 2].entries()) {
      for (let n = 0; n < tries; n++) {
        expect((await enter(ids[i] ?? '', wrongCode(codes[i] ?? ''), net(i))).status).toBe(400);
      }
    }
    expect(await failedToday('hemtjanstab')).toBe(12);

    // 20 wrong codes at once, on the two resets with tries left (3 and 5).
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, n) => {
        const i = n % 2 === 0 ? 2 : 3;
        return enter(ids[i] ?? '', wrongCode(codes[i] ?? ''), net(i));
      }),
    );
    const statuses = burst.map((r) => r.status);
    // Three were compared; the rest were refused by the day's cap (or, on a reset whose own
    // tries were taken at that moment, as locked), never compared.
    expect(statuses.filter((s) => s === 400)).toHaveLength(3);
    expect(statuses.filter((s) => s !== 400 && s !== 429 && s !== 423)).toEqual([]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    for (const res of burst.filter((r) => r.status === 429)) {
      expect(await json(res)).toMatchObject({ error: 'reset_blocked_today' });
    }
    // Exactly 15 codes were compared all day, and the count says so.
    expect(await totalAttempts()).toBe(CAP);
    expect(await failedToday('hemtjanstab')).toBe(CAP);
    // From now on every code is refused by the cap, the right one too.
    await expectBlocked(await enter(ids[3] ?? '', codes[3] ?? '', net(3)));
  });

  it('does not count a right code, an expired reset or a locked one', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    const id = await started(mailbox.username, net(0));
    const code = await latestCode(PHONE);
    for (let n = 0; n < 5; n++) await enter(id, wrongCode(code), net(0));
    // Locked: refused as before, and not a wrong code of the day.
    expect((await enter(id, code, net(0))).status).toBe(423);
    expect(await failedToday(mailbox.username)).toBe(5);

    const next = await started(mailbox.username, net(1));
    const right = await latestCode(PHONE);
    expect((await enter(next, right, net(1))).status).toBe(200);
    expect(await failedToday(mailbox.username)).toBe(5);
    // A used reset: expired, and still 5.
    expect((await enter(next, right, net(1))).status).toBe(410);
    expect(await failedToday(mailbox.username)).toBe(5);
  });
});

describe('the next Swedish day', { timeout: 60_000 }, () => {
  it('opens again at midnight Stockholm time, not UTC', async () => {
    // 23:50 in Stockholm, 21:50 UTC.
    vi.setSystemTime(MIDNIGHT - 600_000);
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    await spendTheDay(mailbox.username, true);
    await expectBlocked(await start(mailbox.username, '192.0.2.9'), 600);

    // One second before midnight: still blocked, one second to wait.
    vi.setSystemTime(MIDNIGHT - 1000);
    await expectBlocked(await start(mailbox.username, '192.0.2.9'), 1);

    // Midnight in Stockholm (22:00 UTC, still 4 May in UTC): a new day, a working reset.
    vi.setSystemTime(MIDNIGHT);
    const id = await started(mailbox.username, '192.0.2.10');
    const code = await latestCode(PHONE);
    expect(await failedToday(mailbox.username, '2026-05-05')).toBe(0);
    expect((await enter(id, wrongCode(code), '192.0.2.10')).status).toBe(400);
    expect(await failedToday(mailbox.username, '2026-05-05')).toBe(1);
    expect((await enter(id, code, '192.0.2.10')).status).toBe(200);
  });
});

describe("a manager's action", { timeout: 60_000 }, () => {
  async function world() {
    const unit = await seedUnit('Hemtjänst Åby');
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE, unitId: unit.id });
    return { manager, mailbox };
  }

  it('shows the pause, and the unlock ends it: the reset then works end to end', async () => {
    const { manager, mailbox } = await world();
    await spendTheDay(mailbox.username, true);
    await expectBlocked(await start(mailbox.username, '192.0.2.9'));

    const cookie = await personCookie(manager.id);
    const view = await call(`/api/manager/mailboxes/${mailbox.id}`, { cookie });
    expect(view.status).toBe(200);
    const { mailbox: summary } = await json<{ mailbox: Record<string, unknown> }>(view);
    expect(summary).toMatchObject({
      locked: false,
      lockedUntil: null,
      resetsPausedUntil: new Date(MIDNIGHT).toISOString(),
    });

    const unlocked = await call(`/api/manager/mailboxes/${mailbox.id}/unlock`, {
      body: {},
      cookie,
    });
    expect(unlocked.status).toBe(204);
    expect(await failedToday(mailbox.username)).toBe(0);
    const entry = (await auditRows()).find((r) => r.action === 'mailbox.unlock');
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ wasLocked: false, resetsPaused: true });
    const after = await json<{ mailbox: Record<string, unknown> }>(
      await call(`/api/manager/mailboxes/${mailbox.id}`, { cookie }),
    );
    expect(after.mailbox.resetsPausedUntil).toBeNull();

    const id = await started(mailbox.username, '192.0.2.9');
    const code = await latestCode(PHONE);
    const verified = await enter(id, code, '192.0.2.9');
    expect(verified.status).toBe(200);
    const { token } = await json<{ token: string }>(verified);
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
      ip: '192.0.2.9',
    });
    expect(set.status).toBe(204);
    await login({ ...mailbox, password: 'Tr4sig-Kanin-44' });
  });

  it('a new password set on the staff’s behalf ends it too', async () => {
    const { manager, mailbox } = await world();
    await spendTheDay(mailbox.username, true);
    const res = await call(`/api/manager/mailboxes/${mailbox.id}/password`, {
      body: {},
      cookie: await personCookie(manager.id),
    });
    expect(res.status).toBe(200);
    expect(await failedToday(mailbox.username)).toBe(0);
    expect((await start(mailbox.username, '192.0.2.9')).status).toBe(202);
  });

  it('leaves the mailbox as it was when nothing is paused', async () => {
    const { manager, mailbox } = await world();
    const view = await json<{ mailbox: Record<string, unknown> }>(
      await call(`/api/manager/mailboxes/${mailbox.id}`, {
        cookie: await personCookie(manager.id),
      }),
    );
    expect(view.mailbox.resetsPausedUntil).toBeNull();
  });
});
