import * as v from 'valibot';
import { fromBase64Url, toBase64Url, utf8 } from './bytes';

/*
 * The wire protocol between the DirectoryHub (a Durable Object in the worker) and the
 * directory connector (a Node program inside the municipal network). Both sides import this
 * module, so it holds no runtime imports besides valibot and Web Crypto.
 *
 * 1. The connector dials out: a WebSocket to `<PUBLIC_ORIGIN>/api/connector`.
 * 2. The hub sends `challenge` with a fresh random nonce.
 * 3. The connector answers `hello`, signing `challengeText(origin, connectorId, nonce)` with its
 *    Ed25519 key; an administrator registered the public half. A nonce is good for one answer
 *    on one socket only, so nothing captured can be replayed.
 * 4. The hub answers `ready` with a fresh session key encrypted to the connector's RSA key,
 *    then sends `job`s, each with an HMAC made with that key, so nobody between the two (who
 *    sees only ciphertext of the key) can make a job the connector accepts. The connector
 *    answers each job with one `result`. A job carries an id and an absolute expiry at most
 *    JOB_MAX_TTL_MS ahead; the connector drops expired jobs and ids it has seen. Passwords in
 *    jobs are JWEs to the connector's RSA key (worker/domain/webhook.ts), so the hub's logs
 *    cannot read them.
 */

export const PROTOCOL = 'nyckel-connector-v1';

/** How long the worker waits for a job's result before answering 503. */
export const JOB_WAIT_MS = 8_000;
/** The latest expiry a job may carry; the connector refuses anything further out. */
export const JOB_MAX_TTL_MS = 10_000;
/** An unauthenticated socket that has not answered its challenge by then is closed. */
export const HELLO_TIMEOUT_MS = 10_000;

/** The exact bytes a connector signs to answer a challenge. */
export function challengeText(
  origin: string,
  connectorId: string,
  nonce: string,
): Uint8Array<ArrayBuffer> {
  return utf8(`${PROTOCOL}\n${origin}\n${connectorId}\n${nonce}`);
}

/**
 * Answers about the person's password or account, which the caller turns into its own reply.
 * Each comes from one bind or modify result, mapped by the connector (connector/src/refusals.ts).
 */
export const REFUSAL_CODES = [
  /** Bind 52e, or 00000056 on a change: the password given is not the account's. */
  'wrong_password',
  /** Bind 775, or lockoutTime set: the domain has locked the account. */
  'locked',
  /** Bind 773 (must change at next logon) or 532 (expired): the password was right. */
  'must_change',
  /** Bind 533: the account is disabled. */
  'disabled',
  /** Bind 701: the account has expired. */
  'account_expired',
  /** 0000052D: the domain's own policy (history, minimum age, complexity, length). */
  'domain_policy',
  /** 0000052D where the domain says the password is in its history (Samba says so). */
  'domain_reused',
  /** 0000052D where the domain says the current password is too young to change (Samba). */
  'domain_too_recent',
] as const;

/** Results that say something is wrong with the connector, its delegation or the domain's reach. */
export const OPERATOR_ERROR_CODES = [
  /** insufficientAccessRights (50): the service account lacks a delegated right. */
  'insufficient_rights',
  /** No such account inside the configured OUs. */
  'not_found',
  /** The account lies outside the configured OUs. */
  'outside_scope',
  /** adminCount=1: a protected (administrative) account, never touched. */
  'protected_account',
  /** The job expired or repeated an id already seen. */
  'expired_job',
  /** No domain controller answered. */
  'unavailable',
  /** Anything else; `detail` names it for the administrator, never a password. */
  'directory_error',
] as const;

/** The closed set of directory refusals; each has a Swedish and English text in the worker. */
export const DIRECTORY_ERRORS = [...REFUSAL_CODES, ...OPERATOR_ERROR_CODES] as const;

export type DirectoryErrorCode = (typeof DIRECTORY_ERRORS)[number];

/** What a connector reports of an account. `guid` is objectGUID in its usual string form. */
export const Account = v.object({
  guid: v.pipe(
    v.string(),
    v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  ),
  username: v.pipe(v.string(), v.maxLength(256)),
  displayName: v.pipe(v.string(), v.maxLength(256)),
  dn: v.pipe(v.string(), v.maxLength(1024)),
  disabled: v.boolean(),
  locked: v.boolean(),
});
export type Account = v.InferOutput<typeof Account>;

