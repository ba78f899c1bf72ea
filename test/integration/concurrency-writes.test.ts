import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { backgroundSettled } from '../../worker/services/deps';
import {
  call,
  count,
  json,
  login,
  outbox,
  type SeededMailbox,
  seedMailbox,
  startReset,
} from '../helpers';
import { identityBody, integrationCall, PNR, seedServiceToken } from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * Races on the writes of people and systems rather than of a mailbox's own user (continuing
 * concurrency.test.ts): an HR system retrying an upsert while the first try is still
 * running, an administrator's double tap on "create", and a manager resetting a mailbox on
 * behalf while someone at the unit completes an SMS reset of it. Each must end in a state a
 * serial order of the same requests gives, with no 5xx and nothing written twice.
 */

const PARALLEL = 6;

async function mailsTo(email: string) {
  await backgroundSettled();
  return (await outbox()).filter((m) => m.to === email);
}

async function team() {
  const unit = await seedUnit('Hemtjänst Solgläntan');
  const manager = await seedPerson({ name: 'Maja Chef', roles: { [unit.id]: 'manager' } });
  const delegate = await seedPerson({ name: 'Olle Ombud', roles: { [unit.id]: 'delegate' } });
  const { token } = await seedServiceToken();
  return { unit, manager, delegate, token };
}

function putIdentity(token: string, userId: string, body: unknown) {
  return integrationCall(`/api/integration/identities/${userId}`, token, { method: 'PUT', body });
}

interface Upsert {
  identity: { id: string; startDate: string };
  created: boolean;
  changed: boolean;
  initialPassword: 'started' | 'none';
}

describe('an HR system sending one upsert several times at once', () => {
  it('answers every copy with success, creates one identity, one initial password and one e-mail each', async () => {
    const t = await team();
    const body = identityBody(t.unit.id);
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => putIdentity(t.token, 'parallell01', body)),
    );
    // An idempotent PUT retried by its caller is not a conflict: the copies that lose the
    // race to create find the identity already as they would have written it.
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const results = await Promise.all(answers.map((r) => json<Upsert>(r)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => r.initialPassword === 'started')).toHaveLength(1);
    expect(new Set(results.map((r) => r.identity.id)).size).toBe(1);

    expect(await count("SELECT COUNT(*) AS n FROM identities WHERE user_id = 'parallell01'")).toBe(
      1,
    );
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM identities i JOIN initial_passwords p ON p.identity_id = i.id
          WHERE i.user_id = 'parallell01' AND p.sealed IS NOT NULL`,
      ),
    ).toBe(1);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM audit WHERE action = 'identity.create' AND target = ?",
        `identity:${results[0]?.identity.id}`,
      ),
    ).toBe(1);
    for (const person of [t.manager, t.delegate]) {
      expect(await mailsTo(person.email)).toHaveLength(1);
    }
  });

  it('lands two different versions of one new identity in some order, never half of each', async () => {
    const t = await team();
    const early = identityBody(t.unit.id, { startDate: '2027-01-04' });
    const late = identityBody(t.unit.id, { startDate: '2027-02-01', givenName: 'Annika' });
    const answers = await Promise.all([
      putIdentity(t.token, 'parallell02', early),
      putIdentity(t.token, 'parallell02', late),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 201]);
    const row = await env.DB.prepare(
      'SELECT given_name, start_date FROM identities WHERE user_id = ?',
    )
      .bind('parallell02')
      .first<{ given_name: string; start_date: string }>();
    expect([
      { given_name: 'Anna', start_date: '2027-01-04' },
      { given_name: 'Annika', start_date: '2027-02-01' },
    ]).toContainEqual(row);
    // The update of a new identity does not start a second password: only a new identity, or
    // one back after being ended and inactive, gets one.
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM identities i JOIN initial_passwords p ON p.identity_id = i.id
          WHERE i.user_id = 'parallell02' AND p.sealed IS NOT NULL`,
      ),
    ).toBe(1);
    for (const person of [t.manager, t.delegate]) {
      expect(await mailsTo(person.email)).toHaveLength(1);
    }
  });

  it('still refuses the personnummer of another user id when two ids race for it', async () => {
    const t = await team();
    const body = identityBody(t.unit.id, { personalNumber: PNR.ake.input, hsaId: null });
    const answers = await Promise.all([
      putIdentity(t.token, 'tvilling01', body),
      putIdentity(t.token, 'tvilling02', body),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = answers.find((r) => r.status === 409);
    const problem = await json<{ error: string; issues?: { path: string }[] }>(
      refused ?? new Response('{}'),
    );
    expect(problem.error).toBe('conflict');
    expect(problem.issues?.map((i) => i.path)).toEqual(['personalNumber']);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM identities WHERE user_id IN ('tvilling01', 'tvilling02')",
      ),
    ).toBe(1);
  });
});

