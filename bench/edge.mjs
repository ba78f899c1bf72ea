// The edge model of `npm run bench` (also alone: `npm run bench:edge`). On Cloudflare every D1
// call goes from the PoP to the database's primary and back, and KV calls travel too; locally
// they cost about nothing, so local latencies hide what a person far from the primary waits
// for. Here the app runs behind bench/edge-worker.ts, which holds every D1 and KV call back by
// the delay a request asks for (`Bench-Delay-Ms`) and reports the calls made before the
// answer (`Bench-Calls`). Each user-facing request is measured at every delay, the delays
// interleaved sample by sample so a busy moment of the machine falls on all of them alike,
// from a fresh client network each time (no throttle or lockout is reached), and only once
// the previous request's background work has finished (`/api/bench/settled`).
//
// BENCH_EDGE_DELAYS (ms per call, default 0,20,60), BENCH_EDGE_SAMPLES (per request and
// delay, default 10, at most 100) and BENCH_EDGE_DERIVATIONS (bare PBKDF2 runs, default 60)
// size a run. Results go to bench/results-edge.json (git-ignored); a Markdown table is printed.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as OTPAuth from 'otpauth';
import { tsImport } from 'tsx/esm/api';
import { codeFromOutbox, outboxSnapshot, startLocalApp } from '../scripts/local-app.mjs';
import { RAISED_BUDGETS } from './budgets.mjs';
import { seedDashboard } from './load-cases.mjs';
import { percentiles } from './stats.mjs';

// One round trip from a Stockholm PoP to a D1 primary in western Europe, where a database
// created from Sweden lives (D1 has no Nordic region); docs/benchmarks.md names the sources.
// 60 ms, three times that, stands for a bad day: a congested path, D1's own queueing on top.
const PRIMARY_ROUND_TRIP_MS = 20;
const DELAYS = (process.env.BENCH_EDGE_DELAYS ?? `0,${PRIMARY_ROUND_TRIP_MS},60`)
  .split(',')
  .map((d) => Number(d.trim()));
const SAMPLES = Math.min(100, Number(process.env.BENCH_EDGE_SAMPLES ?? 10));
const DERIVATIONS = Number(process.env.BENCH_EDGE_DERIVATIONS ?? 60);

const UNIT = 'bench-edge-unit';
const RESET_MAILBOX = { id: 'bench-edge-reset', username: 'bankkant', phone: '+46709990001' };
const SIGNIN_MAILBOX = {
  id: 'bench-edge-signin',
  username: 'banksignin',
  password: 'Bank-Logga#2026',
};
const CHANGE_MAILBOX = {
  id: 'bench-edge-change',
  username: 'bankbyte',
  password: 'Bank-Byte#2026',
};
const DASHBOARD_MAILBOXES = 50;
const SHARE_MAILBOXES = DELAYS.map((delay, i) => ({
  delay,
  id: `bench-edge-share-${i}`,
  username: `bankdela${i}`,
  phone: `+4670999100${i}`,
}));

const pad = (n, w) => String(n).padStart(w, '0');
const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');
const randomId = () => randomBytes(16).toString('base64url');

/** A client network of its own for every request: an IPv6 /64 nobody else uses in the run. */
let networks = 0;
function freshAddress() {
  networks++;
  return `2001:db8:${(0xe000 + (networks >> 16)).toString(16)}:${(networks & 0xffff).toString(16)}::1`;
}

/** A TOTP code for `secret`, for the time step `step`. */
function totpAt(secret, step) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({
    timestamp: step * 30_000 + 1000,
  });
}

