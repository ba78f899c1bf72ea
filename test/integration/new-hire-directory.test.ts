import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { backgroundSettled } from '../../worker/services/deps';
import { type FakeConnector, fakeConnector, guidFor } from '../directory-helpers';
import { auditRows, call, json } from '../helpers';
import {
  dayFromToday,
  identityBody,
  integrationCall,
  seedServiceToken,
  validPnr,
} from '../identity-helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * New hires' initial passwords set in the domain (NEW_HIRE_PASSWORDS=ad), through the real hub
 * and a fake connector that speaks the real protocol. This file runs the worker with that
 * setting; everything else runs with the default, where the IdM sets the password. The
 * connector's own part is tested against a real Samba DC in connector/test and test/e2e.
 */
(env as unknown as Record<string, string>).NEW_HIRE_PASSWORDS = 'ad';

interface Detail {
  identity: { id: string; initialPassword: string };
  initialPassword: {
    state: string;
    firstLoginAt: string | null;
    withdrawnAt: string | null;
    directory: { state: string; error: string | null; writtenAt: string | null };
  };
}

let seq = 0;

async function team() {
  const unit = await seedUnit(`Hemtjänst ${++seq}`);
  const manager = await seedPerson({ name: 'Maja Chef', roles: { [unit.id]: 'manager' } });
  const { token } = await seedServiceToken();
  return { unit, token, cookie: await personCookie(manager.id) };
}

type Team = Awaited<ReturnType<typeof team>>;

/** A hire the HR system reports, with an account of the same name in the fake domain. */
async function hire(t: Team, userId: string, startDate: string, state = 'new') {
  const res = await integrationCall(`/api/integration/identities/${userId}`, t.token, {
    method: 'PUT',
    body: identityBody(t.unit.id, { startDate, state, personalNumber: validPnr(seq + 500) }),
  });
  expect(res.status).toBe(201);
  await backgroundSettled();
  return (await json<{ identity: { id: string } }>(res)).identity.id;
}

function account(connector: FakeConnector, n: number, username: string) {
  const guid = guidFor(n);
  connector.accounts.set(guid, {
    guid,
    username,
    password: `Egen-${n}-Losen`,
    locked: false,
    mustChange: false,
    disabled: false,
    history: [],
  });
  return connector.accounts.get(guid) as NonNullable<ReturnType<typeof connector.accounts.get>>;
}

async function detail(t: Team, id: string) {
  return json<Detail>(await call(`/api/manager/identities/${id}`, { cookie: t.cookie }));
}

async function fetchPassword(t: Team, id: string) {
  return call(`/api/manager/identities/${id}/initial-password`, { cookie: t.cookie, body: {} });
}

async function sync() {
  const res = await call('/api/dev/directory-sync', { body: {} });
  expect(res.status).toBe(200);
  return json<{
    written: number;
    failed: number;
    checked: number;
    firstLogins: number;
    unavailable: boolean;
  }>(res);
}

