// `npm run bench:search` (issue 5): how "finding the person" scales with the number of
// identities. Starts the app exactly as `npm start` does (wrangler dev, local D1, temporary
// state), writes a manager, an administrator and their sessions straight into the local D1,
// fills it with realistic identities (Swedish names, Luhn-valid personnummer with their blind
// index, HSA-ids, initial passwords for some) and measures GET /api/manager/identities at
// N = 1,000 and N = 100,000, each figure also as a ratio to GET /api/health in the same run.
// It also prints SQLite's query plan of a name-prefix search, scoped and unscoped.
// Run with tsx (it imports the worker's own `searchKey`). Never part of `npm test`.
//
// BENCH_SMALL, BENCH_LARGE and BENCH_SAMPLES override 1000, 100000 and 200.
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDevVars } from '../scripts/dev-vars.ts';
import { startLocalApp } from '../scripts/local-app.mjs';
import { prefixRange, searchKey } from '../worker/domain/name-search.ts';

const N_SMALL = Number(process.env.BENCH_SMALL ?? 1_000);
const N_LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 20;
const UNITS = 200;
const BIG_UNIT_SIZE = 500; // the manager's unit, the same at both N
// D1 refuses a statement over 100 kB; a row here is ~450 bytes.
const ROWS_PER_STATEMENT = 150;
const ROWS_PER_FILE = Number(process.env.BENCH_ROWS_PER_FILE ?? 25_000);
const INITIAL_PASSWORD_SHARE = 0.05;

const started = performance.now();
// The keys the app will run with: npm start creates .dev.vars from the example and adds the
// example's keys it lacks, so a fresh clone (no .dev.vars yet) gets the example's values.
const vars = {
  ...readDevVars('.dev.vars.example'),
  ...(existsSync('.dev.vars') ? readDevVars('.dev.vars') : {}),
};
if (!vars.SESSION_SECRET || !vars.INDEX_KEY)
  throw new Error('.dev.vars lacks SESSION_SECRET or INDEX_KEY');

// --- deterministic data -------------------------------------------------------------------

