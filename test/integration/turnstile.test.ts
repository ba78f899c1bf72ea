import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TURNSTILE_HEADER } from '../../worker/domain/turnstile';
import { SITEVERIFY_URL } from '../../worker/services/turnstile';
import { auditRows, callWith, count, json, type SeededMailbox, seedMailbox } from '../helpers';
import { codeAt, enrolTotp } from '../people-auth-helpers';
import { seedInvite, seedPerson } from '../people-helpers';

/*
 * Turnstile, Cloudflare's challenge, is asked only once a network or an account has started
 * resets or failed sign-ins unusually often this hour; the token is checked server-side with
 * siteverify (faked here by intercepting fetch), and a siteverify that cannot answer refuses.
 */

const SITE_KEY = '1x00000000000000000000AA';
const SECRET = '1x0000000000000000000000000000000AA';
const THRESHOLD = 3;

/** Turnstile on, with low thresholds so a test reaches them quickly. */
function turnstileEnv(overrides: Partial<Env> = {}): Env {
  return {
    ...env,
    TURNSTILE_SITE_KEY: SITE_KEY,
    TURNSTILE_SECRET: SECRET,
    TURNSTILE_RESETS_PER_HOUR: String(THRESHOLD),
    TURNSTILE_FAILURES_PER_HOUR: String(THRESHOLD),
    TURNSTILE_TIMEOUT_MS: '50',
    ...overrides,
  };
}

interface Verification {
  secret: string | null;
  response: string | null;
  remoteip: string | null;
}

/** A fake siteverify: passes the token `good`, fails anything else, records every call. */
function fakeSiteverify(
  answer: (token: string, signal: AbortSignal | null | undefined) => Promise<Response> = async (
    token,
  ) =>
    Response.json(
      token === 'good'
        ? { success: true, hostname: 'nyckel.test' }
        : { success: false, 'error-codes': ['invalid-input-response'] },
    ),
) {
  const calls: Verification[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (request.url !== SITEVERIFY_URL) throw new Error(`unexpected fetch ${request.url}`);
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    const call = {
      secret: form.get('secret'),
      response: form.get('response'),
      remoteip: form.get('remoteip'),
    };
    calls.push(call);
    return answer(call.response ?? '', init?.signal);
  });
  return calls;
}

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const ATTACKER = '198.51.100.66';
const OWNER = '203.0.113.9';

function startReset(appEnv: Env, username: string, ip = ATTACKER, token?: string) {
  return callWith(appEnv, '/api/resets', {
    body: { username },
    ip,
    headers: token === undefined ? {} : { [TURNSTILE_HEADER]: token },
  });
}

function signIn(
  appEnv: Env,
  mailbox: SeededMailbox,
  password: string,
  ip = ATTACKER,
  token?: string,
) {
  return callWith(appEnv, '/api/mailbox/session', {
    body: { username: mailbox.username, password },
    ip,
    headers: token === undefined ? {} : { [TURNSTILE_HEADER]: token },
  });
}

