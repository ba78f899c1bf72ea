/**
 * E-mail and reminder texts for managers and delegates: Swedish first (klarspråk), then
 * English, plain text. Pure: times are unix seconds and shown in Swedish time, whatever zone
 * the runtime is in. Nothing here ever receives a password or a code, so none can leak.
 */

import { channelText, type SupportChannel } from './support';

export const TIME_ZONE = 'Europe/Stockholm';

export type ChangeKind = 'password' | 'phone';
export type ChangeVia = 'reset' | 'self' | 'on_behalf' | 'admin';

export interface MailText {
  subject: string;
  text: string;
}

const SEPARATOR = '\n\n――――――――\n\n';

// Names and usernames come from the database (an administrator typed them): a line break in
// a subject could start a header with some mailers, and in a body it could fake a line.
function clean(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
    out += control ? ' ' : char;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

const longDate = (locale: string) =>
  new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
const svDate = longDate('sv-SE');
const enDate = longDate('en-GB');
const clock = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const isoDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function dateOf(seconds: number) {
  return new Date(seconds * 1000);
}

/** "3 maj 2026" / "3 May 2026" in Swedish time. */
export function formatDate(seconds: number, lang: 'sv' | 'en'): string {
  return (lang === 'sv' ? svDate : enDate).format(dateOf(seconds));
}

/** "3 maj 2026 kl. 14:05" / "3 May 2026 at 14:05" in Swedish time. */
export function formatDateTime(seconds: number, lang: 'sv' | 'en'): string {
  const time = clock.format(dateOf(seconds));
  return lang === 'sv'
    ? `${formatDate(seconds, 'sv')} kl. ${time}`
    : `${formatDate(seconds, 'en')} at ${time}`;
}

/** Days since 1970-01-01 of the calendar date in Sweden at that moment. */
function swedishDayNumber(seconds: number): number {
  const parts = isoDay.formatToParts(dateOf(seconds));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / 86_400_000;
}

/**
 * Whole calendar days in Sweden from `now` to `due` (0 on the day itself, negative when past),
 * so a reminder "3 days before" goes out three dates before, whatever the hour of the change.
 */
export function daysUntil(due: number, now: number): number {
  return swedishDayNumber(due) - swedishDayNumber(now);
}

type Support = SupportChannel[];

/** Every support channel, one per line, in the organisation's order and words. */
function supportLine(
  support: Support,
  lang: 'sv' | 'en',
  lead: 'unexpected' | 'questions',
): string {
  const intro =
    lead === 'unexpected'
      ? lang === 'sv'
        ? 'Var det här inte väntat? Kontakta support'
        : 'Was this not expected? Contact support'
      : lang === 'sv'
        ? 'Frågor? Kontakta support'
        : 'Questions? Contact support';
  const lines = support.map((c) => clean(channelText(c, lang))).filter((s) => s !== '');
  if (lines.length === 0)
    return `${intro}: ${lang === 'sv' ? 'din IT-support' : 'your IT support'}.`;
  return `${intro}:\n${lines.map((line) => `• ${line}`).join('\n')}`;
}

export interface ChangeNotice {
  change: ChangeKind;
  via: ChangeVia;
  /** Who did it, for a change on behalf or by an administrator (a person's name). */
  actorLabel: string;
  at: number;
  /** The client address of the request, or null when unknown. */
  ip: string | null;
  username: string;
  displayName: string;
  unitName: string;
  /** The new number, already masked (phone changes only). */
  maskedPhone: string | null;
  link: string;
  support: Support;
}

function how(n: ChangeNotice, lang: 'sv' | 'en'): string {
  const actor = clean(n.actorLabel) || (lang === 'sv' ? 'okänd' : 'unknown');
  switch (n.via) {
    case 'reset':
      return lang === 'sv'
        ? 'Med självservice: någon fick en sms-kod till brevlådans registrerade mobilnummer och valde ett nytt lösenord.'
        : "By self-service: someone received a code by text message on the mailbox's registered mobile number and chose a new password.";
    case 'self':
      if (n.change === 'phone') {
        return lang === 'sv'
          ? 'Av brevlådan själv: någon loggade in med brevlådans lösenord och bekräftade det nya numret med en sms-kod.'
          : "By the mailbox itself: someone signed in with the mailbox's password and confirmed the new number with a code by text message.";
      }
      return lang === 'sv'
        ? 'Av brevlådan själv: någon loggade in med brevlådans nuvarande lösenord och bytte det.'
        : "By the mailbox itself: someone signed in with the mailbox's current password and changed it.";
    case 'on_behalf':
      return lang === 'sv'
        ? `Av ${actor} (chef eller ombud) för brevlådans räkning.`
        : `By ${actor} (manager or delegate) on the mailbox's behalf.`;
    case 'admin':
      return lang === 'sv' ? `Av administratören ${actor}.` : `By the administrator ${actor}.`;
  }
}

function changeBody(n: ChangeNotice, lang: 'sv' | 'en'): string {
  const box = `${clean(n.displayName)} (${clean(n.username)})`;
  const unit = clean(n.unitName);
  const address = n.ip ? clean(n.ip) : lang === 'sv' ? 'okänd' : 'unknown';
  if (lang === 'sv') {
    const what =
      n.change === 'password'
        ? `Lösenordet för brevlådan ${box} har bytts.`
        : `Mobilnumret för lösenordsåterställning av brevlådan ${box} har bytts${
            n.maskedPhone ? ` till ${n.maskedPhone}` : ''
          }.`;
    return [
      'Hej,',
      what,
      [
        `Hur: ${how(n, 'sv')}`,
        `När: ${formatDateTime(n.at, 'sv')} (svensk tid)`,
        `Varifrån: ${address === 'okänd' ? 'okänd adress' : `IP-adress ${address}`}`,
      ].join('\n'),
      `Se brevlådan och dess logg i Nyckel:\n${n.link}`,
      supportLine(n.support, 'sv', 'unexpected'),
      `Du får det här meddelandet eftersom du är chef eller ombud för ${unit}.`,
    ].join('\n\n');
  }
  const what =
    n.change === 'password'
      ? `The password of the mailbox ${box} has been changed.`
      : `The mobile number for password resets of the mailbox ${box} has been changed${
          n.maskedPhone ? ` to ${n.maskedPhone}` : ''
        }.`;
  return [
    'Hello,',
    what,
    [
      `How: ${how(n, 'en')}`,
      `When: ${formatDateTime(n.at, 'en')} (Swedish time)`,
      `From: ${address === 'unknown' ? 'unknown address' : `IP address ${address}`}`,
    ].join('\n'),
    `See the mailbox and its log in Nyckel:\n${n.link}`,
    supportLine(n.support, 'en', 'unexpected'),
    `You receive this because you are a manager or delegate of ${unit}.`,
  ].join('\n\n');
}

/** The notice to a unit's managers and delegates after a password or phone change. */
export function changeNoticeMail(n: ChangeNotice): MailText {
  const username = clean(n.username);
  const subject =
    n.change === 'password'
      ? `Nyckel: lösenordet för ${username} har bytts / Password changed`
      : `Nyckel: mobilnumret för ${username} har bytts / Mobile number changed`;
  return { subject, text: `${changeBody(n, 'sv')}${SEPARATOR}${changeBody(n, 'en')}` };
}

export interface Reminder {
  username: string;
  displayName: string;
  unitName: string;
  due: number;
  /** Calendar days left in Sweden (negative when past due). */
  daysLeft: number;
  maxAgeDays: number;
  link: string;
  origin: string;
  support: Support;
}

function whenDue(r: Reminder, lang: 'sv' | 'en'): string {
  const date = formatDate(r.due, lang);
  const d = r.daysLeft;
  if (lang === 'sv') {
    if (d > 1) return `senast ${date}, om ${d} dagar`;
    if (d === 1) return `senast ${date}, i morgon`;
    if (d === 0) return `i dag, ${date}`;
    return `senast ${date}, för ${-d} ${d === -1 ? 'dag' : 'dagar'} sedan`;
  }
  if (d > 1) return `by ${date}, in ${d} days`;
  if (d === 1) return `by ${date}, tomorrow`;
  if (d === 0) return `today, ${date}`;
  return `by ${date}, ${-d} ${d === -1 ? 'day' : 'days'} ago`;
}

function reminderBody(r: Reminder, lang: 'sv' | 'en'): string {
  const box = `${clean(r.displayName)} (${clean(r.username)})`;
  const unit = clean(r.unitName);
  if (lang === 'sv') {
    return [
      'Hej,',
      `Lösenordet för brevlådan ${box} ska bytas ${whenDue(r, 'sv')}. Enligt rutinen byts det var ${r.maxAgeDays}:e dag.`,
      [
        'Så här byter ni det:',
        `• Öppna brevlådan i Nyckel och välj att byta lösenordet åt brevlådan:\n  ${r.link}`,
        `• Eller låt den som använder brevlådan byta själv på ${r.origin} – logga in med brevlådan, eller välj "Glömt lösenordet" och få en sms-kod till brevlådans registrerade nummer.`,
      ].join('\n'),
      supportLine(r.support, 'sv', 'questions'),
      `Du får det här meddelandet eftersom du är chef eller ombud för ${unit}.`,
    ].join('\n\n');
  }
  return [
    'Hello,',
    `The password of the mailbox ${box} must be changed ${whenDue(r, 'en')}. The routine is to change it every ${r.maxAgeDays} days.`,
    [
      'How to change it:',
      `• Open the mailbox in Nyckel and change the password on its behalf:\n  ${r.link}`,
      `• Or let whoever uses the mailbox change it at ${r.origin} – sign in with the mailbox, or choose "Forgot password" to get a code by text message on the mailbox's registered number.`,
    ].join('\n'),
    supportLine(r.support, 'en', 'questions'),
    `You receive this because you are a manager or delegate of ${unit}.`,
  ].join('\n\n');
}

/** The rotation reminder to a unit's managers and delegates. */
export function reminderMail(r: Reminder): MailText {
  const username = clean(r.username);
  const date = formatDate(r.due, 'sv');
  const subject =
    r.daysLeft > 0
      ? `Nyckel: byt lösenordet för ${username} senast ${date} / Password due ${formatDate(r.due, 'en')}`
      : r.daysLeft === 0
        ? `Nyckel: byt lösenordet för ${username} i dag / Password due today`
        : `Nyckel: lösenordet för ${username} skulle ha bytts ${date} / Password overdue`;
  return { subject, text: `${reminderBody(r, 'sv')}${SEPARATOR}${reminderBody(r, 'en')}` };
}

/** The SMS to the mailbox's own number a few days before the password is due. */
export function reminderSms(r: { username: string; due: number; origin: string }): string {
  return `Nyckel: lösenordet för ${clean(r.username)} ska bytas senast ${formatDate(r.due, 'sv')}. Byt det på ${r.origin} (logga in, eller välj "Glömt lösenordet"). / Password due ${formatDate(r.due, 'en')}: change it at the link.`;
}

/**
 * An initial password to fetch: the mail to the unit's managers and delegates links straight to
 * the identity and says from which date it works; never the password itself.
 */
export interface InitialPasswordNotice {
  givenName: string;
  familyName: string;
  userId: string;
  unitName: string;
  /** The employment start date, YYYY-MM-DD. */
  startDate: string;
  reason: 'new' | 'reactivated';
  /** Straight to the identity in the app. */
  link: string;
  support: Support;
  /** Set for the reminder a few days before the start date. */
  daysLeft?: number;
}

/** A calendar date (YYYY-MM-DD) in words: noon UTC is the same date in Sweden. */
export function formatDay(day: string, lang: 'sv' | 'en'): string {
  return formatDate(Date.parse(`${day}T12:00:00Z`) / 1000, lang);
}

function initialBody(n: InitialPasswordNotice, lang: 'sv' | 'en'): string {
  const who = `${clean(n.givenName)} ${clean(n.familyName)} (${clean(n.userId)})`;
  const start = formatDay(n.startDate, lang);
  const unit = clean(n.unitName);
  if (lang === 'sv') {
    return [
      'Hej,',
      n.daysLeft === undefined
        ? `${who} ${n.reason === 'new' ? 'börjar' : 'börjar igen'} i ${unit} den ${start} och behöver ett initialt lösenord. Hämta det i Nyckel och lämna det till personen.`
        : `Det initiala lösenordet för ${who} är inte hämtat än, och personen börjar ${n.daysLeft === 0 ? 'i dag' : `om ${n.daysLeft} ${n.daysLeft === 1 ? 'dag' : 'dagar'}`} (${start}).`,
      `Hämta lösenordet (logga in med lösenordsnyckel, app eller SITHS-kort):\n${n.link}`,
      `Lösenordet fungerar från och med startdatumet och bara fram till den första inloggningen; då väljer personen ett eget lösenord. Du kan hämta det flera gånger, det ändras inte av det.`,
      supportLine(n.support, 'sv', 'questions'),
      `Du får det här meddelandet eftersom du är chef eller ombud för ${unit}.`,
    ].join('\n\n');
  }
  return [
    'Hello,',
    n.daysLeft === undefined
      ? `${who} ${n.reason === 'new' ? 'starts' : 'starts again'} in ${unit} on ${start} and needs an initial password. Fetch it in Nyckel and hand it over to them.`
      : `The initial password for ${who} has not been fetched yet, and they start ${n.daysLeft === 0 ? 'today' : `in ${n.daysLeft} ${n.daysLeft === 1 ? 'day' : 'days'}`} (${start}).`,
    `Fetch the password (sign in with a passkey, an app or a SITHS card):\n${n.link}`,
    'The password works from the start date and only until the first login, when the person chooses their own. You can fetch it several times; that does not change it.',
    supportLine(n.support, 'en', 'questions'),
    `You receive this because you are a manager or delegate of ${unit}.`,
  ].join('\n\n');
}

export function initialPasswordMail(n: InitialPasswordNotice): MailText {
  const name = `${clean(n.givenName)} ${clean(n.familyName)}`;
  const subject =
    n.daysLeft === undefined
      ? `Nyckel: hämta initialt lösenord för ${name} / Fetch an initial password`
      : `Nyckel: påminnelse – hämta initialt lösenord för ${name} / Reminder: fetch an initial password`;
  return { subject, text: `${initialBody(n, 'sv')}${SEPARATOR}${initialBody(n, 'en')}` };
}

/**
 * The webhook's receiver, writeback or connector key changed: every other administrator is
 * told, so one administrator cannot quietly send the passwords that writeback carries to a
 * receiver and a key of their own. URLs are origin and path only; keys by their thumbprint.
 */
export interface WebhookChangeNotice {
  /** The administrator who changed it (a person's name). */
  changedBy: string;
  at: number;
  ip: string | null;
  before: WebhookState;
  after: WebhookState;
  /** The administration page of the webhook. */
  link: string;
}

export interface WebhookState {
  /** '' when nothing is sent. */
  url: string;
  writeback: boolean;
  /** RFC 7638 thumbprint of the connector's key, or null. */
  keyThumbprint: string | null;
}

function webhookLines(s: WebhookState, lang: 'sv' | 'en'): string[] {
  const none = lang === 'sv' ? '(ingen)' : '(none)';
  return lang === 'sv'
    ? [
        `Mottagare: ${s.url ? clean(s.url) : none}`,
        `Skicka nya lösenord (writeback): ${s.writeback ? 'på' : 'av'}`,
        `Kopplingens nyckel (tumavtryck): ${s.keyThumbprint ?? none}`,
      ]
    : [
        `Receiver: ${s.url ? clean(s.url) : none}`,
        `Send new passwords (writeback): ${s.writeback ? 'on' : 'off'}`,
        `Connector key (thumbprint): ${s.keyThumbprint ?? none}`,
      ];
}

function webhookBody(n: WebhookChangeNotice, lang: 'sv' | 'en'): string {
  const who = clean(n.changedBy);
  const when = formatDateTime(n.at, lang);
  const from = n.ip ? (lang === 'sv' ? ` från ${n.ip}` : ` from ${n.ip}`) : '';
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`).join('\n');
  if (lang === 'sv') {
    return [
      'Hej,',
      `${who} ändrade Nyckels webhook till katalogkopplingen den ${when}${from}.`,
      `Före:\n${indent(webhookLines(n.before, 'sv'))}`,
      `Efter:\n${indent(webhookLines(n.after, 'sv'))}`,
      'Med writeback på skickas varje nytt lösenord, krypterat med nyckeln ovan, till mottagaren. Känner du inte igen ändringen? Kontrollera den med den som gjorde den, och stäng av writeback eller återställ mottagaren i Administration:',
      n.link,
      'Du får det här meddelandet eftersom du är administratör i Nyckel.',
    ].join('\n\n');
  }
  return [
    'Hello,',
    `${who} changed Nyckel's webhook to the directory connector on ${when}${from}.`,
    `Before:\n${indent(webhookLines(n.before, 'en'))}`,
    `After:\n${indent(webhookLines(n.after, 'en'))}`,
    'With writeback on, every new password is sent to the receiver, encrypted to the key above. Do you not recognise the change? Check it with whoever made it, and turn writeback off or restore the receiver in Administration:',
    n.link,
    'You receive this because you are an administrator in Nyckel.',
  ].join('\n\n');
}

export function webhookChangeMail(n: WebhookChangeNotice): MailText {
  return {
    subject: `Nyckel: webhooken ändrades av ${clean(n.changedBy)} / The webhook was changed`,
    text: `${webhookBody(n, 'sv')}${SEPARATOR}${webhookBody(n, 'en')}`,
  };
}
