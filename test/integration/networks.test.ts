import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { NetworkSettingsView } from '../../worker/routes/admin.schemas';
import {
  auditRows,
  call,
  INTERNAL_IP,
  json,
  login,
  OUTSIDE_IP,
  seedMailbox,
  snapshot,
} from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/** The wrangler var of the tests (vitest.config.ts), split as the API shows it. */
const DEFAULTS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fd00::/8',
  '2001:db8:aaaa::/48',
];
/** The documentation range OUTSIDE_IP (198.51.100.7) belongs to. */
const OUTSIDE_RANGE = '198.51.100.0/24';

async function admin(options: { verifiedAgoSeconds?: number } = {}) {
  const person = await seedPerson({ isAdmin: true, name: 'Ada Admin' });
  return { person, cookie: await personCookie(person.id, options) };
}

function getNetworks(cookie: string | null) {
  return call('/api/admin/networks', { cookie });
}

function putNetworks(cookie: string | null, body: unknown, headers?: Record<string, string>) {
  return call('/api/admin/networks', { method: 'PUT', body, cookie, headers });
}

function deleteNetworks(cookie: string | null) {
  return call('/api/admin/networks', { method: 'DELETE', cookie });
}

async function internal(ip: string | null) {
  const res = await call('/api/network', { ip });
  expect(res.status).toBe(200);
  return (await json<{ internal: boolean }>(res)).internal;
}

let nextNumber = 0;

/**
 * Registering a number from `ip`: the sign-in works from anywhere, the number only from
 * outside the municipal network (202: a code is on its way).
 */
async function registerFrom(mailbox: { username: string; password: string }, ip: string) {
  const session = await call('/api/mailbox/session', {
    body: { username: mailbox.username, password: mailbox.password },
    ip,
  });
  expect(session.status).toBe(200);
  const cookie = session.headers.get('Set-Cookie')?.split(';')[0] ?? '';
  nextNumber++;
  return call('/api/mailbox/phone', {
    method: 'PUT',
    body: { phone: `070987${String(nextNumber).padStart(4, '0')}` },
    cookie,
    ip,
  });
}

describe('GET /api/admin/networks', () => {
  it('shows the wrangler var as the list in force until an administrator sets one', async () => {
    const { cookie } = await admin();
    const res = await getNetworks(cookie);
    expect(res.status).toBe(200);
    const body = v.parse(NetworkSettingsView, await res.json());
    expect(body).toEqual({ cidrs: DEFAULTS, source: 'default', defaults: DEFAULTS });
  });

  it('is for administrators only', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const cookie = await personCookie(manager.id);
    expect((await getNetworks(cookie)).status).toBe(403);
    expect((await putNetworks(cookie, { cidrs: [OUTSIDE_RANGE] })).status).toBe(403);
    expect((await deleteNetworks(cookie)).status).toBe(403);
    expect((await getNetworks(null)).status).toBe(401);
  });
});

