import * as v from 'valibot';
import { Password, ResetTokenField, Timestamp, Username } from './fields';

/*
 * Request and response bodies of a reset by SMS code (/api/resets, routes/resets.ts). The code
 * step's body is CodeEntry (fields.ts), shared with the mailbox's number check; sharing the
 * new password with staff is in handovers.schemas.ts.
 */

export const ResetStart = v.strictObject({ username: Username });
export const ResetPassword = v.strictObject({ token: ResetTokenField, newPassword: Password });

export const ResetStarted = v.object({
  id: v.string(),
  expiresAt: Timestamp,
  resendAfter: Timestamp,
});
export const Resent = v.object({ resendAfter: Timestamp });
export const ResetToken = v.object({ token: v.string() });
