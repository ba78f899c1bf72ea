import * as v from 'valibot';
import { hasUnsafeNameCharacters, UNSAFE_NAME_MESSAGE } from './domain/name-text';
import { canonicalUsername } from './domain/username';

/*
 * Every request and response body of API v1, as valibot schemas. Routes validate with the
 * request schemas; /api/openapi.json is generated from all of them, so the document cannot
 * drift from what the worker accepts.
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

/** Long enough for any passphrase, short enough that PBKDF2 input stays cheap to hash. */
/**
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

const Code = v.pipe(
  v.string(),
  v.maxLength(32),
  v.transform((raw) => raw.replace(/[\s-]/g, '')),
  v.regex(/^\d{6}$/, 'The code is 6 digits'),
  v.metadata({ examples: ['123456'] }),
);

const Timestamp = v.pipe(v.string(), v.isoTimestamp());

export const SessionStart = v.strictObject({ username: Username, password: Password });
export const PhoneUpdate = v.strictObject({
  phone: v.pipe(v.string(), v.maxLength(64), v.metadata({ examples: ['070-123 45 67'] })),
});
export const CodeEntry = v.strictObject({ code: Code });
export const PasswordChange = v.strictObject({ currentPassword: Password, newPassword: Password });
export const ResetStart = v.strictObject({ username: Username });
export const ResetPassword = v.strictObject({
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  newPassword: Password,
});

export const MailboxView = v.object({
  username: v.string(),
  displayName: v.string(),
  phone: v.nullable(v.string()),
  passwordChangedAt: Timestamp,
  passwordExpiresAt: Timestamp,
  /** The domain requires a new password first: the app goes straight to choosing one. */
  mustChange: v.boolean(),
});
export const Health = v.object({
  ok: v.literal(true),
  directory: v.picklist(['local', 'connected', 'offline']),
});
export const NetworkStatus = v.object({ internal: v.boolean() });
export const PolicyView = v.object({
  minLength: v.number(),
  minClasses: v.number(),
  historyDepth: v.number(),
  maxAgeDays: v.number(),
});
/**
 * One way to reach support, as the organisation wrote it (SUPPORT_CHANNELS). Only `tel`
 * (E.164) is a number to dial; the label is text, shown as written.
 */
export const SupportChannel = v.object({
  label: v.string(),
  labelEn: v.nullable(v.string()),
  tel: v.nullable(v.pipe(v.string(), v.regex(/^\+[1-9]\d{6,14}$/))),
  email: v.nullable(v.string()),
  hours: v.nullable(v.string()),
  hoursEn: v.nullable(v.string()),
});
export const SupportChannels = v.array(SupportChannel);
export const Info = v.object({
  organisation: v.string(),
  support: SupportChannels,
  development: v.boolean(),
  /** Whether sign-in with a SITHS card is on (CLIENT_CERT_ISSUERS lists an issuer). */
  cardSignIn: v.boolean(),
});
export const Challenge = v.object({ expiresAt: Timestamp, resendAfter: Timestamp });
export const ResetStarted = v.object({
  id: v.string(),
  expiresAt: Timestamp,
  resendAfter: Timestamp,
});
export const Resent = v.object({ resendAfter: Timestamp });
export const PhoneSaved = v.object({ phone: v.pipe(v.string(), v.regex(/^\+[1-9]\d{6,14}$/)) });
export const ResetToken = v.object({ token: v.string() });
export const OutboxList = v.array(
  v.object({
    channel: v.picklist(['sms', 'mail']),
    to: v.string(),
    body: v.string(),
    createdAt: Timestamp,
  }),
);
/** The counts of one rotation run (POST /api/dev/rotation). */
export const RotationRun = v.object({
  mailboxes: v.number(),
  due: v.number(),
  mailSent: v.number(),
  mailFailed: v.number(),
  smsSent: v.number(),
  smsFailed: v.number(),
  alreadyDone: v.number(),
  noRecipients: v.number(),
  noPhone: v.number(),
  errors: v.number(),
  initialPasswords: v.object({ notified: v.number(), reminded: v.number(), failed: v.number() }),
});

/** POST /api/dev/directory-sync: what the new-hire sync did. */
export const DirectorySyncRun = v.object({
  written: v.number(),
  failed: v.number(),
  checked: v.number(),
  firstLogins: v.number(),
  /** No connector answered: the rest waits for the next run. */
  unavailable: v.boolean(),
});
export const ErrorBody = v.object({
  error: v.string(),
  message: v.string(),
  retryAfter: v.optional(v.number()),
  attemptsLeft: v.optional(v.number()),
  violations: v.optional(v.array(v.string())),
  reason: v.optional(v.string()),
  entry: v.optional(v.string()),
  issues: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
});
