import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  fakeConnector,
  guidFor,
  nextMessage,
  registeredKeys,
  seedDirectoryMailbox,
} from '../directory-helpers';
import { auditRows, call, count, json, seedMailbox, snapshot } from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * What managers and administrators do to mailboxes in the domain: unlock and reset on behalf
 * act in the domain first; administrators register connectors, link mailboxes and import OUs.
 */

async function manager(unitId: string) {
  const person = await seedPerson({ roles: { [unitId]: 'manager' } });
  return personCookie(person.id);
}

async function admin() {
  const person = await seedPerson({ isAdmin: true });
  return personCookie(person.id);
}

async function registration() {
  const keys = await registeredKeys();
  return { keys, body: { signingKey: keys.signingKey, encryptionKey: keys.encryptionJwk } };
}

describe("a manager's actions on a mailbox in the domain", () => {
  it('unlocks it in the domain too', async () => {
    const unit = await seedUnit();
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 21);
    await env.DB.prepare('UPDATE mailboxes SET unit_id = ? WHERE id = ?')
      .bind(unit.id, mailbox.id)
      .run();
    const account = connector.accounts.get(mailbox.guid);
    if (account) account.locked = true;
    const res = await call(`/api/manager/mailboxes/${mailbox.id}/unlock`, {
      cookie: await manager(unit.id),
      body: {},
    });
    expect(res.status).toBe(204);
    expect(account?.locked).toBe(false);
    expect(connector.jobs.map((j) => j.op)).toEqual(['unlock']);
    connector.close();
  });

  it('resets it on behalf in the domain, and answers 503 with nothing changed when it cannot', async () => {
    const unit = await seedUnit();
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 22);
    await env.DB.prepare('UPDATE mailboxes SET unit_id = ? WHERE id = ?')
      .bind(unit.id, mailbox.id)
      .run();
    const cookie = await manager(unit.id);
    const set = await call(`/api/manager/mailboxes/${mailbox.id}/password`, {
      cookie,
      body: { password: 'Nytt-Av-Chefen-7' },
    });
    expect(set.status).toBe(200);
    expect(connector.accounts.get(mailbox.guid)?.password).toBe('Nytt-Av-Chefen-7');
    expect((await auditRows()).some((r) => r.action === 'mailbox.password.on_behalf')).toBe(true);

    connector.close();
    const before = await snapshot();
    const refused = await call(`/api/manager/mailboxes/${mailbox.id}/password`, {
      cookie,
      body: { password: 'Annat-Av-Chefen-8' },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await snapshot()).toEqual(before);
    expect(connector.accounts.get(mailbox.guid)?.password).toBe('Nytt-Av-Chefen-7');
  });
});

