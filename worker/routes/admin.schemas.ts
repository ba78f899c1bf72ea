import * as v from 'valibot';
import { parseHsaId } from '../domain/hsa-id';
import {
  AuditBefore,
  AuditLimit,
  Email,
  Id,
  Password,
  PersonName,
  PhoneInput,
  SafeNameCharacters,
  Timestamp,
  UnitRole,
  Username,
} from './fields';

/*
 * Request and response bodies of the administrator's routes (/api/admin, routes/admin.ts), as
 * valibot schemas: the routes validate with them and /api/openapi.json is generated from them.
 * The mailbox list and the audit page answer with the pieces the manager's routes use too
 * (fields.ts); the directory, the webhook and the identities have their own files.
 */

/**
 * A unit's or a mailbox's name: trimmed, 1–100 characters, with no control, format, bidi or
 * line-separator character (names end up in e-mails, SMS, the audit log and CSV exports, and a
 * zero-width space would make two units look alike). Not fields.ts's Name: this one also
 * refuses more than 200 characters before the trim.
 */
const DisplayName = v.pipe(
  v.string(),
  v.maxLength(200),
  v.trim(),
  v.minLength(1, 'A name is 1–100 characters'),
  v.maxLength(100, 'A name is 1–100 characters'),
  SafeNameCharacters,
);

/**
 * HSA-id (Inera's identity catalogue), the SERIALNUMBER of a SITHS card: the issuing
 * organisation's `SE` + organisation number (10 digits, or 12 with the `16` prefix), a hyphen,
 * and 1–31 letters or digits. The same rule as the identities' HSA-id (domain/hsa-id.ts), so a
 * person and an identity can carry the same id; stored upper case, as the certificate has it.
 */
const HsaId = v.pipe(
  v.string(),
  v.maxLength(64),
  v.check((s) => parseHsaId(s).ok, 'An HSA-id looks like SE2321000016-1234'),
  v.transform((s) => s.trim().toUpperCase()),
  v.metadata({ examples: ['SE2321000016-1234'] }),
);

function notEmpty(input: Record<string, unknown>): boolean {
  return Object.values(input).some((value) => value !== undefined);
}

const NOTHING_TO_CHANGE = 'Give at least one field to change';

export const UnitWrite = v.strictObject({ name: DisplayName });

export const MailboxCreate = v.strictObject({
  username: Username,
  displayName: DisplayName,
  unitId: Id,
  /** Typed by the administrator; without it a readable one is generated and shown once. */
  password: v.optional(Password),
});

export const MailboxUpdate = v.pipe(
  v.strictObject({
    displayName: v.optional(DisplayName),
    unitId: v.optional(Id),
    disabled: v.optional(v.boolean()),
  }),
  v.check(notEmpty, NOTHING_TO_CHANGE),
);

export const MailboxFilter = v.strictObject({ unitId: v.optional(Id) });

export const PersonCreate = v.strictObject({
  name: PersonName,
  email: Email,
  phone: v.optional(v.nullable(PhoneInput)),
  hsaId: v.optional(v.nullable(HsaId)),
  isAdmin: v.optional(v.boolean()),
});

export const PersonUpdate = v.pipe(
  v.strictObject({
    name: v.optional(PersonName),
    /** null removes the number or HSA-id. */
    phone: v.optional(v.nullable(PhoneInput)),
    hsaId: v.optional(v.nullable(HsaId)),
    isAdmin: v.optional(v.boolean()),
    disabled: v.optional(v.boolean()),
  }),
  v.check(notEmpty, NOTHING_TO_CHANGE),
);

export const RoleWrite = v.strictObject({ role: UnitRole });

export const InviteRequest = v.strictObject({});

export const NetworksWrite = v.strictObject({
  cidrs: v.pipe(
    v.array(v.pipe(v.string(), v.maxLength(64))),
    v.maxLength(100, 'At most 100 entries'),
    v.metadata({ examples: [['10.0.0.0/8', '2001:db8:aaaa::/48']] }),
  ),
  /** Required to empty the list or remove more than half of its entries. */
  confirm: v.optional(v.boolean()),
});

/** An ISO date (a whole UTC day) or an ISO timestamp. */
const Instant = v.pipe(
  v.string(),
  v.maxLength(40),
  v.check(
    (raw) =>
      (/^\d{4}-\d{2}-\d{2}$/.test(raw) ||
        /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(raw)) &&
      !Number.isNaN(Date.parse(raw)),
    'A date (2026-05-04) or a time (2026-05-04T08:00:00Z)',
  ),
);

/** What an audit entry says, searched exactly (an action also finds its family). */
const Term = v.pipe(v.string(), v.minLength(1), v.maxLength(100));

/**
 * Query of GET /api/admin/audit and audit.csv; every field optional. A date means the whole
 * UTC day: from=2026-05-04 starts at 00:00Z, to=2026-05-04 includes that day. A time is exact
 * (`to` exclusive).
 */
export const AuditFilter = v.strictObject({
  from: v.optional(Instant),
  to: v.optional(Instant),
  actor: v.optional(Term),
  action: v.optional(Term),
  unitId: v.optional(Id),
  outcome: v.optional(v.picklist(['success', 'failure', 'refused'])),
  before: v.optional(AuditBefore),
  limit: v.optional(AuditLimit),
});

export const AdminUnit = v.object({
  id: v.string(),
  name: v.string(),
  mailboxCount: v.number(),
  managers: v.array(v.string()),
});
export const AdminUnitList = v.array(AdminUnit);
export const UnitView = v.object({ id: v.string(), name: v.string() });

export const MailboxCreated = v.object({
  id: v.string(),
  username: v.string(),
  /** The generated initial password, shown once; null when the administrator typed one. */
  generated: v.nullable(v.string()),
});

export const AdminPerson = v.object({
  id: v.string(),
  name: v.string(),
  email: v.string(),
  phone: v.nullable(v.string()),
  hsaId: v.nullable(v.string()),
  isAdmin: v.boolean(),
  disabled: v.boolean(),
  enrolled: v.boolean(),
  invitePending: v.boolean(),
  roles: v.array(v.object({ unitId: v.string(), unitName: v.string(), role: UnitRole })),
});
export const AdminPersonList = v.array(AdminPerson);
/** One person, with until when their sign-in with a code is locked (from any network). */
export const AdminPersonDetail = v.object({
  ...AdminPerson.entries,
  signInLockedUntil: v.nullable(Timestamp),
});

export const InviteSent = v.object({ expiresAt: Timestamp });

/** The administrator's overview: a warning when the reset rate is unusual, else null. */
export const AdminOverview = v.object({
  resetAlert: v.nullable(
    v.object({
      /** Reset starts in the last hour, from everyone. */
      startsLastHour: v.number(),
      /** Counting stopped there: at least startsLastHour. */
      startsCapped: v.boolean(),
      /** RESET_ALERT_PER_HOUR. */
      threshold: v.number(),
      overThreshold: v.boolean(),
      /** The resets' share of today's SMS is spent: no reset code goes out until shareRenewsAt. */
      shareSpent: v.boolean(),
      shareMax: v.number(),
      shareRenewsAt: Timestamp,
    }),
  ),
});

export const NetworkSettingsView = v.object({
  cidrs: v.array(v.string()),
  source: v.picklist(['settings', 'default']),
  defaults: v.array(v.string()),
});
