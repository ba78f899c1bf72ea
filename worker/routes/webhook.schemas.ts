import * as v from 'valibot';
import { Timestamp } from './fields';

/*
 * Bodies of the administrator's webhook routes (/api/admin/webhook, routes/admin-webhook.ts),
 * as valibot schemas: the routes validate with them and /api/openapi.json is generated from
 * them. The URL's scheme and the key's strength depend on configuration and Web Crypto, so the
 * service checks those (400 invalid_request naming `url`, `publicKey` or `writeback`).
 */

/**
 * A base64url member of a JWK, never empty; 16384-bit moduli are the longest accepted. Not the
 * WebAuthn one (people-auth.schemas.ts), where some members may be empty.
 */
const Base64Url = (max: number) =>
  v.pipe(v.string(), v.maxLength(max), v.regex(/^[A-Za-z0-9_-]+$/));

/**
 * The connector's RSA public key as a JWK (RFC 7517). Other members (kid, alg, use) are
 * allowed so a key exported by a JOSE library can be pasted as is; private members are refused
 * by the service.
 */
export const PublicJwk = v.pipe(
  v.looseObject({ kty: v.literal('RSA'), n: Base64Url(2800), e: Base64Url(16) }),
  v.metadata({ examples: [{ kty: 'RSA', n: '0vx7agoebGcQSuu…', e: 'AQAB' }] }),
);

export const WebhookWrite = v.strictObject({
  /** The receiver; null goes back to the default (WEBHOOK_URL), '' turns the webhook off. */
  url: v.nullable(
    v.pipe(
      v.string(),
      v.maxLength(2048),
      v.metadata({ examples: ['https://connector.example.se/nyckel'] }),
    ),
  ),
  /** Send the new password, encrypted to publicKey, in mailbox.password_changed events. */
  writeback: v.boolean(),
  /** The connector's key; left out, the stored key stays; null removes it. */
  publicKey: v.optional(v.nullable(PublicJwk)),
});

export const WebhookTestRequest = v.strictObject({});

const Status = v.picklist(['pending', 'delivering', 'delivered', 'failed']);

export const WebhookView = v.object({
  /** The receiver in force, or null when there is none. */
  url: v.nullable(v.string()),
  source: v.picklist(['settings', 'default']),
  defaultUrl: v.nullable(v.string()),
  secretConfigured: v.boolean(),
  /** Whether changes are queued and sent now; otherwise inactiveReason says why not. */
  active: v.boolean(),
  inactiveReason: v.nullable(v.picklist(['no_secret', 'no_url'])),
  writeback: v.boolean(),
  /** RFC 7638 thumbprint (SHA-256, base64url) of the connector's key: the JWE `kid`. */
  publicKeyFingerprint: v.nullable(v.string()),
  counts: v.object({
    pending: v.number(),
    delivering: v.number(),
    delivered: v.number(),
    failed: v.number(),
  }),
  /** The 20 newest events, without their payload. */
  recent: v.array(
    v.object({
      id: v.string(),
      event: v.string(),
      status: Status,
      attempts: v.number(),
      createdAt: Timestamp,
      nextAttemptAt: v.nullable(Timestamp),
      deliveredAt: v.nullable(Timestamp),
      lastStatus: v.nullable(v.number()),
      lastError: v.nullable(v.string()),
    }),
  ),
});

export const WebhookTestResult = v.object({
  delivered: v.boolean(),
  /** The receiver's HTTP status, or null when none came back. */
  status: v.nullable(v.number()),
  error: v.nullable(v.picklist(['http', 'redirect', 'timeout', 'network', 'no_secret', 'no_url'])),
});
