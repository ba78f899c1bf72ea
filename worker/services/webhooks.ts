import type { PersonPrincipal } from '../app-env';
import { type Config, config } from '../config';
import { audit, auditStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import type { Db } from '../db/database';
import { otherAdministrators } from '../db/people';
import { deleteSettingStatement, putSettingStatement } from '../db/settings';
import {
  type ClaimedWebhook,
  claimDueWebhooks,
  failStuckWebhooks,
  findWebhookMailbox,
  insertClaimedWebhookStatement,
  pruneWebhooks,
  recentWebhooks,
  recordWebhookOutcome,
  webhookSettingRows,
  webhookStatusCounts,
} from '../db/webhooks';
import { type ChangeVia, type WebhookState, webhookChangeMail } from '../domain/mail-text';
import { ADMIN_PAGES, pageUrl } from '../domain/page-paths';
import { newId } from '../domain/tokens';
import {
  backoffSeconds,
  checkPublicJwk,
  encryptForConnector,
  jwkThumbprint,
  MAX_ATTEMPTS,
  parsePublicJwk,
  type RsaPublicJwk,
  signature,
} from '../domain/webhook';
import { ApiError } from '../http/errors';
import { mailProvider, sendMail } from '../outbound/mail';
import type { Deps } from './deps';

/*
 * The signed webhook to a directory connector. After a mailbox password or number
 * changes, an event is stored and sent at once in the background; the cron retries what did
 * not get a 2xx, with backoff, until MAX_ATTEMPTS. The receiver deduplicates on
 * `Idempotency-Key` (the event id), because a retry after a lost answer sends the same event
 * again, byte for byte.
 */

/** The retry run; scheduled() in worker/index.ts dispatches on it (wrangler.toml crons). */
export const WEBHOOK_CRON = '*/5 * * * *';

/** Settings rows (db/settings.ts). A missing url row means WEBHOOK_URL is in force. */
const URL_SETTING = 'webhook.url';
const WRITEBACK_SETTING = 'webhook.writeback';
const PUBLIC_KEY_SETTING = 'webhook.public_key';
const SETTING_KEYS = [URL_SETTING, WRITEBACK_SETTING, PUBLIC_KEY_SETTING] as const;

/**
 * A claim older than this was lost (the isolate ended mid-delivery) and is taken again. Far
 * beyond one delivery (WEBHOOK_TIMEOUT_MS, 8 s), and beyond a cron run's batch.
 */
const STUCK_SECONDS = 300;
/** Events one cron run sends, one after the other: 20 × 8 s stays inside STUCK_SECONDS. */
const BATCH = 20;
/** Delivered and given-up events are kept this long for the administrator's status. */
const KEEP_SECONDS = 30 * 86_400;

export type MailboxEventType = 'mailbox.password_changed' | 'mailbox.phone_changed';

/** The JSON body the connector receives. */
export interface MailboxChangedPayload {
  /** Also the `Idempotency-Key` header. */
  id: string;
  event: MailboxEventType;
  occurredAt: string;
  mailbox: { id: string; username: string; unitId: string | null };
  /** E.164, only in mailbox.phone_changed. */
  phone?: string;
  via: ChangeVia;
  /** Writeback mode only: the new password as a JWE to the connector's key, never in clear. */
  password?: string;
}

interface WebhookSettings {
  /** '' = no webhook. */
  url: string;
  source: 'settings' | 'default';
  writeback: boolean;
  publicKey: RsaPublicJwk | null;
}

async function loadSettings(db: Db, cfg: Config): Promise<WebhookSettings> {
  const rows = await webhookSettingRows(db, SETTING_KEYS);
  const storedUrl = rows.get(URL_SETTING);
  let publicKey: RsaPublicJwk | null = null;
  const storedKey = rows.get(PUBLIC_KEY_SETTING);
  if (storedKey) {
    try {
      const parsed = parsePublicJwk(JSON.parse(storedKey));
      publicKey = parsed.kind === 'ok' ? parsed.jwk : null;
    } catch {
      publicKey = null;
    }
  }
  return {
    url: storedUrl ?? cfg.webhook.url,
    source: storedUrl === undefined ? 'default' : 'settings',
    writeback: rows.get(WRITEBACK_SETTING) === 'on',
    publicKey,
  };
}

/** Why nothing is sent, or null when the webhook is on. */
function inactiveReason(cfg: Config, settings: WebhookSettings): 'no_secret' | 'no_url' | null {
  if (!cfg.webhook.secret) return 'no_secret';
  if (!settings.url) return 'no_url';
  return null;
}

type Attempt =
  | { kind: 'delivered'; status: number }
  | { kind: 'failed'; status: number | null; error: 'http' | 'redirect' | 'timeout' | 'network' };

/**
 * One signed POST. Redirects are not followed: a 307 would send the body (and a writeback
 * JWE) to an address nobody configured. The signature's timestamp is the real time of this
 * attempt, so each retry is fresh for the receiver's tolerance.
 */
async function post(
  cfg: Config,
  url: string,
  e: { id: string; event: string; payload: string },
): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Nyckel-Webhook/1',
        'Nyckel-Event': e.event,
        'Idempotency-Key': e.id,
        'Nyckel-Signature': await signature(cfg.webhook.secret, nowSeconds(), e.payload),
      },
      body: e.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(cfg.webhook.timeoutMs),
    });
  } catch (err) {
    // AbortSignal.timeout rejects with a DOMException named TimeoutError.
    const name = typeof err === 'object' && err !== null && 'name' in err ? err.name : null;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return { kind: 'failed', status: null, error: timedOut ? 'timeout' : 'network' };
  }
  // The answer's body is of no use; release the connection (a failure here changes nothing).
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) {
    return { kind: 'delivered', status: response.status };
  }
  const redirect = response.status >= 300 && response.status < 400;
  return { kind: 'failed', status: response.status, error: redirect ? 'redirect' : 'http' };
}

