import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { fakeConnector, seedDirectoryMailbox } from '../directory-helpers';
import { call, count, json, latestCode, login, snapshot, wrongCode } from '../helpers';
import { integrationCall, seedServiceToken } from '../identity-helpers';

/*
 * Mailboxes whose password lives in the domain, through the real hub and a fake connector
 * that speaks the real protocol. The connector's own behaviour against a real Samba DC is
 * tested in connector/test.
 */

function signIn(username: string, password: string) {
  return call('/api/mailbox/session', { body: { username, password } });
}

async function reachVerifiedReset(mailbox: { username: string; phone: string | null }) {
  const start = await call('/api/resets', { body: { username: mailbox.username } });
  expect(start.status).toBe(202);
  const { id } = await json<{ id: string }>(start);
  const code = await latestCode(mailbox.phone ?? '');
  const verified = await call(`/api/resets/${id}/code`, { body: { code } });
  expect(verified.status).toBe(200);
  const { token } = await json<{ token: string }>(verified);
  return { id, token, code };
}

describe('sign-in to a mailbox in the domain', () => {
  it('is a bind: the domain password works and a change made in the domain counts at once', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 1, { username: 'hemvardsgruppen' });
    const ok = await signIn('hemvardsgruppen', mailbox.password);
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ username: 'hemvardsgruppen', mustChange: false });
    // In development the wait for the directory is reported, for the benchmark.
    expect(ok.headers.get('Server-Timing')).toMatch(/^directory;dur=\d+$/);
    expect(connector.jobs.map((j) => j.op)).toEqual(['verify']);

    // An administrator changes it in the domain, outside Nyckel.
    const account = connector.accounts.get(mailbox.guid);
    if (account) account.password = 'Utanfor-Nyckel-7';
    expect((await signIn('hemvardsgruppen', mailbox.password)).status).toBe(401);
    expect((await signIn('hemvardsgruppen', 'Utanfor-Nyckel-7')).status).toBe(200);
    connector.close();
  });

  it('stops before the domain would lock the account, and never binds once it has stopped', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 2);
    // The hub read the domain's threshold, 5, from the connector when it connected.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await signIn(mailbox.username, 'Fel-Losen-99')).status);
    // Threshold 5 in the domain: Nyckel locks after 3, so the domain sees at most 3 failures.
    expect(statuses).toEqual([401, 401, 401, 423, 423, 423]);
    expect(connector.jobs.filter((j) => j.op === 'verify')).toHaveLength(3);
    // The lock stands for the right password too, without a bind.
    expect((await signIn(mailbox.username, mailbox.password)).status).toBe(423);
    expect(connector.jobs.filter((j) => j.op === 'verify')).toHaveLength(3);
    connector.close();
  });

  it('says plainly when the domain has locked the account, and counts nothing against it', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 3);
    const account = connector.accounts.get(mailbox.guid);
    if (account) account.locked = true;
    const res = await signIn(mailbox.username, mailbox.password);
    expect(res.status).toBe(423);
    expect(await json(res)).toMatchObject({ error: 'account_locked' });
    expect(await count('SELECT COUNT(*) AS n FROM login_failures')).toBe(0);
    connector.close();
  });

  it('goes straight to choosing a new password when the domain requires one', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 4);
    const account = connector.accounts.get(mailbox.guid);
    if (account) account.mustChange = true;
    const res = await signIn(mailbox.username, mailbox.password);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ mustChange: true });
    const cookie = (res.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    // Until it is changed, the session may read the mailbox and change the password only:
    // an expired password must not be enough to register a number and reset through it.
    const phone = () =>
      call('/api/mailbox/phone', { method: 'PUT', body: { phone: '070-111 22 33' }, cookie });
    const early = await phone();
    expect(early.status).toBe(403);
    expect(await json(early)).toMatchObject({ error: 'password_change_required' });
    expect(await json(await call('/api/mailbox', { cookie }))).toMatchObject({ mustChange: true });
    const change = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: 'Eget-Val-2026x' },
      cookie,
    });
    expect(change.status).toBe(204);
    expect(account?.password).toBe('Eget-Val-2026x');
    expect(account?.mustChange).toBe(false);
    // The session that changed it is free again.
    expect(await json(await call('/api/mailbox', { cookie }))).toMatchObject({ mustChange: false });
    expect((await phone()).status).toBe(202);
    connector.close();
  });

  it('answers 503 with Retry-After when no connector is there, and counts no attempt', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 5);
    connector.close();
    const { counters: _, ...before } = await snapshot();
    const res = await signIn(mailbox.username, mailbox.password);
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await json(res)).toMatchObject({ error: 'directory_unavailable' });
    // Only the per-address request budget counts it (it bounds requests, not guesses).
    const { counters, ...after } = await snapshot();
    expect(after).toEqual(before);
    const keys = (counters ?? []).map((c) => String((c as { key: string }).key));
    expect(keys.filter((key) => key.startsWith('login:'))).toHaveLength(1);
  });
});

