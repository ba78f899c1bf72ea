import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { config } from '../../worker/config';
import { type MailProvider, mailProvider, maskEmail, sendMail } from '../../worker/outbound/mail';
import { mailgunProvider } from '../../worker/outbound/mail-mailgun';
import { outbox } from '../helpers';

/*
 * The mail layer: the development outbox, Mailgun's HTTP API (EU region by default), one
 * retry on a failure that may pass, and a delivery record for operators with a masked address
 * and never the text (an invite mail carries a link that signs someone in).
 */

/** Production with Mailgun and a short timeout, so the timeout path is quick. */
function productionEnv(overrides: Partial<Env> = {}): Env {
  return {
    ...env,
    ENVIRONMENT: 'production',
    MAIL_PROVIDER: 'mailgun',
    SMS_PROVIDER: '46elks',
    MAILGUN_DOMAIN: 'mg.example.se',
    MAIL_FROM: 'Nyckel <nyckel@example.se>',
    MAILGUN_API_KEY: 'key-test-0123456789',
    MAIL_TIMEOUT_MS: '50',
    ...overrides,
  };
}

const MESSAGE = {
  to: 'anna.chef@example.se',
  subject: 'Nyckel: lösenordet för hemtjanstab har bytts',
  text: 'Hej,\n\nen hemlig länk https://nyckel.test/inbjudan#token-abc',
};

interface UpstreamRequest {
  url: string;
  method: string;
  headers: Headers;
  form: URLSearchParams;
}

type Answer = (signal: AbortSignal | null | undefined) => Promise<Response>;

const accepted: Answer = async () =>
  new Response(
    JSON.stringify({ id: '<20260504.1@mg.example.se>', message: 'Queued. Thank you.' }),
    {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    },
  );

const status =
  (code: number, text = 'error'): Answer =>
  async () =>
    new Response(text, { status: code });

/** Never answers; fails only when the caller's signal aborts, with the signal's reason. */
const hanging: Answer = (signal) =>
  new Promise<Response>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason));
  });

/** A fake Mailgun behind fetch; answers in turn from `answers` (the last one repeats). */
function fakeMailgun(...answers: Answer[]) {
  const received: UpstreamRequest[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    received.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())),
    });
    const answer = answers[Math.min(received.length, answers.length) - 1] ?? accepted;
    return answer(init?.signal);
  });
  return received;
}

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
    'SELECT channel, purpose, recipient_masked, provider, status, attempts, error FROM deliveries ORDER BY id',
  ).all<DeliveryRow>();
  return results;
}

function send(appEnv = productionEnv(), message = MESSAGE) {
  return sendMail(env.DB, mailProvider(appEnv, config(appEnv)), message, 'test_purpose');
}

let warn: MockInstance<typeof console.warn>;

afterEach(() => {
  vi.restoreAllMocks();
});

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

