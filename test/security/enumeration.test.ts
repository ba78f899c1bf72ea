import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientNetwork } from '../../worker/domain/client-network';
import { derivationCounter } from '../../worker/domain/password-hash';
import { backgroundSettled } from '../../worker/services/deps';
import { call, json, latestCode, OUTSIDE_IP, outbox, seedMailbox, wrongCode } from '../helpers';

/*
 * No user enumeration: a reset or a login for a real account, a
 * real account without a phone and a name that does not exist must look the same from outside,
 * in status, shape, timing fields, throttling and lockout. The clock is frozen so the dates in
 * the answers can be compared exactly instead of within a tolerance.
 */

const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
const PHONE = '+46701234567';

type Body = Record<string, unknown>;

/** Three usernames that must be indistinguishable: with a phone, without one, unknown. */
async function seedThree() {
  const withPhone = await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
  const noPhone = await seedMailbox({ username: 'hemvardsgruppen', phone: null });
  return { withPhone, noPhone, names: ['hemtjanstab', 'hemvardsgruppen', 'finnsinte'] as const };
}

/** The keys of a body and, for each, the type of its value. */
function shape(body: Body): Record<string, string> {
  return Object.fromEntries(
    Object.keys(body)
      .sort()
      .map((key) => [key, typeof body[key]]),
  );
}

async function startAll(names: readonly string[]) {
  const answers: { status: number; body: Body }[] = [];
  for (const username of names) {
    const res = await call('/api/resets', { body: { username } });
    answers.push({ status: res.status, body: await json(res) });
  }
  return answers;
}

async function challengeRow(id: string) {
  return env.DB.prepare('SELECT status, attempts FROM challenges WHERE id = ?')
    .bind(id)
    .first<{ status: string; attempts: number }>();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('starting a reset does not tell whether a username exists or has a phone', () => {
  it('answers 202 with the same keys, id length and dates for all three kinds of username', async () => {
    const { names } = await seedThree();
    const answers = await startAll(names);

    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const [first, ...rest] = answers.map((a) => a.body);
    expect(shape(first ?? {})).toEqual({
      expiresAt: 'string',
      id: 'string',
      resendAfter: 'string',
    });
    for (const body of rest) expect(shape(body)).toEqual(shape(first ?? {}));

    for (const { body } of answers) {
      expect(String(body.id)).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(body.expiresAt).toBe(new Date(T0 + 600_000).toISOString());
      expect(body.resendAfter).toBe(new Date(T0 + 180_000).toISOString());
    }
    // Three different challenges, one per request, each live in D1.
    const ids = answers.map((a) => String(a.body.id));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids)
      expect(await challengeRow(id)).toEqual({ status: 'pending', attempts: 0 });
  });

  it('sends an SMS only for the username that has a phone', async () => {
    const { names } = await seedThree();
    await startAll(names);
    await backgroundSettled();
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe(PHONE);
    expect(sent[0]?.body).toMatch(/hemtjanstab/);
  });

  it('refuses an early resend the same way, and resends the same way after 3 minutes', async () => {
    const { names } = await seedThree();
    const ids = (await startAll(names)).map((a) => String(a.body.id));

    const early: { status: number; retryAfter: string | null; body: Body }[] = [];
    for (const id of ids) {
      const res = await call(`/api/resets/${id}/resend`, { method: 'POST' });
      early.push({
        status: res.status,
        retryAfter: res.headers.get('Retry-After'),
        body: await json(res),
      });
    }
    expect(early[0]).toMatchObject({ status: 429, retryAfter: '180' });
    expect(early[0]?.body).toMatchObject({ error: 'rate_limited', retryAfter: 180 });
    expect(early[1]).toEqual(early[0]);
    expect(early[2]).toEqual(early[0]);

    vi.setSystemTime(T0 + 181_000);
    const later: { status: number; body: Body }[] = [];
    for (const id of ids) {
      const res = await call(`/api/resets/${id}/resend`, { method: 'POST' });
      later.push({ status: res.status, body: await json(res) });
    }
    expect(later[0]).toEqual({
      status: 202,
      body: { resendAfter: new Date(T0 + 361_000).toISOString() },
    });
    expect(later[1]).toEqual(later[0]);
    expect(later[2]).toEqual(later[0]);

    // Only the real one got anything: the first SMS and its resend.
    await backgroundSettled();
    const sent = await outbox();
    expect(sent.map((m) => m.to)).toEqual([PHONE, PHONE]);
  });

  it('counts wrong codes the same way and locks the decoys after five like the real one', async () => {
    const { names } = await seedThree();
    const ids = (await startAll(names)).map((a) => String(a.body.id));
    const guess = wrongCode(await latestCode(PHONE));

    const answersById: { status: number; body: Body }[][] = [];
    for (const id of ids) {
      const answers: { status: number; body: Body }[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await call(`/api/resets/${id}/code`, { body: { code: guess } });
        answers.push({ status: res.status, body: await json(res) });
      }
      answersById.push(answers);
    }

    const real = answersById[0] ?? [];
    expect(real.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 423]);
    expect(real.map((a) => a.body.attemptsLeft)).toEqual([4, 3, 2, 1, 0, undefined]);
    expect(real[0]?.body.error).toBe('invalid_code');
    expect(real[5]?.body.error).toBe('locked');
    expect(answersById[1]).toEqual(real);
    expect(answersById[2]).toEqual(real);

    for (const id of ids) expect(await challengeRow(id)).toEqual({ status: 'locked', attempts: 5 });
  });

  it('gives the per-username budget of 5 an hour the same way to real and unknown names', async () => {
    await seedThree();
    const runs: { statuses: number[]; retryAfter: string | null; body: Body }[] = [];
    for (const username of ['hemtjanstab', 'hemvardsgruppen', 'finnsinte']) {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 6; i++) {
        last = await call('/api/resets', { body: { username } });
        statuses.push(last.status);
      }
      runs.push({
        statuses,
        retryAfter: last?.headers.get('Retry-After') ?? null,
        body: last ? await json(last) : {},
      });
    }

    expect(runs[0]?.statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect(runs[0]?.body).toMatchObject({ error: 'rate_limited' });
    expect(Number(runs[0]?.retryAfter)).toBeGreaterThan(0);
    expect(runs[0]?.body.retryAfter).toBe(Number(runs[0]?.retryAfter));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);

    // The budget is kept under the name as submitted, whether or not it exists.
    const unknown = await env.DB.prepare('SELECT count FROM counters WHERE key = ?')
      .bind(`reset:username:finnsinte:${clientNetwork(OUTSIDE_IP)}`)
      .first<{ count: number }>();
    expect(unknown?.count).toBe(6);
    // A refused start wrote no challenge: five each, fifteen in all.
    const challenges = await env.DB.prepare('SELECT COUNT(*) AS n FROM challenges').first<{
      n: number;
    }>();
    expect(challenges?.n).toBe(15);
  });
});

