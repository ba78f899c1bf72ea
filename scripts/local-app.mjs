// Starts the app exactly as `npm start` does (scripts/start.mjs), on a random port and a
// temporary state folder, for the end-to-end tests, the browser tests and the benchmarks.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * @param {{ vars?: string[], portBase?: number, env?: Record<string, string> }} options `vars`
 *   are `KEY=value` overrides of the worker's vars; `env` joins start.mjs's environment (e.g.
 *   `DIRECTORY: 'ad'`)
 * @returns {Promise<{ base: string, localhost: string, state: string, port: string,
 *   log: () => string, demoInviteLink: () => string | null, stop: () => void }>}
 *   `localhost` is the same app as http://localhost:PORT — WebAuthn refuses an IP address
 *   as relying party, so passkey tests use it; `state` is the --persist-to folder.
 */
export async function startLocalApp(options = {}) {
  // A random port can still be taken (another app of a parallel test file): try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (attempt >= 3 || !/Address already in use/.test(String(err))) throw err;
    }
  }
}

async function startOnce({ vars = [], portBase = 21_000, env = {} } = {}) {
  const port = String(portBase + Math.floor(Math.random() * 8000));
  const state = mkdtempSync(path.join(tmpdir(), 'nyckel-app-'));
  // `npm test` builds the web app once before the tests. Test files run in parallel, and each
  // rebuilding dist/web (vite empties it first) pulled the assets from under the pages of the
  // others: a page that never rendered, or never fired 'load', in CI. An existing build is
  // therefore reused; without one (a fresh clone running a benchmark) it is made first.
  const built = existsSync(path.join('dist', 'web', 'sw.js'));
  const server = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      // Each test gets the mode it asks for, whatever the shell that runs the tests has set.
      DIRECTORY: 'local',
      ...env,
      PORT: port,
      NYCKEL_STATE_DIR: state,
      // Turnstile off unless a caller asks for it: its widget and siteverify need
      // challenges.cloudflare.com, which a test machine may not reach, and the tests and
      // benchmarks make far more attempts from one address than any person would.
      NYCKEL_VARS: ['TURNSTILE_SECRET=', ...vars].join(' '),
      ...(built ? { NYCKEL_SKIP_BUILD: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  server.stdout.on('data', (d) => {
    log += d;
  });
  server.stderr.on('data', (d) => {
    log += d;
  });
  const stop = () => {
    if (server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    try {
      // workerd may still be writing its state for a moment after the signal.
      rmSync(state, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // A leftover folder in the system's temporary directory is no reason to fail a run.
    }
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) {
        return {
          base,
          localhost: `http://localhost:${port}`,
          state,
          port,
          log: () => log,
          // The seed prints the demo manager's enrolment link (development only).
          demoInviteLink: () => /(http:\/\/localhost:\d+\/inbjudan#[\w-]+)/.exec(log)?.[1] ?? null,
          stop,
        };
      }
    } catch {
      // not up yet
    }
    if (server.exitCode !== null) {
      stop();
      throw new Error(`npm start exited:\n${log}`);
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`npm start did not answer in time:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What the development outbox holds now, to tell later messages from earlier ones. */
export async function outboxSnapshot(base) {
  const outbox = await (await fetch(`${base}/api/dev/outbox`)).json();
  return new Set(outbox.map((m) => m.createdAt + m.body));
}

/**
 * The code of the newest SMS to `phone` that is not in `seen` (which it then joins), read
 * from the development outbox; the SMS is sent in the background, so it polls briefly.
 */
export async function codeFromOutbox(base, phone, seen = new Set()) {
  for (let i = 0; i < 100; i++) {
    const outbox = await (await fetch(`${base}/api/dev/outbox`)).json();
    const sms = outbox.find((m) => m.to === phone && !seen.has(m.createdAt + m.body));
    const code = sms && /#(\d{6})$/.exec(sms.body)?.[1];
    if (code) {
      seen.add(sms.createdAt + sms.body);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no code sent to ${phone}`);
}