describe('a hire starting today', () => {
  it('gets the password in the domain at once, with must-change, and the page says so', async () => {
    const connector = await fakeConnector();
    const t = await team();
    const domain = account(connector, 101, 'idag01');
    const id = await hire(t, 'idag01', dayFromToday(0));
    const writes = connector.jobs.filter((j) => j.op === 'initial');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.args).toMatchObject({ attribute: 'sAMAccountName', value: 'idag01' });
    // The password travels as a JWE, never in clear.
    expect(String(writes[0]?.raw.newPassword)).toMatch(/^[\w-]+(\.[\w-]+){4}$/);

    const fetched = await json<{ password: string; usableNow: boolean }>(
      await fetchPassword(t, id),
    );
    expect(fetched.usableNow).toBe(true);
    expect(domain.password).toBe(fetched.password);
    expect(domain.mustChange).toBe(true);

    const page = await detail(t, id);
    expect(page.initialPassword.directory).toMatchObject({ state: 'written', error: null });
    expect(page.initialPassword.directory.writtenAt).not.toBeNull();
    const audit = (await auditRows()).filter((r) => r.target === `identity:${id}`);
    expect(audit.map((r) => r.action)).toContain('initial_password.directory_write');
    expect(JSON.stringify(audit)).not.toContain(fetched.password);

    // Written once per cycle: later runs never write it again.
    expect((await sync()).written).toBe(0);
    expect(connector.jobs.filter((j) => j.op === 'initial')).toHaveLength(1);
    connector.close();
  });

  it('waits when no connector is connected, says "not yet active", and a later run writes it', async () => {
    const t = await team();
    const id = await hire(t, 'idag02', dayFromToday(0));
    const waiting = await detail(t, id);
    expect(waiting.initialPassword.directory).toMatchObject({
      state: 'pending',
      error: 'unavailable',
    });
    const early = await json<{ usableNow: boolean }>(await fetchPassword(t, id));
    expect(early.usableNow).toBe(false);

    const connector = await fakeConnector();
    const domain = account(connector, 102, 'idag02');
    const run = await sync();
    expect(run).toMatchObject({ written: 1, failed: 0 });
    expect(domain.mustChange).toBe(true);
    expect((await detail(t, id)).initialPassword.directory.state).toBe('written');
    const fetched = await json<{ password: string; usableNow: boolean }>(
      await fetchPassword(t, id),
    );
    expect(fetched).toMatchObject({ usableNow: true, password: domain.password });
    connector.close();
  });

  it('keeps trying while the IdM has not created the account, and says why', async () => {
    const connector = await fakeConnector();
    const t = await team();
    const id = await hire(t, 'idag03', dayFromToday(0));
    expect((await detail(t, id)).initialPassword.directory).toMatchObject({
      state: 'pending',
      error: 'not_found',
    });
    // Nothing is created: the account appears when the IdM makes it.
    expect([...connector.accounts.values()].some((a) => a.username === 'idag03')).toBe(false);
    account(connector, 103, 'idag03');
    expect((await sync()).written).toBe(1);
    expect((await detail(t, id)).initialPassword.directory.state).toBe('written');
    connector.close();
  });

  it('is written by one writer only when runs meet', async () => {
    const connector = await fakeConnector();
    const t = await team();
    // A slow domain: the first write is still on its way when the second run starts.
    connector.handler = async (job) => {
      if (job.op !== 'initial') return { ok: false, error: 'directory_error' };
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { ok: true, value: { guid: guidFor(104) } };
    };
    const future = await hire(t, 'idag04', dayFromToday(1));
    // Move the start to today without an upsert's own write.
    await env.DB.prepare('UPDATE identities SET start_date = ? WHERE id = ?')
      .bind(dayFromToday(0), future)
      .run();
    const [a, b] = await Promise.all([sync(), sync()]);
    expect(a.written + b.written).toBe(1);
    expect(connector.jobs.filter((j) => j.op === 'initial')).toHaveLength(1);
    connector.close();
  });
});

describe('a hire starting in a week', () => {
  it('is not written before the day; the page says from which date it works', async () => {
    const connector = await fakeConnector();
    const t = await team();
    const domain = account(connector, 110, 'vecka01');
    const id = await hire(t, 'vecka01', dayFromToday(7));
    expect(await sync()).toMatchObject({ written: 0, failed: 0 });
    expect(connector.jobs.filter((j) => j.op === 'initial')).toHaveLength(0);
    expect(domain.password).toBe('Egen-110-Losen');
    expect((await detail(t, id)).initialPassword.directory).toMatchObject({
      state: 'waiting',
      error: null,
    });
    const fetched = await json<{ usableNow: boolean; startDate: string }>(
      await fetchPassword(t, id),
    );
    expect(fetched).toMatchObject({ usableNow: false, startDate: dayFromToday(7) });

    // The day comes.
    await env.DB.prepare('UPDATE identities SET start_date = ? WHERE id = ?')
      .bind(dayFromToday(0), id)
      .run();
    expect((await sync()).written).toBe(1);
    expect(domain.mustChange).toBe(true);
    connector.close();
  });
});

