import { type NetworkList, parseNetworks } from './domain/networks';
import type { Peppers } from './domain/password-hash';
import type { PolicySettings } from './domain/policy';

/** Typed view of the wrangler.toml vars and secrets, parsed once per isolate and env. */
export interface Config {
  environment: 'development' | 'production' | string;
  isDevelopment: boolean;
  publicOrigin: URL;
  networks: NetworkList;
  organisationName: string;
  support: { phone: string; email: string };
  sms: {
    provider: 'outbox' | '46elks';
    from: string;
    timeoutMs: number;
    perAccountPerHour: number;
    perNumberPerHour: number;
    perAddressPerHour: number;
    perDay: number;
  };
  policy: PolicySettings;
  login: { maxFailures: number; lockSeconds: number; perAddressPer15Min: number };
  resets: { perUsernamePerHour: number; perAddressPerHour: number };
  peppers: Peppers;
  sessionSecret: string;
}

function positiveInt(env: Env, name: keyof Env, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${String(name)} must be an integer`);
  return value;
}

function requiredSecret(env: Env, name: 'SESSION_SECRET' | 'PASSWORD_PEPPER'): string {
  const value = env[name];
  if (typeof value !== 'string' || value.length < 32) {
    throw new Error(`${name} must be set to at least 32 characters (wrangler secret put ${name})`);
  }
  return value;
}

function readPeppers(env: Env): Peppers {
  const current = positiveInt(env, 'PEPPER_VERSION', 1);
  const secrets = new Map<number, string>([[current, requiredSecret(env, 'PASSWORD_PEPPER')]]);
  // During a pepper rotation the previous one stays readable as PASSWORD_PEPPER_V<n>.
  for (const [name, value] of Object.entries(env)) {
    const match = /^PASSWORD_PEPPER_V(\d+)$/.exec(name);
    if (match?.[1] && typeof value === 'string' && value.length >= 32) {
      secrets.set(Number(match[1]), value);
    }
  }
  return { current, secrets };
}

const cache = new WeakMap<Env, Config>();

export function config(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const isDevelopment = env.ENVIRONMENT === 'development';
  const provider = env.SMS_PROVIDER;
  if (provider !== 'outbox' && provider !== '46elks') {
    throw new Error('SMS_PROVIDER must be "outbox" or "46elks"');
  }
  // The outbox shows codes to anyone who can reach /api/dev/outbox: refuse to run with it.
  if (provider === 'outbox' && !isDevelopment) {
    throw new Error('SMS_PROVIDER "outbox" is for ENVIRONMENT "development" only');
  }
  const parsed: Config = {
    environment: env.ENVIRONMENT,
    isDevelopment,
    publicOrigin: new URL(env.PUBLIC_ORIGIN),
    networks: parseNetworks(env.INTERNAL_NETWORKS ?? ''),
    organisationName: env.ORGANISATION_NAME ?? '',
    support: { phone: env.SUPPORT_PHONE ?? '', email: env.SUPPORT_EMAIL ?? '' },
    sms: {
      provider,
      from: env.SMS_FROM || 'Nyckel',
      timeoutMs: positiveInt(env, 'SMS_TIMEOUT_MS', 8000),
      perAccountPerHour: positiveInt(env, 'SMS_PER_ACCOUNT_PER_HOUR', 5),
      perNumberPerHour: positiveInt(env, 'SMS_PER_NUMBER_PER_HOUR', 5),
      perAddressPerHour: positiveInt(env, 'SMS_PER_ADDRESS_PER_HOUR', 20),
      perDay: positiveInt(env, 'SMS_PER_DAY', 2000),
    },
    policy: {
      minLength: positiveInt(env, 'POLICY_MIN_LENGTH', 8),
      minClasses: positiveInt(env, 'POLICY_MIN_CLASSES', 3),
      historyDepth: positiveInt(env, 'POLICY_HISTORY_DEPTH', 24),
      maxAgeDays: positiveInt(env, 'POLICY_MAX_AGE_DAYS', 90),
    },
    login: {
      maxFailures: positiveInt(env, 'LOGIN_MAX_FAILURES', 5),
      lockSeconds: positiveInt(env, 'LOGIN_LOCK_SECONDS', 900),
      perAddressPer15Min: positiveInt(env, 'LOGIN_PER_ADDRESS_PER_15_MIN', 30),
    },
    resets: {
      perUsernamePerHour: positiveInt(env, 'RESET_PER_USERNAME_PER_HOUR', 5),
      perAddressPerHour: positiveInt(env, 'RESET_PER_ADDRESS_PER_HOUR', 30),
    },
    peppers: readPeppers(env),
    sessionSecret: requiredSecret(env, 'SESSION_SECRET'),
  };
  cache.set(env, parsed);
  return parsed;
}