describe('PUT /api/admin/networks', () => {
  it('refuses registering a number from an added range on the very next request', async () => {
    const { person, cookie } = await admin();
    const mailbox = await seedMailbox();
    expect(await internal(OUTSIDE_IP)).toBe(false);

    const res = await putNetworks(cookie, { cidrs: [...DEFAULTS, OUTSIDE_RANGE] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      cidrs: [...DEFAULTS, OUTSIDE_RANGE],
      source: 'settings',
      defaults: DEFAULTS,
    });

    expect(await internal(OUTSIDE_IP)).toBe(true);
    const refused = await registerFrom(mailbox, OUTSIDE_IP);
    expect(refused.status).toBe(403);
    expect((await json(refused)).error).toBe('internal_network');

    const [entry] = (await auditRows()).filter((r) => r.action === 'networks.update');
    expect(entry).toMatchObject({ actor: `person:${person.id}`, outcome: 'success' });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      source: 'settings',
      cidrs: [...DEFAULTS, OUTSIDE_RANGE].join(','),
      previous: DEFAULTS.join(','),
      count: DEFAULTS.length + 1,
      previousCount: DEFAULTS.length,
      confirmed: false,
    });
  });

  it('refuses phone registration from an added range too', async () => {
    const { cookie } = await admin();
    const mailbox = await seedMailbox();
    const session = await login(mailbox);
    expect((await putNetworks(cookie, { cidrs: [OUTSIDE_RANGE], confirm: true })).status).toBe(200);
    const res = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '0709876543' },
      cookie: session,
    });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('internal_network');
  });

  it('replaces the default: a range left out is no longer internal', async () => {
    const { cookie } = await admin();
    const mailbox = await seedMailbox();
    expect(await internal(INTERNAL_IP)).toBe(true);
    expect((await putNetworks(cookie, { cidrs: [OUTSIDE_RANGE], confirm: true })).status).toBe(200);
    expect(await internal(INTERNAL_IP)).toBe(false);
    expect((await registerFrom(mailbox, INTERNAL_IP)).status).toBe(202);
  });

  it('takes IPv6 ranges and single addresses', async () => {
    const { cookie } = await admin();
    const res = await putNetworks(cookie, {
      cidrs: ['2001:db8:bbbb::/48', '203.0.113.9'],
      confirm: true,
    });
    expect(res.status).toBe(200);
    expect(await internal('2001:db8:bbbb::1')).toBe(true);
    expect(await internal('203.0.113.9')).toBe(true);
    expect(await internal('203.0.113.10')).toBe(false);
  });

  it('trims entries and drops exact duplicates', async () => {
    const { cookie } = await admin();
    const res = await putNetworks(cookie, {
      cidrs: [' 10.0.0.0/8 ', '10.0.0.0/8', OUTSIDE_RANGE],
      confirm: true,
    });
    expect(res.status).toBe(200);
    expect((await json<{ cidrs: string[] }>(res)).cidrs).toEqual(['10.0.0.0/8', OUTSIDE_RANGE]);
  });

  it('accepts a confirmed empty list: no internal networks, as with an empty wrangler var', async () => {
    const { cookie } = await admin();
    const res = await putNetworks(cookie, { cidrs: [], confirm: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ cidrs: [], source: 'settings', defaults: DEFAULTS });
    expect(await internal(INTERNAL_IP)).toBe(false);
    // A missing client address still fails closed.
    expect(await internal(null)).toBe(true);
  });

  it.each([
    ['a prefix too long', '10.0.0.0/33'],
    ['not an address', 'not-an-ip'],
    ['an empty entry', ''],
    ['blanks only', '   '],
    ['two entries in one', '10.0.0.0/8,192.0.2.0/24'],
    ['a zone id', 'fe80::1%eth0'],
    ['an octet over 255', '10.0.0.256/8'],
    ['a bracketed address', '[2001:db8::1]'],
  ])('refuses %s, names the entry and writes nothing', async (_label, bad) => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await putNetworks(cookie, { cidrs: ['10.0.0.0/8', bad] });
    expect(res.status).toBe(400);
    const body = await json<{ error: string; entry: string; issues: { path: string }[] }>(res);
    expect(body.error).toBe('invalid_request');
    expect(body.entry).toBe(bad);
    expect(body.issues[0]?.path).toBe('cidrs.1');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['more than 100 entries', { cidrs: Array.from({ length: 101 }, (_, i) => `10.${i}.0.0/16`) }],
    ['no list', {}],
    ['a string instead of a list', { cidrs: '10.0.0.0/8' }],
    ['a number in the list', { cidrs: [10] }],
    ['an entry over 64 characters', { cidrs: [`${'1'.repeat(65)}`] }],
    ['an unknown field', { cidrs: [], source: 'default' }],
  ])('refuses %s with 400 and writes nothing', async (_label, body) => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await putNetworks(cookie, body);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });

  it('names every bad entry with its place, its text and why, and writes nothing', async () => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await putNetworks(cookie, {
      cidrs: ['10.0.0.0/8', '10.0.0.300/8', '192.168.0.0/16', '10.0.0.0/33', 'a,b', 'printer'],
    });
    expect(res.status).toBe(400);
    const body = await json<{
      entry: string;
      issues: { path: string; code: string; message: string }[];
    }>(res);
    expect(body.entry).toBe('10.0.0.300/8');
    expect(body.issues.map((i) => [i.path, i.code])).toEqual([
      ['cidrs.1', 'address'],
      ['cidrs.3', 'prefix'],
      ['cidrs.4', 'comma'],
      ['cidrs.5', 'address'],
    ]);
    expect(body.issues[1]?.message).toContain('"10.0.0.0/33"');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['empties the list', [], 'networks_emptied'],
    ['removes more than half of it (5 to 2)', ['10.0.0.0/8', '172.16.0.0/12'], 'networks_shrunk'],
  ])(
    'asks for confirm: true when it %s, and writes nothing without it',
    async (_l, cidrs, reason) => {
      const { cookie } = await admin();
      const before = await snapshot();
      for (const confirm of [undefined, false]) {
        const res = await putNetworks(cookie, {
          cidrs,
          ...(confirm === undefined ? {} : { confirm }),
        });
        expect(res.status).toBe(409);
        const body = await json<{ error: string; reason: string }>(res);
        expect(body).toMatchObject({ error: 'confirmation_required', reason });
      }
      expect(await snapshot()).toEqual(before);
      expect(await internal(INTERNAL_IP)).toBe(true);
    },
  );

  it('needs no confirmation to remove half or less (5 to 3), or to shrink a list of none', async () => {
    const { cookie } = await admin();
    const three = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
    expect((await putNetworks(cookie, { cidrs: three })).status).toBe(200);
    expect((await putNetworks(cookie, { cidrs: [], confirm: true })).status).toBe(200);
    expect((await putNetworks(cookie, { cidrs: [] })).status).toBe(200);
  });

  it('audits a confirmed cut: who, how many entries before and after', async () => {
    const { person, cookie } = await admin();
    const res = await putNetworks(cookie, { cidrs: [], confirm: true });
    expect(res.status).toBe(200);
    const [entry] = (await auditRows()).filter((r) => r.action === 'networks.update');
    expect(entry).toMatchObject({ actor: `person:${person.id}`, outcome: 'success' });
    expect(JSON.parse(entry?.detail ?? '{}')).toMatchObject({
      count: 0,
      previousCount: DEFAULTS.length,
      confirmed: true,
    });
    expect(await internal(INTERNAL_IP)).toBe(false);
  });

  it('refuses a confirm that is not a boolean', async () => {
    const { cookie } = await admin();
    const res = await putNetworks(cookie, { cidrs: [], confirm: 'yes' });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_request');
  });

  it('accepts exactly 100 entries', async () => {
    const { cookie } = await admin();
    const cidrs = Array.from({ length: 100 }, (_, i) => `10.${i}.0.0/16`);
    const res = await putNetworks(cookie, { cidrs });
    expect(res.status).toBe(200);
    expect((await json<{ cidrs: string[] }>(res)).cidrs).toHaveLength(100);
  });

  it('needs a fresh sign-in; a stale one changes nothing', async () => {
    const { cookie } = await admin({ verifiedAgoSeconds: 11 * 60 });
    const before = await snapshot();
    const put = await putNetworks(cookie, { cidrs: [OUTSIDE_RANGE] });
    expect(put.status).toBe(403);
    expect((await json(put)).error).toBe('step_up_required');
    const del = await deleteNetworks(cookie);
    expect(del.status).toBe(403);
    expect((await json(del)).error).toBe('step_up_required');
    expect(await snapshot()).toEqual(before);
    // Reading needs no step-up.
    expect((await getNetworks(cookie)).status).toBe(200);
  });

  it('refuses a write from another site', async () => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await putNetworks(
      cookie,
      { cidrs: [OUTSIDE_RANGE] },
      { Origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('forbidden_origin');
    expect(await snapshot()).toEqual(before);
  });
});

