import type { Catalogue } from './i18n-text';

/**
 * The words every area shares, written once: each area's texts (createTexts in i18n-core.ts)
 * read this table after their own, and no key of it may appear in an area's table (a unit test
 * checks). A word one area alone uses stays in that area's table, so its chunk carries it.
 */
export const COMMON = {
  // Buttons, states and messages that read the same wherever they appear
  working: { sv: 'Vänta…', en: 'Please wait…' },
  cancel: { sv: 'Avbryt', en: 'Cancel' },
  close: { sv: 'Stäng', en: 'Close' },
  loading: { sv: 'Hämtar…', en: 'Loading…' },
  tryAgain: { sv: 'Försök igen', en: 'Try again' },
  networkProblem: {
    sv: 'Kunde inte nå Nyckel. Kontrollera anslutningen och försök igen.',
    en: 'Could not reach Nyckel. Check your connection and try again.',
  },
  notFoundHeading: { sv: 'Sidan finns inte', en: 'Page not found' },
  errorPrefix: { sv: 'Fel:', en: 'Error:' },
  problemHeading: { sv: 'Rätta det här först', en: 'Fix this first' },
  savedIt: { sv: 'Jag har sparat det', en: 'I have saved it' },
  copyPassword: { sv: 'Kopiera lösenordet', en: 'Copy the password' },
  copyFailed: {
    sv: 'Det gick inte att kopiera. Markera texten och kopiera den själv.',
    en: 'Could not copy. Select the text and copy it yourself.',
  },
  remove: { sv: 'Ta bort', en: 'Remove' },
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
  personNameMissing: { sv: 'Skriv personens namn.', en: 'Enter the person’s name.' },

  /*
   * The one glossary. Words that name the same thing are to be the same everywhere: in the labels
   * below and in the sentences of every catalogue (and of worker/domain/messages.ts):
   *   unit: enhet (the organisation's unit, never a device)
   *   device: mobil eller dator
   *   passkey: lösenordsnyckel
   *   mailbox: brevlåda (the unit's shared mailbox, whose password Nyckel looks after)
   *   text message: sms; security code: säkerhetskod; one-time code: engångskod
   *   manager: chef; delegate: ombud; staff: personal; invite: inbjudan
   */
  unit: { sv: 'Enhet', en: 'Unit' },
  mailbox: { sv: 'Brevlåda', en: 'Mailbox' },
  mobileNumber: { sv: 'Mobilnummer', en: 'Mobile number' },
  noPhone: { sv: 'Inget nummer', en: 'No number' },
  name: { sv: 'Namn', en: 'Name' },
  emailAddress: { sv: 'E-postadress', en: 'E-mail address' },
  usernameLabel: { sv: 'Användarnamn', en: 'Username' },
  userId: { sv: 'Användar-id', en: 'User id' },
  hsaId: { sv: 'HSA-id', en: 'HSA-id' },
  identityInitialPassword: { sv: 'Initialt lösenord', en: 'Initial password' },
  administration: { sv: 'Administration', en: 'Administration' },
  overview: { sv: 'Översikt', en: 'Overview' },
  details: { sv: 'Uppgifter', en: 'Details' },
  actions: { sv: 'Åtgärder', en: 'Actions' },
  colWhen: { sv: 'När', en: 'When' },
  colWho: { sv: 'Vem', en: 'Who' },
  colWhat: { sv: 'Vad', en: 'What' },
  manager: { sv: 'Chef', en: 'Manager' },
  delegates: { sv: 'Ombud', en: 'Delegates' },
  status_overdue: { sv: 'Försenat', en: 'Overdue' },
  status_ok: { sv: 'I tid', en: 'On time' },
  status_locked: { sv: 'Låst', en: 'Locked' },
  status_disabled: { sv: 'Avstängd', en: 'Disabled' },
  outcome_success: { sv: 'Lyckades', en: 'Succeeded' },
  outcome_failure: { sv: 'Misslyckades', en: 'Failed' },
  outcome_refused: { sv: 'Nekades', en: 'Refused' },
  colOutcome: { sv: 'Utfall', en: 'Outcome' },
  personEnrolled: { sv: 'Kan logga in', en: 'Can sign in' },
  personInvited: { sv: 'Inbjudan skickad, inte använd ännu', en: 'Invite sent, not used yet' },
  personNotInvited: { sv: 'Ingen inloggning ännu', en: 'No sign-in yet' },
} as const satisfies Catalogue;
