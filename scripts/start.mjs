// `npm start`: the whole app on http://localhost:$PORT (default 8787) with local D1 and KV
// and the demo data. Every step is idempotent, so it can be run again at any time.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const port = process.env.PORT || '8787';
// Where local D1 and KV live; the end-to-end test points this at a fresh temporary folder.
const persist = process.env.NYCKEL_STATE_DIR ? ['--persist-to', process.env.NYCKEL_STATE_DIR] : [];
// Extra vars for `wrangler dev`, as `KEY=value KEY2=value2` (the benchmark raises budgets).
const extraVars = (process.env.NYCKEL_VARS ?? '')
  .split(/\s+/)
  .filter(Boolean)
  .flatMap((pair) => ['--var', pair.replace('=', ':')]);
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const bin = (name) => path.join('node_modules', '.bin', name);
const run = (cmd, args, extraEnv = {}) =>
  execFileSync(bin(cmd), args, { stdio: 'inherit', env: { ...env, ...extraEnv } });

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars');
  console.log('Created .dev.vars from .dev.vars.example (development defaults).');
} else {
  // A .dev.vars from an older checkout lacks the secrets added since: add their defaults.
  const names = (text) => new Set(text.match(/^[A-Z][A-Z0-9_]*(?==)/gm) ?? []);
  const have = names(readFileSync('.dev.vars', 'utf8'));
  const missing = readFileSync('.dev.vars.example', 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line) && !have.has(line.split('=')[0]));
  if (missing.length > 0) {
    appendFileSync('.dev.vars', `\n${missing.join('\n')}\n`);
    console.log(
      `Added to .dev.vars from .dev.vars.example: ${missing.map((l) => l.split('=')[0]).join(', ')}`,
    );
  }
}
// The tests start many apps at once from one build (scripts/local-app.mjs); `npm start`
// always builds.
if (process.env.NYCKEL_SKIP_BUILD !== '1') {
  run('vite', ['build', '--logLevel', 'warn']);
  execFileSync(process.execPath, ['scripts/build-sw.mjs'], { stdio: 'inherit', env });
}
// DIRECTORY=ad: the demo mailboxes keep their passwords in the local Samba domain
// (scripts/directory.mjs, provisioned here on first use; it need not run for the seed), and
// the development connector's keys (.directory/connector-keys.json, or NYCKEL_KEY_FILE) are
// registered. `npm run start:ad` also starts the domain controller and the connector.
const directory = process.env.DIRECTORY || 'local';
if (directory !== 'local' && directory !== 'ad') {
  console.error(`DIRECTORY must be "local" (the default) or "ad", not "${directory}".`);
  process.exit(2);
}
// An empty value: a stray one from the shell must not link anything in local mode.
let seedEnv = { NYCKEL_SEED_DIRECTORY: '' };
if (directory === 'ad') {
  const { CONNECTOR_KEY_FILE, demoAccountGuids, ensureProvisioned } = await import(
    './directory.mjs'
  );
  try {
    ensureProvisioned({ log: (line) => console.log(line) });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  // The tests link the demo mailboxes to accounts of their own (a JSON { username: guid }),
  // so they never race the connector's tests for the demo accounts.
  const guids = process.env.NYCKEL_DIRECTORY_LINKS
    ? JSON.parse(process.env.NYCKEL_DIRECTORY_LINKS)
    : demoAccountGuids();
  const links = {
    hemtjanstab: guids.hemtjanstab,
    hemvardsgruppen: guids.hemvardsgruppen,
  };
  const keyFile = path.resolve(process.env.NYCKEL_KEY_FILE || CONNECTOR_KEY_FILE);
  seedEnv = { NYCKEL_SEED_DIRECTORY: JSON.stringify({ links, keyFile }) };
  // New hires' initial passwords go to the domain too (NEW_HIRE_PASSWORDS in wrangler.toml).
  extraVars.push('--var', 'NEW_HIRE_PASSWORDS:ad');
}
// CI=true answers wrangler's "apply migrations?" prompt; the database is local.
run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', ...persist], { CI: 'true' });
run('tsx', ['scripts/seed.ts', ...persist], seedEnv);

console.log(`\nNyckel: http://localhost:${port}  (development outbox: /api/dev/outbox)\n`);
const dev = spawn(
  bin('wrangler'),
  // Links in SMS and mail are built from PUBLIC_ORIGIN: keep it on the port actually used.
  [
    'dev',
    // The benchmark's edge model runs the same app behind another entry (bench/edge-worker.ts);
    // everything else (bindings, vars, state) stays this configuration's.
    ...(process.env.NYCKEL_ENTRY ? [process.env.NYCKEL_ENTRY] : []),
    '--port',
    port,
    '--ip',
    '127.0.0.1',
    '--var',
    `PUBLIC_ORIGIN:http://localhost:${port}`,
    ...persist,
    // Apps started side by side by the tests would race for the inspector's default 9229. Their
    // ports are 21000–28999; 10,000 below keeps the inspector's clear of the system's ephemeral
    // range (32768 and up), where a browser's or a test's own connection may hold the port.
    ...(process.env.NYCKEL_STATE_DIR ? ['--inspector-port', String(Number(port) - 10_000)] : []),
    ...extraVars,
  ],
  {
    stdio: 'inherit',
    env,
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
