import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { derivationCounter } from '../../worker/domain/password-hash';
import { app } from '../../worker/index';
import {
  call,
  INTERNAL_IP,
  json,
  latestCode,
  login,
  ORIGIN,
  OUTSIDE_IP,
  seedMailbox,
  snapshot,
} from '../helpers';

/*
 * Mailbox sessions: revocable, stored hashed, protected against
 * cross-site writes, and phone registration only from outside the municipal network, trusting
 * CF-Connecting-IP alone and failing closed.
 */

const PASSWORD = 'Brevlada-2026';
const NEW_PHONE = '+46709876543';

/**
 * Nothing changed since `before`, apart from audit rows recording the refusal itself (an
 * audit entry for a refused request is welcome; anything else written is not).
 */
async function expectUnchanged(before: Record<string, unknown[]>) {
  const after = await snapshot();
  const { audit: auditBefore = [], ...restBefore } = before;
  const { audit: auditAfter = [], ...restAfter } = after;
  expect(restAfter).toEqual(restBefore);
  expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
  for (const row of auditAfter.slice(auditBefore.length)) {
    expect(row).toMatchObject({ outcome: 'refused' });
  }
}

/** A request with exactly the headers given: no Origin added, as a non-browser client sends. */
function bare(
  path: string,
  o: { method: string; body?: unknown; cookie?: string; headers?: Record<string, string> },
) {
  const headers = new Headers(o.headers);
  if (!headers.has('CF-Connecting-IP')) headers.set('CF-Connecting-IP', OUTSIDE_IP);
  if (o.cookie) headers.set('Cookie', o.cookie);
  let body: string | undefined;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers.set('Content-Type', 'application/json');
  }
  return SELF.fetch(`${ORIGIN}${path}`, { method: o.method, headers, body });
}

function cookieValue(cookie: string) {
  return cookie.slice(cookie.indexOf('=') + 1);
}

async function alive(cookie: string) {
  return (await call('/api/mailbox', { cookie })).status === 200;
}

describe('ending sessions', () => {
  it('refuses a session cookie after logout', async () => {
    const mailbox = await seedMailbox({ password: PASSWORD });
    const cookie = await login(mailbox);
    expect(await alive(cookie)).toBe(true);

    const out = await call('/api/mailbox/session', { method: 'DELETE', cookie });
    expect(out.status).toBe(204);
    const after = await call('/api/mailbox', { cookie });
    expect(after.status).toBe(401);
    expect(await json(after)).toMatchObject({ error: 'unauthorized' });
    const row = await env.DB.prepare('SELECT revoked_at FROM sessions').first<{
      revoked_at: number | null;
    }>();
    expect(row?.revoked_at).not.toBeNull();
  });

  it('ends the other sessions when the password is changed, and keeps the one that changed it', async () => {
    const mailbox = await seedMailbox({ password: PASSWORD });
    const other = await login(mailbox);
    const changer = await login(mailbox);
    const res = await call('/api/mailbox/password', {
      body: { currentPassword: PASSWORD, newPassword: 'Ny-Stark-Kod-42' },
      cookie: changer,
    });
    expect(res.status).toBe(204);

    const refused = await call('/api/mailbox', { cookie: other });
    expect(refused.status).toBe(401);
    expect(await json(refused)).toMatchObject({ error: 'unauthorized' });
    expect(await alive(changer)).toBe(true);
  });

  it('stores only a hash of the session id', async () => {
    const mailbox = await seedMailbox({ password: PASSWORD });
    const cookie = await login(mailbox);
    const value = cookieValue(cookie);
    expect(value.length).toBeGreaterThanOrEqual(40);

    const { results } = await env.DB.prepare('SELECT * FROM sessions').all<{ id_hash: string }>();
    expect(results).toHaveLength(1);
    expect(results[0]?.id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(results)).not.toContain(value);
  });
});

