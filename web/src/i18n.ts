import { TIME_ZONE } from './format-time';
import { createTexts, type Lang, type TextKeyOf } from './i18n-core';

export { formatTime } from './format-time';
export { type Lang, LangContext, useLang } from './i18n-core';

/**
 * Every text of the app, Swedish first (klarspråk: short sentences, the reader as "du").
 * Server error messages come localised from the API; these are the app's own words.
 */
const TEXT = {
  appName: { sv: 'Nyckel', en: 'Nyckel' },
  tagline: {
    sv: 'Lösenord för enhetens brevlåda',
    en: 'Passwords for your unit’s mailbox',
  },
  switchLanguage: { sv: 'English', en: 'Svenska' },
  switchLanguageLabel: { sv: 'Byt språk till engelska', en: 'Change language to Swedish' },
  home: { sv: 'Till start', en: 'Back to start' },
  back: { sv: 'Tillbaka', en: 'Back' },
  next: { sv: 'Nästa', en: 'Next' },

  startHeading: { sv: 'Vad vill du göra?', en: 'What do you want to do?' },
  actionRegister: { sv: 'Registrera mobilnummer', en: 'Register a mobile number' },
  actionRegisterHint: {
    sv: 'Lägg in eller byt numret som får säkerhetskoder.',
    en: 'Add or change the number that receives security codes.',
  },
  actionReset: { sv: 'Glömt lösenordet', en: 'Forgot the password' },
  actionResetHint: {
    sv: 'Få en kod på sms och välj ett nytt lösenord.',
    en: 'Get a code by text message and choose a new password.',
  },
  actionChange: { sv: 'Byt lösenord', en: 'Change the password' },
  mustChangeHeading: { sv: 'Byt lösenordet först', en: 'Change the password first' },
  mustChangeBody: {
    sv: 'Lösenordet för {username} stämmer, men det måste bytas innan du kan fortsätta: det är äldre än rutinens tre månader, eller så kräver domänen ett nytt. Välj ett nytt lösenord här; det nuvarande behöver du inte skriva igen.',
    en: 'The password for {username} is right, but it must be changed before you go on: it is older than the routine’s three months, or the domain requires a new one. Choose a new password here; you need not type the current one again.',
  },
  continueToPhone: { sv: 'Fortsätt till mobilnumret', en: 'Go on to the mobile number' },
  actionChangeHint: {
    sv: 'Du kan det nuvarande lösenordet och vill byta, till exempel var tredje månad.',
    en: 'You know the current password and want to change it, for example every three months.',
  },
  internalHeading: { sv: 'Du är på kommunens nätverk', en: 'You are on the municipal network' },
  internalBody: {
    sv: 'Att registrera ett mobilnummer går bara utanför kommunens nätverk. Stäng av wifi på telefonen så att den använder mobildata och ladda sedan om sidan. Att byta lösenord och att återställa med sms-kod fungerar härifrån.',
    en: 'Registering a mobile number only works outside the municipal network. Turn off Wi-Fi on your phone so it uses mobile data, then reload the page. Changing the password and resetting it with a text message code work from here.',
  },
  registerDisabled: {
    sv: 'Inte möjligt på kommunens nätverk',
    en: 'Not possible on the municipal network',
  },
  offline: {
    sv: 'Du är offline. Att återställa eller byta lösenord och att registrera nummer kräver en internetanslutning.',
    en: 'You are offline. Resetting or changing the password and registering a number need an internet connection.',
  },
  supportHeading: { sv: 'Behöver du hjälp?', en: 'Need help?' },
  humanCheckHeading: {
    sv: 'Bekräfta att du är en människa',
    en: 'Confirm that you are a person',
  },
  humanCheckHelp: {
    sv: 'Gör kontrollen i rutan nedan (den heter Cloudflare Turnstile). När den är klar skickas din förfrågan igen av sig själv.',
    en: 'Complete the check in the box below (it is called Cloudflare Turnstile). When it is done, your request is sent again by itself.',
  },
  humanCheckPassed: {
    sv: 'Kontrollen är klar. Skickar igen …',
    en: 'The check is done. Sending again …',
  },
  humanCheckReady: {
    sv: 'Kontrollen är klar. Tryck på knappen igen.',
    en: 'The check is done. Press the button again.',
  },
  humanCheckUnavailable: {
    sv: 'Kontrollen kunde inte laddas. Kontrollera anslutningen, ladda om sidan och försök igen.',
    en: 'The check could not be loaded. Check your connection, reload the page and try again.',
  },
  supportCall: { sv: 'Ring', en: 'Call' },
  supportMail: { sv: 'Mejla', en: 'E-mail' },
  mailboxName: { sv: 'Brevlådans namn', en: 'Mailbox name' },

  username: { sv: 'Brevlådans användarnamn', en: 'Mailbox username' },
  usernameHint: { sv: 'Till exempel hemtjanstab', en: 'For example hemtjanstab' },
  currentPassword: { sv: 'Brevlådans nuvarande lösenord', en: 'The mailbox’s current password' },
  show: { sv: 'Visa', en: 'Show' },
  hide: { sv: 'Dölj', en: 'Hide' },
  showPassword: { sv: 'Visa lösenord', en: 'Show password' },
  hidePassword: { sv: 'Dölj lösenord', en: 'Hide password' },

  registerHeading: { sv: 'Registrera mobilnummer', en: 'Register a mobile number' },
  registerIntro: {
    sv: 'Logga in med brevlådans användarnamn och nuvarande lösenord.',
    en: 'Sign in with the mailbox’s username and current password.',
  },
  phoneNone: {
    sv: 'Inget nummer är registrerat för brevlådan ännu.',
    en: 'No number is registered for the mailbox yet.',
  },
  phoneCurrent: { sv: 'Registrerat nummer:', en: 'Registered number:' },
  phoneLabel: { sv: 'Mobilnummer som ska få koder', en: 'Mobile number to receive codes' },
  phoneHint: {
    sv: 'Använd en arbetsmobil i första hand. Ett privat nummer går också bra.',
    en: 'Use a work phone if you have one. A private number is fine too.',
  },
  phoneSend: { sv: 'Skicka kod till numret', en: 'Send a code to the number' },
  phoneKeep: { sv: 'Numret stämmer', en: 'The number is right' },
  phoneCodeHeading: { sv: 'Bekräfta numret', en: 'Confirm the number' },
  phoneCodeIntro: {
    sv: 'Vi har skickat en kod till {phone}. Numret sparas när du har skrivit in koden.',
    en: 'We sent a code to {phone}. The number is saved when you enter the code.',
  },
  registeredHeading: { sv: 'Numret är registrerat', en: 'The number is registered' },
  registeredBody: {
    sv: 'Säkerhetskoder för {username} går nu till {phone}.',
    en: 'Security codes for {username} now go to {phone}.',
  },
  registeredFirst: {
    sv: 'Var det första gången ett nummer registrerades? Byt gärna lösenordet nu, så vet ni att det nya är känt av rätt personer.',
    en: 'Was this the first time a number was registered? You may want to change the password now, so the right people know the new one.',
  },
  changeNow: { sv: 'Byt lösenord nu', en: 'Change the password now' },
  stepOf: { sv: 'Steg {n} av {of}', en: 'Step {n} of {of}' },
  unchangedHeading: { sv: 'Numret var redan registrerat', en: 'The number was already registered' },

  resetHeading: { sv: 'Återställ lösenord', en: 'Reset the password' },
  resetIntro: {
    sv: 'Skriv brevlådans användarnamn. Vi skickar en säkerhetskod till det registrerade mobilnumret.',
    en: 'Enter the mailbox username. We send a security code to the registered mobile number.',
  },
  sendCode: { sv: 'Skicka kod', en: 'Send code' },
  codeHeading: { sv: 'Skriv in koden', en: 'Enter the code' },
  codeSentAt: {
    sv: 'Sms skickat {time} till det registrerade numret, om användarnamnet har ett. Det kan ta upp till 3 minuter.',
    en: 'Text sent at {time} to the registered number, if the username has one. It can take up to 3 minutes.',
  },
  codeLabel: { sv: 'Säkerhetskod (6 siffror)', en: 'Security code (6 digits)' },
  codeHint: {
    sv: 'Du kan klistra in hela sms:et.',
    en: 'You can paste the whole text message.',
  },
  resendWait: {
    sv: 'Inget sms? Du kan få koden igen om {time}.',
    en: 'No text? You can get the code again in {time}.',
  },
  resendNow: { sv: 'Skicka samma kod igen', en: 'Send the same code again' },
  resendExplain: {
    sv: 'Du får samma kod igen, så ett sms som kommer sent fungerar fortfarande.',
    en: 'You get the same code again, so a text that arrives late still works.',
  },
  resent: { sv: 'Koden är skickad igen.', en: 'The code was sent again.' },
  noSmsHeading: { sv: 'Har inget sms kommit?', en: 'Has no text message come?' },
  noSmsNoNumber: {
    sv: 'Då kan det bero på att brevlådan inte har något registrerat mobilnummer, eller på att numret har bytts.',
    en: 'Then the mailbox may have no registered mobile number, or the number may have changed.',
  },
  noSmsManager: {
    sv: 'Enhetens chef eller ombud kan återställa lösenordet åt er i Nyckel. Den som kan brevlådans nuvarande lösenord kan registrera ett nummer här:',
    en: 'The unit’s manager or a delegate can reset the password for you in Nyckel. Someone who knows the mailbox’s current password can register a number here:',
  },
  noSmsSupport: { sv: 'Eller kontakta supporten:', en: 'Or contact support:' },
  attemptsLeft: { sv: 'Försök kvar: {n}.', en: 'Tries left: {n}.' },
  // The day's wrong codes for the username are spent (429 reset_blocked_today).
  resetBlockedHint: {
    sv: 'Enhetens chef eller ombud kan öppna brevlådan i Nyckel och välja ”Lås upp”, eller återställa lösenordet åt er.',
    en: 'The unit’s manager or a delegate can open the mailbox in Nyckel and choose “Unlock”, or reset the password for you.',
  },
  startOver: { sv: 'Börja om', en: 'Start over' },
  newPasswordHeading: { sv: 'Välj nytt lösenord', en: 'Choose a new password' },
  newPassword: { sv: 'Nytt lösenord', en: 'New password' },
  confirmPassword: { sv: 'Nytt lösenord igen', en: 'New password again' },
  checklistHeading: { sv: 'Lösenordet måste', en: 'The password must' },
  ruleLength: { sv: 'ha minst {n} tecken', en: 'have at least {n} characters' },
  ruleClasses: {
    sv: 'ha {n} av 4: versal A–Z, gemen a–z, siffra, specialtecken',
    en: 'have {n} of 4: upper case A–Z, lower case a–z, digit, special character',
  },
  ruleCharacters: {
    sv: 'inte innehålla Å, Ä, Ö eller andra tecken som saknas på vissa tangentbord',
    en: 'not contain Å, Ä, Ö or other characters some keyboards lack',
  },
  ruleUsername: { sv: 'inte innehålla användarnamnet', en: 'not contain the username' },
  ruleMatch: { sv: 'vara likadant i båda fälten', en: 'be the same in both fields' },
  ruleReused: { sv: 'inte vara använt förut', en: 'not have been used before' },
  ruleCommon: { sv: 'inte vara ett vanligt lösenord', en: 'not be a common password' },
  ruleServer: {
    sv: 'De två sista kontrollerar vi när du sparar.',
    en: 'We check the last two when you save.',
  },
  ruleMet: { sv: 'uppfyllt', en: 'met' },
  ruleNotMet: { sv: 'inte uppfyllt än', en: 'not met yet' },
  ruleBroken: { sv: 'uppfylls inte', en: 'not met' },
  usernameMissing: {
    sv: 'Skriv brevlådans användarnamn, till exempel hemtjanstab.',
    en: 'Type the mailbox username, for example hemtjanstab.',
  },
  currentPasswordMissing: {
    sv: 'Skriv brevlådans nuvarande lösenord.',
    en: 'Type the mailbox’s current password.',
  },
  phoneInvalid: {
    sv: 'Skriv ett mobilnummer, till exempel 070-123 45 67.',
    en: 'Type a mobile number, for example 070-123 45 67.',
  },
  codeMissing: {
    sv: 'Skriv de 6 siffrorna i koden från sms:et.',
    en: 'Type the 6 digits of the code in the text message.',
  },
  passwordFixRules: {
    sv: 'Välj ett nytt lösenord som uppfyller kraven i listan under fälten.',
    en: 'Choose a new password that meets the rules in the list below the fields.',
  },
  passwordFixMatch: {
    sv: 'Skriv samma nya lösenord i båda fälten.',
    en: 'Type the same new password in both fields.',
  },
  violation_reused: {
    sv: 'Lösenordet har använts förut. Välj ett du inte har haft.',
    en: 'The password has been used before. Choose one you have not had.',
  },
  violation_domain_policy: {
    sv: 'Domänen godtog inte lösenordet enligt sina egna regler. Välj ett längre lösenord som du inte har haft.',
    en: 'The domain did not accept the password under its own rules. Choose a longer password you have not had.',
  },
  violation_too_recent: {
    sv: 'Lösenordet byttes nyss och domänen tillåter inte ett nytt byte än. Försök igen i morgon, eller be din chef återställa det.',
    en: 'The password was changed recently and the domain does not allow another change yet. Try again tomorrow, or ask your manager to reset it.',
  },
  doneHeading: { sv: 'Lösenordet är bytt', en: 'The password is changed' },
  doneSaved: {
    sv: 'Det nya lösenordet för {username} är sparat.',
    en: 'The new password for {username} is saved.',
  },
  shareNextHeading: { sv: 'Nästa steg: dela med personalen', en: 'Next: share with the staff' },
  shareNextBody: {
    sv: 'Skicka lösenordet till enhetens personal, var och en med en egen länk i ett sms.',
    en: 'Send the password to the unit’s staff, each with a link of their own in a text message.',
  },
  finished: { sv: 'Klart', en: 'Done' },
  doneNext: {
    sv: 'Nästa byte ska göras senast {date}.',
    en: 'The next change is due by {date}.',
  },
  doneStaff: {
    sv: 'Berätta för kollegorna som behöver lösenordet på det sätt er rutin säger, aldrig i en gruppchatt eller på en lapp.',
    en: 'Tell the colleagues who need the password the way your routine says, never in a group chat or on a note.',
  },

  changeHeading: { sv: 'Byt lösenord', en: 'Change the password' },
  changeIntro: {
    sv: 'Du behöver brevlådans användarnamn och nuvarande lösenord.',
    en: 'You need the mailbox’s username and current password.',
  },

  updateAvailable: {
    sv: 'En ny version av Nyckel finns.',
    en: 'A new version of Nyckel is available.',
  },
  updateNow: { sv: 'Uppdatera', en: 'Update' },
  updateLater: { sv: 'Senare', en: 'Later' },
  retryIn: { sv: 'Försök igen om {time}.', en: 'Try again in {time}.' },
} as const;

export const appTexts = createTexts(TEXT);
export type TextKey = TextKeyOf<typeof TEXT>;
export const translate = appTexts.translate;
export const useT = appTexts.useTexts;

const STORAGE_KEY = 'nyckel.lang';

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'sv' || saved === 'en') return saved;
  } catch {
    // storage may be blocked; Swedish it is
  }
  return 'sv';
}

export function saveLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = lang;
}

/** "2 min 05 s" / "45 s": how long until something, for people. */
export function formatWait(lang: Lang, seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  if (minutes === 0) return `${rest} s`;
  return lang === 'sv'
    ? `${minutes} min ${String(rest).padStart(2, '0')} s`
    : `${minutes} min ${String(rest).padStart(2, '0')} s`;
}

export function formatDate(lang: Lang, date: Date): string {
  return new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: TIME_ZONE,
  }).format(date);
}
