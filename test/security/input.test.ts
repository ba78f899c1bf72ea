import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { clientNetwork } from '../../worker/domain/client-network';
import { derivationCounter } from '../../worker/domain/password-hash';
import { backgroundSettled } from '../../worker/services/deps';
import {
  call,
  json,
  login,
  ORIGIN,
  OUTSIDE_IP,
  outbox,
  seedMailbox,
  snapshot,
  startReset,
} from '../helpers';

/*
 * Every request body is validated: malformed JSON, wrong types, unknown or
 * missing fields give 400 `invalid_request` with the valibot issues and never a 500; bodies over
 * 16 KiB give 413; a refused request writes nothing; usernames are canonicalised so look-alike
 * spellings reach one account and one budget.
 */

const PASSWORD = 'Brevlada-2026';
const PHONE = '+46701234567';
const NEW_PASSWORD = 'Ny-Stark-Kod-42';
/** A value shaped like a reset token, so a response that echoed it could be caught. */
const TOKEN = 'tOkEn-ShApEd-VaLuE-0123456789abcdefghijklmn';

async function count(sql: string, ...params: unknown[]) {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

interface Context {
  cookie: string;
  resetId: string;
}

/** A mailbox with a phone, a live session and a pending reset: something to damage. */
async function prepare(): Promise<Context & { mailboxId: string }> {
  const mailbox = await seedMailbox({ username: 'hemtjanstab', password: PASSWORD, phone: PHONE });
  const cookie = await login(mailbox);
  const { id } = await startReset(mailbox);
  return { cookie, resetId: id, mailboxId: mailbox.id };
}

interface Route {
  name: string;
  method: 'POST' | 'PUT';
  path: (ctx: Context) => string;
  session: boolean;
  valid: Record<string, unknown>;
  /** The same body with one field of the wrong type, and that field's name. */
  wrongType: Record<string, unknown>;
  field: string;
}

const ROUTES: Route[] = [
  {
    name: 'POST /api/mailbox/session',
    method: 'POST',
    path: () => '/api/mailbox/session',
    session: false,
    valid: { username: 'hemtjanstab', password: PASSWORD },
    wrongType: { username: 123, password: PASSWORD },
    field: 'username',
  },
  {
    name: 'PUT /api/mailbox/phone',
    method: 'PUT',
    path: () => '/api/mailbox/phone',
    session: true,
    valid: { phone: '070-987 65 43' },
    wrongType: { phone: true },
    field: 'phone',
  },
  {
    name: 'POST /api/mailbox/phone/verify',
    method: 'POST',
    path: () => '/api/mailbox/phone/verify',
    session: true,
    valid: { code: '123456' },
    wrongType: { code: 123456 },
    field: 'code',
  },
  {
    name: 'POST /api/mailbox/password',
    method: 'POST',
    path: () => '/api/mailbox/password',
    session: true,
    valid: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    wrongType: { currentPassword: PASSWORD, newPassword: null },
    field: 'newPassword',
  },
  {
    name: 'POST /api/resets',
    method: 'POST',
    path: () => '/api/resets',
    session: false,
    valid: { username: 'hemtjanstab' },
    wrongType: { username: 123 },
    field: 'username',
  },
  {
    name: 'POST /api/resets/:id/code',
    method: 'POST',
    path: (ctx) => `/api/resets/${ctx.resetId}/code`,
    session: false,
    valid: { code: '123456' },
    wrongType: { code: 123456 },
    field: 'code',
  },
  {
    name: 'POST /api/resets/:id/password',
    method: 'POST',
    path: (ctx) => `/api/resets/${ctx.resetId}/password`,
    session: false,
    valid: { token: TOKEN, newPassword: NEW_PASSWORD },
    wrongType: { token: TOKEN, newPassword: null },
    field: 'newPassword',
  },
];

function send(route: Route, ctx: Context, raw: string) {
  return call(route.path(ctx), {
    method: route.method,
    raw,
    cookie: route.session ? ctx.cookie : null,
  });
}

/** Sends a body as a stream of 1 KiB chunks, so the request has no Content-Length. */
function sendChunked(route: Route, ctx: Context, text: string) {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + 1024));
      offset += 1024;
    },
  });
  const headers = new Headers({
    'CF-Connecting-IP': OUTSIDE_IP,
    Origin: ORIGIN,
    'Content-Type': 'application/json',
  });
  if (route.session) headers.set('Cookie', ctx.cookie);
  const request = new Request(`${ORIGIN}${route.path(ctx)}`, {
    method: route.method,
    headers,
    body,
  });
  expect(request.headers.get('Content-Length')).toBeNull();
  return SELF.fetch(request);
}

