import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractCode } from '../../worker/domain/codes';
import { app } from '../../worker/index';
import { backgroundSettled } from '../../worker/services/deps';
import {
  call,
  json,
  latestCode,
  login,
  ORIGIN,
  OUTSIDE_IP,
  seedMailbox,
  wrongCode,
} from '../helpers';

/*
 * "Never a password or code in a log line", nor in any table an
 * operator reads. One walk through registration, reset and password change, with the failures
 * people really make, collects every secret it used; then the logs and the tables are searched.
 */

const PHONE = '+46701234567';
const ELKS_PHONE = '+46709876543';

const PASSWORDS = {
  start: 'Brevlada-Start-2026',
  wrongLogin: 'Fel-Gissning-31',
  weak: 'allagemenabokstaver',
  common: 'Sommar2026!',
  afterReset: 'Tr4sig-Kanin-44',
  wrongCurrent: 'Inte-Ratt-Nu-12',
  final: 'Blaa-Hav-Vag-88',
};

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Every table an operator reads. `outbox` is left out on purpose: it is the development SMS
 * outbox, whose whole point is to hold the SMS text with its code (never used in production). */
const SCANNED_TABLES = [
  'audit',
  'deliveries',
  'sessions',
  'challenges',
  'counters',
  'login_failures',
  'mailboxes',
  'password_history',
];

