import { DurableObject } from 'cloudflare:workers';
import * as v from 'valibot';
import { config } from '../config';
import { findActiveConnector, recordConnected, recordJob } from '../db/connectors';
import { fromBase64Url, randomBytes, toBase64Url } from '../domain/bytes';
import {
  ConnectorMessage,
  challengeText,
  type DirectoryErrorCode,
  DomainPolicy,
  HELLO_TIMEOUT_MS,
  JOB_WAIT_MS,
  jobMac,
  OPERATOR_ERROR_CODES,
  type Operation,
  parseFrame,
} from '../domain/directory-protocol';
import { encryptForConnector, type RsaPublicJwk } from '../domain/webhook';

/**
 * How long a job stays valid for the connector. Shorter than the worker's wait, so a job the
 * connector starts late cannot still change the domain after the person was told that nothing
 * changed (a 503). The connector drops expired jobs.
 */
const JOB_EXPIRY_MS = JOB_WAIT_MS - 1_000;

/**
 * Results that say something is wrong with the connector or its delegation, as opposed to an
 * answer about the person's password (wrong, locked, must change, refused by the policy).
 */
const OPERATOR_ERRORS = new Set<string>([...OPERATOR_ERROR_CODES, 'timeout']);

/** What the hub keeps on each socket; survives hibernation (at most 2 KiB). */
type Attachment =
  | { state: 'pending'; nonce: string; issuedAt: number }
  | { state: 'checking'; connectorId: string; since: number }
  | {
      state: 'ready';
      connectorId: string;
      since: number;
      version: string;
      domainController: string;
      encryptionKey: RsaPublicJwk;
      /** This connection's job key, base64url; it left the hub only encrypted. */
      sessionKey: string;
    };

/** Passwords a job carries; each travels as a JWE to the chosen connector's key. */
export type JobSecrets = Partial<Record<'password' | 'oldPassword' | 'newPassword', string>>;

export type HubResult =
  | { ok: true; value: Record<string, unknown>; connectorId: string }
  | { ok: false; error: DirectoryErrorCode | 'offline' | 'timeout'; detail?: string };

export interface ConnectedConnector {
  connectorId: string;
  since: number;
  version: string;
  domainController: string;
}

interface PendingJob {
  socket: WebSocket;
  connectorId: string;
  op: Operation;
  settle(result: HubResult): void;
}

function attachmentOf(ws: WebSocket): Attachment | null {
  return (ws.deserializeAttachment() as Attachment | null) ?? null;
}

function closeQuietly(ws: WebSocket, code: number, reason: string) {
  try {
    ws.close(code, reason);
  } catch {
    // Already closing or closed.
  }
}

async function signatureValid(signingKey: string, signature: string, text: Uint8Array) {
  const raw = fromBase64Url(signingKey);
  const sig = fromBase64Url(signature);
  if (raw?.length !== 32 || sig?.length !== 64) return false;
  try {
    const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, text);
  } catch {
    return false;
  }
}

/**
 * The organisation's end of its directory connectors: holds their WebSockets (hibernatable,
 * so an idle connection costs nothing), proves each connector by a signed nonce, and hands
 * out jobs, waiting at most JOB_WAIT_MS for a result.
 */
