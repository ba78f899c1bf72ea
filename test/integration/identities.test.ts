import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { backgroundSettled } from '../../worker/services/deps';
import { auditRows, call, json, outbox, snapshot } from '../helpers';
import {
  dayFromToday,
  identityBody,
  integrationCall,
  PNR,
  seedServiceToken,
  validPnr,
} from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';
import { DEFAULT_SUPPORT } from '../support-fixtures';

/*
 * The initial-password guide's rules, through HTTP against real D1: the HR system upserts
 * identities with a service token, the unit's manager and delegates are e-mailed, the manager
 * finds the person and fetches the initial password, and the first login deletes it.
 */

async function team() {
  const unit = await seedUnit('Hemtjänst Berga');
  const manager = await seedPerson({ name: 'Maja Chef', roles: { [unit.id]: 'manager' } });
  const delegate = await seedPerson({ name: 'Olle Ombud', roles: { [unit.id]: 'delegate' } });
  const { token } = await seedServiceToken();
  return { unit, manager, delegate, token, cookie: await personCookie(manager.id) };
}

async function put(token: string, userId: string, body: unknown) {
  return integrationCall(`/api/integration/identities/${userId}`, token, { method: 'PUT', body });
}

interface Upsert {
  identity: { id: string; initialPassword: string; personalNumberMasked: string };
  created: boolean;
  changed: boolean;
  initialPassword: 'started' | 'none';
}

async function mailsTo(email: string) {
  await backgroundSettled();
  return (await outbox()).filter((m) => m.to === email);
}

async function fetchPassword(cookie: string, id: string) {
  return call(`/api/manager/identities/${id}/initial-password`, { cookie, body: {} });
}

describe('the manager and the delegates are e-mailed with a link to the identity', () => {
  it('sends each of them one e-mail with the deep link, and never the password', async () => {
    const t = await team();
    const res = await put(t.token, 'annand01', identityBody(t.unit.id));
    expect(res.status).toBe(201);
    const { identity } = await json<Upsert>(res);
    for (const person of [t.manager, t.delegate]) {
      const mails = await mailsTo(person.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.body).toContain('hämta initialt lösenord för Anna Andersson');
      expect(mails[0]?.body).toContain(`https://nyckel.test/chef/identitet/${identity.id}`);
    }
    const fetched = await json<{ password: string }>(await fetchPassword(t.cookie, identity.id));
    const everything = JSON.stringify(await outbox());
    expect(everything).not.toContain(fetched.password);
    expect(everything).not.toContain(PNR.anna.canonical);
  });
});

describe('an initial password only for a new identity or one back after ended and inactive', () => {
  it.each([
    ['a new identity, state new', null, 'new', 'started'],
    ['a new identity, state active', null, 'active', 'started'],
    ['a new identity that is already ended', null, 'ended', 'none'],
    ['ended → active: the old password still works', 'ended', 'active', 'none'],
    ['active → active', 'active', 'active', 'none'],
    ['inactive → new: a re-hire', 'inactive', 'new', 'started'],
    ['inactive → active: a re-hire', 'inactive', 'active', 'started'],
  ])('%s', async (_name, before, after, expected) => {
    const t = await team();
    if (before) {
      await put(t.token, 'rule8', identityBody(t.unit.id, { state: before }));
      // The first upsert's own password, if any, is not what this row is about.
      await backgroundSettled();
      await env.DB.prepare('DELETE FROM initial_passwords').run();
      await env.DB.prepare('DELETE FROM outbox').run();
    }
    const res = await put(t.token, 'rule8', identityBody(t.unit.id, { state: after }));
    expect(res.status).toBe(before ? 200 : 201);
    expect((await json<Upsert>(res)).initialPassword).toBe(expected);
    expect(await mailsTo(t.manager.email)).toHaveLength(expected === 'started' ? 1 : 0);
  });

  it('is idempotent: the same body again changes nothing and e-mails nobody', async () => {
    const t = await team();
    const body = identityBody(t.unit.id);
    await put(t.token, 'annand01', body);
    const before = await snapshot();
    const again = await put(t.token, 'annand01', body);
    expect(again.status).toBe(200);
    expect(await json<Upsert>(again)).toMatchObject({ changed: false, initialPassword: 'none' });
    expect(await snapshot()).toEqual(before);
  });

  it('a re-hire gets a new password, different from the earlier one', async () => {
    const t = await team();
    const first = await json<Upsert>(await put(t.token, 'rehire', identityBody(t.unit.id)));
    const old = await json<{ password: string }>(await fetchPassword(t.cookie, first.identity.id));
    await put(t.token, 'rehire', identityBody(t.unit.id, { state: 'ended' }));
    await put(t.token, 'rehire', identityBody(t.unit.id, { state: 'inactive' }));
    const back = await json<Upsert>(
      await put(t.token, 'rehire', identityBody(t.unit.id, { state: 'active' })),
    );
    expect(back.initialPassword).toBe('started');
    const fresh = await json<{ password: string; fetchCount: number }>(
      await fetchPassword(t.cookie, first.identity.id),
    );
    expect(fresh.password).not.toBe(old.password);
    expect(fresh.fetchCount).toBe(1);
  });
});

