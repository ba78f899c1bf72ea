import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { inviteDigest } from '../../worker/db/invites';
import { UnitPerson } from '../../worker/routes/manager.schemas';
import { backgroundSettled } from '../../worker/services/deps';
import { auditRows, call, json, outbox, snapshot } from '../helpers';
import { personCookie, seedInvite, seedPerson, seedUnit } from '../people-helpers';

/*
 * Delegates: a manager invites one by e-mail and revokes them, effective at once,
 * sessions included. A delegate cannot manage delegates; nobody manages another unit's.
 * Both changes need a fresh sign-in. The invite link goes only by e-mail, never to the audit.
 */

function now() {
  return Math.floor(Date.now() / 1000);
}

async function world() {
  const unitA = await seedUnit('Hemtjänst Åby');
  const unitB = await seedUnit('Hemtjänst Berga');
  const manager = await seedPerson({
    name: 'Maja Chef',
    email: 'maja.chef@example.se',
    roles: { [unitA.id]: 'manager' },
  });
  const delegate = await seedPerson({
    name: 'Dag Ombud',
    email: 'dag.ombud@example.se',
    roles: { [unitA.id]: 'delegate' },
  });
  const managerB = await seedPerson({ name: 'Berit Chef', roles: { [unitB.id]: 'manager' } });
  const admin = await seedPerson({ name: 'Ada Admin', isAdmin: true });
  return { unitA, unitB, manager, delegate, managerB, admin };
}

function add(unitId: string, cookie: string, body: unknown) {
  return call(`/api/manager/units/${encodeURIComponent(unitId)}/delegates`, { cookie, body });
}

function revoke(unitId: string, personId: string, cookie: string) {
  return call(
    `/api/manager/units/${encodeURIComponent(unitId)}/delegates/${encodeURIComponent(personId)}`,
    { cookie, method: 'DELETE' },
  );
}

async function mailsTo(address: string) {
  await backgroundSettled();
  return (await outbox()).filter((m) => m.to === address);
}

function tokenOf(body: string): string {
  const match = /https:\/\/nyckel\.test\/inbjudan#([A-Za-z0-9_-]+)/.exec(body);
  if (!match?.[1]) throw new Error('no invite link in the mail');
  return match[1];
}

