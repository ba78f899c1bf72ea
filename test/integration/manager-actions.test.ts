import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { characterClasses, checkPassword, DEFAULT_POLICY } from '../../worker/domain/policy';
import { ResetOnBehalfResult } from '../../worker/routes/manager.schemas';
import { backgroundSettled } from '../../worker/services/deps';
import {
  auditRows,
  call,
  json,
  login,
  outbox,
  type SeededMailbox,
  seedMailbox,
  snapshot,
} from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * What a manager or delegate does to a mailbox: unlock it without
 * resetting it, and reset its password on the staff's behalf (typed or generated, shown
 * once), with a fresh sign-in, the same policy as self-service, every session ended and the
 * unit told by e-mail, never with the password.
 */

const SLOW_TEST_MS = 60_000;
const NEW_PASSWORD = 'Vinter-Kanel-47';

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
  const managerB = await seedPerson({
    name: 'Berit Chef',
    email: 'berit.chef@example.se',
    roles: { [unitB.id]: 'manager' },
  });
  const admin = await seedPerson({ name: 'Ada Admin', email: 'ada@example.se', isAdmin: true });
  const mailbox = await seedMailbox({ unitId: unitA.id, displayName: 'Hemtjänst Åby' });
  const other = await seedMailbox({ unitId: unitB.id });
  return { unitA, unitB, manager, delegate, managerB, admin, mailbox, other };
}

async function lock(username: string, until = now() + 900) {
  await env.DB.prepare(
    'INSERT INTO login_failures (username, failures, locked_until, updated_at) VALUES (?, 5, ?, ?)',
  )
    .bind(username, until, now())
    .run();
}

async function lockRow(username: string) {
  return env.DB.prepare('SELECT * FROM login_failures WHERE username = ?').bind(username).first();
}

async function passwordHash(mailboxId: string) {
  const row = await env.DB.prepare('SELECT password_hash FROM mailboxes WHERE id = ?')
    .bind(mailboxId)
    .first<{ password_hash: string }>();
  return row?.password_hash;
}

async function canLogIn(mailbox: SeededMailbox, password: string) {
  const res = await call('/api/mailbox/session', {
    body: { username: mailbox.username, password },
  });
  return res.status === 200;
}

function unlock(mailboxId: string, cookie: string, body: unknown = {}) {
  return call(`/api/manager/mailboxes/${encodeURIComponent(mailboxId)}/unlock`, { cookie, body });
}

function reset(mailboxId: string, cookie: string, body: unknown = {}) {
  return call(`/api/manager/mailboxes/${encodeURIComponent(mailboxId)}/password`, {
    cookie,
    body,
  });
}

async function mails() {
  await backgroundSettled();
  return (await outbox()).filter((m) => m.to.includes('@'));
}

