import * as v from 'valibot';
import WebSocket, { type RawData } from 'ws';
import {
  type ConnectorKeys,
  type ConnectorMessage,
  challengeText,
  connectorIdOf,
  DIRECTORY_ERRORS,
  type DirectoryErrorCode,
  HELLO_TIMEOUT_MS,
  HubMessage,
  JOB_MAX_TTL_MS,
  jobMacValid,
  type Operation,
  type OperationArgs,
  Operations,
  parseFrame,
} from '../../worker/domain/directory-protocol';
import { withDeadline } from './deadline';

/*
 * The hub client: dials out to the worker's DirectoryHub, proves who it is by signing the
 * hub's challenge, and carries out jobs with an injected executor (the Directory in
 * production, a fake in tests). It never opens a port, and it keeps dialling until stopped.
 */

/** One job as the executor sees it: the operation and its arguments, passwords decrypted. */
export type JobCall = { [O in Operation]: [op: O, args: OperationArgs<O>] }[Operation];
/** Carries out one job; resolves with the operation's value or throws a DirectoryError. */
export type Executor = (...call: JobCall) => Promise<unknown>;

/** What the client needs of the keys (see keys.ts); an interface so tests can wrap them. */
export interface ClientKeys {
  publicKeys(): ConnectorKeys;
  sign(data: Uint8Array): Promise<string>;
  decryptJwe(jwe: string): Promise<string>;
}

export type LogEvent = { event: string } & Record<string, unknown>;
export type Logger = (entry: LogEvent) => void;

export interface HubClientOptions {
  hubUrl: string;
  keys: ClientKeys;
  executor: Executor;
  version: string;
  /** The domain controller's host name, shown to the administrator. */
  domainController: string;
  log?: Logger;
  now?: () => number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** How long the hub may take from the socket opening to `ready`. */
  readyTimeoutMs?: number;
  /** On stop, how long jobs already running may take to finish and answer. */
  drainMs?: number;
}

/** The connector's clock may run this far from the worker's. */
export const CLOCK_SKEW_MS = 2_000;
/** Ids are remembered this long; a job's expiry is at most JOB_MAX_TTL_MS ahead anyway. */
const SEEN_TTL_MS = 5 * 60_000;
const SEEN_MAX = 10_000;
/** More jobs at once than this means something is wrong upstream; refuse rather than queue. */
const MAX_IN_FLIGHT = 32;
const MAX_DETAIL = 500;

const PASSWORD_FIELDS = ['password', 'oldPassword', 'newPassword'] as const;
const ERROR_CODES = new Set<string>(DIRECTORY_ERRORS);
/** Socket errors that mean the domain controller did not answer. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** A job frame that failed the contract but whose id can still be answered. */
const JobId = v.object({
  type: v.literal('job'),
  id: v.pipe(v.string(), v.regex(/^[\w-]{16,64}$/)),
});

/** The origin the hub must name in its challenge: the hub URL's, with http(s) for ws(s). */
export function expectedOrigin(hubUrl: string): string {
  const url = new URL(hubUrl);
  const scheme = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : null;
  if (!scheme) throw new Error('The hub URL must be ws:// or wss://');
  return `${scheme}//${url.host}`;
}

type Phase = 'awaiting_challenge' | 'awaiting_ready' | 'ready';

interface Connection {
  socket: WebSocket;
  phase: Phase;
  timers: Set<NodeJS.Timeout>;
  awaitingPong: boolean;
  /** Frames are handled one after another: `ready` and the first job may arrive together. */
  queue: Promise<void>;
  /** The key every job's MAC is made with; the hub sends it, encrypted to us, in `ready`. */
  sessionKey?: string;
}

class JobRefusal extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    readonly detail?: string,
  ) {
    super(detail ?? code);
  }
}