describe('existing staff seen by the feed for the first time', () => {
  it('records someone active since earlier with no initial password and no e-mail', async () => {
    const t = await team();
    const res = await put(
      t.token,
      'redan01',
      identityBody(t.unit.id, { state: 'active', startDate: dayFromToday(-400) }),
    );
    expect(res.status).toBe(201);
    const body = await json<Upsert>(res);
    expect(body.initialPassword).toBe('none');
    expect(body.identity.initialPassword).toBe('none');
    expect(await mailsTo(t.manager.email)).toHaveLength(0);
    expect(await mailsTo(t.delegate.email)).toHaveLength(0);
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM initial_passwords').first<{
      n: number;
    }>();
    expect(count?.n).toBe(0);
    // Their page says what to do instead: a reset, through their manager or the service desk.
    const page = await json<{ initialPassword: { state: string }; support: unknown }>(
      await call(`/api/manager/identities/${body.identity.id}`, { cookie: t.cookie }),
    );
    expect(page.initialPassword.state).toBe('none');
    expect(page.support).toEqual(DEFAULT_SUPPORT);
    expect((await fetchPassword(t.cookie, body.identity.id)).status).toBe(404);
  });

  it('a first import of many existing staff e-mails nobody', async () => {
    const t = await team();
    const identities = Array.from({ length: 5 }, (_, i) => ({
      userId: `redan${i + 10}`,
      ...identityBody(t.unit.id, {
        state: 'active',
        startDate: dayFromToday(-30 - i),
        personalNumber: validPnr(i + 40),
        hsaId: null,
      }),
    }));
    const res = await integrationCall('/api/integration/identities', t.token, {
      body: { identities },
    });
    expect(res.status).toBe(200);
    const { results } = await json<{ results: { status: number; result?: Upsert }[] }>(res);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.every((r) => r.result?.initialPassword === 'none')).toBe(true);
    expect(await mailsTo(t.manager.email)).toHaveLength(0);
  });

  it('still gives a new hire active from today, or new with a start in the past, a password', async () => {
    const t = await team();
    const today = await json<Upsert>(
      await put(
        t.token,
        'idag10',
        identityBody(t.unit.id, { state: 'active', startDate: dayFromToday(0) }),
      ),
    );
    expect(today.initialPassword).toBe('started');
    const late = await json<Upsert>(
      await put(
        t.token,
        'sen10',
        identityBody(t.unit.id, {
          state: 'new',
          startDate: dayFromToday(-2),
          personalNumber: validPnr(77),
          hsaId: null,
        }),
      ),
    );
    expect(late.initialPassword).toBe('started');
  });
});

