import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { extractCode } from '../../worker/domain/codes';
import worker, { app } from '../../worker/index';
import { ResetStarted } from '../../worker/routes/resets.schemas';
import { backgroundSettled } from '../../worker/services/deps';
import { seedStaff } from '../handover-helpers';
import {
  call,
  callWith,
  json,
  latestCode,
  login,
  ORIGIN,
  OUTSIDE_IP,
  outbox,
  seedMailbox,
  snapshot,
  startReset,
} from '../helpers';
import {
  dayFromToday,
  identityBody,
  integrationCall,
  PNR,
  seedServiceToken,
} from '../identity-helpers';
import { seedPerson, seedUnit } from '../people-helpers';

/*
 * Faults: test doubles around the bindings and the upstreams, never instead of
 * them. env.DB and env.CODES stay the real local D1 and KV behind a Proxy that fails one
 * chosen call; the SMS, mail and webhook upstreams are a fake outbound fetch. Faults already
 * covered elsewhere are not repeated here: 46elks 5xx/429/4xx and the phone change while it
 * fails (sms.test.ts), Mailgun 5xx/timeout (mail.test.ts), the rotation run with Mailgun down
 * (rotation.test.ts), two rotation or two webhook runs at once (rotation/webhooks.test.ts),
 * and a reset code entered while KV has not seen its secret (security/codes.test.ts).
 */

const PHONE = '+46701234567';
const PHONE_DIGITS = '701234567';
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug'] as const;

let consoleSpies: MockInstance[] = [];

beforeEach(() => {
  consoleSpies = CONSOLE.map((level) =>
    vi.spyOn(console, level).mockImplementation(() => undefined),
  );
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Every console call the worker made, one entry per call. */
function consoleCalls(): unknown[][] {
  return consoleSpies.flatMap((spy) => spy.mock.calls);
}

function logLines(event: string): Record<string, unknown>[] {
  return consoleCalls()
    .map((args) => String(args[0]))
    .filter((line) => line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function production(overrides: Partial<Env> = {}): Env {
  return {
    ...env,
    ENVIRONMENT: 'production',
    SMS_PROVIDER: '46elks',
    MAIL_PROVIDER: 'mailgun',
    ...overrides,
  };
}

async function deliveries() {
  const { results } = await env.DB.prepare('SELECT * FROM deliveries ORDER BY id').all<{
    channel: string;
    purpose: string;
    recipient_masked: string;
    provider: string;
    status: string;
    attempts: number;
    error: string | null;
  }>();
  return results;
}

async function challengeRow(id: string) {
  return env.DB.prepare('SELECT status, attempts, resends FROM challenges WHERE id = ?')
    .bind(id)
    .first<{ status: string; attempts: number; resends: number }>();
}

// ---------------------------------------------------------------------------------------------
// The SMS provider
// ---------------------------------------------------------------------------------------------

type Fault = (signal: AbortSignal | null | undefined) => Promise<Response>;

/** Rejects with the signal's reason once the caller gives up; never answers before. */
function untilAborted(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason));
  });
}

const created = () =>
  new Response(JSON.stringify({ id: 's1', status: 'created' }), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  });

const FAULTS: {
  name: string;
  fault: Fault;
  /** Calls to 46elks for one message: the code retries a retryable failure once. */
  calls: number;
  error: string;
}[] = [
  {
    name: 'a 5xx',
    fault: async () => new Response('Bad Gateway', { status: 502 }),
    calls: 2,
    error: 'upstream_error',
  },
  { name: 'no answer within SMS_TIMEOUT_MS', fault: untilAborted, calls: 2, error: 'timeout' },
  {
    name: 'an answer after 10 s',
    fault: (signal) =>
      new Promise<Response>((resolve, reject) => {
        const timer = setTimeout(() => resolve(created()), 10_000);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
    calls: 2,
    error: 'timeout',
  },
  {
    name: 'a 200 that is not JSON',
    fault: async () => new Response('<html>OK</html>', { status: 200 }),
    calls: 1,
    error: 'malformed',
  },
  {
    name: 'a 200 without a message id',
    fault: async () =>
      new Response(JSON.stringify({ status: 'created', to: PHONE }), { status: 200 }),
    calls: 1,
    error: 'malformed',
  },
];

/**
 * A fake 46elks behind fetch. Every request waits at `gate` (so a test can see what the
 * client got while the provider has not answered yet) and is then answered by `answer`.
 */
function fakeElks(answer: Fault) {
  const messages: string[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const upstream = { answer, messages, open };
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith('https://api.46elks.com/')) {
      throw new Error(`unexpected fetch to ${request.url}`);
    }
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    messages.push(form.get('message') ?? '');
    await gate;
    return upstream.answer(init?.signal);
  });
  return upstream;
}

