import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AdminPerson, AdminPersonList, InviteSent } from '../../worker/routes/admin.schemas';
import { backgroundSettled } from '../../worker/services/deps';
import { auditRows, call, json, outbox, snapshot } from '../helpers';
import { personCookie, seedInvite, seedPerson, seedUnit } from '../people-helpers';

async function admin(options: { verifiedAgoSeconds?: number } = {}) {
  const person = await seedPerson({ isAdmin: true, name: 'Ada Admin', email: 'ada@example.se' });
  return { person, cookie: await personCookie(person.id, options) };
}

function send(path: string, method: string, cookie: string | null, body?: unknown) {
  return call(path, { method, cookie, body });
}

async function errorOf(res: Response) {
  const body = await json<{ error: string; message: string; reason?: string }>(res);
  expect(body.message.length).toBeGreaterThan(0);
  return body;
}

function personRow(id: string) {
  return env.DB.prepare(
    'SELECT name, email, phone, hsa_id, is_admin, disabled_at FROM people WHERE id = ?',
  )
    .bind(id)
    .first<{
      name: string;
      email: string;
      phone: string | null;
      hsa_id: string | null;
      is_admin: number;
      disabled_at: number | null;
    }>();
}

async function liveSessions(personId: string) {
  return env.DB.prepare(
    "SELECT COUNT(*) AS n FROM sessions WHERE kind = 'person' AND subject_id = ? AND revoked_at IS NULL",
  )
    .bind(personId)
    .first<number>('n');
}

async function openInvites(personId: string) {
  return env.DB.prepare(
    'SELECT COUNT(*) AS n FROM invites WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL',
  )
    .bind(personId)
    .first<number>('n');
}

async function enrolPasskey(personId: string) {
  await env.DB.prepare(
    "INSERT INTO passkeys (id, person_id, public_key, created_at) VALUES (?, ?, 'pk', 0)",
  )
    .bind(`cred-${personId}`, personId)
    .run();
}

describe('GET /api/admin/people', () => {
  it('lists everyone by name with roles, sign-in state and open invites', async () => {
    const { person, cookie } = await admin();
    const aby = await seedUnit('Hemtjänst Åby');
    const berga = await seedUnit('Berga boende');
    const maja = await seedPerson({
      name: 'Maja Chef',
      email: 'maja@example.se',
      phone: '+46701234567',
      hsaId: 'SE2321000016-1234',
      roles: { [aby.id]: 'manager', [berga.id]: 'delegate' },
    });
    await enrolPasskey(maja.id);
    const bo = await seedPerson({ name: 'Bo Ombud', email: 'bo@example.se', disabled: true });
    await seedInvite(bo.id);
    const expired = await seedPerson({ name: 'Cilla Sen', email: 'cilla@example.se' });
    await seedInvite(expired.id, { expiresInSeconds: -10 });

    const res = await call('/api/admin/people', { cookie });
    expect(res.status).toBe(200);
    const people = v.parse(AdminPersonList, await res.json());
    expect(people.map((p) => p.name)).toEqual(['Ada Admin', 'Bo Ombud', 'Cilla Sen', 'Maja Chef']);
    expect(people[0]).toMatchObject({ id: person.id, isAdmin: true, roles: [] });
    expect(people[1]).toMatchObject({ disabled: true, enrolled: false, invitePending: true });
    expect(people[2]).toMatchObject({ enrolled: false, invitePending: false });
    expect(people[3]).toEqual({
      id: maja.id,
      name: 'Maja Chef',
      email: 'maja@example.se',
      phone: '+46701234567',
      hsaId: 'SE2321000016-1234',
      isAdmin: false,
      disabled: false,
      enrolled: true,
      invitePending: false,
      roles: [
        { unitId: berga.id, unitName: 'Berga boende', role: 'delegate' },
        { unitId: aby.id, unitName: 'Hemtjänst Åby', role: 'manager' },
      ],
    });
  });
});

