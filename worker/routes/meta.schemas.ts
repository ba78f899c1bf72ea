import * as v from 'valibot';
import { DirectoryState, SupportChannels } from './fields';

/*
 * The public, read-only answers of routes/meta.ts: health, network, the organisation's
 * information. The policy's answer is PolicyView (fields.ts), shared with each unit's routine.
 */

export const Health = v.object({ ok: v.literal(true), directory: DirectoryState });
export const NetworkStatus = v.object({ internal: v.boolean() });
export const Info = v.object({
  organisation: v.string(),
  support: SupportChannels,
  development: v.boolean(),
  /** Whether sign-in with a SITHS card is on (CLIENT_CERT_ISSUERS lists an issuer). */
  cardSignIn: v.boolean(),
});
