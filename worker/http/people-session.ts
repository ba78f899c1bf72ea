import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { nowSeconds } from '../db/clock';
import type { Db } from '../db/database';
import { signedInPersonRead, touchPersonSessionStatement } from '../db/person-sessions';
import type { Reads } from '../db/reads';
import { isFresh } from '../domain/access';
import { tokenDigest } from '../domain/tokens';
import { ApiError } from './errors';
import { readSessionCookie } from './session-cookie';

/**
 * A read a route makes first anyway (the mailbox, unit or identity its path names), sent in
 * the same D1 call as the session's. What it reads decides nothing by itself: the route still
 * checks the person may see it, after the session has been found live.
 */
export type ReadAlong<T> = (c: Context<AppEnv>, db: Db, now: number) => Reads<T>;

/** What a route's ReadAlong read for this request, or undefined if it did not run. */
export function readAlong<T>(c: Context<AppEnv>, along: ReadAlong<T>): T | undefined {
  const got = c.get('readAlong');
  return got?.along === along ? (got.value as T) : undefined;
}

/**
 * A live person session from the cookie, with the person's roles as they are now in D1 (a
 * revoked role takes effect on the next request), or 401: one D1 call, together with the
 * route's `along` read if it has one. The idle-timeout touch is written after the answer, at
 * most once a minute: a touch lost to a crash only lets the session idle out a little sooner.
 * A router may stack a path-specific `personSession(along)` before a general one; the first
 * that runs decides and the others pass.
 */
export function personSession<T>(along?: ReadAlong<T>): MiddlewareHandler<AppEnv> {
  return async function personSession(c, next) {
    if (c.get('person')) return next();
    const cookie = readSessionCookie(c, 'nyckel_person');
    if (!cookie || cookie.length > 128) throw new ApiError('unauthorized');
    const cfg = c.get('config');
    const db = c.get('db');
    const sessionHash = await tokenDigest(cfg.sessionSecret, cookie);
    const now = nowSeconds();
    const session = signedInPersonRead(db, sessionHash, now, cfg.people.idleSeconds);
    const extra = along?.(c, db, now);
    const results = await db.batch([session.statement, ...(extra?.statements ?? [])]);
    const person = session.read(results[0] as D1Result);
    if (!person) throw new ApiError('unauthorized');
    if (along && extra) c.set('readAlong', { along, value: extra.read(results.slice(1)) });
    if (person.lastSeenAt < now - 60) {
      c.get('afterAnswer').push(() => touchPersonSessionStatement(db, sessionHash, now).run());
    }
    c.set('person', { sessionHash, ...person });
    await next();
  };
}

/** Administrators only (after personSession). */
export function adminOnly(): MiddlewareHandler<AppEnv> {
  return async function adminOnly(c, next) {
    if (!c.get('person').isAdmin) throw new ApiError('forbidden');
    await next();
  };
}

/**
 * Sensitive actions (reset on behalf, delegate changes, initial passwords) need a passkey,
 * TOTP or smart-card check within the last STEP_UP_MINUTES; signing in again refreshes it.
 */
export function freshSignIn(): MiddlewareHandler<AppEnv> {
  return async function freshSignIn(c, next) {
    const cfg = c.get('config');
    if (!isFresh(c.get('person').verifiedAt, nowSeconds(), cfg.people.freshSeconds)) {
      throw new ApiError('step_up_required');
    }
    await next();
  };
}
