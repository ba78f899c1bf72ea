import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { registeredKeys } from '../directory-helpers';
import { seedStaff } from '../handover-helpers';
import { call, json, seedMailbox, snapshot } from '../helpers';
import {
  dayFromToday,
  identityBody,
  integrationCall,
  seedServiceToken,
  validPnr,
} from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * Every name a person or another system types is shown in lists, e-mails and SMS, logged and
 * exported. A control character, a format character (zero-width, bidi marks, embeddings,
 * overrides, isolates) or a line or paragraph separator in one is refused with 400
 * invalid_request naming the field, and nothing is written.
 */

const BAD_NAMES: [string, string][] = [
  ['a line separator (U+2028)', 'Anna\u2028Berg'],
  ['a paragraph separator (U+2029)', 'Anna\u2029Berg'],
  ['a right-to-left override (U+202E)', 'Anna \u202Egreb'],
  ['a left-to-right embedding (U+202A)', 'Anna \u202ABerg\u202C'],
  ['a right-to-left mark (U+200F)', 'Anna\u200FBerg'],
  ['a left-to-right mark (U+200E)', 'Anna\u200EBerg'],
  ['a first-strong isolate (U+2068)', 'Anna \u2068Berg\u2069'],
  ['a zero-width space (U+200B)', 'Anna\u200BBerg'],
  ['a line feed', 'Anna\nBerg'],
  ['a tab', 'Anna\tBerg'],
  ['a bell (C0 control)', 'Anna\u0007Berg'],
  ['a C1 control (U+0085)', 'Anna\u0085Berg'],
];

interface Input {
  name: string;
  /** Sends the body with `value` as the name; answers the response. */
  send: (value: string) => Promise<Response>;
  /** The field the issue must name. */
  field: string;
}

async function world() {
  const unit = await seedUnit('Hemtjänst Åby');
  const admin = await seedPerson({ isAdmin: true });
  const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
  const person = await seedPerson({ name: 'Petra Person' });
  const mailbox = await seedMailbox({ username: 'hemtjanstab', unitId: unit.id });
  const staff = await seedStaff(unit.id);
  const { token } = await seedServiceToken();
  return {
    unit,
    person,
    mailbox,
    staff,
    token,
    adminCookie: await personCookie(admin.id),
    managerCookie: await personCookie(manager.id),
  };
}

type World = Awaited<ReturnType<typeof world>>;

const INPUTS: ((w: World) => Input)[] = [
  (w) => ({
    name: 'POST /api/admin/people (name)',
    field: 'name',
    send: (value) =>
      call('/api/admin/people', {
        cookie: w.adminCookie,
        body: { name: value, email: 'ny.person@example.se' },
      }),
  }),
  (w) => ({
    name: 'PATCH /api/admin/people/{id} (name)',
    field: 'name',
    send: (value) =>
      call(`/api/admin/people/${w.person.id}`, {
        method: 'PATCH',
        cookie: w.adminCookie,
        body: { name: value },
      }),
  }),
  (w) => ({
    name: 'POST /api/manager/units/{id}/delegates (name)',
    field: 'name',
    send: (value) =>
      call(`/api/manager/units/${w.unit.id}/delegates`, {
        cookie: w.managerCookie,
        body: { name: value, email: 'ombud@example.se' },
      }),
  }),
  (w) => ({
    name: 'POST /api/manager/units/{id}/staff (name)',
    field: 'name',
    send: (value) =>
      call(`/api/manager/units/${w.unit.id}/staff`, {
        cookie: w.managerCookie,
        body: { name: value, phone: '070-987 65 43' },
      }),
  }),
  (w) => ({
    name: 'PATCH /api/manager/units/{id}/staff/{staffId} (name)',
    field: 'name',
    send: (value) =>
      call(`/api/manager/units/${w.unit.id}/staff/${w.staff.id}`, {
        method: 'PATCH',
        cookie: w.managerCookie,
        body: { name: value },
      }),
  }),
  (w) => ({
    name: 'POST /api/admin/units (name)',
    field: 'name',
    send: (value) => call('/api/admin/units', { cookie: w.adminCookie, body: { name: value } }),
  }),
  (w) => ({
    name: 'PATCH /api/admin/units/{id} (name)',
    field: 'name',
    send: (value) =>
      call(`/api/admin/units/${w.unit.id}`, {
        method: 'PATCH',
        cookie: w.adminCookie,
        body: { name: value },
      }),
  }),
  (w) => ({
    name: 'POST /api/admin/mailboxes (displayName)',
    field: 'displayName',
    send: (value) =>
      call('/api/admin/mailboxes', {
        cookie: w.adminCookie,
        body: { username: 'nybrevlada', displayName: value, unitId: w.unit.id },
      }),
  }),
  (w) => ({
    name: 'PATCH /api/admin/mailboxes/{id} (displayName)',
    field: 'displayName',
    send: (value) =>
      call(`/api/admin/mailboxes/${w.mailbox.id}`, {
        method: 'PATCH',
        cookie: w.adminCookie,
        body: { displayName: value },
      }),
  }),
  (w) => ({
    name: 'POST /api/admin/service-tokens (name)',
    field: 'name',
    send: (value) =>
      call('/api/admin/service-tokens', {
        cookie: w.adminCookie,
        body: { name: value, scopes: ['identities:write'] },
      }),
  }),
  (w) => ({
    name: 'POST /api/admin/directory/connectors (name)',
    field: 'name',
    send: async (value) => {
      const keys = await registeredKeys();
      return call('/api/admin/directory/connectors', {
        cookie: w.adminCookie,
        body: {
          name: value,
          keys: { signingKey: keys.signingKey, encryptionKey: keys.encryptionJwk },
        },
      });
    },
  }),
  (w) => ({
    name: 'PUT /api/integration/identities/{userId} (givenName)',
    field: 'givenName',
    send: (value) =>
      integrationCall('/api/integration/identities/annand01', w.token, {
        method: 'PUT',
        body: identityBody(w.unit.id, { givenName: value }),
      }),
  }),
  (w) => ({
    name: 'PUT /api/integration/identities/{userId} (familyName)',
    field: 'familyName',
    send: (value) =>
      integrationCall('/api/integration/identities/annand01', w.token, {
        method: 'PUT',
        body: identityBody(w.unit.id, { familyName: value }),
      }),
  }),
];