describe('ended or inactive before the first login', () => {
  it.each(['ended', 'inactive'])(
    '%s: the password is deleted (410), leaves the pick list and is not reminded',
    async (state) => {
      const t = await team();
      const { identity } = await json<Upsert>(
        await put(t.token, 'slut10', identityBody(t.unit.id, { startDate: dayFromToday(2) })),
      );
      expect((await fetchPassword(t.cookie, identity.id)).status).toBe(200);
      const res = await put(
        t.token,
        'slut10',
        identityBody(t.unit.id, { state, startDate: dayFromToday(2) }),
      );
      expect(res.status).toBe(200);
      expect((await json<Upsert>(res)).identity.initialPassword).toBe('withdrawn');
      const gone = await fetchPassword(t.cookie, identity.id);
      expect(gone.status).toBe(410);
      expect((await json<{ error: string }>(gone)).error).toBe('initial_password_withdrawn');
      const row = await env.DB.prepare(
        'SELECT sealed, withdrawn_at FROM initial_passwords WHERE identity_id = ?',
      )
        .bind(identity.id)
        .first<{ sealed: string | null; withdrawn_at: number | null }>();
      expect(row?.sealed).toBeNull();
      expect(row?.withdrawn_at).not.toBeNull();
      const due = await json<{ id: string }[]>(
        await call('/api/manager/identities?due=true', { cookie: t.cookie }),
      );
      expect(due).toEqual([]);
      await env.DB.prepare('DELETE FROM outbox').run();
      const run = await json<{ initialPasswords: { reminded: number; notified: number } }>(
        await call('/api/dev/rotation', { body: {} }),
      );
      expect(run.initialPasswords).toMatchObject({ reminded: 0, notified: 0 });
      expect(await mailsTo(t.manager.email)).toHaveLength(0);
      const page = await json<{ initialPassword: { state: string; withdrawnAt: string | null } }>(
        await call(`/api/manager/identities/${identity.id}`, { cookie: t.cookie }),
      );
      expect(page.initialPassword.state).toBe('withdrawn');
      expect(page.initialPassword.withdrawnAt).not.toBeNull();
    },
  );

  it('after the first login, ending the employment leaves the record as used', async () => {
    const t = await team();
    const { identity } = await json<Upsert>(await put(t.token, 'slut11', identityBody(t.unit.id)));
    await integrationCall('/api/integration/identities/slut11/first-login', t.token, { body: {} });
    await put(t.token, 'slut11', identityBody(t.unit.id, { state: 'ended' }));
    const gone = await fetchPassword(t.cookie, identity.id);
    expect((await json<{ error: string }>(gone)).error).toBe('initial_password_used');
  });

  it('shows the password as set by the IdM when Nyckel keeps none in the directory', async () => {
    const t = await team();
    const { identity } = await json<Upsert>(await put(t.token, 'idm10', identityBody(t.unit.id)));
    const page = await json<{ initialPassword: { directory: { state: string } } }>(
      await call(`/api/manager/identities/${identity.id}`, { cookie: t.cookie }),
    );
    expect(page.initialPassword.directory.state).toBe('idm');
    const run = await json<{ written: number; checked: number }>(
      await call('/api/dev/directory-sync', { body: {} }),
    );
    expect(run).toMatchObject({ written: 0, checked: 0 });
  });
});