/** The domain's password and lockout policy, read from the domain's root object. */
export const DomainPolicy = v.object({
  /** Failed binds before the domain locks an account; 0 means it never locks. */
  lockoutThreshold: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lockoutDurationSeconds: v.pipe(v.number(), v.minValue(0)),
  observationWindowSeconds: v.pipe(v.number(), v.minValue(0)),
  minPasswordLength: v.pipe(v.number(), v.integer(), v.minValue(0)),
  historyLength: v.pipe(v.number(), v.integer(), v.minValue(0)),
  minPasswordAgeSeconds: v.pipe(v.number(), v.minValue(0)),
  /** 0 when passwords never expire. */
  maxPasswordAgeSeconds: v.pipe(v.number(), v.minValue(0)),
  complexity: v.boolean(),
});
export type DomainPolicy = v.InferOutput<typeof DomainPolicy>;

const Guid = Account.entries.guid;
const Jwe = v.pipe(
  v.string(),
  v.maxLength(4096),
  v.regex(/^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/),
);

/** An LDAP attribute name (its short name, as a filter would use it). */
const LdapAttributeName = v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/));

/** The most accounts one password_state job asks about. */
export const PASSWORD_STATE_MAX = 100;

/** Every operation with its arguments and the value of a successful result. */
export const Operations = {
  /** Bind as the account with the password: sign-in with the current password. */
  verify: { args: v.object({ guid: Guid, password: Jwe }), value: v.object({}) },
  /** Delete the old unicodePwd and add the new one: the domain's history and minimum age apply. */
  change: {
    args: v.object({ guid: Guid, oldPassword: Jwe, newPassword: Jwe }),
    value: v.object({}),
  },
  /**
   * Replace unicodePwd with the policy-hints control, then lockoutTime=0; with `mustChange`,
   * also pwdLastSet=0. `history` says whether the domain enforced its history ('domain': the
   * control was honoured) or not ('none': Samba, which ignores it).
   */
  reset: {
    args: v.object({ guid: Guid, newPassword: Jwe, mustChange: v.boolean() }),
    value: v.object({ history: v.picklist(['domain', 'none']) }),
  },
  unlock: { args: v.object({ guid: Guid }), value: v.object({}) },
  must_change: { args: v.object({ guid: Guid }), value: v.object({}) },
  /** By sAMAccountName (or the configured attribute), inside the configured OUs only. */
  find: {
    args: v.object({ username: v.pipe(v.string(), v.minLength(1), v.maxLength(256)) }),
    value: v.object({ account: v.nullable(Account) }),
  },
  /** The accounts directly in one configured OU (or in all of them), for an import. */
  list: {
    args: v.object({ ou: v.optional(v.pipe(v.string(), v.maxLength(1024))) }),
    value: v.object({ accounts: v.array(Account) }),
  },
  health: { args: v.object({}), value: v.object({ policy: DomainPolicy }) },
  /**
   * A new hire's initial password: the one account whose `attribute` is `value`, inside the
   * configured OUs, gets the password, lockoutTime=0 and pwdLastSet=0 (must change at first
   * logon) in one modify. The IdM system creates the account; this never does.
   */
  initial: {
    args: v.object({
      attribute: LdapAttributeName,
      value: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
      newPassword: Jwe,
    }),
    value: v.object({ guid: Guid }),
  },
  /**
   * Whether each account still has to choose its own password (pwdLastSet is 0). An account
   * that is gone, or now outside the configured OUs, is left out of the answer.
   */
  password_state: {
    args: v.object({
      guids: v.pipe(v.array(Guid), v.minLength(1), v.maxLength(PASSWORD_STATE_MAX)),
    }),
    value: v.object({
      accounts: v.array(
        v.object({
          guid: Guid,
          mustChange: v.boolean(),
          /** When the current password was set (unix seconds); null while it must change. */
          passwordSetAt: v.nullable(v.number()),
        }),
      ),
    }),
  },
} as const;

export type Operation = keyof typeof Operations;
export const OPERATIONS = Object.keys(Operations) as Operation[];
export type OperationArgs<O extends Operation> = v.InferOutput<(typeof Operations)[O]['args']>;
export type OperationValue<O extends Operation> = v.InferOutput<(typeof Operations)[O]['value']>;

const Id = v.pipe(v.string(), v.regex(/^[\w-]{16,64}$/));

