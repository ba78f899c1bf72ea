import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type WebSocket, WebSocketServer } from 'ws';
import { fromBase64Url, toBase64Url } from '../../worker/domain/bytes';
import {
  challengeText,
  connectorIdOf,
  JOB_MAX_TTL_MS,
  jobMac,
} from '../../worker/domain/directory-protocol';
import { encryptForConnector, jwkThumbprint } from '../../worker/domain/webhook';
import { type Executor, HubClient, type JobCall, type LogEvent } from '../src/client';
import { ConfigError, loadConfig, splitOus } from '../src/config';
import { KeyFileError, Keyring } from '../src/keys';

const GUID = '0b6f3d1e-8a4c-4f7e-9d2b-1c3e5a7f9b0d';
const PASSWORD = 'Sommar-Regn-Fjäll-42';
const OLD_PASSWORD = 'Vinter-Snö-Kust-17';

let keys: Keyring;
let otherKeys: Keyring;
let connectorId: string;
let dir: string;

before(async () => {
  [keys, otherKeys] = await Promise.all([Keyring.generate(), Keyring.generate()]);
  connectorId = await connectorIdOf(keys.publicKeys().signingKey);
  dir = await mkdtemp(join(tmpdir(), 'nyckel-connector-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One socket on the fake hub, its frames queued so a test can await them in order. */
class Peer {
  private readonly frames: unknown[] = [];
  private readonly waiters: ((frame: unknown) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame: unknown = JSON.parse(String(data));
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  /** This connection's job key, as the real hub makes one for every connection. */
  readonly sessionKey = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  private sending: Promise<void> = Promise.resolve();

  /**
   * Sends in order. A `ready` gets the session key encrypted to the connector's key, and a job
   * its MAC, unless the test gives its own.
   */
  send(frame: unknown): void {
    this.sending = this.sending.then(async () => {
      let out = frame as Record<string, unknown>;
      if (out.type === 'ready' && out.sessionKey === undefined) {
        const encrypted = await encryptForConnector(
          this.sessionKey,
          keys.publicKeys().encryptionKey,
        );
        out = { ...out, sessionKey: encrypted };
      }
      if (out.type === 'job' && out.mac === undefined) {
        const mac = await jobMac(this.sessionKey, out as Parameters<typeof jobMac>[1]);
        out = { ...out, mac };
      }
      this.socket.send(JSON.stringify(out));
    });
  }

  next(timeoutMs = 3_000): Promise<Record<string, unknown>> {
    const queued = this.frames.shift();
    if (queued !== undefined) return Promise.resolve(queued as Record<string, unknown>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame from the connector')), timeoutMs);
      this.waiters.push((frame) => {
        clearTimeout(timer);
        resolve(frame as Record<string, unknown>);
      });
    });
  }

  /** Resolves true if the connector sends nothing within `ms`. */
  async silent(ms: number): Promise<boolean> {
    if (this.frames.length > 0) return false;
    return new Promise((resolve) => {
      const waiter = () => resolve(false);
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(true);
      }, ms);
    });
  }
}

/** A stand-in for the worker's DirectoryHub on 127.0.0.1 and a random port. */
class FakeHub {
  readonly server: WebSocketServer;
  private readonly pending: Peer[] = [];
  private readonly waiters: ((peer: Peer) => void)[] = [];
  url = '';
  origin = '';
  nonce = 'n0nce-0123456789abcdef';

  constructor(options: { autoPong?: boolean } = {}) {
    this.server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      autoPong: options.autoPong ?? true,
    });
    this.server.on('connection', (socket) => {
      const peer = new Peer(socket);
      const waiter = this.waiters.shift();
      if (waiter) waiter(peer);
      else this.pending.push(peer);
    });
  }

  async listen(): Promise<this> {
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.url = `ws://127.0.0.1:${port}/api/connector`;
    this.origin = `http://127.0.0.1:${port}`;
    return this;
  }

  accept(timeoutMs = 5_000): Promise<Peer> {
    const queued = this.pending.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the connector did not dial')), timeoutMs);
      this.waiters.push((peer) => {
        clearTimeout(timer);
        resolve(peer);
      });
    });
  }

  /** Accepts the next socket and runs the handshake as the real hub does, checking the hello. */
  async handshake(): Promise<Peer> {
    const peer = await this.accept();
    peer.send({ type: 'challenge', nonce: this.nonce, origin: this.origin });
    const hello = await peer.next();
    assert.equal(hello.type, 'hello');
    assert.equal(hello.connectorId, connectorId);
    assert.ok(await signatureValid(String(hello.signature), this.origin, this.nonce));
    peer.send({ type: 'ready', connectorId });
    return peer;
  }

  async close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function signatureValid(signature: string, origin: string, nonce: string) {
  const key = await crypto.subtle.importKey(
    'jwk',
    keys.publicKeys().signingKey,
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
  const bytes = fromBase64Url(signature);
  assert.ok(bytes, 'the signature is base64url');
  return crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    bytes,
    challengeText(origin, connectorId, nonce),
  );
}

