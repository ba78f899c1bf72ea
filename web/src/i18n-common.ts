import type { Catalogue } from './i18n-text';

/**
 * The words every area shares, written once: each area's texts (createTexts in i18n-core.ts)
 * read this table after their own, and no key of it may appear in an area's table (a unit test
 * checks). A word one area alone uses stays in that area's table, so its chunk carries it.
 * This table ships with the first screen, so it holds only the words the mailbox flow uses
 * too; the words only the managing screens share are manage/i18n-glossary.ts, in their chunk.
 *
 * The one glossary. Words that name the same thing are to be the same everywhere: in the labels
 * of both tables and in the sentences of every catalogue (and of worker/domain/messages.ts).
 * worker/domain/glossary.ts holds them in code, and a unit test checks every catalogue against it:
 *   unit: enhet (the organisation's unit, never a device)
 *   device: mobil eller dator
 *   passkey: lösenordsnyckel
 *   mailbox: brevlåda (the unit's shared mailbox, whose password Nyckel looks after)
 *   text message: sms; security code: säkerhetskod; one-time code: engångskod
 *   manager: chef; delegate: ombud; staff: personal; invite: inbjudan
 */
export const COMMON = {
  // Buttons, states and messages that read the same wherever they appear
  working: { sv: 'Vänta…', en: 'Please wait…' },
  cancel: { sv: 'Avbryt', en: 'Cancel' },
  loading: { sv: 'Hämtar…', en: 'Loading…' },
  tryAgain: { sv: 'Försök igen', en: 'Try again' },
  offlineHeading: { sv: 'Ingen anslutning', en: 'No connection' },
  networkProblem: {
    sv: 'Kunde inte nå Nyckel. Kontrollera anslutningen och försök igen.',
    en: 'Could not reach Nyckel. Check your connection and try again.',
  },
  // The error summary at the top of a form, public and managing alike
  errorPrefix: { sv: 'Fel:', en: 'Error:' },
  problemHeading: { sv: 'Rätta det här först', en: 'Fix this first' },
  notFoundHeading: { sv: 'Sidan finns inte', en: 'Page not found' },
  copyPassword: { sv: 'Kopiera lösenordet', en: 'Copy the password' },
  calendar: { sv: 'Lägg påminnelse i kalendern', en: 'Add a reminder to the calendar' },
  calendarTitle: {
    sv: 'Byt lösenord för brevlådan {username}',
    en: 'Change the password of mailbox {username}',
  },
  savePassword: { sv: 'Spara lösenordet', en: 'Save the password' },
  doneTest: {
    sv: 'Testa att logga in i brevlådan med det nya lösenordet nu.',
    en: 'Try signing in to the mailbox with the new password now.',
  },
  sharePassword: { sv: 'Dela lösenordet med personalen', en: 'Share the password with staff' },
  signIn: { sv: 'Logga in', en: 'Sign in' },
  violation_common: {
    sv: 'Lösenordet är för vanligt eller lätt att gissa. Välj något annat.',
    en: 'The password is too common or easy to guess. Choose something else.',
  },
  mobileNumber: { sv: 'Mobilnummer', en: 'Mobile number' },
  actions: { sv: 'Åtgärder', en: 'Actions' },
} as const satisfies Catalogue;