describe('finding the person', () => {
  async function world() {
    const t = await team();
    const bodies: [string, Parameters<typeof identityBody>[1]][] = [
      ['annand01', {}],
      [
        'akeost02',
        {
          personalNumber: PNR.ake.input,
          hsaId: 'SE2321000131-E000000000002',
          givenName: 'Åke',
          familyName: 'Öst',
        },
      ],
      [
        'samord03',
        {
          personalNumber: PNR.coordination.input,
          hsaId: null,
          givenName: 'Lena',
          familyName: 'Åberg',
        },
      ],
    ];
    const ids: Record<string, string> = {};
    for (const [userId, overrides] of bodies) {
      const res = await put(t.token, userId, identityBody(t.unit.id, overrides));
      ids[userId] = (await json<Upsert>(res)).identity.id;
    }
    return { ...t, ids };
  }

  async function search(cookie: string, q: string) {
    const res = await call('/api/manager/identities/search', { cookie, body: { q } });
    expect(res.status).toBe(200);
    return (await json<{ userId: string }[]>(res)).map((r) => r.userId);
  }

  it.each([
    ['user id prefix', 'akeo', ['akeost02']],
    ['user id, any case', 'ANNAND', ['annand01']],
    ['personnummer, short form', PNR.ake.input, ['akeost02']],
    ['personnummer, 12 digits', PNR.ake.canonical, ['akeost02']],
    ['personnummer, 12 digits with hyphen', '19811228-9874', ['akeost02']],
    ['samordningsnummer', PNR.coordination.input, ['samord03']],
    ['HSA-id prefix', 'se2321000131-e0000000000', ['annand01', 'akeost02']],
    ['given name without the ring', 'ake', ['akeost02']],
    ['family name, diacritics typed', 'Åb', ['samord03']],
    ['family name without them', 'ost', ['akeost02']],
    ['full name', 'anna and', ['annand01']],
  ])('by %s', async (_name, q, expected) => {
    const w = await world();
    expect((await search(w.cookie, q)).sort()).toEqual([...expected].sort());
  });

  it('finds by the start of a personnummer, never by a part from its middle or end', async () => {
    const w = await world();
    expect(await search(w.cookie, '19811228')).toEqual(['akeost02']);
    expect(await search(w.cookie, '811228-98')).toEqual(['akeost02']);
    expect(await search(w.cookie, '1228-9874')).toEqual([]);
    expect(await search(w.cookie, '9874')).toEqual([]);
  });

  it('returns at most ten, and needs two characters', async () => {
    const t = await team();
    const batch = Array.from({ length: 12 }, (_, i) => ({
      userId: `anna${String(i).padStart(2, '0')}`,
      ...identityBody(t.unit.id, { personalNumber: validPnr(i), hsaId: null }),
    }));
    const res = await integrationCall('/api/integration/identities', t.token, {
      body: { identities: batch },
    });
    expect(res.status).toBe(200);
    expect(await search(t.cookie, 'anna')).toHaveLength(10);
    const short = await call('/api/manager/identities/search', {
      cookie: t.cookie,
      body: { q: 'a' },
    });
    expect(short.status).toBe(400);
    // Never in the address: a personnummer there would end up in request logs.
    const inAddress = await call(`/api/manager/identities?q=${PNR.anna.canonical}`, {
      cookie: t.cookie,
    });
    expect(inAddress.status).toBe(400);
    expect(await inAddress.text()).not.toContain(PNR.anna.canonical);
    for (const body of [{}, { q: 12345678 }, { q: ['anna'] }, { q: 'anna', due: 'true' }]) {
      const bad = await call('/api/manager/identities/search', { cookie: t.cookie, body });
      expect(bad.status).toBe(400);
    }
  });

  it('lists the identities with an initial password to fetch (the magnifier)', async () => {
    const w = await world();
    await put(
      w.token,
      'ended04',
      identityBody(w.unit.id, {
        personalNumber: validPnr(40),
        hsaId: null,
        state: 'ended',
      }),
    );
    const res = await call('/api/manager/identities?due=true', { cookie: w.cookie });
    const list = await json<{ userId: string; initialPassword: string }[]>(res);
    expect(list.map((r) => r.userId).sort()).toEqual(['akeost02', 'annand01', 'samord03']);
    expect(list.every((r) => r.initialPassword === 'due')).toBe(true);
  });
});

