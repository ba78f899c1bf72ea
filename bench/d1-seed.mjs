// Shared by the benchmarks: writes straight into the local D1 of an app started by
// scripts/local-app.mjs (through `wrangler d1 execute --persist-to`, as `npm start` seeds it):
// realistic identities (Swedish names, Luhn-valid personnummer with their blind index,
// HSA-ids, initial passwords for some), people with a signed-in session, raw SQL.
// It imports the worker's own `searchKey`, so load it with tsx (`tsImport` from tsx/esm/api
// in plain Node). BENCH_ROWS_PER_FILE overrides the 25,000 identities per SQL file.
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDevVars } from '../scripts/dev-vars.ts';
import { searchKey } from '../worker/domain/name-search.ts';

export const UNITS = 200;
export const BIG_UNIT_SIZE = 500; // the manager's unit, the same at every N
// D1 refuses a statement over 100 kB; a row here is ~450 bytes.
const ROWS_PER_STATEMENT = 150;
const ROWS_PER_FILE = Number(process.env.BENCH_ROWS_PER_FILE ?? 25_000);
const INITIAL_PASSWORD_SHARE = 0.05;

// The keys the app will run with: npm start creates .dev.vars from the example and adds the
// example's keys it lacks, so a fresh clone (no .dev.vars yet) gets the example's values.
export const vars = {
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
export const pnrIndex = (canonical) =>
  createHmac('sha256', vars.INDEX_KEY).update(canonical).digest('hex');

const HSA_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const usedUserIds = new Set();
const unitId = (i) => `bench-unit-${pad(i, 3)}`;
export const MANAGER_UNIT = unitId(0);
const today = new Date();
const isoDay = (offsetDays) =>
  new Date(today.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Keep a few identities to search for afterwards (their full personnummer). */
export const remembered = { managerUnit: [], elsewhere: [] };

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

export const q = (v) =>
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

/**
 * Runs SQL against the local D1 of a running `startLocalApp` (its --persist-to folder), the
 * way `npm start` seeds it. `executeSql` takes a list of statements (written to a file, since
 * D1 refuses a statement over 100 kB); `query` one statement and returns its rows.
 */
export function localD1(state) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nyckel-bench-sql-'));
  const wrangler = (args) =>
    execFileSync(
      path.join('node_modules', '.bin', 'wrangler'),
      ['d1', 'execute', 'DB', '--local', '--persist-to', state, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
      },
    );
  let fileSeq = 0;
  return {
    executeSql(statements) {
      const file = path.join(tmp, `chunk-${fileSeq++}.sql`);
      writeFileSync(file, statements.join('\n'));
      wrangler(['--file', file]);
      rmSync(file);
    },
    query(sql) {
      const out = wrangler(['--json', '--command', sql]);
      return JSON.parse(out.slice(out.indexOf('[')))[0].results;
    },
    close() {
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Inserts identities (and ~5 % initial passwords) for `units`, a list of one unit per row. */
export function insertIdentities(d1, units, offset) {
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
    d1.executeSql(statements);
    console.log(
      `  inserted ${offset + f + fileUnits.length} identities (file of ${fileUnits.length} rows: ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
  }
  return (performance.now() - insertStarted) / 1000;
}

/** One unit per row: the first `toBig` go to the manager's unit, the rest spread over the others. */
export function unitPlan(count, toBig) {
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

/**
 * A person (`admin` 0 or 1) with a signed-in session (passkey, verified now): the statements
 * that write both straight into D1, and the cookie that carries the session.
 */
export function personWithSession(p, now = Math.floor(Date.now() / 1000)) {
  const token = randomBytes(32).toString('base64url');
  const idHash = createHmac('sha256', vars.SESSION_SECRET).update(token).digest('hex');
  return {
    statements: [
      `INSERT INTO people (id, name, email, is_admin, created_at)
       VALUES (${q(p.id)}, ${q(p.name)}, ${q(p.email)}, ${p.admin}, ${now});`,
      `INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at, ip, last_seen_at,
         verified_at, method) VALUES (${q(idHash)}, 'person', ${q(p.id)}, ${now}, ${now + 11 * 3600},
         NULL, ${now}, ${now}, 'passkey');`,
    ],
    // Over http://127.0.0.1 the cookie has no __Host- prefix (worker/http/session-cookie.ts).
    cookie: `nyckel_person=${token}`,
  };
}

export function setupPeople(d1) {
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
    const session = personWithSession(p, now);
    statements.push(...session.statements);
    cookies[p.admin ? 'admin' : 'manager'] = session.cookie;
  }
  statements.push(
    `INSERT INTO roles (person_id, unit_id, role, created_at, created_by)
     VALUES ('bench-manager', ${q(MANAGER_UNIT)}, 'manager', ${now}, 'bench');`,
  );
  d1.executeSql(statements);
  return cookies;
}
