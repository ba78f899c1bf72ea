/**
 * The one glossary: the words for the things a person meets in several places, the same in the
 * worker's texts (messages.ts, mail-text.ts, the sms texts) and in every catalogue of the web app
 * (web/src/i18n-common.ts names them too). "enhet" was once used for both the organisation's unit
 * and the phone a manager signs in with, so "om du har bytt enhet" read as "if you moved unit".
 */
export const GLOSSARY = {
  /** The organisation's unit, which owns mailboxes. Never a phone or computer. */
  unit: { sv: 'enhet', en: 'unit' },
  /** What a person holds: the thing a passkey or an authenticator app lives on. */
  device: { sv: 'mobil eller dator', en: 'phone or computer' },
  passkey: { sv: 'lösenordsnyckel', en: 'passkey' },
} as const;

/**
 * Phrasings that use another word than the glossary's, each with the glossary word to use.
 * Only phrasings that cannot mean the unit are listed ("din enhet" can be "the manager of your
 * unit"), so a correct sentence never trips them.
 */
const MISUSES: readonly { pattern: RegExp; use: string }[] = [
  {
    pattern:
      /\b(?:bytt|byter|byta) enhet\b|\b(?:den här|denna) enhet(?:en)?\b|\bmed (?:din|en) enhet\b|\bfrån en enhet\b|\benheter utan\b|\bkod på enheten\b/i,
    use: GLOSSARY.device.sv,
  },
  { pattern: /\bdevices?\b/i, use: GLOSSARY.device.en },
  { pattern: /\b(?:inloggningsnyckel|säkerhetsnyckel|passnyckel)\w*/i, use: GLOSSARY.passkey.sv },
  { pattern: /\b(?:security key|login key)s?\b/i, use: GLOSSARY.passkey.en },
];

/** The glossary words a text should have used instead of what it says, empty when it is right. */
export function misusedWords(text: string): string[] {
  return MISUSES.filter(({ pattern }) => pattern.test(text)).map(({ use }) => use);
}