describe('fetching the initial password', () => {
  it('shows the same password every time, counts and audits each fetch, and resets nothing', async () => {
    const t = await team();
    const { identity } = await json<Upsert>(
      await put(t.token, 'annand01', identityBody(t.unit.id)),
    );
    const first = await json<{ password: string; fetchCount: number; usableNow: boolean }>(
      await fetchPassword(t.cookie, identity.id),
    );
    const second = await json<{ password: string; fetchCount: number }>(
      await fetchPassword(t.cookie, identity.id),
    );
    expect(second.password).toBe(first.password);
    expect([first.fetchCount, second.fetchCount]).toEqual([1, 2]);
    expect(first.password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{4}(-[A-HJ-NP-Za-km-z2-9]{4}){2,}$/);
    const fetches = (await auditRows()).filter((r) => r.action === 'initial_password.fetch');
    expect(fetches).toHaveLength(2);
    expect(JSON.stringify(await auditRows())).not.toContain(first.password);
  });

  it('says before the start date that it works only from then', async () => {
    const t = await team();
    const future = await json<Upsert>(
      await put(t.token, 'later01', identityBody(t.unit.id, { startDate: dayFromToday(9) })),
    );
    const past = await json<Upsert>(
      await put(
        t.token,
        'begun01',
        identityBody(t.unit.id, { startDate: dayFromToday(-1), personalNumber: PNR.ake.input }),
      ),
    );
    const later = await json<{ usableNow: boolean; startDate: string }>(
      await fetchPassword(t.cookie, future.identity.id),
    );
    expect(later).toMatchObject({ usableNow: false, startDate: dayFromToday(9) });
    const now = await json<{ usableNow: boolean }>(await fetchPassword(t.cookie, past.identity.id));
    expect(now.usableNow).toBe(true);
  });

  it('needs a strong sign-in within the last 10 minutes', async () => {
    const t = await team();
    const { identity } = await json<Upsert>(
      await put(t.token, 'annand01', identityBody(t.unit.id)),
    );
    const stale = await personCookie(t.manager.id, { verifiedAgoSeconds: 11 * 60 });
    const res = await fetchPassword(stale, identity.id);
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('step_up_required');
  });

  it('is gone after the first login, which is idempotent', async () => {
    const t = await team();
    const { identity } = await json<Upsert>(
      await put(t.token, 'annand01', identityBody(t.unit.id)),
    );
    const first = await integrationCall(
      '/api/integration/identities/annand01/first-login',
      t.token,
      {
        method: 'POST',
      },
    );
    expect(first.status).toBe(200);
    const firstBody = await json<{ firstLoginAt: string }>(first);
    const again = await integrationCall(
      '/api/integration/identities/ANNAND01/first-login',
      t.token,
      {
        method: 'POST',
      },
    );
    expect(await json(again)).toEqual(firstBody);
    const row = await env.DB.prepare('SELECT sealed FROM initial_passwords').first<{
      sealed: string | null;
    }>();
    expect(row?.sealed).toBeNull();
    const fetched = await fetchPassword(t.cookie, identity.id);
    expect(fetched.status).toBe(410);
    expect((await json(fetched)).error).toBe('initial_password_used');
    const detail = await call(`/api/manager/identities/${identity.id}`, { cookie: t.cookie });
    expect(await json(detail)).toMatchObject({
      identity: { initialPassword: 'used', state: 'active' },
      initialPassword: { state: 'used', firstLoginAt: firstBody.firstLoginAt },
    });
  });

  it('answers 404 for first login of an unknown user id', async () => {
    const { token } = await seedServiceToken();
    const res = await integrationCall('/api/integration/identities/nobody/first-login', token, {
      method: 'POST',
    });
    expect(res.status).toBe(404);
  });
});

describe('the manager home lists the initial passwords to fetch', () => {
  it('as a task with the name and the start date, until it is fetched', async () => {
    const t = await team();
    const { identity } = await json<Upsert>(
      await put(t.token, 'annand01', identityBody(t.unit.id)),
    );
    const home = async () =>
      (
        await json<{ identityTasks: { identityId: string; startDate: string }[] }>(
          await call('/api/manager/overview', { cookie: t.cookie }),
        )
      ).identityTasks;
    expect(await home()).toEqual([
      expect.objectContaining({
        identityId: identity.id,
        givenName: 'Anna',
        familyName: 'Andersson',
        startDate: dayFromToday(9),
      }),
    ]);
    await fetchPassword(t.cookie, identity.id);
    expect(await home()).toEqual([]);
  });
});

describe('scoping: another unit sees nothing, by search, by id or by guessing', () => {
  it('a manager of another unit neither finds nor fetches', async () => {
    const t = await team();
    const other = await seedUnit('Hemtjänst Nord');
    const stranger = await seedPerson({ roles: { [other.id]: 'manager' } });
    const cookie = await personCookie(stranger.id);
    const { identity } = await json<Upsert>(
      await put(t.token, 'annand01', identityBody(t.unit.id)),
    );
    for (const q of ['anna', 'annand01', PNR.anna.input, 'SE2321000131']) {
      const res = await call('/api/manager/identities/search', { cookie, body: { q } });
      expect(await json(res)).toEqual([]);
    }
    expect(await json(await call('/api/manager/identities?due=true', { cookie }))).toEqual([]);
    expect((await call(`/api/manager/identities/${identity.id}`, { cookie })).status).toBe(404);
    const fetched = await fetchPassword(cookie, identity.id);
    expect(fetched.status).toBe(404);
    expect(JSON.stringify(await json(fetched))).not.toContain('Anna');
    const guessed = await fetchPassword(cookie, 'no-such-identity');
    expect(guessed.status).toBe(404);
  });

  it('an administrator finds everyone', async () => {
    const t = await team();
    const admin = await seedPerson({ isAdmin: true });
    await put(t.token, 'annand01', identityBody(t.unit.id));
    const res = await call('/api/manager/identities/search', {
      cookie: await personCookie(admin.id),
      body: { q: 'anna' },
    });
    expect((await json<unknown[]>(res)).length).toBe(1);
  });
});

