// `npm run bench`: starts the worker exactly as `npm start` does (wrangler dev, local D1/KV,
// demo data, a temporary state folder) and measures request latencies from this process.
// Every figure is also given as a ratio to GET /api/health measured in the same run, so the
// numbers compare across machines. Never part of `npm test`.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { codeFromOutbox, outboxSnapshot, startLocalApp } from '../scripts/local-app.mjs';

// Budgets raised so the benchmark measures the work, not the throttles.
const vars = [
  'RESET_PER_USERNAME_PER_HOUR=100000',
  'RESET_PER_ADDRESS_PER_HOUR=100000',
  'LOGIN_PER_ADDRESS_PER_15_MIN=100000',
  'SMS_PER_ACCOUNT_PER_HOUR=100000',
  'SMS_PER_NUMBER_PER_HOUR=100000',
  'SMS_PER_ADDRESS_PER_HOUR=100000',
  'SMS_PER_DAY=100000',
];
const app = await startLocalApp({ vars, portBase: 30_000 });
const base = app.base;

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
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const total = samples.reduce((a, b) => a + b, 0);
  return {
    n: samples.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    rps: (1000 * samples.length) / total,
  };
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

  // Completing a reset, as the history fills: entries 1–5 (shallow), then after 25 resets the
  // history is full (the current password + 24 earlier ones) and must cost the same.
  const seen = await outboxSnapshot(base);
  const shallow = [];
  const full = [];
  for (let i = 0; i < 35; i++) {
    const ms = await completeReset('hemtjanstab', '+46701234567', `Bench-${i}-Kanin!`, seen);
    if (i < 5) shallow.push(ms);
    if (i >= 25) full.push(ms);
  }
  results['reset completion, history 1–5 entries (2 PBKDF2)'] = summary(shallow);
  results['reset completion, history full at 25 entries (2 PBKDF2)'] = summary(full);

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
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    path.join('bench', 'results.json'),
    JSON.stringify({ at: new Date().toISOString(), machine, rows }, null, 2),
  );
  const fmt = (x) => x.toFixed(1).padStart(7);
  console.log(`\n${machine}; sequential requests from one client over loopback\n`);
  console.log(`${'measurement'.padEnd(58)}   n     p50     p90     p99   req/s  p50 ÷ baseline`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(58)} ${String(r.n).padStart(3)} ${fmt(r.p50)} ${fmt(r.p90)} ${fmt(r.p99)} ${fmt(r.rps)}  ${r.ratio.toFixed(1)}×`,
    );
  }
  console.log('\n(milliseconds; results also in bench/results.json)');
}

try {
  await main();
} finally {
  app.stop();
}
