import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { StaffList, StaffMember } from '../../worker/routes/handovers.schemas';
import { seedHandover, seedStaff } from '../handover-helpers';
import { auditRows, call, json, seedMailbox, snapshot } from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * A unit's staff list: kept by the unit's managers and delegates, numbers parsed
 * and masked like mailbox numbers, never shown or logged in full. Removing someone, or
 * changing their number, takes back every link of theirs that nobody has opened.
 */

async function world() {
  const unitA = await seedUnit('Hemtjänst Åby');
  const unitB = await seedUnit('Hemtjänst Berga');
  const manager = await seedPerson({ roles: { [unitA.id]: 'manager' } });
  const delegate = await seedPerson({ roles: { [unitA.id]: 'delegate' } });
  const managerB = await seedPerson({ roles: { [unitB.id]: 'manager' } });
  const admin = await seedPerson({ isAdmin: true });
  const mailbox = await seedMailbox({ unitId: unitA.id, phone: '+46701234567' });
  return { unitA, unitB, manager, delegate, managerB, admin, mailbox };
}

const staffPath = (unitId: string, staffId?: string) =>
  `/api/manager/units/${encodeURIComponent(unitId)}/staff${staffId ? `/${encodeURIComponent(staffId)}` : ''}`;

async function staffRows() {
  return (await env.DB.prepare('SELECT * FROM staff ORDER BY rowid').all()).results;
}

async function linkRow(linkId: string) {
  return env.DB.prepare('SELECT viewed_at, revoked_at FROM handover_links WHERE id = ?')
    .bind(linkId)
    .first<{ viewed_at: number | null; revoked_at: number | null }>();
}

describe('keeping the staff list', () => {
  it('adds a member with the number parsed to E.164 and shown masked', async () => {
    const { unitA, manager } = await world();
    const res = await call(staffPath(unitA.id), {
      cookie: await personCookie(manager.id),
      body: { name: '  Sara Ek ', phone: '070-123 45 01' },
    });
    expect(res.status).toBe(201);
    const member = v.parse(StaffMember, await res.json());
    expect(member).toMatchObject({ name: 'Sara Ek', phoneMasked: '070-••• 45 01' });
    expect(JSON.stringify(member)).not.toContain('701234501');
    const [row] = await staffRows();
    expect(row).toMatchObject({ unit_id: unitA.id, name: 'Sara Ek', phone: '+46701234501' });
  });

  it('lets a delegate keep the list too, and lists it by name', async () => {
    const { unitA, delegate } = await world();
    const cookie = await personCookie(delegate.id);
    for (const [name, phone] of [
      ['Örjan Berg', '0701234502'],
      ['Anna Al', '+46 70 123 45 03'],
    ]) {
      expect((await call(staffPath(unitA.id), { cookie, body: { name, phone } })).status).toBe(201);
    }
    const res = await call(staffPath(unitA.id), { cookie });
    expect(res.status).toBe(200);
    const list = v.parse(StaffList, await res.json());
    expect(list.map((s) => s.name)).toEqual(['Anna Al', 'Örjan Berg']);
  });

  it("accepts a number that is also a mailbox's registered number", async () => {
    const { unitA, manager, mailbox } = await world();
    const res = await call(staffPath(unitA.id), {
      cookie: await personCookie(manager.id),
      body: { name: 'Brevladans telefon', phone: mailbox.phone },
    });
    expect(res.status).toBe(201);
  });

  it('refuses the same number twice in a unit, but not in another unit', async () => {
    const { unitA, unitB, manager, managerB } = await world();
    await seedStaff(unitA.id, { phone: '+46701234510' });
    const twice = await call(staffPath(unitA.id), {
      cookie: await personCookie(manager.id),
      body: { name: 'Dubbel', phone: '070-123 45 10' },
    });
    expect(twice.status).toBe(409);
    const elsewhere = await call(staffPath(unitB.id), {
      cookie: await personCookie(managerB.id),
      body: { name: 'Annan enhet', phone: '070-123 45 10' },
    });
    expect(elsewhere.status).toBe(201);
  });

  it('renames a member and changes their number', async () => {
    const { unitA, manager } = await world();
    const member = await seedStaff(unitA.id, { name: 'Gammalt Namn', phone: '+46701234520' });
    const res = await call(staffPath(unitA.id, member.id), {
      method: 'PATCH',
      cookie: await personCookie(manager.id),
      body: { name: 'Nytt Namn', phone: '0701234521' },
    });
    expect(res.status).toBe(200);
    expect(v.parse(StaffMember, await res.json())).toMatchObject({
      name: 'Nytt Namn',
      phoneMasked: '070-••• 45 21',
    });
    expect((await staffRows())[0]).toMatchObject({ name: 'Nytt Namn', phone: '+46701234521' });
  });

  it('removes a member: no longer listed, row kept for the history', async () => {
    const { unitA, manager } = await world();
    const member = await seedStaff(unitA.id);
    const cookie = await personCookie(manager.id);
    const res = await call(staffPath(unitA.id, member.id), { method: 'DELETE', cookie });
    expect(res.status).toBe(204);
    expect(await json(await call(staffPath(unitA.id), { cookie }))).toEqual([]);
    expect((await staffRows())[0]).toMatchObject({ id: member.id });
    const again = await call(staffPath(unitA.id, member.id), { method: 'DELETE', cookie });
    expect(again.status).toBe(404);
  });

  it('lets the number of a removed member be added again', async () => {
    const { unitA, manager } = await world();
    const member = await seedStaff(unitA.id, { phone: '+46701234530' });
    const cookie = await personCookie(manager.id);
    await call(staffPath(unitA.id, member.id), { method: 'DELETE', cookie });
    const res = await call(staffPath(unitA.id), {
      cookie,
      body: { name: 'Tillbaka', phone: '0701234530' },
    });
    expect(res.status).toBe(201);
  });
});

