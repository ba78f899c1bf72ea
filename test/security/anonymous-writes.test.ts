import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/index';
import { seedHandover, seedStaff } from '../handover-helpers';
import {
  json,
  latestCode,
  ORIGIN,
  OUTSIDE_IP,
  outbox,
  seedMailbox,
  snapshot,
  startReset,
} from '../helpers';
import { seedInvite, seedPerson, seedUnit } from '../people-helpers';

/*
 * Every state-changing anonymous route accepts only same-origin JSON. A web page can make its
 * visitors' browsers send a cross-site "simple request" (text/plain, a form) with no preflight:
 * such a post is refused, 403 `forbidden_origin` for a foreign Origin and 415
 * `unsupported_media_type` for a body that is not JSON, before anything is counted or sent.
 * Routes documented for outside clients (reset start to finish, the mailbox sign-in) still
 * work from curl, which sends no Origin; the app's own pages (handovers, people's sign-in and
 * enrolment, the share after a reset) want an Origin.
 */

const EVIL = 'https://evil.example';
const PHONE = '+46701234567';

interface Context {
  resetId: string;
  handoverToken: string;
  invite: string;
}

async function prepare(): Promise<Context> {
  const unit = await seedUnit('Hemtjänst Åby');
  const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: PHONE, unitId: unit.id });
  const { id } = await startReset(mailbox);
  const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
  const staff = await seedStaff(unit.id);
  const { token } = await seedHandover(mailbox.id, manager.id, staff.id);
  const newcomer = await seedPerson({ email: 'ny@example.se' });
  return { resetId: id, handoverToken: token, invite: await seedInvite(newcomer.id) };
}

interface Route {
  name: string;
  path: (ctx: Context) => string;
  body: (ctx: Context) => unknown;
  /** Documented for outside clients: a request with no Origin at all still passes. */
  outsideClients: boolean;
}

const ROUTES: Route[] = [
  {
    name: 'POST /api/resets',
    path: () => '/api/resets',
    body: () => ({ username: 'hemtjanstab' }),
    outsideClients: true,
  },
  {
    name: 'POST /api/resets/:id/resend',
    path: (ctx) => `/api/resets/${ctx.resetId}/resend`,
    body: () => undefined,
    outsideClients: true,
  },
  {
    name: 'POST /api/resets/:id/code',
    path: (ctx) => `/api/resets/${ctx.resetId}/code`,
    body: () => ({ code: '123456' }),
    outsideClients: true,
  },
  {
    name: 'POST /api/resets/:id/password',
    path: (ctx) => `/api/resets/${ctx.resetId}/password`,
    body: () => ({ token: 'x'.repeat(43), newPassword: 'Ny-Stark-Kod-42' }),
    outsideClients: true,
  },
  {
    name: 'POST /api/resets/:id/staff',
    path: (ctx) => `/api/resets/${ctx.resetId}/staff`,
    body: () => ({ token: 'x'.repeat(43) }),
    outsideClients: false,
  },
  {
    name: 'POST /api/resets/:id/handovers',
    path: (ctx) => `/api/resets/${ctx.resetId}/handovers`,
    body: () => ({ token: 'x'.repeat(43), staffIds: ['staff-1'] }),
    outsideClients: false,
  },
  {
    name: 'POST /api/handovers/peek',
    path: () => '/api/handovers/peek',
    body: (ctx) => ({ token: ctx.handoverToken }),
    outsideClients: false,
  },
  {
    name: 'POST /api/handovers/reveal',
    path: () => '/api/handovers/reveal',
    body: (ctx) => ({ token: ctx.handoverToken }),
    outsideClients: false,
  },
  {
    name: 'POST /api/mailbox/session',
    path: () => '/api/mailbox/session',
    body: () => ({ username: 'hemtjanstab', password: 'Hemvard#2026' }),
    outsideClients: true,
  },
  {
    name: 'POST /api/people/invite',
    path: () => '/api/people/invite',
    body: (ctx) => ({ token: ctx.invite }),
    outsideClients: false,
  },
  {
    name: 'POST /api/people/enrol/passkey/options',
    path: () => '/api/people/enrol/passkey/options',
    body: (ctx) => ({ token: ctx.invite }),
    outsideClients: false,
  },
  {
    // Without an authenticator this gets no further than validation, which is enough here.
    name: 'POST /api/people/enrol/passkey',
    path: () => '/api/people/enrol/passkey',
    body: (ctx) => ({ token: ctx.invite, challengeId: 'x', response: {} }),
    outsideClients: false,
  },
  {
    name: 'POST /api/people/enrol/totp/options',
    path: () => '/api/people/enrol/totp/options',
    body: (ctx) => ({ token: ctx.invite }),
    outsideClients: false,
  },
  {
    name: 'POST /api/people/enrol/totp',
    path: () => '/api/people/enrol/totp',
    body: (ctx) => ({ token: ctx.invite, code: '123456' }),
    outsideClients: false,
  },
  {
    name: 'POST /api/people/session/passkey/options',
    path: () => '/api/people/session/passkey/options',
    body: () => ({}),
    outsideClients: false,
  },
  {
    name: 'POST /api/people/session/passkey',
    path: () => '/api/people/session/passkey',
    body: () => ({ challengeId: 'x', response: {} }),
    outsideClients: false,
  },
  {
    name: 'POST /api/people/session/totp',
    path: () => '/api/people/session/totp',
    body: () => ({ email: 'ny@example.se', code: '123456' }),
    outsideClients: false,
  },
  {
    name: 'POST /api/people/session/certificate',
    path: () => '/api/people/session/certificate',
    body: () => ({}),
    outsideClients: false,
  },
];