/**
 * Sends a claimed event and records the outcome. A lost claim (re-claimed as stuck meanwhile)
 * writes nothing; the other run records its own attempt. Log lines carry the event id and
 * type, never the payload, the URL (it may hold a token) or the secret.
 */
async function deliverClaimed(
  db: Db,
  cfg: Config,
  url: string,
  claimed: ClaimedWebhook,
  now: () => number,
): Promise<Attempt['kind'] | 'retry'> {
  const attempt = await post(cfg, url, claimed);
  const line = { id: claimed.id, type: claimed.event, attempt: claimed.attempts };
  if (attempt.kind === 'delivered') {
    await recordWebhookOutcome(db, claimed, {
      kind: 'delivered',
      status: attempt.status,
      at: now(),
    });
    return 'delivered';
  }
  const wait = backoffSeconds(claimed.attempts);
  const failure = { status: attempt.status, error: attempt.error };
  if (wait === null) {
    await recordWebhookOutcome(db, claimed, { kind: 'failed', ...failure });
    console.error(JSON.stringify({ event: 'webhook_failed', ...line, ...failure }));
    return 'failed';
  }
  const nextAttemptAt = now() + wait;
  await recordWebhookOutcome(db, claimed, { kind: 'retry', ...failure, nextAttemptAt });
  console.warn(JSON.stringify({ event: 'webhook_retry', ...line, ...failure, nextAttemptAt }));
  return 'retry';
}

export interface MailboxChangeEvent {
  mailboxId: string;
  change: 'password' | 'phone';
  /** When the change was written, unix seconds. */
  at: number;
  via: ChangeVia;
  /** The new password, for a password change; used only in writeback mode. */
  newPassword?: string;
}

