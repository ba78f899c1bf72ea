import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { verifySignature } from '../../worker/domain/webhook';
import worker from '../../worker/index';
import { backgroundSettled } from '../../worker/services/deps';
import {
  auditRows,
  call,
  callWith,
  json,
  latestCode,
  login,
  OUTSIDE_IP,
  type SeededMailbox,
  seedMailbox,
  startReset,
} from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';
import { connectorKeys, decryptJwe, jweHeader } from '../webhook-helpers';

/*
 * The signed webhook: after a mailbox password or number changes, one event goes
 * to the directory connector, signed (HMAC-SHA256 over "<t>.<body>"), with the event id as
 * Idempotency-Key, retried by the five-minute cron with backoff, sent once even when two runs
 * meet, and never with the password unless writeback is on — and then only as a JWE the
 * connector's private key opens.
 */

const RECEIVER = 'https://connector.example.se/nyckel?token=receiver-side-token';
const SECRET = env.WEBHOOK_SECRET;
const NEW_PASSWORD = 'Tr4sig-Kanin-44';
const NEW_PHONE = '+46709876543';
const WEBHOOK_CRON = '*/5 * * * *';

const PRODUCTION: Env = {
  ...env,
  ENVIRONMENT: 'production',
  SMS_PROVIDER: '46elks',
  MAIL_PROVIDER: 'mailgun',
};

/** Every console line the worker wrote during the test. */
let logs: MockInstance[] = [];

beforeEach(() => {
  logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation(() => undefined),
  );
});

afterEach(() => {
  vi.restoreAllMocks();
});

function logText(): string {
  return logs.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' '))).join('\n');
}

function logLines(event: string): Record<string, unknown>[] {
  return logText()
    .split('\n')
    .filter((line) => line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface Received {
  url: string;
  headers: Headers;
  body: string;
  redirect: string;
}

type Answer = number | 'hang' | 'network';

/** The connector behind fetch: `answers[i]` decides the i-th request (the last one repeats). */
function fakeReceiver(answers: Answer[] = [200]) {
  const received: Received[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith('https://connector.example.se/')) {
      throw new Error(`unexpected fetch to ${request.url}`);
    }
    received.push({
      url: request.url,
      headers: request.headers,
      body: await request.text(),
      redirect: init?.redirect ?? 'follow',
    });
    const answer = answers[Math.min(received.length, answers.length) - 1] ?? 200;
    if (answer === 'network') throw new TypeError('Network connection lost.');
    if (answer === 'hang') {
      const signal = init?.signal;
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
      });
    }
    const empty = answer === 204 || answer === 304;
    return new Response(empty ? null : answer === 200 ? '{"ok":true}' : 'nope', {
      status: answer,
      headers: answer >= 300 && answer < 400 ? { Location: 'https://elsewhere.example/' } : {},
    });
  });
  return { received, spy };
}

async function configureWebhook(url: string | null = RECEIVER) {
  if (url === null) return;
  await env.DB.prepare(
    "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('webhook.url', ?, 0, 'test')",
  )
    .bind(url)
    .run();
}

/** Runs the five-minute cron `offsetSeconds` from now, as the runtime would. */
async function runCron(offsetSeconds = 0, appEnv: Env = env) {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({
      cron: WEBHOOK_CRON,
      scheduledTime: Date.now() + offsetSeconds * 1000,
    }),
    appEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  await backgroundSettled();
}