interface Harness {
  hub: FakeHub;
  client: HubClient;
  calls: JobCall[];
  logs: LogEvent[];
  done(): Promise<void>;
}

async function harness(
  executor: Executor = async () => ({}),
  options: { autoPong?: boolean; pingIntervalMs?: number; pongTimeoutMs?: number } = {},
): Promise<Harness> {
  const hub = await new FakeHub({ autoPong: options.autoPong ?? true }).listen();
  const calls: JobCall[] = [];
  const logs: LogEvent[] = [];
  const client = new HubClient({
    hubUrl: hub.url,
    keys,
    executor: async (...call) => {
      calls.push(call);
      return executor(...call);
    },
    version: '1.2.3-test',
    domainController: 'dc1.kommun.test',
    log: (entry) => logs.push(entry),
    backoffMinMs: 20,
    backoffMaxMs: 100,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
    drainMs: 500,
  });
  client.start();
  return {
    hub,
    client,
    calls,
    logs,
    async done() {
      await client.stop();
      await hub.close();
    },
  };
}

let jobCounter = 0;
function jobId(): string {
  jobCounter++;
  return `job-${String(jobCounter).padStart(12, '0')}`;
}

function job(op: string, args: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return { type: 'job', id: jobId(), expiresAt: Date.now() + 8_000, op, args, ...overrides };
}

describe('handshake', () => {
  test('signs the challenge for the hub origin with the registered key', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.accept();
      peer.send({ type: 'challenge', nonce: h.hub.nonce, origin: h.hub.origin });
      const hello = await peer.next();
      assert.equal(hello.type, 'hello');
      assert.equal(hello.connectorId, connectorId);
      assert.equal(hello.version, '1.2.3-test');
      assert.equal(hello.domainController, 'dc1.kommun.test');
      assert.ok(await signatureValid(String(hello.signature), h.hub.origin, h.hub.nonce));
      // Not valid for any other nonce or origin.
      assert.equal(
        await signatureValid(String(hello.signature), h.hub.origin, 'another-nonce-0123456'),
        false,
      );
      peer.send({ type: 'ready', connectorId });
      await waitFor(() => h.logs.some((l) => l.event === 'ready'));
    } finally {
      await h.done();
    }
  });

  test('refuses to sign a challenge naming another origin', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.accept();
      peer.send({ type: 'challenge', nonce: h.hub.nonce, origin: 'https://nyckel.example.se' });
      const closed = await peer.closed;
      assert.equal(closed.code, 1008);
      assert.ok(await peer.silent(50));
      assert.ok(h.logs.some((l) => l.event === 'origin_mismatch'));
    } finally {
      await h.done();
    }
  });

  test('closes on a ready naming another connector', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.accept();
      peer.send({ type: 'challenge', nonce: h.hub.nonce, origin: h.hub.origin });
      await peer.next();
      peer.send({ type: 'ready', connectorId: 'someone-else-0123456789' });
      assert.equal((await peer.closed).code, 1002);
    } finally {
      await h.done();
    }
  });

  test('dials again after the hub drops the socket', async () => {
    const h = await harness();
    try {
      const first = await h.hub.handshake();
      first.socket.terminate();
      const second = await h.hub.handshake();
      second.send(job('unlock', { guid: GUID }));
      const result = await second.next();
      assert.equal(result.ok, true);
      assert.ok(h.logs.some((l) => l.event === 'disconnected'));
    } finally {
      await h.done();
    }
  });

  test('dials again when the hub stops answering pings', async () => {
    const h = await harness(undefined, { autoPong: false, pingIntervalMs: 50, pongTimeoutMs: 50 });
    try {
      await h.hub.handshake();
      await h.hub.handshake();
      assert.ok(h.logs.some((l) => l.event === 'heartbeat_timeout'));
    } finally {
      await h.done();
    }
  });

  test('stop() closes the socket with 1000', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.handshake();
      await h.client.stop();
      assert.equal((await peer.closed).code, 1000);
      // And does not dial again.
      await assert.rejects(h.hub.accept(300));
    } finally {
      await h.done();
    }
  });
});