describe('the first login, seen in the domain', () => {
  it('deletes Nyckel’s copy once the person chose their own password', async () => {
    const connector = await fakeConnector();
    const t = await team();
    const domain = account(connector, 120, 'forsta01');
    const id = await hire(t, 'forsta01', dayFromToday(0));
    expect(domain.mustChange).toBe(true);

    // Still the initial password: nothing changes.
    expect(await sync()).toMatchObject({ checked: 1, firstLogins: 0 });
    expect((await fetchPassword(t, id)).status).toBe(200);

    // The person signs in and chooses their own (outside Nyckel).
    domain.mustChange = false;
    domain.password = 'Helt-Eget-Val-9';
    expect(await sync()).toMatchObject({ checked: 1, firstLogins: 1 });
    const gone = await fetchPassword(t, id);
    expect(gone.status).toBe(410);
    expect((await json<{ error: string }>(gone)).error).toBe('initial_password_used');
    const page = await detail(t, id);
    expect(page.initialPassword.state).toBe('used');
    expect(page.initialPassword.firstLoginAt).not.toBeNull();
    const sealed = await env.DB.prepare(
      'SELECT sealed FROM initial_passwords WHERE identity_id = ?',
    )
      .bind(id)
      .first<{ sealed: string | null }>();
    expect(sealed?.sealed).toBeNull();
    const audit = (await auditRows()).filter(
      (r) => r.target === `identity:${id}` && r.action === 'identity.first_login',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('system:directory');

    // Nothing more to ask about, and nothing written again.
    expect(await sync()).toMatchObject({ checked: 0, written: 0 });
    expect(connector.jobs.filter((j) => j.op === 'initial')).toHaveLength(1);
    connector.close();
  });

  it('the HR system’s first-login call still counts as a second source', async () => {
    const connector = await fakeConnector();
    const t = await team();
    account(connector, 121, 'forsta02');
    const id = await hire(t, 'forsta02', dayFromToday(0));
    const res = await integrationCall('/api/integration/identities/forsta02/first-login', t.token, {
      body: {},
    });
    expect(res.status).toBe(200);
    expect((await fetchPassword(t, id)).status).toBe(410);
    expect((await sync()).checked).toBe(0);
    connector.close();
  });
});

describe('ended before the first login', () => {
  it('deletes the copy (410), leaves the domain account to the IdM, and drops it from the list', async () => {
    const connector = await fakeConnector();
    const t = await team();
    const domain = account(connector, 130, 'slut01');
    const id = await hire(t, 'slut01', dayFromToday(0));
    const jobsBefore = connector.jobs.length;
    const ended = await integrationCall('/api/integration/identities/slut01', t.token, {
      method: 'PUT',
      body: identityBody(t.unit.id, {
        startDate: dayFromToday(0),
        state: 'ended',
        personalNumber: validPnr(seq + 500),
      }),
    });
    expect(ended.status).toBe(200);
    const res = await fetchPassword(t, id);
    expect(res.status).toBe(410);
    expect((await json<{ error: string }>(res)).error).toBe('initial_password_withdrawn');
    expect((await detail(t, id)).initialPassword.state).toBe('withdrawn');
    // Nyckel sends the domain nothing: the account's state is the IdM system's.
    expect(connector.jobs.length).toBe(jobsBefore);
    expect(domain.mustChange).toBe(true);
    const due = await json<{ id: string }[]>(
      await call('/api/manager/identities?due=true', { cookie: t.cookie }),
    );
    expect(due.map((d) => d.id)).not.toContain(id);
    expect(await sync()).toMatchObject({ checked: 0, written: 0 });
    connector.close();
  });

  it('is never written when it ends before the start date', async () => {
    const connector = await fakeConnector();
    const t = await team();
    account(connector, 131, 'slut02');
    const id = await hire(t, 'slut02', dayFromToday(3));
    await integrationCall('/api/integration/identities/slut02', t.token, {
      method: 'PUT',
      body: identityBody(t.unit.id, {
        startDate: dayFromToday(3),
        state: 'inactive',
        personalNumber: validPnr(seq + 500),
      }),
    });
    await env.DB.prepare('UPDATE identities SET start_date = ? WHERE id = ?')
      .bind(dayFromToday(0), id)
      .run();
    expect((await sync()).written).toBe(0);
    expect(connector.jobs.filter((j) => j.op === 'initial')).toHaveLength(0);
    connector.close();
  });
});
