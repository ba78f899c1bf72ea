import * as v from 'valibot';
import {
  LinkTokenField,
  NullableTimestamp,
  PersonName,
  PhoneInput,
  RandomId,
  ResetTokenField,
  Timestamp,
} from './fields';

/*
 * Request and response bodies of the staff list and password handovers: the manager's routes
 * under /api/manager, the public link routes under /api/handovers (routes/handovers.ts), and
 * the shares that follow a mailbox's own change (/api/mailbox) or a reset (/api/resets).
 */

export const StaffAdd = v.strictObject({ name: PersonName, phone: PhoneInput });
export const StaffUpdate = v.pipe(
  v.strictObject({ name: v.optional(PersonName), phone: v.optional(PhoneInput) }),
  v.check(
    (input) => input.name !== undefined || input.phone !== undefined,
    'Send name, phone or both',
  ),
);

export const StaffMember = v.object({
  id: v.string(),
  name: v.string(),
  phoneMasked: v.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const StaffList = v.array(StaffMember);

/** Who gets a link; absent = every current member of the mailbox's unit. */
const StaffIds = v.optional(
  v.pipe(
    v.array(RandomId),
    v.minLength(1, 'Pick at least one person, or leave staffIds out to send to everyone'),
    v.maxLength(100, 'At most 100 people at a time'),
    v.check((ids) => new Set(ids).size === ids.length, 'Each person only once'),
  ),
);

export const HandoverShare = v.strictObject({
  /** The `shareOfferId` of the answer that set the password. */
  shareOfferId: RandomId,
  staffIds: StaffIds,
});

/** The mailbox's own session shares the password it just set (the session names the offer). */
export const MailboxShare = v.pipe(
  v.unknown(),
  // valibot's object schemas would take `[]` for an object with every key optional.
  v.check((input) => !Array.isArray(input), 'The body is an object: {} or {"staffIds": [...]}'),
  v.strictObject({ staffIds: StaffIds }),
);

/** The reset's token (from POST /api/resets/{id}/code) proves who completed it. */
export const ResetStaffLookup = v.strictObject({ token: ResetTokenField });
export const ResetShare = v.strictObject({ token: ResetTokenField, staffIds: StaffIds });

/** A staff member as the mailbox's own flows see them when picking recipients. */
export const StaffChoice = v.object({ id: v.string(), name: v.string(), phoneMasked: v.string() });
export const StaffChoices = v.array(StaffChoice);

const SmsState = v.picklist(['queued', 'sent', 'failed', 'refused']);
const LinkState = v.picklist(['ready', 'viewed', 'expired', 'revoked']);

export const HandoverRecipient = v.object({
  linkId: v.string(),
  staffId: v.string(),
  name: v.string(),
  phoneMasked: v.string(),
  /** The link's state: not yet opened, viewed, expired, or revoked (removed, replaced). */
  state: LinkState,
  /** The SMS: queued, sent, failed at the provider, or refused by an SMS budget. */
  sms: SmsState,
  sentAt: NullableTimestamp,
  viewedAt: NullableTimestamp,
  expiresAt: Timestamp,
  /** A fresh link can be sent to this person now. */
  canResend: v.boolean(),
  /** In the answer to a share only, when an SMS budget refused this person: seconds to wait. */
  retryAfter: v.optional(v.number()),
});

export const Handover = v.object({
  id: v.string(),
  sharedAt: Timestamp,
  sharedBy: v.nullable(v.string()),
  expiresAt: Timestamp,
  /** The password still exists (some link can still show it). */
  open: v.boolean(),
  recipients: v.array(HandoverRecipient),
});
export const HandoverList = v.array(Handover);

export const LinkToken = v.strictObject({ token: LinkTokenField });

export const HandoverPeek = v.object({
  username: v.string(),
  displayName: v.string(),
  unitName: v.nullable(v.string()),
  state: LinkState,
  viewedAt: NullableTimestamp,
  expiresAt: Timestamp,
});

export const HandoverReveal = v.object({
  username: v.string(),
  displayName: v.string(),
  unitName: v.nullable(v.string()),
  password: v.string(),
  viewedAt: Timestamp,
});
