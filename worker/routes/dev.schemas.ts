import * as v from 'valibot';
import { Timestamp } from './fields';

/* The answers of the development routes (/api/dev, routes/dev.ts). */

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