describe('POST /api/admin/people', () => {
  it('adds a person with the e-mail in lower case, the number in E.164 and the HSA-id in upper case', async () => {
    const { person, cookie } = await admin();
    const res = await send('/api/admin/people', 'POST', cookie, {
      name: ' Anna Berg ',
      email: ' Anna.Berg@Example.SE ',
      phone: '070-987 65 43',
      hsaId: 'se2321000016-abc1',
    });
    expect(res.status).toBe(201);
    const created = v.parse(AdminPerson, await res.json());
    expect(created).toEqual({
      id: created.id,
      name: 'Anna Berg',
      email: 'anna.berg@example.se',
      phone: '+46709876543',
      hsaId: 'SE2321000016-ABC1',
      isAdmin: false,
      disabled: false,
      enrolled: false,
      invitePending: false,
      roles: [],
    });
    const [entry] = (await auditRows()).filter((r) => r.action === 'person.create');
    expect(entry).toMatchObject({
      actor: `person:${person.id}`,
      target: `person:${created.id}`,
      outcome: 'success',
    });
    // Inviting is its own action.
    expect(await openInvites(created.id)).toBe(0);
  });

  it('adds an administrator', async () => {
    const { cookie } = await admin();
    const res = await send('/api/admin/people', 'POST', cookie, {
      name: 'Ny Admin',
      email: 'ny@example.se',
      isAdmin: true,
    });
    expect(res.status).toBe(201);
    expect((await json(res)).isAdmin).toBe(true);
  });

  it('refuses an e-mail address in use, in any letter case (409), writing nothing', async () => {
    const { cookie } = await admin();
    const maja = await seedPerson({ email: 'maja@example.se', name: 'Maja Berg' });
    const before = await snapshot();
    const res = await send('/api/admin/people', 'POST', cookie, {
      name: 'Maja Igen',
      email: 'MAJA@example.se',
    });
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toMatchObject({
      error: 'conflict',
      existing: { kind: 'person', id: maja.id, name: 'Maja Berg' },
      issues: [{ path: 'email', code: 'taken' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('accepts an HSA-id written with the 12-digit organisation number, as identities do', async () => {
    const { cookie } = await admin();
    const res = await send('/api/admin/people', 'POST', cookie, {
      name: 'Bo Ek',
      email: 'bo.ek@example.se',
      hsaId: ' se162321000016-b7 ',
    });
    expect(res.status).toBe(201);
    expect(v.parse(AdminPerson, await res.json()).hsaId).toBe('SE162321000016-B7');
  });

  it('refuses an HSA-id in use (409), writing nothing', async () => {
    const { cookie } = await admin();
    await seedPerson({ hsaId: 'SE2321000016-1234' });
    const before = await snapshot();
    const res = await send('/api/admin/people', 'POST', cookie, {
      name: 'Kort Kopia',
      email: 'kopia@example.se',
      hsaId: 'se2321000016-1234',
    });
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toMatchObject({
      existing: { kind: 'person' },
      issues: [{ path: 'hsaId', code: 'taken' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['letters', 'inte ett nummer', 'format'],
    ['a landline', '08-123 456 78', 'not_mobile'],
  ])(
    'refuses %s as phone number (400 invalid_phone), writing nothing',
    async (_l, phone, reason) => {
      const { cookie } = await admin();
      const before = await snapshot();
      const res = await send('/api/admin/people', 'POST', cookie, {
        name: 'Anna Berg',
        email: 'anna@example.se',
        phone,
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ error: 'invalid_phone', reason });
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each([
    ['no e-mail', { email: undefined }],
    ['a malformed e-mail', { email: 'anna.example.se' }],
    ['an e-mail over 254 characters', { email: `${'a'.repeat(250)}@example.se` }],
    ['an empty name', { name: '  ' }],
    ['a name with a line break', { name: 'Anna\r\nBcc: x@example.se' }],
    ['an HSA-id without the hyphen', { hsaId: 'SE23210000161234' }],
    ['an HSA-id with 9 digits', { hsaId: 'SE232100001-1234' }],
    ['an HSA-id without a suffix', { hsaId: 'SE2321000016-' }],
    ['an HSA-id with a suffix over 31 characters', { hsaId: `SE2321000016-${'A'.repeat(32)}` }],
    ['an HSA-id with Å', { hsaId: 'SE2321000016-ÅB' }],
    ['an HSA-id from another country', { hsaId: 'NO2321000016-1234' }],
    ['an HSA-id whose organisation number fails its check digit', { hsaId: 'SE2321000017-1234' }],
    ['isAdmin as a string', { isAdmin: 'yes' }],
    ['an unknown field', { role: 'manager' }],
  ])('refuses %s with 400 and writes nothing', async (_label, change) => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await send('/api/admin/people', 'POST', cookie, {
      name: 'Anna Berg',
      email: 'anna@example.se',
      ...change,
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });
});

describe('PATCH /api/admin/people/{id}', () => {
  function patch(cookie: string, id: string, body: unknown) {
    return send(`/api/admin/people/${id}`, 'PATCH', cookie, body);
  }

  it('changes name, number and HSA-id, and clears them with null', async () => {
    const { cookie } = await admin();
    const anna = await seedPerson({ name: 'Anna', email: 'anna@example.se' });
    const res = await patch(cookie, anna.id, {
      name: 'Anna Berg',
      phone: '0709876543',
      hsaId: 'SE2321000016-9',
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      name: 'Anna Berg',
      phone: '+46709876543',
      hsaId: 'SE2321000016-9',
    });
    const [entry] = (await auditRows()).filter((r) => r.action === 'person.update');
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      fields: 'name,phone,hsaId',
      phone: expect.not.stringContaining('9876543'),
    });

    const cleared = await patch(cookie, anna.id, { phone: null, hsaId: null });
    expect(cleared.status).toBe(200);
    expect(await personRow(anna.id)).toMatchObject({ phone: null, hsa_id: null });
  });

  it('makes a person an administrator, who can then use the administrator routes', async () => {
    const { cookie } = await admin();
    const anna = await seedPerson({ email: 'anna@example.se' });
    const annaCookie = await personCookie(anna.id);
    expect((await call('/api/admin/units', { cookie: annaCookie })).status).toBe(403);
    const res = await patch(cookie, anna.id, { isAdmin: true });
    expect(res.status).toBe(200);
    expect((await call('/api/admin/units', { cookie: annaCookie })).status).toBe(200);
    expect((await auditRows()).map((r) => r.action)).toContain('person.admin.grant');

    expect((await patch(cookie, anna.id, { isAdmin: false })).status).toBe(200);
    expect((await call('/api/admin/units', { cookie: annaCookie })).status).toBe(403);
    expect((await auditRows()).map((r) => r.action)).toContain('person.admin.revoke');
  });

  it('does not let administrators remove their own flag or disable themselves (409)', async () => {
    const { person, cookie } = await admin();
    const before = await snapshot();
    for (const body of [{ isAdmin: false }, { disabled: true }, { name: 'Ny', disabled: true }]) {
      const res = await patch(cookie, person.id, body);
      expect(res.status).toBe(409);
      expect(await errorOf(res)).toMatchObject({ error: 'conflict', reason: 'self' });
    }
    expect(await snapshot()).toEqual(before);
    // Other changes to themselves are fine.
    expect((await patch(cookie, person.id, { name: 'Ada A. Admin' })).status).toBe(200);
  });

  it('disables a person: sessions and open invites end at once; enabling lets them back', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    const anna = await seedPerson({
      email: 'anna@example.se',
      isAdmin: true,
      roles: { [unit.id]: 'manager' },
    });
    const annaCookie = await personCookie(anna.id);
    await seedInvite(anna.id);
    expect((await call('/api/admin/units', { cookie: annaCookie })).status).toBe(200);

    const res = await patch(cookie, anna.id, { disabled: true });
    expect(res.status).toBe(200);
    expect((await json(res)).disabled).toBe(true);
    expect(await liveSessions(anna.id)).toBe(0);
    expect(await openInvites(anna.id)).toBe(0);
    expect((await call('/api/admin/units', { cookie: annaCookie })).status).toBe(401);
    expect((await auditRows()).map((r) => r.action)).toContain('person.disable');

    const enabled = await patch(cookie, anna.id, { disabled: false });
    expect(enabled.status).toBe(200);
    expect(await personRow(anna.id)).toMatchObject({ disabled_at: null });
    expect((await call('/api/admin/units', { cookie: await personCookie(anna.id) })).status).toBe(
      200,
    );
  });

  it('refuses an HSA-id another person has (409) but keeps a person’s own', async () => {
    const { cookie } = await admin();
    await seedPerson({ hsaId: 'SE2321000016-1' });
    const anna = await seedPerson({ hsaId: 'SE2321000016-2' });
    const before = await snapshot();
    expect((await patch(cookie, anna.id, { hsaId: 'SE2321000016-1' })).status).toBe(409);
    expect(await snapshot()).toEqual(before);
    expect((await patch(cookie, anna.id, { hsaId: 'se2321000016-2', name: 'Anna' })).status).toBe(
      200,
    );
  });

  it.each([
    ['an empty change', {}, 'invalid_request'],
    ['a bad number', { phone: '12' }, 'invalid_phone'],
    ['a bad HSA-id', { hsaId: 'SE1-1' }, 'invalid_request'],
    ['an e-mail (not changeable)', { email: 'ny@example.se' }, 'invalid_request'],
    ['disabled as a number', { disabled: 1 }, 'invalid_request'],
  ])('refuses %s with 400 and writes nothing', async (_label, body, code) => {
    const { cookie } = await admin();
    const anna = await seedPerson();
    const before = await snapshot();
    const res = await patch(cookie, anna.id, body);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 404 for an unknown person', async () => {
    const { cookie } = await admin();
    expect((await patch(cookie, 'nobody', { name: 'X' })).status).toBe(404);
  });
});

describe('roles', () => {
  function putRole(cookie: string, personId: string, unitId: string, body: unknown) {
    return send(`/api/admin/people/${personId}/roles/${unitId}`, 'PUT', cookie, body);
  }

  function deleteRole(cookie: string, personId: string, unitId: string) {
    return send(`/api/admin/people/${personId}/roles/${unitId}`, 'DELETE', cookie);
  }

  async function roleOf(personId: string, unitId: string) {
    return env.DB.prepare('SELECT role FROM roles WHERE person_id = ? AND unit_id = ?')
      .bind(personId, unitId)
      .first<string>('role');
  }

  it('makes a person manager, then delegate (upsert), each audited in the unit', async () => {
    const { person, cookie } = await admin();
    const unit = await seedUnit();
    const anna = await seedPerson();
    expect((await putRole(cookie, anna.id, unit.id, { role: 'manager' })).status).toBe(204);
    expect(await roleOf(anna.id, unit.id)).toBe('manager');
    expect((await putRole(cookie, anna.id, unit.id, { role: 'delegate' })).status).toBe(204);
    expect(await roleOf(anna.id, unit.id)).toBe('delegate');

    const { results } = await env.DB.prepare(
      "SELECT actor, target, unit_id, detail FROM audit WHERE action = 'role.set' ORDER BY id",
    ).all<{ actor: string; target: string; unit_id: string; detail: string }>();
    expect(results.map((r) => JSON.parse(r.detail))).toEqual([
      { role: 'manager', previous: null },
      { role: 'delegate', previous: 'manager' },
    ]);
    for (const row of results) {
      expect(row).toMatchObject({
        actor: `person:${person.id}`,
        target: `person:${anna.id}`,
        unit_id: unit.id,
      });
    }
  });

  it('writes nothing when the role is already the one asked for', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    const anna = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const before = await snapshot();
    expect((await putRole(cookie, anna.id, unit.id, { role: 'manager' })).status).toBe(204);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 404 for an unknown person or unit and 400 for a bad role, writing nothing', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    const anna = await seedPerson();
    const before = await snapshot();
    expect((await putRole(cookie, 'nobody', unit.id, { role: 'manager' })).status).toBe(404);
    expect((await putRole(cookie, anna.id, 'nowhere', { role: 'manager' })).status).toBe(404);
    for (const body of [{ role: 'admin' }, { role: 'Manager' }, {}, { role: 'manager', x: 1 }]) {
      expect((await putRole(cookie, anna.id, unit.id, body)).status).toBe(400);
    }
    expect((await deleteRole(cookie, anna.id, unit.id)).status).toBe(404);
    expect((await deleteRole(cookie, 'nobody', unit.id)).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('removes a role at once: sessions end, and open invites too when no role is left', async () => {
    const { person, cookie } = await admin();
    const aby = await seedUnit();
    const berga = await seedUnit();
    const anna = await seedPerson({ roles: { [aby.id]: 'manager', [berga.id]: 'delegate' } });
    await personCookie(anna.id);
    await seedInvite(anna.id);

    expect((await deleteRole(cookie, anna.id, aby.id)).status).toBe(204);
    expect(await roleOf(anna.id, aby.id)).toBeNull();
    expect(await liveSessions(anna.id)).toBe(0);
    expect(await openInvites(anna.id)).toBe(1);

    expect((await deleteRole(cookie, anna.id, berga.id)).status).toBe(204);
    expect(await openInvites(anna.id)).toBe(0);

    const { results } = await env.DB.prepare(
      "SELECT actor, unit_id, detail FROM audit WHERE action = 'role.remove' ORDER BY id",
    ).all<{ actor: string; unit_id: string; detail: string }>();
    expect(results).toEqual([
      { actor: `person:${person.id}`, unit_id: aby.id, detail: '{"role":"manager"}' },
      { actor: `person:${person.id}`, unit_id: berga.id, detail: '{"role":"delegate"}' },
    ]);
  });

  it('keeps an administrator signed in who removes their own role', async () => {
    const unit = await seedUnit();
    const ada = await seedPerson({ isAdmin: true, roles: { [unit.id]: 'manager' } });
    const cookie = await personCookie(ada.id);
    expect((await deleteRole(cookie, ada.id, unit.id)).status).toBe(204);
    expect((await call('/api/admin/units', { cookie })).status).toBe(200);
  });
});

describe('POST /api/admin/people/{id}/invite', () => {
  function invite(cookie: string, personId: string, body: unknown = {}) {
    return send(`/api/admin/people/${personId}/invite`, 'POST', cookie, body);
  }

  it('e-mails a new invite, ends the earlier one, and answers with its expiry only', async () => {
    const { person, cookie } = await admin();
    const anna = await seedPerson({ name: 'Anna Berg', email: 'anna@example.se' });
    const oldToken = await seedInvite(anna.id);
    const res = await invite(cookie, anna.id);
    expect(res.status).toBe(202);
    const text = await res.text();
    const body = v.parse(InviteSent, JSON.parse(text));
    expect(Object.keys(body)).toEqual(['expiresAt']);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(71 * 3600 * 1000);
    expect(text).not.toContain('inbjudan');

    expect(await openInvites(anna.id)).toBe(1);
    const old = await env.DB.prepare(
      'SELECT revoked_at FROM invites WHERE person_id = ? ORDER BY created_at, rowid LIMIT 1',
    )
      .bind(anna.id)
      .first<number | null>('revoked_at');
    expect(old).not.toBeNull();

    await backgroundSettled();
    const mails = (await outbox()).filter((m) => m.to === 'anna@example.se');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body).toMatch(/https:\/\/nyckel\.test\/inbjudan#[A-Za-z0-9_-]{40,}/);
    expect(mails[0]?.body).not.toContain(oldToken);

    const [entry] = (await auditRows()).filter((r) => r.action === 'invite.create');
    expect(entry).toMatchObject({ actor: `person:${person.id}`, target: `person:${anna.id}` });
    const token = /inbjudan#([A-Za-z0-9_-]+)/.exec(mails[0]?.body ?? '')?.[1] ?? 'missing';
    expect(JSON.stringify(await auditRows())).not.toContain(token);
  });

  it('answers 404 for an unknown person and 409 for a disabled one, writing nothing', async () => {
    const { cookie } = await admin();
    const gone = await seedPerson({ disabled: true });
    const before = await snapshot();
    expect((await invite(cookie, 'nobody')).status).toBe(404);
    const res = await invite(cookie, gone.id);
    expect(res.status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body with fields, writing nothing', async () => {
    const { cookie } = await admin();
    const anna = await seedPerson();
    const before = await snapshot();
    expect((await invite(cookie, anna.id, { email: 'other@example.se' })).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});
