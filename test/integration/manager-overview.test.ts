import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { type AuditFilter, listAudit } from '../../worker/db/audit-query';
import { AuditPage } from '../../worker/routes/fields';
import { MailboxDetail, Overview, UnitDetail } from '../../worker/routes/manager.schemas';
import { call, json, login, seedMailbox, snapshot } from '../helpers';
import { personCookie, seedInvite, seedPerson, seedUnit } from '../people-helpers';

/*
 * What managers, delegates and administrators see: tasks first,
 * every mailbox of their units, a mailbox's history, a unit's people and audit trail. Nobody
 * sees another unit's data by guessing an id.
 */

const DAY = 86_400;
const SLOW_TEST_MS = 60_000;

function now() {
  return Math.floor(Date.now() / 1000);
}

async function world() {
  const unitA = await seedUnit('Hemtjänst Åby');
  const unitB = await seedUnit('Hemtjänst Berga');
  const manager = await seedPerson({ name: 'Maja Chef', roles: { [unitA.id]: 'manager' } });
  const delegate = await seedPerson({ name: 'Dag Ombud', roles: { [unitA.id]: 'delegate' } });
  const managerB = await seedPerson({ name: 'Berit Chef', roles: { [unitB.id]: 'manager' } });
  const admin = await seedPerson({ name: 'Ada Admin', isAdmin: true });
  return { unitA, unitB, manager, delegate, managerB, admin };
}

async function setChangedAt(mailboxId: string, at: number) {
  await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
    .bind(at, mailboxId)
    .run();
}

async function lock(username: string, until: number) {
  await env.DB.prepare(
    'INSERT INTO login_failures (username, failures, locked_until, updated_at) VALUES (?, 5, ?, ?)',
  )
    .bind(username, until, now())
    .run();
}

async function addAudit(e: {
  actor: string;
  action: string;
  target?: string | null;
  unitId?: string | null;
  at?: number;
  outcome?: string;
  detail?: Record<string, unknown>;
}) {
  await env.DB.prepare(
    `INSERT INTO audit (at, actor, action, target, ip, outcome, detail, unit_id)
     VALUES (?, ?, ?, ?, '198.51.100.7', ?, ?, ?)`,
  )
    .bind(
      e.at ?? now(),
      e.actor,
      e.action,
      e.target ?? null,
      e.outcome ?? 'success',
      e.detail ? JSON.stringify(e.detail) : null,
      e.unitId ?? null,
    )
    .run();
}

async function get<T>(path: string, cookie: string): Promise<{ status: number; body: T }> {
  const res = await call(path, { cookie });
  return { status: res.status, body: await json<T>(res) };
}

type OverviewBody = v.InferOutput<typeof Overview>;

async function overviewOf(personId: string): Promise<OverviewBody> {
  const { status, body } = await get<OverviewBody>(
    '/api/manager/overview',
    await personCookie(personId),
  );
  expect(status).toBe(200);
  return v.parse(Overview, body);
}

describe('signing in is required', () => {
  it('refuses every manager route without a person session', async () => {
    for (const path of [
      '/api/manager/overview',
      '/api/manager/mailboxes/x',
      '/api/manager/units/x',
      '/api/manager/units/x/audit',
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(401);
      expect((await json(res)).error).toBe('unauthorized');
    }
  });

  it("does not accept a mailbox's own session in place of a person's", async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const res = await call('/api/manager/overview', { cookie });
    expect(res.status).toBe(401);
  });

  it('refuses a session whose person has been disabled', async () => {
    const { manager } = await world();
    const cookie = await personCookie(manager.id);
    await env.DB.prepare('UPDATE people SET disabled_at = ? WHERE id = ?')
      .bind(now(), manager.id)
      .run();
    expect((await call('/api/manager/overview', { cookie })).status).toBe(401);
  });
});

