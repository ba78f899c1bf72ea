import { describe, expect, it } from 'vitest';
import {
  type ChangeNotice,
  changeNoticeMail,
  daysUntil,
  formatDate,
  formatDateTime,
  type Reminder,
  reminderMail,
  reminderSms,
} from '../../worker/domain/mail-text';
import type { SupportChannel } from '../../worker/domain/support';

const at = (iso: string) => Date.parse(iso) / 1000;

/** The guide's channels: a menu choice on the switchboard, an address, a Treserva message. */
const SUPPORT: SupportChannel[] = [
  {
    label: '2000, knappval 3 och 1',
    labelEn: '2000, then 3 and 1',
    tel: '+4619211000',
    email: null,
    hours: 'Vardagar 8–16',
    hoursEn: 'Weekdays 8–16',
  },
  { label: '', labelEn: null, tel: null, email: 'support@example.se', hours: null, hoursEn: null },
  {
    label: 'Skicka ett meddelande i Treserva',
    labelEn: null,
    tel: null,
    email: null,
    hours: null,
    hoursEn: null,
  },
];

function notice(overrides: Partial<ChangeNotice> = {}): ChangeNotice {
  return {
    change: 'password',
    via: 'reset',
    actorLabel: 'hemtjanstab',
    at: at('2026-07-01T12:05:00Z'),
    ip: '198.51.100.7',
    username: 'hemtjanstab',
    displayName: 'Hemtjänst Åby',
    unitName: 'Hemtjänsten Åby',
    maskedPhone: null,
    link: 'https://nyckel.test/chef/brevlada/mb-1',
    support: SUPPORT,
    ...overrides,
  };
}

function reminder(overrides: Partial<Reminder> = {}): Reminder {
  return {
    username: 'hemtjanstab',
    displayName: 'Hemtjänst Åby',
    unitName: 'Hemtjänsten Åby',
    due: at('2026-07-15T09:00:00Z'),
    daysLeft: 14,
    maxAgeDays: 90,
    link: 'https://nyckel.test/chef/brevlada/mb-1',
    origin: 'https://nyckel.test',
    support: SUPPORT,
    ...overrides,
  };
}

/** The Swedish part and the English part of a bilingual text. */
function halves(text: string): [string, string] {
  const [sv = '', en = ''] = text.split('――――――――');
  return [sv, en];
}

describe('dates in Swedish time', () => {
  it('shows summer time (CEST, UTC+2) with the date and a 24-hour clock', () => {
    expect(formatDateTime(at('2026-07-01T12:05:00Z'), 'sv')).toBe('1 juli 2026 kl. 14:05');
    expect(formatDateTime(at('2026-07-01T12:05:00Z'), 'en')).toBe('1 July 2026 at 14:05');
  });

  it('shows winter time (CET, UTC+1)', () => {
    expect(formatDateTime(at('2026-01-15T22:30:00Z'), 'sv')).toBe('15 januari 2026 kl. 23:30');
  });

  it('uses the Swedish date, not the UTC one, just after midnight in Sweden', () => {
    expect(formatDate(at('2026-03-31T22:30:00Z'), 'sv')).toBe('1 april 2026');
    expect(formatDate(at('2026-03-31T22:30:00Z'), 'en')).toBe('1 April 2026');
  });

  it('counts calendar days in Sweden, whatever the hour', () => {
    const morning = at('2026-07-01T04:05:00Z');
    expect(daysUntil(at('2026-07-15T21:00:00Z'), morning)).toBe(14);
    expect(daysUntil(at('2026-07-01T21:59:00Z'), morning)).toBe(0);
    // 22:30 UTC is already the next day in Sweden.
    expect(daysUntil(at('2026-07-01T22:30:00Z'), morning)).toBe(1);
    expect(daysUntil(at('2026-06-26T10:00:00Z'), morning)).toBe(-5);
  });

  it('counts across the change to summer time', () => {
    expect(daysUntil(at('2026-03-30T06:00:00Z'), at('2026-03-28T06:00:00Z'))).toBe(2);
    expect(daysUntil(at('2026-10-26T06:00:00Z'), at('2026-10-24T06:00:00Z'))).toBe(2);
  });
});

