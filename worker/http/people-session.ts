import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { nowSeconds } from '../db/clock';
import { rolesOf } from '../db/people';
import { findLivePersonSession, touchPersonSession } from '../db/sessions';
import { isFresh } from '../domain/access';
import { tokenDigest } from '../domain/tokens';
import { ApiError } from './errors';
import { readSessionCookie } from './session-cookie';

/**
 * A live person session from the cookie, with the person's roles as they are now in D1 (a
 * revoked role takes effect on the next request), or 401.
 */
export function personSession(): MiddlewareHandler<AppEnv> {
  return async function personSession(c, next) {
    const cookie = readSessionCookie(c, 'nyckel_person');
    if (!cookie || cookie.length > 128) throw new ApiError('unauthorized');
    const cfg = c.get('config');
    const sessionHash = await tokenDigest(cfg.sessionSecret, cookie);
    const now = nowSeconds();
    const session = await findLivePersonSession(
      c.get('db'),
      sessionHash,
      now,
      cfg.people.idleSeconds,
    );
    if (!session) throw new ApiError('unauthorized');
    const roles = await rolesOf(c.get('db'), session.personId);
    await touchPersonSession(c.get('db'), sessionHash, now);
    c.set('person', {
      sessionHash,
      personId: session.personId,
      name: session.name,
      email: session.email,
      isAdmin: session.isAdmin,
      roles,
      verifiedAt: session.verifiedAt,
    });
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
