import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { extractCode } from '../../worker/domain/codes';
import { ResetStarted } from '../../worker/routes/resets.schemas';
import { callWith, loginWith, seedMailbox } from '../helpers';

/** Production with 46elks and a short timeout, so the timeout path is quick. */
function productionEnv(overrides: Partial<Env> = {}): Env {
  return {
    ...env,
    SMS_PROVIDER: '46elks',
    ENVIRONMENT: 'production',
    MAIL_PROVIDER: 'mailgun',
    SMS_TIMEOUT_MS: '50',
    ...overrides,
  };
}

interface UpstreamRequest {
  url: string;
  method: string;
  headers: Headers;
  form: URLSearchParams;
}

type Answer = (signal: AbortSignal | null | undefined) => Promise<Response>;

const created: Answer = async () =>
  new Response(JSON.stringify({ id: 's123', status: 'created' }), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  });

const status =
  (code: number, text = 'error'): Answer =>
  async () =>
    new Response(text, { status: code });

/** A fake 46elks: records every request it receives and answers with `answer`. */
function fakeElks(initial: Answer) {
  const received: UpstreamRequest[] = [];
  const upstream = { answer: initial, received };
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    received.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())),
    });
    return upstream.answer(init?.signal);
  });
  return upstream;
}

/** Never answers; fails only when the caller's signal aborts, with the signal's reason. */
const hanging: Answer = (signal) =>
  new Promise<Response>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason));
  });

interface DeliveryRow {
  channel: string;
  purpose: string;
  recipient_masked: string;
  provider: string;
  status: string;
  attempts: number;
  error: string | null;
}

async function deliveries(): Promise<DeliveryRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT * FROM deliveries ORDER BY id',
  ).all<DeliveryRow>();
  return results;
}

async function challengeRow(id: string) {
  return env.DB.prepare('SELECT status, attempts, resends FROM challenges WHERE id = ?')
    .bind(id)
    .first<{ status: string; attempts: number; resends: number }>();
}

function phoneOf(mailboxId: string) {
  return env.DB.prepare('SELECT phone FROM mailboxes WHERE id = ?').bind(mailboxId).first('phone');
}

async function startResetWith(appEnv: Env, username: string) {
  const res = await callWith(appEnv, '/api/resets', { body: { username } });
  expect(res.status).toBe(202);
  return v.parse(ResetStarted, await res.json());
}

function codeIn(request: UpstreamRequest | undefined): string {
  const code = extractCode(request?.form.get('message') ?? '');
  if (!code) throw new Error('no code in the message 46elks received');
  return code;
}

let warn: MockInstance<typeof console.warn>;

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('SMS through 46elks', () => {
  it('posts the code to 46elks as a form with basic auth, sender Nyckel and the WebOTP line', async () => {
    const upstream = fakeElks(created);
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    await startResetWith(productionEnv(), 'hemtjanstab');

    expect(upstream.received).toHaveLength(1);
    const [request] = upstream.received;
    expect(request?.url).toBe('https://api.46elks.com/a1/sms');
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('Authorization')).toBe(
      `Basic ${btoa('test-elks-user:test-elks-password')}`,
    );
    expect(request?.headers.get('Content-Type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request?.form.get('from')).toBe('Nyckel');
    expect(request?.form.get('to')).toBe('+46701234567');
    const message = request?.form.get('message') ?? '';
    expect(message).toMatch(/\n@nyckel\.test #\d{6}$/);
    const code = codeIn(request);
    // The code is in the text itself too, not only in the WebOTP line.
    expect(message.split(code).length - 1).toBeGreaterThanOrEqual(2);
  });

  it('records a delivered reset code as sent, with a masked number and no text', async () => {
    const upstream = fakeElks(created);
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const started = await startResetWith(productionEnv(), 'hemtjanstab');
    const code = codeIn(upstream.received[0]);

    const rows = await deliveries();
    expect(rows).toEqual([
      expect.objectContaining({
        channel: 'sms',
        purpose: 'reset_code',
        provider: '46elks',
        status: 'sent',
        attempts: 1,
        error: null,
      }),
    ]);
    expect(rows[0]?.recipient_masked).toBe('070-••• 45 67');
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('701234567');
    expect(stored).not.toContain(code);
    expect(stored).not.toContain('hemtjanstab');
    expect(await challengeRow(started.id)).toEqual({ status: 'pending', attempts: 0, resends: 0 });
  });

  it('still answers a reset when 46elks is down, retries once, and the same code works after a resend', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2026, 4, 4, 10, 15, 0);
    vi.setSystemTime(t0);
    const upstream = fakeElks(status(503, 'Service Unavailable'));
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const appEnv = productionEnv();

    const started = await startResetWith(appEnv, 'hemtjanstab');
    expect(upstream.received).toHaveLength(2);
    const firstCode = codeIn(upstream.received[0]);
    expect(codeIn(upstream.received[1])).toBe(firstCode);
    expect(await deliveries()).toEqual([
      expect.objectContaining({
        purpose: 'reset_code',
        status: 'failed',
        attempts: 2,
        error: 'upstream_error',
      }),
    ]);
    expect(await challengeRow(started.id)).toEqual({ status: 'pending', attempts: 0, resends: 0 });
    // Operators are told, without the code.
    const warned = warn.mock.calls.flat().map(String).join('\n');
    expect(warned).toContain('sms_failed');
    expect(warned).not.toContain(firstCode);

    upstream.answer = created;
    vi.setSystemTime(t0 + 181_000);
    const resent = await callWith(appEnv, `/api/resets/${started.id}/resend`, { method: 'POST' });
    expect(resent.status).toBe(202);
    expect(upstream.received).toHaveLength(3);
    expect(codeIn(upstream.received[2])).toBe(firstCode);
    expect((await deliveries())[1]).toMatchObject({ status: 'sent', attempts: 1, error: null });

    const verified = await callWith(appEnv, `/api/resets/${started.id}/code`, {
      body: { code: firstCode },
    });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ token: expect.any(String) });
    expect(await challengeRow(started.id)).toMatchObject({ status: 'verified', resends: 1 });
  });

  it('gives up on a 46elks that does not answer in time, after two tries, and the reset still answers', async () => {
    const upstream = fakeElks(hanging);
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const started = await startResetWith(productionEnv(), 'hemtjanstab');

    expect(upstream.received).toHaveLength(2);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 2, error: 'timeout' }),
    ]);
    expect(await challengeRow(started.id)).toEqual({ status: 'pending', attempts: 0, resends: 0 });
  });

  it.each([
    ['a body that is not JSON', 'OK'],
    ['JSON without an id', JSON.stringify({ status: 'created' })],
    ['a message marked failed', JSON.stringify({ id: 's123', status: 'failed' })],
  ])(
    'does not retry when 46elks answers 200 with %s, and records it as malformed',
    async (_, text) => {
      const upstream = fakeElks(async () => new Response(text, { status: 200 }));
      await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
      const started = await startResetWith(productionEnv(), 'hemtjanstab');

      expect(upstream.received).toHaveLength(1);
      expect(await deliveries()).toEqual([
        expect.objectContaining({ status: 'failed', attempts: 1, error: 'malformed' }),
      ]);
      expect(await challengeRow(started.id)).toEqual({
        status: 'pending',
        attempts: 0,
        resends: 0,
      });
    },
  );

  it.each([400, 401])('does not retry a message 46elks refuses with %i', async (code) => {
    const upstream = fakeElks(status(code, 'Invalid to number'));
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    await startResetWith(productionEnv(), 'hemtjanstab');

    expect(upstream.received).toHaveLength(1);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, error: 'rejected' }),
    ]);
  });

  it('retries once when 46elks asks to slow down (429)', async () => {
    const upstream = fakeElks(status(429, 'Too Many Requests'));
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    await startResetWith(productionEnv(), 'hemtjanstab');

    expect(upstream.received).toHaveLength(2);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 2, error: 'upstream_error' }),
    ]);
  });
});

