import { connectorIdOf } from '../../worker/domain/directory-protocol';
import { type Executor, HubClient, type JobCall, jsonLine } from './client';
import { ConfigError, type ConnectorConfig, loadConfig, resolveKeyFile } from './config';
import { Directory } from './directory';
import { KeyFileError, Keyring } from './keys';
import { VERSION } from './version';

/*
 * The connector's command line:
 *   nyckel-connector keys [--config file]   create the keys if absent, print the registration
 *   nyckel-connector [run] [--config file]  connect to the hub and carry out jobs
 * Exit codes: 0 stopped cleanly, 1 crashed, 2 configuration or key file unusable (a service
 * manager restarting on 2 only repeats the message; the journal shows it).
 */

const USAGE = `Usage: nyckel-connector [run|keys] [--config <file>]

  run    Connect to Nyckel and carry out password jobs (default).
  keys   Create this connector's keys if there are none, and print the public keys
         to register in Nyckel under Administration → Katalog.

Settings come from the JSON file named by --config or NYCKEL_CONNECTOR_CONFIG
(default connector/connector.json, if present) and from environment variables;
see docs/connector.md.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = argv.find((arg, i) => !arg.startsWith('-') && argv[i - 1] !== '--config');
  if (command === 'keys') return keys(argv);
  if (command === undefined || command === 'run') return run(argv);
  process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
  return 2;
}

async function keys(argv: string[]): Promise<number> {
  const path = resolveKeyFile({ argv });
  const { keys, created } = await Keyring.loadOrCreate(path);
  const publicKeys = keys.publicKeys();
  const id = await connectorIdOf(publicKeys.signingKey);
  // The explanation goes to stderr so `keys > registration.json` captures the JSON alone.
  process.stderr.write(
    `${created ? 'Created new keys in' : 'Using the existing keys in'} ${path}\n` +
      `Connector id: ${id}\n\n` +
      'Register this connector in Nyckel: paste the line below into Administration → Katalog.\n' +
      'It holds public keys only; the private keys never leave this file.\n\n',
  );
  process.stdout.write(`${JSON.stringify(publicKeys)}\n`);
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const config = loadConfig({ argv });
  const keys = await Keyring.load(config.keyFile);
  const connectorId = await connectorIdOf(keys.publicKeys().signingKey);
  let directory: Directory;
  try {
    directory = new Directory(config.directory);
  } catch (err) {
    // The Directory checks the settings once more (TLS, OUs); say so as a configuration error.
    throw new ConfigError([`The directory settings are not usable: ${messageOf(err)}`]);
  }
  const client = new HubClient({
    hubUrl: config.hubUrl,
    keys,
    executor: executorFor(directory),
    version: VERSION,
    domainController: new URL(config.directory.url).hostname,
  });
  jsonLine({ event: 'starting', version: VERSION, connectorId, ...summary(config) });
  void checkDirectory(directory);
  client.start();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C means now.
        process.exit(130);
      }
      stopping = true;
      jsonLine({ event: 'stopping', signal });
      void client
        .stop()
        .then(() => directory.close())
        .catch((err: unknown) => jsonLine({ event: 'stop_failed', message: messageOf(err) }))
        .then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Maps the contract's operations onto the Directory's methods. */
function executorFor(directory: Directory): Executor {
  return async (...[op, args]: JobCall) => {
    switch (op) {
      case 'verify':
        await directory.verify(args.guid, args.password);
        return {};
      case 'change':
        await directory.change(args.guid, args.oldPassword, args.newPassword);
        return {};
      case 'reset':
        return directory.reset(args.guid, args.newPassword, args.mustChange);
      case 'unlock':
        await directory.unlock(args.guid);
        return {};
      case 'must_change':
        await directory.mustChange(args.guid);
        return {};
      case 'find':
        return { account: await directory.find(args.username) };
      case 'list':
        return { accounts: await directory.list(args.ou) };
      case 'health':
        return { policy: await directory.health() };
      case 'initial':
        return directory.initial(args.attribute, args.value, args.newPassword);
      case 'password_state':
        return { accounts: await directory.passwordState(args.guids) };
    }
  };
}

/** Reads the domain policy once at start, so a wrong bind or CA shows in the log at once. */
async function checkDirectory(directory: Directory): Promise<void> {
  try {
    const policy = await directory.health();
    jsonLine({ event: 'directory_ok', lockoutThreshold: policy.lockoutThreshold });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const detail = (err as { detail?: unknown }).detail;
    jsonLine({
      event: 'directory_unavailable',
      code: typeof code === 'string' ? code : 'directory_error',
      detail: typeof detail === 'string' ? detail : messageOf(err),
    });
  }
}

/** The settings worth a log line; the bind password is not among them. */
function summary(config: ConnectorConfig) {
  return {
    hub: config.hubUrl,
    keyFile: config.keyFile,
    ldap: config.directory.url,
    startTls: config.directory.startTls,
    bindDn: config.directory.bindDn,
    ous: config.directory.ous.length,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof KeyFileError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    jsonLine({ event: 'crashed', message: messageOf(err) });
    process.exit(1);
  },
);
