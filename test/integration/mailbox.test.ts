import { env, SELF } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Challenge, MailboxView, PhoneSaved } from '../../worker/routes/mailbox.schemas';
import {
  auditRows,
  call,
  INTERNAL_IP,
  json,
  latestCode,
  login,
  OUTSIDE_IP,
  outbox,
  type SeededMailbox,
  seedMailbox,
  startReset,
  waitForSms,
  wrongCode,
} from '../helpers';
import { integrationCall, seedServiceToken } from '../identity-helpers';

const OLD_PHONE = '+46701234567';
const NEW_PHONE = '+46709876543';
/** Whole hour + 60 s: inside the same 15-minute and hourly counter windows for a while. */
const T0 = Date.UTC(2026, 4, 4, 8, 1, 0);
/** Tests that run dozens of PBKDF2 derivations get room on a busy machine (not an assertion). */
const SLOW_TEST_MS = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

/** Freezes the worker's clock (same isolate) at `at` milliseconds. */
function freezeClock(at = T0) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

function moveClock(seconds: number) {
  vi.setSystemTime(Date.now() + seconds * 1000);
}

interface ErrorBody {
  error: string;
  message: string;
  retryAfter?: number;
  attemptsLeft?: number;
  violations?: string[];
}

async function errorOf(res: Response): Promise<ErrorBody> {
  const body = await json<ErrorBody>(res);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  return body;
}

async function mailboxRow(id: string) {
  return env.DB.prepare(
    'SELECT phone, password_hash, password_changed_at FROM mailboxes WHERE id = ?',
  )
    .bind(id)
    .first<{ phone: string | null; password_hash: string; password_changed_at: number }>();
}

async function sessionRows(mailboxId: string) {
  const { results } = await env.DB.prepare(
    'SELECT id_hash, created_at, expires_at, revoked_at, ip FROM sessions WHERE subject_id = ? ORDER BY created_at, rowid',
  )
    .bind(mailboxId)
    .all<{
      id_hash: string;
      created_at: number;
      expires_at: number;
      revoked_at: number | null;
      ip: string | null;
    }>();
  return results;
}

async function phoneChallenges(mailboxId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, phone, status, attempts FROM challenges WHERE mailbox_id = ? AND purpose = 'phone' ORDER BY rowid",
  )
    .bind(mailboxId)
    .all<{ id: string; phone: string; status: string; attempts: number }>();
  return results;
}