describe('the change notice', () => {
  it('says in Swedish, then English, what happened, how, when, from where, with the link', () => {
    const { subject, text } = changeNoticeMail(notice());
    expect(subject).toBe('Nyckel: lösenordet för hemtjanstab har bytts / Password changed');
    const [sv, en] = halves(text);
    expect(sv).toContain('Lösenordet för brevlådan Hemtjänst Åby (hemtjanstab) har bytts.');
    expect(sv).toContain('sms-kod');
    expect(sv).toContain('När: 1 juli 2026 kl. 14:05 (svensk tid)');
    expect(sv).toContain('IP-adress 198.51.100.7');
    expect(sv).toContain('https://nyckel.test/chef/brevlada/mb-1');
    expect(sv).toContain(
      [
        'Var det här inte väntat? Kontakta support:',
        '• 2000, knappval 3 och 1: 019-21 10 00 (Vardagar 8–16)',
        '• support@example.se',
        '• Skicka ett meddelande i Treserva',
      ].join('\n'),
    );
    expect(en).toContain('• 2000, then 3 and 1: 019-21 10 00 (Weekdays 8–16)');
    // The organisation wrote no English label here: its Swedish one, as written.
    expect(en).toContain('• Skicka ett meddelande i Treserva');
    expect(sv).toContain('Hemtjänsten Åby');
    expect(en).toContain(
      'The password of the mailbox Hemtjänst Åby (hemtjanstab) has been changed.',
    );
    expect(en).toContain('When: 1 July 2026 at 14:05 (Swedish time)');
    expect(en).toContain('IP address 198.51.100.7');
    expect(en).toContain('https://nyckel.test/chef/brevlada/mb-1');
    expect(text.indexOf('Hej,')).toBeLessThan(text.indexOf('Hello,'));
  });

  it.each([
    ['reset', 'Med självservice', 'By self-service'],
    ['self', 'Av brevlådan själv', 'By the mailbox itself'],
    ['on_behalf', 'Av Anna Chef (chef eller ombud)', 'By Anna Chef (manager or delegate)'],
    ['admin', 'Av administratören Anna Chef', 'By the administrator Anna Chef'],
  ] as const)('says how for %s', (via, sv, en) => {
    const { text } = changeNoticeMail(notice({ via, actorLabel: 'Anna Chef' }));
    expect(halves(text)[0]).toContain(sv);
    expect(halves(text)[1]).toContain(en);
  });

  it('says "okänd" when the address is not known', () => {
    const { text } = changeNoticeMail(notice({ ip: null }));
    expect(halves(text)[0]).toContain('Varifrån: okänd adress');
    expect(halves(text)[1]).toContain('From: unknown address');
  });

  it('shows the new number masked for a phone change', () => {
    const { subject, text } = changeNoticeMail(
      notice({ change: 'phone', via: 'self', maskedPhone: '070-••• 65 43' }),
    );
    expect(subject).toBe('Nyckel: mobilnumret för hemtjanstab har bytts / Mobile number changed');
    expect(halves(text)[0]).toContain('har bytts till 070-••• 65 43.');
    expect(halves(text)[0]).toContain('bekräftade det nya numret med en sms-kod');
    expect(halves(text)[1]).toContain('changed to 070-••• 65 43.');
  });

  it('keeps line breaks in names out of the subject and the lines', () => {
    const { subject, text } = changeNoticeMail(
      notice({ username: 'a\r\nBcc: x@example.com', displayName: 'Åby\nFalsk rad' }),
    );
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toContain('a Bcc: x@example.com');
    expect(text).toContain('Åby Falsk rad');
    expect(text).not.toContain('\r');
  });

  it('names some support even when none is configured', () => {
    const { text } = changeNoticeMail(notice({ support: [] }));
    expect(halves(text)[0]).toContain('Kontakta support: din IT-support.');
  });
});

describe('the rotation reminder', () => {
  it('gives the due date, the days left, the link and both ways to change it', () => {
    const { subject, text } = reminderMail(reminder());
    expect(subject).toBe(
      'Nyckel: byt lösenordet för hemtjanstab senast 15 juli 2026 / Password due 15 July 2026',
    );
    const [sv, en] = halves(text);
    expect(sv).toContain('ska bytas senast 15 juli 2026, om 14 dagar');
    expect(sv).toContain('var 90:e dag');
    expect(sv).toContain('https://nyckel.test/chef/brevlada/mb-1');
    expect(sv).toContain('Glömt lösenordet');
    expect(en).toContain('must be changed by 15 July 2026, in 14 days');
    expect(en).toContain('https://nyckel.test/chef/brevlada/mb-1');
  });

  it('ends with every support channel, the way the organisation wrote it', () => {
    const [sv, en] = halves(reminderMail(reminder()).text);
    expect(sv).toContain('Frågor? Kontakta support:\n• 2000, knappval 3 och 1: 019-21 10 00');
    expect(en).toContain('Questions? Contact support:\n• 2000, then 3 and 1: 019-21 10 00');
    // A label is never turned into a number, nor a number into something else.
    expect(sv).not.toMatch(/200031|\+4619211000/);
  });

  it.each([
    [3, 'om 3 dagar', 'in 3 days', 'senast'],
    [1, 'i morgon', 'tomorrow', 'senast'],
    [0, 'i dag, 15 juli 2026', 'today, 15 July 2026', 'i dag'],
    [-1, 'för 1 dag sedan', '1 day ago', 'skulle ha bytts'],
    [-5, 'för 5 dagar sedan', '5 days ago', 'skulle ha bytts'],
  ])('words %i days left', (daysLeft, sv, en, subject) => {
    const mail = reminderMail(reminder({ daysLeft }));
    expect(halves(mail.text)[0]).toContain(sv);
    expect(halves(mail.text)[1]).toContain(en);
    expect(mail.subject).toContain(subject);
  });

  it('texts the mailbox the date and where to change it', () => {
    const sms = reminderSms({
      username: 'hemtjanstab',
      due: reminder().due,
      origin: 'https://nyckel.test',
    });
    expect(sms).toContain('hemtjanstab');
    expect(sms).toContain('15 juli 2026');
    expect(sms).toContain('https://nyckel.test');
    expect(sms.length).toBeLessThan(260);
  });
});
