import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { config } from '../worker/config';
import { extractCode } from '../worker/domain/codes';
import { checkHistory, hashPassword, newHistorySalt } from '../worker/domain/password-hash';
import { app } from '../worker/index';
import { backgroundSettled } from '../worker/services/deps';

export const ORIGIN = 'https://nyckel.test';
/** A documentation address (RFC 5737), outside every configured internal network. */
export const OUTSIDE_IP = '198.51.100.7';
export const INTERNAL_IP = '10.1.2.3';

export interface SeededMailbox {
  id: string;
  username: string;
  password: string;
  phone: string | null;
}

let seq = 0;

/** Inserts a mailbox the way the seed does: hash, history salt and a first history entry. */
export async function seedMailbox(
  overrides: Partial<Omit<SeededMailbox, 'id'>> & { displayName?: string; unitId?: string } = {},
): Promise<SeededMailbox> {
  seq++;
  const mailbox = {
    id: `mb-${seq}-${crypto.randomUUID()}`,
    username: overrides.username ?? `brevlada${seq}`,
    password: overrides.password ?? 'Hemvard#2026',
    phone: overrides.phone === undefined ? '+46701234567' : overrides.phone,
  };
  const cfg = config(env);
  const salt = newHistorySalt();
  const hash = await hashPassword(mailbox.password, cfg.peppers);
  const { digest } = await checkHistory(mailbox.password, salt, [], cfg.peppers);
  const now = Math.floor(Date.now() / 1000);
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
         history_salt, password_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      mailbox.id,
      mailbox.username,
      overrides.displayName ?? 'Testbrevlåda',
      overrides.unitId ?? null,
      mailbox.phone,
      hash,
      salt,
      now,
      now,
    ),
    env.DB.prepare(
      'INSERT INTO password_history (mailbox_id, digest, created_at) VALUES (?, ?, ?)',
    ).bind(mailbox.id, digest, now),
  ]);
  return mailbox;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  raw?: string;
  cookie?: string | null;
  ip?: string | null;
  headers?: Record<string, string>;
}

export function buildRequest(path: string, options: CallOptions): Request {
  const headers = new Headers(options.headers);
  const ip = options.ip === undefined ? OUTSIDE_IP : options.ip;
  if (ip !== null) headers.set('CF-Connecting-IP', ip);
  if (options.cookie) headers.set('Cookie', options.cookie);
  const method = options.method ?? (options.body !== undefined || options.raw ? 'POST' : 'GET');
  if (method !== 'GET' && !headers.has('Origin')) headers.set('Origin', ORIGIN);
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  return new Request(`${ORIGIN}${path}`, { method, headers, body });
}

/** Calls the worker through the runtime, as a browser on the app's own origin would. */
export function call(path: string, options: CallOptions = {}): Promise<Response> {
  return SELF.fetch(buildRequest(path, options));
}

/**
 * Calls the app with another configuration (`{ ...env, SMS_PROVIDER: '46elks' }`), waiting
 * for its background work (the SMS) before answering.
 */
export async function callWith(
  appEnv: Env,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(buildRequest(path, options), appEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Logs in under another configuration and returns the Cookie header value. */
export async function loginWith(
  appEnv: Env,
  mailbox: SeededMailbox,
  ip = OUTSIDE_IP,
): Promise<string> {
  const res = await callWith(appEnv, '/api/mailbox/session', {
    body: { username: mailbox.username, password: mailbox.password },
    ip,
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Logs in and returns the Cookie header value for the session. */
export async function login(mailbox: SeededMailbox, ip = OUTSIDE_IP): Promise<string> {
  const res = await call('/api/mailbox/session', {
    body: { username: mailbox.username, password: mailbox.password },
    ip,
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('Set-Cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

export interface OutboxItem {
  channel: 'sms' | 'mail';
  to: string;
  body: string;
  createdAt: string;
}

export async function outbox(): Promise<OutboxItem[]> {
  const res = await call('/api/dev/outbox');
  return json<OutboxItem[]>(res);
}

/** SMS to `to`, newest first, after the background sends (waitUntil) have finished. */
export async function waitForSms(to: string, count = 1): Promise<OutboxItem[]> {
  await backgroundSettled();
  const items = (await outbox()).filter((m) => m.to === to);
  if (items.length < count)
    throw new Error(`expected ${count} SMS to ${to}, found ${items.length}`);
  return items;
}

export async function latestCode(to: string): Promise<string> {
  const [latest] = await waitForSms(to);
  const code = latest ? extractCode(latest.body) : null;
  if (!code) throw new Error('no code in SMS');
  return code;
}

/** A wrong code that differs from the right one in every digit. */
export function wrongCode(code: string): string {
  return code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
}

/** The `n` of a `SELECT COUNT(*) AS n ...` against the local D1 (-1 without a row). */
export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

export async function auditRows() {
  const { results } = await env.DB.prepare('SELECT * FROM audit ORDER BY id').all<{
    actor: string;
    action: string;
    target: string | null;
    ip: string | null;
    outcome: string;
    detail: string | null;
  }>();
  return results;
}

/** Starts a reset and returns its id and the code from the SMS. */
export async function startReset(mailbox: SeededMailbox) {
  const res = await call('/api/resets', { body: { username: mailbox.username } });
  if (res.status !== 202) throw new Error(`reset start failed: ${res.status}`);
  const { id } = await json<{ id: string }>(res);
  const code = mailbox.phone ? await latestCode(mailbox.phone) : null;
  return { id, code };
}

/** Every table the worker writes. */
export const TABLES = [
  'mailboxes',
  'password_history',
  'sessions',
  'challenges',
  'counters',
  'login_failures',
  'outbox',
  'deliveries',
  'audit',
  'people',
  'roles',
  'invites',
  'passkeys',
  'totp_factors',
  'webauthn_challenges',
  'settings',
  'reminders',
  'units',
  'identities',
  'initial_passwords',
  'service_tokens',
  'webhook_events',
  'staff',
  'handovers',
  'handover_links',
] as const;

/** Every row of every table, after background work has settled: "nothing was written". */
export async function snapshot() {
  await backgroundSettled();
  const rows: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    rows[table] = (await env.DB.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()).results;
  }
  return rows;
}
