// A real Active Directory domain controller for development and tests: Samba's AD DC,
// provisioned once into .directory/ at the repository root and run in the foreground, listening
// on the loopback interface only. Realm NYCKEL.TEST, LDAPS on 127.0.0.1:636.
//
// Everything here is for development machines and CI: the domain administrator's and the
// service account's passwords are random per checkout but lie in plain files under .directory/
// (mode 600). Nothing in this file belongs near a production domain.
//
// Used by scripts/directory-local.mjs (`npm run directory:local`), scripts/with-directory.mjs
// (the tests) and the connector's tests. Plain Node: it shells out to Debian's Samba tools.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the domain lives; a test harness may point it elsewhere. */
export const DIRECTORY_DIR = process.env.NYCKEL_DIRECTORY_DIR
  ? path.resolve(process.env.NYCKEL_DIRECTORY_DIR)
  : path.join(ROOT, '.directory');
/**
 * The development connector's private keys (scripts/connector-local.mjs); `DIRECTORY=ad npm
 * start` creates them if absent and registers their public halves in the local D1.
 */
export const CONNECTOR_KEY_FILE = path.join(DIRECTORY_DIR, 'connector-keys.json');

const REALM = 'NYCKEL.TEST';
const DOMAIN = 'NYCKEL';
const BASE_DN = 'DC=nyckel,DC=test';
const OU = `OU=Brevlador,${BASE_DN}`;
/** An OU the service account has no rights in: the tests' source of insufficientAccessRights. */
const OTHER_OU = `OU=Ovrigt,${BASE_DN}`;
const USERS = `CN=Users,${BASE_DN}`;
const HOST = '127.0.0.1';
const PORT = 636;
const SERVICE_ACCOUNT = 'svc-nyckel';

/**
 * The accounts every fresh domain gets. Their passwords are public demo values;
 * resetDemoAccounts() puts them back so each test run starts from the same state.
 */
const DEMO_ACCOUNTS = [
  {
    username: 'hemtjanstab',
    password: 'Brevlada-2026',
    container: OU,
    displayName: 'Hemtjänst Åby, brevlåda',
  },
  {
    username: 'hemvardsgruppen',
    password: 'Hemvard#2026',
    container: OU,
    displayName: 'Hemvårdsgruppen Åby, brevlåda',
  },
  // Inside the OU but administrative (adminCount=1): Nyckel must refuse to touch it.
  {
    username: 'skyddad',
    password: 'Skyddad-2026',
    container: OU,
    displayName: 'Skyddat konto',
    adminCount: true,
  },
  // Outside every configured OU.
  { username: 'utanfor', password: 'Utanfor-2026', container: USERS, displayName: 'Utanför OU' },
  // In an OU where the service account has no delegated rights.
  {
    username: 'odelegerad',
    password: 'Odelegerad-2026',
    container: OTHER_OU,
    displayName: 'Ej delegerad',
  },
];

// The rights delegated to the service account, inheritable to user objects only.
const USER_CLASS = 'bf967aba-0de6-11d0-a285-00aa003049e2';
const RESET_PASSWORD = '00299570-246d-11d0-a768-00aa006e0529';
const CHANGE_PASSWORD = 'ab721a53-1e2f-11d0-9819-00aa0040529b';
const LOCKOUT_TIME = '28630ebf-41d5-11d1-a9c1-0000f80367c1';
const PWD_LAST_SET = 'bf967a0a-0de6-11d0-a285-00aa003049e2';

/** The domain's password and lockout policy; the connector's health test compares with it. */
export const POLICY = {
  lockoutThreshold: 5,
  lockoutDurationMinutes: 30,
  observationWindowMinutes: 30,
  historyLength: 24,
  minPwdAgeDays: 0,
  maxPwdAgeDays: 0,
  minPwdLength: 7,
  complexity: true,
};

/** Debian packages this needs, each with a file that shows it is installed. */
const PACKAGES = [
  ['samba', ['/usr/sbin/samba']],
  ['samba-ad-dc', []],
  ['samba-ad-provision', ['/usr/share/samba/setup/provision.ldif']],
  ['samba-dsdb-modules', []],
  ['ldb-tools', ['/usr/bin/ldbmodify']],
  ['ldap-utils', ['/usr/bin/ldapsearch']],
  ['openssl', ['/usr/bin/openssl']],
];