interface Sent {
  origin?: string | null;
  site?: string;
  type?: string | null;
  raw?: string;
}

/** A request exactly as given: no Origin or Content-Type unless the test sets them. */
function send(path: string, body: unknown, o: Sent = {}): Promise<Response> {
  const headers = new Headers({ 'CF-Connecting-IP': OUTSIDE_IP });
  if (o.origin !== null) headers.set('Origin', o.origin ?? ORIGIN);
  if (o.site) headers.set('Sec-Fetch-Site', o.site);
  const text = o.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (o.type !== null && (o.type !== undefined || text !== undefined)) {
    headers.set('Content-Type', o.type ?? 'application/json');
  }
  return SELF.fetch(new Request(`${ORIGIN}${path}`, { method: 'POST', headers, body: text }));
}

async function expectRefused(res: Response, status: number, error: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(JSON.parse(text)).toMatchObject({ error });
}

describe('the route table', () => {
  it('covers every anonymous write the app registers', () => {
    const anonymous = new Set<string>();
    for (const route of app.routes) {
      const path = route.path.replace(/(.)\/$/, '$1');
      if (route.method !== 'POST') continue;
      if (/^\/api\/(resets|handovers|people)(\/|$)/.test(path) || path === '/api/mailbox/session') {
        anonymous.add(`POST ${path}`);
      }
    }
    const listed = new Set(ROUTES.map((r) => r.name));
    expect([...anonymous].filter((r) => !listed.has(r))).toEqual([]);
  });
});

describe.each(ROUTES)('$name', (route) => {
  it('refuses a foreign Origin, or a browser marking it cross-site, and writes nothing', async () => {
    const ctx = await prepare();
    const before = await snapshot();
    const body = route.body(ctx);
    await expectRefused(
      await send(route.path(ctx), body, { origin: EVIL }),
      403,
      'forbidden_origin',
    );
    await expectRefused(
      await send(route.path(ctx), body, { origin: null, site: 'cross-site' }),
      403,
      'forbidden_origin',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not declared JSON with 415 and writes nothing', async () => {
    const ctx = await prepare();
    const before = await snapshot();
    const raw = JSON.stringify(route.body(ctx) ?? {});
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
    ]) {
      await expectRefused(
        await send(route.path(ctx), undefined, { raw, type }),
        415,
        'unsupported_media_type',
      );
    }
    // A body with no type at all (a Blob without one) is no more JSON than text/plain.
    await expectRefused(
      await send(route.path(ctx), undefined, { raw, type: null }),
      415,
      'unsupported_media_type',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('takes the same call as JSON from the app’s own origin past both checks', async () => {
    const ctx = await prepare();
    for (const type of ['application/json', 'application/json; charset=utf-8']) {
      const body = route.body(ctx);
      const res = await send(route.path(ctx), body, { type: body === undefined ? null : type });
      const answer = res.status >= 400 ? await json<{ error: string }>(res) : { error: '' };
      expect(['forbidden_origin', 'unsupported_media_type']).not.toContain(answer.error);
    }
  });

  it(
    route.outsideClients
      ? 'still serves a client that sends no Origin (curl)'
      : 'refuses a write that carries no Origin: only the app’s pages call it',
    async () => {
      const ctx = await prepare();
      const res = await send(route.path(ctx), route.body(ctx), { origin: null });
      const answer = res.status >= 400 ? await json<{ error: string }>(res) : { error: '' };
      if (route.outsideClients) expect(answer.error).not.toBe('forbidden_origin');
      else expect(answer.error).toBe('forbidden_origin');
    },
  );
});

describe('a cross-site text/plain post to /api/resets, as any web page can send', () => {
  it('is refused before anything is counted or sent, with or without an Origin', async () => {
    await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    const before = await snapshot();
    const sent = (await outbox()).length;
    const raw = '{"username":"hemtjanstab"}';
    await expectRefused(
      await send('/api/resets', undefined, { origin: EVIL, type: 'text/plain', raw }),
      403,
      'forbidden_origin',
    );
    // A browser that hides the Origin (a privacy extension) is still stopped by the type.
    await expectRefused(
      await send('/api/resets', undefined, { origin: null, type: 'text/plain', raw }),
      415,
      'unsupported_media_type',
    );
    expect(await snapshot()).toEqual(before);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM counters').first('n')).toBe(0);
    expect((await outbox()).length).toBe(sent);
  });

  it('still lets the README’s curl walk a whole reset: JSON, no Origin', async () => {
    await seedMailbox({ username: 'hemtjanstab', phone: PHONE });
    const started = await send('/api/resets', { username: 'hemtjanstab' }, { origin: null });
    expect(started.status).toBe(202);
    const { id } = await json<{ id: string }>(started);
    const code = await latestCode(PHONE);
    const verified = await send(`/api/resets/${id}/code`, { code }, { origin: null });
    expect(verified.status).toBe(200);
    const { token } = await json<{ token: string }>(verified);
    const done = await send(
      `/api/resets/${id}/password`,
      { token, newPassword: 'Tr4sig-Kanin-44' },
      { origin: null },
    );
    expect(done.status).toBe(204);
  });
});