interface EventRow {
  id: string;
  event: string;
  payload: string;
  attempts: number;
  status: string;
  next_attempt_at: number;
  claimed_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

async function events(): Promise<EventRow[]> {
  await backgroundSettled();
  const { results } = await env.DB.prepare(
    'SELECT * FROM webhook_events ORDER BY created_at, rowid',
  ).all<EventRow>();
  return results;
}

async function seedTeam() {
  const unit = await seedUnit('Hemtjänsten Åby');
  const manager = await seedPerson({ name: 'Anna Chef', roles: { [unit.id]: 'manager' } });
  const mailbox = await seedMailbox({ username: 'hemtjanstab', unitId: unit.id });
  return { unit, manager, mailbox };
}

/** A whole self-service reset; the last step under `appEnv` when given (callWith). */
async function completeReset(mailbox: SeededMailbox, appEnv?: Env, newPassword = NEW_PASSWORD) {
  const { id, code } = await startReset(mailbox);
  const verified = await call(`/api/resets/${id}/code`, { body: { code } });
  expect(verified.status).toBe(200);
  const { token } = await json<{ token: string }>(verified);
  const options = { body: { token, newPassword } };
  const set = appEnv
    ? await callWith(appEnv, `/api/resets/${id}/password`, options)
    : await call(`/api/resets/${id}/password`, options);
  expect(set.status).toBe(204);
  // The first delivery runs after the answer.
  await backgroundSettled();
  return { code: code ?? '', token };
}

async function expectSigned(request: Received | undefined) {
  expect(request).toBeDefined();
  const header = request?.headers.get('Nyckel-Signature') ?? '';
  expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  const now = Math.floor(Date.now() / 1000);
  expect(await verifySignature(SECRET, header, request?.body ?? '', now)).toBe(true);
  expect(await verifySignature(`${SECRET}-other`, header, request?.body ?? '', now)).toBe(false);
}

function payloadOf(request: Received | undefined): Record<string, unknown> {
  return JSON.parse(request?.body ?? '{}') as Record<string, unknown>;
}

/** A due event written straight to D1, for the cron's own tests. */
async function seedEvent(o: {
  status?: string;
  attempts?: number;
  nextAttemptAt?: number;
  claimedAt?: number | null;
  payload?: Record<string, unknown>;
}) {
  const id = crypto.randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    id,
    event: 'mailbox.phone_changed',
    occurredAt: new Date().toISOString(),
    mailbox: { id: 'mb-1', username: 'hemtjanstab', unitId: null },
    phone: NEW_PHONE,
    via: 'self',
    ...o.payload,
  });
  await env.DB.prepare(
    `INSERT INTO webhook_events (id, event, payload, created_at, attempts, next_attempt_at,
       status, claimed_at) VALUES (?, 'mailbox.phone_changed', ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      payload,
      now,
      o.attempts ?? 0,
      o.nextAttemptAt ?? now - 1,
      o.status ?? 'pending',
      o.claimedAt ?? null,
    )
    .run();
  return { id, payload };
}

describe('the event after a change', () => {
  it('sends one signed event with the Idempotency-Key after a completed reset, without the password', async () => {
    const { unit, mailbox } = await seedTeam();
    await configureWebhook();
    const receiver = fakeReceiver([200]);
    const { code, token } = await completeReset(mailbox);

    const rows = await events();
    expect(rows).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.url).toBe(RECEIVER);
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.headers.get('Idempotency-Key')).toBe(rows[0]?.id);
    expect(request?.headers.get('Nyckel-Event')).toBe('mailbox.password_changed');
    expect(request?.redirect).toBe('manual');
    await expectSigned(request);
    const payload = payloadOf(request);
    expect(payload).toEqual({
      id: rows[0]?.id,
      event: 'mailbox.password_changed',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      mailbox: { id: mailbox.id, username: 'hemtjanstab', unitId: unit.id },
      via: 'reset',
    });
    for (const secret of [NEW_PASSWORD, mailbox.password, code, token]) {
      expect(request?.body).not.toContain(secret);
      expect(JSON.stringify(rows)).not.toContain(secret);
    }
    expect(rows[0]).toMatchObject({ status: 'delivered', attempts: 1, last_status: 200 });
  });

  it('sends the new number in E.164 after a verified phone change', async () => {
    const { mailbox } = await seedTeam();
    await configureWebhook();
    const receiver = fakeReceiver([200]);
    const cookie = await login(mailbox);
    const put = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
    });
    expect(put.status).toBe(202);
    // Asking for a code changes nothing yet: no event until the number is verified.
    expect(await events()).toEqual([]);
    const code = await latestCode(NEW_PHONE);
    expect((await call('/api/mailbox/phone/verify', { body: { code }, cookie })).status).toBe(200);

    expect(await events()).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    await expectSigned(request);
    expect(request?.headers.get('Nyckel-Event')).toBe('mailbox.phone_changed');
    expect(payloadOf(request)).toMatchObject({
      event: 'mailbox.phone_changed',
      phone: NEW_PHONE,
      via: 'self',
    });
    expect(payloadOf(request).password).toBeUndefined();
  });

  it('sends one event after a reset on behalf and after a self-service change', async () => {
    const { manager, mailbox } = await seedTeam();
    await configureWebhook();
    const receiver = fakeReceiver([200]);
    const res = await call(`/api/manager/mailboxes/${mailbox.id}/password`, {
      body: { password: NEW_PASSWORD },
      cookie: await personCookie(manager.id),
    });
    expect(res.status).toBe(200);
    await backgroundSettled();
    expect(receiver.received).toHaveLength(1);
    expect(payloadOf(receiver.received[0])).toMatchObject({
      event: 'mailbox.password_changed',
      via: 'on_behalf',
    });

    const other = await seedMailbox({ username: 'hemvardsgruppen' });
    const changed = await call('/api/mailbox/password', {
      body: { currentPassword: other.password, newPassword: NEW_PASSWORD },
      cookie: await login(other),
    });
    expect(changed.status).toBe(204);
    await backgroundSettled();
    expect(receiver.received).toHaveLength(2);
    expect(payloadOf(receiver.received[1])).toMatchObject({
      mailbox: { id: other.id, username: 'hemvardsgruppen', unitId: null },
      via: 'self',
    });
    expect(receiver.received.map((r) => r.body).join()).not.toContain(NEW_PASSWORD);
    expect(await events()).toHaveLength(2);
  });

  it('queues nothing and sends nothing without a URL, or without a secret', async () => {
    const { mailbox } = await seedTeam();
    const receiver = fakeReceiver([200]);
    expect(env.WEBHOOK_URL ?? '').toBe('');
    await completeReset(mailbox);
    expect(await events()).toEqual([]);

    await configureWebhook();
    await completeReset(mailbox, { ...env, WEBHOOK_SECRET: '' }, 'Annat-Losen-2026');
    expect(await events()).toEqual([]);
    await runCron(600);
    expect(receiver.spy).not.toHaveBeenCalled();
  });

  it('uses WEBHOOK_URL when no administrator has set a URL', async () => {
    const { mailbox } = await seedTeam();
    const receiver = fakeReceiver([200]);
    await completeReset(mailbox, { ...env, WEBHOOK_URL: 'https://connector.example.se/default' });
    expect(receiver.received.map((r) => r.url)).toEqual(['https://connector.example.se/default']);
  });
});

describe('retries', () => {
  it('retries a 500 on a later cron run: delivered once, same key and body, 2 attempts', async () => {
    const { mailbox } = await seedTeam();
    await configureWebhook();
    const receiver = fakeReceiver([500, 200]);
    await completeReset(mailbox);

    let [row] = await events();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status: 500 });
    const firstTry = Math.floor(Date.now() / 1000);
    expect(row?.next_attempt_at).toBeGreaterThanOrEqual(firstTry + 59);
    expect(row?.next_attempt_at).toBeLessThanOrEqual(firstTry + 61);

    await runCron(30); // not due yet
    expect(receiver.received).toHaveLength(1);
    await runCron(120);
    expect(receiver.received).toHaveLength(2);
    await runCron(3600); // delivered: nothing more
    expect(receiver.received).toHaveLength(2);

    [row] = await events();
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200 });
    const [first, second] = receiver.received;
    expect(second?.headers.get('Idempotency-Key')).toBe(first?.headers.get('Idempotency-Key'));
    expect(second?.headers.get('Idempotency-Key')).toBe(row?.id);
    expect(second?.body).toBe(first?.body);
    await expectSigned(first);
    await expectSigned(second);
    expect(logLines('webhook_retry')).toEqual([
      expect.objectContaining({ id: row?.id, attempt: 1, status: 500, error: 'http' }),
    ]);
  });

  it('counts a timeout as a failed attempt and retries it', async () => {
    const { mailbox } = await seedTeam();
    await configureWebhook();
    const fast = { ...env, WEBHOOK_TIMEOUT_MS: '50' };
    const receiver = fakeReceiver(['hang', 200]);
    await completeReset(mailbox, fast);

    let [row] = await events();
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: null,
      last_error: 'timeout',
    });
    await runCron(120, fast);
    [row] = await events();
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(receiver.received).toHaveLength(2);
  });

  it('retries a network error, and does not follow a redirect', async () => {
    await configureWebhook();
    const { id } = await seedEvent({});
    const receiver = fakeReceiver(['network', 307, 200]);
    await runCron(0);
    expect((await events())[0]).toMatchObject({ status: 'pending', last_error: 'network' });
    await runCron(120);
    expect((await events())[0]).toMatchObject({
      status: 'pending',
      attempts: 2,
      last_status: 307,
      last_error: 'redirect',
    });
    expect(receiver.received).toHaveLength(2);
    await runCron(3600);
    expect((await events())[0]).toMatchObject({ id, status: 'delivered', attempts: 3 });
  });

  it('sends an event only once when two cron runs meet', async () => {
    await configureWebhook();
    await seedEvent({});
    await seedEvent({});
    await seedEvent({});
    const receiver = fakeReceiver([200]);
    await Promise.all([runCron(0), runCron(0), runCron(0)]);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers.get('Idempotency-Key'))).size).toBe(3);
    expect((await events()).map((e) => [e.status, e.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
  });

  it('leaves an event the request is still sending to the request', async () => {
    await configureWebhook();
    const now = Math.floor(Date.now() / 1000);
    await seedEvent({ status: 'delivering', attempts: 1, claimedAt: now - 10 });
    const receiver = fakeReceiver([200]);
    await runCron(0);
    expect(receiver.received).toHaveLength(0);
    // Claimed 10 minutes ago and never reported: the isolate died; the cron takes it over.
    await runCron(600);
    expect(receiver.received).toHaveLength(1);
    expect((await events())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('gives up after the eighth attempt, logs it without the payload, and strips the number', async () => {
    await configureWebhook();
    const { id } = await seedEvent({ attempts: 7 });
    const receiver = fakeReceiver([503]);
    await runCron(0);
    expect(receiver.received).toHaveLength(1);
    const [row] = await events();
    expect(row).toMatchObject({ status: 'failed', attempts: 8, last_status: 503 });
    expect(JSON.parse(row?.payload ?? '{}')).not.toHaveProperty('phone');
    expect(logLines('webhook_failed')).toEqual([
      {
        event: 'webhook_failed',
        id,
        type: 'mailbox.phone_changed',
        attempt: 8,
        status: 503,
        error: 'http',
      },
    ]);
    expect(logText()).not.toContain(NEW_PHONE);
    await runCron(7 * 86_400);
    expect(receiver.received).toHaveLength(1);
  });

  it('keeps events while no URL is set and sends them once one is', async () => {
    await seedEvent({});
    const receiver = fakeReceiver([200]);
    await runCron(0);
    expect(receiver.spy).not.toHaveBeenCalled();
    expect((await events())[0]).toMatchObject({ status: 'pending', attempts: 0 });
    await configureWebhook();
    await runCron(300);
    expect((await events())[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('forgets finished events after 30 days', async () => {
    await configureWebhook();
    await seedEvent({});
    fakeReceiver([200]);
    await runCron(0);
    expect(await events()).toHaveLength(1);
    await runCron(31 * 86_400);
    expect(await events()).toEqual([]);
  });

  it('does not run the hourly cleanup every five minutes', async () => {
    await runCron(0);
    expect(logLines('cleanup')).toEqual([]);
  });
});

describe('writeback mode', () => {
  async function admin() {
    const person = await seedPerson({ isAdmin: true });
    return personCookie(person.id);
  }

  it('sends the new password as a JWE only the connector can open, and forgets it once delivered', async () => {
    const { mailbox } = await seedTeam();
    const keys = await connectorKeys();
    const cookie = await admin();
    const put = await call('/api/admin/webhook', {
      method: 'PUT',
      body: { url: RECEIVER, writeback: true, publicKey: keys.publicJwk },
      cookie,
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const view = await json<{ publicKeyFingerprint: string; writeback: boolean }>(put);
    expect(view.writeback).toBe(true);

    const receiver = fakeReceiver([500, 200]);
    await completeReset(mailbox);

    // While the event waits for its retry, the row holds the JWE, never the password.
    let [row] = await events();
    expect(row?.status).toBe('pending');
    expect(row?.payload).not.toContain(NEW_PASSWORD);
    const stored = JSON.parse(row?.payload ?? '{}') as { password?: string };
    expect(stored.password).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);

    await runCron(120);
    [row] = await events();
    expect(row?.status).toBe('delivered');
    expect(JSON.parse(row?.payload ?? '{}')).not.toHaveProperty('password');
    expect(row?.payload).not.toContain(stored.password ?? '-');

    const [first, second] = receiver.received;
    expect(second?.body).toBe(first?.body);
    await expectSigned(second);
    const jwe = String(payloadOf(second).password);
    expect(jwe).toBe(stored.password);
    expect(second?.body).not.toContain(NEW_PASSWORD);
    expect(await decryptJwe(jwe, keys.privateKey)).toBe(NEW_PASSWORD);
    expect(jweHeader(jwe)).toMatchObject({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: view.publicKeyFingerprint,
    });
    const other = await connectorKeys();
    await expect(decryptJwe(jwe, other.privateKey)).rejects.toThrow();
  });

  it('never sends a password with a phone change, nor with writeback off', async () => {
    const { mailbox } = await seedTeam();
    const keys = await connectorKeys();
    const cookie = await admin();
    await call('/api/admin/webhook', {
      method: 'PUT',
      body: { url: RECEIVER, writeback: false, publicKey: keys.publicJwk },
      cookie,
    });
    const receiver = fakeReceiver([200]);
    await completeReset(mailbox);
    expect(payloadOf(receiver.received[0])).not.toHaveProperty('password');
    expect(receiver.received[0]?.body).not.toContain(NEW_PASSWORD);
  });

  it('never writes the secret, the password or the JWE to a log line', async () => {
    const { mailbox } = await seedTeam();
    const keys = await connectorKeys();
    await call('/api/admin/webhook', {
      method: 'PUT',
      body: { url: RECEIVER, writeback: true, publicKey: keys.publicJwk },
      cookie: await admin(),
    });
    const receiver = fakeReceiver([500, 'hang', 200]);
    await completeReset(mailbox, { ...env, WEBHOOK_TIMEOUT_MS: '50' });
    await runCron(120, { ...env, WEBHOOK_TIMEOUT_MS: '50' });
    await runCron(3600);
    expect(receiver.received).toHaveLength(3);
    const jwe = String(payloadOf(receiver.received[0]).password);
    const text = logText();
    expect(text).toContain('webhook_retry');
    for (const secret of [SECRET, NEW_PASSWORD, jwe, 'receiver-side-token']) {
      expect(text).not.toContain(secret);
    }
    for (const request of receiver.received) {
      const mac = request.headers.get('Nyckel-Signature')?.split('v1=')[1] ?? '';
      expect(text).not.toContain(mac);
    }
  });
});

describe('the administrator’s webhook settings', () => {
  async function admin(options: { verifiedAgoSeconds?: number } = {}) {
    const person = await seedPerson({ isAdmin: true });
    return personCookie(person.id, options);
  }

  async function settingsRows() {
    return (
      await env.DB.prepare("SELECT key, value FROM settings WHERE key LIKE 'webhook.%'").all()
    ).results;
  }

  function put(cookie: string, body: unknown, appEnv?: Env) {
    const options = { method: 'PUT', body, cookie };
    return appEnv
      ? callWith(appEnv, '/api/admin/webhook', options)
      : call('/api/admin/webhook', options);
  }

  it('shows that nothing is sent until a URL is set, and the defaults', async () => {
    const res = await call('/api/admin/webhook', { cookie: await admin() });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      url: null,
      source: 'default',
      defaultUrl: null,
      secretConfigured: true,
      active: false,
      inactiveReason: 'no_url',
      writeback: false,
      publicKeyFingerprint: null,
      counts: { pending: 0, delivering: 0, delivered: 0, failed: 0 },
      recent: [],
    });
    const noSecret = await callWith({ ...env, WEBHOOK_SECRET: '' }, '/api/admin/webhook', {
      cookie: await admin(),
    });
    expect(await json(noSecret)).toMatchObject({
      secretConfigured: false,
      inactiveReason: 'no_secret',
    });
  });

  it('saves a URL, writeback and a key, audited by thumbprint and never by key material', async () => {
    const cookie = await admin();
    const keys = await connectorKeys();
    const res = await put(cookie, { url: RECEIVER, writeback: true, publicKey: keys.publicJwk });
    expect(res.status).toBe(200);
    const view = await json<Record<string, unknown>>(res);
    expect(view).toMatchObject({
      url: RECEIVER,
      source: 'settings',
      active: true,
      inactiveReason: null,
      writeback: true,
      publicKeyFingerprint: expect.stringMatching(/^[\w-]{43}$/),
    });
    const entries = (await auditRows()).filter((r) => r.action === 'webhook.update');
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]?.detail ?? '{}')).toEqual({
      url: 'https://connector.example.se/nyckel',
      previousUrl: '',
      source: 'settings',
      writeback: true,
      previousWriteback: false,
      publicKey: view.publicKeyFingerprint,
      previousPublicKey: null,
    });
    expect(entries[0]?.detail).not.toContain(keys.publicJwk.n?.slice(0, 40));

    // Without publicKey the stored key stays: changing only the URL keeps writeback working.
    const moved = await put(cookie, { url: 'https://connector.example.se/v2', writeback: true });
    expect(moved.status).toBe(200);
    expect(await json(moved)).toMatchObject({
      url: 'https://connector.example.se/v2',
      writeback: true,
      publicKeyFingerprint: view.publicKeyFingerprint,
    });

    // null goes back to WEBHOOK_URL and removes the key; '' turns the webhook off.
    const back = await put(cookie, { url: null, writeback: false, publicKey: null });
    expect(await json(back)).toMatchObject({
      url: null,
      source: 'default',
      active: false,
      publicKeyFingerprint: null,
    });
    const off = await put(cookie, { url: '', writeback: false, publicKey: null });
    expect(await json(off)).toMatchObject({ url: null, source: 'settings', active: false });
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const cookie = await admin();
    const keys = await connectorKeys();
    const short = await connectorKeys(1024);
    const cases: [unknown, string][] = [
      [{ url: 'not a url', writeback: false, publicKey: null }, 'url'],
      [{ url: 'http://connector.example.se/nyckel', writeback: false, publicKey: null }, 'url'],
      [{ url: 'ftp://connector.example.se/', writeback: false, publicKey: null }, 'url'],
      [{ url: 'https://user:pw@connector.example.se/', writeback: false, publicKey: null }, 'url'],
      [{ url: RECEIVER, writeback: true, publicKey: null }, 'writeback'],
      [{ url: RECEIVER, writeback: true, publicKey: short.publicJwk }, 'publicKey'],
      [
        { url: RECEIVER, writeback: false, publicKey: { kty: 'EC', x: 'AA', y: 'AA' } },
        'publicKey.kty',
      ],
      [
        { url: RECEIVER, writeback: true, publicKey: { ...keys.publicJwk, d: 'AQAB' } },
        'publicKey',
      ],
      [
        { url: RECEIVER, writeback: true, publicKey: { kty: 'RSA', n: '!!', e: 'AQAB' } },
        'publicKey.n',
      ],
      [{ url: RECEIVER, writeback: 'yes', publicKey: null }, 'writeback'],
      [{ url: RECEIVER, writeback: false, publicKey: null, secret: 'x' }, 'secret'],
      [{ url: RECEIVER }, 'writeback'],
    ];
    for (const [body, path] of cases) {
      const res = await put(cookie, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const answer = await json<{ error: string; issues: { path: string; message: string }[] }>(
        res,
      );
      expect(answer.error).toBe('invalid_request');
      expect(
        answer.issues.map((i) => i.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const writeback = await put(cookie, { url: RECEIVER, writeback: true, publicKey: null });
    expect((await json<{ issues: { message: string }[] }>(writeback)).issues[0]?.message).toMatch(
      /public key/,
    );
    expect(await settingsRows()).toEqual([]);
    expect((await auditRows()).filter((r) => r.action === 'webhook.update')).toEqual([]);
  });

  it('allows http://localhost in development only', async () => {
    const local = { url: 'http://localhost:9000/hook', writeback: false, publicKey: null };
    expect((await put(await admin(), local)).status).toBe(200);
    await env.DB.prepare("DELETE FROM settings WHERE key LIKE 'webhook.%'").run();
    const res = await put(await admin(), local, PRODUCTION);
    expect(res.status).toBe(400);
    expect(await settingsRows()).toEqual([]);
  });

  it('needs a fresh sign-in to change anything or to send a test', async () => {
    const cookie = await admin({ verifiedAgoSeconds: 11 * 60 });
    const res = await put(cookie, { url: RECEIVER, writeback: false, publicKey: null });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('step_up_required');
    const test = await call('/api/admin/webhook/test', { body: {}, cookie });
    expect(test.status).toBe(403);
    expect(await settingsRows()).toEqual([]);
  });

  it('sends a signed ping and reports what the receiver said, storing nothing', async () => {
    const cookie = await admin();
    await configureWebhook();
    const receiver = fakeReceiver([204, 401]);
    const ok = await call('/api/admin/webhook/test', { body: {}, cookie });
    expect(await json(ok)).toEqual({ delivered: true, status: 204, error: null });
    const [request] = receiver.received;
    await expectSigned(request);
    expect(request?.headers.get('Nyckel-Event')).toBe('ping');
    expect(payloadOf(request)).toEqual({
      id: request?.headers.get('Idempotency-Key'),
      event: 'ping',
      occurredAt: expect.any(String),
    });
    const refused = await call('/api/admin/webhook/test', { body: {}, cookie });
    expect(await json(refused)).toEqual({ delivered: false, status: 401, error: 'http' });
    expect(await events()).toEqual([]);
    const tests = (await auditRows()).filter((r) => r.action === 'webhook.test');
    expect(tests.map((r) => r.outcome)).toEqual(['success', 'failure']);
  });

  it('lists events with their state and never their payload', async () => {
    const cookie = await admin();
    await configureWebhook();
    await seedEvent({ payload: { password: 'eyJ.secret.jwe.parts.here' } });
    fakeReceiver([500]);
    await runCron(0);
    const res = await call('/api/admin/webhook', { cookie });
    const text = await res.clone().text();
    const view = await json<{ counts: Record<string, number>; recent: Record<string, unknown>[] }>(
      res,
    );
    expect(view.counts).toEqual({ pending: 1, delivering: 0, delivered: 0, failed: 0 });
    expect(view.recent).toEqual([
      {
        id: expect.any(String),
        event: 'mailbox.phone_changed',
        status: 'pending',
        attempts: 1,
        createdAt: expect.any(String),
        nextAttemptAt: expect.any(String),
        deliveredAt: null,
        lastStatus: 500,
        lastError: 'http',
      },
    ]);
    expect(text).not.toContain(NEW_PHONE);
    expect(text).not.toContain('secret.jwe');
    expect(text).not.toContain('hemtjanstab');
  });

  it('refuses everyone who is not an administrator', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const res = await call('/api/admin/webhook', { cookie: await personCookie(manager.id) });
    expect(res.status).toBe(403);
    expect((await call('/api/admin/webhook', { ip: OUTSIDE_IP })).status).toBe(401);
  });
});