describe('connectors in Administration → Katalog', () => {
  it('registers a connector by its public keys, shows it, and revokes it by closing its socket', async () => {
    const cookie = await admin();
    const { keys, body } = await registration();
    const created = await call('/api/admin/directory/connectors', {
      cookie,
      body: { name: 'Serverhallen', keys: body },
    });
    expect(created.status).toBe(201);
    expect(await json(created)).toEqual({ id: keys.id, name: 'Serverhallen' });
    const again = await call('/api/admin/directory/connectors', {
      cookie,
      body: { name: 'Igen', keys: body },
    });
    expect(again.status).toBe(409);

    const view = await json<{ state: string; connectors: { id: string; connected: boolean }[] }>(
      await call('/api/admin/directory', { cookie }),
    );
    expect(view.state).toBe('offline');
    expect(view.connectors).toMatchObject([{ id: keys.id, connected: false }]);

    const revoked = await call(`/api/admin/directory/connectors/${keys.id}`, {
      method: 'DELETE',
      cookie,
    });
    expect(revoked.status).toBe(204);
    // Again: the sockets are closed once more (a failed disconnect is retried), nothing else.
    const again2 = await call(`/api/admin/directory/connectors/${keys.id}`, {
      method: 'DELETE',
      cookie,
    });
    expect(again2.status).toBe(204);
    const entries = (await auditRows()).map((r) => r.action);
    expect(entries.filter((a) => a === 'directory.connector.revoke')).toHaveLength(1);
    expect(entries).toContain('directory.connector.register');
    expect(entries).toContain('directory.connector.revoke');
  });

  it('shows a connected connector, with its version and domain controller, and ends its connection when revoked', async () => {
    const cookie = await admin();
    const connector = await fakeConnector();
    const view = await json<{ state: string; connectors: Record<string, unknown>[] }>(
      await call('/api/admin/directory', { cookie }),
    );
    expect(view.state).toBe('connected');
    expect(view.connectors[0]).toMatchObject({
      id: connector.id,
      connected: true,
      version: 'test-1.0',
      domainController: 'dc1.nyckel.test',
    });
    const socket = connector.socket;
    if (!socket) throw new Error('not connected');
    const closed = nextMessage(socket);
    await call(`/api/admin/directory/connectors/${connector.id}`, { method: 'DELETE', cookie });
    expect(await closed).toMatchObject({ type: 'closed', code: 1008 });
  });

  it.each([
    ['a key that is not Ed25519', { signingKey: { kty: 'OKP', crv: 'X25519', x: 'a'.repeat(43) } }],
    ['a signing key of the wrong length', { signingKey: { kty: 'OKP', crv: 'Ed25519', x: 'abc' } }],
    // All zero: a point of small order, against which a signature can be forged.
    ['a forgeable signing key', { signingKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) } }],
    ['a short RSA key', { encryptionKey: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }],
    ['a private RSA key', { encryptionKey: { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'secret' } }],
    ['no keys at all', null],
  ])('refuses %s with 400 and stores nothing', async (_, change) => {
    const cookie = await admin();
    const { body } = await registration();
    const keys = change === null ? undefined : { ...body, ...change };
    const res = await call('/api/admin/directory/connectors', {
      cookie,
      body: { name: 'Fel', keys },
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: 'invalid_request' });
    expect(await count('SELECT COUNT(*) AS n FROM connectors')).toBe(0);
  });

  it('refuses a revoke of a connector that does not exist', async () => {
    const res = await call('/api/admin/directory/connectors/finns-inte', {
      method: 'DELETE',
      cookie: await admin(),
    });
    expect(res.status).toBe(404);
  });
});

