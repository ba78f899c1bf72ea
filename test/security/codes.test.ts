import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractCode } from '../../worker/domain/codes';
import {
  call,
  json,
  latestCode,
  login,
  outbox,
  type SeededMailbox,
  seedMailbox,
  startReset,
  waitForSms,
  wrongCode,
} from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * One-time codes and reset tokens (the secret in KV, every count and use in D1): 6 digits,
 * 10 minutes, at most 5 tries, single use; the D1 row decides every race, and a code KV has
 * not seen yet answers 503 without counting an attempt.
 */

const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
const GOOD_PASSWORD = 'Tr4sig-Kanin-44';

interface Row {
  status: string;
  attempts: number;
}

async function challenge(id: string) {
  return env.DB.prepare('SELECT status, attempts FROM challenges WHERE id = ?')
    .bind(id)
    .first<Row>();
}

async function passwordHash(mailboxId: string) {
  const row = await env.DB.prepare('SELECT password_hash FROM mailboxes WHERE id = ?')
    .bind(mailboxId)
    .first<{ password_hash: string }>();
  return row?.password_hash;
}

function enterCode(id: string, code: string) {
  return call(`/api/resets/${id}/code`, { body: { code } });
}

function setPassword(id: string, token: string, newPassword: string) {
  return call(`/api/resets/${id}/password`, { body: { token, newPassword } });
}

/** A reset taken as far as the token: the right code entered. */
async function verifiedReset(mailbox: SeededMailbox) {
  const { id, code } = await startReset(mailbox);
  const res = await enterCode(id, code ?? '');
  expect(res.status).toBe(200);
  const { token } = await json<{ token: string }>(res);
  return { id, code: code ?? '', token };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('guessing a code', () => {
  it('refuses a code after five wrong tries, even the right one', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const wrong = wrongCode(code ?? '');

    const left: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await enterCode(id, wrong);
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.error).toBe('invalid_code');
      left.push(body.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);

    const sixth = await enterCode(id, wrong);
    expect(sixth.status).toBe(423);
    expect(await json(sixth)).toMatchObject({ error: 'locked' });
    const right = await enterCode(id, code ?? '');
    expect(right.status).toBe(423);
    expect(await json(right)).toMatchObject({ error: 'locked' });
    expect(await challenge(id)).toEqual({ status: 'locked', attempts: 5 });
  });

  it('lets twenty parallel right codes produce exactly one token', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const answers = await Promise.all(Array.from({ length: 20 }, () => enterCode(id, code ?? '')));
    const bodies = await Promise.all(answers.map((r) => json(r)));
    const winners = answers.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const token = bodies.find((b) => typeof b.token === 'string')?.token;
    expect(typeof token).toBe('string');
    // Everybody else is told the code is spent or locked, never a 500 or a second token.
    for (const res of answers) expect([200, 410, 423]).toContain(res.status);
    const row = await challenge(id);
    expect(row?.status).toBe('verified');
    expect(row?.attempts).toBeLessThanOrEqual(5);
    // The one token handed out works.
    const set = await setPassword(id, String(token), GOOD_PASSWORD);
    expect(set.status).toBe(204);
  });

  it('never counts more than five of twenty parallel wrong guesses', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const wrong = wrongCode(code ?? '');
    const answers = await Promise.all(Array.from({ length: 20 }, () => enterCode(id, wrong)));
    const bodies = await Promise.all(answers.map((r) => json(r)));

    const refused = bodies.filter((b) => b.error === 'invalid_code');
    const locked = bodies.filter((b) => b.error === 'locked');
    expect(refused.length).toBeLessThanOrEqual(5);
    expect(refused.length + locked.length).toBe(20);
    expect(answers.filter((r) => r.status === 400)).toHaveLength(refused.length);
    expect(answers.filter((r) => r.status === 423)).toHaveLength(locked.length);
    // Each counted guess got its own place in the count.
    const left = refused.map((b) => b.attemptsLeft);
    expect(new Set(left).size).toBe(left.length);

    const row = await challenge(id);
    expect(row?.attempts).toBeLessThanOrEqual(5);
    expect(row?.status).toBe('locked');
  });
});

