import { createTexts } from '../i18n-core';

/** The words of a staff member's personal link to a password. */
const TEXT = {
  revealHeading: {
    sv: 'Lösenord till brevlådan {username}',
    en: 'Password of the mailbox {username}',
  },
  checkingLink: { sv: 'Kontrollerar länken…', en: 'Checking the link…' },
  readyBody: {
    sv: 'Lösenordet visas bara en gång, i {n} sekunder. Under tiden kan du byta till e-postappen och komma tillbaka hit. Se till att ingen annan ser skärmen innan du trycker.',
    en: 'The password is shown only once, for {n} seconds. Meanwhile you can switch to your mail app and come back here. Make sure nobody else can see the screen before you tap.',
  },
  readyUntil: { sv: 'Länken gäller till {when}.', en: 'The link works until {when}.' },
  revealShow: { sv: 'Visa lösenordet', en: 'Show the password' },
  shownLabel: { sv: 'Lösenordet till {username}', en: 'The password of {username}' },
  shownHint: {
    sv: 'Kopiera det, eller skriv av det. Du kan byta till e-postappen och komma tillbaka hit medan tiden räcker – så länge du är borta är lösenordet suddigt.',
    en: 'Copy it, or type it from here. You can switch to your mail app and come back here while the time lasts – while you are away the password is blurred.',
  },
  countdown: { sv: 'Döljs om {n} s', en: 'Hidden in {n} s' },
  announceStart: {
    sv: 'Lösenordet visas i {n} sekunder.',
    en: 'The password is shown for {n} seconds.',
  },
  announceSoon: { sv: '{n} sekunder kvar.', en: '{n} seconds left.' },
  hideNow: { sv: 'Dölj nu', en: 'Hide now' },
  goneHeading: { sv: 'Lösenordet är dolt', en: 'The password is hidden' },
  goneBody: {
    sv: 'Länken är använd och kan inte visa lösenordet igen. Behöver du det igen? Be den som delade det om en ny länk.',
    en: 'The link is used and cannot show the password again. Need it again? Ask the person who shared it for a new link.',
  },
  spentHeading: { sv: 'Länken är använd', en: 'The link has been used' },
  spentViewed: {
    sv: 'Den här länken är redan använd – lösenordet visades {when}. Be den som delade det om en ny länk.',
    en: 'This link has already been used – the password was shown {when}. Ask the person who shared it for a new link.',
  },
  spentViewedNoTime: {
    sv: 'Den här länken är redan använd. Be den som delade lösenordet om en ny länk.',
    en: 'This link has already been used. Ask the person who shared the password for a new link.',
  },
  expiredHeading: { sv: 'Länken har gått ut', en: 'The link has expired' },
  expiredBody: {
    sv: 'Länken gällde i 24 timmar. Be den som delade lösenordet om en ny länk.',
    en: 'The link worked for 24 hours. Ask the person who shared the password for a new link.',
  },
  revokedHeading: { sv: 'Länken gäller inte längre', en: 'The link no longer works' },
  revokedBody: {
    sv: 'Du har fått en nyare länk, eller så har lösenordet bytts igen. Använd det senaste sms:et eller be den som delade lösenordet om en ny länk.',
    en: 'You have been sent a newer link, or the password has been changed again. Use the latest text message or ask the person who shared the password for a new link.',
  },
  invalidHeading: { sv: 'Länken fungerar inte', en: 'The link does not work' },
  invalidBody: {
    sv: 'Kontrollera att du öppnade hela länken från sms:et. Fungerar det ändå inte, be den som delade lösenordet om en ny länk.',
    en: 'Check that you opened the whole link from the text message. If it still does not work, ask the person who shared the password for a new link.',
  },
  missingBody: {
    sv: 'Adressen saknar länkens kod. Öppna länken i sms:et igen.',
    en: 'The address lacks the link’s code. Open the link in the text message again.',
  },
  partialBody: {
    sv: 'Koden i adressen är ofullständig eller felaktig – troligen kom bara en del av länken med. Öppna länken genom att trycka på den i sms:et. Fungerar det ändå inte, be den som delade lösenordet om en ny länk.',
    en: 'The code in the address is incomplete or wrong – probably only part of the link came along. Open the link by tapping it in the text message. If it still does not work, ask the person who shared the password for a new link.',
  },
  throttledHeading: { sv: 'För många försök', en: 'Too many attempts' },
  throttledBody: {
    sv: 'Många felaktiga länkar har öppnats härifrån. Försök igen om {time}.',
    en: 'Many wrong links have been opened from here. Try again in {time}.',
  },
  errorHeading: { sv: 'Något gick fel', en: 'Something went wrong' },
} as const;

export const revealTexts = createTexts(TEXT);
export const useRevealT = revealTexts.useTexts;