const file = (...parts) => path.join(DIRECTORY_DIR, ...parts);
const paths = {
  conf: file('etc', 'smb.conf'),
  sam: file('private', 'sam.ldb'),
  tls: file('private', 'tls'),
  caFile: file('private', 'tls', 'ca.pem'),
  log: file('samba.log'),
  adminPassword: file('admin-password'),
  servicePassword: file('service-password'),
  // Written last: a directory without it is a provisioning that did not finish.
  ready: file('ready'),
};

/** The packages missing on this machine, for an `apt-get install` line. */
export function missingPackages() {
  let dpkg = true;
  try {
    execFileSync('dpkg-query', ['--version'], { stdio: 'ignore' });
  } catch {
    dpkg = false;
  }
  return PACKAGES.filter(([name, files]) => {
    if (dpkg) {
      try {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
        const status = execFileSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', name], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        return !status.startsWith('ii');
      } catch {
        return true;
      }
    }
    return files.some((f) => !existsSync(f));
  }).map(([name]) => name);
}

/** Throws with the exact install command when something is missing. */
export function requirePackages() {
  const missing = missingPackages();
  if (missing.length > 0) {
    const error = new Error(
      `The local domain controller needs Debian packages that are missing: ${missing.join(' ')}\n` +
        `Install them with:\n  apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
    error.code = 'MISSING_PACKAGES';
    throw error;
  }
}

// Meets AD complexity (upper, lower, digit, symbol) whatever the random part holds.
const randomPassword = (prefix) => `${prefix}-${randomBytes(18).toString('base64url')}-7x`;

const run = (cmd, args, input) =>
  execFileSync(cmd, args, {
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });

/** Runs a command; on failure the error carries its output, which never holds a password. */
function tool(cmd, args, input) {
  try {
    return run(cmd, args, input);
  } catch (error) {
    const out = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(-15);
    throw new Error(`${path.basename(cmd)} ${args[0] ?? ''} failed:\n${out.join('\n')}`);
  }
}

const sambaTool = (...args) =>
  tool('samba-tool', [...args, '-H', `ldb://${paths.sam}`, '-s', paths.conf]);
const ldbModify = (ldif) => tool('ldbmodify', ['-H', paths.sam], ldif);

const unicodePwd = (password) => Buffer.from(`"${password}"`, 'utf16le').toString('base64');
const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const dnOf = (account) => `CN=${account.username},${account.container}`;

function writeSecret(target, value) {
  writeFileSync(target, `${value}\n`, { mode: 0o600 });
  chmodSync(target, 0o600);
}

/** A CA and a server certificate valid for 127.0.0.1, so clients verify the DC properly. */
function makeCertificates() {
  // Samba's own certificate names only the host, so a client on 127.0.0.1 could not verify it.
  mkdirSync(paths.tls, { recursive: true, mode: 0o700 });
  const t = (name) => path.join(paths.tls, name);
  tool('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    '/O=Nyckel development/CN=Nyckel development directory CA',
    '-keyout',
    t('ca-key.pem'),
    '-out',
    t('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  tool('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/O=Nyckel development/CN=dc1.nyckel.test',
    '-keyout',
    t('key.pem'),
    '-out',
    t('dc.csr'),
  ]);
  writeFileSync(
    t('dc.ext'),
    'subjectAltName=DNS:dc1.nyckel.test,DNS:localhost,IP:127.0.0.1,IP:::1\n' +
      'extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n',
  );
  tool('openssl', [
    'x509',
    '-req',
    '-in',
    t('dc.csr'),
    '-CA',
    t('ca.pem'),
    '-CAkey',
    t('ca-key.pem'),
    '-CAcreateserial',
    '-days',
    '3650',
    '-extfile',
    t('dc.ext'),
    '-out',
    t('cert.pem'),
  ]);
  // Samba refuses a private key that others can read.
  chmodSync(t('key.pem'), 0o600);
  chmodSync(t('ca-key.pem'), 0o600);
}

/** Rewrites the provisioned smb.conf: LDAP only, loopback only, every path under the folder. */
function writeConfig() {
  const provisioned = readFileSync(paths.conf, 'utf8');
  const keep = new Set([
    'netbios name',
    'realm',
    'workgroup',
    'server role',
    'private dir',
    'state directory',
    'cache directory',
    'lock directory',
    'binddns dir',
    'idmap_ldb:use rfc2307',
  ]);
  const lines = provisioned.split('\n').map((line) => line.trim());
  const start = lines.indexOf('[global]') + 1;
  const end = lines.findIndex((line, i) => i >= start && line.startsWith('['));
  const globals = lines
    .slice(start, end === -1 ? undefined : end)
    .filter((line) => keep.has(line.split('=')[0].trim().toLowerCase()));
  if (!globals.some((line) => line.startsWith('server role'))) {
    throw new Error(`Unexpected smb.conf from provisioning: ${paths.conf}`);
  }
  const run = file('run');
  mkdirSync(run, { recursive: true });
  const config = [
    '# Written by scripts/directory.mjs: a development domain controller, loopback only.',
    '[global]',
    ...globals,
    'interfaces = lo',
    'bind interfaces only = yes',
    // Only the LDAP server: no SMB, Kerberos, DNS or replication on a development machine.
    'server services = ldap',
    `log file = ${file('samba.log')}`,
    // One line per authentication in samba.log: shows which binds reached the domain.
    'log level = 1 auth_audit:3',
    `pid directory = ${run}`,
    `ncalrpc dir = ${path.join(run, 'ncalrpc')}`,
    `winbindd socket directory = ${path.join(run, 'winbindd')}`,
    `ntp signd socket directory = ${path.join(run, 'ntp_signd')}`,
    // Samba otherwise accepts the previous password for 60 minutes after a change or a reset,
    // LDAP binds included, and every test of a change or reset would pass for the wrong reason.
    'old password allowed period = 0',
    'tls enabled = yes',
    `tls keyfile = ${path.join(paths.tls, 'key.pem')}`,
    `tls certfile = ${path.join(paths.tls, 'cert.pem')}`,
    `tls cafile = ${paths.caFile}`,
    '',
  ];
  writeFileSync(paths.conf, config.join('\n'));
}

/** Users, the service account's delegation and the password policy of a fresh domain. */
function populate(servicePassword) {
  const p = POLICY;
  sambaTool(
    'domain',
    'passwordsettings',
    'set',
    `--min-pwd-age=${p.minPwdAgeDays}`,
    `--max-pwd-age=${p.maxPwdAgeDays}`,
    `--min-pwd-length=${p.minPwdLength}`,
    `--history-length=${p.historyLength}`,
    `--complexity=${p.complexity ? 'on' : 'off'}`,
    `--account-lockout-threshold=${p.lockoutThreshold}`,
    `--account-lockout-duration=${p.lockoutDurationMinutes}`,
    `--reset-account-lockout-after=${p.observationWindowMinutes}`,
  );
  sambaTool('ou', 'add', OU, '--description=Funktionsbrevlådor som Nyckel hanterar');
  sambaTool('ou', 'add', OTHER_OU, '--description=Utanför Nyckels delegering');

  sambaTool('user', 'add', SERVICE_ACCOUNT, servicePassword, '--description=Nyckel connector');
  // Sets DONT_EXPIRE_PASSWORD: the connector's own password must not run out.
  sambaTool('user', 'setexpiry', SERVICE_ACCOUNT, '--noexpiry');
  const sid = sambaTool('user', 'show', SERVICE_ACCOUNT, '--attributes=objectSid').match(
    /^objectSid: (S-[\d-]+)$/m,
  )?.[1];
  if (!sid) throw new Error('Could not read the service account objectSid');
  // Only on OU=Brevlador, only for user objects below it (CIIO + inherited object type user):
  // reset and change password, write lockoutTime and pwdLastSet; plus read on the OU itself.
  const aces = [
    `(OA;CIIO;CR;${RESET_PASSWORD};${USER_CLASS};${sid})`,
    `(OA;CIIO;CR;${CHANGE_PASSWORD};${USER_CLASS};${sid})`,
    `(OA;CIIO;WP;${LOCKOUT_TIME};${USER_CLASS};${sid})`,
    `(OA;CIIO;WP;${PWD_LAST_SET};${USER_CLASS};${sid})`,
    `(A;CI;RPLCLORC;;;${sid})`,
  ];
  sambaTool('dsacl', 'set', `--objectdn=${OU}`, `--sddl=${aces.join('')}`);

  for (const account of DEMO_ACCOUNTS) {
    const userou =
      account.container === USERS
        ? []
        : [`--userou=${account.container.replace(`,${BASE_DN}`, '')}`];
    // Accounts never expire (accountExpires stays "never") and neither do passwords (maxPwdAge
    // is 0), but no DONT_EXPIRE_PASSWORD flag: with it the domain ignores pwdLastSet=0, and the
    // tests of "must change at next logon" need that to work.
    sambaTool('user', 'add', account.username, account.password, ...userou);
  }
  const ldif = DEMO_ACCOUNTS.map((account) =>
    [
      `dn: ${dnOf(account)}`,
      'changetype: modify',
      'replace: displayName',
      `displayName:: ${b64(account.displayName)}`,
      ...(account.adminCount ? ['-', 'replace: adminCount', 'adminCount: 1'] : []),
      '',
    ].join('\n'),
  );
  ldbModify(ldif.join('\n'));
}

function readInfo() {
  const read = (f) => readFileSync(f, 'utf8').trim();
  return {
    url: `ldaps://${HOST}:${PORT}`,
    caFile: paths.caFile,
    logFile: paths.log,
    realm: REALM,
    domain: DOMAIN,
    baseDn: BASE_DN,
    ou: OU,
    otherOu: OTHER_OU,
    adminDn: `CN=Administrator,${USERS}`,
    adminPassword: read(paths.adminPassword),
    serviceDn: `CN=${SERVICE_ACCOUNT},${USERS}`,
    servicePassword: read(paths.servicePassword),
    servicePasswordFile: paths.servicePassword,
    policy: POLICY,
    accounts: Object.fromEntries(
      DEMO_ACCOUNTS.map((a) => [
        a.username,
        { dn: dnOf(a), password: a.password, displayName: a.displayName },
      ]),
    ),
  };
}

/**
 * Provisions the domain into .directory/ unless that was done before; returns the connection
 * details. A folder left half-done by an interrupted provisioning is started again from scratch.
 */
export function ensureProvisioned({ log = () => {} } = {}) {
  if (existsSync(paths.ready)) return readInfo();
  requirePackages();
  if (existsSync(DIRECTORY_DIR)) {
    log(`Removing an unfinished provisioning in ${DIRECTORY_DIR}`);
    rmSync(DIRECTORY_DIR, { recursive: true, force: true });
  }
  mkdirSync(DIRECTORY_DIR, { recursive: true, mode: 0o700 });
  const started = Date.now();
  log(`Provisioning a Samba AD domain controller for ${REALM} in ${DIRECTORY_DIR}`);
  const adminPassword = randomPassword('Admin');
  const servicePassword = randomPassword('Svc');
  tool('samba-tool', [
    'domain',
    'provision',
    '--use-rfc2307',
    `--realm=${REALM}`,
    `--domain=${DOMAIN}`,
    // A fixed name: the machine's host name may be longer than NetBIOS allows.
    '--host-name=dc1',
    '--server-role=dc',
    '--dns-backend=NONE',
    `--adminpass=${adminPassword}`,
    `--targetdir=${DIRECTORY_DIR}`,
    `--host-ip=${HOST}`,
    '--option=interfaces=lo',
    '--option=bind interfaces only=yes',
  ]);
  writeSecret(paths.adminPassword, adminPassword);
  writeSecret(paths.servicePassword, servicePassword);
  makeCertificates();
  writeConfig();
  populate(servicePassword);
  writeFileSync(paths.ready, `${new Date().toISOString()}\n`);
  log(`Provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return readInfo();
}

/** Whether a TLS server that our CA vouches for answers on 127.0.0.1:636. */
function ldapsAnswers(ca, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port: PORT, ca, timeout: timeoutMs });
    const done = (value, error) => {
      socket.destroy();
      resolve({ ok: value, error });
    };
    socket.once('secureConnect', () => done(true));
    socket.once('timeout', () => done(false, 'timeout'));
    socket.once('error', (error) => done(false, error.code ?? error.message));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the domain controller (provisioning it first if needed) and resolves once LDAPS
 * answers. If our DC already answers on 636, it is reused and stop() leaves it running.
 */
export async function startDirectory({ log = () => {}, timeoutMs = 60_000 } = {}) {
  const info = ensureProvisioned({ log });
  const ca = readFileSync(info.caFile);
  const already = await ldapsAnswers(ca);
  if (already.ok) {
    log(`A domain controller already answers on ${info.url}: using it`);
    return { info, reused: true, stop: async () => {} };
  }
  if (already.error !== 'ECONNREFUSED') {
    throw new Error(
      `Something else listens on ${HOST}:${PORT} (${already.error}); stop it to run the local directory`,
    );
  }
  const started = Date.now();
  const logFd = openSync(paths.log, 'a');
  const samba = existsSync('/usr/sbin/samba') ? '/usr/sbin/samba' : 'samba';
  const child = spawn(
    samba,
    ['-s', paths.conf, '--foreground', '--no-process-group', '--debug-stdout'],
    { stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      exited = { code: null, signal: null, error };
      resolve();
    });
  });
  // Never leave the DC running behind a parent that exits on an error.
  const onExit = () => {
    if (!exited) child.kill('SIGTERM');
  };
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  };

  while (!(await ldapsAnswers(ca)).ok) {
    if (exited) {
      const tail = readFileSync(paths.log, 'utf8').trim().split('\n').slice(-20).join('\n');
      throw new Error(
        `samba exited while starting (${exited.error ?? exited.code ?? exited.signal}):\n${tail}`,
      );
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(
        `LDAPS did not answer on ${info.url} within ${timeoutMs / 1000} s; see ${paths.log}`,
      );
    }
    await sleep(200);
  }
  log(`Domain controller up on ${info.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { info, reused: false, stop };
}

/** The string form of an objectGUID: the first three groups byte-swapped, lower case. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Each demo account's objectGUID ({ username: guid }), read from the provisioned database with
 * ldbsearch: no running DC or password needed. ldb prints objectGUID in its usual string form
 * (what the connector's guidToString makes of the 16 bytes).
 */
export function demoAccountGuids() {
  ensureProvisioned();
  const out = tool('ldbsearch', [
    '-H',
    paths.sam,
    '-b',
    BASE_DN,
    '(&(objectClass=user)(sAMAccountName=*))',
    'sAMAccountName',
    'objectGUID',
  ]);
  const guids = {};
  for (const record of out.split(/^# record \d+$/m)) {
    const name = /^sAMAccountName: (.+)$/m.exec(record)?.[1]?.trim();
    const guid = /^objectGUID: (.+)$/m.exec(record)?.[1]?.trim().toLowerCase();
    if (name && guid && GUID.test(guid)) guids[name.toLowerCase()] = guid;
  }
  const result = {};
  for (const account of DEMO_ACCOUNTS) {
    const guid = guids[account.username];
    if (!guid) throw new Error(`No objectGUID for ${account.username} in ${paths.sam}`);
    result[account.username] = guid;
  }
  return result;
}

/**
 * Puts every demo account back as provisioned: its demo password, unlocked, enabled, no
 * "must change at next logon". Works on the database directly, running DC or not.
 */
export function resetDemoAccounts() {
  ensureProvisioned();
  const ldif = DEMO_ACCOUNTS.map((account) =>
    [
      `dn: ${dnOf(account)}`,
      'changetype: modify',
      'replace: unicodePwd',
      `unicodePwd:: ${unicodePwd(account.password)}`,
      '-',
      'replace: lockoutTime',
      'lockoutTime: 0',
      '-',
      // -1 stamps the password as set now: clears "must change at next logon".
      'replace: pwdLastSet',
      'pwdLastSet: -1',
      '-',
      // NORMAL_ACCOUNT: enabled again if a test disabled it.
      'replace: userAccountControl',
      'userAccountControl: 512',
      '-',
      'replace: accountExpires',
      'accountExpires: 0',
      '',
    ].join('\n'),
  );
  ldbModify(ldif.join('\n'));
}
