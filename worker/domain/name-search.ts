/**
 * Search keys for names: a manager types "ake" on a phone without Swedish letters and expects
 * "Åke Öberg". Pure, so the key stored next to a name (worker) and the key of what is typed
 * (worker, or the web app while suggesting) are made by the same code.
 */

/*
 * Apostrophe lookalikes, folded before NFKD (which would take the acute accent apart into a
 * space and a combining mark). iOS "smart punctuation" turns a typed ' into ’, so without this
 * "O'Brien" stored from a file would not be found from a phone.
 */
const APOSTROPHES = /[\u0060\u00b4\u2018\u2019\u201b\u2032\u02bc]/g;

const COMBINING_MARKS = /\p{M}/gu;

/*
 * Characters that take no room but would break a prefix match: format characters (zero-width
 * space, joiners, byte order mark, word joiner, soft hyphen, direction marks), lone surrogate
 * halves (not text, and UTF-8 cannot carry them), and control characters other than whitespace.
 */
const INVISIBLE = /(?![\t\n\v\f\r])[\p{Cf}\p{Cs}\p{Cc}]/gu;

/*
 * Letters with no decomposition, so NFKD and mark removal leave them alone; folded to what a
 * Swedish keyboard writes for them. The final sigma is the same letter as σ: lower-casing picks
 * ς only at the end of a word, so a typed prefix would otherwise end differently from the name.
 */
const LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ς: 'σ',
};
const FOLDED_LETTERS = /[ßæœøłđðþıς]/g;

const DASHES = /[\u2010-\u2015\u2212]/g;

const WHITESPACE = /\s+/g;

/**
 * The key a name is searched by: no case, no diacritics (Å→a, Ö→o, é→e), compatibility forms
 * made plain (full-width letters, ligatures), whitespace collapsed, invisible characters gone.
 */
export function searchKey(text: string): string {
  return text
    .replace(APOSTROPHES, "'")
    .normalize('NFKD')
    .toLowerCase()
    .replace(COMBINING_MARKS, '')
    .replace(INVISIBLE, '')
    .replace(FOLDED_LETTERS, (letter) => LETTERS[letter] ?? letter)
    .replace(DASHES, '-')
    .replace(WHITESPACE, ' ')
    .trim();
}

const MAX_CODE_POINT = 0x10ffff;
const SURROGATES_START = 0xd800;
const SURROGATES_END = 0xdfff;

/**
 * Bounds for an indexed prefix search, `key_column >= lo AND key_column < hi`: exactly the
 * values that start with `key`. (`LIKE 'key%'` would need `%` and `_` in the key escaped, and
 * SQLite uses an index for LIKE on a BINARY column only with case_sensitive_like on.)
 *
 * The bounds hold for SQLite's BINARY collation over UTF-8 text, as in D1: memcmp of the UTF-8
 * bytes, which is code point order. They do not hold for JavaScript's `<`, which compares
 * UTF-16 code units (there U+FFFD sorts after every emoji; in UTF-8 before).
 *
 * `hi` is `key` with its last code point raised by one. Every value that starts with `key`
 * has that code point there and is below `hi`; every value from `lo` up to `hi` has `key` as
 * its start. The common alternative `key + '\uffff'` is wrong under UTF-8: a name with a
 * character beyond U+FFFF after the prefix (an emoji, a rare CJK name character) encodes as
 * F0–F4…, above EF BF BF, and falls outside the range. `key + '\u{10FFFF}'` would be right, but
 * only while no key holds U+10FFFF itself; the raised bound has no such condition and for the
 * usual ASCII keys stays readable ('ake' → 'akf').
 *
 * Throws for an empty key (and one of nothing but U+10FFFF): every value starts with it, no
 * upper bound exists, and the caller should not be searching.
 */
export function prefixRange(key: string): [string, string] {
  const codePoints = Array.from(key, (c) => c.codePointAt(0) ?? 0);
  // The last code point that can be raised; a U+10FFFF at the end carries, like 9 in 199 + 1.
  while (codePoints.length > 0 && codePoints[codePoints.length - 1] === MAX_CODE_POINT) {
    codePoints.pop();
  }
  const last = codePoints.pop();
  if (last === undefined) throw new RangeError('prefixRange needs a key that can be raised');
  let next = last + 1;
  // Surrogates are not characters and UTF-8 cannot encode them; the next code point is U+E000.
  if (next >= SURROGATES_START && next <= SURROGATES_END) next = SURROGATES_END + 1;
  return [key, String.fromCodePoint(...codePoints, next)];
}

/** The name columns a search can walk by prefix (each has a (unit_id, column) index). */
export type NameColumn = 'given_key' | 'family_key' | 'full_key';

/** One prefix condition: `column >= lo AND column < hi`. */
export interface NameRange {
  column: NameColumn;
  lo: string;
  hi: string;
}

/*
 * Beyond this many words a name search splits only around the last and the first word: a
 * longer name is rare, and every split is one more query.
 */
const MAX_SPLIT_WORDS = 4;

/**
 * The prefix searches for a typed name key (from `searchKey`): each inner list is one query
 * whose conditions must all hold. One word is a prefix of the given or the family name. More
 * words are read in both orders, "Anna Andersson" and "Andersson Anna", each word a prefix:
 * the leading words as the given name(s) and the rest as the family name, or the other way
 * round, at every split; and the whole key as a prefix of "given family". Every query starts
 * with a prefix range on an indexed column, so none scans the table. Empty when the key has
 * no letter (digits and punctuation alone are not a name).
 */
export function nameSearches(key: string): NameRange[][] {
  if (!/\p{L}/u.test(key)) return [];
  const range = (column: NameColumn, text: string): NameRange => {
    const [lo, hi] = prefixRange(text);
    return { column, lo, hi };
  };
  const words = key.split(' ').filter((w) => w !== '');
  if (words.length === 0) return [];
  if (words.length === 1) return [[range('family_key', key)], [range('given_key', key)]];
  const searches: NameRange[][] = [[range('full_key', words.join(' '))]];
  const n = words.length;
  const splits = n <= MAX_SPLIT_WORDS ? Array.from({ length: n - 1 }, (_, i) => i + 1) : [1, n - 1];
  for (const k of splits) {
    const head = words.slice(0, k).join(' ');
    const tail = words.slice(k).join(' ');
    searches.push(
      [range('given_key', head), range('family_key', tail)],
      [range('family_key', head), range('given_key', tail)],
    );
  }
  return searches;
}
