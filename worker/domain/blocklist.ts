/**
 * Blocklist of passwords people actually choose. Pure: also bundled into the browser app so the
 * form can warn before the round trip, hence no Hono, Cloudflare or Node imports.
 *
 * Comparison happens on a folded form, because the usual way to "strengthen" a weak word is to
 * capitalise it, swap letters for look-alike digits and append a year and an exclamation mark.
 * Folding undoes exactly that, so one list entry covers hundreds of spellings.
 */

/**
 * Written readably (Swedish letters, digits as people type them) and folded at load time.
 * Sources: the Swedish seasons and months that dominate the Swedish municipal password-audit
 * reports, Swedish place and workplace words (the shared mailboxes belong to care units), and
 * the top of the public leaked-password rankings (NordPass and SplashData annual lists, the UK
 * NCSC "100k most common" list). Digit-only runs such as 123456 are absent on purpose: they
 * fold to an empty string, which is refused on its own.
 */
const COMMON_PASSWORDS: readonly string[] = [
  // Seasons, Swedish and English; a year after them is removed by the folding.
  'vår',
  'våren',
  'sommar',
  'sommaren',
  'höst',
  'hösten',
  'vinter',
  'vintern',
  'spring',
  'summer',
  'autumn',
  'fall',
  'winter',
  // Months, Swedish and English.
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
  'january',
  'february',
  'march',
  'may',
  'june',
  'july',
  'august',
  'october',
  // Swedish words and greetings.
  'lösenord',
  'lösen',
  'passord',
  'välkommen',
  'hejsan',
  'hej',
  'hejhej',
  'kärlek',
  'älskling',
  'mamma',
  'pappa',
  'familjen',
  'hunden',
  'katten',
  'semester',
  'sommarlov',
  'julafton',
  'midsommar',
  'fotboll',
  'hockey',
  'sverige',
  'svenska',
  // Places and workplace words the mailboxes' owners are surrounded by.
  'stockholm',
  'göteborg',
  'malmö',
  'uppsala',
  'örebro',
  'kommun',
  'region',
  'landsting',
  'hemtjänst',
  'treserva',
  'brevlåda',
  'nyckel',
  'jobbet',
  // Keyboard walks and alphabet runs.
  'qwerty',
  'qwertyuiop',
  'asdfgh',
  'asdfghjkl',
  'zxcvbnm',
  'qazwsx',
  '1qaz2wsx',
  'q1w2e3r4',
  'azerty',
  'abc',
  'abcd',
  'abcdef',
  // The international top of the leaked-password lists.
  'password',
  'passwd',
  'welcome',
  'admin',
  'administrator',
  'root',
  'guest',
  'login',
  'default',
  'changeme',
  'secret',
  'test',
  'monkey',
  'dragon',
  'iloveyou',
  'letmein',
  'trustno1',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'soccer',
  'master',
  'shadow',
  'superman',
  'batman',
  'starwars',
  'pokemon',
  'michael',
  'jennifer',
  'jordan',
  'hunter',
  'ranger',
  'buster',
  'harley',
  'charlie',
  'thomas',
  'daniel',
  'andrew',
  'robert',
  'killer',
  'pepper',
  'ginger',
  'cheese',
  'computer',
  'internet',
  'freedom',
  'whatever',
  'access',
  'flower',
  'hello',
  'lovely',
  'loveme',
  'mustang',
  'matrix',
  'babygirl',
  'samsung',
  'google',
  'ninja',
  'chocolate',
  'liverpool',
  'chelsea',
  'arsenal',
  'jesus',
  'angel',
  'ashley',
  'bailey',
  'nicole',
];

/** Letters that NFKD leaves whole but that people type as their ASCII look-alike. */
const LETTER_FOLDS: ReadonlyMap<string, string> = new Map([
  ['ø', 'o'],
  ['æ', 'ae'],
  ['œ', 'oe'],
  ['ß', 'ss'],
  ['ł', 'l'],
  ['đ', 'd'],
  ['ð', 'd'],
  ['þ', 'th'],
  ['ı', 'i'],
]);

/** '1' is missing: it stands for both i and l, so it is expanded separately. */
const LEET: ReadonlyMap<string, string> = new Map([
  ['0', 'o'],
  ['3', 'e'],
  ['4', 'a'],
  ['5', 's'],
  ['7', 't'],
  ['8', 'b'],
  ['@', 'a'],
  ['$', 's'],
  ['!', 'i'],
]);

