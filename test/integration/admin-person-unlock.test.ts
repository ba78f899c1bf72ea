import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdminPersonDetail } from '../../worker/routes/admin.schemas';
import { auditRows, call, json } from '../helpers';
import { codeAt, enrolTotp } from '../people-auth-helpers';
import { personCookie, seedInvite, seedPerson, seedUnit } from '../people-helpers';

/*
 * An administrator unlocks a person's sign-in with a code: guesses from one network lock that
 * network out of the person's key (login_failures `person:<e-mail>|<network>`); the
 * administrator sees the lock on the person's page, from whichever network it is, and the
 * unlock clears every lock and count of the key, from every network, with an audit entry.
 */

/** Mid-step, so a test's own few seconds never cross a 30-second TOTP boundary. */
const T0 = Date.UTC(2026, 4, 4, 8, 0, 10);
const GUESSER = '203.0.113.66';
const ELSEWHERE = '192.0.2.44';
const EMAIL = 'anna.berg@example.se';

afterEach(() => {
  vi.useRealTimers();
});

function freezeClock(at = T0) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

function moveClock(seconds: number) {
  vi.setSystemTime(Date.now() + seconds * 1000);
}

async function admin(options: { verifiedAgoSeconds?: number } = {}) {
  const person = await seedPerson({ isAdmin: true, name: 'Ada Admin', email: 'ada@example.se' });
  return { person, cookie: await personCookie(person.id, options) };
}

/** Anna, enrolled with TOTP; the clock moved on a step so her next code is not a replay. */
async function enrolled() {
  freezeClock();
  const person = await seedPerson({ name: 'Anna Berg', email: EMAIL });
  const { res, secret } = await enrolTotp(await seedInvite(person.id));
  expect(res.status).toBe(200);
  moveClock(30);
  return { person, secret };
}

function signIn(code: string, ip: string) {
  return call('/api/people/session/totp', { body: { email: EMAIL, code }, ip });
}

/** Five wrong codes from GUESSER lock that network out; two from ELSEWHERE only count. */
async function lockedOut(secret: string) {
  const wrong = codeAt(secret, 5);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await signIn(wrong, GUESSER)).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401]);
  expect((await signIn(codeAt(secret), GUESSER)).status).toBe(423);
  for (let i = 0; i < 2; i++) expect((await signIn(wrong, ELSEWHERE)).status).toBe(401);
}

async function keyRows() {
  const { results } = await env.DB.prepare(
    `SELECT username, failures, locked_until FROM login_failures
     WHERE username = ?1 OR username LIKE ?1 || '|%' ORDER BY username`,
  )
    .bind(`person:${EMAIL}`)
    .all<{ username: string; failures: number; locked_until: number | null }>();
  return results;
}

async function detail(id: string, cookie: string) {
  const res = await call(`/api/admin/people/${id}`, { cookie });
  expect(res.status).toBe(200);
  return v.parse(AdminPersonDetail, await res.json());
}

function unlock(id: string, cookie: string | null, headers?: Record<string, string>) {
  return call(`/api/admin/people/${id}/unlock`, {
    method: 'POST',
    cookie,
    body: {},
    ...(headers ? { headers } : {}),
  });
}

