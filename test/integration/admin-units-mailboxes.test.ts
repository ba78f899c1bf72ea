import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { checkPassword } from '../../worker/domain/policy';
import { app } from '../../worker/index';
import { AdminUnitList, MailboxCreated, UnitView } from '../../worker/routes/admin.schemas';
import { MailboxSummaryWithUnit } from '../../worker/routes/fields';
import { auditRows, call, json, login, seedMailbox, snapshot } from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/** A password that meets the policy and is on no blocklist. */
const GOOD_PASSWORD = 'Kx7#mPq2Lw';

async function admin(options: { verifiedAgoSeconds?: number } = {}) {
  const person = await seedPerson({ isAdmin: true, name: 'Ada Admin' });
  return { person, cookie: await personCookie(person.id, options) };
}

function send(path: string, method: string, cookie: string | null, body?: unknown) {
  return call(path, { method, cookie, body });
}

async function errorOf(res: Response) {
  const body = await json<{
    error: string;
    message: string;
    issues?: { path: string }[];
    existing?: unknown;
  }>(res);
  expect(body.message.length).toBeGreaterThan(0);
  return body;
}

function mailboxRow(id: string) {
  return env.DB.prepare(
    'SELECT username, display_name, unit_id, phone, disabled_at FROM mailboxes WHERE id = ?',
  )
    .bind(id)
    .first<{
      username: string;
      display_name: string;
      unit_id: string | null;
      phone: string | null;
      disabled_at: number | null;
    }>();
}

function loginCall(username: string, password: string) {
  return call('/api/mailbox/session', { body: { username, password } });
}

