import { describe, expect, it } from 'vitest';
import { nameSearches, prefixRange, searchKey } from '../../worker/domain/name-search';

describe('searchKey', () => {
  it.each([
    ['Å', 'Åke', 'ake'],
    ['Ä', 'Ängelholm', 'angelholm'],
    ['Ö', 'Öberg', 'oberg'],
    ['all upper case', 'ÅKE ÖBERG', 'ake oberg'],
    ['é', 'Émile Lefèvre', 'emile lefevre'],
    ['ü', 'Müller', 'muller'],
    ['ç', 'Çelik', 'celik'],
    ['ñ and á', 'Iñárritu', 'inarritu'],
    ['ß', 'Straße', 'strasse'],
    ['the capital sharp s', 'STRAẞE', 'strasse'],
    ['æ', 'Ærø', 'aero'],
    ['ø', 'Øystein Sørensen', 'oystein sorensen'],
    ['ł', 'Łukasz Wałęsa', 'lukasz walesa'],
    ['đ', 'Đorđe', 'dorde'],
    ['þ and ó', 'Þór', 'thor'],
    ['œ', 'Œdipe', 'oedipe'],
    ['the dotted capital I', 'İlkay', 'ilkay'],
    ['the dotless i', 'Kırmızı', 'kirmizi'],
    ['a name already decomposed (A + combining ring)', 'A\u030ake', 'ake'],
    ['full-width letters', 'ＡＫＥ', 'ake'],
    ['a ligature', 'ﬁlip', 'filip'],
    ['a zero-width space', 'Å\u200bke', 'ake'],
    ['a zero-width non-joiner', 'Å\u200cke', 'ake'],
    ['a zero-width joiner', 'Å\u200dke', 'ake'],
    ['a byte order mark', '\ufeffÅke', 'ake'],
    ['a word joiner', 'Å\u2060ke', 'ake'],
    ['a soft hyphen', 'An\u00adna', 'anna'],
    ['direction marks around a pasted name', '\u202aÅke\u202c\u200e', 'ake'],
    ['a control character', 'Å\u0007ke', 'ake'],
    ['a lone surrogate half', 'Å\ud800ke', 'ake'],
    ['surrounding and repeated spaces', '  Åke   Öberg  ', 'ake oberg'],
    ['tabs and newlines', '\tÅke\n\nÖberg\r\n', 'ake oberg'],
    ['a no-break space', 'Åke\u00a0Öberg', 'ake oberg'],
    ['an ideographic space', 'Åke\u3000Öberg', 'ake oberg'],
    ['a zero-width space between spaces', 'Åke \u200b Öberg', 'ake oberg'],
    ['a typographic apostrophe (iOS smart punctuation)', 'O’Brien', "o'brien"],
    ['an acute accent used as an apostrophe', 'O´Brien', "o'brien"],
    ['a plain apostrophe', "O'Brien", "o'brien"],
    ['an en dash', 'Anna–Karin', 'anna-karin'],
    ['a non-breaking hyphen', 'Anna\u2011Karin', 'anna-karin'],
    ['a hyphen', 'Anna-Karin', 'anna-karin'],
    ['the Greek final sigma', 'ΟΔΥΣΣΕΥΣ', 'οδυσσευσ'],
    ['Cyrillic', 'Ёлкин', 'елкин'],
    ['digits', 'Karl XII 2', 'karl xii 2'],
    ['nothing', '', ''],
    ['only invisible characters', '\u200b\ufeff \u2060', ''],
  ])('folds %s', (_name, input, key) => {
    expect(searchKey(input)).toBe(key);
  });

  it.each([
    ['ake', 'Åke Öberg'],
    ['Ake', 'Åke Öberg'],
    ['ÅK', 'Åke Öberg'],
    ['ake ob', 'Åke Öberg'],
    ['åke  öb', 'Åke Öberg'],
    ['anna-k', 'Anna–Karin Ström'],
    ['o’b', "O'Brien"],
    ['οδυς', 'Οδυσσευς'],
  ])('finds %j as a prefix of %j', (typed, name) => {
    expect(searchKey(name).startsWith(searchKey(typed))).toBe(true);
  });

  it('gives every writing of one name the same key', () => {
    const writings = [
      'Åke Öberg',
      'ÅKE ÖBERG',
      'åke öberg',
      'A\u030ake O\u0308berg',
      ' Åke\u00a0Öberg ',
    ];
    expect(new Set(writings.map(searchKey))).toEqual(new Set(['ake oberg']));
  });

  it('is stable: folding a key again changes nothing', () => {
    for (const name of ['Åke Öberg', 'Straße', 'Ærø', 'O’Brien', 'ΟΔΥΣΣΕΥΣ', 'Þór']) {
      expect(searchKey(searchKey(name))).toBe(searchKey(name));
    }
  });
});

