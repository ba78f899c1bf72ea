import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as v from 'valibot';
import type { DirectoryConfig } from './directory-config';

/*
 * The connector's configuration: a JSON file (optional) overlaid by environment variables, so
 * IT can keep the settings in a file and the bind password in a systemd EnvironmentFile or a
 * credential file. Every problem is reported by the name of the setting, and the bind
 * password is never part of any message.
 */

export interface ConnectorConfig {
  /** The hub's WebSocket URL, e.g. wss://nyckel.example.se/api/connector. */
  hubUrl: string;
  keyFile: string;
  directory: DirectoryConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`The connector's configuration is not usable:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface ConfigSources {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

export const DEFAULT_CONFIG_FILE = 'connector/connector.json';
export const DEFAULT_KEY_FILE = 'connector/keys.json';
const DEFAULT_TIMEOUT_MS = 5_000;

/** The shape of connector.json; every member may also come from the environment. */
const FileSchema = v.strictObject({
  hubUrl: v.optional(v.string()),
  keyFile: v.optional(v.string()),
  directory: v.optional(
    v.strictObject({
      url: v.optional(v.string()),
      startTls: v.optional(v.boolean()),
      caFile: v.optional(v.string()),
      bindDn: v.optional(v.string()),
      bindPassword: v.optional(v.string()),
      bindPasswordFile: v.optional(v.string()),
      baseDn: v.optional(v.string()),
      ous: v.optional(v.array(v.string())),
      userAttribute: v.optional(v.string()),
      timeoutMs: v.optional(v.number()),
    }),
  ),
});
type FileConfig = v.InferOutput<typeof FileSchema>;

/** Each setting's name in the environment and in the file, for the messages. */
const NAMES: Record<string, string> = {
  hubUrl: 'NYCKEL_URL (hubUrl)',
  keyFile: 'NYCKEL_KEY_FILE (keyFile)',
  'directory.url': 'LDAP_URL (directory.url)',
  'directory.startTls': 'LDAP_STARTTLS (directory.startTls)',
  'directory.caFile': 'LDAP_CA_FILE (directory.caFile)',
  'directory.bindDn': 'LDAP_BIND_DN (directory.bindDn)',
  'directory.bindPassword':
    'LDAP_BIND_PASSWORD or LDAP_BIND_PASSWORD_FILE (directory.bindPassword or directory.bindPasswordFile)',
  'directory.baseDn': 'LDAP_BASE_DN (directory.baseDn)',
  'directory.ous': 'LDAP_OUS (directory.ous)',
  'directory.userAttribute': 'LDAP_USER_ATTRIBUTE (directory.userAttribute)',
  'directory.timeoutMs': 'LDAP_TIMEOUT_MS (directory.timeoutMs)',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function required(message: string) {
  return v.pipe(
    v.string('is missing'),
    v.trim(),
    v.nonEmpty('is missing'),
    v.maxLength(2048, message),
  );
}

const HubUrl = v.pipe(
  required('is too long'),
  v.check((text) => URL.canParse(text), 'is not a URL'),
  v.check((text) => {
    const url = new URL(text);
    return url.protocol === 'wss:' || (url.protocol === 'ws:' && LOOPBACK.has(url.hostname));
  }, 'must start with wss:// (ws:// is allowed only to 127.0.0.1 or localhost, for testing)'),
  v.check((text) => {
    const url = new URL(text);
    return url.username === '' && url.password === '' && url.hash === '';
  }, 'must not carry a user name, password or #fragment'),
);

const LdapUrl = v.pipe(
  required('is too long'),
  v.check((text) => URL.canParse(text), 'is not a URL, e.g. ldaps://dc1.kommun.local'),
  v.check((text) => {
    const url = new URL(text);
    return (
      (url.protocol === 'ldaps:' || url.protocol === 'ldap:') &&
      url.hostname !== '' &&
      (url.pathname === '' || url.pathname === '/') &&
      url.search === '' &&
      url.username === '' &&
      url.password === ''
    );
  }, 'must be ldaps://host[:port] (or ldap://host[:port] with LDAP_STARTTLS=true)'),
);

const Dn = v.pipe(
  required('is too long'),
  v.regex(/^[A-Za-z][\w-]*=.+/, 'is not a distinguished name (e.g. DC=kommun,DC=local)'),
);

const Schema = v.pipe(
  v.object({
    hubUrl: HubUrl,
    keyFile: required('is too long'),
    directory: v.object({
      url: LdapUrl,
      startTls: v.boolean('must be true or false'),
      caFile: v.optional(required('is too long')),
      bindDn: Dn,
      bindPassword: v.pipe(v.string('is missing'), v.nonEmpty('is missing')),
      baseDn: Dn,
      ous: v.pipe(
        v.array(Dn, 'must be a list of OUs'),
        v.minLength(1, 'is missing: name at least one OU, separated by ; in LDAP_OUS'),
      ),
      userAttribute: v.pipe(
        v.string('is missing'),
        v.regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'is not an LDAP attribute name'),
      ),
      timeoutMs: v.pipe(
        v.number('must be a number of milliseconds'),
        v.integer('must be a whole number of milliseconds'),
        v.minValue(500, 'must be at least 500 ms'),
        v.maxValue(60_000, 'must be at most 60000 ms'),
      ),
    }),
  }),
  v.forward(
    v.check(
      (config) =>
        new URL(config.directory.url).protocol === (config.directory.startTls ? 'ldap:' : 'ldaps:'),
      'must be ldaps://… , or ldap://… with LDAP_STARTTLS=true: passwords never cross the network unencrypted',
    ),
    ['directory', 'url'],
  ),
  v.forward(
    v.check(
      (config) => config.directory.ous.every((ou) => within(ou, config.directory.baseDn)),
      'names an OU outside LDAP_BASE_DN',
    ),
    ['directory', 'ous'],
  ),
);

/**
 * Reads the configuration: the file from `--config`, NYCKEL_CONNECTOR_CONFIG or, when it
 * exists, connector/connector.json; then the environment on top. Throws ConfigError.
 */
export function loadConfig(sources: ConfigSources = {}): ConnectorConfig {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const problems: string[] = [];
  const { file, base } = readConfigFile(sources.argv ?? [], env, cwd, problems);
  const fileDir = file.directory ?? {};
  const fromEnv = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const envPath = (name: string) => {
    const value = fromEnv(name);
    return value === undefined ? undefined : resolve(cwd, value);
  };
  const filePath = (value: string | undefined) =>
    value === undefined ? undefined : resolve(base, value);

  const startTlsText = fromEnv('LDAP_STARTTLS');
  const startTls = startTlsText === undefined ? fileDir.startTls : parseBoolean(startTlsText);
  const timeoutText = fromEnv('LDAP_TIMEOUT_MS');
  const timeoutMs =
    timeoutText === undefined
      ? fileDir.timeoutMs
      : /^\d+$/.test(timeoutText.trim())
        ? Number(timeoutText)
        : Number.NaN;
  const ousText = fromEnv('LDAP_OUS');
  const ous = ousText === undefined ? fileDir.ous : splitOus(ousText);

  const raw = {
    hubUrl: fromEnv('NYCKEL_URL') ?? file.hubUrl,
    keyFile: envPath('NYCKEL_KEY_FILE') ?? filePath(file.keyFile) ?? resolve(cwd, DEFAULT_KEY_FILE),
    directory: {
      url: fromEnv('LDAP_URL') ?? fileDir.url,
      startTls: startTls ?? false,
      caFile: envPath('LDAP_CA_FILE') ?? filePath(fileDir.caFile),
      bindDn: fromEnv('LDAP_BIND_DN') ?? fileDir.bindDn,
      bindPassword: bindPassword(env, fileDir, cwd, base, problems),
      baseDn: fromEnv('LDAP_BASE_DN') ?? fileDir.baseDn,
      ous: ous ?? [],
      userAttribute: fromEnv('LDAP_USER_ATTRIBUTE') ?? fileDir.userAttribute ?? 'sAMAccountName',
      timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    },
  };
  if (startTls === null) problems.push(`${NAMES['directory.startTls']} must be true or false`);

  const parsed = v.safeParse(Schema, raw, { abortPipeEarly: true });
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const key = (issue.path ?? [])
        .map((item) => item.key)
        .filter((k) => typeof k === 'string')
        .join('.');
      const name = NAMES[key] ?? NAMES[key.replace(/\.\d+$/, '')] ?? key;
      // Our own messages only: valibot's defaults quote the received value.
      const message = issue.message.startsWith('Invalid ') ? 'is not valid' : issue.message;
      problems.push(`${name} ${message}`);
    }
  }
  if (parsed.success && parsed.output.directory.caFile !== undefined) {
    const caFile = parsed.output.directory.caFile;
    try {
      readFileSync(caFile);
    } catch (err) {
      problems.push(`${NAMES['directory.caFile']}: cannot read ${caFile} (${errorCode(err)})`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(unique(problems));
  const config = parsed.output;
  const directory: DirectoryConfig = {
    url: config.directory.url,
    startTls: config.directory.startTls,
    bindDn: config.directory.bindDn,
    bindPassword: config.directory.bindPassword,
    baseDn: config.directory.baseDn,
    ous: config.directory.ous,
    userAttribute: config.directory.userAttribute,
    timeoutMs: config.directory.timeoutMs,
  };
  if (config.directory.caFile !== undefined) directory.caFile = config.directory.caFile;
  return { hubUrl: config.hubUrl, keyFile: config.keyFile, directory };
}

/**
 * Only where the key file is, for the `keys` command: it must work before the LDAP settings
 * are filled in, since registering the keys is the first step of an installation.
 */
export function resolveKeyFile(sources: ConfigSources = {}): string {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const problems: string[] = [];
  const { file, base } = readConfigFile(sources.argv ?? [], env, cwd, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const fromEnv = env.NYCKEL_KEY_FILE?.trim();
  if (fromEnv) return resolve(cwd, fromEnv);
  if (file.keyFile) return resolve(base, file.keyFile);
  return resolve(cwd, DEFAULT_KEY_FILE);
}

/** The value after `--config` (or `--config=…`), if any. */
export function configFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--config') return argv[i + 1] ?? '';
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

/** LDAP_OUS separates with `;`, since every DN is full of commas. */
export function splitOus(text: string): string[] {
  return text
    .split(';')
    .map((ou) => ou.trim())
    .filter((ou) => ou !== '');
}

function readConfigFile(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  problems: string[],
): { file: FileConfig; base: string } {
  const flag = configFlag(argv);
  const fromEnv = env.NYCKEL_CONNECTOR_CONFIG?.trim() || undefined;
  const named = flag ?? fromEnv;
  const path = resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
  const source = flag !== undefined ? '--config' : 'NYCKEL_CONNECTOR_CONFIG';
  if (named === '') {
    problems.push('--config needs a file name');
    return { file: {}, base: cwd };
  }
  // The default file is optional; a file someone named must exist.
  if (named === undefined && !existsSync(path)) return { file: {}, base: cwd };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`${source}: cannot read ${path} (${errorCode(err)})`);
    return { file: {}, base: cwd };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push(`${path} is not valid JSON`);
    return { file: {}, base: cwd };
  }
  const parsed = v.safeParse(FileSchema, json);
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const key = (issue.path ?? []).map((item) => String(item.key)).join('.');
      problems.push(`${path}: ${key || 'the file'} has the wrong type or is not a known setting`);
    }
    return { file: {}, base: cwd };
  }
  // Paths in the file are relative to the file, wherever the service is started from.
  return { file: parsed.output, base: dirname(path) };
}

function bindPassword(
  env: Readonly<Record<string, string | undefined>>,
  fileDir: NonNullable<FileConfig['directory']>,
  cwd: string,
  base: string,
  problems: string[],
): string | undefined {
  const direct = env.LDAP_BIND_PASSWORD;
  const fromFile = env.LDAP_BIND_PASSWORD_FILE?.trim();
  if (direct && fromFile) {
    problems.push('Set LDAP_BIND_PASSWORD or LDAP_BIND_PASSWORD_FILE, not both');
    return undefined;
  }
  if (direct) return direct;
  if (fromFile) return readSecret(resolve(cwd, fromFile), 'LDAP_BIND_PASSWORD_FILE', problems);
  if (fileDir.bindPassword !== undefined && fileDir.bindPasswordFile !== undefined) {
    problems.push('Set directory.bindPassword or directory.bindPasswordFile, not both');
    return undefined;
  }
  if (fileDir.bindPasswordFile !== undefined) {
    return readSecret(
      resolve(base, fileDir.bindPasswordFile),
      'directory.bindPasswordFile',
      problems,
    );
  }
  return fileDir.bindPassword;
}

function readSecret(path: string, setting: string, problems: string[]): string | undefined {
  try {
    // One trailing line break is what `echo` and editors add; it is not part of the password.
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    problems.push(`${setting}: cannot read ${path} (${errorCode(err)})`);
    return undefined;
  }
}

function parseBoolean(text: string): boolean | null {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return null;
}

/** Whether `dn` is `base` or below it, comparing as AD does: case and spacing ignored. */
function within(dn: string, base: string): boolean {
  const normal = (text: string) => text.replace(/\s*([,=])\s*/g, '$1').toLowerCase();
  const child = normal(dn);
  const root = normal(base);
  return child === root || child.endsWith(`,${root}`);
}

function errorCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : null;
  return typeof code === 'string' ? code : 'unreadable';
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