export class HubClient {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly origin: string;
  private readonly seen = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private connection: Connection | null = null;
  private connectorId: Promise<string>;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: HubClientOptions) {
    this.log = options.log ?? jsonLine;
    this.now = options.now ?? Date.now;
    this.origin = expectedOrigin(options.hubUrl);
    this.connectorId = connectorIdOf(options.keys.publicKeys().signingKey);
  }

  /** Starts dialling; returns at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = null;
    this.connect();
  }

  /**
   * Stops dialling, lets running jobs answer (up to `drainMs`), then closes the socket with
   * 1000. Safe to call twice.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopping = (async () => {
      if (this.inFlight.size > 0) {
        const drain = Promise.allSettled([...this.inFlight]);
        await Promise.race([drain, delay(this.options.drainMs ?? 5_000)]);
      }
      const connection = this.connection;
      if (!connection) {
        this.log({ event: 'stopped' });
        return;
      }
      await new Promise<void>((resolve) => {
        const { socket } = connection;
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        const force = setTimeout(() => socket.terminate(), 2_000);
        socket.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        socket.close(1000, 'connector stopping');
      });
      this.log({ event: 'stopped' });
    })();
    return this.stopping;
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.options.hubUrl, {
      handshakeTimeout: 10_000,
      maxPayload: 256 * 1024,
      headers: { 'user-agent': `nyckel-connector/${this.options.version}` },
    });
    const connection: Connection = {
      socket,
      phase: 'awaiting_challenge',
      timers: new Set(),
      awaitingPong: false,
      queue: Promise.resolve(),
    };
    this.connection = connection;

    socket.on('open', () => {
      this.log({ event: 'connected', hub: this.origin });
      // The hub must challenge, and then accept, within a bounded time; a hub that hangs
      // would otherwise keep the connector idle and unaware.
      this.timer(connection, this.options.readyTimeoutMs ?? HELLO_TIMEOUT_MS + 5_000, () => {
        if (connection.phase !== 'ready') {
          this.log({ event: 'handshake_timeout', phase: connection.phase });
          socket.terminate();
        }
      });
    });
    socket.on('message', (data, isBinary) => {
      connection.queue = connection.queue
        .then(() => this.onMessage(connection, data, isBinary))
        .catch((err: unknown) => {
          this.log({ event: 'internal_error', message: err instanceof Error ? err.name : 'error' });
          socket.terminate();
        });
    });
    socket.on('pong', () => {
      connection.awaitingPong = false;
    });
    socket.on('error', (err) => {
      this.log({ event: 'socket_error', message: truncate(err.message, 200) });
    });
    socket.on('close', (code, reason) => {
      for (const timer of connection.timers) clearTimeout(timer);
      connection.timers.clear();
      if (this.connection === connection) this.connection = null;
      if (this.stopped) return;
      const wait = this.backoff();
      this.log({
        event: 'disconnected',
        code,
        reason: truncate(reason.toString('utf8'), 200),
        retryInMs: wait,
      });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, wait);
    });
  }

  /** 1 s, 2 s, 4 s … 30 s, each between half and all of that, so many connectors spread out. */
  private backoff(): number {
    const min = this.options.backoffMinMs ?? 1_000;
    const max = this.options.backoffMaxMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private timer(connection: Connection, ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      connection.timers.delete(timer);
      run();
    }, ms);
    connection.timers.add(timer);
  }

  private heartbeat(connection: Connection): void {
    const interval = this.options.pingIntervalMs ?? 30_000;
    const timeout = this.options.pongTimeoutMs ?? 10_000;
    const beat = () => {
      if (connection.socket.readyState !== WebSocket.OPEN) return;
      connection.awaitingPong = true;
      connection.socket.ping();
      this.timer(connection, timeout, () => {
        if (connection.awaitingPong) {
          this.log({ event: 'heartbeat_timeout' });
          connection.socket.terminate();
        }
      });
      this.timer(connection, interval, beat);
    };
    this.timer(connection, interval, beat);
  }

  private send(connection: Connection, message: ConnectorMessage): boolean {
    if (connection.socket.readyState !== WebSocket.OPEN) return false;
    connection.socket.send(JSON.stringify(message));
    return true;
  }

  private async onMessage(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    const text = isBinary ? null : rawText(data);
    const message = text === null ? null : parseFrame(HubMessage, text);
    if (!message) {
      // A job the contract refuses (say, an operation this version does not know) is still
      // answered when its id is readable, so the worker does not wait out its full timeout.
      const job = text === null ? null : parseFrame(JobId, text);
      if (job && connection.phase === 'ready') {
        this.send(connection, {
          type: 'result',
          id: job.id,
          ok: false,
          error: 'directory_error',
          detail: 'The job is not valid for this connector version',
        });
      }
      this.log({ event: 'bad_frame' });
      return;
    }
    switch (message.type) {
      case 'challenge':
        return this.onChallenge(connection, message);
      case 'ready': {
        const id = await this.connectorId;
        if (connection.phase !== 'awaiting_ready' || message.connectorId !== id) {
          this.log({ event: 'protocol_error', message: 'unexpected ready' });
          connection.socket.close(1002, 'unexpected ready');
          return;
        }
        try {
          connection.sessionKey = await this.options.keys.decryptJwe(message.sessionKey);
        } catch {
          this.log({ event: 'protocol_error', message: 'unreadable session key' });
          connection.socket.close(1002, 'unreadable session key');
          return;
        }
        connection.phase = 'ready';
        this.attempt = 0;
        this.heartbeat(connection);
        this.log({ event: 'ready', connectorId: id });
        return;
      }
      case 'job':
        if (connection.phase !== 'ready') {
          this.log({ event: 'protocol_error', message: 'job before ready' });
          connection.socket.close(1002, 'job before ready');
          return;
        }
        // Only the hub has the session key: a job without its MAC came from someone between
        // us and the hub (a TLS-inspecting proxy, say). It is not run, and the connection,
        // which can no longer be trusted, ends; the reconnect makes a new one.
        if (!connection.sessionKey || !(await jobMacValid(connection.sessionKey, message))) {
          this.log({ event: 'protocol_error', message: 'job not authenticated', id: message.id });
          connection.socket.close(1008, 'job not authenticated');
          return;
        }
        return this.onJob(connection, message);
    }
  }

  private async onChallenge(
    connection: Connection,
    message: Extract<HubMessage, { type: 'challenge' }>,
  ): Promise<void> {
    if (connection.phase !== 'awaiting_challenge') {
      this.log({ event: 'protocol_error', message: 'second challenge' });
      connection.socket.close(1002, 'second challenge');
      return;
    }
    // The origin is inside what is signed. A hub (or a man in the middle) naming another origin
    // wants a signature it could replay there, so none is given.
    if (message.origin !== this.origin) {
      this.log({
        event: 'origin_mismatch',
        expected: this.origin,
        received: truncate(message.origin, 200),
      });
      connection.socket.close(1008, 'origin mismatch');
      return;
    }
    connection.phase = 'awaiting_ready';
    const connectorId = await this.connectorId;
    const signature = await this.options.keys.sign(
      challengeText(message.origin, connectorId, message.nonce),
    );
    this.send(connection, {
      type: 'hello',
      connectorId,
      signature,
      version: truncate(this.options.version, 64),
      domainController: truncate(this.options.domainController, 256),
    });
  }

  private onJob(connection: Connection, job: Extract<HubMessage, { type: 'job' }>): void {
    const started = this.now();
    const task = this.runJob(job, started).then(
      (answer) => {
        const sent = this.send(connection, { type: 'result', id: job.id, ...answer });
        this.log({
          event: 'job',
          id: job.id,
          op: job.op,
          outcome: answer.ok ? 'ok' : answer.error,
          ...(answer.ok || answer.detail === undefined ? {} : { detail: answer.detail }),
          ms: this.now() - started,
          ...(sent ? {} : { delivered: false }),
        });
      },
      () => {},
    );
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async runJob(
    job: Extract<HubMessage, { type: 'job' }>,
    now: number,
  ): Promise<
    | { ok: true; value: Record<string, unknown> }
    | { ok: false; error: DirectoryErrorCode; detail?: string }
  > {
    const secrets: string[] = [];
    try {
      this.checkFresh(job, now);
      if (this.stopped) throw new JobRefusal('unavailable', 'The connector is stopping');
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        throw new JobRefusal('unavailable', 'The connector is busy');
      }
      const schema = Operations[job.op].args;
      const parsed = v.safeParse(schema, job.args);
      if (!parsed.success) {
        const fields = parsed.issues.map((issue) =>
          (issue.path ?? []).map((item) => String(item.key)).join('.'),
        );
        throw new JobRefusal(
          'directory_error',
          `Invalid arguments for ${job.op}: ${[...new Set(fields)].join(', ') || 'args'}`,
        );
      }
      const args: Record<string, unknown> = { ...parsed.output };
      for (const field of PASSWORD_FIELDS) {
        const jwe = args[field];
        if (typeof jwe !== 'string') continue;
        secrets.push(jwe);
        let plain: string;
        try {
          plain = await this.options.keys.decryptJwe(jwe);
        } catch (err) {
          // JweError messages carry no secrets; anything else is not trusted to.
          const reason = err instanceof Error && err.name === 'JweError' ? err.message : 'failed';
          throw new JobRefusal('directory_error', `Cannot decrypt ${field}: ${reason}`);
        }
        secrets.push(plain);
        args[field] = plain;
      }
      const call = [job.op, args] as JobCall;
      const value = await withDeadline(job.expiresAt, () => this.options.executor(...call));
      const checked = v.safeParse(Operations[job.op].value, value);
      if (!checked.success) {
        throw new JobRefusal(
          'directory_error',
          `The connector produced an invalid ${job.op} result`,
        );
      }
      return { ok: true, value: checked.output };
    } catch (err) {
      const { code, detail } = classify(err);
      const safe = detail === undefined ? undefined : redact(detail, secrets);
      return safe === undefined
        ? { ok: false, error: code }
        : { ok: false, error: code, detail: safe };
    }
  }

  /**
   * A job is run once, and only while it is fresh: an id seen before, an expiry past, or an
   * expiry further out than the hub may set (a job held back to be replayed later) is refused.
   */
  private checkFresh(job: Extract<HubMessage, { type: 'job' }>, now: number): void {
    for (const [id, at] of this.seen) {
      if (at > now - SEEN_TTL_MS && this.seen.size <= SEEN_MAX) break;
      this.seen.delete(id);
    }
    const repeated = this.seen.has(job.id);
    this.seen.set(job.id, now);
    if (repeated) throw new JobRefusal('expired_job', 'The job id was seen before');
    if (!Number.isFinite(job.expiresAt) || job.expiresAt <= now) {
      throw new JobRefusal('expired_job', 'The job expired before it arrived');
    }
    if (job.expiresAt > now + JOB_MAX_TTL_MS + CLOCK_SKEW_MS) {
      throw new JobRefusal('expired_job', 'The job expires further ahead than the hub may set');
    }
  }
}

