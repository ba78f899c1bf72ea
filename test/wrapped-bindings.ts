/*
 * On the edge every D1 call is a round trip from the PoP to the database's primary, and a KV
 * call travels too; a person waits for the calls made before the answer. These wrappers go
 * around the real D1 and KV bindings of an unchanged app: they count the calls, say which were
 * made before the answer and which after (work in waitUntil), and can hold each call back by
 * a fixed delay to model the PoP's distance to the data.
 *
 * Shared by the tests that count calls (test/binding-calls.ts) and the benchmark's edge model
 * (bench/edge-worker.ts), so both measure exactly the same calls. It imports nothing from the
 * test runner, so the benchmark's worker can bundle it.
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

export interface WrapOptions {
  /** Milliseconds every D1 and KV call waits before it is made (0: none). */
  delayMs?: number;
}

type Method = (...args: unknown[]) => unknown;

function proxyMethods<T extends object>(
  target: T,
  methods: Record<string, (real: Method) => Method>,
): T {
  return new Proxy(target, {
    get(t, property) {
      const value: unknown = Reflect.get(t, property, t);
      if (typeof value !== 'function') return value;
      const real = (value as Method).bind(t);
      const wrap = typeof property === 'string' ? methods[property] : undefined;
      return wrap ? wrap(real) : real;
    },
  });
}

/** D1 and KV bindings whose calls are counted (and delayed, when asked), and the counter. */
export function wrapBindings(
  base: Env,
  options: WrapOptions = {},
): { env: Env; counter: CallCounter } {
  const delayMs = options.delayMs ?? 0;
  let answered = false;
  const counter: CallCounter = {
    before: { d1: 0, kv: 0 },
    after: { d1: 0, kv: 0 },
    answered: () => {
      answered = true;
    },
  };
  /** One call of `kind`, counted on the side of the answer it was made on, then made. */
  const call =
    (kind: keyof CallCount) =>
    (run: Method): Method =>
    (...args: unknown[]) => {
      (answered ? counter.after : counter.before)[kind]++;
      if (delayMs <= 0) return run(...args);
      return new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => run(...args));
    };
  const d1Call = call('d1');
  const real = new WeakMap<object, D1PreparedStatement>();
  const statement = (s: D1PreparedStatement): D1PreparedStatement => {
    const proxy = proxyMethods(s, {
      bind:
        (bind) =>
        (...values: unknown[]) =>
          statement(bind(...values) as D1PreparedStatement),
      run: d1Call,
      first: d1Call,
      all: d1Call,
      raw: d1Call,
    });
    real.set(proxy, s);
    return proxy;
  };
  // A D1 session (read replication) is counted like the database itself.
  const database = <T extends D1Database | D1DatabaseSession>(db: T): T =>
    proxyMethods(db, {
      prepare: (prepare) => (sql: unknown) => statement(prepare(sql) as D1PreparedStatement),
      batch: (batch) =>
        d1Call((statements: unknown) =>
          batch((statements as D1PreparedStatement[]).map((s) => real.get(s) ?? s)),
        ),
      exec: d1Call,
      withSession: (withSession) => (bookmark: unknown) =>
        database(withSession(bookmark) as D1DatabaseSession),
    });
  const kvCall = call('kv');
  const kv = proxyMethods(base.CODES, {
    get: kvCall,
    getWithMetadata: kvCall,
    put: kvCall,
    delete: kvCall,
    list: kvCall,
  });
  return { env: { ...base, DB: database(base.DB), CODES: kv }, counter };
}