describe('revoking links with the member', () => {
  it("takes back a removed member's unopened link, and keeps a viewed one as viewed", async () => {
    const { unitA, manager, mailbox } = await world();
    const gone = await seedStaff(unitA.id);
    const saw = await seedStaff(unitA.id);
    const unopened = await seedHandover(mailbox.id, manager.id, gone.id);
    const viewed = await seedHandover(mailbox.id, manager.id, saw.id);
    expect((await call('/api/handovers/reveal', { body: { token: viewed.token } })).status).toBe(
      200,
    );
    const cookie = await personCookie(manager.id);
    for (const member of [gone, saw]) {
      const res = await call(staffPath(unitA.id, member.id), { method: 'DELETE', cookie });
      expect(res.status).toBe(204);
    }
    const res = await call('/api/handovers/reveal', { body: { token: unopened.token } });
    expect(res.status).toBe(410);
    expect(await json(res)).toMatchObject({ error: 'handover_spent', state: 'revoked' });
    expect((await linkRow(unopened.linkId))?.revoked_at).not.toBeNull();
    expect((await linkRow(viewed.linkId))?.revoked_at).toBeNull();
    // Nobody can view it any more: the sealed password is gone with the link.
    const sealed = await env.DB.prepare('SELECT sealed FROM handovers WHERE id = ?')
      .bind(unopened.handoverId)
      .first<{ sealed: string | null }>();
    expect(sealed?.sealed).toBeNull();
  });

  it("takes back a member's unopened link when their number changes, not when only the name does", async () => {
    const { unitA, manager, mailbox } = await world();
    const member = await seedStaff(unitA.id, { phone: '+46701234540' });
    const link = await seedHandover(mailbox.id, manager.id, member.id);
    const cookie = await personCookie(manager.id);
    const rename = await call(staffPath(unitA.id, member.id), {
      method: 'PATCH',
      cookie,
      body: { name: 'Bara Namnet' },
    });
    expect(rename.status).toBe(200);
    expect((await linkRow(link.linkId))?.revoked_at).toBeNull();
    const renumber = await call(staffPath(unitA.id, member.id), {
      method: 'PATCH',
      cookie,
      body: { phone: '0701234541' },
    });
    expect(renumber.status).toBe(200);
    expect((await linkRow(link.linkId))?.revoked_at).not.toBeNull();
  });
});

