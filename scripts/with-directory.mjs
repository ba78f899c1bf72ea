// `node scripts/with-directory.mjs <command…>`: runs a command with the local domain controller
// (scripts/directory.mjs) up, provisioning it if needed and reusing one that already answers on
// 127.0.0.1:636, then stops the DC it started and exits with the command's exit code.
//
// The command gets the connection details in the environment as NYCKEL_TEST_DIRECTORY, one
// JSON object: { url, caFile, logFile, realm, domain, baseDn, ou, otherOu, adminDn,
// adminPassword, serviceDn, servicePassword, servicePasswordFile, policy,
// accounts: { <username>: { dn, password, displayName } } }.
// Development secrets only: the domain exists on this machine and nowhere else.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { startDirectory } from './directory.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-directory.mjs <command> [args…]');
  process.exit(2);
}

let directory;
try {
  directory = await startDirectory({ log: (line) => console.log(`[directory] ${line}`) });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, NYCKEL_TEST_DIRECTORY: JSON.stringify(directory.info) },
});
// Ctrl-C reaches the command through the terminal; a SIGTERM sent to us alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (signal === 'SIGTERM') child.kill(signal);
  });
}
const code = await new Promise((resolve) => {
  child.once('error', (error) => {
    console.error(`${command}: ${error.message}`);
    resolve(127);
  });
  child.once('exit', (exitCode, signal) =>
    resolve(exitCode ?? 128 + (constants.signals[signal] ?? 0)),
  );
});
await directory.stop();
process.exit(code);
