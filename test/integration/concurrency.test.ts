import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { config } from '../../worker/config';
import { randomBytes, toBase64Url } from '../../worker/domain/bytes';
import { clientNetwork } from '../../worker/domain/client-network';
import { codeFor, extractCode } from '../../worker/domain/codes';
import { derive } from '../../worker/domain/password-hash';
import { backgroundSettled } from '../../worker/services/deps';
import {
  call,
  count,
  json,
  latestCode,
  login,
  OUTSIDE_IP,
  outbox,
  type SeededMailbox,
  seedMailbox,
  startReset,
  wrongCode,
} from '../helpers';
import { integrationCall, seedServiceToken } from '../identity-helpers';

/*
 * Races a client can cause by tapping twice, by scripts, or by two people working on one
 * shared mailbox at once. Every request goes through SELF.fetch in
 * parallel against the real local D1 and KV; the D1 row's conditional UPDATEs must decide
 * each race so that the end state is one a serial order of the same requests could produce.
 * (Two parallel password sets with one reset token: test/security/codes.test.ts, "single use".)
 */

const RESET_PASSWORD = 'Tr4sig-Kanin-44';
const CHANGED_PASSWORD = 'Blaa-Hav-Vag-88';

interface ErrorBody {
  error?: string;
  attemptsLeft?: number;
  token?: string;
}

function enterCode(id: string, code: string) {
  return call(`/api/resets/${id}/code`, { body: { code } });
}

function setPassword(id: string, token: string, newPassword: string) {
  return call(`/api/resets/${id}/password`, { body: { token, newPassword } });
}

async function verifiedReset(mailbox: SeededMailbox) {
  const { id, code } = await startReset(mailbox);
  const res = await enterCode(id, code ?? '');
  expect(res.status).toBe(200);
  const { token } = await json<{ token: string }>(res);
  return { id, token };
}

async function challenge(id: string) {
  return env.DB.prepare('SELECT status, attempts FROM challenges WHERE id = ?')
    .bind(id)
    .first<{ status: string; attempts: number }>();
}

async function liveSessions(mailboxId: string) {
  return count(
    `SELECT COUNT(*) AS n FROM sessions WHERE subject_id = ? AND revoked_at IS NULL
       AND expires_at > unixepoch()`,
    mailboxId,
  );
}

async function canLogin(mailbox: SeededMailbox, password: string) {
  const res = await call('/api/mailbox/session', {
    body: { username: mailbox.username, password },
  });
  return res.status === 200;
}