interface Walk {
  mailboxId: string;
  /** Passwords, tokens, cookie values and configuration secrets: never anywhere. */
  secrets: string[];
  /** Six-digit codes: never anywhere, matched as whole numbers. */
  codes: string[];
  logs: string[];
  iterations: number[];
  elksCalls: number;
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function cookieValue(cookie: string) {
  return cookie.slice(cookie.indexOf('=') + 1);
}

/** Calls the app directly with the 46elks provider, whose HTTP endpoint is mocked to fail. */
async function viaElks(path: string, init: { method: string; body?: unknown; cookie?: string }) {
  const headers = new Headers({ 'CF-Connecting-IP': OUTSIDE_IP, Origin: ORIGIN });
  if (init.cookie) headers.set('Cookie', init.cookie);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  const request = new Request(`${ORIGIN}${path}`, {
    method: init.method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const elksEnv = { ...env, SMS_PROVIDER: '46elks' };
  const ctx = createExecutionContext();
  const res = await app.fetch(request, elksEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function expectStatus(res: Response | Promise<Response>, status: number) {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Registration, reset and password change, with wrong passwords, wrong codes, policy
 * refusals and a failing SMS provider along the way. */
async function walk(): Promise<Walk> {
  const spies = CONSOLE_METHODS.map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
  const deriveBits = vi.spyOn(crypto.subtle, 'deriveBits');
  const codes: string[] = [];
  const secrets: string[] = [
    ...Object.values(PASSWORDS),
    env.PASSWORD_PEPPER,
    env.SESSION_SECRET,
    env.ELKS_PASSWORD,
    btoa(`${env.ELKS_USERNAME}:${env.ELKS_PASSWORD}`),
  ];

  const mailbox = await seedMailbox({
    username: 'hemtjanstab',
    password: PASSWORDS.start,
    phone: null,
  });

  // Login: a wrong password first.
  await expectStatus(
    call('/api/mailbox/session', {
      body: { username: 'hemtjanstab', password: PASSWORDS.wrongLogin },
    }),
    401,
  );
  const first = await login(mailbox);
  secrets.push(cookieValue(first));

  // Registration of a number: a wrong code, then the right one.
  await expectStatus(
    call('/api/mailbox/phone', { method: 'PUT', body: { phone: '070-123 45 67' }, cookie: first }),
    202,
  );
  const phoneCode = await latestCode(PHONE);
  codes.push(phoneCode);
  await expectStatus(
    call('/api/mailbox/phone/verify', { body: { code: wrongCode(phoneCode) }, cookie: first }),
    400,
  );
  await expectStatus(
    call('/api/mailbox/phone/verify', { body: { code: phoneCode }, cookie: first }),
    200,
  );

  // Reset: a wrong code, the right one, two refused passwords, then a good one.
  const started = await expectStatus(
    call('/api/resets', { body: { username: 'hemtjanstab' } }),
    202,
  );
  const resetId = String(started.id);
  const resetCode = await latestCode(PHONE);
  codes.push(resetCode);
  await expectStatus(
    call(`/api/resets/${resetId}/code`, { body: { code: wrongCode(resetCode) } }),
    400,
  );
  const verified = await expectStatus(
    call(`/api/resets/${resetId}/code`, { body: { code: resetCode } }),
    200,
  );
  const token = String(verified.token);
  secrets.push(token);
  for (const refused of [PASSWORDS.weak, PASSWORDS.common]) {
    await expectStatus(
      call(`/api/resets/${resetId}/password`, { body: { token, newPassword: refused } }),
      422,
    );
  }
  await expectStatus(
    call(`/api/resets/${resetId}/password`, {
      body: { token, newPassword: PASSWORDS.afterReset },
    }),
    204,
  );

  // Password change: a wrong current password, a refused new one, then a good one.
  const second = await login({ ...mailbox, password: PASSWORDS.afterReset });
  secrets.push(cookieValue(second));
  await expectStatus(
    call('/api/mailbox/password', {
      body: { currentPassword: PASSWORDS.wrongCurrent, newPassword: PASSWORDS.final },
      cookie: second,
    }),
    401,
  );
  await expectStatus(
    call('/api/mailbox/password', {
      body: { currentPassword: PASSWORDS.afterReset, newPassword: PASSWORDS.weak },
      cookie: second,
    }),
    422,
  );
  await expectStatus(
    call('/api/mailbox/password', {
      body: { currentPassword: PASSWORDS.afterReset, newPassword: PASSWORDS.final },
      cookie: second,
    }),
    204,
  );

  // The SMS provider fails (46elks answers 500): a new number, and a reset in the background.
  const elksBodies: string[] = [];
  const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (_input, init) => {
    elksBodies.push(String(init?.body ?? ''));
    return new Response('upstream down', { status: 500 });
  });
  const unavailable = await expectStatus(
    viaElks('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie: second,
    }),
    503,
  );
  expect(unavailable.error).toBe('sms_unavailable');
  await expectStatus(
    viaElks('/api/resets', { method: 'POST', body: { username: 'hemtjanstab' } }),
    202,
  );
  await backgroundSettled();
  fetchSpy.mockRestore();
  for (const body of elksBodies) {
    const code = extractCode(new URLSearchParams(body).get('message') ?? '');
    if (code) codes.push(code);
  }

  // Logout, and one more wrong password, which stays on record as a login failure.
  await expectStatus(call('/api/mailbox/session', { method: 'DELETE', cookie: second }), 204);
  await expectStatus(
    call('/api/mailbox/session', {
      body: { username: 'hemtjanstab', password: PASSWORDS.wrongLogin },
    }),
    401,
  );
  await backgroundSettled();

  const logs = spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(render).join(' ')));
  const iterations = deriveBits.mock.calls.map(
    ([algorithm]) => (algorithm as { iterations?: number }).iterations ?? 0,
  );
  return {
    mailboxId: mailbox.id,
    secrets,
    codes,
    logs,
    iterations,
    elksCalls: elksBodies.length,
  };
}

/** The secrets found in `text`: substrings for secrets, whole six-digit numbers for codes. */
function leaks(text: string, w: Walk): string[] {
  const found = w.secrets.filter((s) => text.includes(s));
  for (const code of w.codes) {
    if (new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text)) found.push(code);
  }
  return found;
}

async function rows(table: string) {
  return (await env.DB.prepare(`SELECT * FROM ${table}`).all<Record<string, unknown>>()).results;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('secrets stay out of logs and tables', () => {
  it('logs no password, code, reset token or session cookie anywhere in the walk', async () => {
    const w = await walk();
    // The walk really exercised the failing provider (two sends, each tried twice) and its
    // failures were logged, so the spies did see the worker's console.
    expect(w.elksCalls).toBe(4);
    expect(w.codes.length).toBeGreaterThanOrEqual(4);
    expect(w.logs.some((line) => line.includes('sms_failed'))).toBe(true);
    for (const line of w.logs) expect(leaks(line, w), line).toEqual([]);
  });

  it('keeps every secret out of every table but the development outbox', async () => {
    const w = await walk();
    for (const table of SCANNED_TABLES) {
      const all = await rows(table);
      expect(all.length, table).toBeGreaterThan(0);
      for (const row of all) {
        for (const [column, value] of Object.entries(row)) {
          if (value === null) continue;
          expect(leaks(String(value), w), `${table}.${column}`).toEqual([]);
        }
      }
    }
    // The search does find codes where they are expected: the outbox holds the SMS texts.
    const outbox = JSON.stringify(await rows('outbox'));
    expect(leaks(outbox, w)).toContain(w.codes[0]);
  });

  it('stores the password only as a PBKDF2 hash within the production cap', async () => {
    const w = await walk();
    const hashes = await rows('mailboxes');
    expect(hashes).toHaveLength(1);
    for (const row of hashes) {
      const hash = String(row.password_hash);
      expect(hash.startsWith('pbkdf2-sha256$100000$')).toBe(true);
      for (const password of Object.values(PASSWORDS)) expect(hash).not.toContain(password);
      const iterations = Number(hash.split('$')[1]);
      expect(iterations).toBeLessThanOrEqual(100_000);
    }
    // Every derivation the walk made stayed within what production Workers allow.
    expect(w.iterations.length).toBeGreaterThan(0);
    for (const n of w.iterations) {
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(100_000);
    }
  });

  it('leaves an audit row with address and outcome for every sensitive action', async () => {
    await walk();
    const audit = await rows('audit');
    for (const row of audit) {
      expect(row.ip, JSON.stringify(row)).toBe(OUTSIDE_IP);
      expect(['success', 'failure', 'refused']).toContain(row.outcome);
    }
    const seen = new Set(audit.map((r) => `${r.action} ${r.outcome}`));
    for (const expected of [
      'mailbox.login failure',
      'mailbox.login success',
      'mailbox.phone.code success',
      'mailbox.phone.code failure',
      'mailbox.phone.verify failure',
      'mailbox.phone.verify success',
      'reset.start success',
      'reset.start failure',
      'reset.code failure',
      'reset.code success',
      'reset.complete success',
      'mailbox.password.change failure',
      'mailbox.password.change refused',
      'mailbox.password.change success',
      'mailbox.logout success',
    ]) {
      expect(seen, expected).toContain(expected);
    }
  });

  it('records a reset password refused by the policy in the audit log', async () => {
    await walk();
    const refused = (await rows('audit')).filter(
      (r) => r.action === 'reset.complete' && r.outcome === 'refused',
    );
    // Two refusals in the walk (too weak, too common), like mailbox.password.change records.
    expect(refused).toHaveLength(2);
    for (const row of refused) expect(row.ip).toBe(OUTSIDE_IP);
  });
});

describe('a failing SMS provider', () => {
  it('leaves nothing behind when the code for a new number cannot be sent', async () => {
    const mailbox = await seedMailbox({ password: PASSWORDS.start, phone: null });
    const cookie = await login(mailbox);
    vi.spyOn(globalThis, 'fetch').mockImplementation(
      async () => new Response('upstream down', { status: 500 }),
    );
    const res = await viaElks('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
    });
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({ error: 'sms_unavailable' });
    const challenges = await rows('challenges');
    expect(challenges).toEqual([]);
    const deliveries = await rows('deliveries');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'failed', attempts: 2, provider: '46elks' });
    expect(String(deliveries[0]?.recipient_masked)).not.toContain(ELKS_PHONE);
  });
});