async function historyCount(mailboxId: string) {
  const row = await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM password_history WHERE mailbox_id = ?',
  )
    .bind(mailboxId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

function attributes(setCookie: string): string[] {
  return setCookie.split(';').map((part) => part.trim());
}

function loginCall(username: string, password: string, ip: string | null = OUTSIDE_IP) {
  return call('/api/mailbox/session', { body: { username, password }, ip });
}

function getMailbox(cookie?: string) {
  return call('/api/mailbox', { cookie: cookie ?? null });
}

function putPhone(cookie: string | null, phone: string, ip: string = OUTSIDE_IP) {
  return call('/api/mailbox/phone', { method: 'PUT', body: { phone }, cookie, ip });
}

function verifyPhone(cookie: string | null, code: string, ip: string = OUTSIDE_IP) {
  return call('/api/mailbox/phone/verify', { body: { code }, cookie, ip });
}

function changePassword(cookie: string | null, currentPassword: string, newPassword: string) {
  return call('/api/mailbox/password', { body: { currentPassword, newPassword }, cookie });
}

describe('POST /api/mailbox/session (log in)', () => {
  it('logs in with the current password and shows the mailbox with its expiry date', async () => {
    freezeClock();
    const mailbox = await seedMailbox({ username: 'hemtjanstab', displayName: 'Hemtjänst Åby' });
    const res = await loginCall('hemtjanstab', mailbox.password);
    expect(res.status).toBe(200);
    const view = v.parse(MailboxView, await res.json());
    const changedAt = Math.floor(T0 / 1000) * 1000;
    expect(view).toEqual({
      username: 'hemtjanstab',
      displayName: 'Hemtjänst Åby',
      phone: OLD_PHONE,
      passwordChangedAt: new Date(changedAt).toISOString(),
      passwordExpiresAt: new Date(changedAt + 90 * 86_400_000).toISOString(),
      mustChange: false,
    });

    const sessions = await sessionRows(mailbox.id);
    expect(sessions).toHaveLength(1);
    const [session] = sessions;
    expect(session?.expires_at).toBe((session?.created_at ?? 0) + 900);
    expect(session?.revoked_at).toBeNull();
    expect(session?.ip).toBe(OUTSIDE_IP);
    // Only a digest of the cookie is stored.
    const cookieValue = (res.headers.get('Set-Cookie') ?? '').split(';')[0]?.split('=')[1] ?? '';
    expect(cookieValue.length).toBeGreaterThanOrEqual(32);
    expect(session?.id_hash).not.toBe(cookieValue);
    expect(session?.id_hash).not.toContain(cookieValue);
  });

  it('accepts the username in any case and with surrounding spaces', async () => {
    const mailbox = await seedMailbox({ username: 'hemvardsgruppen' });
    const res = await loginCall('  HemvardsGruppen ', mailbox.password);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'hemvardsgruppen' });
  });

  it('answers invalid_request, not a crash, for a malformed body', async () => {
    const mailbox = await seedMailbox();
    for (const [label, options] of [
      ['broken JSON', { raw: '{"username": ' }],
      ['a number as username', { body: { username: 5, password: mailbox.password } }],
      ['a missing password', { body: { username: mailbox.username } }],
      ['an unknown field', { body: { ...mailbox, extra: true } }],
    ] as const) {
      const res = await call('/api/mailbox/session', options);
      expect(res.status, label).toBe(400);
      expect((await errorOf(res)).error, label).toBe('invalid_request');
    }
    expect(await sessionRows(mailbox.id)).toHaveLength(0);
  });

  it('sets a short-lived __Host- cookie that scripts and other sites cannot use', async () => {
    const mailbox = await seedMailbox();
    const res = await loginCall(mailbox.username, mailbox.password);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('Set-Cookie') ?? '';
    const attrs = attributes(setCookie);
    expect(attrs[0]).toMatch(/^__Host-[^=]+=.+/);
    expect(attrs).toContain('HttpOnly');
    expect(attrs).toContain('Secure');
    expect(attrs).toContain('SameSite=Strict');
    expect(attrs).toContain('Path=/');
    expect(attrs).toContain('Max-Age=900');
    expect(setCookie).not.toMatch(/Domain=/i);
  });

  it('sets a cookie without Secure and without the prefix on http://localhost', async () => {
    const mailbox = await seedMailbox();
    const res = await SELF.fetch('http://localhost/api/mailbox/session', {
      method: 'POST',
      headers: {
        'CF-Connecting-IP': OUTSIDE_IP,
        'Content-Type': 'application/json',
        Origin: 'http://localhost',
      },
      body: JSON.stringify({ username: mailbox.username, password: mailbox.password }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('Set-Cookie') ?? '';
    const attrs = attributes(setCookie);
    expect(attrs[0]).toMatch(/^nyckel_mailbox=.+/);
    expect(attrs).not.toContain('Secure');
    expect(attrs).toContain('HttpOnly');
    expect(attrs).toContain('SameSite=Strict');
    expect(attrs).toContain('Path=/');
    expect(attrs).toContain('Max-Age=900');

    // And the browser's plain cookie works on localhost.
    const me = await SELF.fetch('http://localhost/api/mailbox', {
      headers: { 'CF-Connecting-IP': OUTSIDE_IP, Cookie: attrs[0] ?? '' },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: mailbox.username });
  });

  it('refuses a wrong password without saying whether the user exists', async () => {
    const mailbox = await seedMailbox();
    const wrong = await loginCall(mailbox.username, 'Fel-losen-2026');
    expect(wrong.status).toBe(401);
    const wrongBody = await errorOf(wrong);
    expect(wrongBody.error).toBe('invalid_credentials');
    expect(wrong.headers.get('Set-Cookie')).toBeNull();

    const unknown = await loginCall('finnsinte', 'Fel-losen-2026');
    expect(unknown.status).toBe(401);
    const unknownBody = await errorOf(unknown);
    expect(unknownBody).toEqual(wrongBody);
    expect(unknown.headers.get('Set-Cookie')).toBeNull();

    expect(await sessionRows(mailbox.id)).toHaveLength(0);
  });

  it.each([
    ['an internal IPv4 address', INTERNAL_IP],
    ['an internal IPv6 address (fd00::/8)', 'fd00::1234:5678'],
  ])(
    'signs in and changes the password from %s, but registers no number there',
    async (_label, ip) => {
      const mailbox = await seedMailbox();
      const res = await loginCall(mailbox.username, mailbox.password, ip);
      expect(res.status).toBe(200);
      const cookie = res.headers.get('Set-Cookie')?.split(';')[0] ?? '';
      expect(cookie).not.toBe('');
      expect(await sessionRows(mailbox.id)).toHaveLength(1);
      const changed = await call('/api/mailbox/password', {
        body: { currentPassword: mailbox.password, newPassword: 'Kontor-Byte-2026' },
        cookie,
        ip,
      });
      expect(changed.status).toBe(204);
      const phone = await putPhone(cookie, NEW_PHONE, ip);
      expect(phone.status).toBe(403);
      expect((await errorOf(phone)).error).toBe('internal_network');
      expect(await phoneChallenges(mailbox.id)).toHaveLength(0);
      expect((await outbox()).filter((m) => m.channel === 'sms')).toHaveLength(0);
    },
  );

  it('locks the mailbox after five wrong passwords, refusing even the right one', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    for (let i = 1; i <= 5; i++) {
      const res = await loginCall(mailbox.username, `Fel-losen-${i}x`);
      expect(res.status, `wrong password ${i}`).toBe(401);
    }
    const locked = await loginCall(mailbox.username, mailbox.password);
    expect(locked.status).toBe(423);
    const body = await errorOf(locked);
    expect(body).toMatchObject({ error: 'locked', retryAfter: 900 });
    expect(locked.headers.get('Retry-After')).toBe('900');
    expect(locked.headers.get('Set-Cookie')).toBeNull();
    expect(await sessionRows(mailbox.id)).toHaveLength(0);

    // Once the lock has run out, the right password works again.
    moveClock(900);
    const after = await loginCall(mailbox.username, mailbox.password);
    expect(after.status).toBe(200);
  });

  it('locks an unknown username the same way, so a lockout reveals nothing', async () => {
    freezeClock();
    for (let i = 1; i <= 5; i++) {
      expect((await loginCall('finnsinte', `Fel-losen-${i}x`)).status).toBe(401);
    }
    const res = await loginCall('finnsinte', 'Fel-losen-6x');
    expect(res.status).toBe(423);
    expect(await res.json()).toMatchObject({ error: 'locked', retryAfter: 900 });
  });

  it(
    'refuses the 31st login from one address within 15 minutes',
    async () => {
      freezeClock();
      const mailbox = await seedMailbox();
      for (let i = 1; i <= 30; i++) {
        const res = await loginCall(mailbox.username, mailbox.password);
        expect(res.status, `login ${i}`).toBe(200);
      }
      const limited = await loginCall(mailbox.username, mailbox.password);
      expect(limited.status).toBe(429);
      // T0 is 60 s into a 15-minute window.
      expect(await errorOf(limited)).toMatchObject({ error: 'rate_limited', retryAfter: 840 });
      expect(limited.headers.get('Retry-After')).toBe('840');
      expect(limited.headers.get('Set-Cookie')).toBeNull();
      expect(await sessionRows(mailbox.id)).toHaveLength(30);

      // The budget is per address: another phone still gets in.
      expect((await loginCall(mailbox.username, mailbox.password, '198.51.100.8')).status).toBe(
        200,
      );
    },
    SLOW_TEST_MS,
  );
});

describe('GET /api/mailbox', () => {
  it('shows the logged-in mailbox', async () => {
    const mailbox = await seedMailbox({ displayName: 'Hemvårdsgruppen' });
    const loginRes = await loginCall(mailbox.username, mailbox.password);
    const cookie = (loginRes.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const res = await getMailbox(cookie);
    expect(res.status).toBe(200);
    const view = v.parse(MailboxView, await res.json());
    expect(view).toEqual(await loginRes.json());
    expect(view.displayName).toBe('Hemvårdsgruppen');
  });

  it('shows a blank number when none is registered', async () => {
    const mailbox = await seedMailbox({ phone: null });
    const res = await getMailbox(await login(mailbox));
    expect(res.status).toBe(200);
    expect(v.parse(MailboxView, await res.json()).phone).toBeNull();
  });

  it('refuses without a session cookie', async () => {
    const res = await getMailbox();
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('unauthorized');
  });

  it('refuses a made-up session cookie', async () => {
    await seedMailbox();
    for (const cookie of [
      '__Host-nyckel_mailbox=garbage',
      `__Host-nyckel_mailbox=${'A'.repeat(43)}`,
      `__Host-nyckel_mailbox=${'x'.repeat(500)}`,
      'nyckel_mailbox=garbage',
    ]) {
      const res = await getMailbox(cookie);
      expect(res.status, cookie.slice(0, 40)).toBe(401);
      expect((await errorOf(res)).error).toBe('unauthorized');
    }
  });

  it('refuses the cookie after logging out', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    expect((await call('/api/mailbox/session', { method: 'DELETE', cookie })).status).toBe(204);
    const res = await getMailbox(cookie);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('unauthorized');
  });

  it('ends the session after 15 minutes', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    moveClock(899);
    expect((await getMailbox(cookie)).status).toBe(200);
    moveClock(1);
    const res = await getMailbox(cookie);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('unauthorized');
  });
});

