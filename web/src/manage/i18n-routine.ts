import { createTexts } from '../i18n-core';
import { MANAGE_COMMON } from './i18n-glossary';

/**
 * The routine's words, Swedish first in klarspråk: short sentences, the reader as "du", the
 * unit as "vi". The facts follow the mailbox guide: the password is changed every three months,
 * an SMS can take 3 minutes, a work mobile first, a number is registered off the municipal
 * network, a used password cannot come back, and the routine says how staff get the new
 * password. Only this page's chunk carries them.
 */
const TEXT = {
  heading: { sv: 'Lösenordsrutin för {unit}', en: 'Password routine for {unit}' },
  backToUnit: { sv: 'Till {unit}', en: 'To {unit}' },
  lead: {
    sv: 'Det här är vår lokala rutin för lösenorden till brevlådorna i {unit}. Lösenordet får inte vara synligt för obehöriga.',
    en: 'This is our local routine for the passwords of the mailboxes of {unit}. The password must not be visible to anyone who is not entitled to it.',
  },
  generated: {
    sv: 'Nyckel skapade rutinen {date}. Den visar hur det ser ut just då.',
    en: 'Nyckel made this routine on {date}. It shows how things were then.',
  },
  print: { sv: 'Skriv ut', en: 'Print' },
  copyLink: { sv: 'Kopiera länk', en: 'Copy link' },
  linkCopied: { sv: 'Länken är kopierad.', en: 'The link is copied.' },
  linkCopyFailed: {
    sv: 'Det gick inte att kopiera. Länken är: {url}',
    en: 'Could not copy. The link is: {url}',
  },
  shareHint: {
    sv: 'Länken fungerar för enhetens chef och ombud när de är inloggade i Nyckel.',
    en: 'The link works for the unit’s manager and delegates when they are signed in to Nyckel.',
  },
  latestVersion: {
    sv: 'Den senaste versionen finns i Nyckel för chef och ombud: {url}',
    en: 'The latest version is in Nyckel for the manager and delegates: {url}',
  },

  // The mailboxes
  unitMailboxesHeading: { sv: 'Enhetens brevlådor', en: 'The unit’s mailboxes' },
  unitMailboxesIntro: {
    sv: 'Personalen loggar in i brevlådan med användarnamnet och ett gemensamt lösenord.',
    en: 'The staff sign in to the mailbox with the username and a shared password.',
  },
  mailboxesNone: {
    sv: 'Enheten har inga brevlådor i Nyckel.',
    en: 'The unit has no mailboxes in Nyckel.',
  },
  phone: { sv: 'Mobilnummer för sms-koder', en: 'Mobile number for text message codes' },
  phoneRegistered: { sv: 'Registrerat:', en: 'Registered:' },
  phoneMissing: {
    sv: 'Inget nummer. Registrera ett så snart du kan.',
    en: 'No number. Register one as soon as you can.',
  },

  // Who is responsible
  whoHeading: { sv: 'Vem ansvarar', en: 'Who is responsible' },
  whoIntro: {
    sv: 'Enhetschefen ansvarar för rutinen och för att lösenordet byts i tid. Chefen och ombuden kan byta lösenord, registrera mobilnummer och dela det nya lösenordet med personalen.',
    en: 'The unit manager is responsible for the routine and for changing the password on time. The manager and the delegates can change the password, register a mobile number and share the new password with the staff.',
  },
  managersNone: {
    sv: 'Enheten har ingen chef i Nyckel. Be en administratör om hjälp.',
    en: 'The unit has no manager in Nyckel. Ask an administrator for help.',
  },
  delegatesNone: { sv: 'Enheten har inga ombud.', en: 'The unit has no delegates.' },

  // The dates
  datesHeading: {
    sv: 'Datum för lösenordsbyte det närmaste året',
    en: 'Password change dates for the coming year',
  },
  datesIntro90: {
    sv: 'Lösenordet ska bytas var tredje månad ({days} dagar). Byt det senast på datumen här.',
    en: 'The password must be changed every three months ({days} days). Change it by the dates here at the latest.',
  },
  datesIntro: {
    sv: 'Lösenordet ska bytas minst var {ordinal} dag. Byt det senast på datumen här.',
    en: 'The password must be changed at least every {days} days. Change it by the dates here at the latest.',
  },
  remindersMail: {
    sv: 'Nyckel påminner chef och ombud med e-post {when}.',
    en: 'Nyckel reminds the manager and delegates by e-mail {when}.',
  },
  remindersSms: {
    sv: 'Brevlådans mobilnummer får ett sms {days} dagar före.',
    en: 'The mailbox’s mobile number gets a text message {days} days before.',
  },
  daysBefore: { sv: '{n} dagar före', en: '{n} days before' },
  dayBefore: { sv: '1 dag före', en: '1 day before' },
  sameDay: { sv: 'samma dag', en: 'on the day' },
  and: { sv: 'och', en: 'and' },
  datesEarly: {
    sv: 'Byter ni lösenordet tidigare räknas nästa datum från den dagen. Skriv då ut rutinen igen.',
    en: 'If you change the password earlier, the next date counts from that day. Print the routine again then.',
  },
  overdue: { sv: 'försenat – byt nu', en: 'overdue – change it now' },
  datesOf: { sv: 'Datum för {mailbox}', en: 'Dates for {mailbox}' },

  // How we change the password
  routineChangeHeading: { sv: 'Så byter vi lösenord', en: 'How we change the password' },
  changeStep1: {
    sv: 'Använd en mobil eller surfplatta som inte är ansluten till kommunens nätverk. Stäng av wifi så att den använder mobildata.',
    en: 'Use a phone or tablet that is not connected to the municipal network. Turn off Wi-Fi so that it uses mobile data.',
  },
  changeStep2: { sv: 'Gå till', en: 'Go to' },
  changeStep3: {
    sv: 'Logga in med brevlådans användarnamn och nuvarande lösenord.',
    en: 'Sign in with the mailbox’s username and current password.',
  },
  changeStep4: {
    sv: 'Skriv det nya lösenordet två gånger och spara.',
    en: 'Type the new password twice and save.',
  },
  changeStep5: {
    sv: 'Logga in i brevlådan med det nya lösenordet och kontrollera att det fungerar.',
    en: 'Sign in to the mailbox with the new password and check that it works.',
  },
  changeStep6: {
    sv: 'Dela det nya lösenordet med personalen i Nyckel. Se ”Så får personalen det nya lösenordet”.',
    en: 'Share the new password with the staff in Nyckel. See “How the staff get the new password”.',
  },
  rulesHeading: { sv: 'Krav på lösenordet', en: 'What the password needs' },
  routineRuleLength: { sv: 'Minst {n} tecken.', en: 'At least {n} characters.' },
  routineRuleClasses: {
    sv: 'Minst {n} av de här 4 sorterna: versaler A–Z (inte Å, Ä, Ö), gemener a–z (inte å, ä, ö), siffror, specialtecken.',
    en: 'At least {n} of these 4 kinds: upper case A–Z (not Å, Ä, Ö), lower case a–z (not å, ä, ö), digits, special characters.',
  },
  ruleClassesAll: {
    sv: 'Alla de här 4 sorterna: versaler A–Z (inte Å, Ä, Ö), gemener a–z (inte å, ä, ö), siffror, specialtecken.',
    en: 'All of these 4 kinds: upper case A–Z (not Å, Ä, Ö), lower case a–z (not å, ä, ö), digits, special characters.',
  },
  ruleReuse: {
    sv: 'Du kan inte använda ett lösenord som brevlådan har haft förut.',
    en: 'You cannot use a password the mailbox has had before.',
  },

  // Forgotten
  forgotHeading: { sv: 'Om du har glömt lösenordet', en: 'If you have forgotten the password' },
  forgotIntro: {
    sv: 'Du återställer lösenordet med en kod på sms. Det går på vilken dator, mobil eller surfplatta som helst. Du behöver mobilen med brevlådans registrerade nummer.',
    en: 'You reset the password with a code by text message. Any computer, phone or tablet works. You need the phone with the mailbox’s registered number.',
  },
  forgotStep1: { sv: 'Gå till', en: 'Go to' },
  forgotStep2: {
    sv: 'Skriv brevlådans användarnamn, till exempel {username}.',
    en: 'Type the mailbox’s username, for example {username}.',
  },
  forgotStep2Plain: {
    sv: 'Skriv brevlådans användarnamn.',
    en: 'Type the mailbox’s username.',
  },
  forgotStep3: {
    sv: 'Du får en säkerhetskod på sms till brevlådans mobilnummer. Vänta 3 minuter om du inte har fått något sms, ibland kan det dröja. Sedan kan du be om samma kod igen.',
    en: 'You get a security code by text message on the mailbox’s mobile number. Wait 3 minutes if no text message has come, sometimes it takes a while. Then you can ask for the same code again.',
  },
  forgotStep4: {
    sv: 'Skriv koden. Den gäller i 10 minuter.',
    en: 'Type the code. It is valid for 10 minutes.',
  },
  forgotStep5: {
    sv: 'Välj ett nytt lösenord, skriv det två gånger och spara. Dela det sedan med personalen.',
    en: 'Choose a new password, type it twice and save. Then share it with the staff.',
  },
  noPhoneHeading: {
    sv: 'Om brevlådan saknar mobilnummer',
    en: 'If the mailbox has no mobile number',
  },
  noPhoneBody: {
    sv: 'Registrera ett nummer först. Använd mobildata, inte kommunens nätverk. Logga in med brevlådans användarnamn och nuvarande lösenord. Använd en arbetsmobil i första hand. Har du ingen arbetsmobil kan du registrera ditt privata nummer.',
    en: 'Register a number first. Use mobile data, not the municipal network. Sign in with the mailbox’s username and current password. Use a work phone if you have one. If you do not, you can register your private number.',
  },
  registerAt: { sv: 'Registrera numret på', en: 'Register the number at' },
  nobodyKnows: {
    sv: 'Kan ingen lösenordet och finns inget nummer? Be chefen eller ett ombud att återställa lösenordet i Nyckel.',
    en: 'Nobody knows the password and there is no number? Ask the manager or a delegate to reset the password in Nyckel.',
  },

  // Handover
  handoverHeading: {
    sv: 'Så får personalen det nya lösenordet',
    en: 'How the staff get the new password',
  },
  handover1: {
    sv: 'Lösenordet får inte vara synligt för obehöriga. Skicka det aldrig med e-post, i en gruppchatt eller på en lapp.',
    en: 'The password must not be visible to anyone who is not entitled to it. Never send it by e-mail, in a group chat or on a note.',
  },
  handover2: {
    sv: 'Den som har bytt lösenordet delar det med personalen i Nyckel direkt efter bytet.',
    en: 'Whoever changed the password shares it with the staff in Nyckel right after the change.',
  },
  handover3: {
    sv: 'Alla på enhetens personallista får ett sms med en egen länk.',
    en: 'Everyone on the unit’s staff list gets a text message with a personal link.',
  },
  handover4: {
    sv: 'Länken gäller i 24 timmar och går bara att öppna en gång.',
    en: 'The link is valid for 24 hours and opens only once.',
  },
  handover5: {
    sv: 'Öppna länken och tryck på knappen för att se lösenordet. Det visas i 60 sekunder. Se till att ingen annan ser skärmen.',
    en: 'Open the link and tap the button to see the password. It shows for 60 seconds. Make sure nobody else sees the screen.',
  },
  handover6: {
    sv: 'Chefen ser i Nyckel vem som har sett lösenordet. Har du inte hunnit öppna länken? Be chefen eller ett ombud om en ny.',
    en: 'The manager sees in Nyckel who has seen the password. Did not open the link in time? Ask the manager or a delegate for a new one.',
  },
  handover7: {
    sv: 'Är du ny i personalgruppen eller har du bytt mobilnummer? Säg till chefen, så att du finns med på personallistan.',
    en: 'New to the team, or a new mobile number? Tell the manager, so that you are on the staff list.',
  },

  // Support
  routineSupportHeading: { sv: 'Support', en: 'Support' },
  supportIntro: {
    sv: 'Har du frågor om Nyckel eller om lösenordet?',
    en: 'Questions about Nyckel or the password?',
  },
  supportNone: { sv: 'Kontakta din IT-support.', en: 'Contact your IT support.' },
} as const;

export const routineTexts = createTexts(TEXT, MANAGE_COMMON);
export const useRT = routineTexts.useTexts;