describe('single use', () => {
  it('accepts a code once: the second time it has expired', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    expect((await enterCode(id, code ?? '')).status).toBe(200);
    const again = await enterCode(id, code ?? '');
    expect(again.status).toBe(410);
    expect(await json(again)).toMatchObject({ error: 'expired' });
    expect(await challenge(id)).toEqual({ status: 'verified', attempts: 1 });
  });

  it('accepts a reset token once: the second password is refused and not saved', async () => {
    const mailbox = await seedMailbox();
    const { id, token } = await verifiedReset(mailbox);
    expect((await setPassword(id, token, GOOD_PASSWORD)).status).toBe(204);
    const hashAfterFirst = await passwordHash(mailbox.id);

    const again = await setPassword(id, token, 'Annat-Nytt-Ord-77');
    expect(again.status).toBe(410);
    expect(await json(again)).toMatchObject({ error: 'expired' });
    expect(await passwordHash(mailbox.id)).toBe(hashAfterFirst);
    expect((await challenge(id))?.status).toBe('used');
  });

  it('sets the password only once when the same token is sent twice at the same time', async () => {
    const mailbox = await seedMailbox();
    const { id, token } = await verifiedReset(mailbox);
    const [a, b] = await Promise.all([
      setPassword(id, token, 'Forsta-Ordet-11'),
      setPassword(id, token, 'Andra-Ordet-22'),
    ]);
    const statuses = [a?.status, b?.status].sort();
    expect(statuses).toEqual([204, 410]);

    // Exactly one new password landed, with one history entry besides the seeded one.
    const history = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM password_history WHERE mailbox_id = ?',
    )
      .bind(mailbox.id)
      .first<{ n: number }>();
    expect(history?.n).toBe(2);
    const winner = a?.status === 204 ? 'Forsta-Ordet-11' : 'Andra-Ordet-22';
    const loser = a?.status === 204 ? 'Andra-Ordet-22' : 'Forsta-Ordet-11';
    await login({ ...mailbox, password: winner });
    const other = await call('/api/mailbox/session', {
      body: { username: mailbox.username, password: loser },
    });
    expect(other.status).toBe(401);
  });
});

describe('expiry and timing of codes', () => {
  it('refuses the right code after 10 minutes without counting an attempt', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);

    vi.setSystemTime(T0 + 600_000);
    const res = await enterCode(id, code ?? '');
    expect(res.status).toBe(410);
    expect(await json(res)).toMatchObject({ error: 'expired' });
    expect(await challenge(id)).toEqual({ status: 'pending', attempts: 0 });
  });

  it('refuses a resend before 3 minutes and says how many seconds are left', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const mailbox = await seedMailbox();
    const { id } = await startReset(mailbox);

    vi.setSystemTime(T0 + 100_000);
    const res = await call(`/api/resets/${id}/resend`, { method: 'POST' });
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('80');
    expect(await json(res)).toMatchObject({ error: 'rate_limited', retryAfter: 80 });
    // Nothing was sent again.
    expect(await waitForSms(mailbox.phone ?? '')).toHaveLength(1);
  });

  it('resends the same code after 3 minutes, and that code still works', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);

    vi.setSystemTime(T0 + 180_000);
    const res = await call(`/api/resets/${id}/resend`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ resendAfter: new Date(T0 + 360_000).toISOString() });

    const sms = await waitForSms(mailbox.phone ?? '', 2);
    expect(sms).toHaveLength(2);
    const codes = sms.map((m) => extractCode(m.body));
    expect(codes).toEqual([code, code]);
    expect((await enterCode(id, code ?? '')).status).toBe(200);
  });

  it('answers 503 retry_later without counting when KV has not seen the code yet', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const key = `code:${id}`;
    const secret = await env.CODES.get(key);
    expect(secret).not.toBeNull();
    await env.CODES.delete(key);

    const res = await enterCode(id, code ?? '');
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await json(res)).toMatchObject({ error: 'retry_later' });
    expect(await challenge(id)).toEqual({ status: 'pending', attempts: 0 });

    await env.CODES.put(key, secret ?? '', { expirationTtl: 600 });
    const later = await enterCode(id, code ?? '');
    expect(later.status).toBe(200);
    expect(await challenge(id)).toEqual({ status: 'verified', attempts: 1 });
  });

  it('counts a guess made while KV lags against neither the reset nor the name’s day', async () => {
    // The secret was written at another PoP and has not reached this one: the code cannot
    // be compared, so it costs the person nothing, however often they send it.
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const key = `code:${id}`;
    const secret = await env.CODES.get(key);
    await env.CODES.delete(key);
    const failedToday = () =>
      env.DB.prepare(
        "SELECT COALESCE(SUM(count), 0) AS n FROM counters WHERE key LIKE 'reset:failed_codes:%'",
      ).first<number>('n');
    const wrongAttempts = () =>
      env.DB.prepare(
        "SELECT COUNT(*) AS n FROM audit WHERE action = 'reset.code' AND outcome = 'failure'",
      ).first<number>('n');

    for (const guess of [wrongCode(code ?? ''), code ?? '', wrongCode(code ?? '')]) {
      const res = await enterCode(id, guess);
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(await json(res)).toMatchObject({ error: 'retry_later' });
    }
    expect(await challenge(id)).toEqual({ status: 'pending', attempts: 0 });
    expect(await failedToday()).toBe(0);
    expect(await wrongAttempts()).toBe(0);

    await env.CODES.put(key, secret ?? '', { expirationTtl: 600 });
    const wrong = await enterCode(id, wrongCode(code ?? ''));
    expect(wrong.status).toBe(400);
    expect(await json(wrong)).toMatchObject({ error: 'invalid_code', attemptsLeft: 4 });
    expect(await failedToday()).toBe(1);
  });
});

