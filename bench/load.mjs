// Load runs for `npm run bench`: autocannon against the local app, a warm-up run whose figures
// are thrown away, then a measured run of fixed duration. BENCH_DURATION (seconds, default 10),
// BENCH_WARMUP (seconds, default 2) and BENCH_CONNECTIONS (default 10) make a quick smoke run.
import os from 'node:os';
import autocannon from 'autocannon';

export const DURATION = Number(process.env.BENCH_DURATION ?? 10);
export const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** The 1-minute load average, sampled every 2 s while the measured runs go on. */
export const loadSamples = [];
let sampling = null;
export function sampleLoad(on) {
  if (on && !sampling) {
    sampling = setInterval(() => loadSamples.push(os.loadavg()[0]), 2000);
    sampling.unref();
  } else if (!on && sampling) {
    clearInterval(sampling);
    sampling = null;
  }
}

/**
 * One endpoint under load. `request` is an autocannon request ({ method, path, headers, body,
 * setupRequest }); `before` runs between the warm-up and the measured run (to prepare what the
 * measured run consumes), `expect` is the status (or statuses) every answer should have. Wrangler dev
 * reloads the worker when files it watches change (other work in the checkout); a measured run
 * during which that happened is taken again (at most twice), and `retakes` says so.
 */
export async function loadRun(base, { request, expect = 200, before, reloads }) {
  const options = {
    url: base,
    connections: CONNECTIONS,
    pipelining: 1,
    requests: [request],
  };
  const warm = WARMUP > 0 ? await run({ ...options, duration: WARMUP }) : null;
  for (let retakes = 0; ; retakes++) {
    if (before) await before(warm);
    const reloadsBefore = reloads();
    sampleLoad(true);
    const r = await run({ ...options, duration: DURATION });
    sampleLoad(false);
    if (reloads() !== reloadsBefore && retakes < 2) {
      console.log('  (wrangler dev reloaded during the run; taken again)');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      continue;
    }
    const statuses = Object.fromEntries(
      Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
    );
    const expected = Array.isArray(expect) ? expect : [expect];
    const unexpected = Object.entries(statuses)
      .filter(([code]) => !expected.includes(Number(code)))
      .reduce((sum, [, n]) => sum + n, 0);
    return {
      connections: CONNECTIONS,
      duration: DURATION,
      requests: r.requests.total,
      rps: r.requests.average,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      mean: r.latency.average,
      expectedStatus: expect,
      statuses,
      unexpected,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      retakes,
      warmupRps: warm?.requests.average ?? null,
    };
  }
}
