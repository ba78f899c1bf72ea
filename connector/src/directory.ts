import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import {
  AndFilter,
  Attribute,
  Change,
  Client,
  Control,
  type Entry,
  EqualityFilter,
  type Filter,
  OrFilter,
} from 'ldapts';
import type {
  Account,
  DirectoryErrorCode,
  DomainPolicy,
} from '../../worker/domain/directory-protocol';
import { beforeWrite, DeadlinePassed } from './deadline';
import type { DirectoryConfig } from './directory-config';
import { type BindRole, refusal } from './refusals';

/*
 * The connector's only contact with Active Directory. Every operation first finds the account
 * with the low-privilege service account, inside the configured OUs only, and refuses
 * administrative accounts (adminCount=1) before anything is written or bound.
 */

// One definition, shared with the configuration loader (which must not import ldapts).
export type { DirectoryConfig } from './directory-config';

export class DirectoryError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'DirectoryError';
  }
}

/** Policy hints (Windows Server 2012 R2+): a reset then honours the domain's password history. */
const POLICY_HINTS = '1.2.840.113556.1.4.2239';
/** The same control's older OID (Windows Server 2008 R2 with an update). */
const POLICY_HINTS_DEPRECATED = '1.2.840.113556.1.4.2066';
/** BER of SEQUENCE { INTEGER 1 }: "enforce the policy". */
const POLICY_HINTS_VALUE = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]);
const UNAVAILABLE_CRITICAL_EXTENSION = 12;

const UF_ACCOUNTDISABLE = 0x2;
const UF_DONT_EXPIRE_PASSWD = 0x10000;
/** In msDS-User-Account-Control-Computed: the domain's own verdict, lockout duration included. */
const UF_LOCKOUT = 0x10;
/** maxPwdAge (and the durations) when the domain sets no limit. */
const NEVER = -9223372036854775808n;

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ACCOUNT_ATTRIBUTES = [
  'objectGUID',
  'displayName',
  'cn',
  'userAccountControl',
  'msDS-User-Account-Control-Computed',
  'lockoutTime',
  'adminCount',
  'badPwdCount',
  'badPasswordTime',
];

/** How long the domain's policy read by `health` is trusted for the lockout guard. */
const POLICY_TTL_MS = 5 * 60_000;

/** Unix milliseconds → Windows FILETIME (100-ns intervals since 1601). */
function fileTime(ms: number): bigint {
  return (BigInt(ms) + 11_644_473_600_000n) * 10_000n;
}

/** Windows FILETIME → unix seconds. */
function fileTimeToUnix(value: bigint): number {
  return Number(value / 10_000_000n - 11_644_473_600n);
}

/** The subset of asn1's BerWriter a control value needs. */
interface BerWriterLike {
  writeBuffer(buffer: Buffer, tag: number): void;
}

class PolicyHintsControl extends Control {
  constructor(oid: string) {
    // Critical: a server that cannot honour it must refuse, not silently reset without history.
    super(oid, { critical: true });
  }

  protected override writeControl(writer: BerWriterLike): void {
    writer.writeBuffer(POLICY_HINTS_VALUE, 0x04);
  }
}

/** objectGUID bytes → the usual string form (the first three groups are little-endian). */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16)
    throw new DirectoryError('directory_error', 'objectGUID is not 16 bytes');
  const hex = (indexes: number[]) =>
    indexes.map((i) => (bytes[i] ?? 0).toString(16).padStart(2, '0')).join('');
  return [
    hex([3, 2, 1, 0]),
    hex([5, 4]),
    hex([7, 6]),
    hex([8, 9]),
    hex([10, 11, 12, 13, 14, 15]),
  ].join('-');
}

/** The string form → objectGUID bytes. */
export function guidToBytes(guid: string): Buffer {
  const lower = guid.toLowerCase();
  if (!GUID_PATTERN.test(lower)) throw new DirectoryError('not_found', 'not a GUID');
  const hex = lower.replace(/-/g, '');
  const byte = (i: number) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map(byte));
}

