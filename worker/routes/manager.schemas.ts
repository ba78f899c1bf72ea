import * as v from 'valibot';
import {
  AuditBefore,
  AuditItem,
  AuditLimit,
  Email,
  MailboxSummary,
  MailboxSummaryWithUnit,
  NullableTimestamp,
  Password,
  PersonName,
  Timestamp,
  UnitRole,
} from './fields';

/*
 * Request and response bodies of /api/manager (routes/manager.ts), as valibot schemas. The
 * routes validate with the request schemas; /api/openapi.json is generated from all of them.
 * The mailbox summaries and the audit page, which the administrator's routes answer with too,
 * are in fields.ts; the staff list and handovers in handovers.schemas.ts, the identity search
 * in identities.schemas.ts.
 */

export const ResetOnBehalf = v.strictObject({
  /** Absent: the server generates a readable, policy-compliant password and shows it once. */
  password: v.optional(Password),
});
export const DelegateAdd = v.strictObject({ name: PersonName, email: Email });

/** Query of GET /units/{id}/audit: digits only, so a bad value is a clear 400. */
export const AuditQuery = v.object({
  before: v.optional(AuditBefore),
  limit: v.optional(AuditLimit, '50'),
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

/**
 * A new hire's initial password nobody has fetched yet (services/identities.ts), listed before
 * the mailbox tasks.
 */
export const IdentityTask = v.object({
  kind: v.literal('initial_password'),
  identityId: v.string(),
  unitId: v.string(),
  givenName: v.string(),
  familyName: v.string(),
  startDate: v.string(),
  started: v.boolean(),
});

const ViewerRole = v.picklist(['manager', 'delegate', 'admin']);

export const Overview = v.object({
  tasks: v.array(Task),
  identityTasks: v.array(IdentityTask),
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
  role: UnitRole,
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
