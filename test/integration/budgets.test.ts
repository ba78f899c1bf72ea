import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callWith, loginWith, OUTSIDE_IP, type SeededMailbox, seedMailbox } from '../helpers';

/** Development (outbox provider) with the given budgets. */
function budgetEnv(overrides: Partial<Env> = {}): Env {
  return { ...env, ...overrides };
}

function registerPhone(appEnv: Env, cookie: string, phone: string, ip = OUTSIDE_IP) {
  return callWith(appEnv, '/api/mailbox/phone', { method: 'PUT', body: { phone }, cookie, ip });
}

function startReset(appEnv: Env, username: string, ip = OUTSIDE_IP) {
  return callWith(appEnv, '/api/resets', { body: { username }, ip });
}

/** Asserts a 429 `rate_limited` with the same wait in the header and the body; returns the body. */
async function expectRateLimited(res: Response, retryAfter: number) {
  expect(res.status).toBe(429);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ error: 'rate_limited', retryAfter });
  expect(res.headers.get('Retry-After')).toBe(String(retryAfter));
  return body;
}

async function smsTo(phone: string): Promise<number> {
  const n = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms' AND recipient = ?",
  )
    .bind(phone)
    .first<number>('n');
  return n ?? 0;
}

async function smsCount(): Promise<number> {
  return (
    (await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'").first<number>(
      'n',
    )) ?? 0
  );
}

async function challengeCount(where = '1'): Promise<number> {
  return (
    (await env.DB.prepare(`SELECT COUNT(*) AS n FROM challenges WHERE ${where}`).first<number>(
      'n',
    )) ?? 0
  );
}

/** 10:15:00 UTC: 2,700 s left of the hour window, 49,500 s left of the UTC day. */
const T0 = Date.UTC(2026, 4, 4, 10, 15, 0);
const HOUR_LEFT = 2700;
const DAY_LEFT = 49_500;
const NEW_NUMBER = '+46709876543';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('SMS budget per destination number', () => {
  it('refuses registering a number that has had its SMS for the hour, and sends it nothing more', async () => {
    const appEnv = budgetEnv({ SMS_PER_NUMBER_PER_HOUR: '2' });
    const [a, b, c] = await Promise.all([seedMailbox(), seedMailbox(), seedMailbox()]);
    if (!a || !b || !c) throw new Error('seed failed');

    expect((await registerPhone(appEnv, await loginWith(appEnv, a), NEW_NUMBER)).status).toBe(202);
    expect((await registerPhone(appEnv, await loginWith(appEnv, b), NEW_NUMBER)).status).toBe(202);
    const third = await registerPhone(appEnv, await loginWith(appEnv, c), NEW_NUMBER);

    await expectRateLimited(third, HOUR_LEFT);
    expect(await smsTo(NEW_NUMBER)).toBe(2);
    expect(await challengeCount(`mailbox_id = '${c.id}'`)).toBe(0);
  });

  it("skips a reset's SMS beyond the number's budget from one network, yet answers as usual", async () => {
    const appEnv = budgetEnv();
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });

    for (let i = 0; i < 4; i++) {
      const res = await startReset(appEnv, mailbox.username);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({
        id: expect.any(String),
        expiresAt: expect.any(String),
        resendAfter: expect.any(String),
      });
    }

    // Three reset texts an hour to one number from one network.
    expect(await smsTo('+46701234567')).toBe(3);
    const { results } = await env.DB.prepare(
      'SELECT status, attempts, error FROM deliveries ORDER BY id',
    ).all();
    expect(results).toEqual([
      { status: 'sent', attempts: 1, error: null },
      { status: 'sent', attempts: 1, error: null },
      { status: 'sent', attempts: 1, error: null },
      { status: 'skipped', attempts: 0, error: 'budget:reset-number' },
    ]);
    // The owner, starting from another network, still gets the code.
    expect((await startReset(appEnv, mailbox.username, '192.0.2.44')).status).toBe(202);
    expect(await smsTo('+46701234567')).toBe(4);
  });

  it('keeps part of the day for registration and handovers however many resets start', async () => {
    // 60 % of 5: three reset texts; the other two are kept for everything else.
    const appEnv = budgetEnv({ SMS_PER_DAY: '5' });
    const phones = ['+46701234571', '+46701234572', '+46701234573', '+46701234574'];
    const mailboxes = await Promise.all(phones.map((phone) => seedMailbox({ phone })));
    for (const [i, mailbox] of mailboxes.slice(0, 3).entries()) {
      expect((await startReset(appEnv, mailbox.username, `192.0.2.${i + 10}`)).status).toBe(202);
    }
    expect(await smsCount()).toBe(3);
    // The resets' share is spent: the next start is refused, whoever asks.
    await expectRateLimited(await startReset(appEnv, mailboxes[3]?.username ?? ''), DAY_LEFT);
    // Registering a number still gets its code.
    const cookie = await loginWith(appEnv, mailboxes[3] as SeededMailbox);
    expect((await registerPhone(appEnv, cookie, NEW_NUMBER)).status).toBe(202);
    expect(await smsTo(NEW_NUMBER)).toBe(1);
  });

  it('allows the number again once the hour window has passed', async () => {
    const appEnv = budgetEnv({ SMS_PER_NUMBER_PER_HOUR: '2' });
    const [a, b, c] = await Promise.all([seedMailbox(), seedMailbox(), seedMailbox()]);
    if (!a || !b || !c) throw new Error('seed failed');
    await registerPhone(appEnv, await loginWith(appEnv, a), NEW_NUMBER);
    await registerPhone(appEnv, await loginWith(appEnv, b), NEW_NUMBER);
    await expectRateLimited(
      await registerPhone(appEnv, await loginWith(appEnv, c), NEW_NUMBER),
      HOUR_LEFT,
    );

    vi.setSystemTime(T0 + 3601 * 1000);
    // The session from an hour ago has ended; log in again.
    const later = await registerPhone(appEnv, await loginWith(appEnv, c), NEW_NUMBER);
    expect(later.status).toBe(202);
    expect(await smsTo(NEW_NUMBER)).toBe(3);
    expect(await challengeCount(`mailbox_id = '${c.id}' AND status = 'pending'`)).toBe(1);
  });
});

