// What `npm run bench` seeds into the local D1 and the autocannon runs it makes.
// `seed` is bench/d1-seed.mjs (loaded through tsx), `d1` its localD1 for the running app.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DURATION, loadRun } from './load.mjs';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const pad = (n, w) => String(n).padStart(w, '0');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * `perDepth` mailboxes for each history depth, each with a phone (its SMS lands in the
 * development outbox) and exactly `depth` entries in password_history. The entries are
 * random digests under the current pepper version: compared like real ones, never matching.
 * The login hash is a placeholder: completing a reset replaces it without reading it.
 */
export function seedDepthMailboxes(seed, d1, depths, perDepth) {
  const { q, vars } = seed;
  const now = nowSeconds();
  const version = Number(vars.PEPPER_VERSION || 1);
  const statements = [];
  const list = [];
  for (const depth of depths) {
    for (let i = 0; i < perDepth; i++) {
      const m = {
        depth,
        id: `bench-depth-${depth}-${i}`,
        username: `bankdjup${depth}x${i}`,
        phone: `+46709${pad(depth, 2)}${pad(i, 4)}`,
      };
      statements.push(
        `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
           history_salt, password_changed_at, created_at)
         VALUES (${q(m.id)}, ${q(m.username)}, ${q(`Bänkbrevlåda ${depth}-${i}`)}, NULL,
           ${q(m.phone)}, 'bench-placeholder-never-checked',
           ${q(randomBytes(16).toString('base64url'))}, ${now - 10 * 86_400}, ${now - 3000 * 86_400});`,
      );
      for (let h = 0; h < depth; h++) {
        statements.push(
          `INSERT INTO password_history (mailbox_id, digest, created_at)
           VALUES (${q(m.id)}, ${q(`${version}$${randomBytes(32).toString('base64url')}`)},
             ${now - (depth - h) * 90 * 86_400});`,
        );
      }
      list.push(m);
    }
  }
  d1.executeSql(statements);
  return list;
}

/**
 * A unit with `count` mailboxes as a manager's home shows them: password ages spread over
 * 0–120 days (some overdue, some due soon), every fifth without a phone, three locked out,
 * ten audit entries each (the overview looks up the latest per mailbox); and its manager
 * with a signed-in session. Returns the manager's cookie.
 */
export function seedDashboard(seed, d1, count) {
  const { q } = seed;
  const now = nowSeconds();
  const unit = 'bench-dash-unit';
  const statements = [
    `INSERT INTO units (id, name, created_at) VALUES (${q(unit)}, 'Bänkenhet med 50 brevlådor', ${now});`,
  ];
  for (let i = 0; i < count; i++) {
    const id = `bench-dash-${pad(i, 2)}`;
    const username = `bankdash${pad(i, 2)}`;
    const changed = now - Math.round((i * 120 * 86_400) / count);
    const phone = i % 5 === 4 ? null : `+46708${pad(i, 6)}`;
    statements.push(
      `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
         history_salt, password_changed_at, created_at)
       VALUES (${q(id)}, ${q(username)}, ${q(`Bänkbrevlåda ${pad(i, 2)}`)}, ${q(unit)}, ${q(phone)},
         'bench-placeholder-never-checked', ${q(randomBytes(16).toString('base64url'))},
         ${changed}, ${changed});`,
      `INSERT INTO audit (at, actor, action, target, ip, outcome, detail) VALUES ${Array.from(
        { length: 10 },
        (_, k) =>
          `(${changed + k * 3600}, ${q(`mailbox:${id}`)}, 'mailbox.login', ${q(`mailbox:${id}`)}, '127.0.0.1', 'success', NULL)`,
      ).join(', ')};`,
    );
    if (i % 17 === 3) {
      statements.push(
        `INSERT INTO login_failures (username, failures, locked_until, updated_at)
         VALUES (${q(username)}, 5, ${now + 3600}, ${now});`,
      );
    }
  }
  const manager = seed.personWithSession(
    {
      id: 'bench-dash-manager',
      name: 'Chef Översikt',
      email: 'chef.oversikt@example.se',
      admin: 0,
    },
    now,
  );
  statements.push(
    ...manager.statements,
    `INSERT INTO roles (person_id, unit_id, role, created_at, created_by)
     VALUES ('bench-dash-manager', ${q(unit)}, 'manager', ${now}, 'bench');`,
  );
  d1.executeSql(statements);
  return manager.cookie;
}