describe("other systems' verify of a mailbox in the domain", () => {
  it('is a bind too, and says when the domain wants the password changed first', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 13);
    const { token } = await seedServiceToken(['mailboxes:verify']);
    const verify = (password: string) =>
      integrationCall('/api/integration/mailboxes/verify', token, {
        body: { username: mailbox.username, password },
      });
    expect(await json(await verify(mailbox.password))).toEqual({ valid: true });
    expect(await json(await verify('Fel-Losen-99'))).toEqual({ valid: false });
    const account = connector.accounts.get(mailbox.guid);
    if (account) account.mustChange = true;
    expect(await json(await verify(mailbox.password))).toEqual({ valid: true, mustChange: true });
    connector.close();
    const outage = await verify(mailbox.password);
    expect(outage.status).toBe(503);
  });
});

describe('changing the password of a mailbox in the domain', () => {
  it('changes it in the domain with the old password, and the domain history refuses a reuse', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 6);
    const account = connector.accounts.get(mailbox.guid);
    if (account) account.history = ['Tidigare-Losen-1'];
    const cookie = await login(mailbox);
    const reused = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: 'Tidigare-Losen-1' },
      cookie,
    });
    expect(reused.status).toBe(422);
    expect(await json(reused)).toMatchObject({ error: 'policy', violations: ['reused'] });
    expect(account?.password).toBe(mailbox.password);

    const ok = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: 'Helt-Nytt-2026q' },
      cookie,
    });
    expect(ok.status).toBe(204);
    expect(account?.password).toBe('Helt-Nytt-2026q');
    const change = connector.jobs.filter((j) => j.op === 'change').at(-1);
    expect(change?.args).toMatchObject({
      oldPassword: mailbox.password,
      newPassword: 'Helt-Nytt-2026q',
    });
    // Nyckel's own policy runs first: a weak password never reaches the domain.
    const weak = await call('/api/mailbox/password', {
      body: { currentPassword: 'Helt-Nytt-2026q', newPassword: 'kort' },
      cookie,
    });
    expect(weak.status).toBe(422);
    // Nor does one Nyckel has set before: its peppered history stands in for a domain that
    // ignores the policy-hints control (Samba), here with the domain's own history emptied.
    if (account) account.history = [];
    const back = await call('/api/mailbox/password', {
      body: { currentPassword: 'Helt-Nytt-2026q', newPassword: mailbox.password },
      cookie,
    });
    expect(back.status).toBe(422);
    expect(await json(back)).toMatchObject({ violations: ['reused'] });
    expect(connector.jobs.filter((j) => j.op === 'change')).toHaveLength(2);
    connector.close();
  });
});