describe('one reset, many parallel code entries', () => {
  it('gives exactly one of twenty right codes a token, tells the rest why, and the token works', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const answers = await Promise.all(Array.from({ length: 20 }, () => enterCode(id, code ?? '')));
    const bodies = await Promise.all(answers.map((r) => json<ErrorBody>(r)));

    const winners = bodies.filter((b) => typeof b.token === 'string');
    expect(winners).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    for (const [i, res] of answers.entries()) {
      if (res.status === 200) continue;
      // A clear client error with a code the app can explain, never a 5xx or a second token.
      expect([410, 423], JSON.stringify(bodies[i])).toContain(res.status);
      expect(['expired', 'locked']).toContain(bodies[i]?.error);
      expect(bodies[i]?.token).toBeUndefined();
    }
    expect((await challenge(id))?.status).toBe('verified');
    const audited = await count(
      `SELECT COUNT(*) AS n FROM audit WHERE action = 'reset.code' AND outcome = 'success'`,
    );
    expect(audited).toBe(1);

    const set = await setPassword(id, winners[0]?.token ?? '', RESET_PASSWORD);
    expect(set.status).toBe(204);
    expect(await canLogin(mailbox, RESET_PASSWORD)).toBe(true);
    expect(await canLogin(mailbox, mailbox.password)).toBe(false);
  }, 30_000);

  it('counts every one of twenty parallel wrong guesses against the limit of five, then refuses the right code', async () => {
    const mailbox = await seedMailbox();
    const { id, code } = await startReset(mailbox);
    const wrong = wrongCode(code ?? '');
    const answers = await Promise.all(Array.from({ length: 20 }, () => enterCode(id, wrong)));
    const bodies = await Promise.all(answers.map((r) => json<ErrorBody>(r)));

    for (const res of answers) expect(res.status).toBeLessThan(500);
    // Exactly five guesses were compared, each with its own place in the count...
    const compared = bodies.filter((b) => b.error === 'invalid_code');
    expect(compared).toHaveLength(5);
    expect(compared.map((b) => b.attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    // ...and the other fifteen were refused as locked without being compared.
    expect(answers.filter((r) => r.status === 423)).toHaveLength(15);
    expect(bodies.filter((b) => b.error === 'locked')).toHaveLength(15);
    expect(await challenge(id)).toEqual({ status: 'locked', attempts: 5 });

    const right = await enterCode(id, code ?? '');
    expect(right.status).toBe(423);
    expect(await json(right)).toMatchObject({ error: 'locked' });
    expect(await challenge(id)).toEqual({ status: 'locked', attempts: 5 });
    expect(await canLogin(mailbox, mailbox.password)).toBe(true);
  }, 30_000);
});

describe('"send the code again" tapped at once, or with the code', () => {
  function resend(id: string) {
    return call(`/api/resets/${id}/resend`, { body: {} });
  }

  async function allowResend(id: string) {
    await env.DB.prepare('UPDATE challenges SET resend_after = 0 WHERE id = ?').bind(id).run();
  }

  async function smsTo(phone: string) {
    await backgroundSettled();
    return (await outbox()).filter((m) => m.to === phone);
  }

  it('sends one more SMS for five parallel taps and tells the others to wait', async () => {
    const mailbox = await seedMailbox({ phone: '+46701112201' });
    const { id, code } = await startReset(mailbox);
    await allowResend(id);
    const answers = await Promise.all(Array.from({ length: 5 }, () => resend(id)));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 429, 429, 429, 429]);
    for (const res of answers.filter((r) => r.status === 429)) {
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    }
    const sms = await smsTo(mailbox.phone ?? '');
    expect(sms).toHaveLength(2);
    // The same code again, as the guide's "Skicka samma kod igen" promises.
    expect(sms.map((m) => extractCode(m.body))).toEqual([code, code]);
    expect(await count('SELECT resends AS n FROM challenges WHERE id = ?', id)).toBe(1);
  });

  it('lets the code work exactly once while a resend races it, and sends nothing after the reset', async () => {
    const mailbox = await seedMailbox({ phone: '+46701112202' });
    const { id, code } = await startReset(mailbox);
    await allowResend(id);
    const [entered, resent] = await Promise.all([enterCode(id, code ?? ''), resend(id)]);
    expect(entered.status).toBe(200);
    // Either order is fine: resent before the code was used, or refused after it was.
    expect([202, 410]).toContain(resent.status);
    const { token } = await json<{ token: string }>(entered);
    expect(await challenge(id)).toMatchObject({ status: 'verified' });
    expect((await enterCode(id, code ?? '')).status).toBe(410);
    expect((await setPassword(id, token, RESET_PASSWORD)).status).toBe(204);
    const before = (await smsTo(mailbox.phone ?? '')).length;
    expect(before).toBe(resent.status === 202 ? 2 : 1);
    expect((await resend(id)).status).toBe(410);
    expect(await smsTo(mailbox.phone ?? '')).toHaveLength(before);
  });
});

