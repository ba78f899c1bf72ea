import * as v from 'valibot';
import { Code, EmailAddress, LinkTokenField, RandomId, Timestamp, UnitRole } from './fields';

/*
 * Request and response bodies of people's sign-in and enrolment (/api/people). Requests are
 * strict objects with bounded strings. The WebAuthn responses are checked for shape and size
 * only; @simplewebauthn/server then verifies their content. Their inner objects come from the
 * browser's PublicKeyCredential.toJSON(), which may gain fields over time: unknown keys there
 * are dropped, not refused.
 */

const Base64Url = (max: number) =>
  v.pipe(v.string(), v.maxLength(max), v.regex(/^[A-Za-z0-9_-]*$/, 'Expected base64url'));
const NonEmptyBase64Url = (max: number) => v.pipe(Base64Url(max), v.minLength(1));

/** An invite link's token. */
const InviteToken = LinkTokenField;

/** Ids Nyckel hands out (challenge ids). */
const ChallengeId = RandomId;

/** The e-mail address a person signs in with a code by. */
const Email = v.pipe(EmailAddress, v.metadata({ examples: ['anna.andersson@example.se'] }));

/** A credential id is at most 1023 bytes (WebAuthn L3), 1364 characters in base64url. */
const CredentialId = NonEmptyBase64Url(1400);

const ClientExtensionResults = v.optional(v.object({}), {});

export const RegistrationResponse = v.object({
  id: CredentialId,
  rawId: CredentialId,
  type: v.literal('public-key'),
  response: v.object({
    clientDataJSON: NonEmptyBase64Url(4096),
    attestationObject: NonEmptyBase64Url(8192),
    authenticatorData: v.optional(Base64Url(4096)),
    transports: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(8))),
    publicKeyAlgorithm: v.optional(v.pipe(v.number(), v.integer())),
    publicKey: v.optional(Base64Url(4096)),
  }),
  authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
  clientExtensionResults: ClientExtensionResults,
});

export const AuthenticationResponse = v.object({
  id: CredentialId,
  rawId: CredentialId,
  type: v.literal('public-key'),
  response: v.object({
    clientDataJSON: NonEmptyBase64Url(4096),
    authenticatorData: NonEmptyBase64Url(4096),
    signature: NonEmptyBase64Url(2048),
    // At most 64 bytes (86 characters); some browsers send null for "none".
    userHandle: v.optional(v.nullable(Base64Url(96))),
  }),
  authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
  clientExtensionResults: ClientExtensionResults,
});

export const InviteLookup = v.strictObject({ token: InviteToken });
export const EnrolPasskey = v.strictObject({
  token: InviteToken,
  challengeId: ChallengeId,
  response: RegistrationResponse,
});
export const EnrolTotp = v.strictObject({ token: InviteToken, code: Code });
export const Empty = v.strictObject({});
export const SignInPasskey = v.strictObject({
  challengeId: ChallengeId,
  response: AuthenticationResponse,
});
export const SignInTotp = v.strictObject({ email: Email, code: Code });

export const InviteView = v.object({ name: v.string(), email: v.string(), expiresAt: Timestamp });

const Descriptor = v.object({
  id: v.string(),
  type: v.literal('public-key'),
  transports: v.optional(v.array(v.string())),
});

/** PublicKeyCredentialCreationOptionsJSON, as @simplewebauthn/browser's startRegistration takes it. */
export const PasskeyCreation = v.object({
  challengeId: v.string(),
  options: v.object({
    rp: v.object({ name: v.string(), id: v.optional(v.string()) }),
    user: v.object({ id: v.string(), name: v.string(), displayName: v.string() }),
    challenge: v.string(),
    pubKeyCredParams: v.array(v.object({ alg: v.number(), type: v.literal('public-key') })),
    timeout: v.optional(v.number()),
    excludeCredentials: v.optional(v.array(Descriptor)),
    authenticatorSelection: v.optional(
      v.object({
        residentKey: v.optional(v.string()),
        requireResidentKey: v.optional(v.boolean()),
        userVerification: v.optional(v.string()),
      }),
    ),
    attestation: v.optional(v.string()),
    extensions: v.optional(v.object({})),
    hints: v.optional(v.array(v.string())),
  }),
});

/** PublicKeyCredentialRequestOptionsJSON, as @simplewebauthn/browser's startAuthentication takes it. */
export const PasskeyRequest = v.object({
  challengeId: v.string(),
  options: v.object({
    challenge: v.string(),
    timeout: v.optional(v.number()),
    rpId: v.optional(v.string()),
    allowCredentials: v.optional(v.array(Descriptor)),
    userVerification: v.optional(v.string()),
  }),
});

export const TotpEnrolment = v.object({
  secret: v.pipe(v.string(), v.regex(/^[A-Z2-7]+=*$/)),
  uri: v.pipe(v.string(), v.startsWith('otpauth://totp/')),
  qrSvg: v.pipe(v.string(), v.startsWith('<svg')),
});

export const PersonView = v.object({
  id: v.string(),
  name: v.string(),
  email: v.string(),
  isAdmin: v.boolean(),
  units: v.array(v.object({ id: v.string(), name: v.string(), role: UnitRole })),
  method: v.picklist(['passkey', 'totp', 'certificate']),
  verifiedAt: Timestamp,
  freshUntil: Timestamp,
  expiresAt: Timestamp,
});
