import { createTexts } from '../i18n-core';

/**
 * The words around a password shown on screen: its length, and each character named so it can
 * be read aloud to a colleague. Here rather than in i18n.ts so they load with the screens that
 * show a password, not with the first screen.
 */
const TEXT = {
  pwLength: { sv: '{n} tecken', en: '{n} characters' },
  pwLengthHyphen: {
    sv: '{n} tecken, bindestrecket ingår',
    en: '{n} characters, the hyphen included',
  },
  pwLengthHyphens: {
    sv: '{n} tecken, bindestrecken ingår',
    en: '{n} characters, the hyphens included',
  },
  pwSpell: { sv: 'Visa tecken för tecken', en: 'Show character by character' },
  pwSpelled: { sv: 'Lösenordet tecken för tecken', en: 'The password character by character' },
  pwUpper: { sv: 'stor', en: 'capital' },
  pwLower: { sv: 'liten', en: 'small' },
  pwDigit: { sv: 'siffra', en: 'digit' },
  pwOther: { sv: 'tecken', en: 'character' },
  pwHyphen: { sv: 'bindestreck', en: 'hyphen' },
  pwSpace: { sv: 'mellanslag', en: 'space' },
  pwUnderscore: { sv: 'understreck', en: 'underscore' },
  pwPeriod: { sv: 'punkt', en: 'full stop' },
  pwComma: { sv: 'komma', en: 'comma' },
  pwColon: { sv: 'kolon', en: 'colon' },
  pwSemicolon: { sv: 'semikolon', en: 'semicolon' },
  pwExclamation: { sv: 'utropstecken', en: 'exclamation mark' },
  pwQuestion: { sv: 'frågetecken', en: 'question mark' },
  pwAt: { sv: 'snabel-a', en: 'at sign' },
  pwHash: { sv: 'brädgård', en: 'hash' },
  pwAmpersand: { sv: 'och-tecken', en: 'ampersand' },
  pwAsterisk: { sv: 'asterisk', en: 'asterisk' },
  pwPlus: { sv: 'plus', en: 'plus' },
  pwEquals: { sv: 'likhetstecken', en: 'equals sign' },
  pwSlash: { sv: 'snedstreck', en: 'slash' },
  pwBackslash: { sv: 'bakvänt snedstreck', en: 'backslash' },
  pwPercent: { sv: 'procent', en: 'per cent' },
  pwDollar: { sv: 'dollartecken', en: 'dollar sign' },
  pwEuro: { sv: 'eurotecken', en: 'euro sign' },
  pwSection: { sv: 'paragraftecken', en: 'section sign' },
  pwParenOpen: { sv: 'vänsterparentes', en: 'opening parenthesis' },
  pwParenClose: { sv: 'högerparentes', en: 'closing parenthesis' },
  pwQuote: { sv: 'citattecken', en: 'quotation mark' },
  pwApostrophe: { sv: 'apostrof', en: 'apostrophe' },
} as const;

export const passwordTexts = createTexts(TEXT);
export const usePasswordT = passwordTexts.useTexts;

type Key = keyof typeof TEXT;

/** The symbols a person is likely to type, by name; any other is "tecken". */
export const SYMBOL_NAMES: Readonly<Record<string, Key>> = {
  '-': 'pwHyphen',
  ' ': 'pwSpace',
  _: 'pwUnderscore',
  '.': 'pwPeriod',
  ',': 'pwComma',
  ':': 'pwColon',
  ';': 'pwSemicolon',
  '!': 'pwExclamation',
  '?': 'pwQuestion',
  '@': 'pwAt',
  '#': 'pwHash',
  '&': 'pwAmpersand',
  '*': 'pwAsterisk',
  '+': 'pwPlus',
  '=': 'pwEquals',
  '/': 'pwSlash',
  '\\': 'pwBackslash',
  '%': 'pwPercent',
  $: 'pwDollar',
  '€': 'pwEuro',
  '§': 'pwSection',
  '(': 'pwParenOpen',
  ')': 'pwParenClose',
  '"': 'pwQuote',
  "'": 'pwApostrophe',
};