describe('who may use the administrator routes', () => {
  /**
   * Every administrator route but the identity import and the service tokens (which the
   * identities' tests cover), with its placeholders filled in.
   */
  function routes(ids: { person: string; unit: string; mailbox: string }) {
    const registered = new Set<string>();
    for (const route of app.routes) {
      if (route.method === 'ALL' || !route.path.startsWith('/api/admin/')) continue;
      if (/^\/api\/admin\/(identities|service-tokens)(\/|$)/.test(route.path)) continue;
      registered.add(`${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
    return [...registered].map((key) => {
      const [method = '', path = ''] = key.split(' ');
      return {
        method,
        path: path
          .replace('/people/{id}', `/people/${ids.person}`)
          .replace('/mailboxes/{id}', `/mailboxes/${ids.mailbox}`)
          .replace('/units/{id}', `/units/${ids.unit}`)
          .replace('{unitId}', ids.unit),
      };
    });
  }

  async function fixtures() {
    const unit = await seedUnit();
    const mailbox = await seedMailbox({ unitId: unit.id });
    const other = await seedPerson();
    return { unit: unit.id, mailbox: mailbox.id, person: other.id };
  }

  it('refuses a manager (403 forbidden) on every route and writes nothing', async () => {
    const ids = await fixtures();
    const manager = await seedPerson({ roles: { [ids.unit]: 'manager' } });
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    for (const route of routes(ids)) {
      const res = await send(
        route.path,
        route.method,
        cookie,
        route.method === 'GET' ? undefined : {},
      );
      expect(`${route.method} ${route.path} ${res.status}`).toBe(
        `${route.method} ${route.path} 403`,
      );
      expect((await json(res)).error).toBe('forbidden');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a caller without a session (401) on every route', async () => {
    const ids = await fixtures();
    for (const route of routes(ids)) {
      const res = await send(
        route.path,
        route.method,
        null,
        route.method === 'GET' ? undefined : {},
      );
      expect(`${route.method} ${route.path} ${res.status}`).toBe(
        `${route.method} ${route.path} 401`,
      );
    }
  });

  it('asks for a fresh sign-in before every write, and writes nothing', async () => {
    const ids = await fixtures();
    const { cookie } = await admin({ verifiedAgoSeconds: 11 * 60 });
    const before = await snapshot();
    const writes = routes(ids).filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(10);
    for (const route of writes) {
      const res = await send(route.path, route.method, cookie, {});
      expect(`${route.method} ${route.path} ${res.status}`).toBe(
        `${route.method} ${route.path} 403`,
      );
      expect((await json(res)).error).toBe('step_up_required');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets an administrator with a stale sign-in still read', async () => {
    const ids = await fixtures();
    const { cookie } = await admin({ verifiedAgoSeconds: 11 * 60 });
    for (const route of routes(ids).filter((r) => r.method === 'GET')) {
      const res = await send(route.path, 'GET', cookie);
      expect(`${route.path} ${res.status}`).toBe(`${route.path} 200`);
    }
  });
});

describe('units', () => {
  it('lists every unit with its mailbox count and its managers who can sign in', async () => {
    const { cookie } = await admin();
    const aby = await seedUnit('Hemtjänst Åby');
    const berga = await seedUnit('Berga boende');
    await seedMailbox({ unitId: aby.id });
    const disabled = await seedMailbox({ unitId: aby.id });
    await env.DB.prepare('UPDATE mailboxes SET disabled_at = 1 WHERE id = ?')
      .bind(disabled.id)
      .run();
    await seedPerson({ name: 'Maja Chef', roles: { [aby.id]: 'manager' } });
    await seedPerson({ name: 'Bo Chef', roles: { [aby.id]: 'manager', [berga.id]: 'manager' } });
    await seedPerson({ name: 'Dag Ombud', roles: { [aby.id]: 'delegate' } });
    await seedPerson({ name: 'Gone Chef', roles: { [aby.id]: 'manager' }, disabled: true });

    const res = await call('/api/admin/units', { cookie });
    expect(res.status).toBe(200);
    expect(v.parse(AdminUnitList, await res.json())).toEqual([
      { id: berga.id, name: 'Berga boende', mailboxCount: 0, managers: ['Bo Chef'] },
      { id: aby.id, name: 'Hemtjänst Åby', mailboxCount: 2, managers: ['Bo Chef', 'Maja Chef'] },
    ]);
  });

  it('creates a unit with a trimmed name and audits it in the new unit', async () => {
    const { person, cookie } = await admin();
    const res = await send('/api/admin/units', 'POST', cookie, { name: '  Hemtjänst Öst ' });
    expect(res.status).toBe(201);
    const unit = v.parse(UnitView, await res.json());
    expect(unit.name).toBe('Hemtjänst Öst');
    const row = await env.DB.prepare('SELECT name FROM units WHERE id = ?').bind(unit.id).first();
    expect(row).toEqual({ name: 'Hemtjänst Öst' });
    const audit = await env.DB.prepare(
      "SELECT actor, target, unit_id, outcome FROM audit WHERE action = 'unit.create'",
    ).first();
    expect(audit).toEqual({
      actor: `person:${person.id}`,
      target: `unit:${unit.id}`,
      unit_id: unit.id,
      outcome: 'success',
    });
  });

  it('refuses a second unit with the same name in another letter case (409), naming it', async () => {
    const { cookie } = await admin();
    const existing = await seedUnit('Hemtjänst Åby');
    const before = await snapshot();
    const res = await send('/api/admin/units', 'POST', cookie, { name: 'HEMTJÄNST åby' });
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toMatchObject({
      error: 'conflict',
      existing: { kind: 'unit', id: existing.id, name: 'Hemtjänst Åby' },
      issues: [
        { path: 'name', code: 'taken', message: 'There is already a unit named "Hemtjänst Åby"' },
      ],
    });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['blanks only', { name: '   ' }],
    ['a name over 100 characters', { name: 'x'.repeat(101) }],
    ['a line break', { name: 'Hemtjänst\nÅby' }],
    ['no name', {}],
    ['a number', { name: 5 }],
    ['an unknown field', { name: 'Öst', id: 'mine' }],
  ])('refuses %s with 400 and writes nothing', async (_label, body) => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await send('/api/admin/units', 'POST', cookie, body);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not JSON', async () => {
    const { cookie } = await admin();
    const res = await call('/api/admin/units', { raw: '{name:', cookie });
    expect(res.status).toBe(400);
  });

  it('renames a unit, audited with the earlier name', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit('Hemtjänst Åby');
    const res = await send(`/api/admin/units/${unit.id}`, 'PATCH', cookie, {
      name: 'Åby hemtjänst',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: unit.id, name: 'Åby hemtjänst' });
    const audit = await env.DB.prepare(
      "SELECT unit_id, detail FROM audit WHERE action = 'unit.rename'",
    ).first<{ unit_id: string; detail: string }>();
    expect(audit?.unit_id).toBe(unit.id);
    expect(JSON.parse(audit?.detail ?? '{}')).toEqual({
      name: 'Åby hemtjänst',
      previous: 'Hemtjänst Åby',
    });
  });

  it('answers 404 for an unknown unit and 409 for a name in use, writing nothing', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit('Hemtjänst Åby');
    await seedUnit('Berga boende');
    const before = await snapshot();
    const missing = await send('/api/admin/units/nope', 'PATCH', cookie, { name: 'X' });
    expect(missing.status).toBe(404);
    const taken = await send(`/api/admin/units/${unit.id}`, 'PATCH', cookie, {
      name: 'berga boende',
    });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).existing).toMatchObject({ kind: 'unit', name: 'Berga boende' });
    const bad = await send(`/api/admin/units/${unit.id}`, 'PATCH', cookie, { name: '' });
    expect(bad.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('GET /api/admin/mailboxes', () => {
  it('lists every unit’s mailboxes, disabled ones too, with their unit names', async () => {
    const { cookie } = await admin();
    const aby = await seedUnit('Hemtjänst Åby');
    const berga = await seedUnit('Berga boende');
    const one = await seedMailbox({ unitId: aby.id, username: 'hemtjanstab' });
    const two = await seedMailbox({ unitId: berga.id, username: 'bergaboende', phone: null });
    await env.DB.prepare('UPDATE mailboxes SET disabled_at = 1 WHERE id = ?').bind(two.id).run();

    const res = await call('/api/admin/mailboxes', { cookie });
    expect(res.status).toBe(200);
    const list = v.parse(v.array(MailboxSummaryWithUnit), await res.json());
    expect(list.map((m) => [m.username, m.unitName, m.disabled, m.phoneMasked !== null])).toEqual(
      expect.arrayContaining([
        ['hemtjanstab', 'Hemtjänst Åby', false, true],
        ['bergaboende', 'Berga boende', true, false],
      ]),
    );
    expect(list).toHaveLength(2);

    const filtered = await call(`/api/admin/mailboxes?unitId=${aby.id}`, { cookie });
    expect((await json<{ id: string }[]>(filtered)).map((m) => m.id)).toEqual([one.id]);
  });

  it('answers 404 for an unknown unit and 400 for an unknown parameter', async () => {
    const { cookie } = await admin();
    expect((await call('/api/admin/mailboxes?unitId=nope', { cookie })).status).toBe(404);
    expect((await call('/api/admin/mailboxes?unit=x', { cookie })).status).toBe(400);
  });
});

describe('POST /api/admin/mailboxes', () => {
  it('creates a mailbox with a typed password that works for login at once', async () => {
    const { person, cookie } = await admin();
    const unit = await seedUnit();
    const res = await send('/api/admin/mailboxes', 'POST', cookie, {
      username: '  NyBrevlada ',
      displayName: 'Ny brevlåda',
      unitId: unit.id,
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(201);
    const created = v.parse(MailboxCreated, await res.json());
    expect(created).toEqual({ id: created.id, username: 'nybrevlada', generated: null });
    expect(await mailboxRow(created.id)).toEqual({
      username: 'nybrevlada',
      display_name: 'Ny brevlåda',
      unit_id: unit.id,
      phone: null,
      disabled_at: null,
    });
    expect((await loginCall('nybrevlada', GOOD_PASSWORD)).status).toBe(200);

    const [entry] = (await auditRows()).filter((r) => r.action === 'mailbox.create');
    expect(entry).toMatchObject({
      actor: `person:${person.id}`,
      target: `mailbox:${created.id}`,
      outcome: 'success',
    });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ username: 'nybrevlada', generated: false });
    const unitOf = await env.DB.prepare(
      "SELECT unit_id FROM audit WHERE action = 'mailbox.create'",
    ).first('unit_id');
    expect(unitOf).toBe(unit.id);
    expect(JSON.stringify(await auditRows())).not.toContain(GOOD_PASSWORD);
  });

  it('generates a readable policy-compliant password, returns it once and stores only a hash', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    const res = await send('/api/admin/mailboxes', 'POST', cookie, {
      username: 'genererad',
      displayName: 'Genererad',
      unitId: unit.id,
    });
    expect(res.status).toBe(201);
    const { id, generated } = v.parse(MailboxCreated, await res.json());
    expect(generated).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){2,}$/);
    const password = generated ?? '';
    expect(
      checkPassword(password, { minLength: 8, minClasses: 3, historyDepth: 24, maxAgeDays: 90 }),
    ).toEqual([]);
    expect((await loginCall('genererad', password)).status).toBe(200);
    const dump = JSON.stringify(await snapshot());
    expect(dump).not.toContain(password);
    const [entry] = (await auditRows()).filter((r) => r.action === 'mailbox.create');
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ username: 'genererad', generated: true });
    expect(await mailboxRow(id)).toMatchObject({ unit_id: unit.id });
  });

  it('stores the first history entry, so the initial password cannot be chosen again', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    await send('/api/admin/mailboxes', 'POST', cookie, {
      username: 'historik',
      displayName: 'Historik',
      unitId: unit.id,
      password: GOOD_PASSWORD,
    });
    const session = await login({
      id: '',
      username: 'historik',
      password: GOOD_PASSWORD,
      phone: null,
    });
    const res = await call('/api/mailbox/password', {
      body: { currentPassword: GOOD_PASSWORD, newPassword: GOOD_PASSWORD },
      cookie: session,
    });
    expect(res.status).toBe(422);
    expect((await json<{ violations: string[] }>(res)).violations).toContain('reused');
  });

  it.each([
    ['too short and too simple', 'abc', ['too_short', 'too_few_classes']],
    ['on the blocklist', 'Sommar2026!', ['common']],
    ['containing the username', 'Xx#1nybrevlada', ['contains_username']],
    ['with letters outside ASCII', 'Åby#2026xx', ['invalid_characters']],
  ])('refuses a typed password %s (422) and writes nothing', async (_label, password, expected) => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    const before = await snapshot();
    const res = await send('/api/admin/mailboxes', 'POST', cookie, {
      username: 'nybrevlada',
      displayName: 'Ny',
      unitId: unit.id,
      password,
    });
    expect(res.status).toBe(422);
    const body = await json<{ error: string; violations: string[] }>(res);
    expect(body.error).toBe('policy');
    expect(body.violations).toEqual(expect.arrayContaining(expected));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a username in use, by a disabled mailbox too (409), writing nothing', async () => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    const taken = await seedMailbox({ username: 'upptagen' });
    await env.DB.prepare('UPDATE mailboxes SET disabled_at = 1 WHERE id = ?').bind(taken.id).run();
    const before = await snapshot();
    for (const username of ['upptagen', 'UPPTAGEN']) {
      const res = await send('/api/admin/mailboxes', 'POST', cookie, {
        username,
        displayName: 'Dubblett',
        unitId: unit.id,
      });
      expect(res.status).toBe(409);
      expect(await errorOf(res)).toMatchObject({
        error: 'conflict',
        existing: { kind: 'mailbox', id: taken.id, name: 'upptagen' },
        issues: [{ path: 'username', code: 'taken' }],
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an unknown unit with 400 on unitId, writing nothing', async () => {
    const { cookie } = await admin();
    const before = await snapshot();
    const res = await send('/api/admin/mailboxes', 'POST', cookie, {
      username: 'nybrevlada',
      displayName: 'Ny',
      unitId: 'no-such-unit',
    });
    expect(res.status).toBe(400);
    const body = await errorOf(res);
    expect(body.error).toBe('invalid_request');
    expect(body.issues?.[0]?.path).toBe('unitId');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a one-letter username', { username: 'a' }],
    ['a username with a space', { username: 'ny brevlada' }],
    ['a username with å', { username: 'åby' }],
    ['an empty display name', { displayName: ' ' }],
    ['a display name over 100 characters', { displayName: 'x'.repeat(101) }],
    ['no unit', { unitId: undefined }],
    ['a password over 256 characters', { password: `Aa1#${'x'.repeat(253)}` }],
    ['an empty password', { password: '' }],
    ['a phone number (not settable here)', { phone: '0701234567' }],
  ])('refuses %s with 400 and writes nothing', async (_label, change) => {
    const { cookie } = await admin();
    const unit = await seedUnit();
    const before = await snapshot();
    const res = await send('/api/admin/mailboxes', 'POST', cookie, {
      username: 'nybrevlada',
      displayName: 'Ny',
      unitId: unit.id,
      ...change,
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });
});

describe('PATCH /api/admin/mailboxes/{id}', () => {
  async function setup() {
    const { person, cookie } = await admin();
    const from = await seedUnit('Hemtjänst Åby');
    const to = await seedUnit('Berga boende');
    const mailbox = await seedMailbox({ unitId: from.id, displayName: 'Åby' });
    return { person, cookie, from, to, mailbox };
  }

  function patch(cookie: string, id: string, body: unknown) {
    return send(`/api/admin/mailboxes/${id}`, 'PATCH', cookie, body);
  }

  it('renames the mailbox and answers with its summary', async () => {
    const { cookie, mailbox, from } = await setup();
    const res = await patch(cookie, mailbox.id, { displayName: 'Åby natt' });
    expect(res.status).toBe(200);
    const summary = v.parse(MailboxSummaryWithUnit, await res.json());
    expect(summary).toMatchObject({
      id: mailbox.id,
      displayName: 'Åby natt',
      unitId: from.id,
      unitName: 'Hemtjänst Åby',
      disabled: false,
    });
    const [entry] = (await auditRows()).filter((r) => r.action === 'mailbox.rename');
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ displayName: 'Åby natt', previous: 'Åby' });
  });

  it('moves the mailbox and writes the move into both units’ trails', async () => {
    const { person, cookie, mailbox, from, to } = await setup();
    const res = await patch(cookie, mailbox.id, { unitId: to.id });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ unitId: to.id, unitName: 'Berga boende' });
    expect((await mailboxRow(mailbox.id))?.unit_id).toBe(to.id);
    const { results } = await env.DB.prepare(
      "SELECT actor, target, unit_id, detail FROM audit WHERE action = 'mailbox.move' ORDER BY id",
    ).all<{ actor: string; target: string; unit_id: string; detail: string }>();
    expect(results.map((r) => r.unit_id)).toEqual([from.id, to.id]);
    for (const row of results) {
      expect(row.actor).toBe(`person:${person.id}`);
      expect(row.target).toBe(`mailbox:${mailbox.id}`);
      expect(JSON.parse(row.detail)).toEqual({ from: from.id, to: to.id });
    }
  });

  it('disables the mailbox: its sessions end and it cannot log in; enabling undoes it', async () => {
    const { cookie, mailbox } = await setup();
    const session = await login(mailbox);
    expect((await call('/api/mailbox', { cookie: session })).status).toBe(200);

    const res = await patch(cookie, mailbox.id, { disabled: true });
    expect(res.status).toBe(200);
    expect((await json(res)).disabled).toBe(true);
    expect((await mailboxRow(mailbox.id))?.disabled_at).toEqual(expect.any(Number));
    expect((await call('/api/mailbox', { cookie: session })).status).toBe(401);
    expect((await loginCall(mailbox.username, mailbox.password)).status).toBe(401);
    const revoked = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM sessions WHERE subject_id = ? AND kind = 'mailbox' AND revoked_at IS NULL",
    )
      .bind(mailbox.id)
      .first('n');
    expect(revoked).toBe(0);

    const enabled = await patch(cookie, mailbox.id, { disabled: false });
    expect(enabled.status).toBe(200);
    expect((await json(enabled)).disabled).toBe(false);
    expect((await mailboxRow(mailbox.id))?.disabled_at).toBeNull();
    expect((await loginCall(mailbox.username, mailbox.password)).status).toBe(200);
    const actions = (await auditRows()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['mailbox.disable', 'mailbox.enable']));
  });

  it('writes nothing for a change that changes nothing', async () => {
    const { cookie, mailbox, from } = await setup();
    const before = await snapshot();
    const res = await patch(cookie, mailbox.id, {
      displayName: 'Åby',
      unitId: from.id,
      disabled: false,
    });
    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 404 for an unknown mailbox and 400 for an unknown unit, writing nothing', async () => {
    const { cookie, mailbox } = await setup();
    const before = await snapshot();
    expect((await patch(cookie, 'nope', { displayName: 'X' })).status).toBe(404);
    const res = await patch(cookie, mailbox.id, { unitId: 'nope', displayName: 'Ny' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).issues?.[0]?.path).toBe('unitId');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['an empty change', {}],
    ['disabled as a string', { disabled: 'true' }],
    ['an empty display name', { displayName: '' }],
    ['a null unit', { unitId: null }],
    ['a username (not changeable)', { username: 'annan' }],
  ])('refuses %s with 400 and writes nothing', async (_label, body) => {
    const { cookie, mailbox } = await setup();
    const before = await snapshot();
    const res = await patch(cookie, mailbox.id, body);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });
});