/** A filter value for text (RFC 4515): the characters that would change the filter. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A DN in one canonical form for comparison: case and spaces around separators ignored. */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .replace(/\s*([,=+])\s*/g, '$1')
    .toLowerCase();
}

const unicodePwd = (password: string) => Buffer.from(`"${password}"`, 'utf16le');

/** The first value of an attribute as text, if any. */
function text(entry: Entry, name: string): string | undefined {
  const value = entry[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

function integer(entry: Entry, name: string): bigint | undefined {
  const value = text(entry, name);
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return BigInt(value);
}

/** A negative 100-ns interval (AD's durations) → seconds; "never" → 0. */
function seconds(entry: Entry, name: string): number {
  const value = integer(entry, name);
  if (value === undefined || value === NEVER) return 0;
  const abs = value < 0n ? -value : value;
  return Number(abs / 10_000_000n);
}

interface Found {
  account: Account;
  protected: boolean;
  /** DONT_EXPIRE_PASSWORD: the domain then ignores pwdLastSet=0. */
  passwordNeverExpires: boolean;
  /** The domain's count of recent wrong passwords, and when the last one was (FILETIME). */
  badPwdCount: number;
  badPasswordTime: bigint;
}

export class Directory {
  private readonly ous: string[];
  private readonly ca?: Buffer;
  private readonly host: string;
  /** The service account's connection, bound; replaced when it fails. */
  private service?: Promise<Client>;
  private policyCache?: { policy: DomainPolicy; at: number };
  /** The last bind or change queued per account (objectGUID). */
  private readonly accountQueue = new Map<string, Promise<void>>();
  /** The policy-hints OID the domain honours; null when it honours neither; unknown at first. */
  private policyHints?: string | null;

  constructor(private readonly cfg: DirectoryConfig) {
    const url = new URL(cfg.url);
    if (url.protocol !== 'ldaps:' && !(url.protocol === 'ldap:' && cfg.startTls)) {
      // Simple binds and unicodePwd carry passwords: never without TLS.
      throw new DirectoryError('directory_error', 'the directory URL needs ldaps:// or StartTLS');
    }
    if (cfg.ous.length === 0) throw new DirectoryError('directory_error', 'no OUs configured');
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.ous = cfg.ous.map((ou) => ou.trim());
    this.ca = cfg.caFile ? readFileSync(cfg.caFile) : undefined;
  }

  /** Signs in as the account: the current password is right, or the domain's refusal. */
  async verify(guid: string, password: string): Promise<void> {
    return this.oneAtATime(guid, () => this.verifyNow(guid, password));
  }

  private async verifyNow(guid: string, password: string): Promise<void> {
    const found = await this.resolve(guid);
    // A locked account gets no bind at all: Nyckel never adds a failed attempt to it. Nor does
    // one that a single further failure would lock (failures elsewhere, in Treserva or at a
    // Windows logon, count too): nothing done through Nyckel can lock an account.
    if (found.account.locked || (await this.oneFailureFromLockout(found))) {
      throw new DirectoryError('locked');
    }
    // AD treats a simple bind with an empty password as anonymous, and anonymous succeeds.
    if (password.length === 0) throw new DirectoryError('wrong_password');
    const client = await this.connect();
    try {
      beforeWrite();
      await client.bind(found.account.dn, password);
    } catch (error) {
      throw this.toError(error, 'user');
    } finally {
      await client.unbind().catch(() => {});
    }
  }

  /**
   * Binds and changes of one account run one after the other, so each reads the domain's
   * count of wrong passwords after the one before it has landed: parallel guesses cannot all
   * pass the lockout guard together.
   */
  private oneAtATime<T>(guid: string, fn: () => Promise<T>): Promise<T> {
    const before = this.accountQueue.get(guid) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.accountQueue.set(guid, settled);
    void settled.then(() => {
      if (this.accountQueue.get(guid) === settled) this.accountQueue.delete(guid);
    });
    return run;
  }

  /**
   * Changes the password as its owner would: delete the old value, add the new one. AD lets
   * anyone who knows the old password do this, even when the account must change its password
   * and so cannot bind; the domain's history, minimum age and complexity apply.
   */
  async change(guid: string, oldPassword: string, newPassword: string): Promise<void> {
    return this.oneAtATime(guid, () => this.changeNow(guid, oldPassword, newPassword));
  }

  private async changeNow(guid: string, oldPassword: string, newPassword: string): Promise<void> {
    const found = await this.resolve(guid);
    // A wrong old password counts as a failed attempt, as a bind does.
    if (found.account.locked || (await this.oneFailureFromLockout(found))) {
      throw new DirectoryError('locked');
    }
    await this.modify(found.account.dn, [
      new Change({
        operation: 'delete',
        modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(oldPassword)] }),
      }),
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(newPassword)] }),
      }),
    ]);
  }

  /**
   * Sets a new password as the service account, asking the domain to apply its history
   * (policy hints). Samba ignores that control, so there the reset reports `history: 'none'`.
   * Then unlocks, and with `mustChange` expires the new password at once.
   */
  async reset(
    guid: string,
    newPassword: string,
    mustChange: boolean,
  ): Promise<{ history: 'domain' | 'none' }> {
    const found = await this.resolve(guid);
    if (mustChange) refuseNeverExpires(found);
    // One modify: the password, the unlock and "must change" land together or not at all.
    const replace = () => {
      const changes = [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(newPassword)] }),
        }),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'lockoutTime', values: ['0'] }),
        }),
      ];
      if (mustChange) {
        changes.push(
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }),
          }),
        );
      }
      return changes;
    };
    let history: 'domain' | 'none' = 'domain';
    let done = false;
    // Which control the domain honours is learnt once: a domain that refused both (Samba)
    // is not asked twice more on every reset.
    const candidates =
      this.policyHints === undefined
        ? [POLICY_HINTS, POLICY_HINTS_DEPRECATED]
        : this.policyHints === null
          ? []
          : [this.policyHints];
    for (const oid of candidates) {
      try {
        await this.modify(found.account.dn, replace(), new PolicyHintsControl(oid), true);
        this.policyHints = oid;
        done = true;
        break;
      } catch (error) {
        if (!isResultCode(error, UNAVAILABLE_CRITICAL_EXTENSION)) throw this.toError(error);
      }
    }
    if (!done) {
      this.policyHints = null;
      await this.modify(found.account.dn, replace());
      history = 'none';
    }
    return { history };
  }

  /** lockoutTime=0: the domain's lock is lifted (a reset alone does not). */
  async unlock(guid: string): Promise<void> {
    const found = await this.resolve(guid);
    await this.modify(found.account.dn, [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'lockoutTime', values: ['0'] }),
      }),
    ]);
  }

  /** pwdLastSet=0: the account must change its password at next logon. */
  async mustChange(guid: string): Promise<void> {
    const found = await this.resolve(guid);
    refuseNeverExpires(found);
    await this.modify(found.account.dn, [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }),
      }),
    ]);
  }

  /**
   * The account with this username inside the configured OUs, or null; an administrative
   * account there is refused rather than offered for import.
   */
  async find(username: string): Promise<Account | null> {
    return (await this.findBy(this.cfg.userAttribute, username))?.account ?? null;
  }

  /**
   * A new hire's initial password: the one account whose `attribute` is `value` inside the
   * configured OUs gets it, unlocked and with "must change at next logon". Nothing is created:
   * an account the IdM system has not made yet is `not_found`, and the job is tried again.
   */
  async initial(attribute: string, value: string, newPassword: string): Promise<{ guid: string }> {
    const found = await this.findBy(attribute, value);
    if (!found) throw new DirectoryError('not_found');
    await this.reset(found.account.guid, newPassword, true);
    return { guid: found.account.guid };
  }

  /**
   * pwdLastSet of up to a hundred accounts, in one search per OU: 0 means the initial password
   * is still the one to use; anything else means someone chose a password since. Accounts not
   * found inside the OUs are left out.
   */
  async passwordState(
    guids: string[],
  ): Promise<{ guid: string; mustChange: boolean; passwordSetAt: number | null }[]> {
    const filter = new AndFilter({
      filters: [
        new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
        new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
        new OrFilter({
          filters: guids.map(
            (guid) => new EqualityFilter({ attribute: 'objectGUID', value: guidToBytes(guid) }),
          ),
        }),
      ],
    });
    const seen = new Map<
      string,
      { guid: string; mustChange: boolean; passwordSetAt: number | null }
    >();
    for (const ou of this.ous) {
      const suffix = `,${normalizeDn(ou)}`;
      const entries = await this.search(ou, {
        scope: 'sub',
        filter,
        attributes: ['objectGUID', 'pwdLastSet', 'adminCount'],
        explicitBufferAttributes: ['objectGUID'],
      });
      for (const entry of entries) {
        if (!normalizeDn(entry.dn).endsWith(suffix)) continue;
        if (integer(entry, 'adminCount') === 1n) continue;
        const raw = Array.isArray(entry.objectGUID) ? entry.objectGUID[0] : entry.objectGUID;
        if (!Buffer.isBuffer(raw)) continue;
        const guid = guidToString(raw);
        const set = integer(entry, 'pwdLastSet') ?? 0n;
        seen.set(guid, {
          guid,
          mustChange: set === 0n,
          passwordSetAt: set === 0n ? null : fileTimeToUnix(set),
        });
      }
    }
    return [...seen.values()];
  }

  /** The one account inside the configured OUs whose `attribute` is `value`; protected ones refused. */
  private async findBy(attribute: string, value: string): Promise<Found | null> {
    const filter = userFilter(`(${attribute}=${escapeFilterValue(value)})`);
    const found: Found[] = [];
    for (const ou of this.ous) found.push(...(await this.searchAccounts(ou, 'sub', filter)));
    if (found.length === 0) return null;
    if (found.length > 1) {
      throw new DirectoryError('directory_error', `${found.length} accounts have that username`);
    }
    const [only] = found;
    if (!only) return null;
    if (only.protected) throw new DirectoryError('protected_account');
    return only;
  }

  /** The accounts directly in one configured OU, or in all of them; administrative ones left out. */
  async list(ou?: string): Promise<Account[]> {
    let ous = this.ous;
    if (ou !== undefined) {
      const wanted = normalizeDn(ou);
      const match = this.ous.find((o) => normalizeDn(o) === wanted);
      if (!match) throw new DirectoryError('outside_scope', 'not a configured OU');
      ous = [match];
    }
    const accounts: Account[] = [];
    for (const base of ous) {
      for (const found of await this.searchAccounts(base, 'one', userFilter())) {
        if (!found.protected) accounts.push(found.account);
      }
    }
    return accounts.sort((a, b) => a.username.localeCompare(b.username));
  }

  /** The domain's password and lockout policy, read with the service account. */
  async health(): Promise<DomainPolicy> {
    const result = await this.search(this.cfg.baseDn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: [
        'lockoutThreshold',
        'lockoutDuration',
        'lockOutObservationWindow',
        'minPwdLength',
        'pwdHistoryLength',
        'minPwdAge',
        'maxPwdAge',
        'pwdProperties',
      ],
    });
    const root = result[0];
    if (!root) throw new DirectoryError('directory_error', 'the base DN was not found');
    const count = (name: string) => {
      const value = integer(root, name);
      return value === undefined || value < 0n ? 0 : Number(value);
    };
    return {
      lockoutThreshold: count('lockoutThreshold'),
      lockoutDurationSeconds: seconds(root, 'lockoutDuration'),
      observationWindowSeconds: seconds(root, 'lockOutObservationWindow'),
      minPasswordLength: count('minPwdLength'),
      historyLength: count('pwdHistoryLength'),
      minPasswordAgeSeconds: seconds(root, 'minPwdAge'),
      maxPasswordAgeSeconds: seconds(root, 'maxPwdAge'),
      // DOMAIN_PASSWORD_COMPLEX
      complexity: (count('pwdProperties') & 1) === 1,
    };
  }

  /**
   * Whether the account's recent wrong passwords (inside the domain's observation window) are
   * one short of its lockout threshold. badPwdCount is kept per domain controller in AD; this
   * reads the one the connector talks to, which is the one its binds count on.
   */
  private async oneFailureFromLockout(found: Found): Promise<boolean> {
    if (!this.policyCache || Date.now() - this.policyCache.at > POLICY_TTL_MS) {
      this.policyCache = { policy: await this.health(), at: Date.now() };
    }
    const { lockoutThreshold, observationWindowSeconds } = this.policyCache.policy;
    // Threshold 1: any wrong password would lock, so no bind is ever safe.
    if (lockoutThreshold === 0) return false;
    const windowStart = fileTime(Date.now() - observationWindowSeconds * 1000);
    const recent = found.badPasswordTime > windowStart ? found.badPwdCount : 0;
    return recent >= lockoutThreshold - 1;
  }

  async close(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    if (!service) return;
    const client = await service.catch(() => undefined);
    await client?.unbind().catch(() => {});
  }

  /** The account by objectGUID inside the configured OUs; why not, otherwise. */
  private async resolve(guid: string): Promise<Found> {
    // A filter object, not text: ldapts turns a text filter's \xx escapes into characters and
    // sends them as UTF-8, which mangles every byte above 0x7f of a binary value.
    const filter = new AndFilter({
      filters: [
        new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
        new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
        new EqualityFilter({ attribute: 'objectGUID', value: guidToBytes(guid) }),
      ],
    });
    for (const ou of this.ous) {
      const [found] = await this.searchAccounts(ou, 'sub', filter);
      if (found) {
        if (found.protected) throw new DirectoryError('protected_account');
        return found;
      }
    }
    const elsewhere = await this.search(this.cfg.baseDn, {
      scope: 'sub',
      filter,
      attributes: ['1.1'],
    });
    throw new DirectoryError(elsewhere.length > 0 ? 'outside_scope' : 'not_found');
  }

  private async searchAccounts(
    base: string,
    scope: 'one' | 'sub',
    filter: Filter | string,
  ): Promise<Found[]> {
    const entries = await this.search(base, {
      scope,
      filter,
      attributes: [...ACCOUNT_ATTRIBUTES, this.cfg.userAttribute],
      explicitBufferAttributes: ['objectGUID'],
    });
    const suffix = `,${normalizeDn(base)}`;
    return entries
      .filter((entry) => normalizeDn(entry.dn).endsWith(suffix))
      .map((entry) => this.toFound(entry));
  }

  private toFound(entry: Entry): Found {
    const rawGuid = entry.objectGUID;
    const guidBytes = Array.isArray(rawGuid) ? rawGuid[0] : rawGuid;
    if (!Buffer.isBuffer(guidBytes)) {
      throw new DirectoryError('directory_error', 'an account without objectGUID');
    }
    const uac = Number(integer(entry, 'userAccountControl') ?? 0n);
    const computed = integer(entry, 'msDS-User-Account-Control-Computed');
    // The computed flag knows the lockout duration; lockoutTime stays set after a lock expires.
    const locked =
      computed !== undefined
        ? (Number(computed) & UF_LOCKOUT) !== 0
        : (integer(entry, 'lockoutTime') ?? 0n) > 0n;
    const username = text(entry, this.cfg.userAttribute) ?? '';
    return {
      account: {
        guid: guidToString(guidBytes),
        username: username.slice(0, 256),
        displayName: (text(entry, 'displayName') ?? text(entry, 'cn') ?? username).slice(0, 256),
        dn: entry.dn,
        disabled: (uac & UF_ACCOUNTDISABLE) !== 0,
        locked,
      },
      protected: integer(entry, 'adminCount') === 1n,
      passwordNeverExpires: (uac & UF_DONT_EXPIRE_PASSWD) !== 0,
      badPwdCount: Number(integer(entry, 'badPwdCount') ?? 0n),
      badPasswordTime: integer(entry, 'badPasswordTime') ?? 0n,
    };
  }

  /** A search as the service account; a dropped connection is retried once on a fresh one. */
  private async search(base: string, options: Parameters<Client['search']>[1]): Promise<Entry[]> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.serviceClient();
      try {
        // AD returns at most 1000 entries a page (MaxPageSize): page every search but a base one.
        const paged = options?.scope === 'base' ? {} : { paged: { pageSize: 500 } };
        const result = await client.search(base, { ...options, ...paged });
        return result.searchEntries;
      } catch (error) {
        if (isResultCode(error, 32)) return [];
        const failure = this.toError(error);
        if (failure.code !== 'unavailable' || attempt > 0) throw failure;
        this.drop(client);
      }
    }
  }

  /**
   * A modify as the service account. Not retried: a change that reached the server before the
   * connection failed must not be sent twice (the second would fail on the old password).
   */
  private async modify(
    dn: string,
    changes: Change[],
    control?: Control,
    raw = false,
  ): Promise<void> {
    const client = await this.serviceClient();
    try {
      beforeWrite();
    } catch (error) {
      throw this.toError(error);
    }
    try {
      await client.modify(dn, changes, control);
    } catch (error) {
      if (!isResultCode(error)) this.drop(client);
      if (raw) throw error;
      throw this.toError(error);
    }
  }

  private serviceClient(): Promise<Client> {
    const current = this.service;
    if (current) {
      return current.then(
        (client) => {
          if (client.isConnected) return client;
          this.drop(client);
          return this.serviceClient();
        },
        () => {
          this.service = undefined;
          return this.serviceClient();
        },
      );
    }
    const next = (async () => {
      const client = await this.connect();
      try {
        await client.bind(this.cfg.bindDn, this.cfg.bindPassword);
      } catch (error) {
        await client.unbind().catch(() => {});
        throw this.toError(error, 'service');
      }
      return client;
    })();
    this.service = next;
    // A failed bind is reported to this caller; the next operation tries afresh.
    next.catch(() => {
      if (this.service === next) this.service = undefined;
    });
    return next;
  }

  private drop(client: Client): void {
    this.service = undefined;
    client.unbind().catch(() => {});
  }

  /** A new connection, TLS from the first byte or after StartTLS; nothing bound yet. */
  private async connect(): Promise<Client> {
    const ldaps = this.cfg.url.startsWith('ldaps:');
    const client = new Client({
      url: this.cfg.url,
      timeout: this.cfg.timeoutMs,
      connectTimeout: this.cfg.timeoutMs,
      // ldapts speaks TLS from the start whenever tlsOptions is given, even on ldap://.
      ...(ldaps ? { tlsOptions: this.tlsOptions() } : {}),
    });
    if (!ldaps) {
      try {
        // A fresh object each time: ldapts writes the plain socket into the one it is given.
        await client.startTLS({ ...this.tlsOptions(), host: this.host });
      } catch (error) {
        await client.unbind().catch(() => {});
        throw this.toError(error);
      }
    }
    return client;
  }

  private tlsOptions(): ConnectionOptions {
    return {
      ...(this.ca ? { ca: this.ca } : {}),
      // SNI takes host names only.
      ...(isIP(this.host) === 0 ? { servername: this.host } : {}),
      minVersion: 'TLSv1.2',
    };
  }

  private toError(error: unknown, role?: BindRole): DirectoryError {
    if (error instanceof DirectoryError) return error;
    if (error instanceof DeadlinePassed) return new DirectoryError('expired_job', error.message);
    const { code, detail } = refusal(error, role);
    return new DirectoryError(code, detail);
  }
}

/**
 * With "password never expires" set, AD (Windows and Samba alike) ignores pwdLastSet=0: the
 * account would keep a password someone else chose. Refused before anything is written.
 */
function refuseNeverExpires(found: Found): void {
  if (found.passwordNeverExpires) {
    throw new DirectoryError(
      'directory_error',
      'the password never expires (DONT_EXPIRE_PASSWORD), so the domain would ignore "must change"',
    );
  }
}

/** Person user objects (not computers), optionally narrowed. */
function userFilter(extra = ''): string {
  return `(&(objectCategory=person)(objectClass=user)${extra})`;
}

function isResultCode(error: unknown, code?: number): boolean {
  if (!(error instanceof Error)) return false;
  const value = (error as Error & { code?: unknown }).code;
  return typeof value === 'number' && (code === undefined || value === code);
}
