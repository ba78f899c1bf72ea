// `npm run start:ad`: the whole app with the password in a real domain. Starts the local
// Samba AD DC (scripts/directory.mjs; provisioned into .directory/ on first use), then
// `DIRECTORY=ad npm start` (the demo mailboxes linked to the domain's accounts, the
// development connector registered), then the connector (scripts/connector-local.mjs), and
// waits until GET /api/health says the directory is connected. Ctrl-C stops all three.
// Needs root and Debian's Samba packages (scripts/directory.mjs names what is missing).
import { spawn } from 'node:child_process';
import { spawnConnector } from './connector-local.mjs';
import { startDirectory } from './directory.mjs';

const port = process.env.PORT || '8787';
const health = `http://127.0.0.1:${port}/api/health`;
const say = (line) => console.log(`[start:ad] ${line}`);

/** @type {Awaited<ReturnType<typeof startDirectory>> | undefined} */
let directory;
/** @type {{ name: string, child: import('node:child_process').ChildProcess, exited: Promise<void> }[]} */
const children = [];
let stopping = false;

function track(name, child) {
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`[start:ad] ${name} exited (${code ?? signal}); stopping the rest.`);
        void shutdown(1);
      }
      resolve();
    });
    child.once('error', (error) => {
      console.error(`[start:ad] ${name}: ${error.message}`);
      resolve();
    });
  });
  children.push({ name, child, exited });
}

/**
 * Stops the connector, then the app, then the domain controller. After Ctrl-C the children
 * already have the terminal's SIGINT, and a second signal would make the connector skip its
 * clean stop; so each first gets a moment to exit on its own, then SIGTERM, then SIGKILL.
 */
async function shutdown(code, { signalled = false } = {}) {
  if (stopping) return;
  stopping = true;
  for (const { name, child, exited } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = (ms) =>
      Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);
    if (!signalled || !(await gone(5_000))) child.kill('SIGTERM');
    if (!(await gone(10_000))) {
      say(`${name} did not stop; killing it`);
      child.kill('SIGKILL');
      await exited;
    }
  }
  if (directory) await directory.stop();
  say('Stopped.');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0, { signalled: true }));
process.on('SIGTERM', () => void shutdown(0));

async function directoryState() {
  try {
    const res = await fetch(health);
    return res.ok ? ((await res.json()).directory ?? null) : null;
  } catch {
    return null;
  }
}

/** Polls the health check until `wanted(directory)` holds; false after `ms` or on shutdown. */
async function waitFor(wanted, ms) {
  const deadline = Date.now() + ms;
  while (!stopping && Date.now() < deadline) {
    const state = await directoryState();
    if (state !== null && wanted(state)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

if ((await directoryState()) !== null) {
  console.error(`Something already answers on ${health}: stop it, or use another PORT.`);
  process.exit(1);
}
try {
  directory = await startDirectory({ log: (line) => console.log(`[directory] ${line}`) });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const { info } = directory;

track(
  'the app',
  spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, DIRECTORY: 'ad', PORT: port },
    stdio: 'inherit',
  }),
);
if (!(await waitFor(() => true, 300_000))) {
  if (!stopping) {
    console.error(`[start:ad] The app did not answer on ${health}.`);
    await shutdown(1);
  }
}

const connector = spawnConnector({ info, port, stdio: ['ignore', 'pipe', 'pipe'] });
for (const stream of [connector.stdout, connector.stderr]) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line) console.log(`[connector] ${line}`);
  });
}
track('the connector', connector);
if (!(await waitFor((state) => state === 'connected', 30_000))) {
  if (!stopping) {
    console.error(
      `[start:ad] The connector did not connect (health: ${await directoryState()}); see its lines above.`,
    );
    await shutdown(1);
  }
}

const accounts = Object.entries(info.accounts)
  .filter(([name]) => name === 'hemtjanstab' || name === 'hemvardsgruppen')
  .map(([name, a]) => `${name} (${a.password} until changed)`)
  .join(', ');
console.log(`
Nyckel with the password in the domain: http://localhost:${port}
  Domain ${info.realm} on ${info.url}; health: ${health} → "connected"
  The demo mailboxes ${accounts} now sign in with a bind to the domain,
  and a reset or change sets the password there.

  Reset hemtjanstab (the SMS code is in the outbox panel, or GET /api/dev/outbox), then ask the
  domain itself whether the new password works (a bind; a wrong one says "Invalid credentials"):
    LDAPTLS_CACERT=.directory/private/tls/ca.pem ldapsearch -x -H ${info.url} \\
      -D hemtjanstab@${info.realm.toLowerCase()} -w 'NEW-PASSWORD' -b '' -s base namingContexts

Ctrl-C stops the connector, the app and the domain controller.
`);