/** DirectoryError (by shape, so this module needs no LDAP code) or anything else. */
function classify(err: unknown): { code: DirectoryErrorCode; detail?: string } {
  if (typeof err === 'object' && err !== null) {
    const { code, detail } = err as { code?: unknown; detail?: unknown };
    if (typeof code === 'string' && ERROR_CODES.has(code)) {
      return typeof detail === 'string'
        ? { code: code as DirectoryErrorCode, detail }
        : { code: code as DirectoryErrorCode };
    }
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) {
      return { code: 'unavailable', detail: `The domain controller did not answer (${code})` };
    }
  }
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : '';
  return { code: 'directory_error', detail: `Unexpected ${name}: ${truncate(message, 200)}` };
}

/**
 * Details go to the worker's log and the administrator's view; a password or JWE in one (an
 * LDAP library quoting its request, say) must not. Anything naming a secret loses its text.
 */
function redact(detail: string, secrets: readonly string[]): string {
  const lower = detail.toLowerCase();
  const leaks = secrets.some((secret) => secret.length > 0 && lower.includes(secret.toLowerCase()));
  return truncate(leaks ? 'The error text was withheld: it quoted a password' : detail, MAX_DETAIL);
}

function rawText(data: RawData): string | null {
  try {
    const buffer = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    return buffer.toString('utf8');
  } catch {
    return null;
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** One JSON object a line on stdout, with the time first: what journald and NSSM collect. */
export function jsonLine(entry: LogEvent): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}
