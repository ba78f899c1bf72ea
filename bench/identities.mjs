// `npm run bench:search`: how "finding the person" scales with the number of
// identities. Starts the app exactly as `npm start` does (wrangler dev, local D1, temporary
// state), writes a manager, an administrator and their sessions straight into the local D1,
// fills it with realistic identities (Swedish names, Luhn-valid personnummer with their blind
// index, HSA-ids, initial passwords for some) and measures GET /api/manager/identities at
// N = 1,000 and N = 100,000, each figure also as a ratio to GET /api/health in the same run.
// It also prints SQLite's query plan of a name-prefix search, scoped and unscoped.
// Run with tsx (it imports the worker's own `searchKey`). Never part of `npm test`.
//
// BENCH_SMALL, BENCH_LARGE and BENCH_SAMPLES override 1000, 100000 and 200.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalApp } from '../scripts/local-app.mjs';
import { prefixRange } from '../worker/domain/name-search.ts';
import {
  BIG_UNIT_SIZE,
  insertIdentities,
  localD1,
  MANAGER_UNIT,
  pnrIndex,
  q,
  remembered,
  setupPeople,
  unitPlan,
} from './d1-seed.mjs';
import { percentiles } from './stats.mjs';

const N_SMALL = Number(process.env.BENCH_SMALL ?? 1_000);
const N_LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 20;

const started = performance.now();
let app;
let d1;

// --- measuring ----------------------------------------------------------------------------

/** A search as the app sends it: the query in a POST body, never in the address. */
const search = (q) => ({ path: '/api/manager/identities/search', body: { q } });
const label = (route) =>
  typeof route === 'string' ? route : `POST ${route.path} q=${route.body.q}`;

async function timed(route, cookie) {
  const t = performance.now();
  const headers = cookie ? { Cookie: cookie } : {};
  const res =
    typeof route === 'string'
      ? await fetch(`${app.base}${route}`, { headers })
      : await fetch(`${app.base}${route.path}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(route.body),
        });
  const text = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`${label(route)}: ${res.status} ${text}`);
  return { ms, body: JSON.parse(text) };
}

const reloads = () => (app.log().match(/Reloading local server/g) ?? []).length;

async function waitForHealth() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${app.base}/api/health`)).ok) return;
    } catch {
      // reloading
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the app did not come back');
}

/*
 * wrangler dev reloads the worker when files it watches change (other work in the same
 * checkout, a build writing dist/): a measurement during which that happened, or that lost a
 * request to it, is thrown away and taken again, and the number of retakes is reported.
 */