describe('an administrator tapping "create" several times at once', () => {
  async function admin() {
    const person = await seedPerson({ isAdmin: true, name: 'Ada Admin' });
    return personCookie(person.id);
  }

  it('creates one mailbox; the other taps are told the username is taken', async () => {
    const cookie = await admin();
    const unit = await seedUnit('Hemtjänst Dubbeltryck');
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        call('/api/admin/mailboxes', {
          cookie,
          body: { username: 'dubbeltryck', displayName: 'Dubbeltryck', unitId: unit.id },
        }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409)) {
      expect((await json<{ error: string }>(r)).error).toBe('conflict');
    }
    expect(await count("SELECT COUNT(*) AS n FROM mailboxes WHERE username = 'dubbeltryck'")).toBe(
      1,
    );
    const [mailbox] = (
      await env.DB.prepare("SELECT id FROM mailboxes WHERE username = 'dubbeltryck'").all<{
        id: string;
      }>()
    ).results;
    expect(
      await count(
        'SELECT COUNT(*) AS n FROM password_history WHERE mailbox_id = ?',
        mailbox?.id ?? '',
      ),
    ).toBe(1);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM audit WHERE action = 'mailbox.create' AND target = ?",
        `mailbox:${mailbox?.id}`,
      ),
    ).toBe(1);
  });

  it('creates one person for one e-mail address; the other taps are told it is taken', async () => {
    const cookie = await admin();
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        call('/api/admin/people', {
          cookie,
          body: { name: 'Per Parallell', email: 'per.parallell@example.se' },
        }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(
      await count("SELECT COUNT(*) AS n FROM people WHERE email = 'per.parallell@example.se'"),
    ).toBe(1);
  });
});

describe("a manager's reset on behalf racing an SMS reset of the same mailbox", () => {
  const ON_BEHALF = 'Chefens-Val-2026';
  const BY_SMS = 'Enhetens-Val-2026';

  async function canLogIn(mailbox: SeededMailbox, password: string) {
    const res = await call('/api/mailbox/session', {
      body: { username: mailbox.username, password },
    });
    return res.status === 200;
  }

  it("ends with the manager's password either way: a reset after it is refused, one before it is replaced", async () => {
    const unit = await seedUnit('Hemtjänst Kapplöpning');
    const manager = await seedPerson({ name: 'Maja Chef', roles: { [unit.id]: 'manager' } });
    const cookie = await personCookie(manager.id);
    const mailbox = await seedMailbox({ unitId: unit.id });
    const session = await login(mailbox);
    const { id, code } = await startReset(mailbox);
    const verified = await call(`/api/resets/${id}/code`, { body: { code } });
    const { token } = await json<{ token: string }>(verified);

    const [onBehalf, bySms] = await Promise.all([
      call(`/api/manager/mailboxes/${mailbox.id}/password`, {
        cookie,
        body: { password: ON_BEHALF },
      }),
      call(`/api/resets/${id}/password`, { body: { token, newPassword: BY_SMS } }),
    ]);
    // The manager's write always lands. A reset it overtook is about the password it replaced
    // (perhaps reset on behalf because that phone was misused), so it is refused: 410.
    expect(onBehalf.status).toBe(200);
    expect([204, 410]).toContain(bySms.status);
    expect(await canLogIn(mailbox, ON_BEHALF)).toBe(true);
    expect(await canLogIn(mailbox, BY_SMS)).toBe(false);
    expect(await canLogIn(mailbox, mailbox.password)).toBe(false);
    expect(
      await count('SELECT COUNT(*) AS n FROM password_history WHERE mailbox_id = ?', mailbox.id),
    ).toBe(bySms.status === 204 ? 3 : 2);
    const me = await call('/api/mailbox', { cookie: session });
    expect(me.status).toBe(401);
    // The reset cannot be completed afterwards either.
    expect(
      (await call(`/api/resets/${id}/password`, { body: { token, newPassword: BY_SMS } })).status,
    ).toBe(410);
  });
});