describe('the overview', () => {
  it("shows a manager their own unit's mailboxes and nothing of other units", async () => {
    const { unitA, unitB, manager } = await world();
    const mine = await seedMailbox({ unitId: unitA.id, displayName: 'Hemtjänst Åby' });
    await seedMailbox({ unitId: unitB.id });
    await seedMailbox();
    const body = await overviewOf(manager.id);
    expect(body.units).toHaveLength(1);
    expect(body.units[0]).toMatchObject({
      id: unitA.id,
      name: 'Hemtjänst Åby',
      role: 'manager',
      canManageDelegates: true,
    });
    expect(body.units[0]?.mailboxes.map((m) => m.id)).toEqual([mine.id]);
  });

  it('describes each mailbox: masked number, dates, status, lock and last activity', async () => {
    const { unitA, manager } = await world();
    const mailbox = await seedMailbox({ unitId: unitA.id, phone: '+46701234567' });
    const changedAt = now() - 10 * DAY;
    await setChangedAt(mailbox.id, changedAt);
    const [summary] = (await overviewOf(manager.id)).units[0]?.mailboxes ?? [];
    expect(summary).toEqual({
      id: mailbox.id,
      unitId: unitA.id,
      username: mailbox.username,
      displayName: 'Testbrevlåda',
      phoneMasked: '070-••• 45 67',
      passwordChangedAt: new Date(changedAt * 1000).toISOString(),
      passwordExpiresAt: new Date((changedAt + 90 * DAY) * 1000).toISOString(),
      status: 'ok',
      locked: false,
      lockedUntil: null,
      resetsPausedUntil: null,
      disabled: false,
      lastActivityAt: null,
      lastActivity: null,
    });
    expect(JSON.stringify(summary)).not.toContain('701234567');
  });

  it("shows a delegate the unit's mailboxes but not the right to manage delegates", async () => {
    const { unitA, delegate } = await world();
    await seedMailbox({ unitId: unitA.id });
    const body = await overviewOf(delegate.id);
    expect(body.units).toHaveLength(1);
    expect(body.units[0]).toMatchObject({ role: 'delegate', canManageDelegates: false });
    expect(body.units[0]?.mailboxes).toHaveLength(1);
  });

  it('shows an administrator every unit, as admin where they have no role', async () => {
    const { unitA, unitB } = await world();
    const admin = await seedPerson({ isAdmin: true, roles: { [unitB.id]: 'manager' } });
    await seedMailbox({ unitId: unitA.id });
    await seedMailbox({ unitId: unitB.id });
    const body = await overviewOf(admin.id);
    const roles = Object.fromEntries(body.units.map((u) => [u.id, u.role]));
    expect(roles).toEqual({ [unitA.id]: 'admin', [unitB.id]: 'manager' });
    expect(body.units.every((u) => u.canManageDelegates && u.mailboxes.length === 1)).toBe(true);
  });

  it('shows a person without any role nothing at all', async () => {
    await world();
    const nobody = await seedPerson();
    expect(await overviewOf(nobody.id)).toEqual({ tasks: [], identityTasks: [], units: [] });
  });

  it(
    'lists tasks first: overdue, locked, due soon, then no number',
    async () => {
      const { unitA, unitB, manager } = await world();
      const fine = await seedMailbox({ unitId: unitA.id });
      const noPhone = await seedMailbox({ unitId: unitA.id, phone: null });
      const soon = await seedMailbox({ unitId: unitA.id });
      const locked = await seedMailbox({ unitId: unitA.id });
      const late = await seedMailbox({ unitId: unitA.id });
      const later = await seedMailbox({ unitId: unitA.id });
      const off = await seedMailbox({ unitId: unitA.id, phone: null });
      const elsewhere = await seedMailbox({ unitId: unitB.id, phone: null });
      const t = now();
      await setChangedAt(soon.id, t - 80 * DAY);
      await setChangedAt(late.id, t - 91 * DAY);
      await setChangedAt(later.id, t - 120 * DAY);
      await setChangedAt(off.id, t - 120 * DAY);
      await setChangedAt(elsewhere.id, t - 120 * DAY);
      await lock(locked.username, t + 600);
      await env.DB.prepare('UPDATE mailboxes SET disabled_at = ? WHERE id = ?')
        .bind(t, off.id)
        .run();

      const body = await overviewOf(manager.id);
      expect(body.tasks.map((task) => [task.kind, task.mailboxId])).toEqual([
        ['overdue', later.id],
        ['overdue', late.id],
        ['locked', locked.id],
        ['due_soon', soon.id],
        ['no_phone', noPhone.id],
      ]);
      expect(body.tasks[0]).toMatchObject({
        unitId: unitA.id,
        username: later.username,
        dueAt: new Date((t - 30 * DAY) * 1000).toISOString(),
        lockedUntil: null,
      });
      expect(body.tasks[2]).toMatchObject({
        dueAt: null,
        lockedUntil: new Date((t + 600) * 1000).toISOString(),
      });
      const statuses = Object.fromEntries(
        (body.units[0]?.mailboxes ?? []).map((m) => [m.id, [m.status, m.locked, m.disabled]]),
      );
      expect(statuses).toEqual({
        [fine.id]: ['ok', false, false],
        [noPhone.id]: ['ok', false, false],
        [soon.id]: ['due_soon', false, false],
        [locked.id]: ['ok', true, false],
        [late.id]: ['overdue', false, false],
        [later.id]: ['overdue', false, false],
        [off.id]: ['overdue', false, true],
      });
    },
    SLOW_TEST_MS,
  );

  it('no longer shows a lockout that has run out', async () => {
    const { unitA, manager } = await world();
    const mailbox = await seedMailbox({ unitId: unitA.id });
    await lock(mailbox.username, now() - 1);
    const body = await overviewOf(manager.id);
    expect(body.tasks).toEqual([]);
    expect(body.units[0]?.mailboxes[0]).toMatchObject({ locked: false, lockedUntil: null });
  });

  // Sign-ins, sign-outs and unlocks change nothing a manager needs to know: counted, a
  // sign-out after a change hid the change itself.
  it('shows the newest password or number change, not a sign-in, sign-out or unlock', async () => {
    const { unitA, manager } = await world();
    const mailbox = await seedMailbox({ unitId: unitA.id });
    const target = `mailbox:${mailbox.id}`;
    const t = now();
    await addAudit({ actor: 'anonymous', action: 'reset.complete', target, at: t - 400 });
    await addAudit({ actor: target, action: 'mailbox.phone.verify', target, at: t - 300 });
    await addAudit({ actor: target, action: 'mailbox.login', target, at: t - 250 });
    await addAudit({
      actor: target,
      action: 'mailbox.password.change',
      target,
      at: t - 100,
      outcome: 'failure',
    });
    await addAudit({ actor: target, action: 'mailbox.logout', target, at: t - 60 });
    await addAudit({ actor: `person:${manager.id}`, action: 'mailbox.unlock', target, at: t - 50 });
    await addAudit({ actor: 'anonymous', action: 'reset.start', target, at: t - 20 });
    await addAudit({ actor: 'anonymous', action: 'network.refused', target, at: t - 10 });
    const [summary] = (await overviewOf(manager.id)).units[0]?.mailboxes ?? [];
    expect(summary).toMatchObject({
      lastActivity: 'mailbox.phone.verify',
      lastActivityAt: new Date((t - 300) * 1000).toISOString(),
    });
  });

  it('counts a reset on behalf, and a sign-out after it leaves it shown', async () => {
    const { unitA, manager, delegate } = await world();
    const mailbox = await seedMailbox({ unitId: unitA.id });
    const cookie = await login(mailbox);
    const reset = await call(`/api/manager/mailboxes/${mailbox.id}/password`, {
      body: { password: 'Tr4sig-Kanin-44' },
      cookie: await personCookie(manager.id),
    });
    expect(reset.status).toBe(200);
    const staff = await login({ ...mailbox, password: 'Tr4sig-Kanin-44' });
    expect((await call('/api/mailbox/session', { method: 'DELETE', cookie: staff })).status).toBe(
      204,
    );
    // The sign-in before the reset was ended by it; it is no activity either.
    expect((await call('/api/mailbox', { cookie })).status).toBe(401);
    const { status, body } = await get<{ mailbox: { lastActivity: string | null } }>(
      `/api/manager/mailboxes/${mailbox.id}`,
      await personCookie(delegate.id),
    );
    expect(status).toBe(200);
    expect(body.mailbox.lastActivity).toBe('mailbox.password.on_behalf');
    const [summary] = (await overviewOf(delegate.id)).units[0]?.mailboxes ?? [];
    expect(summary?.lastActivity).toBe('mailbox.password.on_behalf');
  });
});