describe('SMS budget per account', () => {
  it('refuses registering yet another number for the same mailbox within the hour', async () => {
    const appEnv = budgetEnv({ SMS_PER_ACCOUNT_PER_HOUR: '2' });
    const mailbox = await seedMailbox();
    const cookie = await loginWith(appEnv, mailbox);

    expect((await registerPhone(appEnv, cookie, '+46709876541')).status).toBe(202);
    expect((await registerPhone(appEnv, cookie, '+46709876542')).status).toBe(202);
    await expectRateLimited(await registerPhone(appEnv, cookie, '+46709876543'), HOUR_LEFT);

    expect(await smsTo('+46709876543')).toBe(0);
    expect(await smsCount()).toBe(2);
    expect(await challengeCount("phone = '+46709876543'")).toBe(0);
    const phone = await env.DB.prepare('SELECT phone FROM mailboxes WHERE id = ?')
      .bind(mailbox.id)
      .first('phone');
    expect(phone).toBe(mailbox.phone);
  });
});

describe('SMS budget per client address', () => {
  it('refuses registrations from one address beyond its budget, while another address still works', async () => {
    const appEnv = budgetEnv({ SMS_PER_ADDRESS_PER_HOUR: '3' });
    const mailboxes = await Promise.all([1, 2, 3, 4, 5].map(() => seedMailbox()));
    const numbers = ['+46709876541', '+46709876542', '+46709876543', '+46709876544'];

    for (let i = 0; i < 3; i++) {
      const mailbox = mailboxes[i] as SeededMailbox;
      const res = await registerPhone(appEnv, await loginWith(appEnv, mailbox), numbers[i] ?? '');
      expect(res.status).toBe(202);
    }
    const fourth = await registerPhone(
      appEnv,
      await loginWith(appEnv, mailboxes[3] as SeededMailbox),
      '+46709876544',
    );
    await expectRateLimited(fourth, HOUR_LEFT);
    expect(await smsTo('+46709876544')).toBe(0);

    const elsewhere = '203.0.113.9';
    const other = await registerPhone(
      appEnv,
      await loginWith(appEnv, mailboxes[4] as SeededMailbox, elsewhere),
      '+46709876545',
      elsewhere,
    );
    expect(other.status).toBe(202);
    expect(await smsTo('+46709876545')).toBe(1);
    expect(await smsCount()).toBe(4);
  });
});