describe('cross-site writes', () => {
  const writes = [
    {
      name: 'PUT /api/mailbox/phone',
      method: 'PUT',
      path: '/api/mailbox/phone',
      body: { phone: '070-987 65 43' },
      ok: 202,
    },
    {
      name: 'POST /api/mailbox/password',
      method: 'POST',
      path: '/api/mailbox/password',
      body: { currentPassword: PASSWORD, newPassword: 'Ny-Stark-Kod-42' },
      ok: 204,
    },
    {
      name: 'DELETE /api/mailbox/session',
      method: 'DELETE',
      path: '/api/mailbox/session',
      body: undefined,
      ok: 204,
    },
  ];

  const foreign: [string, Record<string, string>][] = [
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    [
      'a foreign Origin marked same-origin',
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
    ],
    ['Origin null', { Origin: 'null' }],
    ['Sec-Fetch-Site cross-site and no Origin', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site same-site and no Origin', { 'Sec-Fetch-Site': 'same-site' }],
  ];

  describe.each(writes)('$name', (write) => {
    it.each(foreign)('refuses it with %s and changes nothing', async (_label, headers) => {
      const mailbox = await seedMailbox({ password: PASSWORD });
      const cookie = await login(mailbox);
      const before = await snapshot();

      const res = await bare(write.path, {
        method: write.method,
        body: write.body,
        cookie,
        headers,
      });
      expect(res.status).toBe(403);
      expect(await json(res)).toMatchObject({ error: 'forbidden_origin' });
      await expectUnchanged(before);
      expect(await alive(cookie)).toBe(true);
    });

    it('allows it from a client that sends neither Origin nor Sec-Fetch-Site', async () => {
      const mailbox = await seedMailbox({ password: PASSWORD });
      const cookie = await login(mailbox);
      const res = await bare(write.path, { method: write.method, body: write.body, cookie });
      expect(res.status).toBe(write.ok);
    });
  });

  it('refuses a login posted from a foreign origin without checking the password', async () => {
    await seedMailbox({ username: 'hemtjanstab', password: PASSWORD });
    const before = await snapshot();
    const derivations = derivationCounter.count;
    const res = await bare('/api/mailbox/session', {
      method: 'POST',
      body: { username: 'hemtjanstab', password: PASSWORD },
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: 'forbidden_origin' });
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect(derivationCounter.count).toBe(derivations);
    await expectUnchanged(before);
  });
});

describe('the municipal network', () => {
  const internal = [
    '10.1.2.3',
    '192.168.1.1',
    'fd12:3456::1',
    '2001:db8:aaaa::1',
    '::ffff:10.1.2.3',
  ];

  it.each(internal)(
    'lets a login from %s through: reset and change work at the office',
    async (ip) => {
      await seedMailbox({ username: 'hemtjanstab', password: PASSWORD });
      const res = await call('/api/mailbox/session', {
        body: { username: 'hemtjanstab', password: PASSWORD },
        ip,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('Set-Cookie')).toMatch(/HttpOnly/);
    },
  );

  it.each(internal)('refuses registering a phone from %s and sends nothing', async (ip) => {
    const mailbox = await seedMailbox({ password: PASSWORD, phone: null });
    const cookie = await login(mailbox);
    const before = await snapshot();
    const res = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
      ip,
    });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: 'internal_network' });
    await expectUnchanged(before);
  });

  it.each(internal)('refuses confirming a phone from %s even with the right code', async (ip) => {
    const mailbox = await seedMailbox({ password: PASSWORD, phone: null });
    const cookie = await login(mailbox);
    const asked = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
    });
    expect(asked.status).toBe(202);
    const code = await latestCode(NEW_PHONE);
    const before = await snapshot();

    const res = await call('/api/mailbox/phone/verify', { body: { code }, cookie, ip });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: 'internal_network' });
    await expectUnchanged(before);
    const row = await env.DB.prepare('SELECT phone FROM mailboxes WHERE id = ?')
      .bind(mailbox.id)
      .first<{ phone: string | null }>();
    expect(row?.phone).toBeNull();

    // From outside, the same code still works: the refusal spent nothing.
    const outside = await call('/api/mailbox/phone/verify', { body: { code }, cookie });
    expect(outside.status).toBe(200);
    expect(await json(outside)).toEqual({ phone: NEW_PHONE });
  });

  it.each([
    ['no CF-Connecting-IP at all', null],
    ['an empty CF-Connecting-IP', ' '],
    ['a CF-Connecting-IP that is not an address', 'not-an-ip'],
  ])('refuses registering a phone with %s (fails closed)', async (_label, ip) => {
    const mailbox = await seedMailbox({ password: PASSWORD, phone: null });
    const cookie = await login(mailbox);
    const before = await snapshot();
    const res = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
      ip,
    });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: 'internal_network' });
    await expectUnchanged(before);
  });

  it('trusts only CF-Connecting-IP, not X-Forwarded-For or other client headers', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', password: PASSWORD });
    const cookie = await login(mailbox);
    const spoof = {
      'X-Forwarded-For': OUTSIDE_IP,
      'X-Real-IP': OUTSIDE_IP,
      'True-Client-IP': OUTSIDE_IP,
      Forwarded: `for=${OUTSIDE_IP}`,
    };
    const before = await snapshot();
    const phoneRes = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
      ip: INTERNAL_IP,
      headers: spoof,
    });
    expect(phoneRes.status).toBe(403);
    await expectUnchanged(before);
  });

  it('refuses every registration when the INTERNAL_NETWORKS list is malformed', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', password: PASSWORD });
    const cookie = await login(mailbox);
    const broken = { ...env, INTERNAL_NETWORKS: '10.0.0.0/8,192.168.0.0/33' };
    const before = await snapshot();

    async function direct(path: string, init: RequestInit) {
      const headers = new Headers(init.headers);
      headers.set('CF-Connecting-IP', OUTSIDE_IP);
      headers.set('Origin', ORIGIN);
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`${ORIGIN}${path}`, { ...init, headers }),
        broken,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    }

    const network = await direct('/api/network', { method: 'GET' });
    expect(await network.json()).toEqual({ internal: true });
    const phoneRes = await direct('/api/mailbox/phone', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ phone: '070-987 65 43' }),
    });
    expect(phoneRes.status).toBe(403);
    expect(await phoneRes.json()).toMatchObject({ error: 'internal_network' });
    await expectUnchanged(before);

    // The same request with the configured list is let through: only the list changed.
    const fine = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '070-987 65 43' },
      cookie,
    });
    expect(fine.status).toBe(202);
  });
});