describe('a mailbox', () => {
  it('shows the mailbox with its unit and its history, newest first, with names', async () => {
    const { unitA, manager } = await world();
    const mailbox = await seedMailbox({ unitId: unitA.id });
    const target = `mailbox:${mailbox.id}`;
    const t = now();
    await addAudit({ actor: 'anonymous', action: 'reset.start', target, at: t - 30 });
    await addAudit({ actor: target, action: 'mailbox.login', target, at: t - 20 });
    await addAudit({
      actor: `person:${manager.id}`,
      action: 'mailbox.unlock',
      target,
      at: t - 10,
      detail: { wasLocked: true },
    });
    await addAudit({ actor: 'anonymous', action: 'reset.start', target: 'mailbox:other', at: t });
    const { status, body } = await get(
      `/api/manager/mailboxes/${encodeURIComponent(mailbox.id)}`,
      await personCookie(manager.id),
    );
    expect(status).toBe(200);
    const detail = v.parse(MailboxDetail, body);
    expect(detail.mailbox).toMatchObject({ id: mailbox.id, unitName: 'Hemtjänst Åby' });
    expect(detail.audit.map((a) => [a.action, a.actorLabel, a.targetLabel])).toEqual([
      ['mailbox.unlock', 'Maja Chef', mailbox.username],
      ['mailbox.login', mailbox.username, mailbox.username],
      ['reset.start', 'anonymous', mailbox.username],
    ]);
    expect(detail.audit[0]).toMatchObject({
      actor: `person:${manager.id}`,
      ip: '198.51.100.7',
      outcome: 'success',
      detail: { wasLocked: true },
      at: new Date((t - 10) * 1000).toISOString(),
    });
  });

  it('shows at most the newest 50 entries', async () => {
    const { unitA, manager } = await world();
    const mailbox = await seedMailbox({ unitId: unitA.id });
    const t = now();
    await env.DB.batch(
      Array.from({ length: 55 }, (_, i) =>
        env.DB.prepare(
          `INSERT INTO audit (at, actor, action, target, outcome) VALUES (?, 'system', ?, ?, 'success')`,
        ).bind(t - 100 + i, `test.${i}`, `mailbox:${mailbox.id}`),
      ),
    );
    const { body } = await get<{ audit: { action: string }[] }>(
      `/api/manager/mailboxes/${mailbox.id}`,
      await personCookie(manager.id),
    );
    expect(body.audit).toHaveLength(50);
    expect(body.audit[0]?.action).toBe('test.54');
  });

  it('shows a disabled mailbox as disabled', async () => {
    const { unitA, delegate } = await world();
    const mailbox = await seedMailbox({ unitId: unitA.id });
    await env.DB.prepare('UPDATE mailboxes SET disabled_at = ? WHERE id = ?')
      .bind(now(), mailbox.id)
      .run();
    const { status, body } = await get<{ mailbox: { disabled: boolean } }>(
      `/api/manager/mailboxes/${mailbox.id}`,
      await personCookie(delegate.id),
    );
    expect(status).toBe(200);
    expect(body.mailbox.disabled).toBe(true);
  });

  it("answers 404 for another unit's mailbox, one without a unit, and an unknown id", async () => {
    const { unitB, manager, delegate } = await world();
    const theirs = await seedMailbox({ unitId: unitB.id });
    const orphan = await seedMailbox();
    for (const person of [manager, delegate]) {
      const cookie = await personCookie(person.id);
      for (const id of [theirs.id, orphan.id, 'no-such-mailbox', 'x'.repeat(300)]) {
        const res = await call(`/api/manager/mailboxes/${id}`, { cookie });
        expect(res.status, id).toBe(404);
        expect((await json(res)).error).toBe('not_found');
      }
    }
  });

  it('lets an administrator open any unit mailbox', async () => {
    const { unitB, admin } = await world();
    const mailbox = await seedMailbox({ unitId: unitB.id });
    const res = await call(`/api/manager/mailboxes/${mailbox.id}`, {
      cookie: await personCookie(admin.id),
    });
    expect(res.status).toBe(200);
  });
});

