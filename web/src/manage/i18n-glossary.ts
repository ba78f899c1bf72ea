import type { Catalogue } from '../i18n-text';

/**
 * The shared words of the managing screens (managers, delegates, administrators), the second
 * table of the one glossary in i18n-common.ts: read after an area's own table and the common
 * one, and shipped in the managing screens' chunk rather than with the first screen.
 */
export const MANAGE_COMMON = {
  close: { sv: 'Stäng', en: 'Close' },
  savedIt: { sv: 'Jag har sparat det', en: 'I have saved it' },
  copyFailed: {
    sv: 'Det gick inte att kopiera. Markera texten och kopiera den själv.',
    en: 'Could not copy. Select the text and copy it yourself.',
  },
  remove: { sv: 'Ta bort', en: 'Remove' },
  personNameMissing: { sv: 'Skriv personens namn.', en: 'Enter the person’s name.' },
  unit: { sv: 'Enhet', en: 'Unit' },
  mailbox: { sv: 'Brevlåda', en: 'Mailbox' },
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
