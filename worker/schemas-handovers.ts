import * as v from 'valibot';
import { PersonName } from './schemas-manager';

/*
 * Request and response bodies of the staff list and password handovers: the
 * manager's routes under /api/manager and the public link routes under /api/handovers.
 */

const Timestamp = v.pipe(v.string(), v.isoTimestamp());
const NullableTimestamp = v.nullable(Timestamp);

/** Ids the server made (base64url, 128 bits); bounded so a bad value is a clear 400. */
const Id = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(64),
  v.regex(/^[A-Za-z0-9_-]+$/, 'An id is letters, digits, - and _'),
);

/** A mobile number as people write it; parsed (and refused as invalid_phone) by the service. */
const PhoneInput = v.pipe(v.string(), v.maxLength(64), v.metadata({ examples: ['070-123 45 67'] }));

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
    v.array(Id),
    v.minLength(1, 'Pick at least one person, or leave staffIds out to send to everyone'),
    v.maxLength(100, 'At most 100 people at a time'),
    v.check((ids) => new Set(ids).size === ids.length, 'Each person only once'),
  ),
);

export const HandoverShare = v.strictObject({
  /** The `shareOfferId` of the answer that set the password. */
  shareOfferId: Id,
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
const ResetTokenField = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
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

export const LinkToken = v.strictObject({
  token: v.pipe(
    v.string(),
    v.minLength(20),
    v.maxLength(128),
    v.regex(/^[A-Za-z0-9_-]+$/, 'The link token is base64url'),
  ),
});

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
