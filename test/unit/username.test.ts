import { describe, expect, it } from 'vitest';
import { canonicalUsername } from '../../worker/domain/username';

describe('canonicalUsername', () => {
  it.each([
    ['a plain name', 'hemtjanstab', 'hemtjanstab'],
    ['upper case', 'HemtjanstAB', 'hemtjanstab'],
    ['all upper case', 'HEMVARDSGRUPPEN', 'hemvardsgruppen'],
    ['surrounding spaces', '  hemtjanstab  ', 'hemtjanstab'],
    ['a tab and newline', '\themtjanstab\n', 'hemtjanstab'],
    ['a zero-width space (U+200B)', 'hemtjan\u200Bstab', 'hemtjanstab'],
    ['a zero-width joiner (U+200D)', 'hemtjan\u200Dstab', 'hemtjanstab'],
    ['a byte order mark (U+FEFF)', '\uFEFFhemtjanstab', 'hemtjanstab'],
    ['a soft hyphen (U+00AD)', 'hemtj\u00ADanstab', 'hemtjanstab'],
    ['a zero-width space before leading spaces', '\u200B  hemtjanstab', 'hemtjanstab'],
    ['full-width letters (NFKC)', 'ｈｅｍｔｊａｎｓｔａｂ', 'hemtjanstab'],
    ['full-width upper case (NFKC, then folded)', 'ＨＥＭＴＪＡＮＳＴＡＢ', 'hemtjanstab'],
    ['full-width digits (NFKC)', 'brevlada１２', 'brevlada12'],
    ['a dot', 'anna.svensson', 'anna.svensson'],
    ['a hyphen', 'hem-tjanst', 'hem-tjanst'],
    ['an underscore', 'hem_tjanst', 'hem_tjanst'],
    ['a leading digit', '1brevlada', '1brevlada'],
    ['two characters (shortest)', 'ab', 'ab'],
    ['64 characters (longest)', 'a'.repeat(64), 'a'.repeat(64)],
  ])('accepts %s', (_name, input, expected) => {
    expect(canonicalUsername(input)).toEqual({ kind: 'ok', username: expected });
  });

  it('brings every variant of one name to the same account', () => {
    const variants = [
      'hemtjanstab',
      ' HemtjanstAB ',
      'ＨｅｍｔｊａｎｓｔＡＢ',
      '\uFEFFhemtj\u00ADan\u200Bstab\u200D',
    ];
    const names = new Set(variants.map((v) => JSON.stringify(canonicalUsername(v))));
    expect(names.size).toBe(1);
  });

  it.each([
    ['the empty string', ''],
    ['only spaces', '   '],
    ['only zero-width characters', '\u200B\u200D\uFEFF'],
    ['one character', 'a'],
    ['65 characters', 'a'.repeat(65)],
    ['å', 'hemtjänståb'],
    ['ä', 'hemvärd'],
    ['ö', 'brevlådö'],
    ['upper-case Å', 'ÅBY'],
    ['an emoji', 'brevlada🔑'],
    ['a space inside', 'hemtjanst ab'],
    ['a non-breaking space inside', 'hemtjanst\u00A0ab'],
    ['a single quote', "hemtjanstab'"],
    ['a quote and comment', "admin'--"],
    ['a semicolon', 'hemtjanstab;drop'],
    ['a percent sign (LIKE wildcard)', 'hem%'],
    ['a leading dot', '.hemtjanstab'],
    ['a leading hyphen', '-hemtjanstab'],
    ['a leading underscore', '_hemtjanstab'],
    ['an at sign', 'hemtjanstab@kommun.se'],
    ['a slash', 'hem/tjanst'],
    ['a Cyrillic look-alike a', 'hemtj\u0430nstab'],
    ['a dotless ı', 'hemtjanstıb'],
  ])('refuses %s', (_name, input) => {
    expect(canonicalUsername(input)).toEqual({ kind: 'invalid' });
  });
});
