import * as v from 'valibot';
import { Password, SafeNameCharacters } from './schemas';

/*
 * Request and response bodies of /api/manager (routes/manager.ts), as valibot schemas. The
 * routes validate with the request schemas; /api/openapi.json is generated from all of them.
 * MailboxSummary, AuditItem and AuditPage are shared with the administrator's routes.
 */

const Timestamp = v.pipe(v.string(), v.isoTimestamp());
const NullableTimestamp = v.nullable(Timestamp);

/**
 * A person's name as it appears in e-mails, lists and SMS: no control, format or bidi
 * characters (SafeNameCharacters).
 */
export const PersonName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'A name is 1–100 characters'),
  v.maxLength(100, 'A name is 1–100 characters'),
  SafeNameCharacters,
  v.metadata({ examples: ['Anna Berg'] }),
);

/** Stored in lower case, so an invite by e-mail finds the same person again. */
export const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, 'An e-mail address is at most 254 characters'),
  v.email('Write an e-mail address like anna.berg@example.se'),
  v.metadata({ examples: ['anna.berg@example.se'] }),
);

/** `{}` and nothing else (valibot's object schemas would take `[]` for an empty object). */
export const EmptyBody = v.pipe(
  v.unknown(),
  v.check((input) => !Array.isArray(input), 'The body is an empty object: {}'),
  v.strictObject({}),
);
export const ResetOnBehalf = v.strictObject({
  /** Absent: the server generates a readable, policy-compliant password and shows it once. */
  password: v.optional(Password),
});
export const DelegateAdd = v.strictObject({ name: PersonName, email: Email });

/** Query of GET /units/{id}/audit: digits only, so a bad value is a clear 400. */
export const AuditQuery = v.object({
  before: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[1-9]\d{0,15}$/, 'before is the id of an audit entry'),
      v.transform(Number),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100'),
      v.transform(Number),
      v.minValue(1, 'limit is a whole number from 1 to 100'),
      v.maxValue(100, 'limit is a whole number from 1 to 100'),
    ),
    '50',
  ),
});

const MailboxSummaryEntries = {
  id: v.string(),
  unitId: v.nullable(v.string()),
  username: v.string(),
  displayName: v.string(),
  phoneMasked: v.nullable(v.string()),
  passwordChangedAt: Timestamp,
  passwordExpiresAt: Timestamp,
  status: v.picklist(['ok', 'due_soon', 'overdue']),
  locked: v.boolean(),
  lockedUntil: NullableTimestamp,
  /**
   * Resets by SMS code are paused until then (the next midnight, Stockholm time): the day's
   * wrong codes for the username are spent. The manager's unlock ends it. Null otherwise.
   */
  resetsPausedUntil: NullableTimestamp,
  disabled: v.boolean(),
  lastActivityAt: NullableTimestamp,
  lastActivity: v.nullable(v.string()),
};
export const MailboxSummary = v.object(MailboxSummaryEntries);
export const MailboxSummaryWithUnit = v.object({
  ...MailboxSummaryEntries,
  unitName: v.nullable(v.string()),
});

export const Task = v.object({
  kind: v.picklist(['overdue', 'locked', 'due_soon', 'no_phone']),
  mailboxId: v.string(),
  unitId: v.string(),
  username: v.string(),
  displayName: v.string(),
  dueAt: NullableTimestamp,
  lockedUntil: NullableTimestamp,
});

export const AuditItem = v.object({
  id: v.string(),
  at: Timestamp,
  actor: v.string(),
  actorLabel: v.string(),
  action: v.string(),
  target: v.nullable(v.string()),
  targetLabel: v.nullable(v.string()),
  ip: v.nullable(v.string()),
  outcome: v.string(),
  detail: v.nullable(v.record(v.string(), v.unknown())),
});
export const AuditPage = v.object({ items: v.array(AuditItem), next: v.nullable(v.string()) });

const ViewerRole = v.picklist(['manager', 'delegate', 'admin']);

export const Overview = v.object({
  tasks: v.array(Task),
  units: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      role: ViewerRole,
      canManageDelegates: v.boolean(),
      mailboxes: v.array(MailboxSummary),
    }),
  ),
});

export const MailboxDetail = v.object({
  mailbox: MailboxSummaryWithUnit,
  audit: v.array(AuditItem),
});

export const ResetOnBehalfResult = v.object({
  generated: v.nullable(v.string()),
  /** Pass to POST /mailboxes/{id}/handovers within 15 minutes to share it with staff. */
  shareOfferId: v.string(),
  passwordChangedAt: Timestamp,
  passwordExpiresAt: Timestamp,
});

export const UnitPerson = v.object({
  id: v.string(),
  name: v.string(),
  email: v.string(),
  role: v.picklist(['manager', 'delegate']),
  enrolled: v.boolean(),
  invitePending: v.boolean(),
});

export const UnitDetail = v.object({
  id: v.string(),
  name: v.string(),
  role: ViewerRole,
  canManageDelegates: v.boolean(),
  people: v.array(UnitPerson),
});