describe('reset tokens', () => {
  it("refuses reset A's token on reset B and leaves B usable", async () => {
    const a = await seedMailbox({ phone: '+46701111111' });
    const b = await seedMailbox({ phone: '+46702222222' });
    const resetA = await verifiedReset(a);
    const resetB = await verifiedReset(b);
    const hashA = await passwordHash(a.id);
    const hashB = await passwordHash(b.id);

    const crossed = await setPassword(resetB.id, resetA.token, GOOD_PASSWORD);
    expect(crossed.status).toBe(401);
    expect(await json(crossed)).toMatchObject({ error: 'invalid_token' });
    expect((await challenge(resetB.id))?.status).toBe('verified');
    expect((await challenge(resetA.id))?.status).toBe('verified');
    expect(await passwordHash(a.id)).toBe(hashA);
    expect(await passwordHash(b.id)).toBe(hashB);

    expect((await setPassword(resetB.id, resetB.token, GOOD_PASSWORD)).status).toBe(204);
    expect(await passwordHash(b.id)).not.toBe(hashB);
  });

  it('refuses a token with a wrong value', async () => {
    const mailbox = await seedMailbox();
    const { id, token } = await verifiedReset(mailbox);
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const before = await passwordHash(mailbox.id);
    const res = await setPassword(id, forged, GOOD_PASSWORD);
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ error: 'invalid_token' });
    expect(await passwordHash(mailbox.id)).toBe(before);
    expect((await challenge(id))?.status).toBe('verified');
  });

  it('refuses to set a password before the code was entered', async () => {
    const mailbox = await seedMailbox();
    const { id } = await startReset(mailbox);
    const before = await passwordHash(mailbox.id);
    const res = await setPassword(id, 'a'.repeat(43), GOOD_PASSWORD);
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ error: 'invalid_token' });
    expect(await passwordHash(mailbox.id)).toBe(before);
    expect(await challenge(id)).toEqual({ status: 'pending', attempts: 0 });
  });
});

describe('the new password of a reset', () => {
  it.each([
    ['abc', 'too_short'],
    ['Hemvard#2026', 'reused'],
    ['Sommar2026!', 'common'],
  ])('refuses %s as %s and keeps the reset open', async (newPassword, violation) => {
    const mailbox = await seedMailbox({ password: 'Hemvard#2026' });
    const { id, token } = await verifiedReset(mailbox);
    const before = await passwordHash(mailbox.id);

    const res = await setPassword(id, token, newPassword);
    expect(res.status).toBe(422);
    const body = await json<{ error: string; violations: string[] }>(res);
    expect(body.error).toBe('policy');
    expect(body.violations).toContain(violation);
    expect(await passwordHash(mailbox.id)).toBe(before);
    expect((await challenge(id))?.status).toBe('verified');

    // Nothing was spent: the same token still sets an acceptable password.
    expect((await setPassword(id, token, GOOD_PASSWORD)).status).toBe(204);
  });

  it('ends every session of the mailbox and clears its login lockout', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    expect((await call('/api/mailbox', { cookie })).status).toBe(200);

    for (let i = 0; i < 5; i++) {
      const res = await call('/api/mailbox/session', {
        body: { username: mailbox.username, password: 'Fel-Losenord-9' },
      });
      expect(res.status).toBe(401);
    }
    const locked = await call('/api/mailbox/session', {
      body: { username: mailbox.username, password: mailbox.password },
    });
    expect(locked.status).toBe(423);

    const { id, token } = await verifiedReset(mailbox);
    expect((await setPassword(id, token, GOOD_PASSWORD)).status).toBe(204);

    const old = await call('/api/mailbox', { cookie });
    expect(old.status).toBe(401);
    expect(await json(old)).toMatchObject({ error: 'unauthorized' });
    const live = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM sessions WHERE subject_id = ? AND revoked_at IS NULL',
    )
      .bind(mailbox.id)
      .first<{ n: number }>();
    expect(live?.n).toBe(0);
    const failures = await env.DB.prepare('SELECT COUNT(*) AS n FROM login_failures').first<{
      n: number;
    }>();
    expect(failures?.n).toBe(0);

    // The lockout is gone: the new password logs in at once.
    await login({ ...mailbox, password: GOOD_PASSWORD });
  });
});