describe('a unit', () => {
  it('lists its managers, then its delegates, with whether they can sign in', async () => {
    const { unitA, manager, delegate } = await world();
    const invited = await seedPerson({ name: 'Ines Inbjuden', roles: { [unitA.id]: 'delegate' } });
    await seedInvite(invited.id);
    const expired = await seedPerson({ name: 'Eva Utgången', roles: { [unitA.id]: 'delegate' } });
    await seedInvite(expired.id, { expiresInSeconds: -1 });
    await seedPerson({ name: 'Avstängd', roles: { [unitA.id]: 'delegate' }, disabled: true });
    await env.DB.prepare(
      `INSERT INTO passkeys (id, person_id, public_key, created_at) VALUES ('cred-1', ?, 'pk', ?)`,
    )
      .bind(manager.id, now())
      .run();
    await env.DB.prepare(
      'INSERT INTO totp_factors (person_id, secret, created_at) VALUES (?, ?, ?)',
    )
      .bind(delegate.id, 'sealed', now())
      .run();
    const { status, body } = await get(
      `/api/manager/units/${unitA.id}`,
      await personCookie(manager.id),
    );
    expect(status).toBe(200);
    const unit = v.parse(UnitDetail, body);
    expect(unit).toMatchObject({ id: unitA.id, name: 'Hemtjänst Åby', role: 'manager' });
    expect(unit.canManageDelegates).toBe(true);
    expect(unit.people.map((p) => [p.name, p.role, p.enrolled, p.invitePending])).toEqual([
      ['Maja Chef', 'manager', true, false],
      ['Dag Ombud', 'delegate', true, false],
      ['Eva Utgången', 'delegate', false, false],
      ['Ines Inbjuden', 'delegate', false, true],
    ]);
  });

  it('tells a delegate that they cannot manage delegates', async () => {
    const { unitA, delegate } = await world();
    const { body } = await get<{ role: string; canManageDelegates: boolean }>(
      `/api/manager/units/${unitA.id}`,
      await personCookie(delegate.id),
    );
    expect(body).toMatchObject({ role: 'delegate', canManageDelegates: false });
  });

  it('answers 404 for another unit or an unknown one, and 200 for an administrator', async () => {
    const { unitB, manager, delegate, admin } = await world();
    for (const person of [manager, delegate]) {
      const cookie = await personCookie(person.id);
      for (const path of [`/api/manager/units/${unitB.id}`, '/api/manager/units/nope']) {
        expect((await call(path, { cookie })).status, path).toBe(404);
      }
    }
    const res = await call(`/api/manager/units/${unitB.id}`, {
      cookie: await personCookie(admin.id),
    });
    expect(res.status).toBe(200);
    expect((await json(res)).role).toBe('admin');
  });
});