describe('PUT /api/mailbox/phone (ask to register a number)', () => {
  it('sends a code to the new number and saves nothing yet', async () => {
    freezeClock();
    const mailbox = await seedMailbox({ username: 'hemtjanstab' });
    const cookie = await login(mailbox);
    const res = await putPhone(cookie, '070-987 65 43');
    expect(res.status).toBe(202);
    const body = v.parse(Challenge, await res.json());
    expect(body).toEqual({
      expiresAt: new Date(T0 + 600_000).toISOString(),
      resendAfter: new Date(T0 + 180_000).toISOString(),
    });

    const [sms] = await waitForSms(NEW_PHONE);
    expect(sms?.body).toContain('hemtjanstab');
    expect(sms?.body).toMatch(/@nyckel\.test #\d{6}$/);
    expect((await outbox()).filter((m) => m.to === OLD_PHONE)).toHaveLength(0);

    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
    const view = await getMailbox(cookie);
    expect(await view.json()).toMatchObject({ phone: OLD_PHONE });
    expect(await phoneChallenges(mailbox.id)).toEqual([
      expect.objectContaining({ phone: NEW_PHONE, status: 'pending', attempts: 0 }),
    ]);
  });

  it('answers 200 with the number when it is already the registered one', async () => {
    const mailbox = await seedMailbox({ phone: OLD_PHONE });
    const cookie = await login(mailbox);
    for (const written of ['070-123 45 67', '+46 70 123 45 67', '0701234567']) {
      const res = await putPhone(cookie, written);
      expect(res.status, written).toBe(200);
      expect(v.parse(PhoneSaved, await res.json())).toEqual({ phone: OLD_PHONE });
    }
    expect(await phoneChallenges(mailbox.id)).toHaveLength(0);
    expect(await outbox()).toHaveLength(0);
  });

  it.each([
    ['a landline', '08-123 456 78'],
    ['garbage', 'ring mig'],
    ['too few digits', '070-123'],
  ])('refuses %s as invalid_phone', async (_label, phone) => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const res = await putPhone(cookie, phone);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe('invalid_phone');
    expect(await phoneChallenges(mailbox.id)).toHaveLength(0);
    expect(await outbox()).toHaveLength(0);
  });

  it('refuses without a session', async () => {
    await seedMailbox();
    const res = await putPhone(null, NEW_PHONE);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('unauthorized');
    expect(await outbox()).toHaveLength(0);
  });

  it('refuses from the internal network even with a session', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const res = await putPhone(cookie, NEW_PHONE, INTERNAL_IP);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).error).toBe('internal_network');
    expect(await phoneChallenges(mailbox.id)).toHaveLength(0);
    expect(await outbox()).toHaveLength(0);
  });

  it(
    'stops sending codes to one number after five in an hour',
    async () => {
      freezeClock();
      const mailboxes: SeededMailbox[] = [];
      for (let i = 0; i < 6; i++) mailboxes.push(await seedMailbox({ phone: null }));
      for (const mailbox of mailboxes.slice(0, 5)) {
        const res = await putPhone(await login(mailbox), NEW_PHONE);
        expect(res.status).toBe(202);
      }
      const last = mailboxes[5] as SeededMailbox;
      const res = await putPhone(await login(last), NEW_PHONE);
      expect(res.status).toBe(429);
      // T0 is 60 s into the hour.
      expect(await errorOf(res)).toMatchObject({ error: 'rate_limited', retryAfter: 3540 });
      expect(res.headers.get('Retry-After')).toBe('3540');
      expect(await phoneChallenges(last.id)).toHaveLength(0);
      expect(await waitForSms(NEW_PHONE, 5)).toHaveLength(5);
    },
    SLOW_TEST_MS,
  );

  it('answers a repeated request before the wait with the same times and no second SMS', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const first = await putPhone(cookie, NEW_PHONE);
    expect(first.status).toBe(202);
    const firstBody = await first.json();
    moveClock(60);
    const again = await putPhone(cookie, '0709876543');
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(firstBody);
    expect(await waitForSms(NEW_PHONE)).toHaveLength(1);
    expect(await phoneChallenges(mailbox.id)).toHaveLength(1);
  });
  it('sends the same code again when asked after the three-minute wait', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const first = v.parse(Challenge, await (await putPhone(cookie, NEW_PHONE)).json());
    const code = await latestCode(NEW_PHONE);
    moveClock(180);
    const again = await putPhone(cookie, NEW_PHONE);
    expect(again.status).toBe(202);
    expect(v.parse(Challenge, await again.json())).toEqual({
      expiresAt: first.expiresAt,
      resendAfter: new Date(T0 + 360_000).toISOString(),
    });
    const sent = await waitForSms(NEW_PHONE, 2);
    expect(sent).toHaveLength(2);
    expect(sent.every((m) => m.body.endsWith(`#${code}`))).toBe(true);
    expect(await phoneChallenges(mailbox.id)).toHaveLength(1);
  });
});