describe('jobs', () => {
  test('an expired job and a repeated id are refused without running anything', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.handshake();
      const expired = job('unlock', { guid: GUID }, { expiresAt: Date.now() - 1 });
      peer.send(expired);
      assert.deepEqual(pick(await peer.next(), ['id', 'ok', 'error']), {
        id: expired.id,
        ok: false,
        error: 'expired_job',
      });

      const fresh = job('unlock', { guid: GUID });
      peer.send(fresh);
      assert.equal((await peer.next()).ok, true);
      peer.send({ ...fresh, expiresAt: Date.now() + 5_000 });
      assert.deepEqual(pick(await peer.next(), ['id', 'ok', 'error']), {
        id: fresh.id,
        ok: false,
        error: 'expired_job',
      });
      assert.equal(h.calls.length, 1);
    } finally {
      await h.done();
    }
  });

  test("a job without the session key's MAC is not run, and the connection ends", async () => {
    const h = await harness();
    try {
      const peer = await h.hub.handshake();
      // Someone between the connector and the hub (a TLS-inspecting proxy) can send frames
      // but has no session key: it reached the connector only encrypted to its own key.
      peer.send(job('reset', { guid: GUID }, { mac: 'A'.repeat(43) }));
      assert.equal((await peer.closed).code, 1008);
      assert.equal(h.calls.length, 0);
      assert.ok(h.logs.some((l) => l.message === 'job not authenticated'));
      // It dials again and works with the next connection's key.
      const next = await h.hub.handshake();
      next.send(job('unlock', { guid: GUID }));
      assert.equal((await next.next()).ok, true);
    } finally {
      await h.done();
    }
  });

  test('a job expiring further ahead than the hub may set is refused', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.handshake();
      const early = job(
        'unlock',
        { guid: GUID },
        { expiresAt: Date.now() + JOB_MAX_TTL_MS + 60_000 },
      );
      peer.send(early);
      const result = await peer.next();
      assert.equal(result.error, 'expired_job');
      assert.equal(h.calls.length, 0);
    } finally {
      await h.done();
    }
  });

  test('invalid arguments are refused as directory_error', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.handshake();
      peer.send(job('unlock', { guid: 'not-a-guid' }));
      const result = await peer.next();
      assert.equal(result.ok, false);
      assert.equal(result.error, 'directory_error');
      assert.match(String(result.detail), /guid/);
      // A password that is not a JWE is refused too, not passed on.
      peer.send(job('verify', { guid: GUID, password: PASSWORD }));
      const plain = await peer.next();
      assert.equal(plain.error, 'directory_error');
      assert.ok(!String(plain.detail).includes(PASSWORD));
      // An operation this version does not know is answered rather than left to time out.
      peer.send(job('delete_everything', { guid: GUID }));
      assert.equal((await peer.next()).error, 'directory_error');
      assert.equal(h.calls.length, 0);
    } finally {
      await h.done();
    }
  });

  test('passwords arrive as JWEs and reach the executor decrypted', async () => {
    const h = await harness(async (...[op]) => (op === 'reset' ? { history: 'domain' } : {}));
    try {
      const peer = await h.hub.handshake();
      const publicKey = keys.publicKeys().encryptionKey;
      const change = job('change', {
        guid: GUID,
        oldPassword: await encryptForConnector(OLD_PASSWORD, publicKey),
        newPassword: await encryptForConnector(PASSWORD, publicKey),
      });
      peer.send(change);
      assert.deepEqual(await peer.next(), { type: 'result', id: change.id, ok: true, value: {} });
      assert.deepEqual(h.calls[0], [
        'change',
        { guid: GUID, oldPassword: OLD_PASSWORD, newPassword: PASSWORD },
      ]);

      const reset = job('reset', {
        guid: GUID,
        newPassword: await encryptForConnector(PASSWORD, publicKey),
        mustChange: true,
      });
      peer.send(reset);
      assert.deepEqual((await peer.next()).value, { history: 'domain' });
      assert.deepEqual(h.calls[1], [
        'reset',
        { guid: GUID, newPassword: PASSWORD, mustChange: true },
      ]);

      // Encrypted to another connector's key: refused, and the executor never runs.
      peer.send(
        job('verify', {
          guid: GUID,
          password: await encryptForConnector(PASSWORD, otherKeys.publicKeys().encryptionKey),
        }),
      );
      const wrongKey = await peer.next();
      assert.equal(wrongKey.error, 'directory_error');
      assert.match(String(wrongKey.detail), /another key/);
      assert.equal(h.calls.length, 2);
      assertNoSecrets(h.logs, [PASSWORD, OLD_PASSWORD]);
    } finally {
      await h.done();
    }
  });

  test("the executor's DirectoryError codes become the result's error", async () => {
    const h = await harness(async (...[op]) => {
      if (op === 'verify') throw directoryError('wrong_password', 'Bind refused: 52e');
      if (op === 'unlock') throw directoryError('protected_account', 'adminCount=1');
      if (op === 'find') return { account: null };
      if (op === 'health') return { policy: 'not a policy' };
      throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:636'), {
        code: 'ECONNREFUSED',
      });
    });
    try {
      const peer = await h.hub.handshake();
      const password = await encryptForConnector(PASSWORD, keys.publicKeys().encryptionKey);
      peer.send(job('verify', { guid: GUID, password }));
      assert.deepEqual(pick(await peer.next(), ['ok', 'error', 'detail']), {
        ok: false,
        error: 'wrong_password',
        detail: 'Bind refused: 52e',
      });
      peer.send(job('unlock', { guid: GUID }));
      assert.equal((await peer.next()).error, 'protected_account');
      peer.send(job('find', { username: 'hemtjanstab' }));
      assert.deepEqual((await peer.next()).value, { account: null });
      peer.send(job('list', {}));
      assert.equal((await peer.next()).error, 'unavailable');
      // A value that breaks the contract is not sent on.
      peer.send(job('health', {}));
      assert.equal((await peer.next()).error, 'directory_error');
      const logged = h.logs.filter((l) => l.event === 'job').map((l) => l.outcome);
      assert.deepEqual(logged, [
        'wrong_password',
        'protected_account',
        'ok',
        'unavailable',
        'directory_error',
      ]);
      assert.ok(h.logs.every((l) => l.event !== 'job' || typeof l.ms === 'number'));
    } finally {
      await h.done();
    }
  });

  test('an unexpected exception quoting the password does not leak it', async () => {
    const h = await harness(async (...call) => {
      const [op, args] = call;
      if (op === 'change') {
        throw new TypeError(`cannot encode "${args.newPassword}" for unicodePwd`);
      }
      if (op === 'verify')
        throw directoryError('directory_error', `bind as x with ${args.password}`);
      return {};
    });
    try {
      const peer = await h.hub.handshake();
      const publicKey = keys.publicKeys().encryptionKey;
      peer.send(
        job('change', {
          guid: GUID,
          oldPassword: await encryptForConnector(OLD_PASSWORD, publicKey),
          newPassword: await encryptForConnector(PASSWORD, publicKey),
        }),
      );
      const result = await peer.next();
      assert.equal(result.error, 'directory_error');
      assert.match(String(result.detail), /withheld/);
      peer.send(
        job('verify', { guid: GUID, password: await encryptForConnector(PASSWORD, publicKey) }),
      );
      const verify = await peer.next();
      assert.equal(verify.error, 'directory_error');
      assert.ok(!JSON.stringify(verify).includes(PASSWORD));
      assertNoSecrets(h.logs, [PASSWORD, OLD_PASSWORD]);
    } finally {
      await h.done();
    }
  });

  test('a job before ready is not run', async () => {
    const h = await harness();
    try {
      const peer = await h.hub.accept();
      peer.send(job('unlock', { guid: GUID }));
      assert.equal((await peer.closed).code, 1002);
      assert.equal(h.calls.length, 0);
    } finally {
      await h.done();
    }
  });
});