async function buildPayload(
  deps: Deps,
  settings: WebhookSettings,
  e: MailboxChangeEvent,
): Promise<MailboxChangedPayload | null> {
  const mailbox = await findWebhookMailbox(deps.db, e.mailboxId);
  if (!mailbox) return null;
  const payload: MailboxChangedPayload = {
    id: newId(),
    event: e.change === 'password' ? 'mailbox.password_changed' : 'mailbox.phone_changed',
    occurredAt: isoFromSeconds(e.at),
    mailbox: { id: mailbox.id, username: mailbox.username, unitId: mailbox.unitId },
    via: e.via,
  };
  // The real number, not a masked one: the connector writes it back to the directory. It
  // goes only to the receiver the administrator configured, over https, signed.
  if (e.change === 'phone' && mailbox.phone) payload.phone = mailbox.phone;
  if (
    e.change === 'password' &&
    e.newPassword !== undefined &&
    settings.writeback &&
    settings.publicKey
  ) {
    payload.password = await encryptForConnector(e.newPassword, settings.publicKey);
  }
  return payload;
}

/**
 * Stores the webhook event for a mailbox password or number change and sends it at once in
 * the background; the cron retries. Call it after the change was written. Nothing is stored
 * without a signing secret and a URL. It never throws: the change itself has succeeded, and a
 * failure here is logged (without the payload) rather than turned into an error for the
 * person who made it.
 */
export async function queueMailboxChange(deps: Deps, e: MailboxChangeEvent): Promise<void> {
  try {
    if (!deps.cfg.webhook.secret) return;
    const settings = await loadSettings(deps.db, deps.cfg);
    if (inactiveReason(deps.cfg, settings) !== null) return;
    const payload = await buildPayload(deps, settings, e);
    if (!payload) return;
    const body = JSON.stringify(payload);
    const at = nowSeconds();
    await insertClaimedWebhookStatement(deps.db, {
      id: payload.id,
      event: payload.event,
      payload: body,
      at,
    }).run();
    const claimed = { id: payload.id, event: payload.event, payload: body, attempts: 1 };
    deps.background(() => deliverClaimed(deps.db, deps.cfg, settings.url, claimed, nowSeconds));
  } catch (err) {
    const name = err instanceof Error ? err.name : 'unknown';
    console.error(JSON.stringify({ event: 'webhook_queue_failed', change: e.change, name }));
  }
}

/**
 * The cron's run: gives up stuck events with no attempts left, sends up to BATCH due events
 * one by one, and forgets finished events after KEEP_SECONDS. `now` is the run's scheduled
 * time. Without a secret or URL, due events wait (pending) until the webhook is configured.
 */
export async function deliverDueWebhooks(env: Env, now: number): Promise<void> {
  const cfg = config(env);
  const db = env.DB;
  const stuckBefore = now - STUCK_SECONDS;
  for (const stuck of await failStuckWebhooks(db, { stuckBefore, maxAttempts: MAX_ATTEMPTS })) {
    console.error(
      JSON.stringify({
        event: 'webhook_failed',
        id: stuck.id,
        type: stuck.event,
        attempt: stuck.attempts,
        error: 'stuck',
      }),
    );
  }
  const settings = await loadSettings(db, cfg);
  const counts = { delivered: 0, retry: 0, failed: 0 };
  if (inactiveReason(cfg, settings) === null) {
    const claimed = await claimDueWebhooks(db, {
      now,
      stuckBefore,
      maxAttempts: MAX_ATTEMPTS,
      limit: BATCH,
    });
    for (const event of claimed) {
      counts[await deliverClaimed(db, cfg, settings.url, event, () => now)]++;
    }
  }
  const pruned = await pruneWebhooks(db, now - KEEP_SECONDS);
  if (counts.delivered + counts.retry + counts.failed + pruned > 0) {
    console.log(JSON.stringify({ event: 'webhooks', ...counts, pruned }));
  }
}

/* The administrator's settings (routes/admin-webhook.ts) */

