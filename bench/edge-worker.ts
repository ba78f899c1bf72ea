/*
 * The benchmark's model of the edge (bench/edge.mjs; never deployed, never part of the app's
 * routes). `npm run bench` starts the whole app with this file as the worker's entry instead
 * of worker/index.ts: every request goes through the unchanged app, but with D1 and KV
 * wrapped (test/wrapped-bindings.ts) so that each call waits `Bench-Delay-Ms` milliseconds
 * before it is made, as a call from a PoP to a distant primary would. The answer says how many
 * calls were made before it (`Bench-Calls: d1=<n>, kv=<n>`).
 *
 * `POST /api/bench/pbkdf2` does what a sign-in's password check does once, with the same code
 * (worker/domain/password-hash.ts) in the same workerd: the baseline a sign-in is compared to.
 * `POST /api/bench/settled` waits for every request's background work. Both are under /api/
 * because only those paths reach a worker before the static assets; the app never sees them.
 */
import { wrapBindings } from '../test/wrapped-bindings';
import { config } from '../worker/config';
import { hashPassword, verifyPassword } from '../worker/domain/password-hash';
import worker from '../worker/index';

export { DirectoryHub } from '../worker/index';

const DELAY_HEADER = 'Bench-Delay-Ms';
const CALLS_HEADER = 'Bench-Calls';
const BENCH_PASSWORD = 'Bänk-Kanin#2026';

// Made on first use, with the app's own peppers: Workers allow no random values at global scope.
let storedHash: Promise<string> | undefined;

async function derivationOnce(env: Env): Promise<Response> {
  const { peppers } = config(env);
  storedHash ??= hashPassword(BENCH_PASSWORD, peppers);
  const result = await verifyPassword(BENCH_PASSWORD, await storedHash, peppers);
  return Response.json({ ok: result.ok });
}

/** The per-call delay the client asked for: whole milliseconds, at most 5 s. */
function delayOf(request: Request): number {
  const value = Number(request.headers.get(DELAY_HEADER) ?? '0');
  return Number.isInteger(value) && value >= 0 && value <= 5000 ? value : 0;
}

/** The background work (waitUntil) of every request not yet finished. */
const pending = new Set<Promise<unknown>>();

/** The request's context, with its background work also kept in `pending`. */
function tracked(ctx: ExecutionContext): ExecutionContext {
  return new Proxy(ctx, {
    get(target, property) {
      if (property === 'waitUntil') {
        return (promise: Promise<unknown>) => {
          const done: Promise<unknown> = promise.finally(() => pending.delete(done));
          pending.add(done);
          target.waitUntil(done);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Answers once every request's background work has finished, so the next measured request
 * starts on a worker that is not still busy with the last one's (its SMS, its audit rows):
 * what one request costs, as a person meets it on an idle isolate.
 */
async function settled(): Promise<Response> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
  return Response.json({ ok: true });
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/api/bench/pbkdf2') {
      return derivationOnce(env);
    }
    if (request.method === 'POST' && url.pathname === '/api/bench/settled') return settled();
    const { env: wrapped, counter } = wrapBindings(env, { delayMs: delayOf(request) });
    const res = await worker.fetch(request, wrapped, tracked(ctx));
    // Background work starts only after the answer exists (worker/http/middleware.ts), so
    // what was counted so far is what the person waited for.
    counter.answered();
    if (res.status === 101) return res;
    const answer = new Response(res.body, res);
    answer.headers.set(CALLS_HEADER, `d1=${counter.before.d1}, kv=${counter.before.kv}`);
    return answer;
  },
  scheduled: worker.scheduled,
} satisfies ExportedHandler<Env>;
