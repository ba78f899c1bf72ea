import * as v from 'valibot';
import { SERVICE_SCOPES } from '../domain/service-token';
import { Name, Password, SupportChannels, Timestamp, Username } from './fields';

/*
 * Bodies of the identity routes: the HR integration (/api/integration, routes/integration.ts),
 * the manager's search and fetch (/api/manager/identities) and the administrator's CSV import
 * and service tokens (routes/admin-identities.ts). Shapes only; the field rules (personnummer,
 * HSA-id, dates) are domain/identity-input.ts, so a CSV row and a JSON body are judged alike.
 */

const Field = (max: number) => v.pipe(v.string(), v.maxLength(max, `At most ${max} characters`));

/** PUT /api/integration/identities/{userId} (the user id comes from the path). */
export const IdentityBody = v.strictObject({
  personalNumber: v.pipe(Field(20), v.metadata({ examples: ['19850612-1234'] })),
  hsaId: v.optional(v.nullable(Field(64))),
  givenName: Field(200),
  familyName: Field(200),
  unitId: Field(64),
  startDate: v.pipe(Field(10), v.metadata({ examples: ['2026-12-01'] })),
  state: v.picklist(['new', 'active', 'ended', 'inactive']),
});

/**
 * How many identities one request may write. Cloudflare refuses a Worker invocation's D1
 * queries past 1,000 (waitUntil work included), and a new hire costs about 8 queries plus one
 * per manager or delegate e-mailed (test/integration/query-budget.test.ts measures it): 50
 * stays under the limit for a unit with up to ten managers and delegates.
 */
export const IDENTITIES_PER_REQUEST = 50;

/** The batch form: up to IDENTITIES_PER_REQUEST identities, each with its user id. */
export const IdentityBatch = v.strictObject({
  identities: v.pipe(
    v.array(v.strictObject({ userId: Field(64), ...IdentityBody.entries })),
    v.minLength(1, 'At least one identity'),
    v.maxLength(IDENTITIES_PER_REQUEST, `At most ${IDENTITIES_PER_REQUEST} identities a request`),
  ),
});

/**
 * none: no initial password (existing staff, or one who keeps an earlier password); due / fetched:
 * open; used: deleted at the first login; withdrawn: deleted because the employment ended
 * before the first login.
 */
const InitialPasswordState = v.picklist(['none', 'due', 'fetched', 'used', 'withdrawn']);

export const IdentitySummary = v.object({
  id: v.string(),
  userId: v.string(),
  givenName: v.string(),
  familyName: v.string(),
  /** Year and month only, `198506••-••••`: the day and last four are never shown. */
  personalNumberMasked: v.pipe(
    v.string(),
    v.description('The personnummer with the day and last four digits hidden'),
    v.metadata({ examples: ['198506••-••••'] }),
  ),
  hsaId: v.nullable(v.string()),
  unitId: v.string(),
  unitName: v.string(),
  startDate: v.string(),
  started: v.boolean(),
  state: v.picklist(['new', 'active', 'ended', 'inactive']),
  initialPassword: InitialPasswordState,
});
export const IdentityList = v.array(IdentitySummary);

export const UpsertResult = v.object({
  identity: IdentitySummary,
  created: v.boolean(),
  changed: v.boolean(),
  initialPassword: v.picklist(['started', 'none']),
});

const Issue = v.object({ path: v.string(), code: v.optional(v.string()), message: v.string() });

export const BatchResult = v.object({
  results: v.array(
    v.object({
      userId: v.string(),
      status: v.number(),
      result: v.optional(UpsertResult),
      error: v.optional(v.string()),
      issues: v.optional(v.array(Issue)),
    }),
  ),
});

export const FirstLoginResult = v.object({
  userId: v.string(),
  firstLoginAt: v.nullable(v.string()),
  initialPassword: v.picklist(['none', 'deleted']),
});

/** GET /api/manager/identities: the list of initial passwords to fetch. */
export const IdentityDueQuery = v.strictObject({ due: v.picklist(['true']) });

/**
 * POST /api/manager/identities/search. The query is in the body, never in the address: it may
 * be a full personnummer, and addresses end up in the edge's request logs.
 */