describe("a unit's audit trail", () => {
  async function trail(unitId: string, count: number) {
    const t = now();
    for (let i = 0; i < count; i++) {
      await addAudit({ actor: 'system', action: `test.${i}`, unitId, at: t - count + i });
    }
  }

  it("pages through the unit's entries, newest first, without gaps or repeats", async () => {
    const { unitA, unitB, manager } = await world();
    await trail(unitA.id, 5);
    await trail(unitB.id, 3);
    const cookie = await personCookie(manager.id);
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const query: string = next ? `?limit=2&before=${next}` : '?limit=2';
      const { status, body } = await get(`/api/manager/units/${unitA.id}/audit${query}`, cookie);
      expect(status).toBe(200);
      const page = v.parse(AuditPage, body);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.action));
      next = page.next;
      pages++;
    } while (next !== null && pages < 10);
    expect(seen).toEqual(['test.4', 'test.3', 'test.2', 'test.1', 'test.0']);
    expect(pages).toBe(3);
  });

  it('orders entries of the same second by id and gives 50 by default', async () => {
    const { unitA, delegate } = await world();
    const t = now();
    await env.DB.batch(
      Array.from({ length: 60 }, (_, i) =>
        env.DB.prepare(
          `INSERT INTO audit (at, actor, action, outcome, unit_id) VALUES (?, 'system', ?, 'success', ?)`,
        ).bind(t, `test.${i}`, unitA.id),
      ),
    );
    const cookie = await personCookie(delegate.id);
    const first = await get<{ items: { action: string }[]; next: string }>(
      `/api/manager/units/${unitA.id}/audit`,
      cookie,
    );
    expect(first.body.items).toHaveLength(50);
    expect(first.body.items[0]?.action).toBe('test.59');
    const second = await get<{ items: { action: string }[]; next: string | null }>(
      `/api/manager/units/${unitA.id}/audit?before=${first.body.next}`,
      cookie,
    );
    expect(second.body.items.map((i) => i.action)).toEqual(
      Array.from({ length: 10 }, (_, i) => `test.${9 - i}`),
    );
    expect(second.body.next).toBeNull();
  });

  it('answers an empty page for a cursor that does not exist', async () => {
    const { unitA, manager } = await world();
    await trail(unitA.id, 2);
    const { status, body } = await get(
      `/api/manager/units/${unitA.id}/audit?before=999999`,
      await personCookie(manager.id),
    );
    expect(status).toBe(200);
    expect(body).toEqual({ items: [], next: null });
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=-1',
    'limit=1.5',
    'before=abc',
    'before=-5',
    'before=0',
    'before=99999999999999999999',
  ])('refuses %s with 400', async (query) => {
    const { unitA, manager } = await world();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await call(`/api/manager/units/${unitA.id}/audit?${query}`, { cookie });
    expect(res.status).toBe(400);
    const body = await json<{ error: string; issues: { path: string }[] }>(res);
    expect(body.error).toBe('invalid_request');
    expect(body.issues[0]?.path).toBe(query.split('=')[0]);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 for another unit's trail, even with a bad query", async () => {
    const { unitB, manager } = await world();
    await trail(unitB.id, 2);
    const cookie = await personCookie(manager.id);
    for (const path of [
      `/api/manager/units/${unitB.id}/audit`,
      `/api/manager/units/${unitB.id}/audit?limit=0`,
      '/api/manager/units/nope/audit',
    ]) {
      const res = await call(path, { cookie });
      expect(res.status, path).toBe(404);
    }
  });
});

