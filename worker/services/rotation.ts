import { config } from '../config';
import { unitRecipients } from '../db/people';
import {
  claimReminder,
  finishReminder,
  type ReminderKey,
  type RotationCandidate,
  rotationCandidates,
} from '../db/reminders';
import { daysUntil, reminderMail, reminderSms } from '../domain/mail-text';
import { mailboxPath, pageUrl } from '../domain/page-paths';
import { mailProvider, sendMail } from '../outbound/mail';
import { sendSms, smsProvider } from '../outbound/sms';

/** The daily rotation run in wrangler.toml (06:05 UTC, before the Swedish working day). */
export const ROTATION_CRON = '5 6 * * *';

const DAY = 86_400;

/*
 * A row left 'claimed' by a run that died between claiming and recording the outcome is
 * taken again after this long. Runs are a day apart, so a live run of the same morning (two
 * triggers at once) never loses its claim; the price is that a run killed after the provider
 * accepted a mail sends it again the next day, which beats never reminding at all.
 */
const STALE_CLAIM_SECONDS = 6 * 3600;

/**
 * The threshold a mailbox is at today: the smallest configured number of days that the days
 * left have reached, or null before the first. Only this one is sent, so a mailbox that jumps
 * from 20 days to 3 (or to past due) gets the most urgent reminder, not three in a row, and a
 * mailbox past due gets the 0-day reminder once for its password cycle.
 */
export function reminderThreshold(daysLeft: number, thresholds: number[]): number | null {
  const reached = thresholds.filter((d) => daysLeft <= d);
  return reached.length > 0 ? Math.min(...reached) : null;
}

/**
 * The SMS to the mailbox's own number goes with the last reminder before the day (3 days with
 * the default 14, 3, 0): early enough to act, late enough to matter.
 */
export function smsThreshold(thresholds: number[]): number | null {
  const ahead = thresholds.filter((d) => d > 0);
  return ahead.length > 0 ? Math.min(...ahead) : null;
}

export interface RotationCounts {
  mailboxes: number;
  due: number;
  mailSent: number;
  mailFailed: number;
  smsSent: number;
  smsFailed: number;
  /** Reminders already sent, or being sent by another run. */
  alreadyDone: number;
  noRecipients: number;
  noPhone: number;
  errors: number;
}

type Recipients = Awaited<ReturnType<typeof unitRecipients>>;

/**
 * Cron "5 6 * * *": e-mails the managers and delegates of each enabled mailbox whose password
 * is due in 14 days, 3 days or today (cfg.reminderDays), once per threshold and password
 * cycle, and at 3 days texts the mailbox's own number. Every send is claimed in `reminders`
 * first, so a re-run the same day or two runs at once send nothing twice; a failed send is
 * marked and claimed again by the next run. One mailbox's failure does not stop the run.
 */
export async function runRotation(env: Env, now: number): Promise<RotationCounts> {
  const cfg = config(env);
  const counts: RotationCounts = {
    mailboxes: 0,
    due: 0,
    mailSent: 0,
    mailFailed: 0,
    smsSent: 0,
    smsFailed: 0,
    alreadyDone: 0,
    noRecipients: 0,
    noPhone: 0,
    errors: 0,
  };
  const thresholds = cfg.reminderDays;
  const maxAge = cfg.policy.maxAgeDays * DAY;
  const widest = Math.max(-1, ...thresholds);
  if (widest >= 0) {
    // Due within the widest threshold, with a day to spare for the calendar-day rounding.
    const candidates = await rotationCandidates(
      env.DB,
      now + (widest + 1) * DAY - maxAge,
      Math.min(...thresholds),
    );
    const recipients = new Map<string, Recipients>();
    const textAt = smsThreshold(thresholds);
    for (const mailbox of candidates) {
      counts.mailboxes++;
      try {
        await remindMailbox(env, mailbox, now, { recipients, textAt, counts });
      } catch (err) {
        // A database hiccup on one mailbox must not cost every other mailbox its reminder.
        counts.errors++;
        const name = err instanceof Error ? err.name : 'unknown';
        console.error(JSON.stringify({ event: 'rotation_error', mailbox: mailbox.id, name }));
      }
    }
  }
  console.log(JSON.stringify({ event: 'rotation', ...counts }));
  return counts;
}

async function remindMailbox(
  env: Env,
  mailbox: RotationCandidate,
  now: number,
  run: { recipients: Map<string, Recipients>; textAt: number | null; counts: RotationCounts },
) {
  const cfg = config(env);
  const { counts } = run;
  const due = mailbox.passwordChangedAt + cfg.policy.maxAgeDays * DAY;
  const daysLeft = daysUntil(due, now);
  const threshold = reminderThreshold(daysLeft, cfg.reminderDays);
  if (threshold === null) return;
  counts.due++;
  const staleBefore = now - STALE_CLAIM_SECONDS;
  const key = (channel: 'mail' | 'sms'): ReminderKey => ({
    mailboxId: mailbox.id,
    threshold,
    cycle: mailbox.passwordChangedAt,
    channel,
  });
  const origin = cfg.publicOrigin.origin;

  let people = run.recipients.get(mailbox.unitId);
  if (!people) {
    people = await unitRecipients(env.DB, mailbox.unitId);
    run.recipients.set(mailbox.unitId, people);
  }
  if (people.length === 0) {
    // Not claimed: a manager appointed later today still gets it on tomorrow's run.
    counts.noRecipients++;
  } else if (!(await claimReminder(env.DB, key('mail'), now, staleBefore))) {
    counts.alreadyDone++;
  } else {
    const message = reminderMail({
      username: mailbox.username,
      displayName: mailbox.displayName,
      unitName: mailbox.unitName,
      due,
      daysLeft,
      maxAgeDays: cfg.policy.maxAgeDays,
      link: pageUrl(origin, mailboxPath(mailbox.id)),
      origin,
      support: cfg.support,
    });
    const provider = mailProvider(env, cfg);
    let delivered = 0;
    for (const person of people) {
      const result = await sendMail(
        env.DB,
        provider,
        { to: person.email, ...message },
        `rotation_${threshold}`,
      );
      if (result.ok) {
        delivered++;
        counts.mailSent++;
      } else {
        counts.mailFailed++;
      }
    }
    // The row is per mailbox, not per recipient: when anyone got it, it counts as sent so
    // that nobody gets the same reminder twice (the miss is in `deliveries` for operators);
    // when nobody did, the next run tries again.
    await finishReminder(env.DB, key('mail'), delivered > 0 ? 'sent' : 'failed');
  }

  if (threshold !== run.textAt) return;
  if (!mailbox.phone) {
    counts.noPhone++;
    return;
  }
  if (!(await claimReminder(env.DB, key('sms'), now, staleBefore))) {
    counts.alreadyDone++;
    return;
  }
  const body = reminderSms({ username: mailbox.username, due, origin });
  const sent = await sendSms(
    env.DB,
    smsProvider(env, cfg),
    { to: mailbox.phone, body },
    `rotation_${threshold}`,
  );
  if (sent.ok) counts.smsSent++;
  else counts.smsFailed++;
  await finishReminder(env.DB, key('sms'), sent.ok ? 'sent' : 'failed');
}