export const IdentitySearch = v.strictObject({
  q: v.pipe(v.string(), v.trim(), v.minLength(2, 'At least 2 characters'), v.maxLength(100)),
});

export const IdentityDetail = v.object({
  identity: IdentitySummary,
  initialPassword: v.object({
    state: InitialPasswordState,
    createdAt: v.nullable(v.string()),
    fetchCount: v.number(),
    lastFetchedAt: v.nullable(v.string()),
    firstLoginAt: v.nullable(v.string()),
    withdrawnAt: v.nullable(v.string()),
    /**
     * Where the password stands in the domain. idm: the organisation's IdM sets it, Nyckel only
     * shows it. waiting: the start date has not come, the domain does not have it yet.
     * pending: due, but not yet in the domain (`error` says why; tried every five minutes).
     * written: the domain has it, with "must change at next logon".
     */
    directory: v.object({
      state: v.picklist(['idm', 'waiting', 'pending', 'written']),
      error: v.nullable(v.string()),
      writtenAt: v.nullable(v.string()),
      triedAt: v.nullable(v.string()),
    }),
  }),
  /** Who a person without an initial password turns to: the service desk. */
  support: SupportChannels,
});

export const FetchedPassword = v.object({
  password: v.string(),
  startDate: v.string(),
  usableNow: v.boolean(),
  fetchCount: v.number(),
});

/** POST /api/integration/mailboxes/verify */
export const CredentialCheck = v.strictObject({ username: Username, password: Password });
export const CredentialResult = v.object({
  valid: v.boolean(),
  /** Only for a mailbox in the domain: right, but the domain wants it changed first. */
  mustChange: v.optional(v.literal(true)),
});

/** POST /api/admin/identities/preview and /import: the CSV file's text. */
const CsvText = v.pipe(
  v.string(),
  v.minLength(1, 'The file is empty'),
  v.maxLength(2_000_000, 'The file is larger than 2 MB'),
);

export const IdentityImport = v.strictObject({ csv: CsvText });

/**
 * The import runs in parts of IDENTITIES_PER_REQUEST rows: `from` is the index of the first
 * data row of this part (0 for the first; the answer's `next` for the following ones).
 */
export const IdentityImportPart = v.strictObject({
  csv: CsvText,
  from: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(5000)), 0),
});

export const ImportResult = v.object({
  separator: v.string(),
  rows: v.array(
    v.object({
      line: v.number(),
      userId: v.string(),
      name: v.string(),
      status: v.picklist(['ok', 'error', 'created', 'updated', 'unchanged']),
      initialPassword: v.optional(v.picklist(['started', 'none'])),
      issues: v.array(Issue),
    }),
  ),
  counts: v.object({ ok: v.number(), errors: v.number() }),
  committed: v.boolean(),
  /** Import only: data rows in the file, and where the next part starts (null: done). */
  total: v.optional(v.number()),
  next: v.optional(v.nullable(v.number())),
});

export const ServiceTokenCreate = v.strictObject({
  name: Name,
  scopes: v.pipe(v.array(v.picklist(SERVICE_SCOPES)), v.minLength(1, 'Choose at least one scope')),
  /**
   * When the token stops working (ISO 8601); at most two years away. Without it the token
   * lives until it is revoked.
   */
  expiresAt: v.optional(v.pipe(Timestamp, v.metadata({ examples: ['2027-06-30T22:00:00Z'] }))),
});

export const ServiceToken = v.object({
  id: v.string(),
  name: v.string(),
  scopes: v.array(v.string()),
  createdAt: v.string(),
  lastUsedAt: v.nullable(v.string()),
  revokedAt: v.nullable(v.string()),
  /** null: never expires. An expired token is refused like a revoked one (401). */
  expiresAt: v.nullable(v.string()),
  expired: v.boolean(),
  /** Live, and expires within 30 days: listed first and flagged in Administration. */
  expiresSoon: v.boolean(),
});
export const ServiceTokenList = v.array(ServiceToken);
export const CreatedServiceToken = v.object({ ...ServiceToken.entries, token: v.string() });
