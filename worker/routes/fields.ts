import * as v from 'valibot';
import { hasUnsafeNameCharacters, UNSAFE_NAME_MESSAGE } from '../domain/name-text';
import { canonicalUsername } from '../domain/username';

/*
 * The field schemas more than one API area uses, and the response pieces several areas share,
 * defined once. Each area's bodies are in `routes/<area>.schemas.ts`, next to its routes; the
 * routes validate with them and /api/openapi.json is generated from them, so the document
 * cannot drift from what the worker accepts.
 *
 * Only the message of a `check` reaches a client (http/validate.ts words every other issue
 * from its type and expectation), so where two areas once wrote the same rule with different
 * messages for a regex, a length or an e-mail test, one definition serves both.
 */

export const Username = v.pipe(
  v.string(),
  v.maxLength(256),
  v.transform((raw) => canonicalUsername(raw)),
  v.check(
    (result) => result.kind === 'ok',
    'A username is 2–64 letters a–z, digits, dots, hyphens or underscores',
  ),
  v.transform((result) => (result.kind === 'ok' ? result.username : '')),
  v.metadata({ examples: ['hemtjanstab'] }),
);

/**
 * The check every name schema ends with (people, staff, mailboxes, units, connectors, service
 * tokens): no control, format, bidi or line-separator character (domain/name-text.ts says
 * why). After the trim, so only what is stored is judged.
 */
export const SafeNameCharacters = v.check(
  (name: string) => !hasUnsafeNameCharacters(name),
  UNSAFE_NAME_MESSAGE,
);

/**
 * A name as it appears in e-mails, lists, SMS and the audit log: trimmed, 1–100 characters,
 * SafeNameCharacters. Connectors and service tokens are named with it as it is; people and
 * staff through PersonName. Units and mailboxes have their own (admin.schemas.ts), which
 * also bounds the untrimmed text.
 */
export const Name = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'A name is 1–100 characters'),
  v.maxLength(100, 'A name is 1–100 characters'),
  SafeNameCharacters,
);

/** A person's or a staff member's name: Name, with an example for the document. */
export const PersonName = v.pipe(Name, v.metadata({ examples: ['Anna Berg'] }));

/**
 * Long enough for any passphrase, short enough that PBKDF2 input stays cheap to hash.
 *
 * A password as one sequence of code points whatever the keyboard sent: "å" typed as one
 * character or as "a" plus a combining ring is the same password (NFC, before the policy,
 * the history and the hash). Hashes stored before this were of the password as typed; only
 * a password typed in decomposed form (keyboards send composed characters) needs one reset.
 */
export const Password = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(256),
  v.transform((raw) => raw.normalize('NFC')),
);

/**
 * An e-mail address, stored in lower case, so an invite by e-mail finds the same person again
 * and signing in with a code finds them too. Without an example: each body gives its own.
 */
export const EmailAddress = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, 'An e-mail address is at most 254 characters'),
  v.email('Write an e-mail address like anna.berg@example.se'),
);

/** A person's e-mail address as a manager or an administrator writes it. */
export const Email = v.pipe(EmailAddress, v.metadata({ examples: ['anna.berg@example.se'] }));

/**
 * A mobile number as people write it; parsed by worker/domain/phone.ts in the service (400
 * invalid_phone with a reason).
 */
export const PhoneInput = v.pipe(
  v.string(),
  v.maxLength(64),
  v.metadata({ examples: ['070-123 45 67'] }),
);

/** A number as the worker stores and answers it: E.164. */
export const PhoneE164 = v.pipe(v.string(), v.regex(/^\+[1-9]\d{6,14}$/));

/** A six-digit code from an SMS or an authenticator app; spaces and hyphens are dropped. */
export const Code = v.pipe(
  v.string(),
  v.maxLength(32),
  v.transform((raw) => raw.replace(/[\s-]/g, '')),
  v.regex(/^\d{6}$/, 'The code is 6 digits'),
  v.metadata({ examples: ['123456'] }),
);

/** The body that answers an SMS code: the new number's check and a reset's code step. */
export const CodeEntry = v.strictObject({ code: Code });

export const Timestamp = v.pipe(v.string(), v.isoTimestamp());
export const NullableTimestamp = v.nullable(Timestamp);

/**
 * The id of a stored record (a unit, a mailbox): random base64url made by the worker, and
 * readable ids in the seed, so only the length is bounded.
 */
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

/**
 * An id only the worker makes (staff, share offers, sign-in challenges): base64url, 128 bits;
 * bounded and shaped, so a bad value is a clear 400.
 */
