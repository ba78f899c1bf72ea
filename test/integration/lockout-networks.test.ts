import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, json, login, seedMailbox } from '../helpers';
import { codeAt, enrolTotp } from '../people-auth-helpers';
import { personCookie, seedInvite, seedPerson, seedUnit } from '../people-helpers';

/*
 * Failures throttle the one trying, not the owner: five wrong passwords from one network lock
 * that network out of the account; the owner on another network signs in as usual. Across all
 * networks an account takes a ceiling of failures an hour, then every attempt waits a growing
 * delay (never a hard lock). IPv6 counts per /64.
 */

const ATTACKER = '203.0.113.66';
const OWNER = '198.51.100.7';
const T0 = Date.UTC(2026, 4, 4, 8, 0, 10);

afterEach(() => {
  vi.useRealTimers();
});

function freezeClock(at = T0) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

function signIn(username: string, password: string, ip: string) {
  return call('/api/mailbox/session', { body: { username, password }, ip });
}

// Dozens of sign-ins each (PBKDF2 every time): more than the default five seconds on a busy machine.
describe('a mailbox password guessed from one network', { timeout: 60_000 }, () => {
  it('locks that network out, and the owner on another network still signs in', async () => {
    const mailbox = await seedMailbox();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await signIn(mailbox.username, 'Fel-1', ATTACKER)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 423]);
    // Even the right password is refused from the attacker's network...
    expect((await signIn(mailbox.username, mailbox.password, ATTACKER)).status).toBe(423);
    // ...and works from the owner's.
    const owner = await signIn(mailbox.username, mailbox.password, OWNER);
    expect(owner.status).toBe(200);
    // The owner's success clears nothing of the attacker's lock.
    expect((await signIn(mailbox.username, mailbox.password, ATTACKER)).status).toBe(423);
    // The manager sees the lock, and their unlock clears every network's.
    const { results } = await env.DB.prepare(
      'SELECT username FROM login_failures WHERE locked_until IS NOT NULL ORDER BY username',
    ).all<{ username: string }>();
    expect(results.map((r) => r.username)).toEqual([`${mailbox.username}|v4:${ATTACKER}`]);
  });

  it('counts IPv6 neighbours in one /64 as one network', async () => {
    const mailbox = await seedMailbox();
    for (let i = 0; i < 5; i++) {
      // A fresh address each time, all in 2001:db8:5:6::/64.
      const res = await signIn(mailbox.username, 'Fel-1', `2001:db8:5:6::${(i + 1).toString(16)}`);
      expect(res.status).toBe(401);
    }
    expect((await signIn(mailbox.username, 'Fel-1', '2001:db8:5:6:ffff::1')).status).toBe(423);
    // The next /64 is another network.
    expect((await signIn(mailbox.username, mailbox.password, '2001:db8:5:7::1')).status).toBe(200);
  });

  it('slows guessing spread over many networks with a growing delay, not a lock', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    // 50 failures an hour across networks is the ceiling: 10 networks, 5 each.
    for (let n = 0; n < 10; n++) {
      for (let i = 0; i < 5; i++) {
        expect((await signIn(mailbox.username, 'Fel-1', `203.0.113.${n + 1}`)).status).toBe(401);
      }
    }
    // The 51st failure is still checked, and sets the first delay: 2 seconds.
    expect((await signIn(mailbox.username, 'Fel-1', '203.0.113.100')).status).toBe(401);
    const waiting = await signIn(mailbox.username, mailbox.password, OWNER);
    expect(waiting.status).toBe(423);
    expect(await json(waiting)).toMatchObject({ error: 'locked', retryAfter: 2 });
    // After the delay the owner is in, and the count starts again.
    vi.setSystemTime(T0 + 3_000);
    expect((await signIn(mailbox.username, mailbox.password, OWNER)).status).toBe(200);
    const row = await env.DB.prepare('SELECT failures FROM login_failures WHERE username = ?')
      .bind(mailbox.username)
      .first();
    expect(row).toBeNull();
  });

  it('doubles the delay with each further failure, up to five minutes', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    let now = T0;
    const waits: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await signIn(mailbox.username, 'Fel-1', `203.0.113.${(i % 60) + 1}`);
      if (res.status === 423) {
        const { retryAfter } = await json<{ retryAfter: number }>(res);
        waits.push(retryAfter);
        now += retryAfter * 1000;
        vi.setSystemTime(now);
        i--;
        continue;
      }
      expect(res.status).toBe(401);
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300]);
  });

  it('a manager’s unlock clears the locks of every network', async () => {
    const unit = await seedUnit();
    const mailbox = await seedMailbox({ unitId: unit.id });
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    for (let i = 0; i < 5; i++) await signIn(mailbox.username, 'Fel-1', ATTACKER);
    const cookie = await personCookie(manager.id);
    const view = await call(`/api/manager/mailboxes/${mailbox.id}`, { cookie });
    expect((await json<{ lockedUntil: string | null }>(view)).lockedUntil).not.toBeNull();
    const unlocked = await call(`/api/manager/mailboxes/${mailbox.id}/unlock`, {
      body: {},
      cookie,
    });
    expect(unlocked.status).toBe(204);
    expect((await signIn(mailbox.username, mailbox.password, ATTACKER)).status).toBe(200);
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM login_failures').first<{
      n: number;
    }>();
    expect(left?.n).toBe(0);
  });

  it('a new password clears every network’s count', async () => {
    const mailbox = await seedMailbox();
    for (let i = 0; i < 5; i++) await signIn(mailbox.username, 'Fel-1', ATTACKER);
    const cookie = await login(mailbox, OWNER);
    const changed = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: 'Ny-Vinter-2027' },
      cookie,
      ip: OWNER,
    });
    expect(changed.status).toBe(204);
    expect((await signIn(mailbox.username, 'Ny-Vinter-2027', ATTACKER)).status).toBe(200);
  });
});

describe('a TOTP sign-in guessed from one network', () => {
  it('locks that network out; the person on another network signs in', async () => {
    freezeClock();
    const person = await seedPerson();
    const { secret } = await enrolTotp(await seedInvite(person.id));
    vi.setSystemTime(T0 + 30_000);
    for (let i = 0; i < 5; i++) {
      const res = await call('/api/people/session/totp', {
        body: { email: person.email, code: codeAt(secret, 5) },
        ip: ATTACKER,
      });
      expect(res.status).toBe(401);
    }
    const refused = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret) },
      ip: ATTACKER,
    });
    expect(refused.status).toBe(423);
    const owner = await call('/api/people/session/totp', {
      body: { email: person.email, code: codeAt(secret) },
      ip: OWNER,
    });
    expect(owner.status).toBe(200);
  });
});

describe('a password in either Unicode form', () => {
  it('signs in with the composed and the decomposed spelling of one password', async () => {
    // Nyckel's own policy keeps new passwords to characters every keyboard has, but a
    // password set before, or in the domain, may have "é": typed composed or decomposed.
    const composed = 'Café-Kväll-27'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const mailbox = await seedMailbox({ password: composed });
    expect((await signIn(mailbox.username, composed, OWNER)).status).toBe(200);
    expect((await signIn(mailbox.username, decomposed, OWNER)).status).toBe(200);
    expect((await signIn(mailbox.username, 'Cafe-Kvall-27', OWNER)).status).toBe(401);
  });
});