describe('codes and tokens are bound to their purpose', () => {
  const OLD_PHONE = '+46701234567';
  const NEW_PHONE = '+46709876543';

  /** A mailbox whose session asked for NEW_PHONE, and a reset sent to OLD_PHONE. */
  async function both() {
    const mailbox = await seedMailbox({ phone: OLD_PHONE });
    const cookie = await login(mailbox);
    const asked = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: NEW_PHONE },
      cookie,
    });
    expect(asked.status).toBe(202);
    const [phoneSms] = await waitForSms(NEW_PHONE);
    const phoneCode = extractCode(phoneSms?.body ?? '') ?? '';
    const reset = await startReset(mailbox);
    expect(reset.code).not.toBe(phoneCode);
    const phoneChallenge = await env.DB.prepare(
      "SELECT id FROM challenges WHERE purpose = 'phone' AND mailbox_id = ?",
    )
      .bind(mailbox.id)
      .first<{ id: string }>();
    return { mailbox, cookie, phoneCode, reset, phoneId: phoneChallenge?.id ?? '' };
  }

  it('refuses the phone-registration code as a reset code, and both stay usable', async () => {
    const { mailbox, cookie, phoneCode, reset, phoneId } = await both();
    const before = await passwordHash(mailbox.id);
    const res = await enterCode(reset.id, phoneCode);
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: 'invalid_code', attemptsLeft: 4 });
    expect(await challenge(reset.id)).toEqual({ status: 'pending', attempts: 1 });
    expect(await challenge(phoneId)).toEqual({ status: 'pending', attempts: 0 });
    expect(await passwordHash(mailbox.id)).toBe(before);

    // The reset still takes its own code; the phone code still registers the number.
    expect((await enterCode(reset.id, reset.code ?? '')).status).toBe(200);
    const confirmed = await call('/api/mailbox/phone/verify', {
      body: { code: phoneCode },
      cookie,
    });
    expect(confirmed.status).toBe(200);
    expect(await json(confirmed)).toEqual({ phone: NEW_PHONE });
  });

  it('treats a phone challenge id as no reset at all, on every reset route', async () => {
    const { phoneCode, phoneId } = await both();
    const code = await enterCode(phoneId, phoneCode);
    expect(code.status).toBe(410);
    expect(await json(code)).toMatchObject({ error: 'expired' });
    const resend = await call(`/api/resets/${phoneId}/resend`, { method: 'POST' });
    expect(resend.status).toBe(410);
    const set = await setPassword(phoneId, 'a'.repeat(43), GOOD_PASSWORD);
    expect([401, 410]).toContain(set.status);
    expect(await challenge(phoneId)).toEqual({ status: 'pending', attempts: 0 });
  });

  it('accepts a reset token only for setting that reset’s password', async () => {
    const mailbox = await seedMailbox();
    const { id, token } = await verifiedReset(mailbox);
    const before = await passwordHash(mailbox.id);

    const attempts: [string, Promise<Response>][] = [
      ['as a mailbox session', call('/api/mailbox', { cookie: `__Host-nyckel_mailbox=${token}` })],
      [
        'as a mailbox session for a phone change',
        call('/api/mailbox/phone', {
          method: 'PUT',
          body: { phone: '070-987 65 43' },
          cookie: `__Host-nyckel_mailbox=${token}`,
        }),
      ],
      [
        'as a mailbox session for a password change',
        call('/api/mailbox/password', {
          body: { currentPassword: mailbox.password, newPassword: GOOD_PASSWORD },
          cookie: `__Host-nyckel_mailbox=${token}`,
        }),
      ],
      [
        'as a person session',
        call('/api/manager/overview', { cookie: `__Host-nyckel_person=${token}` }),
      ],
      [
        'as a service token',
        call('/api/integration/mailboxes/verify', {
          body: { username: mailbox.username, password: mailbox.password },
          headers: { Authorization: `Bearer ${token}` },
        }),
      ],
      [
        'to list staff before the password is set',
        call(`/api/resets/${id}/staff`, { body: { token } }),
      ],
    ];
    for (const [label, pending] of attempts) {
      const res = await pending;
      expect(res.status, label).toBe(401);
    }
    // As a code it is not even a code.
    expect((await enterCode(id, token)).status).toBe(400);
    expect(await passwordHash(mailbox.id)).toBe(before);
    expect((await challenge(id))?.status).toBe('verified');
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions').first<{ n: number }>())?.n,
    ).toBe(0);

    // None of that spent it: it still sets the password, once.
    expect((await setPassword(id, token, GOOD_PASSWORD)).status).toBe(204);
  });
});