/** How many of the newest events the administrator sees. */
const RECENT = 20;

function isoOrNull(seconds: number | null): string | null {
  return seconds === null ? null : isoFromSeconds(seconds);
}

/** GET /api/admin/webhook: what is in force, whether it can send, and how delivery goes. */
export async function webhookAdminView(deps: Deps) {
  const [settings, counts, recent] = await Promise.all([
    loadSettings(deps.db, deps.cfg),
    webhookStatusCounts(deps.db),
    recentWebhooks(deps.db, RECENT),
  ]);
  return {
    url: settings.url || null,
    source: settings.source,
    defaultUrl: deps.cfg.webhook.url || null,
    secretConfigured: deps.cfg.webhook.secret !== '',
    active: inactiveReason(deps.cfg, settings) === null,
    inactiveReason: inactiveReason(deps.cfg, settings),
    writeback: settings.writeback,
    publicKeyFingerprint: settings.publicKey ? await jwkThumbprint(settings.publicKey) : null,
    counts,
    recent: recent.map((e) => ({
      id: e.id,
      event: e.event,
      status: e.status,
      attempts: e.attempts,
      createdAt: isoFromSeconds(e.createdAt),
      nextAttemptAt: isoOrNull(e.nextAttemptAt),
      deliveredAt: isoOrNull(e.deliveredAt),
      lastStatus: e.lastStatus,
      lastError: e.lastError,
    })),
  };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function badField(path: string, message: string): ApiError {
  return new ApiError('invalid_request', { issues: [{ path, message }] });
}

/**
 * The receiver must be https: the body is signed but not encrypted, and a phone change
 * carries the number. Plain http only to this machine, and only in development.
 */
function checkReceiverUrl(raw: string, cfg: Config): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badField('url', 'Not a URL; write it like https://connector.example.se/nyckel');
  }
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(local && cfg.isDevelopment)) {
    throw badField('url', 'The receiver must be an https:// address');
  }
  if (url.username || url.password) {
    throw badField('url', 'No user name or password in the URL; the signature authenticates');
  }
  if (url.hash) throw badField('url', 'No #fragment in the URL');
  return url.href;
}

