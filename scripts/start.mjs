// `npm start`: the whole app on http://localhost:$PORT (default 8787) with local D1 and KV
// and the demo data. Every step is idempotent, so it can be run again at any time.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
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
}
run('vite', ['build', '--logLevel', 'warn']);
execFileSync(process.execPath, ['scripts/build-sw.mjs'], { stdio: 'inherit', env });
// CI=true answers wrangler's "apply migrations?" prompt; the database is local.
run('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', ...persist], { CI: 'true' });
run('tsx', ['scripts/seed.ts', ...persist]);

console.log(`\nNyckel: http://localhost:${port}  (development outbox: /api/dev/outbox)\n`);
const dev = spawn(
  bin('wrangler'),
  // Links in SMS and mail are built from PUBLIC_ORIGIN: keep it on the port actually used.
  [
    'dev',
    '--port',
    port,
    '--ip',
    '127.0.0.1',
    '--var',
    `PUBLIC_ORIGIN:http://localhost:${port}`,
    ...persist,
    ...extraVars,
  ],
  {
    stdio: 'inherit',
    env,
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
