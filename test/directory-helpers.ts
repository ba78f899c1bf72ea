import { env, SELF } from 'cloudflare:test';
import { toBase64Url } from '../worker/domain/bytes';
import {
  challengeText,
  connectorIdOf,
  type DirectoryErrorCode,
  type HubMessage,
} from '../worker/domain/directory-protocol';
import { ORIGIN, type SeededMailbox, seedMailbox } from './helpers';
import { connectorKeys, decryptJwe } from './webhook-helpers';

/*
 * A fake directory connector for the workers pool: it speaks the real protocol over a real
 * WebSocket to the real hub (challenge, signed hello, jobs with JWE passwords), and keeps a
 * tiny domain in memory. The connector's own tests run against a real Samba DC instead.
 */

export interface FakeAccount {
  guid: string;
  username: string;
  password: string;
  locked: boolean;
  mustChange: boolean;
  disabled: boolean;
  /** Passwords the domain remembers (its history). */
  history: string[];
}

export interface Job {
  id: string;
  op: string;
  args: Record<string, unknown>;
  /** The JWE fields as they arrived (never plain text on the wire). */
  raw: Record<string, unknown>;
  expiresAt: number;
  mac: string;
}

type Reply =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; error: DirectoryErrorCode };

export interface FakeConnector {
  id: string;
  accounts: Map<string, FakeAccount>;
  jobs: Job[];
  /** Replaces the default behaviour of the tiny domain for the next jobs. */
  handler: ((job: Job) => Promise<Reply | 'silent'> | Reply | 'silent') | null;
  connect(): Promise<WebSocket>;
  close(): void;
  socket: WebSocket | null;
  /** The job key the hub sent in `ready`, decrypted with the connector's RSA key. */
  sessionKey: string;
}

export function guidFor(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `0a1b2c3d-4e5f-4a6b-8c7d-${hex}`;
}

function domainReply(accounts: Map<string, FakeAccount>, job: Job): Reply {
  const a = typeof job.args.guid === 'string' ? accounts.get(job.args.guid) : undefined;
  const needAccount = !['find', 'list', 'health', 'initial', 'password_state'].includes(job.op);
  if (needAccount && !a) return { ok: false, error: 'not_found' };
  switch (job.op) {
    case 'health':
      return {
        ok: true,
        value: {
          policy: {
            lockoutThreshold: 5,
            lockoutDurationSeconds: 1800,
            observationWindowSeconds: 1800,
            minPasswordLength: 7,
            historyLength: 24,
            minPasswordAgeSeconds: 0,
            maxPasswordAgeSeconds: 0,
            complexity: true,
          },
        },
      };
    case 'verify': {
      if (!a) return { ok: false, error: 'not_found' };
      if (a.locked) return { ok: false, error: 'locked' };
      if (a.password !== job.args.password) return { ok: false, error: 'wrong_password' };
      if (a.disabled) return { ok: false, error: 'disabled' };
      if (a.mustChange) return { ok: false, error: 'must_change' };
      return { ok: true, value: {} };
    }
    case 'change': {
      if (!a) return { ok: false, error: 'not_found' };
      if (a.password !== job.args.oldPassword) return { ok: false, error: 'wrong_password' };
      const next = String(job.args.newPassword);
      if (a.history.includes(next)) return { ok: false, error: 'domain_reused' };
      a.history.push(a.password);
      a.password = next;
      a.mustChange = false;
      return { ok: true, value: {} };
    }
    case 'reset': {
      if (!a) return { ok: false, error: 'not_found' };
      a.history.push(a.password);
      a.password = String(job.args.newPassword);
      a.locked = false;
      a.mustChange = job.args.mustChange === true;
      return { ok: true, value: { history: 'none' } };
    }
    case 'unlock':
      if (a) a.locked = false;
      return { ok: true, value: {} };
    case 'must_change':
      if (a) a.mustChange = true;
      return { ok: true, value: {} };
    case 'find': {
      const found = [...accounts.values()].find((x) => x.username === job.args.username);
      return { ok: true, value: { account: found ? accountView(found) : null } };
    }
    case 'list':
      return { ok: true, value: { accounts: [...accounts.values()].map(accountView) } };
    case 'initial': {
      // The fake domain knows only sAMAccountName (the username).
      const found = [...accounts.values()].find(
        (x) => job.args.attribute === 'sAMAccountName' && x.username === job.args.value,
      );
      if (!found) return { ok: false, error: 'not_found' };
      found.history.push(found.password);
      found.password = String(job.args.newPassword);
      found.locked = false;
      found.mustChange = true;
      return { ok: true, value: { guid: found.guid } };
    }
    case 'password_state': {
      const guids = Array.isArray(job.args.guids) ? job.args.guids : [];
      const known = guids.flatMap((g) => {
        const x = typeof g === 'string' ? accounts.get(g) : undefined;
        return x ? [x] : [];
      });
      return {
        ok: true,
        value: {
          accounts: known.map((x) => ({
            guid: x.guid,
            mustChange: x.mustChange,
            passwordSetAt: x.mustChange ? null : Math.floor(Date.now() / 1000),
          })),
        },
      };
    }
    default:
      return { ok: false, error: 'directory_error' };
  }
}

function accountView(a: FakeAccount) {
  return {
    guid: a.guid,
    username: a.username,
    displayName: `Brevlåda ${a.username}`,
    dn: `CN=${a.username},OU=Brevlador,DC=nyckel,DC=test`,
    disabled: a.disabled,
    locked: a.locked,
  };
}