describe('the audit query shared with the administrator', () => {
  it('filters by units, mailbox, time, actor, action family and outcome', async () => {
    const { unitA, unitB } = await world();
    const t = now();
    await addAudit({
      actor: 'anonymous',
      action: 'reset.start',
      target: 'mailbox:m1',
      unitId: unitA.id,
      at: t - 50,
    });
    await addAudit({
      actor: 'mailbox:m1',
      action: 'mailbox.password.change',
      target: 'mailbox:m1',
      unitId: unitA.id,
      at: t - 40,
    });
    await addAudit({
      actor: 'person:p1',
      action: 'mailbox.password.on_behalf',
      target: 'mailbox:m2',
      unitId: unitB.id,
      at: t - 30,
      outcome: 'refused',
    });
    await addAudit({ actor: 'person:p1', action: 'mailbox.passwords', target: null, at: t - 20 });
    await addAudit({ actor: 'system', action: 'mailbox_password', target: null, at: t - 10 });
    const actions = async (f: Omit<AuditFilter, 'limit'>) =>
      (await listAudit(env.DB, { ...f, limit: 100 })).rows.map((r) => r.action);
    expect(await actions({})).toHaveLength(5);
    expect(await actions({ unitIds: 'all' })).toHaveLength(5);
    expect(await actions({ unitIds: [] })).toEqual([]);
    expect(await actions({ unitIds: [unitA.id] })).toEqual([
      'mailbox.password.change',
      'reset.start',
    ]);
    expect(await actions({ unitIds: [unitA.id, unitB.id] })).toHaveLength(3);
    expect(await actions({ mailboxId: 'm2' })).toEqual(['mailbox.password.on_behalf']);
    expect(await actions({ from: t - 40, to: t - 20 })).toEqual([
      'mailbox.password.on_behalf',
      'mailbox.password.change',
    ]);
    expect(await actions({ actor: 'person:p1' })).toEqual([
      'mailbox.passwords',
      'mailbox.password.on_behalf',
    ]);
    // A family: the code itself and codes under it, not codes that merely start alike, and
    // LIKE wildcards in the filter are taken literally.
    expect(await actions({ action: 'mailbox.password' })).toEqual([
      'mailbox.password.on_behalf',
      'mailbox.password.change',
    ]);
    expect(await actions({ action: 'mailbox_password' })).toEqual(['mailbox_password']);
    expect(await actions({ action: 'mailbox%' })).toEqual([]);
    expect(await actions({ outcome: 'refused' })).toEqual(['mailbox.password.on_behalf']);
  });

  it('names every person on a full page, even more than 100 of them', async () => {
    const { unitA, manager } = await world();
    const t = now();
    const people = await Promise.all(
      Array.from({ length: 60 }, (_, i) => seedPerson({ name: `Namn ${i}` })),
    );
    await env.DB.batch(
      people.flatMap((person, i) => [
        env.DB.prepare(
          `INSERT INTO audit (at, actor, action, target, outcome, unit_id)
           VALUES (?, ?, 'delegate.add', ?, 'success', ?)`,
        ).bind(t - i, `person:${person.id}`, `person:${people[(i + 1) % 60]?.id}`, unitA.id),
      ]),
    );
    const extra = await Promise.all(
      Array.from({ length: 50 }, (_, i) => seedPerson({ name: `Extra ${i}` })),
    );
    await env.DB.batch(
      extra.map((person, i) =>
        env.DB.prepare(
          `INSERT INTO audit (at, actor, action, target, outcome, unit_id)
           VALUES (?, 'system', 'delegate.revoke', ?, 'success', ?)`,
        ).bind(t - 100 - i, `person:${person.id}`, unitA.id),
      ),
    );
    const { status, body } = await get<{ items: { actorLabel: string; targetLabel: string }[] }>(
      `/api/manager/units/${unitA.id}/audit?limit=100`,
      await personCookie(manager.id),
    );
    expect(status).toBe(200);
    expect(body.items).toHaveLength(100);
    for (const item of body.items) {
      expect(item.actorLabel).toMatch(/^(Namn \d+|system)$/);
      expect(item.targetLabel).toMatch(/^(Namn|Extra) \d+$/);
    }
  });
});