describe('keys', () => {
  test('the key file is written 0600, reloads to the same keys, and is never overwritten', async () => {
    const path = join(dir, 'keys.json');
    const first = await Keyring.loadOrCreate(path);
    assert.equal(first.created, true);
    if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600);
    const second = await Keyring.loadOrCreate(path);
    assert.equal(second.created, false);
    assert.deepEqual(second.keys.publicKeys(), first.keys.publicKeys());
    await assert.rejects(first.keys.save(path), { code: 'EEXIST' });

    const stored = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(stored.signingKey.crv, 'Ed25519');
    assert.ok(stored.encryptionKey.d, 'the private RSA key is stored');
    // The public keys, and only they, are what is registered.
    const publicKeys = first.keys.publicKeys();
    assert.deepEqual(Object.keys(publicKeys.signingKey).sort(), ['crv', 'kty', 'x']);
    assert.deepEqual(Object.keys(publicKeys.encryptionKey).sort(), ['e', 'kty', 'n']);
    assert.equal(first.keys.kid, await jwkThumbprint(publicKeys.encryptionKey));

    const jwe = await encryptForConnector(PASSWORD, publicKeys.encryptionKey);
    assert.equal(await second.keys.decryptJwe(jwe), PASSWORD);
  });

  test('a key file others can read is refused', {
    skip: process.platform === 'win32',
  }, async () => {
    const path = join(dir, 'open-keys.json');
    await Keyring.loadOrCreate(path);
    await chmod(path, 0o644);
    await assert.rejects(Keyring.load(path), (err: unknown) => {
      assert.ok(err instanceof KeyFileError);
      assert.match(err.message, /chmod 600/);
      return true;
    });
  });

  test('a missing or damaged key file is refused with a clear message', async () => {
    await assert.rejects(Keyring.load(join(dir, 'absent.json')), /"keys" command/);
    const path = join(dir, 'damaged.json');
    await writeFile(path, '{"version":1}', { mode: 0o600 });
    await assert.rejects(Keyring.load(path), KeyFileError);
    await assert.rejects(Keyring.loadOrCreate(path), KeyFileError);
    // Keys swapped between two files: the private halves no longer match the public ones.
    const a = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8'));
    const b = await Keyring.generate();
    const bPath = join(dir, 'b.json');
    await b.save(bPath);
    const mixed = JSON.parse(await readFile(bPath, 'utf8'));
    const mixedPath = join(dir, 'mixed.json');
    await writeFile(
      mixedPath,
      JSON.stringify({ ...mixed, signingKey: { ...mixed.signingKey, x: a.signingKey.x } }),
      { mode: 0o600 },
    );
    await assert.rejects(Keyring.load(mixedPath), KeyFileError);
    const mixedRsa = join(dir, 'mixed-rsa.json');
    const encryptionKey = { ...mixed.encryptionKey, n: a.encryptionKey.n };
    await writeFile(mixedRsa, JSON.stringify({ ...mixed, encryptionKey }), { mode: 0o600 });
    await assert.rejects(Keyring.load(mixedRsa), KeyFileError);
  });

  test('malformed or tampered JWEs are refused', async () => {
    const publicKey = keys.publicKeys().encryptionKey;
    const jwe = await encryptForConnector(PASSWORD, publicKey);
    const parts = jwe.split('.');
    const header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString());
    const withHeader = (h: Record<string, unknown>) =>
      [Buffer.from(JSON.stringify(h)).toString('base64url'), ...parts.slice(1)].join('.');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64url');
    };
    const bad = [
      '',
      'a.b.c.d',
      `${jwe}.x`,
      jwe.replace(/\.[^.]+$/, '.@@@@'),
      withHeader({ ...header, alg: 'RSA-OAEP' }),
      withHeader({ ...header, enc: 'A128GCM' }),
      withHeader({ ...header, kid: 'someone-else' }),
      withHeader({ ...header, zip: 'DEF' }),
      // The header is authenticated data: an equivalent header with other bytes fails.
      withHeader({ kid: header.kid, alg: header.alg, enc: header.enc }),
      [parts[0], flip(parts[1] ?? ''), ...parts.slice(2)].join('.'),
      [...parts.slice(0, 3), flip(parts[3] ?? ''), parts[4]].join('.'),
      [...parts.slice(0, 4), flip(parts[4] ?? '')].join('.'),
    ];
    for (const input of bad) {
      await assert.rejects(keys.decryptJwe(input), { name: 'JweError' }, input.slice(0, 40));
    }
    assert.equal(await keys.decryptJwe(jwe), PASSWORD);
  });
});

