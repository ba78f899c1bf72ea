import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import type { Deps } from '../services/deps';

/**
 * A request's Deps, read from Hono's context. Here rather than in services/deps.ts so the use
 * cases never import Hono: they take Deps, and only the http layer knows where it comes from.
 */
export function depsOf(c: Context<AppEnv>): Deps {
  return {
    env: c.env,
    db: c.get('db'),
    kv: c.env.CODES,
    cfg: c.get('config'),
    ip: c.get('clientIp'),
    lang: c.get('lang'),
    background: (task) => {
      c.get('afterAnswer').push(task);
    },
    timing: c.get('timing'),
  };
}