describe('many parallel logins to one mailbox', () => {
  function loginWith(mailbox: SeededMailbox, password: string) {
    return call('/api/mailbox/session', { body: { username: mailbox.username, password } });
  }

  async function lockRow(username: string) {
    return env.DB.prepare('SELECT failures, locked_until FROM login_failures WHERE username = ?')
      .bind(username)
      .first<{ failures: number; locked_until: number | null }>();
  }

  it('checks only five of twenty parallel wrong passwords, then the lock holds even for the right one', async () => {
    const mailbox = await seedMailbox();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => loginWith(mailbox, 'Fel-Losen-2026')),
    );
    const statuses = answers.map((r) => r.status);
    // Each attempt is counted before its password is derived, so no more than five are.
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    // The rest were refused unchecked: 429 "in a moment" while the five were still being
    // checked, 423 once they had all failed.
    expect(statuses.filter((s) => s === 429 || s === 423)).toHaveLength(15);
    for (const res of answers.filter((r) => r.status === 429)) {
      expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(2);
    }
    expect(await lockRow(mailbox.username)).toMatchObject({ failures: 5 });
    // Once all five have failed, the lock is the usual one, for the right password too.
    const right = await loginWith(mailbox, mailbox.password);
    expect(right.status).toBe(423);
    expect(Number(right.headers.get('Retry-After'))).toBeGreaterThan(800);
    expect(await lockRow(mailbox.username)).toMatchObject({ failures: 5 });
  }, 30_000);

  it('never locks out a shift signing in together: extra attempts are asked to retry in a moment', async () => {
    const mailbox = await seedMailbox();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => loginWith(mailbox, mailbox.password)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses).toContain(200);
    for (const status of statuses) expect([200, 429]).toContain(status);
    // A success clears the count: whoever was asked to wait gets in at once.
    expect(await lockRow(mailbox.username)).toBeNull();
    expect((await loginWith(mailbox, mailbox.password)).status).toBe(200);
  }, 30_000);

  it('takes attempts whose worker stopped as failures: after ten seconds the lock is a lock', async () => {
    const mailbox = await seedMailbox();
    const now = Math.floor(Date.now() / 1000);
    const stuck = (updatedAt: number) =>
      env.DB.prepare(
        `INSERT OR REPLACE INTO login_failures (username, failures, locked_until, updated_at, checking)
         VALUES (?, 5, ?, ?, 2)`,
      )
        // The row of the network these calls come from (the account-wide one has its own).
        .bind(`${mailbox.username}|${clientNetwork(OUTSIDE_IP)}`, now + 900, updatedAt)
        .run();
    await stuck(now);
    expect((await loginWith(mailbox, mailbox.password)).status).toBe(429);
    await stuck(now - 11);
    expect((await loginWith(mailbox, mailbox.password)).status).toBe(423);
  });

  it('checks only five of twenty parallel credential checks by another system', async () => {
    const mailbox = await seedMailbox();
    const { token } = await seedServiceToken(['mailboxes:verify']);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        integrationCall('/api/integration/mailboxes/verify', token, {
          body: { username: mailbox.username, password: 'Fel-Losen-2026' },
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429 || s === 423)).toHaveLength(15);
    expect(await lockRow(mailbox.username)).toMatchObject({ failures: 5 });
  }, 30_000);
});

