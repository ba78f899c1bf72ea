import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { config } from '../config';
import { audit } from '../db/audit';
import { nowSeconds } from '../db/clock';
import { firstRow } from '../db/database';
import { type MailboxRow, toMailbox } from '../db/mailboxes';
import { liveMailboxSessionStatement } from '../db/sessions';
import { settingStatement } from '../db/settings';
import { BOOKMARK_HEADER, isBookmark } from '../domain/d1-bookmark';
import { pickLanguage } from '../domain/language';
import { isInternal } from '../domain/networks';
import { tokenDigest } from '../domain/tokens';
import type { Deps } from '../services/deps';
import { track } from '../services/deps';
import { NETWORKS_SETTING, networksFrom } from '../services/networks';
import { depsOf } from './deps';
import { ApiError } from './errors';
import { readSessionCookie } from './session-cookie';

/**
 * A configuration the worker cannot run with refuses every request, and says why in the log:
 * config()'s messages name the variable and the fix, and never quote a secret's value.
 */
function configOrRefuse(env: Env) {
  try {
    return config(env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(JSON.stringify({ event: 'config_invalid', message }));
    throw new ApiError('internal');
  }
}

/**
 * The request's D1, a session of read replication. A request that only reads (GET, HEAD) may
 * be answered by a replica near the PoP, but never one older than the bookmark the client
 * sent, the newest it has seen; a request that writes starts at the primary, so its checks
 * and conditional statements see everything committed. A malformed bookmark is ignored.
 */
function dbSession(db: D1Database, method: string, bookmark: string | undefined) {
  if (method !== 'GET' && method !== 'HEAD') return db.withSession('first-primary');
  return db.withSession(isBookmark(bookmark) ? bookmark : 'first-unconstrained');
}

/** Config, language, client address and the request's D1 session for every request. */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    c.set('lang', pickLanguage(c.req.header('Accept-Language')));
    c.set('config', configOrRefuse(c.env));
    // Only the edge's own header: X-Forwarded-For and friends are client-controlled.
    const ip = c.req.header('CF-Connecting-IP')?.trim();
    c.set('clientIp', ip ? ip : null);
    c.set('timing', { directoryMs: 0 });
    const session = dbSession(c.env.DB, c.req.method, c.req.header(BOOKMARK_HEADER));
    c.set('db', session);
    const afterAnswer: Array<() => Promise<unknown>> = [];
    c.set('afterAnswer', afterAnswer);
    await next();
    // Read once the answer is built, so it covers the answer's own writes: the client's next
    // read waits for a replica that has them. (A WebSocket upgrade's headers are immutable.)
    const bookmark = session.getBookmark();
    if (bookmark && c.res.status !== 101) c.res.headers.set(BOOKMARK_HEADER, bookmark);
    // Background work (an SMS, an audit row that may be lost) starts once the answer exists,
    // on a timer so not even its first statement runs before the answer leaves: the person
    // waits only for the round trips the answer needs, and a reset's answer cannot wait on
    // work that differs between a known and an unknown name.
    const start = (task: () => Promise<unknown>) => {
      c.executionCtx.waitUntil(
        track(new Promise<void>((resolve) => setTimeout(resolve, 0)).then(task)),
      );
    };
    for (const task of afterAnswer) start(task);
    // Work queued by background work itself (a webhook event's first delivery, queued once
    // the event is stored after the answer) starts as it is queued: the answer has left.
    afterAnswer.push = (...tasks) => {
      for (const task of tasks) start(task);
      return afterAnswer.length;
    };
  };
}

/**
 * Security headers and no caching for every API answer. The static
 * shell gets the same policy from web/public/_headers.
 */