describe('Mailgun', () => {
  it('posts the form fields to the EU API with basic auth api:<key> and tracking off', async () => {
    const received = fakeMailgun(accepted);
    expect(await send()).toEqual({ ok: true });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.url).toBe('https://api.eu.mailgun.net/v3/mg.example.se/messages');
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.get('Authorization')).toBe(`Basic ${btoa('api:key-test-0123456789')}`);
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      from: 'Nyckel <nyckel@example.se>',
      to: MESSAGE.to,
      subject: MESSAGE.subject,
      text: MESSAGE.text,
      'o:tracking': 'no',
    });
  });

  it('keeps Swedish letters intact in the form', async () => {
    const received = fakeMailgun(accepted);
    await send(productionEnv(), { ...MESSAGE, subject: 'Åby Öst – lösenord' });
    expect(received[0]?.form.get('subject')).toBe('Åby Öst – lösenord');
  });

  it('uses the US API when MAILGUN_API_BASE says so', async () => {
    const received = fakeMailgun(accepted);
    await send(productionEnv({ MAILGUN_API_BASE: 'https://api.mailgun.net' }));
    expect(received[0]?.url).toBe('https://api.mailgun.net/v3/mg.example.se/messages');
  });

  it('encodes the domain into the path, so it cannot reach another endpoint', async () => {
    const received = fakeMailgun(accepted);
    await send(productionEnv({ MAILGUN_DOMAIN: 'mg.example.se/../../v4' }));
    expect(received[0]?.url).toBe(
      'https://api.eu.mailgun.net/v3/mg.example.se%2F..%2F..%2Fv4/messages',
    );
  });

  it.each([500, 502, 503, 429])('retries %i once, then gives up', async (code) => {
    const received = fakeMailgun(status(code));
    expect(await send()).toEqual({ ok: false, error: 'upstream_error', retryable: true });
    expect(received).toHaveLength(2);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 2, error: 'upstream_error' }),
    ]);
  });

  it('succeeds on the retry after one 5xx', async () => {
    const received = fakeMailgun(status(503), accepted);
    expect(await send()).toEqual({ ok: true });
    expect(received).toHaveLength(2);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 2, error: null }),
    ]);
  });

  it.each([400, 401, 403, 404])('does not retry %i (it will not get better)', async (code) => {
    const received = fakeMailgun(status(code));
    expect(await send()).toEqual({ ok: false, error: 'rejected', retryable: false });
    expect(received).toHaveLength(1);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, error: 'rejected' }),
    ]);
  });

  it('gives up on a hanging Mailgun after the timeout, and retries once', async () => {
    const received = fakeMailgun(hanging);
    const started = Date.now();
    expect(await send()).toEqual({ ok: false, error: 'timeout', retryable: true });
    expect(received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 2, error: 'timeout' }),
    ]);
  });

  it('treats a refused connection as a network failure and retries once', async () => {
    let calls = 0;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
      calls++;
      throw new TypeError('Network connection lost.');
    });
    expect(await send()).toEqual({ ok: false, error: 'network', retryable: true });
    expect(calls).toBe(2);
  });

  it.each([
    ['not JSON', 'Queued'],
    ['JSON without an id', JSON.stringify({ message: 'Queued' })],
    ['an id that is not a string', JSON.stringify({ id: 42 })],
  ])(
    'calls a 200 with %s malformed, and does not retry (it may have gone out)',
    async (_, body) => {
      const received = fakeMailgun(async () => new Response(body, { status: 200 }));
      expect(await send()).toEqual({ ok: false, error: 'malformed', retryable: false });
      expect(received).toHaveLength(1);
    },
  );

  it('counts a provider that throws as a failed send, not a crash, and does not retry', async () => {
    let calls = 0;
    const broken: MailProvider = {
      name: 'broken',
      async send() {
        calls++;
        throw new Error('bug');
      },
    };
    expect(await sendMail(env.DB, broken, MESSAGE, 'test_purpose')).toEqual({
      ok: false,
      error: 'network',
      retryable: false,
    });
    expect(calls).toBe(1);
  });

  it('builds the provider once per message only from the config (no request data)', async () => {
    const provider = mailgunProvider({
      apiKey: 'k',
      apiBase: 'https://api.eu.mailgun.net',
      domain: 'mg.example.se',
      from: 'Nyckel <nyckel@example.se>',
      timeoutMs: 1000,
    });
    expect(provider.name).toBe('mailgun');
    const received = fakeMailgun(accepted);
    expect(await provider.send(MESSAGE)).toEqual({ ok: true });
    expect(received[0]?.headers.get('Authorization')).toBe(`Basic ${btoa('api:k')}`);
  });
});

describe('the delivery record', () => {
  it('keeps a masked address, the purpose and the outcome, never the subject or text', async () => {
    fakeMailgun(accepted);
    await send();
    const { results } = await env.DB.prepare('SELECT * FROM deliveries').all();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      channel: 'mail',
      purpose: 'test_purpose',
      recipient_masked: 'a•••@example.se',
      provider: 'mailgun',
      status: 'sent',
      attempts: 1,
      error: null,
    });
    const stored = JSON.stringify(results);
    expect(stored).not.toContain('anna.chef');
    expect(stored).not.toContain('token-abc');
    expect(stored).not.toContain('hemtjanstab');
  });

  it('warns operators of a failure without the address or the text', async () => {
    fakeMailgun(status(400));
    await send();
    const lines = warn.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({
      event: 'mail_failed',
      purpose: 'test_purpose',
      provider: 'mailgun',
      error: 'rejected',
    });
    expect(lines[0]).not.toContain('@');
  });

  it.each([
    ['anna.chef@example.se', 'a•••@example.se'],
    ['A@x.se', 'A•••@x.se'],
    ['odd@name@example.se', 'o•••@example.se'],
    ['@example.se', '•••'],
    ['ingen-snabel-a', '•••'],
  ])('masks %s as %s', (address, masked) => {
    expect(maskEmail(address)).toBe(masked);
  });
});

describe('the development outbox', () => {
  it('stores the mail (subject, blank line, text) for /api/dev/outbox and calls nobody', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    expect(await send(env)).toEqual({ ok: true });
    expect(fetchSpy).not.toHaveBeenCalled();
    const items = await outbox();
    expect(items).toEqual([
      expect.objectContaining({ to: MESSAGE.to, body: `${MESSAGE.subject}\n\n${MESSAGE.text}` }),
    ]);
    const { results } = await env.DB.prepare('SELECT channel FROM outbox').all();
    expect(results).toEqual([{ channel: 'mail' }]);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ provider: 'outbox', status: 'sent', attempts: 1 }),
    ]);
  });

  it('cannot be configured outside development', () => {
    expect(() => config({ ...env, ENVIRONMENT: 'production', SMS_PROVIDER: '46elks' })).toThrow(
      /MAIL_PROVIDER "outbox" is for ENVIRONMENT "development" only/,
    );
  });

  it('refuses an unknown mail provider', () => {
    expect(() => config({ ...env, MAIL_PROVIDER: 'sendgrid' })).toThrow(/MAIL_PROVIDER must be/);
  });
});