describe('a failing SMS provider during a reset', () => {
  it.each(FAULTS)(
    '$name: the reset answers 202 at once, the send is retried as defined and recorded, and a resend later works',
    async ({ fault, calls, error }) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const t0 = Date.UTC(2026, 4, 4, 10, 15, 0);
      vi.setSystemTime(t0);
      const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
      const appEnv = production({ SMS_TIMEOUT_MS: '50' });
      const upstream = fakeElks(fault);

      // The answer comes while the provider has not said anything yet (waitUntil).
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`${ORIGIN}/api/resets`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Origin: ORIGIN,
            'CF-Connecting-IP': OUTSIDE_IP,
          },
          body: JSON.stringify({ username: mailbox.username }),
        }),
        appEnv,
        ctx,
      );
      expect(res.status).toBe(202);
      const body = await json(res);
      expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'resendAfter']);
      const started = v.parse(ResetStarted, body);
      expect(await deliveries()).toEqual([]);
      upstream.open();
      await waitOnExecutionContext(ctx);
      await backgroundSettled();

      // Retried exactly as the code defines, with the same code both times.
      expect(upstream.messages).toHaveLength(calls);
      const code = extractCode(upstream.messages[0] ?? '');
      expect(code).toMatch(/^\d{6}$/);
      for (const message of upstream.messages) expect(extractCode(message)).toBe(code);

      // Operators see it: a delivery row and one JSON log line, neither with number or code.
      const rows = await deliveries();
      expect(rows).toEqual([
        expect.objectContaining({
          channel: 'sms',
          purpose: 'reset_code',
          provider: '46elks',
          status: 'failed',
          attempts: calls,
          error,
        }),
      ]);
      const failed = logLines('sms_failed');
      expect(failed).toEqual([
        { event: 'sms_failed', purpose: 'reset_code', provider: '46elks', error },
      ]);
      for (const args of consoleCalls()) {
        expect(args).toHaveLength(1);
        const line = String(args[0]);
        expect(line).not.toMatch(/[\r\n]/);
        expect(line).not.toContain(PHONE_DIGITS);
        expect(line).not.toContain(code ?? '');
        expect(line).not.toContain('hemtjanstab');
      }
      expect(JSON.stringify(rows)).not.toContain(PHONE_DIGITS);

      // The code was not used up: nothing counted, nothing consumed.
      expect(await challengeRow(started.id)).toEqual({
        status: 'pending',
        attempts: 0,
        resends: 0,
      });

      // After the guide's 3 minutes the person asks again; the provider is back.
      upstream.answer = async () => created();
      vi.setSystemTime(t0 + 181_000);
      const resent = await callWith(appEnv, `/api/resets/${started.id}/resend`, {
        method: 'POST',
      });
      expect(resent.status).toBe(202);
      expect(upstream.messages).toHaveLength(calls + 1);
      expect(extractCode(upstream.messages[calls] ?? '')).toBe(code);
      expect((await deliveries())[1]).toMatchObject({ status: 'sent', attempts: 1 });

      const verified = await callWith(appEnv, `/api/resets/${started.id}/code`, {
        body: { code },
      });
      expect(verified.status).toBe(200);
      expect(await challengeRow(started.id)).toMatchObject({ status: 'verified', attempts: 1 });
    },
  );
});

// ---------------------------------------------------------------------------------------------
// D1 failing in the middle of a multi-statement write
// ---------------------------------------------------------------------------------------------

/** The SQL text of a prepared statement (workerd keeps it as `statement`). */
function sqlOf(statement: D1PreparedStatement): string {
  const text: unknown = Reflect.get(statement, 'statement');
  return typeof text === 'string' ? text : '';
}