/** Hub → connector. */
export const HubMessage = v.variant('type', [
  v.object({ type: v.literal('challenge'), nonce: Id, origin: v.string() }),
  v.object({
    type: v.literal('ready'),
    connectorId: Id,
    /** This connection's job key (32 random bytes, base64url), as a JWE to the connector. */
    sessionKey: Jwe,
  }),
  v.object({
    type: v.literal('job'),
    id: Id,
    /** Unix milliseconds. */
    expiresAt: v.number(),
    op: v.picklist(OPERATIONS),
    args: v.record(v.string(), v.unknown()),
    /** HMAC-SHA256 with the session key over jobMacText, base64url. */
    mac: v.pipe(v.string(), v.regex(/^[\w-]{43}$/)),
  }),
]);
export type HubMessage = v.InferOutput<typeof HubMessage>;

/** Connector → hub. */
export const ConnectorMessage = v.variant('type', [
  v.object({
    type: v.literal('hello'),
    connectorId: Id,
    /** Ed25519 over challengeText(origin, connectorId, nonce), base64url. */
    signature: v.pipe(v.string(), v.maxLength(128)),
    version: v.pipe(v.string(), v.maxLength(64)),
    /** The domain controller it talks to, for the administrator (host name, no secrets). */
    domainController: v.pipe(v.string(), v.maxLength(256)),
  }),
  v.object({
    type: v.literal('result'),
    id: Id,
    ok: v.literal(true),
    value: v.record(v.string(), v.unknown()),
  }),
  v.object({
    type: v.literal('result'),
    id: Id,
    ok: v.literal(false),
    error: v.picklist(DIRECTORY_ERRORS),
    /** For the administrator's view of recent errors; never a password. */
    detail: v.optional(v.pipe(v.string(), v.maxLength(500))),
  }),
]);
export type ConnectorMessage = v.InferOutput<typeof ConnectorMessage>;

/** The public keys an administrator registers for a connector (its `keys` command prints them). */
export const ConnectorKeys = v.object({
  signingKey: v.object({
    kty: v.literal('OKP'),
    crv: v.literal('Ed25519'),
    x: v.pipe(v.string(), v.regex(/^[\w-]{43}$/)),
  }),
  encryptionKey: v.object({ kty: v.literal('RSA'), n: v.string(), e: v.string() }),
});
export type ConnectorKeys = v.InferOutput<typeof ConnectorKeys>;

/**
 * What a job's MAC covers. TLS alone would let whoever terminates it (a TLS-inspecting
 * firewall in the municipal network, say) send jobs of its own; the session key reaches only
 * the connector (it is encrypted to the connector's key), so only the hub can make a job the
 * connector accepts. `args` is the object as sent: JSON keeps the order of its members.
 */
export function jobMacText(job: {
  id: string;
  expiresAt: number;
  op: string;
  args: Record<string, unknown>;
}): Uint8Array<ArrayBuffer> {
  return utf8(
    `${PROTOCOL}\njob\n${job.id}\n${job.expiresAt}\n${job.op}\n${JSON.stringify(job.args)}`,
  );
}

function hmacKey(sessionKey: string): Promise<CryptoKey> {
  const raw = fromBase64Url(sessionKey);
  if (raw?.length !== 32) throw new Error('a session key is 32 bytes');
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

export async function jobMac(
  sessionKey: string,
  job: Parameters<typeof jobMacText>[0],
): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(sessionKey), jobMacText(job));
  return toBase64Url(new Uint8Array(mac));
}

/** Whether a job's MAC is the session key's; constant time (Web Crypto's verify). */
export async function jobMacValid(
  sessionKey: string,
  job: Parameters<typeof jobMacText>[0] & { mac: string },
): Promise<boolean> {
  const mac = fromBase64Url(job.mac);
  if (!mac) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(sessionKey), mac, jobMacText(job));
}

/**
 * A connector's id: the JWK thumbprint (RFC 7638, SHA-256, base64url) of its signing key, so
 * the connector needs no id of its own in its configuration and the administrator can compare
 * what the connector prints with what the registration shows.
 */
export async function connectorIdOf(signingKey: ConnectorKeys['signingKey']): Promise<string> {
  const canonical = JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x: signingKey.x });
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(canonical))));
}

/** Parses one frame; null for anything that is not JSON of the expected shape. */
export function parseFrame<S extends v.GenericSchema>(
  schema: S,
  data: string | ArrayBuffer,
): v.InferOutput<S> | null {
  // A list of a large OU is the biggest answer; 1 MiB is what a WebSocket message may carry.
  if (typeof data !== 'string' || data.length > 1024 * 1024) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = v.safeParse(schema, json);
  return parsed.success ? parsed.output : null;
}