describe("an administrator unlocks a person's sign-in", () => {
  it('sees the lock, clears it from every network, audits it, and the person signs in', async () => {
    const { person, secret } = await enrolled();
    const { person: ada, cookie } = await admin();
    await lockedOut(secret);
    const lockedAt = Math.floor(Date.now() / 1000);
    // Someone else's rows stay as they are.
    await env.DB.prepare(
      `INSERT INTO login_failures (username, failures, locked_until, updated_at, checking)
       VALUES ('person:bo@example.se|v4:${GUESSER}', 5, ?1, ?2, 0),
              ('person:${EMAIL}x|v4:${GUESSER}', 5, ?1, ?2, 0)`,
    )
      .bind(lockedAt + 900, lockedAt)
      .run();
    expect((await keyRows()).map((r) => r.username)).toEqual([
      `person:${EMAIL}`,
      `person:${EMAIL}|v4:${ELSEWHERE}`,
      `person:${EMAIL}|v4:${GUESSER}`,
    ]);

    // Locked only from the guesser's network, and still shown as locked.
    const before = await detail(person.id, cookie);
    expect(before).toMatchObject({ id: person.id, email: EMAIL, enrolled: true });
    expect(Date.parse(before.signInLockedUntil ?? '')).toBe((lockedAt + 900) * 1000);

    const res = await unlock(person.id, cookie);
    expect(res.status).toBe(204);
    expect(await keyRows()).toEqual([]);
    const others = await env.DB.prepare('SELECT COUNT(*) AS n FROM login_failures').first('n');
    expect(others).toBe(2);
    expect((await detail(person.id, cookie)).signInLockedUntil).toBeNull();

    const audit = (await auditRows()).filter((r) => r.action === 'person.unlock');
    expect(audit).toEqual([
      expect.objectContaining({
        actor: `person:${ada.id}`,
        target: `person:${person.id}`,
        outcome: 'success',
        detail: JSON.stringify({ wasLocked: true }),
      }),
    ]);

    // The right code from the network that was locked out now signs in.
    const signedIn = await signIn(codeAt(secret), GUESSER);
    expect(signedIn.status).toBe(200);
    expect(await json(signedIn)).toMatchObject({ id: person.id, method: 'totp' });
  });

  it('answers 204 for a person who is not locked, and the entry says nothing was', async () => {
    const person = await seedPerson({ email: EMAIL });
    const { cookie } = await admin();
    expect((await detail(person.id, cookie)).signInLockedUntil).toBeNull();
    expect((await unlock(person.id, cookie)).status).toBe(204);
    expect((await unlock(person.id, cookie)).status).toBe(204);
    const audit = (await auditRows()).filter((r) => r.action === 'person.unlock');
    expect(audit.map((r) => r.detail)).toEqual([
      JSON.stringify({ wasLocked: false }),
      JSON.stringify({ wasLocked: false }),
    ]);
  });

  it('answers 404 for an unknown person', async () => {
    const { cookie } = await admin();
    expect((await call('/api/admin/people/no-such-person', { cookie })).status).toBe(404);
    const res = await unlock('no-such-person', cookie);
    expect(res.status).toBe(404);
    expect((await json(res)).error).toBe('not_found');
    expect((await auditRows()).filter((r) => r.action === 'person.unlock')).toEqual([]);
  });

  it('refuses a manager (403) and leaves the lock', async () => {
    const { person, secret } = await enrolled();
    await lockedOut(secret);
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const cookie = await personCookie(manager.id);
    const read = await call(`/api/admin/people/${person.id}`, { cookie });
    expect(read.status).toBe(403);
    const res = await unlock(person.id, cookie);
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('forbidden');
    expect(await keyRows()).toHaveLength(3);
  });

  it('refuses a caller without a session (401)', async () => {
    const person = await seedPerson({ email: EMAIL });
    expect((await unlock(person.id, null)).status).toBe(401);
  });

  it('refuses a cross-site request (403 forbidden_origin) and leaves the lock', async () => {
    const { person, secret } = await enrolled();
    await lockedOut(secret);
    const { cookie } = await admin();
    const res = await unlock(person.id, cookie, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('forbidden_origin');
    const site = await call(`/api/admin/people/${person.id}/unlock`, {
      method: 'POST',
      cookie,
      body: {},
      headers: { Origin: 'https://nyckel.test.evil.example' },
    });
    expect(site.status).toBe(403);
    expect(await keyRows()).toHaveLength(3);
    expect((await auditRows()).filter((r) => r.action === 'person.unlock')).toEqual([]);
  });

  it('asks for a fresh sign-in first (403 step_up_required) and leaves the lock', async () => {
    const { person, secret } = await enrolled();
    await lockedOut(secret);
    const { cookie } = await admin({ verifiedAgoSeconds: 11 * 60 });
    const res = await unlock(person.id, cookie);
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('step_up_required');
    expect(await keyRows()).toHaveLength(3);
    // Reading the lock needs no fresh sign-in.
    expect((await detail(person.id, cookie)).signInLockedUntil).not.toBeNull();
  });

  it('reads the lock of the e-mail the person has now', async () => {
    const { person, secret } = await enrolled();
    await lockedOut(secret);
    const { cookie } = await admin();
    await env.DB.prepare('UPDATE people SET email = ? WHERE id = ?')
      .bind('anna.lind@example.se', person.id)
      .run();
    expect((await detail(person.id, cookie)).signInLockedUntil).toBeNull();
  });
});