async function rows<T>(sql: string, ...params: unknown[]) {
  return (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;
}

async function enrol(personId: string) {
  await env.DB.prepare(
    'INSERT INTO passkeys (id, person_id, public_key, created_at) VALUES (?, ?, ?, ?)',
  )
    .bind(`cred-${personId}`, personId, 'pk', now())
    .run();
}

async function liveSessions(personId: string) {
  const [row] = await rows<{ n: number }>(
    "SELECT COUNT(*) AS n FROM sessions WHERE kind = 'person' AND subject_id = ? AND revoked_at IS NULL",
    personId,
  );
  return row?.n ?? 0;
}

describe('adding a delegate', () => {
  it('creates the person, gives them the role and e-mails a one-time invite link', async () => {
    const { unitA, manager } = await world();
    const res = await add(unitA.id, await personCookie(manager.id), {
      name: '  Nora Ny ',
      email: 'Nora.Ny@Example.SE',
    });
    expect(res.status).toBe(201);
    const body = v.parse(UnitPerson, await json(res));
    expect(body).toMatchObject({
      name: 'Nora Ny',
      email: 'nora.ny@example.se',
      role: 'delegate',
      enrolled: false,
      invitePending: true,
    });
    const [person] = await rows<{ name: string; email: string; is_admin: number }>(
      'SELECT name, email, is_admin FROM people WHERE id = ?',
      body.id,
    );
    expect(person).toEqual({ name: 'Nora Ny', email: 'nora.ny@example.se', is_admin: 0 });
    expect(await rows('SELECT role, created_by FROM roles WHERE person_id = ?', body.id)).toEqual([
      { role: 'delegate', created_by: `person:${manager.id}` },
    ]);

    const [mail] = await mailsTo('nora.ny@example.se');
    expect(mail?.body).toContain('Inbjudan till Nyckel');
    expect(mail?.body).toContain('Nora Ny');
    expect(mail?.body).toContain('Invitation');
    const token = tokenOf(mail?.body ?? '');
    const invites = await rows<{ token_hash: string; created_by: string; expires_at: number }>(
      'SELECT token_hash, created_by, expires_at FROM invites WHERE person_id = ?',
      body.id,
    );
    expect(invites).toHaveLength(1);
    expect(invites[0]?.token_hash).toBe(await inviteDigest(token));
    expect(invites[0]?.created_by).toBe(`person:${manager.id}`);
    expect(Math.abs((invites[0]?.expires_at ?? 0) - (now() + 72 * 3600))).toBeLessThan(5);

    // The link in the mail is a working invite.
    const opened = await call('/api/people/invite', { body: { token } });
    expect(opened.status).toBe(200);
    expect(await json(opened)).toMatchObject({ name: 'Nora Ny', email: 'nora.ny@example.se' });
  });

  it('audits the change and the invite, never the link or its token', async () => {
    const { unitA, manager } = await world();
    const res = await add(unitA.id, await personCookie(manager.id), {
      name: 'Nora Ny',
      email: 'nora.ny@example.se',
    });
    const { id } = await json<{ id: string }>(res);
    const [mail] = await mailsTo('nora.ny@example.se');
    const token = tokenOf(mail?.body ?? '');
    const audit = await rows<{ actor: string; action: string; target: string; unit_id: string }>(
      'SELECT actor, action, target, unit_id FROM audit ORDER BY id',
    );
    expect(audit).toEqual([
      {
        actor: `person:${manager.id}`,
        action: 'delegate.add',
        target: `person:${id}`,
        unit_id: unitA.id,
      },
      {
        actor: `person:${manager.id}`,
        action: 'invite.create',
        target: `person:${id}`,
        unit_id: null,
      },
    ]);
    const everything = JSON.stringify({ ...(await snapshot()), outbox: [] });
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('inbjudan#');
    const unitTrail = await call(`/api/manager/units/${unitA.id}/audit`, {
      cookie: await personCookie(manager.id),
    });
    const { items } = await json<{ items: { action: string; targetLabel: string }[] }>(unitTrail);
    expect(items.map((i) => [i.action, i.targetLabel])).toEqual([['delegate.add', 'Nora Ny']]);
  });

  it('adds a person who already exists, found by e-mail in any case, keeping their name', async () => {
    const { unitA, unitB, manager } = await world();
    const known = await seedPerson({
      name: 'Karin Känd',
      email: 'karin@example.se',
      roles: { [unitB.id]: 'delegate' },
    });
    const res = await add(unitA.id, await personCookie(manager.id), {
      name: 'Another Name',
      email: 'KARIN@example.se',
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ id: known.id, name: 'Karin Känd' });
    expect(await rows('SELECT COUNT(*) AS n FROM people')).toEqual([{ n: 5 }]);
    const roles = await rows<{ unit_id: string; role: string }>(
      'SELECT unit_id, role FROM roles WHERE person_id = ? ORDER BY unit_id = ?',
      known.id,
      unitA.id,
    );
    expect(roles).toEqual([
      { unit_id: unitB.id, role: 'delegate' },
      { unit_id: unitA.id, role: 'delegate' },
    ]);
  });

  it('sends no invite to a person who can already sign in', async () => {
    const { unitA, manager } = await world();
    const known = await seedPerson({ name: 'Karin Känd', email: 'karin@example.se' });
    await enrol(known.id);
    const res = await add(unitA.id, await personCookie(manager.id), {
      name: 'Karin Känd',
      email: 'karin@example.se',
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ enrolled: true, invitePending: false });
    expect(await mailsTo('karin@example.se')).toEqual([]);
    expect(await rows('SELECT id FROM invites')).toEqual([]);
  });

  it('is idempotent for an existing delegate, and a fresh invite replaces the old one', async () => {
    const { unitA, manager } = await world();
    const cookie = await personCookie(manager.id);
    const input = { name: 'Nora Ny', email: 'nora.ny@example.se' };
    const first = await json<{ id: string }>(await add(unitA.id, cookie, input));
    const again = await add(unitA.id, cookie, input);
    expect(again.status).toBe(201);
    expect((await json(again)).id).toBe(first.id);
    expect(await rows('SELECT role FROM roles WHERE person_id = ?', first.id)).toEqual([
      { role: 'delegate' },
    ]);
    const invites = await rows<{ revoked_at: number | null }>(
      'SELECT revoked_at FROM invites WHERE person_id = ? ORDER BY rowid',
      first.id,
    );
    expect(invites.map((i) => i.revoked_at === null)).toEqual([false, true]);
    const mails = await mailsTo('nora.ny@example.se');
    expect(mails).toHaveLength(2);
    // Only the newest link works.
    const [newest, oldest] = mails;
    expect(
      (await call('/api/people/invite', { body: { token: tokenOf(oldest?.body ?? '') } })).status,
    ).toBe(410);
    expect(
      (await call('/api/people/invite', { body: { token: tokenOf(newest?.body ?? '') } })).status,
    ).toBe(200);
  });

  it("refuses to make the unit's manager a delegate (409) and writes nothing", async () => {
    const { unitA, manager } = await world();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await add(unitA.id, cookie, { name: 'Maja Chef', email: 'Maja.Chef@example.se' });
    expect(res.status).toBe(409);
    expect((await json(res)).error).toBe('conflict');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a disabled person (409) and writes nothing', async () => {
    const { unitA, manager } = await world();
    await seedPerson({ email: 'off@example.se', disabled: true });
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await add(unitA.id, cookie, { name: 'Off', email: 'off@example.se' });
    expect(res.status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it('lets an administrator add a delegate to any unit', async () => {
    const { unitB, admin } = await world();
    const res = await add(unitB.id, await personCookie(admin.id), {
      name: 'Nora Ny',
      email: 'nora.ny@example.se',
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ['no name', { email: 'nora@example.se' }],
    ['an empty name', { name: '   ', email: 'nora@example.se' }],
    ['a name over 100 characters', { name: 'N'.repeat(101), email: 'nora@example.se' }],
    ['a name with a line break', { name: 'Nora\nBcc: x@y.se', email: 'nora@example.se' }],
    ['a name that is not a string', { name: 7, email: 'nora@example.se' }],
    ['no e-mail', { name: 'Nora' }],
    ['a malformed e-mail', { name: 'Nora', email: 'nora@' }],
    ['an e-mail with a space', { name: 'Nora', email: 'nora ny@example.se' }],
    ['an overlong e-mail', { name: 'Nora', email: `${'n'.repeat(250)}@example.se` }],
    ['an unknown field', { name: 'Nora', email: 'nora@example.se', role: 'manager' }],
    ['an array', [{ name: 'Nora', email: 'nora@example.se' }]],
  ])('refuses %s (400) and writes nothing', async (_label, body) => {
    const { unitA, manager } = await world();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await add(unitA.id, cookie, body);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not JSON (400) and writes nothing', async () => {
    const { unitA, manager } = await world();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await call(`/api/manager/units/${unitA.id}/delegates`, { cookie, raw: 'name=x' });
    expect(res.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('removing a delegate', () => {
  it('removes the role and ends their sessions at once: their next call is refused', async () => {
    const { unitA, manager, delegate } = await world();
    const delegateCookie = await personCookie(delegate.id);
    expect((await call('/api/manager/overview', { cookie: delegateCookie })).status).toBe(200);
    const res = await revoke(unitA.id, delegate.id, await personCookie(manager.id));
    expect(res.status).toBe(204);
    expect((await call('/api/manager/overview', { cookie: delegateCookie })).status).toBe(401);
    expect(await rows('SELECT * FROM roles WHERE person_id = ?', delegate.id)).toEqual([]);
    expect(await liveSessions(delegate.id)).toBe(0);
    const entry = (await auditRows()).find((r) => r.action === 'delegate.revoke');
    expect(entry).toMatchObject({
      actor: `person:${manager.id}`,
      target: `person:${delegate.id}`,
      outcome: 'success',
    });
  });

  it('ends their open invite when no role is left', async () => {
    const { unitA, manager, delegate } = await world();
    const token = await seedInvite(delegate.id);
    expect((await revoke(unitA.id, delegate.id, await personCookie(manager.id))).status).toBe(204);
    expect((await call('/api/people/invite', { body: { token } })).status).toBe(410);
  });

  it('keeps the invite and the session of someone still a delegate elsewhere; the unit is out of reach at once', async () => {
    const { unitA, unitB, manager } = await world();
    const both = await seedPerson({ roles: { [unitA.id]: 'delegate', [unitB.id]: 'delegate' } });
    const token = await seedInvite(both.id);
    const cookie = await personCookie(both.id);
    expect((await call(`/api/manager/units/${unitA.id}`, { cookie })).status).toBe(200);
    expect((await revoke(unitA.id, both.id, await personCookie(manager.id))).status).toBe(204);
    expect(await rows('SELECT unit_id FROM roles WHERE person_id = ?', both.id)).toEqual([
      { unit_id: unitB.id },
    ]);
    // Roles are read on every request: unit A is gone from the very next call, unit B stays.
    expect((await call(`/api/manager/units/${unitA.id}`, { cookie })).status).toBe(404);
    expect((await call(`/api/manager/units/${unitB.id}`, { cookie })).status).toBe(200);
    expect(await liveSessions(both.id)).toBe(1);
    expect((await call('/api/people/invite', { body: { token } })).status).toBe(200);
  });

  it("keeps an administrator's invite and sessions: a manager cannot sign an administrator out", async () => {
    const { unitA, manager } = await world();
    const adminDelegate = await seedPerson({ isAdmin: true, roles: { [unitA.id]: 'delegate' } });
    const token = await seedInvite(adminDelegate.id);
    const cookie = await personCookie(adminDelegate.id);
    expect((await revoke(unitA.id, adminDelegate.id, await personCookie(manager.id))).status).toBe(
      204,
    );
    expect((await call('/api/admin/units', { cookie })).status).toBe(200);
    expect((await call('/api/people/invite', { body: { token } })).status).toBe(200);
  });

  it('answers 404 for a manager, a person without a role here, or an unknown id', async () => {
    const { unitA, unitB, manager, managerB, admin } = await world();
    const coManager = await seedPerson({ roles: { [unitA.id]: 'manager' } });
    const elsewhere = await seedPerson({ roles: { [unitB.id]: 'delegate' } });
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    for (const id of [coManager.id, manager.id, managerB.id, elsewhere.id, admin.id, 'nobody']) {
      const res = await revoke(unitA.id, id, cookie);
      expect(res.status, id).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('who may change delegates', () => {
  it('refuses a delegate with 403 and writes nothing', async () => {
    const { unitA, delegate } = await world();
    const other = await seedPerson({ roles: { [unitA.id]: 'delegate' } });
    const cookie = await personCookie(delegate.id);
    const before = await snapshot();
    const added = await add(unitA.id, cookie, { name: 'Nora', email: 'nora@example.se' });
    expect(added.status).toBe(403);
    expect((await json(added)).error).toBe('forbidden');
    // Even with a bad body: who may act is decided first.
    expect((await add(unitA.id, cookie, {})).status).toBe(403);
    const removed = await revoke(unitA.id, other.id, cookie);
    expect(removed.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 for another unit's delegates, whether it exists or not", async () => {
    const { unitA, unitB, manager, delegate, managerB } = await world();
    const theirs = await seedPerson({ roles: { [unitB.id]: 'delegate' } });
    for (const person of [manager, delegate]) {
      const cookie = await personCookie(person.id);
      const before = await snapshot();
      for (const unitId of [unitB.id, 'no-such-unit']) {
        const added = await add(unitId, cookie, { name: 'Nora', email: 'nora@example.se' });
        expect(added.status, unitId).toBe(404);
        expect((await add(unitId, cookie, { name: 7 })).status, unitId).toBe(404);
        expect((await revoke(unitId, theirs.id, cookie)).status, unitId).toBe(404);
      }
      expect(await snapshot()).toEqual(before);
    }
    // And the other way round.
    expect((await revoke(unitA.id, delegate.id, await personCookie(managerB.id))).status).toBe(404);
    expect(await liveSessions(delegate.id)).toBeGreaterThan(0);
  });

  it('asks for a fresh sign-in after 10 minutes and writes nothing', async () => {
    const { unitA, manager, delegate } = await world();
    const cookie = await personCookie(manager.id, { verifiedAgoSeconds: 11 * 60 });
    const before = await snapshot();
    const added = await add(unitA.id, cookie, { name: 'Nora', email: 'nora@example.se' });
    expect(added.status).toBe(403);
    expect((await json(added)).error).toBe('step_up_required');
    const removed = await revoke(unitA.id, delegate.id, cookie);
    expect(removed.status).toBe(403);
    expect((await json(removed)).error).toBe('step_up_required');
    expect(await snapshot()).toEqual(before);
  });

  it('lets an administrator remove any unit delegate', async () => {
    const { unitB, admin } = await world();
    const theirs = await seedPerson({ roles: { [unitB.id]: 'delegate' } });
    expect((await revoke(unitB.id, theirs.id, await personCookie(admin.id))).status).toBe(204);
  });
});