/** What a real driver error can look like: the SQL and a parameter in the message. */
const DRIVER_ERROR = 'D1_ERROR: SQLITE_BUSY while running UPDATE mailboxes SET password_hash = ?';

/**
 * env.DB, except that `batch` throws for the first batch `matches` picks: the real binding
 * runs every other call, and the failing batch writes nothing (as a failed D1 batch, which is
 * one transaction).
 */
function failingBatch(
  db: D1Database,
  matches: (sql: string[]) => boolean,
  message: string = DRIVER_ERROR,
) {
  const state = { failed: 0, batches: [] as string[][] };
  // Requests use a D1 session (read replication): its batches fail the same way.
  const failing = <T extends D1Database | D1DatabaseSession>(base: T): T =>
    new Proxy(base, {
      get(target, property) {
        if (property === 'batch') {
          return async (statements: D1PreparedStatement[]) => {
            const sql = statements.map(sqlOf);
            state.batches.push(sql);
            if (state.failed === 0 && matches(sql)) {
              state.failed++;
              throw new Error(message);
            }
            return target.batch(statements);
          };
        }
        if (property === 'withSession' && 'withSession' in target) {
          return (bookmark?: string) => failing(target.withSession(bookmark));
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return { db: failing(db), state };
}

/**
 * The answer of a storage failure: `busy` (D1 briefly unavailable: 503 retry_later with the
 * wait) or a bug (500 internal); either way generic, no SQL, no stack, no secret.
 */
async function expectGenericFailure(
  res: Response,
  secrets: string[] = [],
  kind: 'busy' | 'bug' = 'busy',
) {
  const text = await res.text();
  if (kind === 'busy') {
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('5');
    expect(JSON.parse(text)).toEqual({
      error: 'retry_later',
      message: 'Tjänsten är tillfälligt upptagen. Försök igen om några sekunder.',
      retryAfter: 5,
    });
  } else {
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: 'internal',
      message: 'Något gick fel hos oss. Försök igen om en stund.',
    });
  }
  for (const leak of ['D1_ERROR', 'SQLITE', 'UPDATE', 'INSERT', 'mailboxes', ' at ', '.ts:']) {
    expect(text).not.toContain(leak);
  }
  for (const secret of secrets) expect(text).not.toContain(secret);
  // Operators get one line with the error's name, never its message (it may quote the SQL).
  const event = kind === 'busy' ? 'storage_unavailable' : 'unhandled_error';
  expect(logLines(event)).toEqual([expect.objectContaining({ event, name: 'Error' })]);
  const all = JSON.stringify(consoleCalls());
  expect(all).not.toContain('D1_ERROR');
  for (const secret of secrets) expect(all).not.toContain(secret);
}

async function verifiedReset(mailbox: Awaited<ReturnType<typeof seedMailbox>>) {
  const { id, code } = await startReset(mailbox);
  const res = await call(`/api/resets/${id}/code`, { body: { code } });
  expect(res.status).toBe(200);
  const { token } = await json<{ token: string }>(res);
  return { id, token };
}

const NEW_PASSWORD = 'Tr4sig-Kanin-44';

describe('D1 failing in the middle of a multi-statement write', () => {
  it('reset completion: 503 with the generic message, not one row changed, and the same token works after', async () => {
    const mailbox = await seedMailbox({ phone: PHONE });
    const { id, token } = await verifiedReset(mailbox);
    const fault = failingBatch(env.DB, (sql) =>
      sql.some((s) => s.startsWith('UPDATE mailboxes SET password_hash')),
    );
    const before = await snapshot();

    const res = await callWith({ ...env, DB: fault.db }, `/api/resets/${id}/password`, {
      body: { token, newPassword: NEW_PASSWORD },
    });
    expect(fault.state.failed).toBe(1);
    // The failed batch held the claim, the password, its history and the share offer.
    const failedBatch = fault.state.batches.at(-1) ?? [];
    expect(failedBatch.length).toBeGreaterThanOrEqual(3);
    await expectGenericFailure(res, [NEW_PASSWORD, token]);
    expect(await snapshot()).toEqual(before);

    const retried = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: NEW_PASSWORD },
    });
    expect(retried.status).toBe(204);
    const signedIn = await call('/api/mailbox/session', {
      body: { username: mailbox.username, password: NEW_PASSWORD },
    });
    expect(signedIn.status).toBe(200);
  });

  it('phone confirmation: 503 with the generic message, the number unchanged, and the same code works after', async () => {
    const mailbox = await seedMailbox({ phone: PHONE });
    const cookie = await login(mailbox);
    const asked = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
    });
    expect(asked.status).toBe(202);
    const code = await latestCode('+46709876543');
    const fault = failingBatch(env.DB, (sql) =>
      sql.some((s) => s.startsWith('UPDATE mailboxes SET phone')),
    );
    const before = await snapshot();

    const res = await callWith({ ...env, DB: fault.db }, '/api/mailbox/phone/verify', {
      body: { code },
      cookie,
    });
    expect(fault.state.failed).toBe(1);
    await expectGenericFailure(res, [code, '709876543']);
    // The right code's try is counted in the batch that claims the challenge and writes the
    // number, so a batch that fails leaves not one row changed (a wrong code's try is counted
    // in a batch of its own, which is what keeps guessing bounded).
    const after = await snapshot();
    expect(after).toEqual(before);

    const retried = await call('/api/mailbox/phone/verify', { body: { code }, cookie });
    expect(retried.status).toBe(200);
    expect(await json(retried)).toEqual({ phone: '+46709876543' });
  });

  it('sharing with staff after a reset: 503 with the generic message, no link and the offer still open', async () => {
    const unit = await seedUnit();
    const mailbox = await seedMailbox({ phone: PHONE, unitId: unit.id });
    const sara = await seedStaff(unit.id, { name: 'Sara S', phone: '+46701112233' });
    const { id, token } = await verifiedReset(mailbox);
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: NEW_PASSWORD },
    });
    expect(set.status).toBe(204);
    const fault = failingBatch(env.DB, (sql) => sql.some((s) => s.includes('handover_links')));
    const before = await snapshot();

    const res = await callWith({ ...env, DB: fault.db }, `/api/resets/${id}/handovers`, {
      body: { token, staffIds: [sara.id] },
    });
    expect(fault.state.failed).toBe(1);
    await expectGenericFailure(res, [NEW_PASSWORD, token]);
    expect(await snapshot()).toEqual(before);
    expect((await outbox()).filter((m) => m.to === sara.phone)).toEqual([]);

    const retried = await call(`/api/resets/${id}/handovers`, {
      body: { token, staffIds: [sara.id] },
    });
    expect(retried.status).toBe(201);
    await backgroundSettled();
    expect((await outbox()).filter((m) => m.to === sara.phone)).toHaveLength(1);
  });
});