describe('DELETE /api/admin/networks', () => {
  it('goes back to the wrangler var, and the added range can register again', async () => {
    const { person, cookie } = await admin();
    const mailbox = await seedMailbox();
    expect((await putNetworks(cookie, { cidrs: [...DEFAULTS, OUTSIDE_RANGE] })).status).toBe(200);
    expect((await registerFrom(mailbox, OUTSIDE_IP)).status).toBe(403);

    const res = await deleteNetworks(cookie);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ cidrs: DEFAULTS, source: 'default', defaults: DEFAULTS });
    expect(await internal(OUTSIDE_IP)).toBe(false);
    expect((await registerFrom(mailbox, OUTSIDE_IP)).status).toBe(202);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM settings').first('n')).toBe(0);

    const updates = (await auditRows()).filter((r) => r.action === 'networks.update');
    expect(updates).toHaveLength(2);
    expect(updates[1]).toMatchObject({ actor: `person:${person.id}`, outcome: 'success' });
    expect(JSON.parse(updates[1]?.detail ?? '{}')).toMatchObject({ source: 'default' });
  });

  it('is harmless when the default is already in force', async () => {
    const { cookie } = await admin();
    const res = await deleteNetworks(cookie);
    expect(res.status).toBe(200);
    expect((await json(res)).source).toBe('default');
  });
});

describe('a stored list that does not parse', () => {
  it('fails closed: everyone is internal, so no mailbox can register from anywhere', async () => {
    const { cookie } = await admin();
    const mailbox = await seedMailbox();
    await env.DB.prepare(
      "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('internal_networks', ?, 0, 'test')",
    )
      .bind('10.0.0.0/8,10.0.0.0/33')
      .run();
    expect(await internal(OUTSIDE_IP)).toBe(true);
    expect(await internal('2001:db8:bbbb::1')).toBe(true);
    const res = await registerFrom(mailbox, OUTSIDE_IP);
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('internal_network');

    // The administrator still sees what is stored, and can fix it.
    const shown = await json<{ cidrs: string[]; source: string }>(await getNetworks(cookie));
    expect(shown).toMatchObject({ cidrs: ['10.0.0.0/8', '10.0.0.0/33'], source: 'settings' });
    expect((await deleteNetworks(cookie)).status).toBe(200);
    expect(await internal(OUTSIDE_IP)).toBe(false);
  });
});
