import * as v from 'valibot';
import { Password, PhoneE164, PhoneInput, Timestamp, Username } from './fields';

/*
 * Request and response bodies of the mailbox's own routes (/api/mailbox, routes/mailbox.ts):
 * signing in, the number for SMS codes, changing the password. The code step's body is
 * CodeEntry (fields.ts), shared with the resets.
 */

export const SessionStart = v.strictObject({ username: Username, password: Password });
export const PhoneUpdate = v.strictObject({ phone: PhoneInput });
export const PasswordChange = v.strictObject({ currentPassword: Password, newPassword: Password });

export const MailboxView = v.object({
  username: v.string(),
  displayName: v.string(),
  phone: v.nullable(v.string()),
  passwordChangedAt: Timestamp,
  passwordExpiresAt: Timestamp,
  /** The domain requires a new password first: the app goes straight to choosing one. */
  mustChange: v.boolean(),
});
export const Challenge = v.object({ expiresAt: Timestamp, resendAfter: Timestamp });
export const PhoneSaved = v.object({ phone: PhoneE164 });