describe('global daily SMS ceiling', () => {
  it('refuses every reset and registration for the rest of the UTC day once the ceiling is spent', async () => {
    // All of the day open to resets, to reach the ceiling itself.
    const appEnv = budgetEnv({ SMS_PER_DAY: '3', SMS_RESET_SHARE_PERCENT: '100' });
    const phones = ['+46701234561', '+46701234562', '+46701234563'];
    const senders = await Promise.all(phones.map((phone) => seedMailbox({ phone })));
    const known = await seedMailbox({ username: 'hemtjanstab', phone: '+46701234564' });
    for (const mailbox of senders) {
      expect((await startReset(appEnv, mailbox.username)).status).toBe(202);
    }
    expect(await smsCount()).toBe(3);
    const before = await challengeCount();

    const knownBody = await expectRateLimited(await startReset(appEnv, 'hemtjanstab'), DAY_LEFT);
    const unknownBody = await expectRateLimited(await startReset(appEnv, 'finnsinte'), DAY_LEFT);
    expect(unknownBody).toEqual(knownBody);

    const cookie = await loginWith(appEnv, known);
    await expectRateLimited(await registerPhone(appEnv, cookie, NEW_NUMBER), DAY_LEFT);

    expect(await smsCount()).toBe(3);
    expect(await challengeCount()).toBe(before);
  });

  it("does not let refused requests use up the day's ceiling for everyone", async () => {
    const appEnv = budgetEnv({ SMS_PER_DAY: '3', SMS_PER_ACCOUNT_PER_HOUR: '1' });
    const knocker = await seedMailbox();
    const other = await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const cookie = await loginWith(appEnv, knocker);
    expect((await registerPhone(appEnv, cookie, '+46709876541')).status).toBe(202);
    // Refused by the account budget: no SMS goes out for these.
    await expectRateLimited(await registerPhone(appEnv, cookie, '+46709876542'), HOUR_LEFT);
    await expectRateLimited(await registerPhone(appEnv, cookie, '+46709876543'), HOUR_LEFT);
    expect(await smsCount()).toBe(1);

    // One SMS has gone out today out of three: someone else's reset still gets its code.
    const res = await startReset(appEnv, other.username);
    expect(res.status).toBe(202);
    expect(await smsTo('+46701234567')).toBe(1);
  });
});

describe('reset start throttles', () => {
  it('refuses the sixth start within the hour for a username, whether or not it exists', async () => {
    const appEnv = budgetEnv();
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });

    for (let i = 0; i < 5; i++) {
      expect((await startReset(appEnv, 'finnsinte')).status).toBe(202);
      expect((await startReset(appEnv, 'hemtjanstab')).status).toBe(202);
    }
    // Other spellings of the same name share its budget.
    const unknown = await expectRateLimited(await startReset(appEnv, 'FinnsInte'), HOUR_LEFT);
    const known = await expectRateLimited(await startReset(appEnv, ' HEMTJANSTAB '), HOUR_LEFT);
    expect(known).toEqual(unknown);

    expect(await challengeCount()).toBe(10);
    // Five starts, but three reset texts an hour to one number from one network.
    expect(await smsTo('+46701234567')).toBe(3);
  });

  it('refuses reset starts from one address beyond 30 an hour, while another address still works', async () => {
    const appEnv = budgetEnv();
    for (let i = 1; i <= 30; i++) {
      expect((await startReset(appEnv, `okand${i}`)).status).toBe(202);
    }
    await expectRateLimited(await startReset(appEnv, 'okand31'), HOUR_LEFT);
    expect(await challengeCount()).toBe(30);

    expect((await startReset(appEnv, 'okand31', '203.0.113.9')).status).toBe(202);
    expect(await challengeCount()).toBe(31);
  });
});