let seed = 0x5eed1234;
function random() {
  // mulberry32: the same identities on every run
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const GIVEN = `Anna Eva Maria Karin Sara Kristina Lena Emma Kerstin Marie Malin Ingrid Jenny Hanna
  Linda Annika Susanne Elin Monica Birgitta Sofia Johanna Carina Elisabeth Julia Ulla Katarina
  Linnéa Åsa Ida Helena Camilla Gunilla Ebba Maja Alice Astrid Wilma Elsa Signe Märta Agnes Stina
  Lars Mikael Anders Johan Erik Per Karl Peter Thomas Jan Daniel Fredrik Hans Andreas Stefan Mohamed
  Mats Marcus Magnus Jonas Oskar Bengt Alexander Sven Nils Björn Gustav Lennart Ulf Viktor Åke
  Göran Örjan Olof Bo Leif Henrik Patrik Tobias Joakim Simon Emil Axel Hugo Elias Ali Ahmed Sebastian
  Rasmus Jörgen Håkan Sören Filip`.split(/\s+/);
const FAMILY =
  `Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
  Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson
  Lindström Lindqvist Lindgren Axelsson Berg Bergström Lundberg Lind Lundgren Lundqvist Mattsson
  Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson
  Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson Isaksson Fransson Bergqvist
  Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson
  Lundström Viklund Björklund Eliasson Pålsson Berggren Sandström Lund Nordin Ström Åberg Hermansson
  Ekström Holmgren Sundberg Hedlund Dahlberg Hellström Sjögren Abrahamsson Martinsson Öberg
  Andreasson Falk Blom Ek Månsson Strand Åström Sundqvist Jensen Hassan Ali Mohammed Nordqvist
  Ahmed Åkesson Östlund Söderström Ängström Ärlig`.split(/\s+/);

const ORG = '2321000016';
function luhnCheckDigit(nineDigits) {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
const pad = (n, w) => String(n).padStart(w, '0');
const usedPnr = new Set();
function personnummer() {
  for (;;) {
    const year = int(1950, 2006);
    const month = int(1, 12);
    const day = int(1, 28);
    const serial = pad(int(0, 999), 3);
    const nine = `${pad(year % 100, 2)}${pad(month, 2)}${pad(day, 2)}${serial}`;
    const canonical = `${year}${pad(month, 2)}${pad(day, 2)}${serial}${luhnCheckDigit(nine)}`;
    if (usedPnr.has(canonical)) continue;
    usedPnr.add(canonical);
    return { canonical, masked: `${canonical.slice(0, 8)}-••••` };
  }
}
const pnrIndex = (canonical) =>
  createHmac('sha256', vars.INDEX_KEY).update(canonical).digest('hex');

const HSA_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const usedUserIds = new Set();
const unitId = (i) => `bench-unit-${pad(i, 3)}`;
const MANAGER_UNIT = unitId(0);
const today = new Date();
const isoDay = (offsetDays) =>
  new Date(today.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Keep a few identities to search for afterwards (their full personnummer). */
const remembered = { managerUnit: [], elsewhere: [] };

function identity(n, unit) {
  const given = pick(GIVEN);
  const family = pick(FAMILY);
  const stem = (searchKey(given).slice(0, 3) + searchKey(family).slice(0, 3)).replace(
    /[^a-z]/g,
    '',
  );
  let userId;
  do userId = `${stem}${pad(int(0, 9999), 4)}`;
  while (usedUserIds.has(userId));
  usedUserIds.add(userId);
  const pnr = personnummer();
  const startOffset = int(-730, 60);
  const state = startOffset > -14 ? 'new' : random() < 0.9 ? 'active' : pick(['ended', 'inactive']);
  const hsa =
    random() < 0.7
      ? `SE${ORG}-${Array.from({ length: int(4, 6) }, () => pick(HSA_CHARS)).join('')}`
      : null;
  const row = {
    id: randomBytes(16).toString('base64url'),
    userId,
    given,
    family,
    pnr,
    hsa,
    unit,
    startDate: isoDay(startOffset),
    state,
    initial: random() < INITIAL_PASSWORD_SHARE,
  };
  const list = unit === MANAGER_UNIT ? remembered.managerUnit : remembered.elsewhere;
  if (list.length < 50 && n % 7 === 0) list.push(row);
  return row;
}

const q = (v) =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;

function identityValues(r, at) {
  return `(${[
    r.id,
    r.userId,
    r.given,
    r.family,
    searchKey(r.given),
    searchKey(r.family),
    searchKey(`${r.given} ${r.family}`),
    'bench-sealed-placeholder-never-decrypted',
    pnrIndex(r.pnr.canonical),
    r.pnr.masked,
    r.hsa,
    r.unit,
    r.startDate,
    r.state,
    at,
    at,
  ]
    .map(q)
    .join(', ')})`;
}

// --- wrangler d1 execute ------------------------------------------------------------------

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nyckel-bench-sql-'));
let app;

function wrangler(args) {
  return execFileSync(
    path.join('node_modules', '.bin', 'wrangler'),
    ['d1', 'execute', 'DB', '--local', '--persist-to', app.state, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    },
  );
}
let fileSeq = 0;
function executeSql(statements) {
  const file = path.join(tmp, `chunk-${fileSeq++}.sql`);
  writeFileSync(file, statements.join('\n'));
  wrangler(['--file', file]);
  rmSync(file);
}
function query(sql) {
  const out = wrangler(['--json', '--command', sql]);
  return JSON.parse(out.slice(out.indexOf('[')))[0].results;
}

/** Inserts identities (and ~5 % initial passwords) for `units`, a list of one unit per row. */
function insertIdentities(units, offset) {
  const at = Math.floor(Date.now() / 1000);
  const insertStarted = performance.now();
  for (let f = 0; f < units.length; f += ROWS_PER_FILE) {
    const statements = [];
    const fileUnits = units.slice(f, f + ROWS_PER_FILE);
    for (let s = 0; s < fileUnits.length; s += ROWS_PER_STATEMENT) {
      const rows = fileUnits
        .slice(s, s + ROWS_PER_STATEMENT)
        .map((unit, i) => identity(offset + f + s + i, unit));
      statements.push(
        `INSERT INTO identities (id, user_id, given_name, family_name, given_key, family_key,
  full_key, pnr_sealed, pnr_index, pnr_masked, hsa_id, unit_id, start_date, state, created_at,
  updated_at) VALUES\n${rows.map((r) => identityValues(r, at)).join(',\n')};`,
      );
      const initial = rows.filter((r) => r.initial);
      if (initial.length > 0) {
        statements.push(
          `INSERT INTO initial_passwords (identity_id, sealed, reason, created_at) VALUES\n${initial
            .map((r) => `(${q(r.id)}, 'bench-sealed-placeholder', 'new', ${at})`)
            .join(',\n')};`,
        );
      }
    }
    const t = performance.now();
    executeSql(statements);
    console.log(
      `  inserted ${offset + f + fileUnits.length} identities (file of ${fileUnits.length} rows: ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
  }
  return (performance.now() - insertStarted) / 1000;
}

/** One unit per row: the first `toBig` go to the manager's unit, the rest spread over the others. */
function unitPlan(count, toBig) {
  const plan = [];
  for (let i = 0; i < count; i++) plan.push(i < toBig ? MANAGER_UNIT : unitId(int(1, UNITS - 1)));
  // shuffled, so the manager's unit's rows are not one contiguous block of rowids
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }
  return plan;
}

// --- people and sessions ------------------------------------------------------------------

function setupPeople() {
  const now = Math.floor(Date.now() / 1000);
  const statements = [];
  const unitRows = [];
  for (let i = 0; i < UNITS; i++)
    unitRows.push(`(${q(unitId(i))}, ${q(`Benchenhet ${i}`)}, ${now})`);
  statements.push(`INSERT INTO units (id, name, created_at) VALUES\n${unitRows.join(',\n')};`);
  const people = [
    { id: 'bench-manager', name: 'Chef Bänk', email: 'chef.bank@example.se', admin: 0 },
    { id: 'bench-admin', name: 'Admin Bänk', email: 'admin.bank@example.se', admin: 1 },
  ];
  const cookies = {};
  for (const p of people) {
    const token = randomBytes(32).toString('base64url');
    const idHash = createHmac('sha256', vars.SESSION_SECRET).update(token).digest('hex');
    statements.push(
      `INSERT INTO people (id, name, email, is_admin, created_at)
       VALUES (${q(p.id)}, ${q(p.name)}, ${q(p.email)}, ${p.admin}, ${now});`,
      `INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at, ip, last_seen_at,
         verified_at, method) VALUES (${q(idHash)}, 'person', ${q(p.id)}, ${now}, ${now + 11 * 3600},
         NULL, ${now}, ${now}, 'passkey');`,
    );
    // Over http://127.0.0.1 the cookie has no __Host- prefix (worker/http/session-cookie.ts).
    cookies[p.admin ? 'admin' : 'manager'] = `nyckel_person=${token}`;
  }
  statements.push(
    `INSERT INTO roles (person_id, unit_id, role, created_at, created_by)
     VALUES ('bench-manager', ${q(MANAGER_UNIT)}, 'manager', ${now}, 'bench');`,
  );
  executeSql(statements);
  return cookies;
}

// --- measuring ----------------------------------------------------------------------------

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { n: samples.length, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

async function timed(route, cookie) {
  const t = performance.now();
  const res = await fetch(`${app.base}${route}`, { headers: cookie ? { Cookie: cookie } : {} });
  const text = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`${route}: ${res.status} ${text}`);
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
      if (reloads() === before) return { ...summary(samples), hits, retakes: attempt };
    } catch (err) {
      if (attempt >= 5 || !(err instanceof TypeError)) throw err;
    }
    if (attempt >= 5) throw new Error(`${route}: the app kept reloading`);
    console.log(`  (${route}: wrangler dev reloaded during the measurement; taken again)`);
    await waitForHealth();
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function explain(sql) {
  const rows = query(`EXPLAIN QUERY PLAN ${sql}`);
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
  const enc = encodeURIComponent;
  const cases = [
    ['GET /api/health (baseline)', '/api/health', null],
    ['manager: name prefix, 2 letters (q=an)', '/api/manager/identities?q=an', cookies.manager],
    [
      'manager: family prefix with diacritic (q=Åber)',
      `/api/manager/identities?q=${enc('Åber')}`,
      cookies.manager,
    ],
    [
      'manager: full personnummer (YYYYMMDD-NNNN)',
      `/api/manager/identities?q=${mine.pnr.canonical.slice(0, 8)}-${mine.pnr.canonical.slice(8)}`,
      cookies.manager,
    ],
    [
      `manager: user id prefix (q=${mine.userId.slice(0, 6)})`,
      `/api/manager/identities?q=${mine.userId.slice(0, 6)}`,
      cookies.manager,
    ],
    [
      `manager: HSA-id prefix (q=${hsaOwner.hsa?.slice(0, 15)})`,
      `/api/manager/identities?q=${enc(hsaOwner.hsa?.slice(0, 15) ?? '')}`,
      cookies.manager,
    ],
    [
      'manager: due=true (initial passwords to fetch)',
      '/api/manager/identities?due=true',
      cookies.manager,
    ],
    ['admin (all units): name prefix (q=an)', '/api/manager/identities?q=an', cookies.admin],
    [
      'admin (all units): full personnummer',
      `/api/manager/identities?q=${other.pnr.canonical}`,
      cookies.admin,
    ],
    ['admin (all units): due=true (extra)', '/api/manager/identities?due=true', cookies.admin],
  ];
  const results = [];
  for (const [name, route, cookie] of cases) {
    results.push({ name, route, ...(await measure(route, cookie)) });
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
  const counts = query(
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
  const cookies = setupPeople();

  const phases = [];
  const small = unitPlan(N_SMALL, BIG_UNIT_SIZE);
  const smallInsert = insertIdentities(small, 0);
  phases.push({ ...(await phase(N_SMALL, cookies)), insertSeconds: smallInsert });
  print(phases[0]);

  const rest = unitPlan(N_LARGE - N_SMALL, 0);
  const largeInsert = insertIdentities(rest, N_SMALL);
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
  rmSync(tmp, { recursive: true, force: true });
}
