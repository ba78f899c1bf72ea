import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Secure everywhere but on plain-HTTP localhost, where browsers would drop a Secure cookie.
 * Off localhost the `__Host-` prefix also pins it to this exact origin and path.
 */
/** A mailbox's own session and a person's (manager, delegate, administrator) are separate. */
export type SessionCookie = 'nyckel_mailbox' | 'nyckel_person';

function cookieOptions(c: Context<AppEnv>, name: SessionCookie) {
  const url = new URL(c.req.url);
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  return local
    ? { name, secure: false, prefix: undefined }
    : { name, secure: true, prefix: 'host' as const };
}

export function readSessionCookie(
  c: Context<AppEnv>,
  name: SessionCookie = 'nyckel_mailbox',
): string | undefined {
  const o = cookieOptions(c, name);
  return o.prefix ? getCookie(c, o.name, o.prefix) : getCookie(c, o.name);
}

export function writeSessionCookie(
  c: Context<AppEnv>,
  value: string,
  maxAgeSeconds: number,
  name: SessionCookie = 'nyckel_mailbox',
) {
  const o = cookieOptions(c, name);
  setCookie(c, o.name, value, {
    path: '/',
    httpOnly: true,
    secure: o.secure,
    sameSite: 'Strict',
    maxAge: maxAgeSeconds,
    ...(o.prefix ? { prefix: o.prefix } : {}),
  });
}

export function clearSessionCookie(c: Context<AppEnv>, name: SessionCookie = 'nyckel_mailbox') {
  const o = cookieOptions(c, name);
  deleteCookie(c, o.name, {
    path: '/',
    secure: o.secure,
    ...(o.prefix ? { prefix: o.prefix } : {}),
  });
}
