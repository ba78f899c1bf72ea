import { type Config, config } from '../config';
import type { Db } from '../db/database';
import type { Language } from '../domain/language';

/** What a use case needs from a request, without knowing about Hono. */
export interface Deps {
  env: Env;
  db: Db;
  kv: KVNamespace;
  cfg: Config;
  ip: string | null;
  lang: Language;
  /**
   * Work that must finish after the response (sending an SMS) without delaying it. It is
   * given as a function so a request can start it after the answer rather than before.
   */
  background(task: () => Promise<unknown>): void;
  /** Time spent waiting for the directory in this request (Server-Timing in development). */
  timing?: { directoryMs: number };
}

/** Background work still running in this isolate, so tests can wait for it to finish. */
const inFlight = new Set<Promise<unknown>>();

export async function backgroundSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

/**
 * Logs a background task's failure by name only and keeps it in `inFlight` until it settles;
 * both ways of building Deps (a request's in http/deps.ts, a cron's here) send work through it.
 */
export function track(promise: Promise<unknown>): Promise<unknown> {
  const tracked = promise
    .catch((err: unknown) => {
      const name = err instanceof Error ? err.name : 'unknown';
      console.error(JSON.stringify({ event: 'background_failed', name }));
    })
    .finally(() => inFlight.delete(tracked));
  inFlight.add(tracked);
  return tracked;
}

/** Deps for a Cron Trigger: no client, Swedish texts, background work awaited in line. */
export function cronDeps(env: Env): Deps {
  return {
    env,
    db: env.DB,
    kv: env.CODES,
    cfg: config(env),
    ip: null,
    lang: 'sv',
    background: (task) => {
      void track(task());
    },
  };
}
