// `npm run bench`: starts the worker exactly as `npm start` does (wrangler dev,
// local D1/KV, demo data, a temporary state folder) and measures it from this process twice:
// sequential requests from one client (reset start for known vs unknown usernames side by
// side, reset completion by history depth), then autocannon runs of fixed duration
// (bench/load.mjs; BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS) for every endpoint of the
// issue. Every figure is also given as a ratio to GET /api/health measured in the same run, so
// the numbers compare across machines. Results go to bench/results.json (git-ignored). Then
// the edge model (bench/edge.mjs), the directory (bench/directory.mjs) and the attack run
// (bench/attack.mjs), each with an app of its own.
// BENCH_IDENTITIES (default 100000) and BENCH_DEPTH_SAMPLES (default 10) shrink a smoke run.
// Never part of `npm test`.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { tsImport } from 'tsx/esm/api';
import { codeFromOutbox, outboxSnapshot, startLocalApp } from '../scripts/local-app.mjs';
import { benchAttack } from './attack.mjs';
import { RAISED_BUDGETS } from './budgets.mjs';
import { benchDirectory } from './directory.mjs';
import { benchEdge } from './edge.mjs';
import { CONNECTIONS, DURATION, loadSamples, WARMUP } from './load.mjs';
import { loadRuns, seedDepthMailboxes } from './load-cases.mjs';
import { percentiles } from './stats.mjs';

const IDENTITIES = Number(process.env.BENCH_IDENTITIES ?? 100_000);
const DEPTH_SAMPLES = Number(process.env.BENCH_DEPTH_SAMPLES ?? 10);
const DEPTHS = [0, 5, 24];
const loadBefore = os.loadavg();

const app = await startLocalApp({ vars: RAISED_BUDGETS, portBase: 30_000 });
const base = app.base;
// The seeding code of `npm run bench:search`; it imports the worker's TypeScript, hence tsx.
const seed = await tsImport('./d1-seed.mjs', import.meta.url);
const d1 = seed.localD1(app.state);
const reloads = () => (app.log().match(/Reloading local server/g) ?? []).length;

async function request(method, route, body, headers = {}) {
  const started = performance.now();
  const res = await fetch(`${base}${route}`, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    ms: performance.now() - started,
    body: text ? JSON.parse(text) : null,
  };
}

function summary(samples) {
  const total = samples.reduce((a, b) => a + b, 0);
  return { ...percentiles(samples), rps: (1000 * samples.length) / total };
}

async function measure(n, fn) {
  const samples = [];
  for (let i = 0; i < n; i++) samples.push(await fn(i));
  return summary(samples);
}

async function expectStatus(result, status, what) {
  if (result.status !== status)
    throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.ms;
}

/** One whole reset; returns the latency of the final POST /password alone. */
async function completeReset(username, phone, password, seen) {
  const start = await request('POST', '/api/resets', { username });
  await expectStatus(start, 202, 'reset start');
  const code = await codeFromOutbox(base, phone, seen);
  const verified = await request('POST', `/api/resets/${start.body.id}/code`, { code });
  await expectStatus(verified, 200, 'code');
  const done = await request('POST', `/api/resets/${start.body.id}/password`, {
    token: verified.body.token,
    newPassword: password,
  });
  return expectStatus(done, 204, 'password');
}