interface ErrorBody {
  error: string;
  issues?: { path: string; message: string }[];
}

async function expectInvalid(res: Response): Promise<ErrorBody & { text: string }> {
  const text = await res.text();
  expect(res.status, text).toBe(400);
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error).toBe('invalid_request');
  expect(Array.isArray(body.issues)).toBe(true);
  for (const issue of body.issues ?? []) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
  }
  return { ...body, text };
}

describe.each(ROUTES)('$name', (route) => {
  it('answers 400 to a body that is not JSON, or not a JSON object, and writes nothing', async () => {
    const ctx = await prepare();
    const before = await snapshot();
    for (const raw of ['{', '{"username": "hemtjanstab",', 'not json', '', "{'a': 1}"]) {
      const body = await expectInvalid(await send(route, ctx, raw));
      expect(body.issues).toEqual([{ path: '', message: 'Body is not JSON' }]);
    }
    for (const raw of ['[]', JSON.stringify([route.valid]), '42', 'null', '"text"', 'true']) {
      await expectInvalid(await send(route, ctx, raw));
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 415 to a valid body not declared as JSON, and writes nothing', async () => {
    const ctx = await prepare();
    const before = await snapshot();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/json']) {
      const res = await call(route.path(ctx), {
        method: route.method,
        raw: JSON.stringify(route.valid),
        cookie: route.session ? ctx.cookie : null,
        headers: { 'Content-Type': type },
      });
      expect(res.status, type).toBe(415);
      expect(await json(res)).toMatchObject({ error: 'unsupported_media_type' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 with the issue for a field of the wrong type, without echoing secrets', async () => {
    const ctx = await prepare();
    const before = await snapshot();
    const body = await expectInvalid(await send(route, ctx, JSON.stringify(route.wrongType)));
    expect(body.issues?.map((i) => i.path)).toContain(route.field);
    for (const secret of [PASSWORD, TOKEN]) expect(body.text).not.toContain(secret);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 to unknown extra fields and to missing fields', async () => {
    const ctx = await prepare();
    const before = await snapshot();
    const extra = await expectInvalid(
      await send(route, ctx, JSON.stringify({ ...route.valid, isAdmin: true })),
    );
    expect(extra.issues?.map((i) => i.path)).toContain('isAdmin');

    const missing = await expectInvalid(await send(route, ctx, '{}'));
    const paths = missing.issues?.map((i) => i.path) ?? [];
    for (const key of Object.keys(route.valid)) expect(paths).toContain(key);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 413 to a body over 16 KiB, with or without a Content-Length', async () => {
    const ctx = await prepare();
    const before = await snapshot();
    const big = JSON.stringify({ ...route.valid, padding: 'x'.repeat(17 * 1024) });

    const declared = await send(route, ctx, big);
    expect(declared.status).toBe(413);
    expect(await json(declared)).toMatchObject({ error: 'payload_too_large' });

    const streamed = await sendChunked(route, ctx, big);
    expect(streamed.status).toBe(413);
    expect(await json(streamed)).toMatchObject({ error: 'payload_too_large' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('bodies in general', () => {
  it('accepts a streamed body under the limit, so only the size is refused', async () => {
    const ctx = await prepare();
    const resets = ROUTES.find((r) => r.name === 'POST /api/resets');
    if (!resets) throw new Error('route table changed');
    const res = await sendChunked(resets, ctx, JSON.stringify({ username: 'hemtjanstab' }));
    expect(res.status).toBe(202);
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(2);
  });

  it.each([
    ['POST /api/mailbox/session', '/api/mailbox/session', false, 'password'],
    ['POST /api/mailbox/password', '/api/mailbox/password', true, 'currentPassword'],
    ['POST /api/resets/:id/password', 'reset', false, 'newPassword'],
  ] as const)(
    'never echoes a password sent as a number (%s)',
    async (_name, path, session, field) => {
      const ctx = await prepare();
      const secret = 73194628;
      const body: Record<string, unknown> =
        path === '/api/mailbox/session'
          ? { username: 'hemtjanstab', password: secret }
          : path === '/api/mailbox/password'
            ? { currentPassword: secret, newPassword: NEW_PASSWORD }
            : { token: TOKEN, newPassword: secret };
      const url = path === 'reset' ? `/api/resets/${ctx.resetId}/password` : path;
      const res = await call(url, { body, cookie: session ? ctx.cookie : null });
      const answer = await expectInvalid(res);
      expect(answer.issues?.map((i) => i.path)).toContain(field);
      expect(answer.text).not.toContain(String(secret));
    },
  );

  it('refuses a password longer than 256 characters without deriving it', async () => {
    const ctx = await prepare();
    const long = 'Aa1-'.repeat(65);
    expect(long.length).toBe(260);
    const before = await snapshot();
    const derivations = derivationCounter.count;

    await expectInvalid(
      await call('/api/mailbox/session', { body: { username: 'hemtjanstab', password: long } }),
    );
    await expectInvalid(
      await call('/api/mailbox/password', {
        body: { currentPassword: PASSWORD, newPassword: long },
        cookie: ctx.cookie,
      }),
    );
    await expectInvalid(
      await call(`/api/resets/${ctx.resetId}/password`, {
        body: { token: TOKEN, newPassword: long },
      }),
    );
    expect(derivationCounter.count).toBe(derivations);
    expect(await snapshot()).toEqual(before);

    // 256 characters are still a password to check (and here a wrong one).
    const edge = await call('/api/mailbox/session', {
      body: { username: 'hemtjanstab', password: long.slice(0, 256) },
    });
    expect(edge.status).toBe(401);
  });
});

describe('usernames', () => {
  it.each([
    ["x' OR '1'='1", '/api/resets'],
    ['"; DROP TABLE mailboxes; --', '/api/resets'],
    ["x' OR '1'='1", '/api/mailbox/session'],
    ['"; DROP TABLE mailboxes; --', '/api/mailbox/session'],
  ])('refuses %s on %s and leaves the mailboxes table intact', async (username, path) => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', password: PASSWORD });
    const body = path === '/api/resets' ? { username } : { username, password: PASSWORD };
    const answer = await expectInvalid(await call(path, { body }));
    expect(answer.issues?.map((i) => i.path)).toContain('username');

    const { results } = await env.DB.prepare('SELECT id, username FROM mailboxes').all();
    expect(results).toEqual([{ id: mailbox.id, username: 'hemtjanstab' }]);
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM login_failures')).toBe(0);
  });

  it('reaches one account and one budget from upper case, spaces, full-width and zero-width spellings', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    const spellings = [
      'HEMTJANSTAB',
      ' hemtjanstab ',
      'ｈｅｍｔｊａｎｓｔａｂ',
      'hem\u200Btjanstab',
      'hemtjanstab',
    ];
    const ids: string[] = [];
    for (const [index, username] of spellings.entries()) {
      const res = await call('/api/resets', { body: { username } });
      expect(res.status, username).toBe(202);
      ids.push((await json<{ id: string }>(res)).id);
      await backgroundSettled();
      // The SMS for the one account arrives each time, up to the three reset texts a number
      // gets an hour from one network: every spelling counts against the same number.
      expect((await outbox()).filter((m) => m.to === PHONE)).toHaveLength(Math.min(index + 1, 3));
    }
    for (const id of ids) {
      const row = await env.DB.prepare('SELECT mailbox_id FROM challenges WHERE id = ?')
        .bind(id)
        .first<{ mailbox_id: string }>();
      expect(row?.mailbox_id).toBe(mailbox.id);
    }

    // Five spellings, one budget of five: the sixth, in yet another spelling, is refused.
    const sixth = await call('/api/resets', { body: { username: ' HemtjanstAB' } });
    expect(sixth.status).toBe(429);
    expect(await json(sixth)).toMatchObject({ error: 'rate_limited' });
    const { results } = await env.DB.prepare(
      "SELECT key, count FROM counters WHERE key LIKE 'reset:username:%'",
    ).all();
    expect(results).toEqual([{ key: `reset:username:hemtjanstab:v4:${OUTSIDE_IP}`, count: 6 }]);
  });

  it.each([
    ['an emoji after the name', 'hemtjanstab\u{1F600}'],
    ['only an emoji', '\u{1F511}'],
    ['a composed ä', 'hemtj\u00E4nstab'],
    ['a decomposed ä', 'hemtja\u0308nstab'],
  ])('refuses a username with %s and counts nothing', async (_label, username) => {
    await seedMailbox({ username: 'hemtjanstab' });
    const body = await expectInvalid(await call('/api/resets', { body: { username } }));
    expect(body.issues?.map((i) => i.path)).toContain('username');
    await expectInvalid(
      await call('/api/mailbox/session', { body: { username, password: PASSWORD } }),
    );
    expect(await count('SELECT COUNT(*) AS n FROM counters')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM login_failures')).toBe(0);
  });
});

describe('codes as typed', () => {
  it('accepts the code with a space or a hyphen in the middle', async () => {
    const first = await seedMailbox({ phone: '+46701111111' });
    const second = await seedMailbox({ phone: '+46702222222' });
    const a = await startReset(first);
    const b = await startReset(second);
    const spaced = `${a.code?.slice(0, 3)} ${a.code?.slice(3)}`;
    const hyphened = `${b.code?.slice(0, 3)}-${b.code?.slice(3)}`;

    const resA = await call(`/api/resets/${a.id}/code`, { body: { code: spaced } });
    expect(resA.status).toBe(200);
    expect(typeof (await json(resA)).token).toBe('string');
    const resB = await call(`/api/resets/${b.id}/code`, { body: { code: hyphened } });
    expect(resB.status).toBe(200);
  });

  it('refuses letters as invalid_request without counting an attempt', async () => {
    const mailbox = await seedMailbox();
    const { id } = await startReset(mailbox);
    for (const code of ['abcdef', '12345', '1234567', '12a456']) {
      const body = await expectInvalid(await call(`/api/resets/${id}/code`, { body: { code } }));
      expect(body.issues?.map((i) => i.path)).toContain('code');
    }
    expect(
      await count(
        'SELECT attempts AS n FROM challenges WHERE id = ? AND status = ?',
        id,
        'pending',
      ),
    ).toBe(0);
  });
});

describe('hostile JSON shapes', () => {
  it.each(ROUTES)(
    '$name refuses __proto__ and constructor keys and writes nothing',
    async (route) => {
      const ctx = await prepare();
      const before = await snapshot();
      const valid = JSON.stringify(route.valid).slice(1, -1);
      for (const raw of [
        `{"__proto__": {"isAdmin": true}, ${valid}}`,
        `{${valid}, "__proto__": null}`,
        `{"constructor": {"prototype": {"isAdmin": true}}, ${valid}}`,
      ]) {
        const body = await expectInvalid(await send(route, ctx, raw));
        expect(body.text).not.toContain('isAdmin": true');
      }
      // Nothing leaked into the prototype of plain objects in the worker either.
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(ROUTES)('$name refuses an array or an object where a string belongs', async (route) => {
    const ctx = await prepare();
    const before = await snapshot();
    for (const wrap of [(v: unknown) => [v], (v: unknown) => ({ value: v }), () => []]) {
      const body = await expectInvalid(
        await send(
          route,
          ctx,
          JSON.stringify({ ...route.valid, [route.field]: wrap(route.valid[route.field]) }),
        ),
      );
      expect(body.issues?.map((i) => i.path)).toContain(route.field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['POST /api/mailbox/session', 'session'],
    ['POST /api/mailbox/password', 'change'],
    ['POST /api/resets/:id/password', 'reset'],
  ] as const)('%s refuses a 1 MB password before any hashing', async (_name, kind) => {
    const ctx = await prepare();
    const huge = 'Aa1-'.repeat(256 * 1024);
    const before = await snapshot();
    const derivations = derivationCounter.count;
    const path =
      kind === 'session'
        ? '/api/mailbox/session'
        : kind === 'change'
          ? '/api/mailbox/password'
          : `/api/resets/${ctx.resetId}/password`;
    const body =
      kind === 'session'
        ? { username: 'hemtjanstab', password: huge }
        : kind === 'change'
          ? { currentPassword: PASSWORD, newPassword: huge }
          : { token: TOKEN, newPassword: huge };
    const started = Date.now();
    const res = await call(path, { body, cookie: kind === 'change' ? ctx.cookie : null });
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ error: 'payload_too_large' });
    expect(derivationCounter.count).toBe(derivations);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await snapshot()).toEqual(before);
  });
});

describe('phone numbers that must never get an SMS', () => {
  it.each([
    ['an Iridium satellite number (+881)', '+881 6 1234 5678'],
    ['an international network number (+882)', '+882 16 1234 5678'],
    ['an Inmarsat number (+870)', '+870 773 123 456'],
    ['a Swedish premium rate number (0900)', '0900-123 45 67'],
    ['a Swedish premium rate number (0939)', '0939-123 456'],
    ['a Swedish premium rate number (0944)', '0944-123 456'],
    ['premium rate written internationally', '+46 900 123 45 67'],
    ['letters in the number', '070-ABC 45 67'],
    ['a vanity number', '070-NYCKEL1'],
    ['sixteen digits', '+46 701 234 567 890 12'],
    ['twenty digits', '07012345678901234567'],
    ['an embedded second number', '0701234567,0709876543'],
  ])('refuses %s as invalid_phone, sends nothing and spends no budget', async (_label, phone) => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', password: PASSWORD, phone: null });
    const cookie = await login(mailbox);
    const res = await call('/api/mailbox/phone', { method: 'PUT', body: { phone }, cookie });
    expect(res.status, phone).toBe(400);
    expect(await json(res)).toMatchObject({ error: 'invalid_phone' });
    await backgroundSettled();
    expect(await outbox()).toEqual([]);
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM deliveries')).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM counters WHERE key LIKE 'sms:%'")).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM mailboxes WHERE phone IS NOT NULL')).toBe(0);
  });
});

describe('username spellings and the login lockout', () => {
  it('counts wrong passwords under every spelling against one lockout', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', password: PASSWORD });
    const spellings = [
      'HEMTJANSTAB',
      ' hemtjanstab ',
      'ｈｅｍｔｊａｎｓｔａｂ',
      'hem\u200Btjanstab',
      '\uFEFFHemtjanstab\u200D',
    ];
    for (const username of spellings) {
      const res = await call('/api/mailbox/session', {
        body: { username, password: 'Fel-Losenord-9' },
      });
      expect(res.status, username).toBe(401);
    }
    const { results } = await env.DB.prepare(
      'SELECT username FROM login_failures ORDER BY username',
    ).all();
    // One account: its account-wide row and the row of the one network the guesses came from.
    expect(results.map((r) => r.username)).toEqual([
      'hemtjanstab',
      `hemtjanstab|${clientNetwork(OUTSIDE_IP)}`,
    ]);
    // The right password, in yet another spelling, is now refused: one account, one lock.
    const locked = await call('/api/mailbox/session', {
      body: { username: 'HemtjanstAB', password: mailbox.password },
    });
    expect(locked.status).toBe(423);
    expect(await json(locked)).toMatchObject({ error: 'locked' });
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).toBe(0);
  });
});
