import { type NetworkList, parseNetworks } from './domain/networks';
import type { Peppers } from './domain/password-hash';
import { parseCountryList } from './domain/phone';
import type { PolicySettings } from './domain/policy';
import { legacySupportChannels, parseSupportChannels, type SupportChannel } from './domain/support';

/** Typed view of the wrangler.toml vars and secrets, parsed once per isolate and env. */
export interface Config {
  environment: 'development' | 'production' | string;
  isDevelopment: boolean;
  publicOrigin: URL;
  networks: NetworkList;
  organisationName: string;
  /** Ways to reach support, in the organisation's order and words (SUPPORT_CHANNELS). */
  support: SupportChannel[];
  sms: {
    provider: 'outbox' | '46elks';
    from: string;
    timeoutMs: number;
    perAccountPerHour: number;
    perNumberPerHour: number;
    perAddressPerHour: number;
    perDay: number;
    /**
     * The share of perDay (percent) that anonymous reset texts may spend, so a flood of reset
     * starts leaves the rest for phone registration, handover texts and notices.
     */
    resetSharePercent: number;
    /** Reset texts to one number in an hour from one client network, and from all of them. */
    resetPerNumberPerNetworkPerHour: number;
    resetPerNumberPerHour: number;
    /** ISO 3166 codes of the countries whose mobile numbers may be registered for SMS. */
    countries: string[];
  };
  policy: PolicySettings;
  login: {
    /** Failures from one network (IPv4 address, IPv6 /64) before it is locked out. */
    maxFailures: number;
    lockSeconds: number;
    perAddressPer15Min: number;
    /** Failures across all networks before every attempt waits a growing delay. */
    accountCeiling: number;
    accountWindowSeconds: number;
    accountBaseDelaySeconds: number;
    accountMaxDelaySeconds: number;
  };
  resets: {
    perUsernamePerHour: number;
    perAddressPerHour: number;
    /**
     * Reset starts in the last hour, across everyone, above which the administration page
     * warns that the reset rate is unusual (RESET_ALERT_PER_HOUR).
     */
    alertPerHour: number;
    /**
     * Wrong reset codes per submitted username (known or not) per Swedish calendar day, over
     * all its resets; beyond it resets of that name wait for the next day or a manager.
     */
    failedCodesPerDay: number;
  };
  /**
   * Turnstile, Cloudflare's challenge, asked only when a network or an account has failed
   * sign-ins or started resets more often than these per hour; null (never asked) while
   * TURNSTILE_SECRET is unset.
   */
  turnstile: {
    siteKey: string;
    secret: string;
    resetsPerHour: number;
    failuresPerHour: number;
    timeoutMs: number;
  } | null;
  peppers: Peppers;
  sessionSecret: string;
  mail: {
    provider: 'outbox' | 'mailgun';
    from: string;
    /** Mailgun's API base; the EU region by default so mail data stays in the EU. */
    apiBase: string;
    domain: string;
    timeoutMs: number;
  };
  people: {
    /** WebAuthn relying party: the public origin's host name, and the name shown. */
    rpId: string;
    rpName: string;
    idleSeconds: number;
    absoluteSeconds: number;
    /** How recent a strong check must be for a sensitive action. */
    freshSeconds: number;
    inviteSeconds: number;
    /** Client-certificate issuers (DNs exactly as Cloudflare reports them) that are trusted. */
    certIssuers: string[];
  };
  /** AES-256-GCM key for secrets that must be read back (TOTP secrets, later initial passwords). */
  dataKey: { id: string; keys: Map<string, string> };
  /** Days before expiry at which rotation reminders go out (0 = the day itself). */
  reminderDays: number[];
  identities: {
    /** HMAC key of the personnummer blind index (INDEX_KEY). */
    indexKey: string;
    /** Days before the start date at which an unfetched initial password is reminded. */
    reminderDaysBeforeStart: number;
    /**
     * Where a new hire's initial password is set: null when the organisation's IdM sets it
     * (Nyckel only shows it); otherwise in the domain through the connector, on the account
     * whose `attribute` holds the identity's `key` (its user id or HSA-id).
     */
    directory: { attribute: string; key: 'userId' | 'hsaId' } | null;
  };
  webhook: {
    /** Default receiver (WEBHOOK_URL); an administrator can change it at run time. */
    url: string;
    /** HMAC-SHA256 signing secret (WEBHOOK_SECRET); no secret, no webhook. */
    secret: string;
    timeoutMs: number;
  };
}