describe('POST /api/mailbox/phone/verify (confirm the new number)', () => {
  it('saves the number and tells the previous number it was replaced', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab', phone: OLD_PHONE });
    const cookie = await login(mailbox);
    expect((await putPhone(cookie, NEW_PHONE)).status).toBe(202);
    const code = await latestCode(NEW_PHONE);

    const res = await verifyPhone(cookie, code);
    expect(res.status).toBe(200);
    expect(v.parse(PhoneSaved, await res.json())).toEqual({ phone: NEW_PHONE });
    expect((await mailboxRow(mailbox.id))?.phone).toBe(NEW_PHONE);
    expect(await (await getMailbox(cookie)).json()).toMatchObject({ phone: NEW_PHONE });
    expect(await phoneChallenges(mailbox.id)).toEqual([
      expect.objectContaining({ status: 'used' }),
    ]);

    const notices = await waitForSms(OLD_PHONE);
    expect(notices).toHaveLength(1);
    const notice = notices[0]?.body ?? '';
    expect(notice).toContain('hemtjanstab');
    expect(notice).toContain('070-••• 65 43');
    expect(notice.replace(/[\s-]/g, '')).not.toContain('709876543');
    expect(notice).not.toContain(code);
  });

  it('accepts the code typed with a space in the middle', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    await putPhone(cookie, NEW_PHONE);
    const code = await latestCode(NEW_PHONE);
    const res = await verifyPhone(cookie, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(res.status).toBe(200);
    expect((await mailboxRow(mailbox.id))?.phone).toBe(NEW_PHONE);
  });

  it('sends no notice when the mailbox had no number before', async () => {
    const mailbox = await seedMailbox({ phone: null });
    const cookie = await login(mailbox);
    expect((await putPhone(cookie, NEW_PHONE)).status).toBe(202);
    const code = await latestCode(NEW_PHONE);
    const res = await verifyPhone(cookie, code);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ phone: NEW_PHONE });
    expect((await mailboxRow(mailbox.id))?.phone).toBe(NEW_PHONE);
    await waitForSms(NEW_PHONE);
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe(NEW_PHONE);
  });

  it('confirms only the newest number asked for', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    expect((await putPhone(cookie, '+46731112233')).status).toBe(202);
    const firstCode = await latestCode('+46731112233');
    expect((await putPhone(cookie, NEW_PHONE)).status).toBe(202);
    const newestCode = await latestCode(NEW_PHONE);
    expect(firstCode).not.toBe(newestCode);

    const res = await verifyPhone(cookie, firstCode);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe('invalid_code');
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
    expect((await phoneChallenges(mailbox.id)).map((c) => c.status)).toEqual([
      'superseded',
      'pending',
    ]);
  });

  it('refuses a wrong code and says how many tries are left', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    await putPhone(cookie, NEW_PHONE);
    const code = await latestCode(NEW_PHONE);
    const res = await verifyPhone(cookie, wrongCode(code));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ error: 'invalid_code', attemptsLeft: 4 });
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
    expect(await phoneChallenges(mailbox.id)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1 }),
    ]);
  });

  it('locks the code after five wrong tries, refusing even the right code', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    await putPhone(cookie, NEW_PHONE);
    const code = await latestCode(NEW_PHONE);
    for (let i = 1; i <= 5; i++) {
      const res = await verifyPhone(cookie, wrongCode(code));
      expect(res.status, `wrong code ${i}`).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_code', attemptsLeft: 5 - i });
    }
    const res = await verifyPhone(cookie, code);
    expect(res.status).toBe(423);
    expect((await errorOf(res)).error).toBe('locked');
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
    expect(await phoneChallenges(mailbox.id)).toEqual([
      expect.objectContaining({ status: 'locked', attempts: 5 }),
    ]);
  });

  it('answers expired when no code was asked for', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const res = await verifyPhone(cookie, '123456');
    expect(res.status).toBe(410);
    expect((await errorOf(res)).error).toBe('expired');
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
  });

  it('answers expired for the right code after 10 minutes', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    expect((await putPhone(cookie, NEW_PHONE)).status).toBe(202);
    const code = await latestCode(NEW_PHONE);
    moveClock(600);
    const res = await verifyPhone(cookie, code);
    expect(res.status).toBe(410);
    expect((await errorOf(res)).error).toBe('expired');
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
  });

  it('answers expired when the code was already used', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    await putPhone(cookie, NEW_PHONE);
    const code = await latestCode(NEW_PHONE);
    expect((await verifyPhone(cookie, code)).status).toBe(200);
    const again = await verifyPhone(cookie, code);
    expect(again.status).toBe(410);
    expect((await errorOf(again)).error).toBe('expired');
  });

  it('does not accept a reset code as a phone code', async () => {
    const mailbox = await seedMailbox({ phone: OLD_PHONE });
    const cookie = await login(mailbox);
    expect((await putPhone(cookie, NEW_PHONE)).status).toBe(202);
    const phoneCode = await latestCode(NEW_PHONE);
    const reset = await startReset(mailbox);
    const resetCode = reset.code ?? '';
    expect(resetCode).toMatch(/^\d{6}$/);
    expect(resetCode).not.toBe(phoneCode);

    const res = await verifyPhone(cookie, resetCode);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe('invalid_code');
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
    // The reset itself is untouched.
    const resetRow = await env.DB.prepare('SELECT status, attempts FROM challenges WHERE id = ?')
      .bind(reset.id)
      .first();
    expect(resetRow).toEqual({ status: 'pending', attempts: 0 });
  });

  it('does not accept a reset code when no phone change is pending', async () => {
    const mailbox = await seedMailbox({ phone: OLD_PHONE });
    const cookie = await login(mailbox);
    const { code } = await startReset(mailbox);
    const res = await verifyPhone(cookie, code ?? '');
    expect(res.status).toBe(410);
    expect((await errorOf(res)).error).toBe('expired');
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
  });

  it("does not let another session of the mailbox finish this session's change", async () => {
    const mailbox = await seedMailbox();
    const first = await login(mailbox);
    const second = await login(mailbox);
    expect((await putPhone(first, NEW_PHONE)).status).toBe(202);
    const code = await latestCode(NEW_PHONE);

    const res = await verifyPhone(second, code);
    expect(res.status).toBe(410);
    expect((await errorOf(res)).error).toBe('expired');
    expect((await mailboxRow(mailbox.id))?.phone).toBe(OLD_PHONE);
    expect(await phoneChallenges(mailbox.id)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 0 }),
    ]);

    // The session that asked can still finish it.
    expect((await verifyPhone(first, code)).status).toBe(200);
    expect((await mailboxRow(mailbox.id))?.phone).toBe(NEW_PHONE);
  });

  it('refuses without a session', async () => {
    const res = await verifyPhone(null, '123456');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('unauthorized');
  });
});