async function main() {
  const results = {};
  // Warm-up: first requests compile code paths.
  for (let i = 0; i < 20; i++) await request('GET', '/api/health');

  results['GET /api/health (baseline)'] = await measure(300, async () =>
    expectStatus(await request('GET', '/api/health'), 200, 'health'),
  );
  results['GET /api/network'] = await measure(300, async () =>
    expectStatus(await request('GET', '/api/network'), 200, 'network'),
  );
  // Known and unknown usernames interleaved, with a pause after each so that one request's
  // background SMS work does not land on the next one's clock: this compares what the
  // answer itself costs on both paths.
  const known = [];
  const unknown = [];
  for (let i = 0; i < 100; i++) {
    known.push(
      await expectStatus(
        await request('POST', '/api/resets', { username: 'hemtjanstab' }),
        202,
        'reset',
      ),
    );
    await new Promise((r) => setTimeout(r, 40));
    unknown.push(
      await expectStatus(
        await request('POST', '/api/resets', { username: `finnsinte${i}` }),
        202,
        'reset',
      ),
    );
    await new Promise((r) => setTimeout(r, 40));
  }
  results['POST /api/resets (known username)'] = summary(known);
  results['POST /api/resets (unknown username)'] = summary(unknown);
  results['POST /api/mailbox/session (login, 1 PBKDF2)'] = await measure(50, async () =>
    expectStatus(
      await request('POST', '/api/mailbox/session', {
        username: 'hemvardsgruppen',
        password: 'Hemvard#2026',
      }),
      200,
      'login',
    ),
  );

  // Completing a reset at a given history depth (entries in password_history before the
  // new password): one fresh mailbox per sample, seeded with exactly that many entries, so
  // every sample is at exactly that depth. It must cost the same at every depth (2 PBKDF2).
  const depthMailboxes = seedDepthMailboxes(seed, d1, DEPTHS, DEPTH_SAMPLES);
  // The seeding blocked this process for seconds (wrangler d1 execute, synchronously): let
  // the fetch client see the idle connections the server closed meanwhile, or the next
  // request goes out on a dead one ("other side closed").
  await new Promise((resolve) => setTimeout(resolve, 200));
  const seen = await outboxSnapshot(base);
  for (const depth of DEPTHS) {
    const samples = [];
    for (const m of depthMailboxes.filter((x) => x.depth === depth)) {
      samples.push(await completeReset(m.username, m.phone, `Bench-${depth}-Kanin!`, seen));
    }
    results[`reset completion, history depth ${depth} (2 PBKDF2)`] = summary(samples);
  }
  const depthAfter = d1.query(
    `SELECT count(*) AS n FROM password_history WHERE mailbox_id LIKE 'bench-depth-24-%'`,
  )[0].n;
  if (depthAfter !== 25 * DEPTH_SAMPLES) throw new Error(`depth 24: ${depthAfter} rows after`);

  const baseline = results['GET /api/health (baseline)'].p50;
  const rows = Object.entries(results).map(([name, s]) => ({
    name,
    n: s.n,
    p50: s.p50,
    p90: s.p90,
    p99: s.p99,
    rps: s.rps,
    ratio: s.p50 / baseline,
  }));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const fmt = (x) => x.toFixed(1).padStart(7);
  console.log(`\n${machine}; sequential requests from one client over loopback\n`);
  console.log(`${'measurement'.padEnd(58)}   n     p50     p90     p99   req/s  p50 ÷ baseline`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(58)} ${String(r.n).padStart(3)} ${fmt(r.p50)} ${fmt(r.p90)} ${fmt(r.p99)} ${fmt(r.rps)}  ${r.ratio.toFixed(1)}×`,
    );
  }
  // Side by side: known and unknown usernames must not be told apart by their timing.
  const kn = results['POST /api/resets (known username)'];
  const un = results['POST /api/resets (unknown username)'];
  const resetStart = {
    known: { p50: kn.p50, p90: kn.p90 },
    unknown: { p50: un.p50, p90: un.p90 },
    medianDifferenceMs: kn.p50 - un.p50,
    // each median lies below the other's p90: the distributions overlap
    overlap: kn.p50 <= un.p90 && un.p50 <= kn.p90,
  };
  console.log(
    `\nreset start, known vs unknown: median ${kn.p50.toFixed(1)} vs ${un.p50.toFixed(1)} ms, p90 ${kn.p90.toFixed(1)} vs ${un.p90.toFixed(1)} ms: ${resetStart.overlap ? 'overlapping' : 'NOT OVERLAPPING'}`,
  );
  const depthP50 = DEPTHS.map(
    (d) => results[`reset completion, history depth ${d} (2 PBKDF2)`].p50,
  );
  const completion = {
    depths: DEPTHS,
    p50: depthP50,
    maxOverMin: Math.max(...depthP50) / Math.min(...depthP50),
  };
  console.log(
    `reset completion p50 at depth ${DEPTHS.join(' / ')}: ${depthP50.map((x) => x.toFixed(1)).join(' / ')} ms (highest ÷ lowest ${completion.maxOverMin.toFixed(2)})`,
  );

  const load = await loadRuns({ base, seed, d1, reloads, identities: IDENTITIES });
  const base0 = load[0];
  for (const r of load) {
    r.p50Ratio = r.p50 / base0.p50;
    r.rpsRatio = r.rps / base0.rps;
  }
  const loadDuring = {
    mean: loadSamples.reduce((a, b) => a + b, 0) / Math.max(1, loadSamples.length),
    max: Math.max(...loadSamples),
  };
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    path.join('bench', 'results.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine,
        loadAverage: { before: loadBefore, duringLoadRuns: loadDuring, after: os.loadavg() },
        load: { durationSeconds: DURATION, warmupSeconds: WARMUP, connections: CONNECTIONS },
        identities: IDENTITIES,
        sequential: rows,
        resetStart,
        completion,
        loadRuns: load,
      },
      null,
      2,
    ),
  );
  console.log(
    `\nautocannon, ${CONNECTIONS} connections, ${DURATION} s each after ${WARMUP} s warm-up; latencies in ms`,
  );
  console.log(
    `${'endpoint'.padEnd(56)}   req/s     p50     p99 non-2xx errors  statuses     p50 ÷ base  req/s ÷ base`,
  );
  for (const r of load) {
    const statuses = Object.entries(r.statuses)
      .map(([code, n]) => `${code}×${n}`)
      .join(' ');
    console.log(
      `${r.name.padEnd(56)} ${fmt(r.rps)} ${fmt(r.p50)} ${fmt(r.p99)} ${String(r.non2xx).padStart(7)} ${String(r.errors + r.timeouts).padStart(6)}  ${statuses.padEnd(12)} ${r.p50Ratio.toFixed(1).padStart(9)}× ${r.rpsRatio.toFixed(2).padStart(12)}×${r.unexpected ? ` UNEXPECTED ${r.unexpected}` : ''}${r.retakes ? ` (retaken ${r.retakes}×)` : ''}`,
    );
  }
  for (const r of load) if (r.note) console.log(`- ${r.name}: ${r.note}`);
  console.log(
    `\nload average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}; during the load runs mean ${loadDuring.mean.toFixed(2)}, max ${loadDuring.max.toFixed(2)} (1-min)`,
  );
  console.log('(results also in bench/results.json)');
}

try {
  await main();
} catch (err) {
  console.error(app.log().slice(-4000));
  throw err;
} finally {
  app.stop();
  d1.close();
}
// The edge model: the user-facing requests with every D1 and KV call held back by a PoP's
// distance to the primary (bench/edge.mjs).
await benchEdge();
// The password in the domain, through hub, connector and Samba, against direct ldapts.
await benchDirectory();
// The attack run: owners keep signing in while 50 networks guess and start resets.
const attack = await benchAttack();
console.log(
  `\nattack: ${attack.requests} requests from ${attack.networks} networks against ${attack.accounts} accounts: owners ${attack.owners.succeeded}/${attack.owners.tries} signed in; guesses checked per account ${attack.guessesCheckedPerAccount.join(' ')}; reset texts per number at most ${attack.mostTextsToOneNumber} (bound ${attack.boundForOneNumber}: 3 per number and network)`,
);