describe('a reset begun before the number or the password changed', () => {
  /** A reset started while the mailbox had its first number, with its code. */
  async function resetOnOldNumber(phone: string) {
    const mailbox = await seedMailbox({ phone });
    const { id, code } = await startReset(mailbox);
    return { mailbox, id, code: code ?? '' };
  }

  /** The owner, signed in, moves the mailbox to `newPhone` with the code sent there. */
  async function moveNumber(mailbox: SeededMailbox, newPhone: string) {
    const cookie = await login(mailbox);
    const asked = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: newPhone },
      cookie,
    });
    expect(asked.status).toBe(202);
    const code = await latestCode(newPhone);
    const confirmed = await call('/api/mailbox/phone/verify', { body: { code }, cookie });
    expect(confirmed.status).toBe(200);
    return cookie;
  }

  const enter = (id: string, code: string) => call(`/api/resets/${id}/code`, { body: { code } });
  const complete = (id: string, token: string) =>
    call(`/api/resets/${id}/password`, { body: { token, newPassword: 'Stulen-Telefon-77' } });

  it('refuses the code sent to a number the owner has since replaced, and sends it there no more', async () => {
    const { mailbox, id, code } = await resetOnOldNumber('+46701230001');
    await moveNumber(mailbox, '+46701239001');
    expect((await enter(id, code)).status).toBe(410);
    await env.DB.prepare('UPDATE challenges SET resend_after = 0 WHERE id = ?').bind(id).run();
    expect((await call(`/api/resets/${id}/resend`, { body: {} })).status).toBe(410);
    const toOld = (await outbox()).filter((m) => m.to === '+46701230001');
    expect(toOld.filter((m) => extractCode(m.body) === code)).toHaveLength(1);
  });

  it('refuses to complete a verified reset after the number changed', async () => {
    const { mailbox, id, code } = await resetOnOldNumber('+46701230002');
    const { token } = await json<{ token: string }>(await enter(id, code));
    await moveNumber(mailbox, '+46701239002');
    expect((await complete(id, token)).status).toBe(410);
    expect(
      (
        await call('/api/mailbox/session', {
          body: { username: mailbox.username, password: mailbox.password },
        })
      ).status,
    ).toBe(200);
  });

  it('refuses to complete a verified reset after the owner changed the password', async () => {
    const { mailbox, id, code } = await resetOnOldNumber('+46701230003');
    const { token } = await json<{ token: string }>(await enter(id, code));
    const cookie = await login(mailbox);
    const changed = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: 'Agarens-Eget-88' },
      cookie,
    });
    expect(changed.status).toBe(204);
    expect((await complete(id, token)).status).toBe(410);
    expect(
      (
        await call('/api/mailbox/session', {
          body: { username: mailbox.username, password: 'Agarens-Eget-88' },
        })
      ).status,
    ).toBe(200);
  });

  it('refuses a reset started before a reset on behalf by the manager', async () => {
    const unit = await seedUnit();
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    const mailbox = await seedMailbox({ unitId: unit.id, phone: '+46701230004' });
    const { id, code } = await startReset(mailbox);
    const onBehalf = await call(`/api/manager/mailboxes/${mailbox.id}/password`, {
      cookie: await personCookie(manager.id),
      body: { password: 'Chefens-Val-2026' },
    });
    expect(onBehalf.status).toBe(200);
    expect((await enter(id, code ?? '')).status).toBe(410);
  });
});