describe('a completed reset', () => {
  it('ends every session of the mailbox, even the caller’s own, and opens none', async () => {
    const mailbox = await seedMailbox({ password: PASSWORD });
    const other = await seedMailbox({ password: PASSWORD });
    const cookies = [await login(mailbox), await login(mailbox), await login(mailbox)];
    const bystander = await login(other);
    const { id, code } = await (async () => {
      const res = await call('/api/resets', { body: { username: mailbox.username } });
      const started = await json<{ id: string }>(res);
      return { id: started.id, code: await latestCode(mailbox.phone ?? '') };
    })();
    const verified = await call(`/api/resets/${id}/code`, {
      body: { code },
      cookie: cookies[0],
    });
    expect(verified.headers.get('Set-Cookie')).toBeNull();
    const { token } = await json<{ token: string }>(verified);

    // The browser finishing the reset still holds a session cookie of the mailbox.
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Ny-Stark-Kod-42' },
      cookie: cookies[0],
    });
    expect(set.status).toBe(204);
    expect(set.headers.get('Set-Cookie')).toBeNull();
    for (const cookie of cookies) expect(await alive(cookie)).toBe(false);
    const { results } = await env.DB.prepare('SELECT revoked_at FROM sessions WHERE subject_id = ?')
      .bind(mailbox.id)
      .all<{ revoked_at: number | null }>();
    expect(results).toHaveLength(3);
    for (const row of results) expect(row.revoked_at).not.toBeNull();
    // Another mailbox's session is untouched.
    expect(await alive(bystander)).toBe(true);
  });
});

describe('forwarding headers and budgets', () => {
  it('counts reset starts per CF-Connecting-IP however X-Forwarded-For and True-Client-IP vary', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await call('/api/resets', {
        body: { username: `okand${i}` },
        headers: {
          'X-Forwarded-For': `203.0.113.${i}`,
          'True-Client-IP': `203.0.113.${100 + i}`,
          'X-Real-IP': `203.0.113.${200 + i}`,
        },
      });
      expect(res.status).toBe(202);
    }
    const refused = await call('/api/resets', {
      body: { username: 'okand99' },
      headers: { 'X-Forwarded-For': '203.0.113.250', 'True-Client-IP': '203.0.113.251' },
    });
    expect(refused.status).toBe(429);
    expect(await json(refused)).toMatchObject({ error: 'rate_limited' });
    const { results } = await env.DB.prepare(
      "SELECT key, count FROM counters WHERE key LIKE 'reset:address:%'",
    ).all();
    expect(results).toEqual([{ key: `reset:address:v4:${OUTSIDE_IP}`, count: 31 }]);
    const ips = await env.DB.prepare('SELECT DISTINCT ip FROM audit').all<{ ip: string }>();
    expect(ips.results.map((r) => r.ip)).toEqual([OUTSIDE_IP]);
  });
});