describe('D1 refusing a write for a reason that is a bug, not a busy moment', () => {
  it('answers 500 internal (nothing to retry), writes nothing and logs the name only', async () => {
    const mailbox = await seedMailbox({ phone: PHONE });
    const { id, token } = await verifiedReset(mailbox);
    const fault = failingBatch(
      env.DB,
      (sql) => sql.some((s) => s.startsWith('UPDATE mailboxes SET password_hash')),
      'D1_ERROR: UNIQUE constraint failed: password_history.mailbox_id: SQLITE_CONSTRAINT',
    );
    const before = await snapshot();
    const res = await callWith({ ...env, DB: fault.db }, `/api/resets/${id}/password`, {
      body: { token, newPassword: NEW_PASSWORD },
    });
    expect(fault.state.failed).toBe(1);
    await expectGenericFailure(res, [NEW_PASSWORD, token], 'bug');
    expect(await snapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// KV without the secret while D1 says the challenge is live
// ---------------------------------------------------------------------------------------------

describe('KV that has not seen a live challenge’s secret', () => {
  it('phone verification: 503 retry_later with retryAfter, no attempt counted, and works once KV has it', async () => {
    const mailbox = await seedMailbox({ phone: PHONE });
    const cookie = await login(mailbox);
    await call('/api/mailbox/phone', { method: 'PUT', body: { phone: '070-987 65 43' }, cookie });
    const code = await latestCode('+46709876543');
    const { keys } = await env.CODES.list({ prefix: 'code:' });
    expect(keys).toHaveLength(1);
    const key = keys[0]?.name ?? '';
    const secret = await env.CODES.get(key);
    await env.CODES.delete(key);

    const res = await call('/api/mailbox/phone/verify', { body: { code }, cookie });
    expect(res.status).toBe(503);
    const retryAfter = Number(res.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(await json(res)).toMatchObject({ error: 'retry_later', retryAfter });
    const row = await env.DB.prepare('SELECT status, attempts FROM challenges').first();
    expect(row).toEqual({ status: 'pending', attempts: 0 });

    await env.CODES.put(key, secret ?? '', { expirationTtl: 600 });
    const later = await call('/api/mailbox/phone/verify', { body: { code }, cookie });
    expect(later.status).toBe(200);
  });

  it('reset resend: 503 retry_later, no resend counted and no SMS, and works once KV has it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2026, 4, 4, 10, 15, 0);
    vi.setSystemTime(t0);
    const mailbox = await seedMailbox({ phone: PHONE });
    const { id, code } = await startReset(mailbox);
    const key = `code:${id}`;
    const secret = await env.CODES.get(key);
    await env.CODES.delete(key);

    vi.setSystemTime(t0 + 181_000);
    const res = await call(`/api/resets/${id}/resend`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await json(res)).toMatchObject({ error: 'retry_later' });
    await backgroundSettled();
    expect((await outbox()).filter((m) => m.to === PHONE)).toHaveLength(1);
    expect(await challengeRow(id)).toEqual({ status: 'pending', attempts: 0, resends: 0 });

    await env.CODES.put(key, secret ?? '', { expirationTtl: 600 });
    const later = await call(`/api/resets/${id}/resend`, { method: 'POST' });
    expect(later.status).toBe(202);
    await backgroundSettled();
    const sent = (await outbox()).filter((m) => m.to === PHONE);
    expect(sent.map((m) => extractCode(m.body))).toEqual([code, code]);
  });
});

// ---------------------------------------------------------------------------------------------
// The daily and five-minute crons run twice at once
// ---------------------------------------------------------------------------------------------

const DAILY = '5 6 * * *';
const WEBHOOK = '*/5 * * * *';
const RECEIVER = 'https://connector.example.se/nyckel';

async function scheduled(cron: string, appEnv: Env = env) {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ cron, scheduledTime: Date.now() }),
    appEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

const HIRES = {
  annand01: { personalNumber: PNR.anna.input, givenName: 'Anna' },
  akeost02: { personalNumber: PNR.ake.input, givenName: 'Åke' },
};

/** A new hire imported by the HR system: its new-hire mail goes out through the outbox. */
async function hire(unitId: string, userId: keyof typeof HIRES, startInDays: number) {
  const { token } = await seedServiceToken();
  const res = await integrationCall(`/api/integration/identities/${userId}`, token, {
    method: 'PUT',
    body: identityBody(unitId, {
      startDate: dayFromToday(startInDays),
      ...HIRES[userId],
      hsaId: null,
    }),
  });
  expect(res.status).toBeLessThan(300);
  await backgroundSettled();
}

describe('two cron runs at once', () => {
  it('sends a new-hire mail that failed once, even when two daily runs retry it together', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    await hire(unit.id, 'annand01', 9);
    // The mail at import failed: nothing went out, notified_at stayed empty.
    await env.DB.prepare('UPDATE initial_passwords SET notified_at = NULL').run();
    await env.DB.prepare('DELETE FROM outbox').run();

    await Promise.all([scheduled(DAILY), scheduled(DAILY)]);
    await backgroundSettled();
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(1);
    await scheduled(DAILY);
    expect((await outbox()).filter((m) => m.to === manager.email)).toHaveLength(1);
  });

  it('sends each rotation reminder, identity reminder and webhook once when the daily and webhook crons each fire twice', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const delegate = await seedPerson({ roles: { [unit.id]: 'delegate' } });
    // Rotation: due in 3 days, so both a mail to the unit and an SMS to the mailbox.
    const due = await seedMailbox({ username: 'rotera', unitId: unit.id, phone: PHONE });
    const now = Math.floor(Date.now() / 1000);
    await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
      .bind(now + 3 * 86_400 - 90 * 86_400, due.id)
      .run();
    // Identity reminders: one unfetched password starting in 3 days, one new-hire mail to retry.
    await hire(unit.id, 'annand01', 3);
    await hire(unit.id, 'akeost02', 9);
    await env.DB.prepare(
      "UPDATE initial_passwords SET notified_at = NULL WHERE identity_id = (SELECT id FROM identities WHERE user_id = 'akeost02')",
    ).run();
    await env.DB.prepare('DELETE FROM outbox').run();
    // Webhooks: two events waiting for delivery.
    await env.DB.prepare(
      "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('webhook.url', ?, 0, 'test')",
    )
      .bind(RECEIVER)
      .run();
    for (const n of [1, 2]) {
      await env.DB.prepare(
        `INSERT INTO webhook_events (id, event, payload, created_at, attempts, next_attempt_at, status)
         VALUES (?, 'mailbox.phone_changed', ?, ?, 0, ?, 'pending')`,
      )
        .bind(`event-${n}`, JSON.stringify({ id: `event-${n}` }), now, now - 1)
        .run();
    }
    const hooks: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.startsWith(RECEIVER)) throw new Error(`unexpected fetch ${request.url}`);
      hooks.push(request.headers.get('Idempotency-Key') ?? '');
      return new Response('{"ok":true}', { status: 200 });
    });

    await Promise.all([scheduled(DAILY), scheduled(DAILY), scheduled(WEBHOOK), scheduled(WEBHOOK)]);
    await backgroundSettled();

    const sent = await outbox();
    const to = (address: string) => sent.filter((m) => m.to === address);
    // Manager and delegate: the rotation mail, the 3-day reminder and the retried new-hire mail.
    for (const person of [manager, delegate]) {
      const subjects = to(person.email).map((m) => m.body.split('\n')[0] ?? '');
      expect(subjects, `${person.email}: ${subjects.join(' | ')}`).toHaveLength(3);
      expect(new Set(subjects).size).toBe(3);
    }
    expect(to(PHONE)).toHaveLength(1);
    expect(hooks.sort()).toEqual(['event-1', 'event-2']);
  });
});

