import { auditStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { insertInviteStatement, inviteDigest, revokeOpenInvitesStatement } from '../db/invites';
import { findPersonById } from '../db/people';
import type { Language } from '../domain/language';
import { inviteLink, pageUrl } from '../domain/page-paths';
import { newId, newToken } from '../domain/tokens';
import { ApiError } from '../http/errors';
import { mailProvider, sendMail } from '../outbound/mail';
import type { Deps } from './deps';

function stockholmTime(seconds: number, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone: 'Europe/Stockholm',
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(seconds * 1000));
}

/** A name from the database on one line: a line break could fake a line of the mail. */
function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
}

/** The invite e-mail, plain text: Swedish first unless `lang` is 'en', then the other language. */
export function inviteMail(m: {
  name: string;
  link: string;
  expiresAt: number;
  organisation: string;
  lang: Language;
}) {
  const where = m.organisation ? ` (${oneLine(m.organisation)})` : '';
  const name = oneLine(m.name);
  const sv = [
    `Hej ${name}!`,
    '',
    `Du har bjudits in till Nyckel${where}, där chefer och ombud sköter enheternas funktionsbrevlådor.`,
    '',
    'Öppna länken på telefonen, surfplattan eller datorn du ska använda och skapa en lösenordsnyckel eller en engångskod i en autentiseringsapp:',
    '',
    m.link,
    '',
    `Länken fungerar en gång och gäller till ${stockholmTime(m.expiresAt, 'sv')}. Dela den inte med någon. Har du inte väntat dig det här kan du bortse från meddelandet.`,
  ];
  const en = [
    `Hello ${name},`,
    '',
    `You have been invited to Nyckel${where}, where managers and their delegates look after their units' shared mailboxes.`,
    '',
    'Open the link on the phone, tablet or computer you will use and create a passkey or a one-time code in an authenticator app:',
    '',
    m.link,
    '',
    `The link works once and is valid until ${stockholmTime(m.expiresAt, 'en')} (Swedish time). Do not share it. If you did not expect this, you can ignore this message.`,
  ];
  const [first, second] = m.lang === 'en' ? [en, sv] : [sv, en];
  return {
    subject:
      m.lang === 'en'
        ? 'Invitation to Nyckel / Inbjudan till Nyckel'
        : 'Inbjudan till Nyckel / Invitation to Nyckel',
    text: [...first, '', '—', '', ...second].join('\n'),
  };
}

/**
 * Invites a person to enrol a passkey or TOTP. An invite is single use, stored hashed, e-mailed.
 *
 * - `personId`: an existing person; unknown → 404 `not_found`, disabled → 409 `conflict`.
 * - `createdBy`: the actor string of whoever asked (`person:<id>`, or `system`); it is stored
 *   on the invite and is the actor of the audit entry.
 * - `lang`: the order of the mail's two languages (Swedish first unless 'en').
 *
 * In one batch it revokes the person's earlier open invites (lost device = new invite),
 * stores the new one (SHA-256 of a 256-bit token, valid cfg.people.inviteSeconds) and writes
 * the audit entry `invite.create` (target `person:<id>`, no token). The link
 * `${PUBLIC_ORIGIN}/inbjudan#<token>` goes only by e-mail, sent in deps.background; the
 * token never leaves this function otherwise. Resolves to the expiry (unix seconds).
 */
export async function createInvite(
  deps: Deps,
  personId: string,
  createdBy: string,
  lang: Language = 'sv',
): Promise<{ expiresAt: number }> {
  const person = await findPersonById(deps.db, personId);
  if (!person) throw new ApiError('not_found');
  if (person.disabledAt !== null) throw new ApiError('conflict');
  const now = nowSeconds();
  const token = newToken();
  const expiresAt = now + deps.cfg.people.inviteSeconds;
  await deps.db.batch([
    revokeOpenInvitesStatement(deps.db, personId, now),
    insertInviteStatement(deps.db, {
      id: newId(),
      tokenHash: await inviteDigest(token),
      personId,
      createdBy,
      at: now,
      expiresAt,
    }),
    auditStatement(
      deps.db,
      {
        actor: createdBy,
        action: 'invite.create',
        target: `person:${personId}`,
        ip: deps.ip,
        outcome: 'success',
        detail: { expiresAt: isoFromSeconds(expiresAt) },
      },
      now,
    ),
  ]);
  const mail = inviteMail({
    name: person.name,
    link: pageUrl(deps.cfg.publicOrigin, inviteLink(token)),
    expiresAt,
    organisation: deps.cfg.organisationName,
    lang,
  });
  deps.background(() =>
    sendMail(deps.db, mailProvider(deps.env, deps.cfg), { to: person.email, ...mail }, 'invite'),
  );
  return { expiresAt };
}
