import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { app } from '../worker/index';

/*
 * On the edge every D1 call is a round trip from the PoP to the database's primary, and a KV
 * write travels too; a person waits for the calls made before the answer. These wrappers count
 * the calls on the real local D1 and KV while requests go through the unchanged app, and say
 * which of them were made before the answer and which after (work in waitUntil).
 */

export interface CallCount {
  d1: number;
  kv: number;
}

export interface CallCounter {
  before: CallCount;
  after: CallCount;
  /** From now on calls count as made after the answer. */
  answered(): void;
}

/** Adds one call of `kind` to the side of the answer it was made on. */
function tally(counter: CallCounter, isAnswered: () => boolean, kind: keyof CallCount) {
  (isAnswered() ? counter.after : counter.before)[kind]++;
}

function proxyMethods<T extends object>(
  target: T,
  methods: Record<
    string,
    (real: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown
  >,
): T {
  return new Proxy(target, {
    get(t, property) {
      const value: unknown = Reflect.get(t, property, t);
      if (typeof value !== 'function') return value;
      const real = (value as (...args: unknown[]) => unknown).bind(t);
      const wrap = typeof property === 'string' ? methods[property] : undefined;
      return wrap ? wrap(real) : real;
    },
  });
}

/** Bindings whose D1 and KV calls are counted, and the counter. */
export function countedBindings(base: Env = env): { env: Env; counter: CallCounter } {
  let answered = false;
  const counter: CallCounter = {
    before: { d1: 0, kv: 0 },
    after: { d1: 0, kv: 0 },
    answered: () => {
      answered = true;
    },
  };
  const isAnswered = () => answered;
  const real = new WeakMap<object, D1PreparedStatement>();
  const statement = (s: D1PreparedStatement): D1PreparedStatement => {
    const counted =
      (run: (...args: unknown[]) => unknown) =>
      (...args: unknown[]) => {
        tally(counter, isAnswered, 'd1');
        return run(...args);
      };
    const proxy = proxyMethods(s, {
      bind:
        (bind) =>
        (...values: unknown[]) =>
          statement(bind(...values) as D1PreparedStatement),
      run: counted,
      first: counted,
      all: counted,
      raw: counted,
    });
    real.set(proxy, s);
    return proxy;
  };
  // A D1 session (read replication) is counted like the database itself.
  const database = <T extends D1Database | D1DatabaseSession>(db: T): T =>
    proxyMethods(db, {
      prepare: (prepare) => (sql: unknown) => statement(prepare(sql) as D1PreparedStatement),
      batch: (batch) => (statements: unknown) => {
        tally(counter, isAnswered, 'd1');
        return batch((statements as D1PreparedStatement[]).map((s) => real.get(s) ?? s));
      },
      exec: (exec) => (sql: unknown) => {
        tally(counter, isAnswered, 'd1');
        return exec(sql);
      },
      withSession: (withSession) => (bookmark: unknown) =>
        database(withSession(bookmark) as D1DatabaseSession),
    });
  const kvCall =
    (call: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      tally(counter, isAnswered, 'kv');
      return call(...args);
    };
  const kv = proxyMethods(base.CODES, {
    get: kvCall,
    getWithMetadata: kvCall,
    put: kvCall,
    delete: kvCall,
    list: kvCall,
  });
  return { env: { ...base, DB: database(base.DB), CODES: kv }, counter };
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