// ---------------------------------------------------------------------------------------------
// The mail provider down during the daily run
// ---------------------------------------------------------------------------------------------

describe('Mailgun down during the daily run', () => {
  it('goes on to the other recipients and reminders, retries only what nobody got, and sends nothing twice', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    await hire(unit.id, 'annand01', 3);
    // And a mailbox of the same unit due in 14 days: the rotation mail goes to the manager too.
    const due = await seedMailbox({ username: 'rotera', unitId: unit.id, phone: PHONE });
    await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
      .bind(Math.floor(Date.now() / 1000) + 14 * 86_400 - 90 * 86_400, due.id)
      .run();
    await env.DB.prepare('DELETE FROM outbox').run();
    let mailUp = false;
    const mails: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.includes('mailgun')) throw new Error(`unexpected fetch ${request.url}`);
      const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
      mails.push(`${form.get('to')} ${form.get('subject')}`);
      return mailUp
        ? new Response(JSON.stringify({ id: '<m@mg>', message: 'Queued' }), { status: 200 })
        : new Response('down', { status: 503 });
    });
    const appEnv = production();

    await scheduled(DAILY, appEnv);
    await backgroundSettled();
    // Both mails tried (and retried once); the run went on past the first failure.
    expect(mails).toHaveLength(4);
    expect(logLines('rotation')).toEqual([expect.objectContaining({ mailSent: 0, mailFailed: 1 })]);
    expect(logLines('initial_password_reminders')).toEqual([
      expect.objectContaining({ reminded: 0, failed: 1 }),
    ]);

    mailUp = true;
    mails.length = 0;
    await scheduled(DAILY, appEnv);
    await backgroundSettled();
    expect(mails).toHaveLength(2);
    for (const mail of mails) expect(mail).toContain(manager.email);
    expect(new Set(mails).size).toBe(2);

    mails.length = 0;
    await scheduled(DAILY, appEnv);
    await backgroundSettled();
    expect(mails).toEqual([]);
  });
});