describe('who may keep the list', () => {
  it('answers 404 to a manager of another unit, on every staff route, and changes nothing', async () => {
    const { unitA, managerB } = await world();
    const member = await seedStaff(unitA.id);
    const cookie = await personCookie(managerB.id);
    const before = await snapshot();
    const answers = await Promise.all([
      call(staffPath(unitA.id), { cookie }),
      call(staffPath(unitA.id), { cookie, body: { name: 'X', phone: '0701234550' } }),
      call(staffPath(unitA.id, member.id), { method: 'PATCH', cookie, body: { name: 'X' } }),
      call(staffPath(unitA.id, member.id), { method: 'DELETE', cookie }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(member.name);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 for a member of another unit reached through one's own unit", async () => {
    const { unitA, unitB, manager } = await world();
    const theirs = await seedStaff(unitB.id);
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const patch = await call(staffPath(unitA.id, theirs.id), {
      method: 'PATCH',
      cookie,
      body: { name: 'Kapad' },
    });
    const del = await call(staffPath(unitA.id, theirs.id), { method: 'DELETE', cookie });
    expect(patch.status).toBe(404);
    expect(del.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('lets an administrator keep any unit’s list', async () => {
    const { unitA, admin } = await world();
    const res = await call(staffPath(unitA.id), {
      cookie: await personCookie(admin.id),
      body: { name: 'Från Admin', phone: '0701234560' },
    });
    expect(res.status).toBe(201);
  });

  it('asks for a fresh sign-in to add or renumber someone, not to remove them', async () => {
    const { unitA, manager } = await world();
    const member = await seedStaff(unitA.id);
    const cookie = await personCookie(manager.id, { verifiedAgoSeconds: 11 * 60 });
    const before = await snapshot();
    const add = await call(staffPath(unitA.id), {
      cookie,
      body: { name: 'Ny', phone: '0701234570' },
    });
    const patch = await call(staffPath(unitA.id, member.id), {
      method: 'PATCH',
      cookie,
      body: { phone: '0701234571' },
    });
    for (const res of [add, patch]) {
      expect(res.status).toBe(403);
      expect((await json(res)).error).toBe('step_up_required');
    }
    expect(await snapshot()).toEqual(before);
    const del = await call(staffPath(unitA.id, member.id), { method: 'DELETE', cookie });
    expect(del.status).toBe(204);
  });

  it('refuses a write from another origin', async () => {
    const { unitA, manager } = await world();
    const res = await call(staffPath(unitA.id), {
      cookie: await personCookie(manager.id),
      body: { name: 'Ny', phone: '0701234580' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await staffRows()).toEqual([]);
  });
});

describe('bad input', () => {
  const BAD_ADDS: [string, { body?: unknown; raw?: string }, string][] = [
    ['not JSON', { raw: '{"name":' }, 'invalid_request'],
    ['an array', { body: [] }, 'invalid_request'],
    ['no name', { body: { phone: '0701234590' } }, 'invalid_request'],
    ['no phone', { body: { name: 'Sara' } }, 'invalid_request'],
    ['an empty name', { body: { name: '   ', phone: '0701234590' } }, 'invalid_request'],
    ['a long name', { body: { name: 'x'.repeat(101), phone: '0701234590' } }, 'invalid_request'],
    [
      'a line break in the name',
      { body: { name: 'Sara\nEk', phone: '0701234590' } },
      'invalid_request',
    ],
    ['a number as the phone', { body: { name: 'Sara', phone: 701234590 } }, 'invalid_request'],
    ['a long phone', { body: { name: 'Sara', phone: '0'.repeat(65) } }, 'invalid_request'],
    [
      'an unknown field',
      { body: { name: 'Sara', phone: '0701234590', admin: true } },
      'invalid_request',
    ],
    ['letters as the phone', { body: { name: 'Sara', phone: 'ring mig' } }, 'invalid_phone'],
    ['a landline', { body: { name: 'Sara', phone: '08-123 456 78' } }, 'invalid_phone'],
    ['an M2M number', { body: { name: 'Sara', phone: '071-123 45 67' } }, 'invalid_phone'],
  ];

  it.each(BAD_ADDS)('refuses to add with %s, writing nothing', async (_label, input, error) => {
    const { unitA, manager } = await world();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await call(staffPath(unitA.id), {
      cookie,
      ...(input.raw === undefined ? { body: input.body } : { raw: input.raw }),
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error).toBe(error);
    expect(JSON.stringify(body)).not.toContain('0701234590');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['an empty object', {}],
    ['a bad number', { phone: '08-123 456 78' }],
    ['a null name', { name: null }],
    ['an unknown field', { name: 'A', role: 'manager' }],
  ])('refuses to change a member with %s, writing nothing', async (_label, body) => {
    const { unitA, manager } = await world();
    const member = await seedStaff(unitA.id);
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await call(staffPath(unitA.id, member.id), { method: 'PATCH', cookie, body });
    expect(res.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 404 for an unknown member id', async () => {
    const { unitA, manager } = await world();
    const res = await call(staffPath(unitA.id, 'okand'), {
      method: 'PATCH',
      cookie: await personCookie(manager.id),
      body: { name: 'X' },
    });
    expect(res.status).toBe(404);
  });
});

describe('the audit trail', () => {
  it('records adds, changes and removals with the number masked, never in full', async () => {
    const { unitA, manager } = await world();
    const cookie = await personCookie(manager.id);
    const added = await json<{ id: string }>(
      await call(staffPath(unitA.id), { cookie, body: { name: 'Sara', phone: '0701234591' } }),
    );
    await call(staffPath(unitA.id, added.id), {
      method: 'PATCH',
      cookie,
      body: { phone: '0701234592' },
    });
    await call(staffPath(unitA.id, added.id), { method: 'DELETE', cookie });
    const rows = (await auditRows()).filter((r) => r.action.startsWith('staff.'));
    expect(rows.map((r) => r.action)).toEqual(['staff.add', 'staff.update', 'staff.remove']);
    for (const row of rows) {
      expect(row).toMatchObject({ actor: `person:${manager.id}`, target: `staff:${added.id}` });
      expect(JSON.stringify(row)).not.toMatch(/70123459[12]/);
    }
    const trail = await call(`/api/manager/units/${unitA.id}/audit`, { cookie });
    const { items } = await json<{ items: { action: string; targetLabel: string }[] }>(trail);
    expect(items.find((i) => i.action === 'staff.add')?.targetLabel).toBe('Sara');
  });
});