describe('service tokens', () => {
  it('refuses no token, an unknown one and a revoked one with 401, a wrong scope with 403', async () => {
    const unit = await seedUnit();
    const revoked = await seedServiceToken(['identities:write'], { revoked: true });
    const verifier = await seedServiceToken(['mailboxes:verify']);
    const body = identityBody(unit.id);
    for (const token of [null, 'nyk_not-a-real-token-0123456789', revoked.token]) {
      const res = await put(token as string, 'annand01', body);
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
    }
    expect((await put(verifier.token, 'annand01', body)).status).toBe(403);
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM identities').first<{ n: number }>())?.n,
    ).toBe(0);
  });

  it('ignores a person cookie: an administrator cannot use the integration API with one', async () => {
    const unit = await seedUnit();
    const admin = await seedPerson({ isAdmin: true });
    const res = await call('/api/integration/identities/annand01', {
      method: 'PUT',
      cookie: await personCookie(admin.id),
      body: identityBody(unit.id),
    });
    expect(res.status).toBe(401);
  });

  it('slows down a client that keeps presenting bad tokens', async () => {
    const unit = await seedUnit();
    let last = 0;
    for (let i = 0; i < 21; i++) {
      last = (await put('nyk_wrong-token-wrong-token-wrong', 'annand01', identityBody(unit.id)))
        .status;
    }
    expect(last).toBe(429);
  });
});

describe('the personnummer at rest', () => {
  it('is sealed, indexed and masked; never stored or audited in clear', async () => {
    const t = await team();
    const res = await json<Upsert>(await put(t.token, 'annand01', identityBody(t.unit.id)));
    expect(res.identity.personalNumberMasked).toBe(PNR.anna.masked);
    const tables = JSON.stringify(await snapshot());
    expect(tables).not.toContain(PNR.anna.canonical);
    expect(tables).not.toContain(PNR.anna.canonical.slice(2));
    expect(tables).not.toContain(PNR.anna.input);
  });

  it('refuses a second user id with the same personnummer, in any format', async () => {
    const t = await team();
    await put(t.token, 'annand01', identityBody(t.unit.id));
    const res = await put(
      t.token,
      'annand99',
      identityBody(t.unit.id, { personalNumber: PNR.anna.canonical }),
    );
    expect(res.status).toBe(409);
    expect(JSON.stringify(await json(res))).not.toContain('annand01');
  });
});

describe('AES-GCM: a tampered or moved ciphertext is refused', () => {
  async function twoIdentities() {
    const t = await team();
    const a = await json<Upsert>(await put(t.token, 'annand01', identityBody(t.unit.id)));
    const b = await json<Upsert>(
      await put(t.token, 'akeost02', identityBody(t.unit.id, { personalNumber: PNR.ake.input })),
    );
    return { ...t, a: a.identity.id, b: b.identity.id };
  }

  it('a flipped bit', async () => {
    const w = await twoIdentities();
    const row = await env.DB.prepare('SELECT sealed FROM initial_passwords WHERE identity_id = ?')
      .bind(w.a)
      .first<{ sealed: string }>();
    const sealed = row?.sealed ?? '';
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    const flipped = `${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`;
    await env.DB.prepare('UPDATE initial_passwords SET sealed = ? WHERE identity_id = ?')
      .bind(flipped, w.a)
      .run();
    const res = await fetchPassword(w.cookie, w.a);
    expect(res.status).toBe(500);
    const entry = (await auditRows()).find((r) => r.action === 'initial_password.fetch');
    expect(entry).toMatchObject({ outcome: 'failure' });
  });

  it('a ciphertext swapped between identities, and a personnummer moved into the password column', async () => {
    const w = await twoIdentities();
    await env.DB.prepare(
      `UPDATE initial_passwords SET sealed = (SELECT sealed FROM initial_passwords WHERE identity_id = ?)
       WHERE identity_id = ?`,
    )
      .bind(w.b, w.a)
      .run();
    expect((await fetchPassword(w.cookie, w.a)).status).toBe(500);
    await env.DB.prepare(
      `UPDATE initial_passwords SET sealed = (SELECT pnr_sealed FROM identities WHERE id = ?)
       WHERE identity_id = ?`,
    )
      .bind(w.b, w.b)
      .run();
    const res = await fetchPassword(w.cookie, w.b);
    expect(res.status).toBe(500);
    expect(JSON.stringify(await json(res))).not.toContain(PNR.ake.canonical);
  });
});