function positiveInt(env: Env, name: keyof Env, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${String(name)} must be an integer`);
  return value;
}

/** At least 1: a cap of 0 would refuse every reset code, the owner's too. */
function failedCodesPerDay(env: Env): number {
  const value = positiveInt(env, 'RESET_FAILED_CODES_PER_DAY', 15);
  if (value < 1) throw new Error('RESET_FAILED_CODES_PER_DAY must be at least 1');
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

function readDataKeys(env: Env): { id: string; keys: Map<string, string> } {
  const id = env.DATA_KEY_ID || '1';
  const keys = new Map<string, string>();
  const current = env.DATA_KEY;
  if (typeof current !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(current)) {
    throw new Error('DATA_KEY must be 32 random bytes in base64 (wrangler secret put DATA_KEY)');
  }
  keys.set(id, current);
  // During a key rotation the earlier keys stay readable as DATA_KEY_<id>.
  for (const [name, value] of Object.entries(env)) {
    const match = /^DATA_KEY_([A-Za-z0-9]+)$/.exec(name);
    if (match?.[1] && match[1] !== 'ID' && typeof value === 'string') keys.set(match[1], value);
  }
  return { id, keys };
}

function indexKey(env: Env): string {
  const value = env.INDEX_KEY;
  if (typeof value !== 'string' || value.length < 32) {
    throw new Error(
      'INDEX_KEY must be set to at least 32 characters (wrangler secret put INDEX_KEY)',
    );
  }
  return value;
}

function newHireDirectory(env: Env): Config['identities']['directory'] {
  const mode = env.NEW_HIRE_PASSWORDS || 'local';
  if (mode === 'local') return null;
  if (mode !== 'ad') throw new Error('NEW_HIRE_PASSWORDS must be "local" or "ad"');
  const attribute = env.NEW_HIRE_ACCOUNT_ATTRIBUTE || 'sAMAccountName';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(attribute)) {
    throw new Error('NEW_HIRE_ACCOUNT_ATTRIBUTE must be an LDAP attribute name');
  }
  const key = env.NEW_HIRE_ACCOUNT_KEY || 'userId';
  if (key !== 'userId' && key !== 'hsaId') {
    throw new Error('NEW_HIRE_ACCOUNT_KEY must be "userId" or "hsaId"');
  }
  return { attribute, key };
}

/** Turnstile needs both keys: the secret to verify, the site key for the widget to render. */
function turnstile(env: Env): Config['turnstile'] {
  const secret = env.TURNSTILE_SECRET ?? '';
  if (secret === '') return null;
  const siteKey = env.TURNSTILE_SITE_KEY ?? '';
  if (!/^[\w-]{1,64}$/.test(siteKey)) {
    throw new Error(
      'TURNSTILE_SITE_KEY must be set when TURNSTILE_SECRET is (the widget needs it)',
    );
  }
  return {
    siteKey,
    secret,
    resetsPerHour: positiveInt(env, 'TURNSTILE_RESETS_PER_HOUR', 10),
    failuresPerHour: positiveInt(env, 'TURNSTILE_FAILURES_PER_HOUR', 10),
    timeoutMs: positiveInt(env, 'TURNSTILE_TIMEOUT_MS', 5000),
  };
}

/**
 * SMS_COUNTRIES: the countries whose mobile numbers can be registered (mailbox numbers, staff,
 * people), by default the Nordic ones. A code that is not a country refuses to start rather
 * than refusing every number of the country meant.
 */
function smsCountries(env: Env): string[] {
  const raw = env.SMS_COUNTRIES ?? 'SE,NO,DK,FI';
  const countries = parseCountryList(raw);
  if (!countries) {
    throw new Error(
      'SMS_COUNTRIES must be a comma-separated list of ISO 3166 country codes, e.g. SE,NO,DK,FI',
    );
  }
  return countries;
}

function webhookUrl(raw: string | undefined): string {
  if (!raw) return '';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new Error('WEBHOOK_URL must be https');
  }
  return url.href;
}

/**
 * SUPPORT_CHANNELS, or the SUPPORT_PHONE and SUPPORT_EMAIL it replaced when an older
 * configuration still sets only those. Both at once is a half-done migration: refused, so
 * nobody wonders which contact people see.
 */
function supportChannels(env: Env): SupportChannel[] {
  const vars = env as unknown as Record<string, unknown>;
  const phone = typeof vars.SUPPORT_PHONE === 'string' ? vars.SUPPORT_PHONE : '';
  const email = typeof vars.SUPPORT_EMAIL === 'string' ? vars.SUPPORT_EMAIL : '';
  const channels = vars.SUPPORT_CHANNELS;
  const hasChannels = channels !== undefined && channels !== null && channels !== '';
  if (hasChannels && (phone !== '' || email !== '')) {
    throw new Error(
      'SUPPORT_PHONE and SUPPORT_EMAIL are replaced by SUPPORT_CHANNELS; remove them when SUPPORT_CHANNELS is set',
    );
  }
  const parsed = hasChannels ? parseSupportChannels(channels) : legacySupportChannels(phone, email);
  if (parsed.kind === 'invalid') throw new Error(parsed.problem);
  return parsed.channels;
}

function list(raw: string | undefined, separator: string | RegExp): string[] {
  return (raw ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
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
  const mailProvider = env.MAIL_PROVIDER;
  if (mailProvider !== 'outbox' && mailProvider !== 'mailgun') {
    throw new Error('MAIL_PROVIDER must be "outbox" or "mailgun"');
  }
  if (mailProvider === 'outbox' && !isDevelopment) {
    throw new Error('MAIL_PROVIDER "outbox" is for ENVIRONMENT "development" only');
  }
  const publicOrigin = new URL(env.PUBLIC_ORIGIN);
  const reminderDays = list(env.REMINDER_DAYS ?? '14,3,0', ',').map(Number);
  if (reminderDays.some((d) => !Number.isInteger(d) || d < 0 || d > 365)) {
    throw new Error('REMINDER_DAYS must be whole days, for example "14,3,0"');
  }
  const parsed: Config = {
    environment: env.ENVIRONMENT,
    isDevelopment,
    publicOrigin,
    networks: parseNetworks(env.INTERNAL_NETWORKS ?? ''),
    organisationName: env.ORGANISATION_NAME ?? '',
    support: supportChannels(env),
    sms: {
      provider,
      from: env.SMS_FROM || 'Nyckel',
      timeoutMs: positiveInt(env, 'SMS_TIMEOUT_MS', 8000),
      perAccountPerHour: positiveInt(env, 'SMS_PER_ACCOUNT_PER_HOUR', 5),
      perNumberPerHour: positiveInt(env, 'SMS_PER_NUMBER_PER_HOUR', 5),
      perAddressPerHour: positiveInt(env, 'SMS_PER_ADDRESS_PER_HOUR', 20),
      perDay: positiveInt(env, 'SMS_PER_DAY', 2000),
      resetSharePercent: Math.min(100, positiveInt(env, 'SMS_RESET_SHARE_PERCENT', 60)),
      resetPerNumberPerNetworkPerHour: positiveInt(
        env,
        'SMS_RESET_PER_NUMBER_PER_NETWORK_PER_HOUR',
        3,
      ),
      resetPerNumberPerHour: positiveInt(env, 'SMS_RESET_PER_NUMBER_PER_HOUR', 20),
      countries: smsCountries(env),
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
      accountCeiling: positiveInt(env, 'LOGIN_ACCOUNT_CEILING', 50),
      accountWindowSeconds: 3600,
      accountBaseDelaySeconds: 2,
      accountMaxDelaySeconds: 300,
    },
    resets: {
      perUsernamePerHour: positiveInt(env, 'RESET_PER_USERNAME_PER_HOUR', 5),
      perAddressPerHour: positiveInt(env, 'RESET_PER_ADDRESS_PER_HOUR', 30),
      alertPerHour: positiveInt(env, 'RESET_ALERT_PER_HOUR', 50),
      failedCodesPerDay: failedCodesPerDay(env),
    },
    turnstile: turnstile(env),
    peppers: readPeppers(env),
    sessionSecret: requiredSecret(env, 'SESSION_SECRET'),
    mail: {
      provider: mailProvider,
      from: env.MAIL_FROM || 'Nyckel <nyckel@example.se>',
      apiBase: env.MAILGUN_API_BASE || 'https://api.eu.mailgun.net',
      domain: env.MAILGUN_DOMAIN ?? '',
      timeoutMs: positiveInt(env, 'MAIL_TIMEOUT_MS', 8000),
    },
    people: {
      rpId: publicOrigin.hostname,
      rpName: env.ORGANISATION_NAME ? `Nyckel – ${env.ORGANISATION_NAME}` : 'Nyckel',
      idleSeconds: positiveInt(env, 'PERSON_IDLE_MINUTES', 30) * 60,
      absoluteSeconds: positiveInt(env, 'PERSON_SESSION_HOURS', 12) * 3600,
      freshSeconds: positiveInt(env, 'STEP_UP_MINUTES', 10) * 60,
      inviteSeconds: positiveInt(env, 'INVITE_HOURS', 72) * 3600,
      certIssuers: list(env.CLIENT_CERT_ISSUERS, /\n|;/),
    },
    dataKey: readDataKeys(env),
    reminderDays: [...new Set(reminderDays)].sort((a, b) => b - a),
    identities: {
      indexKey: indexKey(env),
      reminderDaysBeforeStart: positiveInt(env, 'INITIAL_PASSWORD_REMINDER_DAYS', 3),
      directory: newHireDirectory(env),
    },
    webhook: {
      url: webhookUrl(env.WEBHOOK_URL),
      secret: typeof env.WEBHOOK_SECRET === 'string' ? env.WEBHOOK_SECRET : '',
      timeoutMs: positiveInt(env, 'WEBHOOK_TIMEOUT_MS', 8000),
    },
  };
  cache.set(env, parsed);
  return parsed;
}