describe('registering a number while 46elks fails', () => {
  it('says the SMS service is unavailable, leaves nothing behind, and works once 46elks is back', async () => {
    const upstream = fakeElks(status(500, 'Internal Server Error'));
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const appEnv = productionEnv();
    const cookie = await loginWith(appEnv, mailbox);

    const failed = await callWith(appEnv, '/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
    });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: 'sms_unavailable' });
    expect(upstream.received).toHaveLength(2);
    const challenges = await env.DB.prepare('SELECT COUNT(*) AS n FROM challenges').first('n');
    expect(challenges).toBe(0);
    expect((await env.CODES.list({ prefix: 'code:' })).keys).toEqual([]);
    expect(await phoneOf(mailbox.id)).toBe('+46701234567');
    expect(await deliveries()).toEqual([
      expect.objectContaining({ purpose: 'phone_code', status: 'failed', attempts: 2 }),
    ]);

    upstream.answer = created;
    const sent = await callWith(appEnv, '/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
    });
    expect(sent.status).toBe(202);
    expect(upstream.received).toHaveLength(3);
    expect(upstream.received[2]?.form.get('to')).toBe('+46709876543');
    const code = codeIn(upstream.received[2]);

    const verified = await callWith(appEnv, '/api/mailbox/phone/verify', {
      body: { code },
      cookie,
    });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ phone: '+46709876543' });
    expect(await phoneOf(mailbox.id)).toBe('+46709876543');
    // The number it replaced is told, through 46elks as well.
    expect(upstream.received[3]?.form.get('to')).toBe('+46701234567');
  });
});

describe('the development outbox in production', () => {
  const outboxInProduction = (): Env => ({
    ...env,
    ENVIRONMENT: 'production',
    MAIL_PROVIDER: 'mailgun',
    SMS_PROVIDER: 'outbox',
  });
  const count = (table: string) =>
    env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<number>('n');

  it('refuses to serve at all, so no code can ever reach the outbox', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const errors = vi.spyOn(console, 'error');
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const appEnv = outboxInProduction();

    const login = await callWith(appEnv, '/api/mailbox/session', {
      body: { username: mailbox.username, password: mailbox.password },
    });
    expect(login.status).toBe(500);
    expect(await login.json()).toMatchObject({ error: 'internal' });
    const reset = await callWith(appEnv, '/api/resets', { body: { username: 'hemtjanstab' } });
    expect(reset.status).toBe(500);

    for (const table of ['outbox', 'challenges', 'sessions', 'audit', 'counters']) {
      expect(await count(table)).toBe(0);
    }
    expect((await env.CODES.list({ prefix: 'code:' })).keys).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(errors).toHaveBeenCalled();
  });

  it('refuses an unknown SMS provider name the same way instead of guessing one', async () => {
    await seedMailbox({ username: 'hemtjanstab', phone: '+46701234567' });
    const res = await callWith({ ...env, SMS_PROVIDER: '46eIks' }, '/api/resets', {
      body: { username: 'hemtjanstab' },
    });
    expect(res.status).toBe(500);
    expect(await count('challenges')).toBe(0);
  });
});