describe('POST /api/mailbox/password (change the password)', () => {
  it('changes the password: the new one works, the old one does not', async () => {
    freezeClock();
    const mailbox = await seedMailbox();
    moveClock(86_400);
    const cookie = await login(mailbox);
    const res = await changePassword(cookie, mailbox.password, 'Tr4sig-Kanin-44');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');

    const row = await mailboxRow(mailbox.id);
    expect(row?.password_changed_at).toBe(Math.floor(T0 / 1000) + 86_400);
    expect(await historyCount(mailbox.id)).toBe(2);
    const view = v.parse(MailboxView, await (await getMailbox(cookie)).json());
    expect(view.passwordExpiresAt).toBe(new Date(T0 + 91 * 86_400_000).toISOString());

    expect((await loginCall(mailbox.username, mailbox.password)).status).toBe(401);
    expect((await loginCall(mailbox.username, 'Tr4sig-Kanin-44')).status).toBe(200);
  });

  it('ends the other sessions of the mailbox but keeps this one', async () => {
    const mailbox = await seedMailbox();
    const other = await login(mailbox);
    const current = await login(mailbox);
    expect((await changePassword(current, mailbox.password, 'Tr4sig-Kanin-44')).status).toBe(204);

    expect((await getMailbox(current)).status).toBe(200);
    const refused = await getMailbox(other);
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).error).toBe('unauthorized');
    const sessions = await sessionRows(mailbox.id);
    expect(sessions.map((s) => s.revoked_at === null)).toEqual([false, true]);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const before = await mailboxRow(mailbox.id);
    const res = await changePassword(cookie, 'Fel-losen-2026', 'Tr4sig-Kanin-44');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('invalid_credentials');
    expect(await mailboxRow(mailbox.id)).toEqual(before);
    expect(await historyCount(mailbox.id)).toBe(1);
    // A wrong current password is not a logout.
    expect((await getMailbox(cookie)).status).toBe(200);
  });

  async function refusedFor(mailbox: SeededMailbox, newPassword: string, current?: string) {
    const cookie = await login(mailbox);
    const before = await mailboxRow(mailbox.id);
    const res = await changePassword(cookie, current ?? mailbox.password, newPassword);
    expect(res.status).toBe(422);
    const body = await errorOf(res);
    expect(body.error).toBe('policy');
    expect(await mailboxRow(mailbox.id)).toEqual(before);
    return body.violations ?? [];
  }

  it('lists every rule a too simple password breaks', async () => {
    const mailbox = await seedMailbox();
    // 'abc' is also on the blocklist ('common'); both rules it breaks must be named.
    expect(await refusedFor(mailbox, 'abc')).toEqual(
      expect.arrayContaining(['too_short', 'too_few_classes']),
    );
    expect(await refusedFor(mailbox, 'kq7w')).toEqual(['too_short', 'too_few_classes']);
    expect(await historyCount(mailbox.id)).toBe(1);
  });

  it('refuses the current password as the new one', async () => {
    const mailbox = await seedMailbox();
    expect(await refusedFor(mailbox, mailbox.password)).toEqual(['reused']);
  });

  it('refuses an earlier password', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    expect((await changePassword(cookie, mailbox.password, 'Tr4sig-Kanin-44')).status).toBe(204);
    const violations = await refusedFor(
      { ...mailbox, password: 'Tr4sig-Kanin-44' },
      mailbox.password,
    );
    expect(violations).toEqual(['reused']);
  });

  it('refuses a password that contains the username', async () => {
    const mailbox = await seedMailbox({ username: 'hemtjanstab' });
    expect(await refusedFor(mailbox, 'Xhemtjanstab-77')).toContain('contains_username');
  });

  it('refuses å, ä and ö in a password', async () => {
    const mailbox = await seedMailbox();
    expect(await refusedFor(mailbox, 'Lösenord-2026x')).toContain('invalid_characters');
  });

  it('refuses without a session', async () => {
    const mailbox = await seedMailbox();
    const before = await mailboxRow(mailbox.id);
    const res = await changePassword(null, mailbox.password, 'Tr4sig-Kanin-44');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('unauthorized');
    expect(await mailboxRow(mailbox.id)).toEqual(before);
  });
});