export class DirectoryHub extends DurableObject<Env> {
  /** Jobs sent and not answered yet. In memory: the object stays awake while a caller waits. */
  private readonly pending = new Map<string, PendingJob>();

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const nonce = toBase64Url(randomBytes(32));
    server.serializeAttachment({
      state: 'pending',
      nonce,
      issuedAt: Date.now(),
    } satisfies Attachment);
    server.send(
      JSON.stringify({ type: 'challenge', nonce, origin: config(this.env).publicOrigin.origin }),
    );
    // A socket that never proves itself is closed by the alarm. An alarm already set for an
    // earlier socket stays: moving it later with every new socket would let a stream of
    // unproven sockets put it off for ever (it sets the next one when it runs).
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + HELLO_TIMEOUT_MS);
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    let next: number | null = null;
    for (const ws of this.ctx.getWebSockets()) {
      const a = attachmentOf(ws);
      const since = a?.state === 'pending' ? a.issuedAt : a?.state === 'checking' ? a.since : null;
      if (since === null) continue;
      if (now - since >= HELLO_TIMEOUT_MS) closeQuietly(ws, 1008, 'no answer to the challenge');
      else next = Math.min(next ?? Number.POSITIVE_INFINITY, since + HELLO_TIMEOUT_MS);
    }
    // Sockets that are still young get their own turn.
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const a = attachmentOf(ws);
    const msg = parseFrame(ConnectorMessage, data);
    if (!a || !msg) {
      closeQuietly(ws, 1007, 'malformed message');
      return;
    }
    if (a.state === 'pending') {
      if (msg.type !== 'hello') {
        closeQuietly(ws, 1008, 'answer the challenge first');
        return;
      }
      // The nonce is spent before anything is awaited: a second hello on this socket, or the
      // same signature on another socket (which has another nonce), gets nowhere.
      ws.serializeAttachment({
        state: 'checking',
        connectorId: msg.connectorId,
        since: Date.now(),
      } satisfies Attachment);
      await this.hello(ws, a, msg);
      return;
    }
    if (a.state !== 'ready' || msg.type !== 'result') {
      closeQuietly(ws, 1008, 'unexpected message');
      return;
    }
    const job = this.pending.get(msg.id);
    // A result from another socket than the job was sent to is ignored.
    if (!job || job.socket !== ws) return;
    this.pending.delete(msg.id);
    job.settle(
      msg.ok
        ? { ok: true, value: msg.value, connectorId: a.connectorId }
        : {
            ok: false,
            error: msg.error,
            ...(msg.detail === undefined ? {} : { detail: msg.detail }),
          },
    );
  }

  private async hello(
    ws: WebSocket,
    challenge: Extract<Attachment, { state: 'pending' }>,
    msg: Extract<ConnectorMessage, { type: 'hello' }>,
  ) {
    const now = Date.now();
    const origin = config(this.env).publicOrigin.origin;
    const connector =
      now - challenge.issuedAt < HELLO_TIMEOUT_MS
        ? await findActiveConnector(this.env.DB, msg.connectorId)
        : null;
    const valid =
      connector !== null &&
      (await signatureValid(
        connector.signingKey,
        msg.signature,
        challengeText(origin, msg.connectorId, challenge.nonce),
      ));
    const at = Math.floor(now / 1000);
    if (!connector || !valid) {
      // Only a registered connector's failed signature is worth the administrator's view (a
      // wrong key file); anyone can send an unknown id, and that must not push real errors out.
      if (connector) {
        await recordJob(this.env.DB, connector.id, {
          at,
          op: 'hello',
          outcome: 'refused',
          error: 'hello_refused',
          detail: 'signature did not verify',
        });
      }
      closeQuietly(ws, 1008, 'not a registered connector');
      return;
    }
    // A revoke that ran while this hello was being checked closed the socket: it stays closed.
    if (ws.readyState !== WebSocket.OPEN || attachmentOf(ws)?.state !== 'checking') return;
    const sessionKey = toBase64Url(randomBytes(32));
    ws.serializeAttachment({
      state: 'ready',
      connectorId: connector.id,
      since: now,
      version: msg.version,
      domainController: msg.domainController,
      encryptionKey: connector.encryptionKey,
      sessionKey,
    } satisfies Attachment);
    ws.send(
      JSON.stringify({
        type: 'ready',
        connectorId: connector.id,
        sessionKey: await encryptForConnector(sessionKey, connector.encryptionKey),
      }),
    );
    await recordConnected(this.env.DB, connector.id, {
      at,
      version: msg.version,
      domainController: msg.domainController,
    });
    // The domain's lockout threshold bounds Nyckel's own throttle: read it at once.
    this.ctx.waitUntil(this.run('health', {}).then(() => undefined));
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    this.fail(ws);
    // Echoing the peer's code can be invalid (1005, 1006); a plain close is always allowed.
    closeQuietly(ws, 1000, 'closed');
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.fail(ws);
  }

  /** Jobs waiting on a socket that went away fail at once instead of at the deadline. */
  private fail(ws: WebSocket) {
    for (const [id, job] of this.pending) {
      if (job.socket !== ws) continue;
      this.pending.delete(id);
      job.settle({ ok: false, error: 'offline', detail: 'the connector disconnected' });
    }
  }

  private ready(): { ws: WebSocket; a: Extract<Attachment, { state: 'ready' }> }[] {
    const out: { ws: WebSocket; a: Extract<Attachment, { state: 'ready' }> }[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const a = attachmentOf(ws);
      if (a?.state === 'ready' && ws.readyState === WebSocket.OPEN) out.push({ ws, a });
    }
    // The newest connection first: an older one may be a half-open socket not yet noticed.
    return out.sort((x, y) => y.a.since - x.a.since);
  }

  /** The connectors proven and connected now. */
  async connected(): Promise<ConnectedConnector[]> {
    return this.ready().map(({ a }) => ({
      connectorId: a.connectorId,
      since: a.since,
      version: a.version,
      domainController: a.domainController,
    }));
  }

  /** Closes every socket of a connector, after an administrator revoked it. */
  async disconnect(connectorId: string): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) {
      const a = attachmentOf(ws);
      if ((a?.state === 'ready' || a?.state === 'checking') && a.connectorId === connectorId) {
        this.fail(ws);
        closeQuietly(ws, 1008, 'revoked');
      }
    }
  }

  /** The domain's policy from the last health job, if any. */
  async policy(): Promise<DomainPolicy | null> {
    return (await this.ctx.storage.get<DomainPolicy>('policy')) ?? null;
  }

  /**
   * Sends one job to a connected connector and waits for its result, at most `waitMs`.
   * Passwords in `secrets` are encrypted to that connector's key and join the arguments.
   */
  async run(
    op: Operation,
    args: Record<string, unknown>,
    secrets: JobSecrets = {},
    waitMs: number = JOB_WAIT_MS,
  ): Promise<HubResult> {
    const target = this.ready()[0];
    if (!target) return { ok: false, error: 'offline' };
    const { ws, a } = target;
    const sealed: Record<string, string> = {};
    for (const [name, value] of Object.entries(secrets)) {
      if (value !== undefined) sealed[name] = await encryptForConnector(value, a.encryptionKey);
    }
    const id = toBase64Url(randomBytes(18));
    const started = Date.now();
    const expiresAt = started + Math.min(waitMs, JOB_EXPIRY_MS);
    const jobArgs = { ...args, ...sealed };
    const mac = await jobMac(a.sessionKey, { id, expiresAt, op, args: jobArgs });
    const result = await new Promise<HubResult>((resolve) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          resolve({ ok: false, error: 'timeout' });
        },
        Math.min(waitMs, JOB_WAIT_MS),
      );
      this.pending.set(id, {
        socket: ws,
        connectorId: a.connectorId,
        op,
        settle: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
      try {
        ws.send(JSON.stringify({ type: 'job', id, expiresAt, op, args: jobArgs, mac }));
      } catch {
        this.pending.delete(id);
        clearTimeout(timer);
        resolve({ ok: false, error: 'offline' });
      }
    });
    if (result.ok && op === 'health') {
      const policy = v.safeParse(DomainPolicy, (result.value as { policy?: unknown }).policy);
      if (policy.success) await this.ctx.storage.put('policy', policy.output);
    }
    // The administrator's view of the last job and recent errors; the answer does not wait.
    this.ctx.waitUntil(
      recordJob(this.env.DB, a.connectorId, {
        at: Math.floor(started / 1000),
        op,
        outcome: result.ok ? 'ok' : result.error,
        ...(!result.ok && OPERATOR_ERRORS.has(result.error)
          ? { error: result.error, detail: result.detail ?? '' }
          : {}),
      }).catch(() => undefined),
    );
    return result;
  }
}
