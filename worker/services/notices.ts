import { unitRecipients } from '../db/people';
import { findNoticeMailbox } from '../db/reminders';
import { type ChangeKind, type ChangeVia, changeNoticeMail } from '../domain/mail-text';
import { mailboxPath, pageUrl } from '../domain/page-paths';
import { maskPhone } from '../domain/phone';
import { mailProvider, sendMail } from '../outbound/mail';
import type { Deps } from './deps';

export interface MailboxChange {
  mailboxId: string;
  change: ChangeKind;
  via: ChangeVia;
  /** Who made the change, as people should read it (a person's name, or the username). */
  actorLabel: string;
  at: number;
}

/**
 * Tells every manager and delegate of the mailbox's unit that its password or number was
 * changed: what, how, when and from where, never the password or a code (a mail is stored and
 * may be forwarded). Call it after the write succeeded, through deps.background, so the answer
 * is not delayed. No unit, or nobody to tell, sends nothing.
 */
export async function notifyMailboxChange(deps: Deps, e: MailboxChange): Promise<void> {
  const mailbox = await findNoticeMailbox(deps.db, e.mailboxId);
  if (!mailbox?.unitId) return;
  const recipients = await unitRecipients(deps.db, mailbox.unitId);
  if (recipients.length === 0) return;
  const message = changeNoticeMail({
    change: e.change,
    via: e.via,
    actorLabel: e.actorLabel,
    at: e.at,
    ip: deps.ip,
    username: mailbox.username,
    displayName: mailbox.displayName,
    unitName: mailbox.unitName ?? '',
    // Read after the write, so this is the number now saved; masked like everywhere else.
    maskedPhone: e.change === 'phone' && mailbox.phone ? maskPhone(mailbox.phone) : null,
    link: pageUrl(deps.cfg.publicOrigin, mailboxPath(mailbox.id)),
    support: deps.cfg.support,
  });
  const provider = mailProvider(deps.env, deps.cfg);
  for (const person of recipients) {
    await sendMail(deps.db, provider, { to: person.email, ...message }, `notice_${e.change}`);
  }
}