export function apiHeaders(): MiddlewareHandler<AppEnv> {
  return async function apiHeaders(c, next) {
    await next();
    // A WebSocket upgrade (the directory connector's) is answered as it is: its headers are
    // immutable, and it is no document a browser renders.
    if (c.res.status === 101) return;
    const h = c.res.headers;
    h.set('Cache-Control', 'no-store');
    h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Vary', 'Accept-Language, Cookie');
    // How long the answer waited for the directory: for the benchmark, never in production,
    // where it would tell a client more about the domain than the answer does.
    const timing = c.get('timing');
    if (timing && timing.directoryMs > 0 && c.get('config')?.isDevelopment) {
      h.set('Server-Timing', `directory;dur=${timing.directoryMs}`);
    }
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery protection for cookie-authenticated writes and anonymous ones.
 * Browsers send Origin (and Sec-Fetch-Site) with every cross-origin write, so a write whose
 * Origin is not ours, or that a browser marks cross-site, is refused. A request with neither
 * header is not from a browser and cannot carry a victim's cookie or ride a victim's browser;
 * it passes, as in Go's http.CrossOriginProtection, where the API is documented for outside
 * clients (curl). Routes only the app's own pages call set `requireOrigin`: every current
 * browser sends Origin on a POST, so a write without one is refused there. SameSite=Strict on
 * the cookie is the second layer.
 */
export function sameOrigin(options: { requireOrigin?: boolean } = {}): MiddlewareHandler<AppEnv> {
  const requireOrigin = options.requireOrigin === true;
  return async function sameOrigin(c, next) {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header('Origin');
      const site = c.req.header('Sec-Fetch-Site');
      const allowed = new Set([c.get('config').publicOrigin.origin, new URL(c.req.url).origin]);
      if (origin !== undefined) {
        if (!allowed.has(origin)) throw new ApiError('forbidden_origin');
      } else if (requireOrigin) {
        throw new ApiError('forbidden_origin');
      } else if (site !== undefined && site !== 'same-origin' && site !== 'none') {
        throw new ApiError('forbidden_origin');
      }
    }
    await next();
  };
}

/**
 * A write's body must be declared JSON (415 `unsupported_media_type` otherwise). A web page
 * can make any visitor's browser send a cross-site "simple request" (text/plain, a form) with
 * no preflight; insisting on application/json means such a post is refused before anything is
 * counted or sent, whatever else the origin check decides. A write with no body at all (a
 * resend) needs no type.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async function jsonBody(c, next) {
    if (UNSAFE.has(c.req.method)) {
      const type = c.req.header('Content-Type');
      if (type !== undefined) {
        const media = type.split(';')[0]?.trim().toLowerCase();
        if (media !== 'application/json') throw new ApiError('unsupported_media_type');
      } else if (hasBody(c.req.raw)) {
        throw new ApiError('unsupported_media_type');
      }
    }
    await next();
  };
}

function hasBody(request: Request): boolean {
  const length = request.headers.get('Content-Length');
  if (length !== null) return Number(length) !== 0;
  return request.body !== null;
}

/**
 * Phone registration only from outside the municipal network, as the guide requires; fails
 * closed: 403 `internal_network` (audited) for a client on the list in force, the
 * administrator's (D1) when set, else the wrangler var.
 */
async function refuseInternal(c: Context<AppEnv>, stored: { value: string } | null) {
  if (!isInternal(c.get('clientIp'), networksFrom(stored, c.get('config')))) return;
  await audit(
    c.get('db'),
    {
      actor: 'anonymous',
      action: 'network.refused',
      target: `${c.req.method} ${c.req.routePath}`,
      ip: c.get('clientIp'),
      outcome: 'refused',
    },
    nowSeconds(),
  );
  throw new ApiError('internal_network');
}

/**
 * Statements a route's use case reads together with the session, keyed on the session's hash
 * (SESSION_MAILBOX_SQL names its mailbox): their results reach the use case as
 * `principal.reads`, in order, so the session and what the request needs are one round trip.
 */
export type SessionReads = (
  deps: Deps,
  session: { hash: string; now: number },
) => D1PreparedStatement[];

/**
 * A live mailbox session from the cookie, or 401. A session opened with a password that must
 * be changed first (past its due date, or the domain wants a new one) may only read the
 * mailbox and change the password (403 `password_change_required` elsewhere): an expired
 * password must not be enough to register a number and then reset the password through it.
 *
 * One round trip: the session with its mailbox row, the network list when the route is for
 * clients outside the municipal network only (`outsideNetwork`, checked first, as its own
 * middleware would), and the route's `reads`.
 */
export function mailboxSession(
  options: { whileMustChange?: boolean; outsideNetwork?: boolean; reads?: SessionReads } = {},
): MiddlewareHandler<AppEnv> {
  return async function mailboxSession(c, next) {
    const cookie = readSessionCookie(c);
    const db = c.get('db');
    const valid = cookie !== undefined && cookie !== '' && cookie.length <= 128;
    const hash = valid ? await tokenDigest(c.get('config').sessionSecret, cookie) : null;
    const now = nowSeconds();
    const network = options.outsideNetwork ? [settingStatement(db, NETWORKS_SETTING)] : [];
    if (hash === null) {
      for (const setting of network) await refuseInternal(c, await setting.first());
      throw new ApiError('unauthorized');
    }
    const [session, ...rest] = await db.batch([
      liveMailboxSessionStatement(db, hash, now),
      ...network,
      ...(options.reads?.(depsOf(c), { hash, now }) ?? []),
    ]);
    if (options.outsideNetwork) await refuseInternal(c, firstRow(rest.shift()));
    const row = firstRow<MailboxRow & { session_must_change: number }>(session);
    if (!row) throw new ApiError('unauthorized');
    const mustChange = row.session_must_change === 1;
    if (mustChange && !options.whileMustChange) throw new ApiError('password_change_required');
    c.set('mailbox', {
      sessionHash: hash,
      mailboxId: row.id,
      username: row.username,
      mustChange,
      account: toMailbox(row),
      reads: rest,
    });
    await next();
  };
}