describe('linking and importing mailboxes', () => {
  it('links a mailbox to a domain account: the domain password works from then on, the old one does not', async () => {
    const cookie = await admin();
    const connector = await fakeConnector();
    const guid = guidFor(31);
    connector.accounts.set(guid, {
      guid,
      username: 'hemvardsgruppen',
      password: 'Domanens-Losen-1',
      history: [],
      locked: false,
      mustChange: false,
      disabled: false,
    });
    const mailbox = await seedMailbox({ username: 'hemvardsgruppen', password: 'Hemvard#2026' });
    const res = await call(`/api/admin/mailboxes/${mailbox.id}/directory`, {
      method: 'PUT',
      cookie,
      body: { username: 'hemvardsgruppen' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ mode: 'ad', account: { guid } });
    const signIn = (password: string) =>
      call('/api/mailbox/session', { body: { username: 'hemvardsgruppen', password } });
    expect((await signIn('Hemvard#2026')).status).toBe(401);
    expect((await signIn('Domanens-Losen-1')).status).toBe(200);

    // The same account cannot anchor a second mailbox.
    const other = await seedMailbox({ username: 'annan' });
    const taken = await call(`/api/admin/mailboxes/${other.id}/directory`, {
      method: 'PUT',
      cookie,
      body: { username: 'hemvardsgruppen' },
    });
    expect(taken.status).toBe(409);
    connector.close();
  });

  it('sets a password in the domain when linking with one, judged by the policy first', async () => {
    const cookie = await admin();
    const connector = await fakeConnector();
    const guid = guidFor(32);
    connector.accounts.set(guid, {
      guid,
      username: 'brevlada',
      password: 'Okant-For-Oss-1',
      history: [],
      locked: true,
      mustChange: false,
      disabled: false,
    });
    const mailbox = await seedMailbox({ username: 'brevlada' });
    const weak = await call(`/api/admin/mailboxes/${mailbox.id}/directory`, {
      method: 'PUT',
      cookie,
      body: { username: 'brevlada', password: 'kort' },
    });
    expect(weak.status).toBe(422);
    expect(connector.jobs.map((j) => j.op)).toEqual(['find']);
    const ok = await call(`/api/admin/mailboxes/${mailbox.id}/directory`, {
      method: 'PUT',
      cookie,
      body: { username: 'brevlada', password: 'Valt-Av-Admin-9' },
    });
    expect(ok.status).toBe(200);
    expect(connector.accounts.get(guid)).toMatchObject({
      password: 'Valt-Av-Admin-9',
      locked: false,
    });
    connector.close();
  });

  it('refuses to link to an account the connector cannot find', async () => {
    const cookie = await admin();
    const connector = await fakeConnector();
    const mailbox = await seedMailbox();
    const res = await call(`/api/admin/mailboxes/${mailbox.id}/directory`, {
      method: 'PUT',
      cookie,
      body: { username: 'finns-inte' },
    });
    expect(res.status).toBe(400);
    expect(await count("SELECT COUNT(*) AS n FROM mailboxes WHERE mode = 'ad'")).toBe(0);
    connector.close();
  });

  it('imports the accounts of an OU into a unit, skipping what cannot or need not be imported', async () => {
    const cookie = await admin();
    const unit = await seedUnit();
    const connector = await fakeConnector();
    const add = (n: number, username: string, disabled = false) =>
      connector.accounts.set(guidFor(n), {
        guid: guidFor(n),
        username,
        password: 'x',
        history: [],
        locked: false,
        mustChange: false,
        disabled,
      });
    add(41, 'hemtjanstab');
    add(42, 'nattpatrullen');
    add(43, 'avstangd', true);
    add(44, 'Ogiltigt Namn!');
    await seedMailbox({ username: 'hemtjanstab' });
    const res = await call('/api/admin/directory/import', { cookie, body: { unitId: unit.id } });
    expect(res.status).toBe(200);
    const result = await json<{
      created: { username: string }[];
      skipped: { username: string; reason: string }[];
    }>(res);
    expect(result.created.map((c) => c.username)).toEqual(['nattpatrullen']);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { username: 'hemtjanstab', reason: 'username_taken' },
        { username: 'avstangd', reason: 'disabled' },
        { username: 'Ogiltigt Namn!', reason: 'invalid_username' },
      ]),
    );
    const row = await env.DB.prepare(
      "SELECT mode, object_guid AS guid, unit_id AS unitId FROM mailboxes WHERE username = 'nattpatrullen'",
    ).first();
    expect(row).toEqual({ mode: 'ad', guid: guidFor(42), unitId: unit.id });
    // A second import finds it linked.
    const again = await json<{ created: unknown[]; skipped: { reason: string }[] }>(
      await call('/api/admin/directory/import', { cookie, body: { unitId: unit.id } }),
    );
    expect(again.created).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toContain('linked');
    connector.close();
  });

  it('refuses an import into a unit that does not exist, writing nothing', async () => {
    const connector = await fakeConnector();
    const res = await call('/api/admin/directory/import', {
      cookie: await admin(),
      body: { unitId: 'finns-inte' },
    });
    expect(res.status).toBe(400);
    expect(connector.jobs).toEqual([]);
    connector.close();
  });

  it.each([
    ['an empty body', {}],
    ['a username that is not one', { username: '<script>' }],
    ['an extra field', { username: 'hemtjanstab', mode: 'local' }],
    ['a password of the wrong type', { username: 'hemtjanstab', password: 12345678 }],
  ])('refuses a link with %s as 400 before asking the directory', async (_, body) => {
    const connector = await fakeConnector();
    const mailbox = await seedMailbox();
    const res = await call(`/api/admin/mailboxes/${mailbox.id}/directory`, {
      method: 'PUT',
      cookie: await admin(),
      body,
    });
    expect(res.status).toBe(400);
    expect(connector.jobs).toEqual([]);
    connector.close();
  });
});