describe('two hundred resets at once', () => {
  const N = 200;

  function phoneFor(i: number) {
    return `+46701${String(i).padStart(6, '0')}`;
  }

  /** N mailboxes with their own numbers; one real hash, copied, so seeding stays quick. */
  async function seedMany() {
    const first = await seedMailbox({ username: 'massa000', phone: phoneFor(0) });
    const row = await env.DB.prepare(
      'SELECT password_hash, history_salt FROM mailboxes WHERE id = ?',
    )
      .bind(first.id)
      .first<{ password_hash: string; history_salt: string }>();
    const now = Math.floor(Date.now() / 1000);
    const inserts = [];
    const mailboxes = [{ id: first.id, username: first.username, phone: phoneFor(0) }];
    for (let i = 1; i < N; i++) {
      const m = {
        id: `mass-${i}`,
        username: `massa${String(i).padStart(3, '0')}`,
        phone: phoneFor(i),
      };
      mailboxes.push(m);
      inserts.push(
        env.DB.prepare(
          `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
             history_salt, password_changed_at, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
        ).bind(
          m.id,
          m.username,
          'Massbrevlåda',
          m.phone,
          row?.password_hash,
          row?.history_salt,
          now,
          now,
        ),
      );
    }
    await env.DB.batch(inserts);
    return mailboxes;
  }

  it('answers all 202, leaves one live challenge per account and one SMS per challenge', async () => {
    const mailboxes = await seedMany();
    // One documentation address per caller, so the per-address budget (30 an hour) is not
    // what is being tested; every other budget is the production default.
    const answers = await Promise.all(
      mailboxes.map((m, i) =>
        call('/api/resets', { body: { username: m.username }, ip: `198.51.100.${i + 1}` }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(N).fill(202));
    const ids = await Promise.all(answers.map(async (r) => (await json<{ id: string }>(r)).id));
    expect(new Set(ids).size).toBe(N);
    await backgroundSettled();

    const { results: rows } = await env.DB.prepare(
      `SELECT id, mailbox_id, phone, status, attempts FROM challenges ORDER BY mailbox_id`,
    ).all<{ id: string; mailbox_id: string; phone: string; status: string; attempts: number }>();
    expect(rows).toHaveLength(N);
    const byMailbox = new Map(rows.map((r) => [r.mailbox_id, r]));
    expect(byMailbox.size).toBe(N);
    for (const [i, m] of mailboxes.entries()) {
      const row = byMailbox.get(m.id);
      expect(row, m.username).toMatchObject({ id: ids[i], phone: m.phone, status: 'pending' });
      expect(row?.attempts).toBe(0);
    }

    // One SMS to every number, one delivery record each, one count against the day.
    // Read from the table: the development outbox API shows only the newest 50.
    const { results: sms } = await env.DB.prepare(
      `SELECT recipient AS "to", body FROM outbox WHERE channel = 'sms'`,
    ).all<{ to: string; body: string }>();
    expect(sms).toHaveLength(N);
    expect(new Set(sms.map((s) => s.to))).toEqual(new Set(mailboxes.map((m) => m.phone)));
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM deliveries WHERE channel = 'sms' AND purpose = 'reset_code' AND status = 'sent'`,
      ),
    ).toBe(N);
    expect(await count(`SELECT COUNT(*) AS n FROM deliveries WHERE status <> 'sent'`)).toBe(0);
    expect(await count(`SELECT SUM(count) AS n FROM counters WHERE key = 'sms:day'`)).toBe(N);
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM audit WHERE action = 'reset.start' AND outcome = 'success'`,
      ),
    ).toBe(N);

    // Every SMS carries the code of its own account's challenge (the secret KV holds for it),
    // and a sample of them is accepted through the API.
    const codeTo = new Map(sms.map((s) => [s.to, extractCode(s.body)]));
    for (const [i, m] of mailboxes.entries()) {
      const secret = await env.CODES.get(`code:${ids[i]}`);
      expect(secret, m.username).not.toBeNull();
      expect(codeTo.get(m.phone), m.username).toBe(codeFor(secret ?? ''));
    }
    const sample = mailboxes.filter((_m, i) => i % 20 === 7);
    const verified = await Promise.all(
      sample.map((m) => enterCode(byMailbox.get(m.id)?.id ?? '', codeTo.get(m.phone) ?? '')),
    );
    expect(verified.map((r) => r.status)).toEqual(Array(sample.length).fill(200));
  }, 60_000);
});

describe('a phone change and a reset of one mailbox at the same time', () => {
  /**
   * A mailbox with OLD_PHONE, a session that has asked to move it to NEW_PHONE (code in
   * hand), and a reset verified up to its token.
   */
  async function prepare(i: number) {
    const newPhone = `+4670988${String(i).padStart(4, '0')}`;
    const mailbox = await seedMailbox({ phone: `+4670123${String(i).padStart(4, '0')}` });
    const cookie = await login(mailbox);
    const asked = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: newPhone },
      cookie,
    });
    expect(asked.status).toBe(202);
    const phoneCode = await latestCode(newPhone);
    const reset = await verifiedReset(mailbox);
    return { mailbox, cookie, newPhone, phoneCode, reset };
  }

  async function mailboxRow(id: string) {
    return env.DB.prepare('SELECT phone, password_hash FROM mailboxes WHERE id = ?')
      .bind(id)
      .first<{ phone: string; password_hash: string }>();
  }

  it('ends in a state some serial order gives: confirm-then-refused-reset, or reset-then-refused-confirm', async () => {
    // Several mailboxes race at once, so more than one interleaving is exercised.
    const cases = [];
    for (let i = 0; i < 4; i++) cases.push(await prepare(i));

    const results = await Promise.all(
      cases.map(async (c) => {
        const [verify, set] = await Promise.all([
          call('/api/mailbox/phone/verify', { body: { code: c.phoneCode }, cookie: c.cookie }),
          setPassword(c.reset.id, c.reset.token, RESET_PASSWORD),
        ]);
        return { c, verify: verify.status, set: set.status };
      }),
    );
    await backgroundSettled();
    const sent = await outbox();

    for (const { c, verify, set } of results) {
      // Exactly one of the two lands: each ends the other.
      if (verify === 200) expect(set).toBe(410);
      else {
        // The session was ended by the reset: before the check (401) or within it (410).
        expect(set).toBe(204);
        expect([401, 410]).toContain(verify);
      }
      const row = await mailboxRow(c.mailbox.id);
      const statusOf = async (purpose: string) =>
        (
          await env.DB.prepare('SELECT status FROM challenges WHERE mailbox_id = ? AND purpose = ?')
            .bind(c.mailbox.id, purpose)
            .first<{ status: string }>()
        )?.status;
      const verifyAudits = await count(
        `SELECT COUNT(*) AS n FROM audit WHERE action = 'mailbox.phone.verify'
           AND outcome = 'success' AND target = ?`,
        `mailbox:${c.mailbox.id}`,
      );
      const replacedNotice = sent.filter(
        (m) => m.to === c.mailbox.phone && m.body.includes('har bytts till'),
      );
      const history = await count(
        'SELECT COUNT(*) AS n FROM password_history WHERE mailbox_id = ?',
        c.mailbox.id,
      );
      if (verify === 200) {
        // Confirm first: the new number, and the reset whose code went to the old number
        // (a stolen phone, say) can no longer set a password.
        expect(row?.phone).toBe(c.newPhone);
        expect(await statusOf('phone')).toBe('used');
        expect(await statusOf('reset')).toBe('superseded');
        expect(verifyAudits).toBe(1);
        expect(replacedNotice).toHaveLength(1);
        expect(await canLogin(c.mailbox, c.mailbox.password)).toBe(true);
        expect(history).toBe(1);
      } else {
        // Reset first: the session is gone, the number stays and nothing says it moved.
        expect(row?.phone).toBe(c.mailbox.phone);
        expect(await statusOf('phone')).toBe('pending');
        expect(verifyAudits).toBe(0);
        expect(replacedNotice).toHaveLength(0);
        expect(await liveSessions(c.mailbox.id)).toBe(0);
        expect(await canLogin(c.mailbox, RESET_PASSWORD)).toBe(true);
        expect(history).toBe(2);
      }
    }
  }, 30_000);

  it('sends the reset code to the number the reset saw, whichever request came first', async () => {
    const cases = [];
    for (let i = 0; i < 4; i++) {
      const newPhone = `+4670977${String(i).padStart(4, '0')}`;
      const mailbox = await seedMailbox({ phone: `+4670124${String(i).padStart(4, '0')}` });
      const cookie = await login(mailbox);
      expect(
        (await call('/api/mailbox/phone', { method: 'PUT', body: { phone: newPhone }, cookie }))
          .status,
      ).toBe(202);
      cases.push({ mailbox, cookie, newPhone, phoneCode: await latestCode(newPhone) });
    }
    const results = await Promise.all(
      cases.map(async (c) => {
        const [verify, start] = await Promise.all([
          call('/api/mailbox/phone/verify', { body: { code: c.phoneCode }, cookie: c.cookie }),
          call('/api/resets', { body: { username: c.mailbox.username } }),
        ]);
        return { c, verify: verify.status, start: start.status, body: await json(start) };
      }),
    );
    await backgroundSettled();
    const sent = await outbox();
    for (const { c, verify, start, body } of results) {
      expect(verify).toBe(200);
      expect(start).toBe(202);
      expect((await mailboxRow(c.mailbox.id))?.phone).toBe(c.newPhone);
      const reset = await env.DB.prepare('SELECT phone FROM challenges WHERE id = ?')
        .bind(String(body.id))
        .first<{ phone: string }>();
      expect([c.mailbox.phone, c.newPhone]).toContain(reset?.phone);
      // Exactly one reset SMS, to the number the challenge recorded, and its code works.
      const resetSms = sent.filter(
        (m) => [c.mailbox.phone, c.newPhone].includes(m.to) && m.body.includes('byta lösenord'),
      );
      expect(resetSms).toHaveLength(1);
      expect(resetSms[0]?.to).toBe(reset?.phone);
      const code = extractCode(resetSms[0]?.body ?? '') ?? '';
      const entered = await enterCode(String(body.id), code);
      if (reset?.phone === c.newPhone) {
        // Started after the change: the code went to the new number and works.
        expect(entered.status).toBe(200);
      } else {
        // Started before the change landed: a code on the replaced number sets nothing.
        expect([200, 410]).toContain(entered.status);
        if (entered.status === 200) {
          const { token } = await json<{ token: string }>(entered);
          expect((await setPassword(String(body.id), token, RESET_PASSWORD)).status).toBe(410);
        }
        expect(await canLogin(c.mailbox, RESET_PASSWORD)).toBe(false);
      }
    }
  }, 30_000);
});

describe('a reset racing the old password', () => {
  it('leaves no session alive that was opened with the password the reset replaced', async () => {
    const mailbox = await seedMailbox();
    const { id, token } = await verifiedReset(mailbox);
    const logins = Array.from({ length: 8 }, () =>
      call('/api/mailbox/session', {
        body: { username: mailbox.username, password: mailbox.password },
      }),
    );
    const [set, ...answers] = await Promise.all([
      setPassword(id, token, RESET_PASSWORD),
      ...logins,
    ]);
    expect(set?.status).toBe(204);
    // 429: more than five attempts at once are asked to try again in a moment (see below).
    for (const res of answers) expect([200, 401, 429]).toContain(res.status);
    // Serially, a login before the reset is signed out by it and one after it is refused:
    // either way nobody holding only the old password is signed in afterwards.
    expect(await liveSessions(mailbox.id)).toBe(0);
    for (const res of answers) {
      const cookie = (res.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
      if (res.status !== 200) continue;
      expect((await call('/api/mailbox', { cookie })).status).toBe(401);
    }
  }, 30_000);

  it('lets exactly one of a password change and a reset land, never both', async () => {
    const cases = [];
    for (let i = 0; i < 3; i++) {
      const mailbox = await seedMailbox();
      const cookie = await login(mailbox);
      cases.push({ mailbox, cookie, reset: await verifiedReset(mailbox) });
    }
    const results = await Promise.all(
      cases.map(async (c) => {
        const [change, set] = await Promise.all([
          call('/api/mailbox/password', {
            body: { currentPassword: c.mailbox.password, newPassword: CHANGED_PASSWORD },
            cookie: c.cookie,
          }),
          setPassword(c.reset.id, c.reset.token, RESET_PASSWORD),
        ]);
        return { c, change: change.status, set: set.status };
      }),
    );
    for (const { c, change, set } of results) {
      // Exactly one lands. A reset after a change is refused: its token was for the password
      // the change replaced. A change after a reset has no session and no current password.
      expect([change, set].sort()).toEqual(set === 204 ? [204, 401] : [204, 410]);
      const winner = set === 204 ? RESET_PASSWORD : CHANGED_PASSWORD;
      const loser = set === 204 ? CHANGED_PASSWORD : RESET_PASSWORD;
      expect(await canLogin(c.mailbox, winner)).toBe(true);
      expect(await canLogin(c.mailbox, loser)).toBe(false);
      const history = await count(
        'SELECT COUNT(*) AS n FROM password_history WHERE mailbox_id = ?',
        c.mailbox.id,
      );
      expect(history).toBe(2);
    }
  }, 30_000);
});

describe('two password changes in one session at once', () => {
  it('lets exactly one land: the other gave a current password that no longer is', async () => {
    const mailbox = await seedMailbox();
    const cookie = await login(mailbox);
    const [a, b] = await Promise.all(
      [RESET_PASSWORD, CHANGED_PASSWORD].map((newPassword) =>
        call('/api/mailbox/password', {
          body: { currentPassword: mailbox.password, newPassword },
          cookie,
        }),
      ),
    );
    expect([a?.status, b?.status].sort()).toEqual([204, 401]);
    const winner = a?.status === 204 ? RESET_PASSWORD : CHANGED_PASSWORD;
    const loser = winner === RESET_PASSWORD ? CHANGED_PASSWORD : RESET_PASSWORD;
    expect(await canLogin(mailbox, winner)).toBe(true);
    expect(await canLogin(mailbox, loser)).toBe(false);
    expect(
      await count('SELECT COUNT(*) AS n FROM password_history WHERE mailbox_id = ?', mailbox.id),
    ).toBe(2);
    // The session that made the change is still signed in.
    expect((await call('/api/mailbox', { cookie })).status).toBe(200);
  }, 30_000);
});

describe('parallel logins to a mailbox whose hash is upgraded at login', () => {
  it('signs every one of them in and stores one upgraded hash', async () => {
    const mailbox = await seedMailbox();
    // The same password under older parameters (20,000 iterations), as an old row would hold.
    const peppers = config(env).peppers;
    const salt = randomBytes(16);
    const legacy = [
      'pbkdf2-sha256',
      20_000,
      peppers.current,
      toBase64Url(salt),
      toBase64Url(
        await derive(mailbox.password, salt, 20_000, peppers.secrets.get(peppers.current) ?? ''),
      ),
    ].join('$');
    await env.DB.prepare('UPDATE mailboxes SET password_hash = ? WHERE id = ?')
      .bind(legacy, mailbox.id)
      .run();

    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('/api/mailbox/session', {
          body: { username: mailbox.username, password: mailbox.password },
        }),
      ),
    );
    // Serially each of them would be let in: the upgrade of one must not refuse another.
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await liveSessions(mailbox.id)).toBe(5);
    const row = await env.DB.prepare('SELECT password_hash FROM mailboxes WHERE id = ?')
      .bind(mailbox.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash.startsWith('pbkdf2-sha256$100000$')).toBe(true);
    expect(await count('SELECT COUNT(*) AS n FROM login_failures')).toBe(0);
  }, 30_000);
});
