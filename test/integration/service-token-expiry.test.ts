import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { EXPIRY_WARNING_DAYS, MAX_TOKEN_DAYS } from '../../worker/services/service-tokens';
import { auditRows, call, json } from '../helpers';
import { identityBody, integrationCall, seedServiceToken } from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * Service tokens may be given an expiry of at most two years. After it the token is refused
 * exactly like a revoked one (401), and Administration lists a live token that expires within
 * 30 days first, flagged, so it is replaced before the other system stops.
 */

const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

interface TokenView {
  id: string;
  name: string;
  expiresAt: string | null;
  expired: boolean;
  expiresSoon: boolean;
}

async function world() {
  const unit = await seedUnit();
  const admin = await seedPerson({ isAdmin: true });
  return { unit, cookie: await personCookie(admin.id) };
}

function create(cookie: string, body: Record<string, unknown>) {
  return call('/api/admin/service-tokens', {
    cookie,
    body: { name: 'Lönesystemet', scopes: ['identities:write'], ...body },
  });
}

describe('a service token with an expiry', () => {
  it('is stored with its expiry, works until then, and shows it', async () => {
    const w = await world();
    const expiresAt = iso(now() + 90 * DAY);
    const res = await create(w.cookie, { expiresAt });
    expect(res.status).toBe(201);
    const created = await json<TokenView & { token: string }>(res);
    expect(created).toMatchObject({ expiresAt, expired: false, expiresSoon: false });
    const put = await integrationCall('/api/integration/identities/annand01', created.token, {
      method: 'PUT',
      body: identityBody(w.unit.id),
    });
    expect(put.status).toBe(201);
    const audit = (await auditRows()).find((r) => r.action === 'service_token.create');
    expect(JSON.stringify(audit)).toContain(expiresAt);
  });

  it('is refused like a revoked token once it has expired', async () => {
    const w = await world();
    const expired = await seedServiceToken(['identities:write'], { expiresAt: now() - 1 });
    const revoked = await seedServiceToken(['identities:write'], { revoked: true });
    for (const { token } of [expired, revoked]) {
      const res = await integrationCall('/api/integration/identities/annand01', token, {
        method: 'PUT',
        body: identityBody(w.unit.id),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
      expect(await json(res)).toMatchObject({ error: 'unauthorized' });
    }
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM identities').first('n')).toBe(0);
  });

  it.each([
    ['in the past', () => iso(now() - DAY)],
    ['now', () => iso(now())],
    ['more than two years away', () => iso(now() + (MAX_TOKEN_DAYS + 2) * DAY)],
    ['not a timestamp', () => 'next year'],
    ['a date without a time', () => '2027-01-01'],
  ])('refuses an expiry %s with 400 naming expiresAt, writing nothing', async (_what, at) => {
    const w = await world();
    const res = await create(w.cookie, { expiresAt: at() });
    expect(res.status).toBe(400);
    const body = await json<{ error: string; issues: { path: string }[] }>(res);
    expect(body.error).toBe('invalid_request');
    expect(body.issues.map((i) => i.path)).toContain('expiresAt');
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM service_tokens').first('n')).toBe(0);
  });

  it('accepts an expiry two years away, and none at all', async () => {
    const w = await world();
    expect(
      (await create(w.cookie, { expiresAt: iso(now() + MAX_TOKEN_DAYS * DAY - 60) })).status,
    ).toBe(201);
    const open = await create(w.cookie, {});
    expect(await json(open)).toMatchObject({ expiresAt: null, expired: false, expiresSoon: false });
  });
});

describe('Administration lists the tokens near their expiry first', () => {
  it('flags a live token within 30 days of its expiry and puts it first, soonest first', async () => {
    const w = await world();
    await seedServiceToken(['identities:write'], {});
    const later = await seedServiceToken(['identities:write'], {
      expiresAt: now() + (EXPIRY_WARNING_DAYS - 1) * DAY,
    });
    const soonest = await seedServiceToken(['identities:write'], { expiresAt: now() + 2 * DAY });
    const far = await seedServiceToken(['identities:write'], {
      expiresAt: now() + (EXPIRY_WARNING_DAYS + 5) * DAY,
    });
    const gone = await seedServiceToken(['identities:write'], { expiresAt: now() - DAY });
    const list = await json<TokenView[]>(
      await call('/api/admin/service-tokens', { cookie: w.cookie }),
    );
    expect(list.slice(0, 2).map((t) => t.id)).toEqual([soonest.id, later.id]);
    const byId = new Map(list.map((t) => [t.id, t]));
    expect(byId.get(soonest.id)).toMatchObject({ expiresSoon: true, expired: false });
    expect(byId.get(far.id)).toMatchObject({ expiresSoon: false, expired: false });
    expect(byId.get(gone.id)).toMatchObject({ expiresSoon: false, expired: true });
  });
});