describe('unlocking a mailbox', () => {
  it('ends the lockout without touching the password, and says so in the audit', async () => {
    const { manager, mailbox, unitA } = await world();
    await lock(mailbox.username);
    const hash = await passwordHash(mailbox.id);
    expect(await canLogIn(mailbox, mailbox.password)).toBe(false);
    const res = await unlock(mailbox.id, await personCookie(manager.id));
    expect(res.status).toBe(204);
    expect(await lockRow(mailbox.username)).toBeNull();
    expect(await passwordHash(mailbox.id)).toBe(hash);
    const entry = (await auditRows()).find((r) => r.action === 'mailbox.unlock');
    expect(entry).toMatchObject({
      actor: `person:${manager.id}`,
      target: `mailbox:${mailbox.id}`,
      ip: '198.51.100.7',
      outcome: 'success',
      detail: JSON.stringify({ wasLocked: true }),
    });
    const unit = await env.DB.prepare(
      "SELECT unit_id FROM audit WHERE action = 'mailbox.unlock'",
    ).first<{ unit_id: string }>();
    expect(unit?.unit_id).toBe(unitA.id);
    expect(await canLogIn(mailbox, mailbox.password)).toBe(true);
  });

  it('lets a delegate unlock, and needs no fresh sign-in for it', async () => {
    const { delegate, mailbox } = await world();
    await lock(mailbox.username);
    const res = await unlock(
      mailbox.id,
      await personCookie(delegate.id, { verifiedAgoSeconds: 11 * 60 }),
    );
    expect(res.status).toBe(204);
    expect(await lockRow(mailbox.username)).toBeNull();
  });

  it('answers 204 for a mailbox that was not locked', async () => {
    const { manager, mailbox } = await world();
    expect((await unlock(mailbox.id, await personCookie(manager.id))).status).toBe(204);
    const entry = (await auditRows()).find((r) => r.action === 'mailbox.unlock');
    expect(entry?.detail).toBe(JSON.stringify({ wasLocked: false }));
  });

  it("answers 404 for another unit's mailbox and unlocks nothing", async () => {
    const { manager, delegate, other } = await world();
    await lock(other.username);
    for (const person of [manager, delegate]) {
      const cookie = await personCookie(person.id);
      const before = await snapshot();
      for (const id of [other.id, 'no-such-mailbox']) {
        const res = await unlock(id, cookie);
        expect(res.status, id).toBe(404);
        // Even a malformed body: the answer to a stranger does not depend on it.
        expect((await unlock(id, cookie, { force: true })).status, id).toBe(404);
      }
      expect(await snapshot()).toEqual(before);
    }
  });

  it.each([
    ['a field', { force: true }],
    ['an array', []],
    ['a string', 'unlock'],
  ])('refuses a body with %s (400) and writes nothing', async (_label, body) => {
    const { manager, mailbox } = await world();
    await lock(mailbox.username);
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await unlock(mailbox.id, cookie, body);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_request');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a cross-site request', async () => {
    const { manager, mailbox } = await world();
    await lock(mailbox.username);
    const res = await call(`/api/manager/mailboxes/${mailbox.id}/unlock`, {
      cookie: await personCookie(manager.id),
      body: {},
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await lockRow(mailbox.username)).not.toBeNull();
  });
});

describe('resetting a password on behalf of the staff', () => {
  it(
    'sets a typed password, ends every session of the mailbox and clears its lockout',
    async () => {
      const { manager, mailbox } = await world();
      const mailboxCookie = await login(mailbox);
      await lock(mailbox.username);
      const res = await reset(mailbox.id, await personCookie(manager.id), {
        password: NEW_PASSWORD,
      });
      expect(res.status).toBe(200);
      const body = v.parse(ResetOnBehalfResult, await json(res));
      expect(body.generated).toBeNull();
      const changedAt = Date.parse(body.passwordChangedAt) / 1000;
      expect(Math.abs(changedAt - now())).toBeLessThan(5);
      expect(Date.parse(body.passwordExpiresAt) / 1000).toBe(changedAt + 90 * 86_400);
      expect((await call('/api/mailbox', { cookie: mailboxCookie })).status).toBe(401);
      expect(await lockRow(mailbox.username)).toBeNull();
      expect(await canLogIn(mailbox, mailbox.password)).toBe(false);
      expect(await canLogIn(mailbox, NEW_PASSWORD)).toBe(true);
      const entry = (await auditRows()).find((r) => r.action === 'mailbox.password.on_behalf');
      expect(entry).toMatchObject({
        actor: `person:${manager.id}`,
        target: `mailbox:${mailbox.id}`,
        outcome: 'success',
        detail: JSON.stringify({ generated: false }),
      });
    },
    SLOW_TEST_MS,
  );

  it(
    'generates a readable, policy-compliant password, shown once and stored nowhere',
    async () => {
      const { delegate, mailbox } = await world();
      const res = await reset(mailbox.id, await personCookie(delegate.id));
      expect(res.status).toBe(200);
      const { generated } = v.parse(ResetOnBehalfResult, await json(res));
      expect(generated).toMatch(/^[A-HJ-NP-Za-km-z2-9]{4}(-[A-HJ-NP-Za-km-z2-9]{4}){2,}$/);
      const password = generated ?? '';
      expect(checkPassword(password, DEFAULT_POLICY, { username: mailbox.username })).toEqual([]);
      expect(characterClasses(password)).toEqual({
        upper: true,
        lower: true,
        digit: true,
        special: true,
      });
      expect(await canLogIn(mailbox, password)).toBe(true);
      const everything = JSON.stringify(await snapshot());
      expect(everything).not.toContain(password);
      const entry = (await auditRows()).find((r) => r.action === 'mailbox.password.on_behalf');
      expect(entry?.detail).toBe(JSON.stringify({ generated: true }));
    },
    SLOW_TEST_MS,
  );

  it(
    "e-mails the unit's managers and delegates, without the password",
    async () => {
      const { manager, mailbox } = await world();
      const res = await reset(mailbox.id, await personCookie(manager.id), {
        password: NEW_PASSWORD,
      });
      expect(res.status).toBe(200);
      const sent = await mails();
      expect(sent.map((m) => m.to).sort()).toEqual([
        'dag.ombud@example.se',
        'maja.chef@example.se',
      ]);
      for (const mail of sent) {
        expect(mail.body).toContain(mailbox.username);
        expect(mail.body).toContain(`/chef/brevlada/${mailbox.id}`);
        expect(mail.body).toContain('Maja Chef');
        expect(mail.body).not.toContain(NEW_PASSWORD);
        expect(mail.body).not.toContain(mailbox.password);
      }
    },
    SLOW_TEST_MS,
  );

  it(
    'keeps a generated password out of the notice e-mail too',
    async () => {
      const { admin, mailbox } = await world();
      const res = await reset(mailbox.id, await personCookie(admin.id));
      expect(res.status).toBe(200);
      const { generated } = await json<{ generated: string }>(res);
      const sent = await mails();
      expect(sent).toHaveLength(2);
      for (const mail of sent) expect(mail.body).not.toContain(generated);
    },
    SLOW_TEST_MS,
  );

  it.each([
    ['too short', 'Ab1-', ['too_short']],
    ['too few classes', 'allagemenabokstaver', ['too_few_classes']],
    ['common', 'Sommar2026!', ['common']],
    ['non-ASCII', 'Blåbär-Sylt-44', ['invalid_characters']],
  ])(
    'refuses a %s password (422) and changes nothing',
    async (_label, password, violations) => {
      const { manager, mailbox } = await world();
      const hash = await passwordHash(mailbox.id);
      const res = await reset(mailbox.id, await personCookie(manager.id), { password });
      expect(res.status).toBe(422);
      const body = await json<{ error: string; violations: string[] }>(res);
      expect(body.error).toBe('policy');
      expect(body.violations).toEqual(expect.arrayContaining(violations));
      expect(await passwordHash(mailbox.id)).toBe(hash);
      const entry = (await auditRows()).find((r) => r.action === 'mailbox.password.on_behalf');
      expect(entry).toMatchObject({
        outcome: 'refused',
        detail: JSON.stringify({ result: 'policy' }),
      });
      expect(JSON.stringify(await auditRows())).not.toContain(password);
      expect(await mails()).toEqual([]);
    },
    SLOW_TEST_MS,
  );

  it(
    'refuses a password that contains the username',
    async () => {
      const { manager, mailbox } = await world();
      const res = await reset(mailbox.id, await personCookie(manager.id), {
        password: `X-${mailbox.username}-9`,
      });
      expect(res.status).toBe(422);
      expect((await json<{ violations: string[] }>(res)).violations).toContain('contains_username');
    },
    SLOW_TEST_MS,
  );

  it(
    'refuses the current password and earlier ones, exactly like self-service',
    async () => {
      const { manager, mailbox } = await world();
      const cookie = await personCookie(manager.id);
      const current = await reset(mailbox.id, cookie, { password: mailbox.password });
      expect(current.status).toBe(422);
      expect((await json<{ violations: string[] }>(current)).violations).toEqual(['reused']);
      expect((await reset(mailbox.id, cookie, { password: NEW_PASSWORD })).status).toBe(200);
      const earlier = await reset(mailbox.id, cookie, { password: mailbox.password });
      expect(earlier.status).toBe(422);
      expect((await json<{ violations: string[] }>(earlier)).violations).toEqual(['reused']);
    },
    SLOW_TEST_MS,
  );

  it('asks for a fresh sign-in after 10 minutes and writes nothing', async () => {
    const { manager, mailbox } = await world();
    const cookie = await personCookie(manager.id, { verifiedAgoSeconds: 11 * 60 });
    const before = await snapshot();
    for (const body of [{ password: NEW_PASSWORD }, {}]) {
      const res = await reset(mailbox.id, cookie, body);
      expect(res.status).toBe(403);
      expect((await json(res)).error).toBe('step_up_required');
    }
    expect(await snapshot()).toEqual(before);
  });

  it(
    'accepts a sign-in just under 10 minutes old',
    async () => {
      const { manager, mailbox } = await world();
      const cookie = await personCookie(manager.id, { verifiedAgoSeconds: 9 * 60 });
      expect((await reset(mailbox.id, cookie, { password: NEW_PASSWORD })).status).toBe(200);
    },
    SLOW_TEST_MS,
  );

  it("answers 404 for another unit's mailbox or an unknown one, whatever the body", async () => {
    const { manager, delegate, managerB, mailbox, other } = await world();
    for (const [person, id] of [
      [manager, other.id],
      [delegate, other.id],
      [managerB, mailbox.id],
      [manager, 'no-such-mailbox'],
    ] as const) {
      const cookie = await personCookie(person.id);
      const before = await snapshot();
      for (const body of [{ password: NEW_PASSWORD }, {}, { password: 42 }]) {
        const res = await reset(id, cookie, body);
        expect(res.status).toBe(404);
        expect((await json(res)).error).toBe('not_found');
      }
      expect(await snapshot()).toEqual(before);
    }
  });

  it('refuses a disabled mailbox with 409 and writes nothing', async () => {
    const { manager, mailbox } = await world();
    await env.DB.prepare('UPDATE mailboxes SET disabled_at = ? WHERE id = ?')
      .bind(now(), mailbox.id)
      .run();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await reset(mailbox.id, cookie, { password: NEW_PASSWORD });
    expect(res.status).toBe(409);
    expect((await json(res)).error).toBe('conflict');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a number', { password: 12345678 }],
    ['an empty password', { password: '' }],
    ['a password over 256 characters', { password: `Aa1-${'x'.repeat(260)}` }],
    ['null', { password: null }],
    ['an unknown field', { password: NEW_PASSWORD, generate: true }],
    ['an array', [NEW_PASSWORD]],
  ])('refuses %s (400) and writes nothing', async (_label, body) => {
    const { manager, mailbox } = await world();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await reset(mailbox.id, cookie, body);
    expect(res.status).toBe(400);
    const error = await json(res);
    expect(error.error).toBe('invalid_request');
    expect(JSON.stringify(error)).not.toContain('12345678');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not JSON (400) and writes nothing', async () => {
    const { manager, mailbox } = await world();
    const cookie = await personCookie(manager.id);
    const before = await snapshot();
    const res = await call(`/api/manager/mailboxes/${mailbox.id}/password`, {
      cookie,
      raw: '{"password": ',
    });
    expect(res.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});