/** The URL for the audit log: origin and path, not a query that may carry a token. */
function auditUrl(url: string): string {
  if (!url) return '';
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export interface WebhookSettingsWrite {
  /** null: the default (WEBHOOK_URL); '': no webhook. */
  url: string | null;
  writeback: boolean;
  /** Left out: keep the stored key (the API never hands it back to be sent again); null: remove it. */
  publicKey?: Record<string, unknown> | null | undefined;
}

/**
 * PUT /api/admin/webhook (fresh sign-in): replaces the URL and writeback mode, and the
 * connector's public key when one is given (left out, the stored key stays).
 * Writeback needs a usable key (an RSA JWK of 2048 bits or more); anything refused writes
 * nothing. The audit entry shows the receiver and the key's thumbprint before and after, never
 * the key's material. Every other administrator is e-mailed about a change: writeback sends
 * new passwords to whoever holds the key, so pointing it elsewhere must not go unseen.
 */
export async function updateWebhookSettings(
  deps: Deps,
  person: Pick<PersonPrincipal, 'personId' | 'name'>,
  input: WebhookSettingsWrite,
) {
  const actor = `person:${person.personId}`;
  const url =
    input.url === null || input.url === '' ? input.url : checkReceiverUrl(input.url, deps.cfg);
  const before = await loadSettings(deps.db, deps.cfg);
  let publicKey: RsaPublicJwk | null = null;
  if (input.publicKey === undefined) {
    publicKey = before.publicKey;
  } else if (input.publicKey !== null) {
    const checked = await checkPublicJwk(input.publicKey);
    if (checked.kind !== 'ok') throw badField('publicKey', checked.reason);
    publicKey = checked.jwk;
  }
  if (input.writeback && !publicKey) {
    throw badField(
      'writeback',
      "Writeback needs the connector's public key (an RSA JWK of 2048 bits or more)",
    );
  }
  const now = nowSeconds();
  const fingerprint = publicKey ? await jwkThumbprint(publicKey) : null;
  const previousFingerprint = before.publicKey ? await jwkThumbprint(before.publicKey) : null;
  const effectiveUrl = url ?? deps.cfg.webhook.url;
  await deps.db.batch([
    url === null
      ? deleteSettingStatement(deps.db, URL_SETTING)
      : putSettingStatement(deps.db, URL_SETTING, url, now, actor),
    putSettingStatement(deps.db, WRITEBACK_SETTING, input.writeback ? 'on' : 'off', now, actor),
    publicKey
      ? putSettingStatement(deps.db, PUBLIC_KEY_SETTING, JSON.stringify(publicKey), now, actor)
      : deleteSettingStatement(deps.db, PUBLIC_KEY_SETTING),
    auditStatement(
      deps.db,
      {
        actor,
        action: 'webhook.update',
        ip: deps.ip,
        outcome: 'success',
        detail: {
          url: auditUrl(effectiveUrl),
          previousUrl: auditUrl(before.url),
          source: url === null ? 'default' : 'settings',
          writeback: input.writeback,
          previousWriteback: before.writeback,
          publicKey: fingerprint,
          previousPublicKey: previousFingerprint,
        },
      },
      now,
    ),
  ]);
  const was = {
    url: auditUrl(before.url),
    writeback: before.writeback,
    keyThumbprint: previousFingerprint,
  };
  const is = {
    url: auditUrl(effectiveUrl),
    writeback: input.writeback,
    keyThumbprint: fingerprint,
  };
  if (
    was.url !== is.url ||
    was.writeback !== is.writeback ||
    was.keyThumbprint !== is.keyThumbprint
  ) {
    deps.background(() => tellOtherAdministrators(deps, person, was, is, now));
  }
  return webhookAdminView(deps);
}

/** The change mail to every administrator but the one who made it; a failed send is logged. */
async function tellOtherAdministrators(
  deps: Deps,
  person: Pick<PersonPrincipal, 'personId' | 'name'>,
  before: WebhookState,
  after: WebhookState,
  at: number,
) {
  const recipients = await otherAdministrators(deps.db, person.personId);
  if (recipients.length === 0) return;
  const message = webhookChangeMail({
    changedBy: person.name,
    at,
    ip: deps.ip,
    before,
    after,
    link: pageUrl(deps.cfg.publicOrigin, ADMIN_PAGES.webhook),
  });
  const provider = mailProvider(deps.env, deps.cfg);
  for (const admin of recipients) {
    await sendMail(deps.db, provider, { to: admin.email, ...message }, 'webhook_change');
  }
}

/**
 * POST /api/admin/webhook/test: a signed `ping` sent now, not stored and not retried, so the
 * administrator sees at once whether the receiver accepts the signature.
 */
export async function sendTestWebhook(deps: Deps, actor: string) {
  const settings = await loadSettings(deps.db, deps.cfg);
  const reason = inactiveReason(deps.cfg, settings);
  if (reason !== null) return { delivered: false, status: null, error: reason };
  const id = newId();
  const payload = JSON.stringify({ id, event: 'ping', occurredAt: isoFromSeconds(nowSeconds()) });
  const attempt = await post(deps.cfg, settings.url, { id, event: 'ping', payload });
  const result =
    attempt.kind === 'delivered'
      ? { delivered: true, status: attempt.status, error: null }
      : { delivered: false, status: attempt.status, error: attempt.error };
  await audit(
    deps.db,
    {
      actor,
      action: 'webhook.test',
      ip: deps.ip,
      outcome: result.delivered ? 'success' : 'failure',
      detail: { status: result.status, error: result.error },
    },
    nowSeconds(),
  );
  return result;
}