describe('reset start', () => {
  it('is not asked before the threshold, and then asks with the site key, starting nothing', async () => {
    const appEnv = turnstileEnv();
    const calls = fakeSiteverify();
    for (let i = 0; i < THRESHOLD; i++) {
      expect((await startReset(appEnv, `brevlada${i}`)).status).toBe(202);
    }
    expect(calls).toEqual([]);
    const challenges = await count('SELECT COUNT(*) AS n FROM challenges');

    const asked = await startReset(appEnv, 'brevlada-next');
    expect(asked.status).toBe(428);
    expect(await json(asked)).toMatchObject({ error: 'challenge_required', siteKey: SITE_KEY });
    expect(asked.headers.get('Cache-Control')).toBe('no-store');
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(challenges);
    expect(calls).toEqual([]);
  });

  it('refuses a bad token with 403, audits it, and starts nothing', async () => {
    const appEnv = turnstileEnv();
    const calls = fakeSiteverify();
    for (let i = 0; i < THRESHOLD; i++) await startReset(appEnv, `brevlada${i}`);
    const challenges = await count('SELECT COUNT(*) AS n FROM challenges');

    const refused = await startReset(appEnv, 'brevlada-next', ATTACKER, 'forged');
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({ error: 'challenge_failed', siteKey: SITE_KEY });
    expect(calls).toEqual([{ secret: SECRET, response: 'forged', remoteip: ATTACKER }]);
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(challenges);
    const audit = (await auditRows()).filter((r) => r.action === 'challenge.failed');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'anonymous', ip: ATTACKER, outcome: 'refused' });
    expect(audit[0]?.detail).not.toContain('forged');

    // A token siteverify would never see (absurdly long) is refused without a call.
    const long = await startReset(appEnv, 'brevlada-next', ATTACKER, 'x'.repeat(3000));
    expect(long.status).toBe(403);
    expect(calls).toHaveLength(1);
  });

  it('lets a good token through, verified with the secret and the client address', async () => {
    const appEnv = turnstileEnv();
    const calls = fakeSiteverify();
    for (let i = 0; i < THRESHOLD; i++) await startReset(appEnv, `brevlada${i}`);
    const passed = await startReset(appEnv, 'brevlada-next', ATTACKER, 'good');
    expect(passed.status).toBe(202);
    expect(calls).toEqual([{ secret: SECRET, response: 'good', remoteip: ATTACKER }]);
    // Every later start this hour needs a fresh token again.
    expect((await startReset(appEnv, 'brevlada-other')).status).toBe(428);
  });

  it('answers 503 with Retry-After when siteverify is down, slow or confused (fail closed)', async () => {
    const appEnv = turnstileEnv();
    for (let i = 0; i < THRESHOLD; i++) await startReset(appEnv, `brevlada${i}`);
    const challenges = await count('SELECT COUNT(*) AS n FROM challenges');
    const answers: ((
      token: string,
      signal: AbortSignal | null | undefined,
    ) => Promise<Response>)[] = [
      async () => {
        throw new TypeError('Network connection lost');
      },
      async () => new Response('oops', { status: 500 }),
      async () => new Response('<html>', { status: 200 }),
      async () => Response.json({ success: false, 'error-codes': ['internal-error'] }),
      // Never answers: only the timeout (50 ms here) ends the wait.
      (_token, signal) =>
        new Promise<Response>((_, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
        }),
    ];
    for (const answer of answers) {
      vi.restoreAllMocks();
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      fakeSiteverify(answer);
      const res = await startReset(appEnv, 'brevlada-next', ATTACKER, 'good');
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('30');
      expect(await json(res)).toMatchObject({ error: 'challenge_unavailable', retryAfter: 30 });
    }
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(challenges);
  });

  it('asks the hammering network and the hammered username, not the owner elsewhere', async () => {
    const appEnv = turnstileEnv({ RESET_PER_USERNAME_PER_HOUR: '100' });
    fakeSiteverify();
    await seedMailbox({ username: 'hemtjanstab' });
    for (let i = 0; i < THRESHOLD; i++) {
      await startReset(appEnv, 'hemtjanstab', `198.51.100.${10 + i}`);
    }
    // The username has been started unusually often, from any network: asked.
    expect((await startReset(appEnv, 'hemtjanstab', OWNER)).status).toBe(428);
    // The owner's network and another username: never asked.
    expect((await startReset(appEnv, 'hemvardsgruppen', OWNER)).status).toBe(202);
  });

  it('counts IPv6 neighbours in one /64 as one network', async () => {
    const appEnv = turnstileEnv();
    fakeSiteverify();
    for (let i = 0; i < THRESHOLD; i++) {
      expect((await startReset(appEnv, `brevlada${i}`, `2001:db8:5:6::${i + 1}`)).status).toBe(202);
    }
    expect((await startReset(appEnv, 'brevlada-x', '2001:db8:5:6:ffff::9')).status).toBe(428);
    expect((await startReset(appEnv, 'brevlada-y', '2001:db8:5:7::1')).status).toBe(202);
  });

  it('asks nothing when TURNSTILE_SECRET is unset, however many starts', async () => {
    const calls = fakeSiteverify();
    for (let i = 0; i < THRESHOLD * 4; i++) {
      expect((await startReset(env, `brevlada${i}`)).status).toBe(202);
    }
    expect(calls).toEqual([]);
    expect(await count("SELECT COUNT(*) AS n FROM counters WHERE key LIKE 'challenge:%'")).toBe(0);
  });
});

describe('mailbox sign-in', () => {
  it('never asks after correct sign-ins, only after failed ones, and then the owner too', async () => {
    const appEnv = turnstileEnv({ LOGIN_MAX_FAILURES: '100', LOGIN_PER_ADDRESS_PER_15_MIN: '100' });
    const calls = fakeSiteverify();
    const mailbox = await seedMailbox();
    for (let i = 0; i < THRESHOLD * 2; i++) {
      expect((await signIn(appEnv, mailbox, mailbox.password)).status).toBe(200);
    }
    for (let i = 0; i < THRESHOLD; i++) {
      expect((await signIn(appEnv, mailbox, `Fel-${i}-Gissning`)).status).toBe(401);
    }
    const asked = await signIn(appEnv, mailbox, mailbox.password);
    expect(asked.status).toBe(428);
    expect(await json(asked)).toMatchObject({ error: 'challenge_required', siteKey: SITE_KEY });
    // The account has failed unusually often: its owner, elsewhere, solves the widget once.
    expect((await signIn(appEnv, mailbox, mailbox.password, OWNER)).status).toBe(428);
    expect((await signIn(appEnv, mailbox, mailbox.password, OWNER, 'good')).status).toBe(200);
    expect(calls.map((c) => c.remoteip)).toEqual([OWNER]);
  });
});

describe('TOTP sign-in', () => {
  it('asks after unusually many failed codes for one person, and a good token lets the right code in', async () => {
    const appEnv = turnstileEnv();
    fakeSiteverify();
    const person = await seedPerson({ email: 'chef@example.se' });
    const { secret } = await enrolTotp(await seedInvite(person.id));
    const attempt = (code: string, ip: string, token?: string) =>
      callWith(appEnv, '/api/people/session/totp', {
        body: { email: 'Chef@Example.se', code },
        ip,
        headers: token === undefined ? {} : { [TURNSTILE_HEADER]: token },
      });
    for (let i = 0; i < THRESHOLD; i++) {
      expect((await attempt('000000', `198.51.100.${20 + i}`)).status).toBe(401);
    }
    // The next step's code: the current one was spent on the enrolment.
    const asked = await attempt(codeAt(secret, 1), OWNER);
    expect(asked.status).toBe(428);
    expect(await json(asked)).toMatchObject({ error: 'challenge_required' });
    expect((await attempt(codeAt(secret, 1), OWNER, 'good')).status).toBe(200);
  });
});