describe('config', () => {
  const complete = {
    NYCKEL_URL: 'wss://nyckel.example.se/api/connector',
    LDAP_URL: 'ldaps://dc1.kommun.local',
    LDAP_BIND_DN: 'CN=svc-nyckel,OU=Tjanstekonton,DC=kommun,DC=local',
    LDAP_BIND_PASSWORD: 'Bind-Hemlighet-99',
    LDAP_BASE_DN: 'DC=kommun,DC=local',
    LDAP_OUS: 'OU=Brevlådor, OU=Vård,DC=kommun,DC=local;OU=Skola,DC=kommun,DC=local;',
  };

  test('reads the environment, splitting OUs on ;', () => {
    const config = loadConfig({ argv: [], env: complete, cwd: dir });
    assert.equal(config.hubUrl, complete.NYCKEL_URL);
    assert.equal(config.keyFile, join(dir, 'connector/keys.json'));
    assert.deepEqual(config.directory, {
      url: 'ldaps://dc1.kommun.local',
      startTls: false,
      bindDn: complete.LDAP_BIND_DN,
      bindPassword: complete.LDAP_BIND_PASSWORD,
      baseDn: 'DC=kommun,DC=local',
      ous: ['OU=Brevlådor, OU=Vård,DC=kommun,DC=local', 'OU=Skola,DC=kommun,DC=local'],
      userAttribute: 'sAMAccountName',
      timeoutMs: 5_000,
    });
    assert.deepEqual(splitOus(' ; OU=A,DC=x ;'), ['OU=A,DC=x']);
  });

  test('names a missing setting, and never prints the bind password', () => {
    const { LDAP_URL: _, ...env } = complete;
    assert.throws(
      () => loadConfig({ argv: [], env: { ...env, LDAP_TIMEOUT_MS: 'soon' }, cwd: dir }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /LDAP_URL \(directory\.url\) is missing/);
        assert.match(err.message, /LDAP_TIMEOUT_MS/);
        assert.ok(!err.message.includes(complete.LDAP_BIND_PASSWORD));
        return true;
      },
    );
    assert.throws(
      () => loadConfig({ argv: [], env: { ...complete, LDAP_BIND_PASSWORD: '' }, cwd: dir }),
      /LDAP_BIND_PASSWORD or LDAP_BIND_PASSWORD_FILE/,
    );
  });

  test('refuses ws:// except to the loopback interface, and plain ldap:// without StartTLS', () => {
    assert.throws(
      () => loadConfig({ env: { ...complete, NYCKEL_URL: 'ws://nyckel.example.se/x' }, cwd: dir }),
      /NYCKEL_URL \(hubUrl\) must start with wss:\/\//,
    );
    for (const url of ['ws://127.0.0.1:8787/api/connector', 'ws://localhost:8787/api/connector']) {
      assert.equal(loadConfig({ env: { ...complete, NYCKEL_URL: url }, cwd: dir }).hubUrl, url);
    }
    assert.throws(
      () => loadConfig({ env: { ...complete, NYCKEL_URL: 'https://nyckel.example.se' }, cwd: dir }),
      /NYCKEL_URL/,
    );
    assert.throws(
      () => loadConfig({ env: { ...complete, LDAP_URL: 'ldap://dc1.kommun.local' }, cwd: dir }),
      /LDAP_URL .*unencrypted/,
    );
    const startTls = loadConfig({
      env: { ...complete, LDAP_URL: 'ldap://dc1.kommun.local', LDAP_STARTTLS: 'true' },
      cwd: dir,
    });
    assert.equal(startTls.directory.startTls, true);
    assert.throws(
      () => loadConfig({ env: { ...complete, LDAP_OUS: 'OU=Elsewhere,DC=other,DC=se' }, cwd: dir }),
      /LDAP_OUS .*outside LDAP_BASE_DN/,
    );
  });

  test('a JSON file with paths relative to it, overlaid by the environment', async () => {
    const configDir = join(dir, 'etc');
    await rm(configDir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(configDir));
    await writeFile(join(configDir, 'bind-password'), 'Fil-Hemlighet-7\n', { mode: 0o600 });
    await writeFile(join(configDir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    const file = join(configDir, 'connector.json');
    await writeFile(
      file,
      JSON.stringify({
        hubUrl: 'wss://nyckel.example.se/api/connector',
        keyFile: 'keys.json',
        directory: {
          url: 'ldaps://dc1.kommun.local:636',
          caFile: 'ca.pem',
          bindDn: complete.LDAP_BIND_DN,
          bindPasswordFile: 'bind-password',
          baseDn: complete.LDAP_BASE_DN,
          ous: ['OU=Brevlådor,DC=kommun,DC=local'],
          timeoutMs: 4000,
        },
      }),
    );
    const config = loadConfig({
      argv: ['run', '--config', file],
      env: { LDAP_USER_ATTRIBUTE: 'userPrincipalName' },
      cwd: dir,
    });
    assert.equal(config.keyFile, join(configDir, 'keys.json'));
    assert.equal(config.directory.caFile, join(configDir, 'ca.pem'));
    assert.equal(config.directory.bindPassword, 'Fil-Hemlighet-7');
    assert.equal(config.directory.userAttribute, 'userPrincipalName');
    assert.equal(config.directory.timeoutMs, 4000);
    const overlaid = loadConfig({
      argv: [`--config=${file}`],
      env: { LDAP_TIMEOUT_MS: '3000', LDAP_OUS: 'OU=A,DC=kommun,DC=local;OU=B,DC=kommun,DC=local' },
      cwd: dir,
    });
    assert.equal(overlaid.directory.timeoutMs, 3000);
    assert.deepEqual(overlaid.directory.ous, [
      'OU=A,DC=kommun,DC=local',
      'OU=B,DC=kommun,DC=local',
    ]);
    assert.throws(
      () => loadConfig({ env: { ...complete, LDAP_CA_FILE: join(dir, 'no-ca.pem') }, cwd: dir }),
      /LDAP_CA_FILE .*ENOENT/,
    );
    // A file someone named must exist; an unknown member is a mistake worth naming.
    assert.throws(
      () => loadConfig({ argv: ['--config', join(dir, 'nope.json')], env: complete, cwd: dir }),
      /ENOENT/,
    );
    await writeFile(file, JSON.stringify({ hubURL: 'wss://x' }));
    assert.throws(
      () => loadConfig({ argv: ['--config', file], env: complete, cwd: dir }),
      /hubURL/,
    );
  });
});

function directoryError(code: string, detail: string): Error {
  return Object.assign(new Error(`${code}: ${detail}`), { name: 'DirectoryError', code, detail });
}

function pick(frame: Record<string, unknown>, names: string[]) {
  return Object.fromEntries(names.filter((n) => n in frame).map((n) => [n, frame[n]]));
}

function assertNoSecrets(logs: LogEvent[], secrets: string[]): void {
  const text = JSON.stringify(logs);
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a password reached the log');
  assert.ok(!/eyJ[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+/.test(text), 'a JWE reached the log');
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