describe('a reset by SMS code for a mailbox in the domain', () => {
  it('sets the new password in the domain and unlocks the account', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 7, { phone: '+46701110007' });
    const account = connector.accounts.get(mailbox.guid);
    if (account) account.locked = true;
    const { id, token } = await reachVerifiedReset(mailbox);
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(set.status).toBe(204);
    expect(account?.password).toBe('Tr4sig-Kanin-44');
    expect(account?.locked).toBe(false);
    expect((await signIn(mailbox.username, 'Tr4sig-Kanin-44')).status).toBe(200);
    connector.close();
  });

  it('checks the directory before sending a code: offline, no SMS and no reset', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 8, { phone: '+46701110008' });
    connector.close();
    const res = await call('/api/resets', { body: { username: mailbox.username } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await count('SELECT COUNT(*) AS n FROM challenges')).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'")).toBe(0);
    // An unknown name answers the same during the outage: nothing tells which names exist.
    const unknown = await call('/api/resets', { body: { username: 'finns-inte' } });
    expect(unknown.status).toBe(503);
  });

  it("does not spend a person's reset budget while the domain cannot be reached", async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 14, { phone: '+46701110014' });
    connector.close();
    // More tries than the hour's five per username, all during the outage.
    for (let i = 0; i < 7; i++) {
      const res = await call('/api/resets', { body: { username: mailbox.username } });
      expect(res.status).toBe(503);
    }
    await connector.connect();
    const start = await call('/api/resets', { body: { username: mailbox.username } });
    expect(start.status).toBe(202);
    connector.close();
  });

  it('leaves the token unspent when the connector stops mid-flow, and works after it reconnects', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 9, { phone: '+46701110009' });
    const { id, token } = await reachVerifiedReset(mailbox);
    connector.close();
    const before = await snapshot();
    const refused = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(refused.status).toBe(503);
    expect(await json(refused)).toMatchObject({ error: 'directory_unavailable' });
    expect(await snapshot()).toEqual(before);
    expect(connector.accounts.get(mailbox.guid)?.password).toBe(mailbox.password);

    await connector.connect();
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(set.status).toBe(204);
    expect(connector.accounts.get(mailbox.guid)?.password).toBe('Tr4sig-Kanin-44');
    connector.close();
  });

  it('answers 503 when the connector does not answer in time, and spends nothing', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 10, { phone: '+46701110010' });
    const { id, token } = await reachVerifiedReset(mailbox);
    connector.handler = () => 'silent';
    const started = Date.now();
    const refused = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(refused.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(7_900);
    connector.handler = null;
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(set.status).toBe(204);
    connector.close();
  }, 20_000);

  it('lets the same token finish a reset whose first request stopped while the domain was asked', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 15, { phone: '+46701110015' });
    const { id, token } = await reachVerifiedReset(mailbox);
    // A request that took the lease 31 s ago and never came back (its worker was cancelled).
    await env.DB.prepare('UPDATE challenges SET claim = ? WHERE id = ?')
      .bind(`${Math.floor(Date.now() / 1000) - 31}:stopped`, id)
      .run();
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(set.status).toBe(204);
    expect(connector.accounts.get(mailbox.guid)?.password).toBe('Tr4sig-Kanin-44');
    connector.close();
  });

  it('does not let a second request take a lease still in use', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 16, { phone: '+46701110016' });
    const { id, token } = await reachVerifiedReset(mailbox);
    await env.DB.prepare('UPDATE challenges SET claim = ? WHERE id = ?')
      .bind(`${Math.floor(Date.now() / 1000) - 5}:working`, id)
      .run();
    const second = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(second.status).toBe(410);
    expect(connector.jobs.filter((j) => j.op === 'reset')).toHaveLength(0);
    connector.close();
  });

  it('refuses a password the domain finds in its history, and the token stays usable', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 11, { phone: '+46701110011' });
    const { id, token } = await reachVerifiedReset(mailbox);
    connector.handler = (job) =>
      job.op === 'reset' ? { ok: false, error: 'domain_policy' } : 'silent';
    const refused = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(refused.status).toBe(422);
    expect(await json(refused)).toMatchObject({ violations: ['domain_policy'] });
    connector.handler = null;
    const set = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'Annat-Val-2026z' },
    });
    expect(set.status).toBe(204);
    connector.close();
  });

  it('does not let a wrong code reach the domain', async () => {
    const connector = await fakeConnector();
    const mailbox = await seedDirectoryMailbox(connector, 12, { phone: '+46701110012' });
    const start = await call('/api/resets', { body: { username: mailbox.username } });
    const { id } = await json<{ id: string }>(start);
    const code = await latestCode(mailbox.phone ?? '');
    const wrong = await call(`/api/resets/${id}/code`, { body: { code: wrongCode(code) } });
    expect(wrong.status).toBe(400);
    expect(connector.jobs.map((j) => j.op)).toEqual(['health']);
    connector.close();
  });
});