/** May end a word in disguise (`Hell0`, `Malm0`); a final '!' is far more often punctuation. */
const TRAILING_LEET = /^[013-578@$]+/u;
const TRAILING_NON_LETTERS = /[^\p{L}]+$/u;
/** Digits, '@' and '$' stay: at the start they are mostly disguised letters (`@dmin`, `1love`). */
const LEADING_SYMBOLS = /^[^\p{L}\d@$]+/u;
const LEADING_NON_LETTERS = /^[^\p{L}]+/u;
const SEPARATORS = /[\s\p{P}\p{S}]/gu;
/** Beyond this many '1's every combination of i and l is not worth trying; all-i and all-l are. */
const MAX_EXPANDED_ONES = 4;
/** Shorter parts of a name ("AB", "Ale") would refuse too much when compared on their own. */
const MIN_WORD_PART_LENGTH = 4;

function foldLetters(candidate: string): string {
  return candidate
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/[øæœßłđðþı]/gu, (letter) => LETTER_FOLDS.get(letter) ?? letter)
    .replace(/\s+/gu, ' ');
}

function undoLeet(word: string): string {
  let result = '';
  for (const character of word) {
    result += LEET.get(character) ?? character;
  }
  return result;
}

function expandOnes(word: string): string[] {
  const pieces = word.split('1');
  if (pieces.length === 1) return [word];
  if (pieces.length - 1 > MAX_EXPANDED_ONES) return [pieces.join('i'), pieces.join('l')];
  let results = [pieces[0] ?? ''];
  for (const piece of pieces.slice(1)) {
    results = results.flatMap((prefix) => [`${prefix}i${piece}`, `${prefix}l${piece}`]);
  }
  return results;
}

function compact(word: string): string {
  return word.replace(SEPARATORS, '');
}

function codePointLength(text: string): number {
  return [...text].length;
}

/**
 * Folds a candidate to the form the blocklist compares: lower case, Swedish letters and
 * diacritics folded to ASCII (å→a, ä→a, ö→o, é→e, ü→u ...), trailing digits and symbols stripped,
 * leading symbols stripped, then leetspeak undone (0→o, 1→i, 3→e, 4→a, 5→s, 7→t, 8→b, @→a, $→s,
 * !→i inside a word). The blocklist also tries '1' as l; this canonical form uses i.
 */
export function normalizeForBlocklist(candidate: string): string {
  // The trailing run goes first: undoing leet before it would turn `Sommar2026!` into letters.
  const word = foldLetters(candidate)
    .replace(TRAILING_NON_LETTERS, '')
    .replace(LEADING_SYMBOLS, '');
  return undoLeet(word).replaceAll('1', 'i');
}

/**
 * Every reading of the candidate worth comparing: '1' as i or l, a trailing leet letter kept
 * (`Malm0`), leading digits dropped (`2026Sommar`), and each of those without separators.
 */
function foldings(candidate: string): Set<string> {
  const letters = foldLetters(candidate);
  const tail = TRAILING_NON_LETTERS.exec(letters)?.[0] ?? '';
  const body = letters.slice(0, letters.length - tail.length);
  const leetTail = TRAILING_LEET.exec(tail)?.[0] ?? '';
  const words = [body];
  for (let kept = 1; kept <= leetTail.length; kept++) {
    words.push(body + leetTail.slice(0, kept));
  }
  const results = new Set<string>();
  for (const word of words) {
    for (const start of [
      word.replace(LEADING_SYMBOLS, ''),
      word.replace(LEADING_NON_LETTERS, ''),
    ]) {
      for (const reading of expandOnes(undoLeet(start))) {
        results.add(reading);
        results.add(compact(reading));
      }
    }
  }
  return results;
}

const COMMON_FOLDED: ReadonlySet<string> = new Set(COMMON_PASSWORDS.map(normalizeForBlocklist));

/** Names are compared whole, without spaces ("Örebro kommun" → orebrokommun) and part by part. */
function personalWords(words: readonly string[]): Set<string> {
  const results = new Set<string>();
  for (const word of words) {
    const folded = normalizeForBlocklist(word);
    results.add(folded);
    results.add(compact(folded));
    for (const part of word.split(/\s+/u)) {
      const foldedPart = normalizeForBlocklist(part);
      if (codePointLength(foldedPart) >= MIN_WORD_PART_LENGTH) results.add(foldedPart);
    }
  }
  // A name made only of digits folds to nothing, which must not match an empty folding.
  results.delete('');
  return results;
}

export function isCommonPassword(password: string, words: readonly string[] = []): boolean {
  if (normalizeForBlocklist(password) === '') return true;
  const personal = personalWords(words);
  for (const folding of foldings(password)) {
    if (COMMON_FOLDED.has(folding) || personal.has(folding)) return true;
  }
  return false;
}