describe('a password past its due date must be changed first', () => {
  /** The mailbox's password as if set `days` ago. */
  async function ageOf(mailbox: SeededMailbox, days: number) {
    await env.DB.prepare('UPDATE mailboxes SET password_changed_at = ? WHERE id = ?')
      .bind(Math.floor(Date.now() / 1000) - days * 86_400, mailbox.id)
      .run();
  }

  it('signs in with mustChange, allows only reading and changing, then works as usual', async () => {
    const mailbox = await seedMailbox({ phone: null });
    await ageOf(mailbox, 91);
    const res = await loginCall(mailbox.username, mailbox.password);
    expect(res.status).toBe(200);
    const view = await json<{ mustChange: boolean; passwordExpiresAt: string }>(res);
    expect(view.mustChange).toBe(true);
    expect(Date.parse(view.passwordExpiresAt)).toBeLessThan(Date.now());
    const cookie = res.headers.get('Set-Cookie')?.split(';')[0] ?? '';

    // Reading the mailbox works; registering a number or sharing does not, yet.
    const read = await call('/api/mailbox', { cookie });
    expect(read.status).toBe(200);
    expect((await json<{ mustChange: boolean }>(read)).mustChange).toBe(true);
    const phone = await putPhone(cookie, NEW_PHONE);
    expect(phone.status).toBe(403);
    expect((await errorOf(phone)).error).toBe('password_change_required');
    expect((await call('/api/mailbox/staff', { cookie })).status).toBe(403);
    expect(await phoneChallenges(mailbox.id)).toHaveLength(0);

    // The change, in the same session, with the password already given at sign-in.
    const changed = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: 'Nytt-Kvartal-2027' },
      cookie,
    });
    expect(changed.status).toBe(204);
    const after = await json<{ mustChange: boolean }>(await call('/api/mailbox', { cookie }));
    expect(after.mustChange).toBe(false);
    expect((await putPhone(cookie, NEW_PHONE)).status).toBe(202);

    // A fresh sign-in with the new password is an ordinary one.
    const again = await loginCall(mailbox.username, 'Nytt-Kvartal-2027');
    expect((await json<{ mustChange: boolean }>(again)).mustChange).toBe(false);
  });

  it('is not asked of a password still within its three months, even on its last day', async () => {
    const mailbox = await seedMailbox();
    await ageOf(mailbox, 89);
    const res = await loginCall(mailbox.username, mailbox.password);
    expect((await json<{ mustChange: boolean }>(res)).mustChange).toBe(false);
  });

  it('a wrong password stays a wrong password, overdue or not', async () => {
    const mailbox = await seedMailbox();
    await ageOf(mailbox, 200);
    const res = await loginCall(mailbox.username, 'Fel-Losen-2026');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).error).toBe('invalid_credentials');
  });

  it('the integration API says mustChange for an overdue password', async () => {
    const mailbox = await seedMailbox();
    await ageOf(mailbox, 120);
    const { token } = await seedServiceToken(['mailboxes:verify']);
    const res = await integrationCall('/api/integration/mailboxes/verify', token, {
      body: { username: mailbox.username, password: mailbox.password },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ valid: true, mustChange: true });
    await ageOf(mailbox, 10);
    const fresh = await integrationCall('/api/integration/mailboxes/verify', token, {
      body: { username: mailbox.username, password: mailbox.password },
    });
    expect(await json(fresh)).toEqual({ valid: true });
  });
});

