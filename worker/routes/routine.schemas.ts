import * as v from 'valibot';
import { PolicyView, SupportChannels, Timestamp, UnitRole } from './fields';

/*
 * The unit's routine (GET /api/manager/units/{id}/routine, routes/routine.ts), as a valibot
 * schema for /api/openapi.json and the tests. Dates are Swedish calendar dates.
 */

const CalendarDate = v.pipe(v.string(), v.isoDate(), v.metadata({ examples: ['2027-03-03'] }));
const Url = v.pipe(v.string(), v.url());

export const RoutineMailbox = v.object({
  id: v.string(),
  username: v.string(),
  displayName: v.string(),
  /** Whether a number is registered for SMS codes; the number itself only masked. */
  hasPhone: v.boolean(),
  phoneMasked: v.nullable(v.string()),
  passwordChangedAt: Timestamp,
  passwordExpiresAt: Timestamp,
  /** The current due date first (flagged when overdue), then every maxAgeDays for a year. */
  rotationDates: v.array(v.object({ date: CalendarDate, overdue: v.boolean() })),
});

export const UnitRoutine = v.object({
  unit: v.object({ id: v.string(), name: v.string() }),
  /** Built from PUBLIC_ORIGIN, never from the request's Host header. */
  links: v.object({
    app: Url,
    reset: Url,
    register: Url,
    change: Url,
    routine: Url,
  }),
  /** Enabled mailboxes only: a disabled one has no password to change. */
  mailboxes: v.array(RoutineMailbox),
  /** Managers first, then delegates, by name; disabled people left out. */
  people: v.array(v.object({ name: v.string(), email: v.string(), role: UnitRole })),
  support: SupportChannels,
  policy: PolicyView,
  /** Days before a due date when chef and delegates get an e-mail, and when the mailbox's own number gets an SMS. */
  reminders: v.object({ mailDays: v.array(v.number()), smsDays: v.nullable(v.number()) }),
  generatedAt: Timestamp,
});