/** Every row of every table, but a service token's last use: a refused call still used it. */
async function written() {
  const rows = await snapshot();
  rows.service_tokens = (rows.service_tokens ?? []).map((row) => ({
    ...(row as Record<string, unknown>),
    last_used_at: null,
  }));
  return rows;
}

async function connectors() {
  return env.DB.prepare('SELECT COUNT(*) AS n FROM connectors').first<number>('n');
}

describe('names refuse control, format and bidi characters', () => {
  // The name and field do not depend on the world; only `send` uses it.
  const named = INPUTS.map((make) => [make({} as World).name, make] as const);
  it.each(named)('refuses them in %s', async (_name, make) => {
    const w = await world();
    const input = make(w);
    const before = await written();
    const connectorsBefore = await connectors();
    for (const [what, value] of BAD_NAMES) {
      const res = await input.send(value);
      expect(res.status, `${input.name} with ${what}`).toBe(400);
      const body = await json<{ error: string; issues: { path: string; message: string }[] }>(res);
      expect(body.error).toBe('invalid_request');
      expect(
        body.issues.map((i) => i.path),
        `${input.name} with ${what}`,
      ).toContain(input.field);
      expect(JSON.stringify(body)).not.toContain(value);
    }
    expect(await written()).toEqual(before);
    expect(await connectors()).toBe(connectorsBefore);
    // The same input with an ordinary name (accents, hyphen, apostrophe) goes through.
    const ok = await input.send('Åsa-Lena O’Brien Öberg');
    expect(ok.status, `${input.name}: ${await ok.clone().text()}`).toBeLessThan(300);
  });

  it('refuses a bad name in one identity of a batch with 400 for that identity only', async () => {
    const w = await world();
    const res = await integrationCall('/api/integration/identities', w.token, {
      body: {
        identities: [
          { userId: 'annand01', ...identityBody(w.unit.id, { givenName: 'Anna\u202Egreb' }) },
          {
            userId: 'bertil02',
            ...identityBody(w.unit.id, {
              personalNumber: validPnr(1),
              hsaId: null,
              givenName: 'Bertil',
            }),
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = await json<{ results: { userId: string; status: number; issues?: unknown }[] }>(
      res,
    );
    expect(body.results.map((r) => [r.userId, r.status])).toEqual([
      ['annand01', 400],
      ['bertil02', 201],
    ]);
    expect(JSON.stringify(body.results[0]?.issues)).toContain('givenName');
    const stored = await env.DB.prepare('SELECT user_id FROM identities ORDER BY user_id').all();
    expect(stored.results).toEqual([{ user_id: 'bertil02' }]);
  });

  it('marks a CSV row whose name holds a bidi override as an error and imports nothing of it', async () => {
    const w = await world();
    const csv = [
      'anvandarid;personnummer;hsaid;fornamn;efternamn;enhet;startdatum;status',
      `annand01;19850612-1238;;Anna;And\u202Eersson;Hemtjänst Åby;${dayFromToday(9)};ny`,
    ].join('\r\n');
    const before = await snapshot();
    const res = await call('/api/admin/identities/import', {
      cookie: w.adminCookie,
      body: { csv },
    });
    expect(res.status).toBe(200);
    const body = await json<{
      rows: { status: string; issues: { path: string; code: string }[] }[];
    }>(res);
    expect(body.rows[0]?.status).toBe('error');
    expect(body.rows[0]?.issues).toEqual([
      expect.objectContaining({ path: 'familyName', code: 'name_characters' }),
    ]);
    expect(await snapshot()).toEqual(before);
  });
});