function client(app) {
  const origin = app.localhost;
  /**
   * One request; `delay` is the per-call delay the edge worker adds to this request's D1 and
   * KV calls (set-up requests go without). Returns the status, body, time and call counts.
   */
  return async function send(method, route, o = {}) {
    const headers = {
      'CF-Connecting-IP': o.ip ?? freshAddress(),
      ...(method === 'GET' ? {} : { Origin: origin }),
      ...(o.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(o.cookie ? { Cookie: o.cookie } : {}),
      ...(o.delay ? { 'Bench-Delay-Ms': String(o.delay) } : {}),
    };
    const started = performance.now();
    const res = await fetch(`${o.base ?? app.base}${route}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    const calls = /d1=(\d+), kv=(\d+)/.exec(res.headers.get('Bench-Calls') ?? '');
    const result = {
      status: res.status,
      ms,
      body: text ? JSON.parse(text) : null,
      cookie: /nyckel_(?:mailbox|person)=[^;]+/.exec(res.headers.get('Set-Cookie') ?? '')?.[0],
      calls: calls ? { d1: Number(calls[1]), kv: Number(calls[2]) } : null,
    };
    if (o.expect !== undefined && result.status !== o.expect) {
      throw new Error(`${method} ${route}: ${result.status} ${text.slice(0, 300)}`);
    }
    return result;
  };
}

/** Mailboxes, staff, people with invites; and the manager's unit of 50 mailboxes. */
async function seedEdge(seed, d1) {
  const { q, vars } = seed;
  const hashing = await tsImport('../worker/domain/password-hash.ts', import.meta.url);
  const peppers = { current: 1, secrets: new Map([[1, vars.PASSWORD_PEPPER]]) };
  const now = Math.floor(Date.now() / 1000);
  const statements = [
    `INSERT INTO units (id, name, created_at) VALUES (${q(UNIT)}, 'Bänkenhet på kanten', ${now});`,
  ];
  const mailbox = async (m, password, phone) => {
    const salt = hashing.newHistorySalt();
    const hash = await hashing.hashPassword(password, peppers);
    const { digest } = await hashing.checkHistory(password, salt, [], peppers);
    statements.push(
      `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
         history_salt, password_changed_at, created_at)
       VALUES (${q(m.id)}, ${q(m.username)}, ${q(`Bänk ${m.username}`)}, ${q(UNIT)}, ${q(phone)},
         ${q(hash)}, ${q(salt)}, ${now - 30 * 86_400}, ${now - 300 * 86_400});`,
      `INSERT INTO password_history (mailbox_id, digest, created_at)
       VALUES (${q(m.id)}, ${q(digest)}, ${now - 30 * 86_400});`,
    );
  };
  await mailbox(RESET_MAILBOX, 'Bank-Kant#2026', RESET_MAILBOX.phone);
  // A mailbox per delay whose new password is shared with the staff: a later change of the
  // same mailbox would revoke the links before they are revealed.
  for (const m of SHARE_MAILBOXES) await mailbox(m, 'Bank-Dela#2026', m.phone);
  await mailbox(SIGNIN_MAILBOX, SIGNIN_MAILBOX.password, null);
  await mailbox(CHANGE_MAILBOX, CHANGE_MAILBOX.password, null);

  // One staff member per sample: every share sends each of them a personal link.
  const staff = [];
  for (let i = 0; i < SAMPLES; i++) {
    const member = { id: randomId(), phone: `+4670998${pad(i, 4)}` };
    staff.push(member);
    statements.push(
      `INSERT INTO staff (id, unit_id, name, phone, created_at, created_by, updated_at)
       VALUES (${q(member.id)}, ${q(UNIT)}, ${q(`Personal ${i}`)}, ${q(member.phone)}, ${now},
         'bench', ${now});`,
    );
  }

  // People enrolled through their invites: one authenticator-app code each (a code works
  // once per person), and one passkey that signs in again and again.
  const invite = (id, email, name) => {
    const token = randomBytes(32).toString('base64url');
    statements.push(
      `INSERT INTO people (id, name, email, is_admin, created_at)
       VALUES (${q(id)}, ${q(name)}, ${q(email)}, 0, ${now});`,
      `INSERT INTO roles (person_id, unit_id, role, created_at, created_by)
       VALUES (${q(id)}, ${q(UNIT)}, 'delegate', ${now}, 'bench');`,
      `INSERT INTO invites (id, token_hash, person_id, created_by, created_at, expires_at)
       VALUES (${q(randomId())}, ${q(sha256Hex(token))}, ${q(id)}, 'bench', ${now}, ${now + 3600});`,
    );
    return { id, email, token };
  };
  const totpPeople = [];
  for (let i = 0; i < SAMPLES * DELAYS.length; i++) {
    totpPeople.push(invite(`bench-edge-totp-${i}`, `bank.totp${i}@example.se`, `Totp Bänk ${i}`));
  }
  const passkeyPerson = invite('bench-edge-passkey', 'bank.nyckel@example.se', 'Nyckel Bänk');
  d1.executeSql(statements);
  const managerCookie = seedDashboard(seed, d1, DASHBOARD_MAILBOXES);
  return { staff, totpPeople, passkeyPerson, managerCookie };
}

/** A whole reset of `mailbox` at delay 0, up to its token (what a share starts from). */
async function resetToToken(send, base, seen, mailbox, password) {
  const start = await send('POST', '/api/resets', {
    body: { username: mailbox.username },
    expect: 202,
  });
  const code = await codeFromOutbox(base, mailbox.phone, seen);
  const verified = await send('POST', `/api/resets/${start.body.id}/code`, {
    body: { code },
    expect: 200,
  });
  await send('POST', `/api/resets/${start.body.id}/password`, {
    body: { token: verified.body.token, newPassword: password },
    expect: 204,
  });
  return { id: start.body.id, token: verified.body.token };
}

/** Every staff member's handover link of one share, read from the development outbox. */
async function shareLinks(base, staff, seen) {
  const links = [];
  for (const member of staff) {
    for (let tries = 0; ; tries++) {
      const outbox = await (await fetch(`${base}/api/dev/outbox`)).json();
      const sms = outbox.find((m) => m.to === member.phone && !seen.has(m.createdAt + m.body));
      const token = sms && /\/visa#([\w-]+)/.exec(sms.body)?.[1];
      if (token) {
        seen.add(sms.createdAt + sms.body);
        links.push(token);
        break;
      }
      if (tries > 100) throw new Error(`no handover link to ${member.phone}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return links;
}

export async function benchEdge() {
  const startedAt = performance.now();
  const app = await startLocalApp({
    portBase: 46_000,
    env: { NYCKEL_ENTRY: 'bench/edge-worker.ts' },
    vars: [
      ...RAISED_BUDGETS,
      // Wrong passwords are measured too: no lock, no growing delay.
      'LOGIN_MAX_FAILURES=100000',
      'LOGIN_ACCOUNT_CEILING=100000',
    ],
  });
  const seed = await tsImport('./d1-seed.mjs', import.meta.url);
  const { SoftAuthenticator } = await tsImport('../test/soft-authenticator.ts', import.meta.url);
  const d1 = seed.localD1(app.state);
  const send = client(app);
  try {
    const { staff, totpPeople, passkeyPerson, managerCookie } = await seedEdge(seed, d1);
    // The seeding blocked this process for seconds (wrangler d1 execute, synchronously): let
    // the fetch client see the idle connections the server closed meanwhile, or the next
    // request goes out on a dead one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = await outboxSnapshot(app.base);
    const dashboardMailbox = 'bench-dash-00';

    // Set-up at delay 0: the people's enrolments, a passkey, a share per delay whose links
    // are revealed one per sample, and signed-in sessions.
    const enrolled = [];
    for (const person of totpPeople) {
      const options = await send('POST', '/api/people/enrol/totp/options', {
        body: { token: person.token },
        expect: 200,
      });
      const step = Math.floor(Date.now() / 30_000);
      await send('POST', '/api/people/enrol/totp', {
        body: { token: person.token, code: totpAt(options.body.secret, step) },
        expect: 200,
      });
      enrolled.push({ ...person, secret: options.body.secret, lastStep: step });
    }
    const authenticator = new SoftAuthenticator(app.localhost);
    {
      const options = await send('POST', '/api/people/enrol/passkey/options', {
        base: app.localhost,
        body: { token: passkeyPerson.token },
        expect: 200,
      });
      const response = await authenticator.register(options.body.options);
      await send('POST', '/api/people/enrol/passkey', {
        base: app.localhost,
        body: { token: passkeyPerson.token, challengeId: options.body.challengeId, response },
        expect: 200,
      });
    }
    let password = 0;
    const nextPassword = () => `Kant${++password}x-Rabatt!`;
    const links = {};
    for (const mailbox of SHARE_MAILBOXES) {
      const reset = await resetToToken(send, app.base, seen, mailbox, nextPassword());
      await send('POST', `/api/resets/${reset.id}/handovers`, {
        body: { token: reset.token, staffIds: staff.map((m) => m.id) },
        expect: 201,
      });
      links[mailbox.delay] = await shareLinks(app.base, staff, seen);
    }
    const mailboxCookie = (
      await send('POST', '/api/mailbox/session', {
        body: { username: SIGNIN_MAILBOX.username, password: SIGNIN_MAILBOX.password },
        expect: 200,
      })
    ).cookie;
    let changeCookie = (
      await send('POST', '/api/mailbox/session', {
        body: { username: CHANGE_MAILBOX.username, password: CHANGE_MAILBOX.password },
        expect: 200,
      })
    ).cookie;
    let changePassword = CHANGE_MAILBOX.password;
    // The derivation's stored hash is made on the first call: not a sample.
    await send('POST', '/api/bench/pbkdf2', { expect: 200 });
    console.log(`edge: set up in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);

    /** samples[name][delay] = { ms: [], calls: Set of "d1/kv" } */
    const samples = {};
    const order = [];
    const record = async (name, delay, result) => {
      // The next request starts once this one's background work is done (bench/edge-worker.ts).
      await send('POST', '/api/bench/settled', { expect: 200 });
      if (!samples[name]) {
        samples[name] = {};
        order.push(name);
      }
      samples[name][delay] ??= { ms: [], calls: new Set() };
      samples[name][delay].ms.push(result.ms);
      if (result.calls) samples[name][delay].calls.add(`${result.calls.d1}/${result.calls.kv}`);
      return result;
    };
    const derivations = [];
    const derivationsPerRound = Math.ceil(DERIVATIONS / SAMPLES);

    for (let i = 0; i < SAMPLES; i++) {
      for (const delay of DELAYS) {
        const at = { delay };
        // A reset, as its owner goes through it: start, code, new password.
        const start = await record(
          'POST /api/resets (known name)',
          delay,
          await send('POST', '/api/resets', {
            ...at,
            body: { username: RESET_MAILBOX.username },
            expect: 202,
          }),
        );
        const code = await codeFromOutbox(app.base, RESET_MAILBOX.phone, seen);
        const verified = await record(
          'POST /api/resets/{id}/code',
          delay,
          await send('POST', `/api/resets/${start.body.id}/code`, {
            ...at,
            body: { code },
            expect: 200,
          }),
        );
        await record(
          'POST /api/resets/{id}/password',
          delay,
          await send('POST', `/api/resets/${start.body.id}/password`, {
            ...at,
            body: { token: verified.body.token, newPassword: nextPassword() },
            expect: 204,
          }),
        );
        await record(
          'POST /api/resets (unknown name)',
          delay,
          await send('POST', '/api/resets', {
            ...at,
            body: { username: `finnsinte${delay}x${i}` },
            expect: 202,
          }),
        );
        await record(
          'POST /api/mailbox/session',
          delay,
          await send('POST', '/api/mailbox/session', {
            ...at,
            body: { username: SIGNIN_MAILBOX.username, password: SIGNIN_MAILBOX.password },
            expect: 200,
          }),
        );
        await record(
          'POST /api/mailbox/session (wrong password)',
          delay,
          await send('POST', '/api/mailbox/session', {
            ...at,
            body: { username: SIGNIN_MAILBOX.username, password: 'Fel-Losenord-9' },
            expect: 401,
          }),
        );
        await record(
          'GET /api/mailbox',
          delay,
          await send('GET', '/api/mailbox', { ...at, cookie: mailboxCookie, expect: 200 }),
        );
        const changed = nextPassword();
        const change = await record(
          'POST /api/mailbox/password',
          delay,
          await send('POST', '/api/mailbox/password', {
            ...at,
            cookie: changeCookie,
            body: { currentPassword: changePassword, newPassword: changed },
            expect: 204,
          }),
        );
        changePassword = changed;
        changeCookie = change.cookie ?? changeCookie;
        await record(
          'POST /api/handovers/reveal',
          delay,
          await send('POST', '/api/handovers/reveal', {
            ...at,
            body: { token: links[delay][i] },
            expect: 200,
          }),
        );
        // Each authenticator-app code works once per person: a person of its own per sample.
        const person = enrolled[i * DELAYS.length + DELAYS.indexOf(delay)];
        const step = Math.max(Math.floor(Date.now() / 30_000), person.lastStep + 1);
        await record(
          'POST /api/people/session/totp',
          delay,
          await send('POST', '/api/people/session/totp', {
            ...at,
            body: { email: person.email, code: totpAt(person.secret, step) },
            expect: 200,
          }),
        );
        const request = await send('POST', '/api/people/session/passkey/options', {
          base: app.localhost,
          body: {},
          expect: 200,
        });
        const assertion = await authenticator.authenticate(request.body.options);
        await record(
          'POST /api/people/session/passkey',
          delay,
          await send('POST', '/api/people/session/passkey', {
            ...at,
            base: app.localhost,
            body: { challengeId: request.body.challengeId, response: assertion },
            expect: 200,
          }),
        );
        await record(
          `GET /api/manager/overview (${DASHBOARD_MAILBOXES} mailboxes)`,
          delay,
          await send('GET', '/api/manager/overview', {
            ...at,
            cookie: managerCookie,
            expect: 200,
          }),
        );
        await record(
          'GET /api/manager/mailboxes/{id}',
          delay,
          await send('GET', `/api/manager/mailboxes/${dashboardMailbox}`, {
            ...at,
            cookie: managerCookie,
            expect: 200,
          }),
        );
      }
      for (let k = 0; k < derivationsPerRound; k++) {
        derivations.push((await send('POST', '/api/bench/pbkdf2', { expect: 200 })).ms);
      }
    }

    const rows = order.map((name) => {
      const byDelay = samples[name];
      const calls = [...new Set(DELAYS.flatMap((d) => [...byDelay[d].calls]))];
      const at = Object.fromEntries(DELAYS.map((d) => [d, percentiles(byDelay[d].ms)]));
      const local = at[DELAYS[0]].p50;
      // How many round trips of the injected delay the person actually waited for.
      const felt = Object.fromEntries(
        DELAYS.filter((d) => d > 0).map((d) => [d, (at[d].p50 - local) / d]),
      );
      return { name, calls, at, felt };
    });
    const pbkdf2 = percentiles(derivations);
    const signIn = rows.find((r) => r.name === 'POST /api/mailbox/session');
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    const result = {
      at: new Date().toISOString(),
      machine,
      loadAverage: os.loadavg(),
      delays: DELAYS,
      samples: SAMPLES,
      rows: rows.map((r) => ({ ...r, calls: r.calls })),
      pbkdf2,
      signInOverDerivation: signIn ? signIn.at[DELAYS[0]].p50 / pbkdf2.p50 : null,
      seconds: (performance.now() - startedAt) / 1000,
    };
    writeFileSync(
      new URL('./results-edge.json', import.meta.url),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    printTable(result);
    return result;
  } catch (err) {
    console.error(app.log().slice(-4000));
    throw err;
  } finally {
    app.stop();
    d1.close();
  }
}

function printTable(result) {
  const { delays, rows, pbkdf2 } = result;
  const fmt = (x) => x.toFixed(1);
  const later = delays.filter((d) => d > 0);
  console.log(
    `\nedge model: every D1 and KV call held back by the delay; ${result.samples} samples per request and delay, interleaved; milliseconds (${result.machine})\n`,
  );
  console.log(
    `| request | D1/KV before the answer | ${delays.map((d) => `${d} ms: p50 / p99`).join(' | ')} | ${later.map((d) => `round trips felt at ${d} ms`).join(' | ')} |`,
  );
  console.log(
    `| --- | --- | ${delays.map(() => '---').join(' | ')} | ${later.map(() => '---').join(' | ')} |`,
  );
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.calls.join(', ')} | ${delays.map((d) => `${fmt(r.at[d].p50)} / ${fmt(r.at[d].p99)}`).join(' | ')} | ${later.map((d) => r.felt[d].toFixed(1)).join(' | ')} |`,
    );
  }
  console.log(
    `\nbare PBKDF2 (one derivation as a sign-in makes it, POST /api/bench/pbkdf2, ${pbkdf2.n} runs): p50 ${fmt(pbkdf2.p50)}, p99 ${fmt(pbkdf2.p99)} ms; mailbox sign-in at ${delays[0]} ms ÷ derivation: ${result.signInOverDerivation?.toFixed(2)}× (goal ≤ 1.3×)`,
  );
  console.log(`edge model done in ${result.seconds.toFixed(0)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchEdge();
}