describe('DELETE /api/mailbox/session (log out)', () => {
  it('ends the session, clears the cookie and revokes it on the server', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const res = await call('/api/mailbox/session', { method: 'DELETE', cookie });
    expect(res.status).toBe(204);
    const setCookie = res.headers.get('Set-Cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-nyckel_mailbox=;/);
    expect(setCookie).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);

    const sessions = await sessionRows(mailbox.id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.revoked_at).not.toBeNull();
    expect((await getMailbox(cookie)).status).toBe(401);
  });

  it('answers 204 without any cookie', async () => {
    const res = await call('/api/mailbox/session', { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.headers.get('Set-Cookie') ?? '').toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
  });

  it('leaves the other sessions of the mailbox alone', async () => {
    const mailbox = await seedMailbox();
    const other = await login(mailbox);
    const cookie = await login(mailbox);
    expect((await call('/api/mailbox/session', { method: 'DELETE', cookie })).status).toBe(204);
    expect((await getMailbox(other)).status).toBe(200);
  });
});

describe('audit log', () => {
  it(
    'records every sensitive mailbox action with address and outcome, never a secret',
    async () => {
      const mailbox = await seedMailbox({ phone: OLD_PHONE });
      expect((await loginCall(mailbox.username, 'Fel-losen-2026')).status).toBe(401);
      const cookie = await login(mailbox);
      expect((await putPhone(cookie, NEW_PHONE)).status).toBe(202);
      const code = await latestCode(NEW_PHONE);
      expect((await verifyPhone(cookie, wrongCode(code))).status).toBe(400);
      expect((await verifyPhone(cookie, code)).status).toBe(200);
      expect((await changePassword(cookie, 'Fel-losen-2026', 'Tr4sig-Kanin-44')).status).toBe(401);
      expect((await changePassword(cookie, mailbox.password, 'abc')).status).toBe(422);
      expect((await changePassword(cookie, mailbox.password, 'Tr4sig-Kanin-44')).status).toBe(204);
      expect((await call('/api/mailbox/session', { method: 'DELETE', cookie })).status).toBe(204);

      const rows = await auditRows();
      expect(rows.map((r) => [r.action, r.outcome])).toEqual([
        ['mailbox.login', 'failure'],
        ['mailbox.login', 'success'],
        ['mailbox.phone.code', 'success'],
        ['mailbox.phone.verify', 'failure'],
        ['mailbox.phone.verify', 'success'],
        ['mailbox.password.change', 'failure'],
        ['mailbox.password.change', 'refused'],
        ['mailbox.password.change', 'success'],
        ['mailbox.logout', 'success'],
      ]);
      for (const row of rows) {
        expect(row.ip, row.action).toBe(OUTSIDE_IP);
        if (row.outcome === 'success') expect(row.actor).toBe(`mailbox:${mailbox.id}`);
      }
      const text = JSON.stringify(rows);
      for (const secret of [
        mailbox.password,
        'Tr4sig-Kanin-44',
        'Fel-losen-2026',
        code,
        NEW_PHONE,
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain(cookie.split('=')[1] ?? 'no-cookie');
    },
    SLOW_TEST_MS,
  );
});

describe('cross-site requests', () => {
  it('refuses a cookie-authenticated write from another origin', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const res = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: NEW_PHONE },
      cookie,
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).error).toBe('forbidden_origin');
    expect(await phoneChallenges(mailbox.id)).toHaveLength(0);
  });
});
