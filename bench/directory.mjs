// The password in the domain, measured: verify (sign-in), change and reset through the whole
// chain (HTTP → worker → DirectoryHub → WebSocket → connector → LDAPS → Samba), each beside
// the same operation made straight with ldapts against the same domain controller in the same
// run. The goal is at most 1.3× the direct operation. `npm run bench:directory` runs it alone;
// `npm run bench` runs it last when the Samba packages are installed. Results go to
// bench/results-directory.json (git-ignored). BENCH_DIRECTORY_SAMPLES (default 40).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Attribute, Change, Client } from 'ldapts';
import { tsImport } from 'tsx/esm/api';
import { spawnConnector } from '../scripts/connector-local.mjs';
import { demoAccountGuids, missingPackages, startDirectory } from '../scripts/directory.mjs';
import { codeFromOutbox, outboxSnapshot, startLocalApp } from '../scripts/local-app.mjs';
import { percentiles } from './stats.mjs';

const SAMPLES = Number(process.env.BENCH_DIRECTORY_SAMPLES ?? 40);
const PHONE = '+46701234567';
const fresh = () => `Ny-${randomBytes(5).toString('hex')}-Aa1`;
const unicodePwd = (password) => Buffer.from(`"${password}"`, 'utf16le');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Runs the directory benchmark; returns its results (also printed). */
export async function benchDirectory() {
  const missing = missingPackages();
  if (missing.length > 0) {
    console.log(`\ndirectory benchmark skipped: install ${missing.join(' ')}`);
    return null;
  }
  const directory = await startDirectory();
  const { info } = directory;
  const ca = readFileSync(info.caFile);
  const ldap = () => new Client({ url: info.url, tlsOptions: { ca }, timeout: 5_000 });
  const admin = ldap();
  await admin.bind(info.adminDn, info.adminPassword);
  // An account of its own in the delegated OU, so the demo accounts stay as they are.
  const name = `bench${randomBytes(4).toString('hex')}`;
  const dn = `CN=${name},${info.ou}`;
  let password = fresh();
  await admin.add(dn, [
    new Attribute({
      type: 'objectClass',
      values: ['top', 'person', 'organizationalPerson', 'user'],
    }),
    new Attribute({ type: 'sAMAccountName', values: [name] }),
    new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
    new Attribute({ type: 'userAccountControl', values: ['512'] }),
  ]);
  const { searchEntries } = await admin.search(dn, {
    scope: 'base',
    attributes: ['objectGUID'],
    explicitBufferAttributes: ['objectGUID'],
  });
  const { guidToString, Directory } = await tsImport(
    '../connector/src/directory.ts',
    import.meta.url,
  );
  const guid = guidToString(searchEntries[0].objectGUID);

  const app = await startLocalApp({
    portBase: 31_000,
    env: {
      DIRECTORY: 'ad',
      // Only hemtjanstab is measured; hemvardsgruppen keeps its demo account, untouched.
      NYCKEL_DIRECTORY_LINKS: JSON.stringify({
        hemtjanstab: guid,
        hemvardsgruppen: demoAccountGuids().hemvardsgruppen,
      }),
    },
    vars: [
      'RESET_PER_USERNAME_PER_HOUR=100000',
      'RESET_PER_ADDRESS_PER_HOUR=100000',
      'LOGIN_PER_ADDRESS_PER_15_MIN=100000',
      'SMS_PER_ACCOUNT_PER_HOUR=100000',
      'SMS_PER_NUMBER_PER_HOUR=100000',
      'SMS_PER_ADDRESS_PER_HOUR=100000',
      'SMS_PER_DAY=100000',
    ],
  });
  const connector = spawnConnector({ info, port: app.port, stdio: 'ignore' });
  const results = {};
  try {
    for (let i = 0; i < 200; i++) {
      const health = await (await fetch(`${app.base}/api/health`)).json();
      if (health.directory === 'connected') break;
      if (i === 199) throw new Error('the connector did not connect');
      await sleep(100);
    }
    let cookie = '';
    const api = async (method, route, body) => {
      const res = await fetch(`${app.base}${route}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(cookie ? { Cookie: cookie } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0];
      // The worker's own account of how long it waited for the directory (development only).
      const dur = /directory;dur=(\d+)/.exec(res.headers.get('server-timing') ?? '');
      if (dur) lastDirectoryMs = Number(dur[1]);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    let lastDirectoryMs = 0;
    /** Times `fn` end to end and records the directory's part of it under `part`. */
    const parts = {};
    const withPart = (part, fn) => async () => {
      lastDirectoryMs = 0;
      const ms = await fn();
      parts[part] ??= [];
      parts[part].push(lastDirectoryMs);
      return ms;
    };
    const expect = (res, status, what) => {
      if (res.status !== status)
        throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const service = ldap();
    await service.bind(info.serviceDn, info.servicePassword);
    const library = new Directory({
      url: info.url,
      startTls: false,
      caFile: info.caFile,
      bindDn: info.serviceDn,
      bindPassword: info.servicePassword,
      baseDn: info.baseDn,
      ous: [info.ou],
      userAttribute: 'sAMAccountName',
      timeoutMs: 5_000,
    });
    const warm = async (fn) => {
      for (let i = 0; i < 5; i++) await fn();
    };
    const measure = async (fn) => {
      const samples = [];
      for (let i = 0; i < SAMPLES; i++) samples.push(await fn());
      return percentiles(samples);
    };

    // verify: a fresh LDAPS connection and a bind, as the connector makes for every sign-in.
    const directBind = async () => {
      const client = ldap();
      try {
        await client.bind(dn, password);
      } finally {
        await client.unbind();
      }
    };
    const appLogin = async () => {
      cookie = '';
      const res = await api('POST', '/api/mailbox/session', { username: 'hemtjanstab', password });
      expect(res, 200, 'sign-in');
    };
    await warm(directBind);
    await warm(appLogin);
    await warm(() => library.verify(guid, password));
    results['verify: direct ldapts bind (baseline)'] = await measure(() => timed(directBind));
    results['verify: connector library (find + bind)'] = await measure(() =>
      timed(() => library.verify(guid, password)),
    );
    results['verify: POST /api/mailbox/session'] = await measure(
      withPart('verify: the wait for the directory inside it', () => timed(appLogin)),
    );

    // change: delete-old/add-new on the service account's open connection.
    const directChange = async () => {
      const next = fresh();
      await service.modify(dn, [
        new Change({
          operation: 'delete',
          modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
        }),
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(next)] }),
        }),
      ]);
      password = next;
    };
    const appChange = async () => {
      const next = fresh();
      const res = await api('POST', '/api/mailbox/password', {
        currentPassword: password,
        newPassword: next,
      });
      expect(res, 204, 'change');
      password = next;
    };
    cookie = '';
    expect(
      await api('POST', '/api/mailbox/session', { username: 'hemtjanstab', password }),
      200,
      'sign-in',
    );
    results['change: direct ldapts modify (baseline)'] = await measure(() => timed(directChange));
    results['change: POST /api/mailbox/password'] = await measure(
      withPart('change: the wait for the directory inside it', () => timed(appChange)),
    );

    // reset: replace unicodePwd, then lockoutTime=0, as the connector does once it knows the
    // domain ignores the policy-hints control (Samba).
    const directReset = async () => {
      password = fresh();
      await service.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
        }),
      ]);
      await service.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'lockoutTime', values: ['0'] }),
        }),
      ]);
    };
    const seen = await outboxSnapshot(app.base);
    const appReset = async () => {
      const start = await api('POST', '/api/resets', { username: 'hemtjanstab' });
      expect(start, 202, 'reset start');
      const code = await codeFromOutbox(app.base, PHONE, seen);
      const verified = await api('POST', `/api/resets/${start.body.id}/code`, { code });
      expect(verified, 200, 'code');
      const next = fresh();
      const ms = await timed(async () => {
        const done = await api('POST', `/api/resets/${start.body.id}/password`, {
          token: verified.body.token,
          newPassword: next,
        });
        expect(done, 204, 'reset');
      });
      password = next;
      return ms;
    };
    results['reset: direct ldapts replace + unlock (baseline)'] = await measure(() =>
      timed(directReset),
    );
    results['reset: POST /api/resets/{id}/password'] = await measure(
      withPart('reset: the wait for the directory inside it', appReset),
    );
    for (const [name, samples] of Object.entries(parts)) results[name] = percentiles(samples);

    await library.close();
    await service.unbind();
  } finally {
    connector.kill('SIGTERM');
    app.stop();
    await admin.del(dn).catch(() => {});
    await admin.unbind().catch(() => {});
    await directory.stop();
  }

  const ratio = (a, b) => (results[a].p50 / results[b].p50).toFixed(2);
  const fmt = (x) => x.toFixed(1).padStart(7);
  console.log(`\ndirectory, ${SAMPLES} sequential samples each; latencies in ms`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(52)} p50 ${fmt(r.p50)}  p90 ${fmt(r.p90)}  p99 ${fmt(r.p99)}`);
  }
  const ratios = {
    'verify: directory wait ÷ direct bind': ratio(
      'verify: the wait for the directory inside it',
      'verify: direct ldapts bind (baseline)',
    ),
    'change: directory wait ÷ direct modify': ratio(
      'change: the wait for the directory inside it',
      'change: direct ldapts modify (baseline)',
    ),
    'reset: directory wait ÷ direct replace + unlock': ratio(
      'reset: the wait for the directory inside it',
      'reset: direct ldapts replace + unlock (baseline)',
    ),
    'verify (sign-in) ÷ direct bind': ratio(
      'verify: POST /api/mailbox/session',
      'verify: direct ldapts bind (baseline)',
    ),
    'verify (connector library) ÷ direct bind': ratio(
      'verify: connector library (find + bind)',
      'verify: direct ldapts bind (baseline)',
    ),
    'change ÷ direct modify': ratio(
      'change: POST /api/mailbox/password',
      'change: direct ldapts modify (baseline)',
    ),
    'reset ÷ direct replace + unlock': ratio(
      'reset: POST /api/resets/{id}/password',
      'reset: direct ldapts replace + unlock (baseline)',
    ),
  };
  for (const [name, value] of Object.entries(ratios)) {
    console.log(`${name.padEnd(52)} ${value}× (goal ≤ 1.3×)`);
  }
  writeFileSync(
    new URL('./results-directory.json', import.meta.url),
    `${JSON.stringify({ samples: SAMPLES, results, ratios }, null, 2)}\n`,
  );
  return { results, ratios };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchDirectory();
}