/** SQLite's BINARY collation on a UTF-8 database: memcmp over the UTF-8 bytes. */
const encoder = new TextEncoder();
function compareUtf8(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
function inRange(value: string, [lo, hi]: [string, string]): boolean {
  const bytes = encoder.encode(value);
  return compareUtf8(bytes, encoder.encode(lo)) >= 0 && compareUtf8(bytes, encoder.encode(hi)) < 0;
}

describe('prefixRange', () => {
  it.each([
    ['an ASCII key', 'ake', 'akf'],
    ['a key ending in a space', 'ake ', 'ake!'],
    ['a key ending in z', 'oz', 'o{'],
    ['a key ending in a Cyrillic letter', 'елк', 'елл'],
    ['a key ending below the surrogates', 'a\ud7ff', 'a\ue000'],
    ['a key ending in U+FFFF', 'a\uffff', 'a\u{10000}'],
    ['a key ending in an emoji', 'a\u{1f600}', 'a\u{1f601}'],
    ['a key ending in U+10FFFF (carries)', 'a\u{10ffff}', 'b'],
    ['a key ending in two U+10FFFF', 'ab\u{10ffff}\u{10ffff}', 'ac'],
  ])('bounds %s', (_name, key, hi) => {
    expect(prefixRange(key)).toEqual([key, hi]);
  });

  it.each([
    ['an empty key', ''],
    ['a key of nothing but U+10FFFF', '\u{10ffff}\u{10ffff}'],
  ])('refuses %s, which has no upper bound', (_name, key) => {
    expect(() => prefixRange(key)).toThrow(RangeError);
  });

  it('compares like UTF-8 bytes, which JavaScript strings do not', () => {
    // U+FFFD is EF BF BD in UTF-8, below an emoji's F0 …; in UTF-16 it is above D83D.
    expect(compareUtf8(encoder.encode('\ufffd'), encoder.encode('\u{1f600}'))).toBeLessThan(0);
    expect('\ufffd' > '\u{1f600}').toBe(true);
  });

  it('finds a character beyond U+FFFF right after the prefix, which key + U+FFFF misses', () => {
    // U+20BB7 (a variant of 吉 in Japanese names) is F0 A0 AE B7 in UTF-8, above EF BF BF.
    const name = searchKey('Åke𠮷');
    const range = prefixRange('ake');
    expect(inRange(name, range)).toBe(true);
    expect(inRange(name, ['ake', 'ake\uffff'])).toBe(false);
  });

  it('holds exactly the values that start with the key, in UTF-8 byte order', () => {
    // Every string of up to three of these characters, chosen at the edges of the UTF-8
    // lengths and of the surrogate gap, against every key of one or two of them.
    const alphabet = [
      'a',
      'b',
      'z',
      '{',
      ' ',
      '\u007f',
      '\u0080',
      'å',
      '\u07ff',
      '\u0800',
      '\ud7ff',
      '\ue000',
      '\ufffd',
      '\uffff',
      '\u{10000}',
      '\u{1f600}',
      '\u{10ffff}',
    ];
    const strings: string[] = [];
    let layer = [''];
    for (let length = 1; length <= 3; length++) {
      layer = layer.flatMap((prefix) => alphabet.map((c) => prefix + c));
      strings.push(...layer);
    }
    const keys = strings.filter(
      (s) => [...s].length <= 2 && [...s].some((c) => c !== '\u{10ffff}'),
    );
    const encoded = strings.map((s) => ({ s, bytes: encoder.encode(s) }));

    let mismatches = 0;
    for (const key of keys) {
      const [lo, hi] = prefixRange(key);
      const loBytes = encoder.encode(lo);
      const hiBytes = encoder.encode(hi);
      for (const { s, bytes } of encoded) {
        const inside = compareUtf8(bytes, loBytes) >= 0 && compareUtf8(bytes, hiBytes) < 0;
        if (inside !== s.startsWith(key)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('bounds the keys searchKey makes, so a typed prefix finds the stored names', () => {
    const names = ['Åke Öberg', 'Åsa Ek', 'Anna-Karin Ström', 'Akim Ali', 'Ake', 'Øystein'];
    const found = names.filter((name) => inRange(searchKey(name), prefixRange(searchKey('Åk'))));
    expect(found).toEqual(['Åke Öberg', 'Akim Ali', 'Ake']);
  });
});

describe('nameSearches', () => {
  /** A readable form of the searches: "given_key^anna & family_key^and". */
  const readable = (key: string) =>
    nameSearches(key).map((search) => search.map((r) => `${r.column}^${r.lo}`).join(' & '));

  it('searches one word as the start of the given or the family name', () => {
    expect(readable('and')).toEqual(['family_key^and', 'given_key^and']);
  });

  it('reads two words in both orders, and as the start of the whole name', () => {
    expect(readable('anna and')).toEqual([
      'full_key^anna and',
      'given_key^anna & family_key^and',
      'family_key^anna & given_key^and',
    ]);
  });

  it('splits three words at every place', () => {
    expect(readable('anna maria andersson')).toEqual([
      'full_key^anna maria andersson',
      'given_key^anna & family_key^maria andersson',
      'family_key^anna & given_key^maria andersson',
      'given_key^anna maria & family_key^andersson',
      'family_key^anna maria & given_key^andersson',
    ]);
  });

  it('keeps a long name to a few searches', () => {
    expect(nameSearches('a b c d e f g')).toHaveLength(5);
  });

  it('gives exact prefix bounds', () => {
    expect(nameSearches('an')).toEqual([
      [{ column: 'family_key', lo: 'an', hi: 'ao' }],
      [{ column: 'given_key', lo: 'an', hi: 'ao' }],
    ]);
  });

  it('is empty without a letter', () => {
    expect(nameSearches('19850612')).toEqual([]);
    expect(nameSearches('- -')).toEqual([]);
    expect(nameSearches('')).toEqual([]);
  });
});