describe('mailbox login does not tell whether a username exists', () => {
  async function attempt(username: string, password: string) {
    const before = derivationCounter.count;
    const res = await call('/api/mailbox/session', { body: { username, password } });
    return {
      status: res.status,
      cookie: res.headers.get('Set-Cookie'),
      body: await json(res),
      derivations: derivationCounter.count - before,
    };
  }

  it('answers an unknown name and a wrong password with the same 401 and one derivation each', async () => {
    await seedMailbox({ username: 'hemtjanstab', password: 'Brevlada-2026' });
    const unknown = await attempt('finnsinte', 'Brevlada-2026');
    const wrong = await attempt('hemtjanstab', 'Fel-Losenord-9');

    expect(unknown).toEqual({
      status: 401,
      cookie: null,
      body: { error: 'invalid_credentials', message: expect.any(String) },
      derivations: 1,
    });
    expect(wrong).toEqual(unknown);
    const sessions = await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions').first<{
      n: number;
    }>();
    expect(sessions?.n).toBe(0);
  });

  it('locks an unknown name and a real one the same way after five failures', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', password: 'Brevlada-2026' });
    const runs = [];
    for (const username of ['hemtjanstab', 'finnsinte']) {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await attempt(username, 'Fel-Losenord-9'));
      runs.push(answers);
    }
    const [real, unknown] = runs;
    expect(real?.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 423]);
    expect(real?.[5]?.body).toMatchObject({ error: 'locked', retryAfter: 900 });
    expect(unknown).toEqual(real);

    // Even the right password is refused while the real account is locked.
    const right = await attempt('hemtjanstab', mailbox.password);
    expect(right.status).toBe(423);
    expect(right.body).toEqual(real?.[5]?.body);

    const { results } = await env.DB.prepare(
      'SELECT username, failures, locked_until FROM login_failures ORDER BY username',
    ).all();
    // Each name: the account-wide count (no lock at five), and its network's row, locked.
    const net = clientNetwork(OUTSIDE_IP);
    expect(results).toEqual([
      { username: 'finnsinte', failures: 5, locked_until: null },
      { username: `finnsinte|${net}`, failures: 5, locked_until: T0 / 1000 + 900 },
      { username: 'hemtjanstab', failures: 5, locked_until: null },
      { username: `hemtjanstab|${net}`, failures: 5, locked_until: T0 / 1000 + 900 },
    ]);
  });
});
