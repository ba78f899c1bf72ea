import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { JOB_MAX_TTL_MS, jobMacValid } from '../../worker/domain/directory-protocol';
import { hubOf } from '../../worker/services/directory';
import {
  fakeConnector,
  guidFor,
  nextMessage,
  openSocket,
  registeredKeys,
  registerInD1,
  signHello,
} from '../directory-helpers';
import { call, count, json, ORIGIN } from '../helpers';

async function health() {
  return json<{ ok: boolean; directory: string }>(await call('/api/health'));
}

describe('the directory hub', () => {
  it('reports the directory as local, offline or connected in the health check', async () => {
    expect((await health()).directory).toBe('local');
    const connector = await fakeConnector();
    expect((await health()).directory).toBe('connected');
    connector.close();
    await expect.poll(async () => (await health()).directory).toBe('offline');
  });

  it('holds one address to 60 connection attempts in 15 minutes, and no other address', async () => {
    const open = (ip: string) =>
      SELF.fetch(`${ORIGIN}/api/connector`, {
        headers: { Upgrade: 'websocket', 'CF-Connecting-IP': ip },
      });
    for (let i = 0; i < 60; i++) {
      const res = await open('198.51.100.20');
      expect(res.status).toBe(101);
      res.webSocket?.accept();
      res.webSocket?.close(1000, 'done');
    }
    const refused = await open('198.51.100.20');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await open('198.51.100.21')).status).toBe(101);
  });

  it('refuses a plain request to the connector address', async () => {
    const res = await call('/api/connector');
    expect(res.status).toBe(426);
  });

  it('closes a socket whose key nobody registered', async () => {
    const keys = await registeredKeys();
    const ws = await openSocket();
    const challenge = await nextMessage(ws);
    if (challenge.type !== 'challenge') throw new Error('no challenge');
    expect(challenge.nonce).toMatch(/^[\w-]{43}$/);
    ws.send(JSON.stringify(await signHello(keys, challenge.nonce)));
    expect(await nextMessage(ws)).toMatchObject({ type: 'closed', code: 1008 });
    expect((await health()).directory).toBe('local');
    // Anyone can send an unknown id: it must not fill the administrator's list of errors.
    expect(await count('SELECT COUNT(*) AS n FROM connector_errors')).toBe(0);
  });

  it('closes a socket whose signature is for another origin', async () => {
    const keys = await registeredKeys();
    await registerInD1(keys);
    const ws = await openSocket();
    const challenge = await nextMessage(ws);
    if (challenge.type !== 'challenge') throw new Error('no challenge');
    ws.send(JSON.stringify(await signHello(keys, challenge.nonce, 'https://evil.example')));
    expect(await nextMessage(ws)).toMatchObject({ type: 'closed', code: 1008 });
    expect((await health()).directory).toBe('offline');
  });

  it('does not accept a captured hello on another socket: every socket has its own nonce', async () => {
    const keys = await registeredKeys();
    await registerInD1(keys);
    const first = await openSocket();
    const c1 = await nextMessage(first);
    if (c1.type !== 'challenge') throw new Error('no challenge');
    const hello = await signHello(keys, c1.nonce);
    const second = await openSocket();
    const c2 = await nextMessage(second);
    if (c2.type !== 'challenge') throw new Error('no challenge');
    expect(c2.nonce).not.toBe(c1.nonce);
    second.send(JSON.stringify(hello));
    expect(await nextMessage(second)).toMatchObject({ type: 'closed', code: 1008 });
    // The socket it was made for still works once.
    first.send(JSON.stringify(hello));
    expect(await nextMessage(first)).toMatchObject({ type: 'ready', connectorId: keys.id });
    // Then the hub asks for the domain's policy; a second hello instead of a result ends it.
    expect(await nextMessage(first)).toMatchObject({ type: 'job', op: 'health' });
    first.send(JSON.stringify(hello));
    expect(await nextMessage(first)).toMatchObject({ type: 'closed', code: 1008 });
  });

  it('refuses a revoked connector', async () => {
    const keys = await registeredKeys();
    await registerInD1(keys);
    await env.DB.prepare('UPDATE connectors SET revoked_at = 1 WHERE id = ?').bind(keys.id).run();
    const ws = await openSocket();
    const challenge = await nextMessage(ws);
    if (challenge.type !== 'challenge') throw new Error('no challenge');
    ws.send(JSON.stringify(await signHello(keys, challenge.nonce)));
    expect(await nextMessage(ws)).toMatchObject({ type: 'closed', code: 1008 });
  });

  it('closes a socket that sends anything but JSON of the protocol', async () => {
    const ws = await openSocket();
    await nextMessage(ws);
    ws.send('{"type":"result","id":"x"');
    expect(await nextMessage(ws)).toMatchObject({ type: 'closed', code: 1007 });
  });

  it('sends jobs with an id, a near expiry and passwords only as JWEs', async () => {
    const guid = guidFor(1);
    const connector = await fakeConnector([
      { guid, username: 'brevlada', password: 'Gammal#2026a' },
    ]);
    const before = Date.now();
    const result = await hubOf(env).run('verify', { guid }, { password: 'Gammal#2026a' });
    expect(result).toMatchObject({ ok: true, connectorId: connector.id });
    const [job] = connector.jobs;
    expect(job?.op).toBe('verify');
    expect(job?.id).toMatch(/^[\w-]{16,64}$/);
    expect(job?.expiresAt).toBeGreaterThan(before);
    expect(job?.expiresAt).toBeLessThanOrEqual(Date.now() + JOB_MAX_TTL_MS);
    expect(String(job?.raw.password)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(job?.raw)).not.toContain('Gammal');
    expect(job?.args.password).toBe('Gammal#2026a');
    // Only the hub, which sent the session key encrypted to the connector, can make the MAC.
    if (!job) throw new Error('no job');
    const sent = { id: job.id, expiresAt: job.expiresAt, op: job.op, args: job.raw, mac: job.mac };
    expect(await jobMacValid(connector.sessionKey, sent)).toBe(true);
    expect(await jobMacValid(connector.sessionKey, { ...sent, op: 'reset' })).toBe(false);
    expect(
      await jobMacValid(connector.sessionKey, { ...sent, expiresAt: sent.expiresAt + 1 }),
    ).toBe(false);
    connector.close();
  });

  it('asks a newly connected connector for the domain policy, which bounds the sign-in throttle', async () => {
    const connector = await fakeConnector();
    await expect.poll(() => hubOf(env).policy()).toMatchObject({ lockoutThreshold: 5 });
    connector.close();
  });

  it('answers offline at once when no connector is connected', async () => {
    const result = await hubOf(env).run('health', {});
    expect(result).toEqual({ ok: false, error: 'offline' });
  });

  it('fails a job at once when its connector disconnects before answering', async () => {
    const connector = await fakeConnector();
    connector.handler = () => {
      connector.close();
      return 'silent';
    };
    const result = await hubOf(env).run('health', {});
    expect(result).toMatchObject({ ok: false, error: 'offline' });
  });

  it('records the connection and the last job for the administrator', async () => {
    const connector = await fakeConnector();
    await hubOf(env).run('health', {});
    await expect
      .poll(async () =>
        env.DB.prepare(
          'SELECT version, domain_controller, last_job_op, last_job_outcome FROM connectors WHERE id = ?',
        )
          .bind(connector.id)
          .first(),
      )
      .toEqual({
        version: 'test-1.0',
        domain_controller: 'dc1.nyckel.test',
        last_job_op: 'health',
        last_job_outcome: 'ok',
      });
    connector.close();
  });
});