async function measure(route, cookie) {
  for (let attempt = 0; ; attempt++) {
    const before = reloads();
    try {
      let hits = 0;
      for (let i = 0; i < WARMUP; i++) {
        const body = (await timed(route, cookie)).body;
        hits = Array.isArray(body) ? body.length : 0;
      }
      const samples = [];
      for (let i = 0; i < SAMPLES; i++) samples.push((await timed(route, cookie)).ms);
      if (reloads() === before) return { ...percentiles(samples), hits, retakes: attempt };
    } catch (err) {
      if (attempt >= 5 || !(err instanceof TypeError)) throw err;
    }
    if (attempt >= 5) throw new Error(`${label(route)}: the app kept reloading`);
    console.log(`  (${label(route)}: wrangler dev reloaded during the measurement; taken again)`);
    await waitForHealth();
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function explain(sql) {
  const rows = d1.query(`EXPLAIN QUERY PLAN ${sql}`);
  const lines = rows.map((r) => r.detail);
  return {
    sql: sql.replace(/\s+/g, ' '),
    plan: lines,
    usesIndex: lines.some((l) => /USING (COVERING )?INDEX/.test(l)),
    scansIdentities: lines.some((l) => /^SCAN (identities|i)\b/.test(l)),
  };
}

/** The SQL of worker/db/identities.ts searchIdentities for one range, literals inlined. */
function searchSql(units, column, key) {
  const [lo, hi] = prefixRange(key);
  const scope =
    units === 'all'
      ? '1 = 1'
      : `i.unit_id IN (SELECT value FROM json_each(${q(JSON.stringify(units))}))`;
  return `SELECT i.id, i.user_id, i.given_name, i.family_name, i.pnr_sealed, i.pnr_index,
    i.pnr_masked, i.hsa_id, i.unit_id, u.name AS unit_name, i.start_date, i.state, i.version, i.created_at,
    i.updated_at, p.sealed AS ip_sealed, p.reason AS ip_reason, p.created_at AS ip_created_at,
    p.fetch_count AS ip_fetch_count, p.first_fetched_at AS ip_first_fetched_at,
    p.last_fetched_at AS ip_last_fetched_at, p.first_login_at AS ip_first_login_at,
    p.notified_at AS ip_notified_at, p.reminded_at AS ip_reminded_at
  FROM identities i JOIN units u ON u.id = i.unit_id
  LEFT JOIN initial_passwords p ON p.identity_id = i.id
  WHERE ${scope} AND i.${column} >= ${q(lo)} AND i.${column} < ${q(hi)}
  ORDER BY i.${column} LIMIT 10`;
}

async function phase(n, cookies) {
  // Queries for people who exist: a personnummer and a user id from the manager's unit
  // (the administrator searches one from another unit), and an HSA-id prefix of 3 characters
  // after the hyphen.
  const mine = remembered.managerUnit[3];
  const other = remembered.elsewhere[5];
  const hsaOwner = remembered.managerUnit.find((r) => r.hsa) ?? mine;
  const cases = [
    ['GET /api/health (baseline)', '/api/health', null],
    ['manager: name prefix, 2 letters (q=an)', search('an'), cookies.manager],
    ['manager: family prefix with diacritic (q=Åber)', search('Åber'), cookies.manager],
    [
      'manager: full personnummer (YYYYMMDD-NNNN)',
      search(`${mine.pnr.canonical.slice(0, 8)}-${mine.pnr.canonical.slice(8)}`),
      cookies.manager,
    ],
    [
      `manager: user id prefix (q=${mine.userId.slice(0, 6)})`,
      search(mine.userId.slice(0, 6)),
      cookies.manager,
    ],
    [
      `manager: HSA-id prefix (q=${hsaOwner.hsa?.slice(0, 15)})`,
      search(hsaOwner.hsa?.slice(0, 15) ?? ''),
      cookies.manager,
    ],
    [
      'manager: due=true (initial passwords to fetch)',
      '/api/manager/identities?due=true',
      cookies.manager,
    ],
    ['admin (all units): name prefix (q=an)', search('an'), cookies.admin],
    ['admin (all units): full personnummer', search(other.pnr.canonical), cookies.admin],
    ['admin (all units): due=true (extra)', '/api/manager/identities?due=true', cookies.admin],
  ];
  const results = [];
  for (const [name, route, cookie] of cases) {
    results.push({ name, route: label(route), ...(await measure(route, cookie)) });
  }
  const baseline = results[0].p50;
  for (const r of results) r.ratio = r.p50 / baseline;
  const plans = {
    scoped: explain(searchSql([MANAGER_UNIT], 'family_key', 'an')),
    unscoped: explain(searchSql('all', 'family_key', 'an')),
    scopedPnr: explain(
      searchSql([MANAGER_UNIT], 'family_key', 'x').replace(
        /AND i\.family_key >= .* LIMIT 10/s,
        `AND i.pnr_index = ${q(pnrIndex(mine.pnr.canonical))}`,
      ),
    ),
  };
  // listDueIdentities for an administrator: no unit to start from, so it starts from the
  // open initial passwords (the partial index of migration 0004).
  plans.adminDue = explain(
    searchSql('all', 'family_key', 'x')
      .replace(
        /FROM identities i JOIN units u ON u\.id = i\.unit_id\s+LEFT JOIN initial_passwords p ON p\.identity_id = i\.id/,
        'FROM initial_passwords p JOIN identities i ON i.id = p.identity_id JOIN units u ON u.id = i.unit_id',
      )
      .replace(
        /AND i\.family_key >= .* LIMIT 10/s,
        'AND p.sealed IS NOT NULL ORDER BY i.start_date, i.family_key, i.given_key LIMIT 200',
      ),
  );
  const counts = d1.query(
    'SELECT (SELECT count(*) FROM identities) AS identities, (SELECT count(*) FROM initial_passwords) AS initial, ' +
      `(SELECT count(*) FROM identities WHERE unit_id = ${q(MANAGER_UNIT)}) AS managerUnit`,
  )[0];
  return { n, counts, results, plans };
}

function print(p) {
  const fmt = (x) => x.toFixed(1).padStart(7);
  console.log(
    `\nN = ${p.counts.identities} identities (${p.counts.managerUnit} in the manager's unit, ${p.counts.initial} initial passwords); ${SAMPLES} sequential requests each after ${WARMUP} warm-up\n`,
  );
  console.log(`${'measurement'.padEnd(54)} hits     p50     p90     p99  p50 ÷ baseline`);
  for (const r of p.results) {
    console.log(
      `${r.name.padEnd(54)} ${String(r.hits).padStart(4)} ${fmt(r.p50)} ${fmt(r.p90)} ${fmt(r.p99)}  ${r.ratio.toFixed(2)}×${r.retakes ? ` (retaken ${r.retakes}×)` : ''}`,
    );
  }
  for (const [name, plan] of Object.entries(p.plans)) {
    console.log(
      `\nEXPLAIN QUERY PLAN, ${name}: ${plan.usesIndex && !plan.scansIdentities ? 'USING INDEX, no SCAN identities' : 'NOT index-only: check'}`,
    );
    for (const line of plan.plan) console.log(`  ${line}`);
  }
}

async function main() {
  app = await startLocalApp({ portBase: 38_000 });
  console.log(`app on ${app.base}, state in ${app.state}`);
  d1 = localD1(app.state);
  const cookies = setupPeople(d1);

  const phases = [];
  const small = unitPlan(N_SMALL, BIG_UNIT_SIZE);
  const smallInsert = insertIdentities(d1, small, 0);
  phases.push({ ...(await phase(N_SMALL, cookies)), insertSeconds: smallInsert });
  print(phases[0]);

  const rest = unitPlan(N_LARGE - N_SMALL, 0);
  const largeInsert = insertIdentities(d1, rest, N_SMALL);
  phases.push({ ...(await phase(N_LARGE, cookies)), insertSeconds: largeInsert });
  print(phases[1]);

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const totalSeconds = (performance.now() - started) / 1000;
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    path.join('bench', 'results-search.json'),
    JSON.stringify(
      { at: new Date().toISOString(), machine, samples: SAMPLES, totalSeconds, phases },
      null,
      2,
    ),
  );
  console.log(`\n${machine}; local wrangler dev + local D1 (SQLite), loopback, one client`);
  console.log(
    `insert: ${phases.map((p) => `${p.n}: ${p.insertSeconds.toFixed(0)} s`).join(', ')}; whole run ${totalSeconds.toFixed(0)} s`,
  );
  console.log('(milliseconds; results also in bench/results-search.json)');
}

try {
  await main();
} catch (err) {
  console.error(app?.log().slice(-4000));
  throw err;
} finally {
  app?.stop();
  d1?.close();
}
