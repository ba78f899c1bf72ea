// `npm run connector`: the directory connector (connector/src/main.ts) against the local
// development domain (scripts/directory.mjs, ldaps://127.0.0.1:636) and the local app
// (ws://localhost:$PORT/api/connector, default port 8787), with the keys in
// .directory/connector-keys.json. `DIRECTORY=ad npm start` (or `npm run start:ad`) creates those
// keys and registers them, so the hub accepts this connector.
//
// The hub names PUBLIC_ORIGIN (http://localhost:PORT, see scripts/start.mjs) in its challenge
// and the connector signs only for its own URL's origin, so the URL says localhost, not
// 127.0.0.1. wrangler dev listens on 127.0.0.1 only; where localhost also resolves to ::1,
// Node's happy-eyeballs connect (autoSelectFamily, on by default since Node 20) falls back
// to 127.0.0.1.
//
// Also used by scripts/start-ad.mjs and the end-to-end test, which import spawnConnector.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNECTOR_KEY_FILE, ensureProvisioned } from './directory.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The connector's environment for the local domain and the app on `port`. `overrides` win,
 * e.g. another NYCKEL_KEY_FILE or LDAP_OUS.
 * @param {{ url: string, caFile: string, serviceDn: string, servicePasswordFile: string,
 *   baseDn: string, ou: string }} info from ensureProvisioned() or startDirectory()
 * @param {string | number} port
 * @param {Record<string, string>} [overrides]
 */
export function connectorEnv(info, port, overrides = {}) {
  return {
    NYCKEL_URL: `ws://localhost:${port}/api/connector`,
    NYCKEL_KEY_FILE: CONNECTOR_KEY_FILE,
    LDAP_URL: info.url,
    LDAP_CA_FILE: info.caFile,
    LDAP_BIND_DN: info.serviceDn,
    LDAP_BIND_PASSWORD_FILE: info.servicePasswordFile,
    LDAP_BASE_DN: info.baseDn,
    LDAP_OUS: info.ou,
    ...overrides,
  };
}

/**
 * Starts the connector as a child process: `node --import tsx connector/src/main.ts run`, one
 * process (no tsx wrapper in between), so signals and the exit code are the connector's own.
 * @param {{ info: Parameters<typeof connectorEnv>[0], port: string | number,
 *   env?: Record<string, string>, stdio?: import('node:child_process').StdioOptions }} options
 */
export function spawnConnector({ info, port, env = {}, stdio = 'inherit' }) {
  const inherited = { ...process.env };
  // Settings from the caller's shell would mix with these: a bind password would clash with
  // the file, a configuration file would add its own.
  for (const name of Object.keys(inherited)) {
    if (/^(LDAP_|NYCKEL_URL$|NYCKEL_KEY_FILE$|NYCKEL_CONNECTOR_CONFIG$)/.test(name)) {
      delete inherited[name];
    }
  }
  const vars = { ...inherited, ...connectorEnv(info, port, env) };
  return spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'connector', 'src', 'main.ts'), 'run'],
    { cwd: ROOT, env: vars, stdio },
  );
}

async function main() {
  let info;
  try {
    info = ensureProvisioned({ log: (line) => console.log(line) });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  const port = process.env.PORT || '8787';
  const keyFile = process.env.NYCKEL_KEY_FILE || CONNECTOR_KEY_FILE;
  if (!existsSync(keyFile)) {
    console.error(
      `No connector keys in ${keyFile}.\n` +
        'Start the app with `npm run start:ad` (or `DIRECTORY=ad npm start`): it creates them ' +
        'and registers this connector.',
    );
    process.exit(2);
  }
  console.log(
    `Connector: ${info.url} (${info.ou}) ⇄ ws://localhost:${port}/api/connector; Ctrl-C stops it.`,
  );
  const child = spawnConnector({ info, port, env: { NYCKEL_KEY_FILE: keyFile } });
  // Ctrl-C reaches the connector through the terminal; a SIGTERM sent to us alone is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.once('error', (error) => {
    console.error(`connector: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