/** Generates the connector's keys and registers them as an administrator would. */
export async function registeredKeys() {
  const signing = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const x = ((await crypto.subtle.exportKey('jwk', signing.publicKey)) as JsonWebKey).x ?? '';
  const encryption = await connectorKeys();
  const signingKey = { kty: 'OKP' as const, crv: 'Ed25519' as const, x };
  const id = await connectorIdOf(signingKey);
  return {
    id,
    signingKey,
    encryptionJwk: {
      kty: 'RSA' as const,
      n: encryption.publicJwk.n ?? '',
      e: encryption.publicJwk.e ?? '',
    },
    signer: signing.privateKey,
    decrypter: encryption.privateKey,
  };
}

export async function registerInD1(keys: Awaited<ReturnType<typeof registeredKeys>>) {
  await env.DB.prepare(
    `INSERT INTO connectors (id, name, signing_key, encryption_key, created_at, created_by)
     VALUES (?, 'Testkopplingen', ?, ?, ?, 'test')`,
  )
    .bind(
      keys.id,
      keys.signingKey.x,
      JSON.stringify(keys.encryptionJwk),
      Math.floor(Date.now() / 1000),
    )
    .run();
}

/** Opens the connector's WebSocket to the hub through the worker's route. */
export async function openSocket(): Promise<WebSocket> {
  const res = await SELF.fetch(`${ORIGIN}/api/connector`, { headers: { Upgrade: 'websocket' } });
  const ws = res.webSocket;
  if (res.status !== 101 || !ws) throw new Error(`no WebSocket: ${res.status}`);
  ws.accept();
  return ws;
}

/** Waits for the next message on a socket (or its close). */
export function nextMessage(ws: WebSocket): Promise<HubMessage | { type: 'closed'; code: number }> {
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent) => {
      cleanup();
      resolve(JSON.parse(String(e.data)) as HubMessage);
    };
    const onClose = (e: CloseEvent) => {
      cleanup();
      resolve({ type: 'closed', code: e.code });
    };
    const cleanup = () => {
      ws.removeEventListener('message', onMessage);
      ws.removeEventListener('close', onClose);
    };
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', onClose);
  });
}

export async function signHello(
  keys: Awaited<ReturnType<typeof registeredKeys>>,
  nonce: string,
  origin = ORIGIN,
  connectorId = keys.id,
) {
  const signature = await crypto.subtle.sign(
    { name: 'Ed25519' },
    keys.signer,
    challengeText(origin, connectorId, nonce),
  );
  return {
    type: 'hello',
    connectorId,
    signature: toBase64Url(new Uint8Array(signature)),
    version: 'test-1.0',
    domainController: 'dc1.nyckel.test',
  };
}

/** A registered, connected fake connector with the given accounts in its tiny domain. */
export async function fakeConnector(
  accounts: Omit<FakeAccount, 'history' | 'locked' | 'mustChange' | 'disabled'>[] = [],
): Promise<FakeConnector> {
  const keys = await registeredKeys();
  await registerInD1(keys);
  const connector: FakeConnector = {
    id: keys.id,
    accounts: new Map(
      accounts.map((a) => [
        a.guid,
        { ...a, history: [], locked: false, mustChange: false, disabled: false },
      ]),
    ),
    jobs: [],
    handler: null,
    socket: null,
    sessionKey: '',
    async connect() {
      const ws = await openSocket();
      const challenge = await nextMessage(ws);
      if (challenge.type !== 'challenge')
        throw new Error(`expected a challenge: ${challenge.type}`);
      ws.send(JSON.stringify(await signHello(keys, challenge.nonce)));
      const ready = await nextMessage(ws);
      if (ready.type !== 'ready') throw new Error(`expected ready: ${JSON.stringify(ready)}`);
      connector.sessionKey = await decryptJwe(ready.sessionKey, keys.decrypter);
      const answer = async (e: MessageEvent) => {
        const msg = JSON.parse(String(e.data)) as HubMessage;
        if (msg.type !== 'job') return;
        const args: Record<string, unknown> = { ...msg.args };
        for (const name of ['password', 'oldPassword', 'newPassword']) {
          if (typeof args[name] === 'string') {
            args[name] = await decryptJwe(args[name] as string, keys.decrypter);
          }
        }
        const job: Job = {
          id: msg.id,
          op: msg.op,
          args,
          raw: msg.args,
          expiresAt: msg.expiresAt,
          mac: msg.mac,
        };
        connector.jobs.push(job);
        const reply = connector.handler
          ? await connector.handler(job)
          : domainReply(connector.accounts, job);
        if (reply === 'silent') return;
        try {
          ws.send(JSON.stringify({ type: 'result', id: msg.id, ...reply }));
        } catch {
          // Closed meanwhile.
        }
      };
      ws.addEventListener('message', (e) => {
        void answer(e);
      });
      connector.socket = ws;
      // The hub asks a new connection for the domain's policy first; tests count from after it.
      for (let i = 0; i < 100 && !connector.jobs.some((j) => j.op === 'health'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      connector.jobs.length = 0;
      return ws;
    },
    close() {
      connector.socket?.close(1000, 'test done');
      connector.socket = null;
    },
  };
  await connector.connect();
  return connector;
}

/** A mailbox in `ad` mode linked to an account of the fake domain. */
export async function seedDirectoryMailbox(
  connector: FakeConnector,
  n: number,
  overrides: { username?: string; password?: string; phone?: string | null } = {},
): Promise<SeededMailbox & { guid: string }> {
  const mailbox = await seedMailbox(overrides);
  const guid = guidFor(n);
  await env.DB.prepare(
    `UPDATE mailboxes SET mode = 'ad', object_guid = ?, password_hash = 'directory$seed' WHERE id = ?`,
  )
    .bind(guid, mailbox.id)
    .run();
  connector.accounts.set(guid, {
    guid,
    username: mailbox.username,
    password: mailbox.password,
    history: [],
    locked: false,
    mustChange: false,
    disabled: false,
  });
  return { ...mailbox, guid };
}