export const RandomId = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(64),
  v.regex(/^[A-Za-z0-9_-]+$/, 'An id is letters, digits, - and _'),
);

/**
 * A token that came in a link (an invite, a handover): 256 bits in base64url (43 characters);
 * some slack, nothing more.
 */
export const LinkTokenField = v.pipe(
  v.string(),
  v.minLength(20),
  v.maxLength(128),
  v.regex(/^[A-Za-z0-9_-]+$/, 'The token is base64url'),
);

/**
 * A reset's token (from POST /api/resets/{id}/code): it proves who completed the reset, to
 * set the password and to share it with staff.
 */
export const ResetTokenField = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

/** A person's role in a unit. */
export const UnitRole = v.picklist(['manager', 'delegate']);

/** `{}` and nothing else (valibot's object schemas would take `[]` for an empty object). */
export const EmptyBody = v.pipe(
  v.unknown(),
  v.check((input) => !Array.isArray(input), 'The body is an empty object: {}'),
  v.strictObject({}),
);

/**
 * The audit queries' cursor (the manager's trail and the administrator's log): digits only,
 * so a bad value is a clear 400.
 */
export const AuditBefore = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,15}$/, 'before is the id of an audit entry'),
  v.transform(Number),
);

/** The audit queries' page size: 1–100 (db/audit-query.ts reads at most 100). */
export const AuditLimit = v.pipe(
  v.string(),
  v.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100'),
  v.transform(Number),
  v.minValue(1, 'limit is a whole number from 1 to 100'),
  v.maxValue(100, 'limit is a whole number from 1 to 100'),
);

/** Where the directory stands: no mailbox uses the domain, a connector is there, or none is. */
export const DirectoryState = v.picklist(['local', 'connected', 'offline']);

/**
 * One way to reach support, as the organisation wrote it (SUPPORT_CHANNELS). Only `tel`
 * (E.164) is a number to dial; the label is text, shown as written.
 */
export const SupportChannel = v.object({
  label: v.string(),
  labelEn: v.nullable(v.string()),
  tel: v.nullable(PhoneE164),
  email: v.nullable(v.string()),
  hours: v.nullable(v.string()),
  hoursEn: v.nullable(v.string()),
});
export const SupportChannels = v.array(SupportChannel);

/** The password policy in force (GET /api/policy, and each unit's routine). */
export const PolicyView = v.object({
  minLength: v.number(),
  minClasses: v.number(),
  historyDepth: v.number(),
  maxAgeDays: v.number(),
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
/** A mailbox in a manager's unit overview. */
export const MailboxSummary = v.object(MailboxSummaryEntries);
/** A mailbox with its unit's name: the manager's mailbox page and the administrator's list. */
export const MailboxSummaryWithUnit = v.object({
  ...MailboxSummaryEntries,
  unitName: v.nullable(v.string()),
});

/** One audit entry, as the manager's trail and the administrator's log show it. */
export const AuditItem = v.object({
  id: v.string(),
  at: Timestamp,
  actor: v.string(),
  actorLabel: v.string(),
  action: v.string(),
  target: v.nullable(v.string()),
  targetLabel: v.nullable(v.string()),
  ip: v.nullable(v.string()),
  /** The only outcomes db/audit.ts writes, so a client can word each one. */
  outcome: v.picklist(['success', 'failure', 'refused']),
  detail: v.nullable(v.record(v.string(), v.unknown())),
  /** Names for ids in `detail`, by key (`staff`: the staff member's name). */
  detailNames: v.optional(v.record(v.string(), v.string())),
});
export const AuditPage = v.object({ items: v.array(AuditItem), next: v.nullable(v.string()) });

/** Every refusal, in every area (http/errors.ts renders it). */
export const ErrorBody = v.object({
  error: v.string(),
  message: v.string(),
  retryAfter: v.optional(v.number()),
  attemptsLeft: v.optional(v.number()),
  violations: v.optional(v.array(v.string())),
  reason: v.optional(v.string()),
  entry: v.optional(v.string()),
  /** A field's problem; `code` names it where a client words it itself (an identity's fields). */
  issues: v.optional(
    v.array(v.object({ path: v.string(), code: v.optional(v.string()), message: v.string() })),
  ),
  /** With a `conflict` over a name, address or id: what already has it. */
  existing: v.optional(
    v.object({ kind: v.picklist(['unit', 'mailbox', 'person']), id: v.string(), name: v.string() }),
  ),
  /** The Turnstile site key, with challenge_required and challenge_failed (http/turnstile.ts). */
  siteKey: v.optional(v.string()),
});
