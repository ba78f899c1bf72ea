import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterAll } from 'vitest';
import { app } from '../worker/index';
import { type CallCount, type CallCounter, wrapBindings } from './wrapped-bindings';

/*
 * Counts the D1 and KV calls of requests that go through the unchanged app on the real local
 * D1 and KV, and says which were made before the answer (what a person waits for on the edge)
 * and which after (work in waitUntil). The wrappers themselves are in wrapped-bindings.ts,
 * shared with the benchmark's edge model.
 */

export type { CallCount, CallCounter };

/** Bindings whose D1 and KV calls are counted, and the counter. */
export function countedBindings(base: Env = env): { env: Env; counter: CallCounter } {
  return wrapBindings(base);
}

/**
 * One request through the app with counted bindings. `before` is what the person waits for;
 * `after` is the request's waitUntil work, all of it finished before this returns.
 */
export async function countedFetch(
  request: Request,
  base: Env = env,
): Promise<{ res: Response; before: CallCount; after: CallCount }> {
  const { env: counted, counter } = countedBindings(base);
  const ctx = createExecutionContext();
  const res = await app.fetch(request, counted, ctx);
  // The app's answers are complete when it returns them (JSON, no streamed bodies).
  counter.answered();
  await waitOnExecutionContext(ctx);
  return { res, before: counter.before, after: counter.after };
}

/** The counted requests of a test file, printed as one table once its tests are done. */
export function callTable() {
  const rows: { request: string; before: CallCount; after: CallCount }[] = [];
  afterAll(() => {
    console.log(
      [
        'request | D1 before | KV before | D1 after | KV after',
        ...rows.map(
          (r) => `${r.request} | ${r.before.d1} | ${r.before.kv} | ${r.after.d1} | ${r.after.kv}`,
        ),
      ].join('\n'),
    );
  });
  return {
    record(request: string, counted: { before: CallCount; after: CallCount }) {
      rows.push({ request, before: counted.before, after: counted.after });
    },
  };
}