/** `n` live reset challenges of a known mailbox with a phone, 8 requests at a time. */
async function createChallenges(base, n) {
  const ids = [];
  let started = 0;
  const worker = async () => {
    while (started < n) {
      started++;
      const res = await fetch(`${base}/api/resets`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ username: 'hemtjanstab' }),
      });
      const body = await res.json();
      if (res.status !== 202) throw new Error(`reset start: ${res.status} ${JSON.stringify(body)}`);
      ids.push(body.id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

/** Every autocannon run of the benchmark, GET /api/health first (the baseline). */
export async function loadRuns({ base, seed, d1, reloads, identities }) {
  const out = [];
  const add = async (name, spec, note) => {
    console.log(`load: ${name}`);
    const r = await loadRun(base, { reloads, ...spec });
    out.push({
      name,
      ...r,
      ...(note ? { note: typeof note === 'function' ? note(r) : note } : {}),
    });
  };
  await add('GET /api/health (baseline)', { request: { method: 'GET', path: '/api/health' } });
  await add('GET /api/network', { request: { method: 'GET', path: '/api/network' } });
  await add(
    'POST /api/resets (known username)',
    {
      request: {
        method: 'POST',
        path: '/api/resets',
        headers: JSON_HEADERS,
        body: JSON.stringify({ username: 'hemtjanstab' }),
      },
      expect: 202,
    },
    'one username with a phone over and over (its per-username budget raised); each start sends an SMS to the outbox in the background',
  );
  let unknown = 0;
  await add('POST /api/resets (unknown username)', {
    request: {
      method: 'POST',
      path: '/api/resets',
      headers: JSON_HEADERS,
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({ username: `finnsinte-${unknown++}` }),
      }),
    },
    expect: 202,
  });

  // Code verification: a wrong code on a live challenge of a known mailbox, at most 4 attempts
  // per challenge (the 5th would lock it and take the cheaper "locked" path from then on).
  const ATTEMPTS = 4;
  let pool = await createChallenges(base, 300);
  let k = 0;
  let overflow = 0;
  await add(
    'POST /api/resets/:id/code (wrong code, attempts 1–4)',
    {
      request: {
        method: 'POST',
        path: '/api/resets/x/code',
        headers: JSON_HEADERS,
        body: JSON.stringify({ code: '000000' }),
        setupRequest: (req) => {
          const i = Math.floor(k++ / ATTEMPTS);
          if (i >= pool.length) overflow++;
          return { ...req, path: `/api/resets/${pool[i % pool.length]}/code` };
        },
      },
      expect: 400,
      before: async (warm) => {
        // Enough fresh challenges for 1.5 times the warm-up's rate over the whole run.
        const rate = warm?.requests.average || 200;
        const t = performance.now();
        pool = await createChallenges(base, Math.ceil((rate * DURATION * 1.5) / ATTEMPTS) + 20);
        console.log(
          `  created ${pool.length} challenges in ${((performance.now() - t) / 1000).toFixed(1)} s`,
        );
        k = 0;
        overflow = 0;
        await sleep(2000); // let their background SMS sends finish
      },
    },
    () =>
      `400 invalid_code is the expected answer: challenge lookup, KV read of the code secret, the attempt counted in D1, HOTP comparison, an audit row; ${pool.length} challenges, ${ATTEMPTS} attempts each${overflow ? `, ${overflow} requests beyond the pool (reused challenges: locked)` : ''}. The right code would add one HMAC and one D1 update`,
  );

  await add(
    'POST /api/mailbox/session (login, 1 PBKDF2)',
    {
      request: {
        method: 'POST',
        path: '/api/mailbox/session',
        headers: JSON_HEADERS,
        body: JSON.stringify({ username: 'hemvardsgruppen', password: 'Hemvard#2026' }),
      },
      // Ten connections on one username: each attempt is counted before its check, and while
      // five are being checked a sixth is asked to try again in a moment (429, Retry-After 2).
      expect: [200, 429],
    },
    (r) =>
      `the right password (a wrong one locks the mailbox after 5); each login writes a session; all ten connections use one username, so ${r.statuses['429'] ?? 0} of ${r.requests} (${(((r.statuses['429'] ?? 0) / Math.max(1, r.requests)) * 100).toFixed(1)} %) got 429 "in a moment" while five attempts were in progress`,
  );

  const dashCookie = seedDashboard(seed, d1, 50);
  await add(`GET /api/manager/overview (unit with 50 mailboxes)`, {
    request: { method: 'GET', path: '/api/manager/overview', headers: { cookie: dashCookie } },
  });

  console.log(`seeding ${identities} identities`);
  const t = performance.now();
  const cookies = seed.setupPeople(d1);
  const insertSeconds = seed.insertIdentities(
    d1,
    seed.unitPlan(identities, Math.min(seed.BIG_UNIT_SIZE, identities)),
    0,
  );
  console.log(
    `  seeded in ${((performance.now() - t) / 1000).toFixed(0)} s (insert ${insertSeconds.toFixed(0)} s)`,
  );
  await sleep(3000);
  const n = identities.toLocaleString('en');
  /** The search as the app sends it: the query in the body, never in the address. */
  const search = (cookie) => ({
    method: 'POST',
    path: '/api/manager/identities/search',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ q: 'an' }),
  });
  const hits = async (cookie) => {
    const { method, path, headers, body } = search(cookie);
    const res = await fetch(`${base}${path}`, { method, headers, body });
    if (res.status !== 200) throw new Error(`search: ${res.status} ${await res.text()}`);
    const found = await res.json();
    return Array.isArray(found) ? found.length : JSON.stringify(found).slice(0, 80);
  };
  const searchers = [
    [
      'manager',
      cookies.manager,
      (h) =>
        `the manager's unit holds ${Math.min(seed.BIG_UNIT_SIZE, identities)} identities; ${h} hits`,
    ],
    ['administrator', cookies.admin, (h) => `all units; ${h} hits`],
  ];
  for (const [who, cookie, note] of searchers) {
    const found = await hits(cookie);
    await add(
      `POST /api/manager/identities/search q=an, ${who}, N = ${n}`,
      { request: search(cookie) },
      note(found),
    );
  }
  return out;
}