describe('log lines', () => {
  const HOSTILE = [
    'hemtjanstab\n{"event":"forged","admin":true}',
    'hemtjanstab\r\nX-Injected: 1',
    '","event":"forged","x":"',
    'hemtjanstab\u2028{"event":"forged"}',
    '{"__proto__":{"event":"forged"}}',
    `${'a'.repeat(200)}\n`,
  ];

  it('stay one JSON record per event whatever the username, the display name or the provider says', async () => {
    const spies = CONSOLE_METHODS.map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const mailbox = await seedMailbox({
      username: 'hemtjanstab',
      password: PASSWORDS.start,
      displayName: 'Brevlåda\n{"event":"forged"}',
    });
    const cookie = await login(mailbox);
    // The provider fails with a body full of line breaks and JSON: sms_failed is logged.
    vi.spyOn(globalThis, 'fetch').mockImplementation(
      async () => new Response('down\n{"event":"forged"}\r\n', { status: 500 }),
    );
    for (const username of HOSTILE) {
      for (const path of ['/api/resets', '/api/mailbox/session']) {
        const body = path === '/api/resets' ? { username } : { username, password: 'x' };
        const res = await viaElks(path, { method: 'POST', body });
        expect(res.status, `${path} ${JSON.stringify(username)}`).toBe(400);
      }
    }
    expect(
      (await viaElks('/api/resets', { method: 'POST', body: { username: 'hemtjanstab' } })).status,
    ).toBe(202);
    expect(
      (
        await viaElks('/api/mailbox/phone', {
          method: 'PUT',
          body: { phone: '070-987 65 43' },
          cookie,
        })
      ).status,
    ).toBe(503);
    await backgroundSettled();

    const calls = spies.flatMap((spy) => spy.mock.calls);
    expect(calls.length).toBeGreaterThan(0);
    for (const args of calls) {
      // One argument, one line, one JSON object naming its event.
      expect(args).toHaveLength(1);
      const line = String(args[0]);
      expect(line, line).not.toMatch(/[\r\n\u2028\u2029]/);
      const record = JSON.parse(line) as { event?: unknown };
      expect(typeof record.event, line).toBe('string');
      expect(record.event).not.toBe('forged');
    }
    expect(calls.some(([line]) => String(line).includes('sms_failed'))).toBe(true);

    // The audit log, which operators read line by line too, holds no raw line breaks.
    for (const row of await rows('audit')) {
      for (const value of Object.values(row)) {
        if (typeof value === 'string') expect(value).not.toMatch(/[\r\n\u2028\u2029]/);
      }
      if (row.detail !== null) expect(() => JSON.parse(String(row.detail))).not.toThrow();
    }
  });
});