describe('bad input: a clear 400 and nothing written', () => {
  it.each([
    ['a bad check digit', { personalNumber: '811228-9875' }, 'personalNumber'],
    ['a date that does not exist', { personalNumber: '19850230-1234' }, 'personalNumber'],
    ['a bad HSA-id', { hsaId: 'SE-123' }, 'hsaId'],
    ['no given name', { givenName: ' ' }, 'givenName'],
    ['an unknown unit', { unitId: 'no-such-unit' }, 'unitId'],
    ['a start date that is not a date', { startDate: '2026-02-30' }, 'startDate'],
    ['an unknown state', { state: 'fired' }, 'state'],
    ['a number for a string', { givenName: 42 }, 'givenName'],
    ['an array for a string', { familyName: ['a'] }, 'familyName'],
  ])('%s', async (_name, overrides, path) => {
    const unit = await seedUnit();
    const { token } = await seedServiceToken();
    const before = await snapshot();
    const body = { ...identityBody(unit.id), ...overrides };
    const res = await put(token, 'annand01', body);
    expect(res.status).toBe(400);
    const answer = await json<{ error: string; issues: { path: string }[] }>(res);
    expect(answer.error).toBe('invalid_request');
    expect(answer.issues.map((i) => i.path)).toContain(path);
    expect(JSON.stringify(answer)).not.toContain('811228');
    // Only bookkeeping moved: the token's "last used" and the rate counters.
    const after = await snapshot();
    const data = (rows: typeof after) => ({ ...rows, counters: [], service_tokens: [] });
    expect(data(after)).toEqual(data(before));
  });

  it('a bad user id in the path, unknown fields and __proto__', async () => {
    const unit = await seedUnit();
    const { token } = await seedServiceToken();
    expect((await put(token, 'anna%20a', identityBody(unit.id))).status).toBe(400);
    expect((await put(token, 'annand01', { ...identityBody(unit.id), extra: 1 })).status).toBe(400);
    const proto = await integrationCall('/api/integration/identities/annand01', token, {
      method: 'PUT',
      raw: `{"__proto__":{"admin":true},${JSON.stringify(identityBody(unit.id)).slice(1)}`,
    });
    expect(proto.status).toBe(400);
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM identities').first<{ n: number }>())?.n,
    ).toBe(0);
  });

  it('a batch answers each row on its own', async () => {
    const unit = await seedUnit();
    const { token } = await seedServiceToken();
    const res = await integrationCall('/api/integration/identities', token, {
      body: {
        identities: [
          { userId: 'annand01', ...identityBody(unit.id) },
          { userId: 'bad', ...identityBody(unit.id, { personalNumber: '811228-9875' }) },
        ],
      },
    });
    expect(res.status).toBe(200);
    const { results } = await json<{ results: { userId: string; status: number }[] }>(res);
    expect(results.map((r) => [r.userId, r.status])).toEqual([
      ['annand01', 201],
      ['bad', 400],
    ]);
  });

  it('a batch of more than 50 is refused whole, naming the limit', async () => {
    const unit = await seedUnit();
    const { token } = await seedServiceToken();
    const row = { userId: 'x1', ...identityBody(unit.id) };
    const res = await integrationCall('/api/integration/identities', token, {
      body: { identities: Array.from({ length: 51 }, () => row) },
    });
    expect(res.status).toBe(400);
    const problem = await json<{ issues: { path: string; message: string }[] }>(res);
    expect(problem.issues).toEqual([{ path: 'identities', message: expect.stringMatching(/50/) }]);
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM identities').first<{ n: number }>())?.n,
    ).toBe(0);
  });
});
