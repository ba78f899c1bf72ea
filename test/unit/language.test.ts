import { describe, expect, it } from 'vitest';
import { pickLanguage } from '../../worker/domain/language';

describe('pickLanguage', () => {
  it.each([
    [null, 'sv'],
    [undefined, 'sv'],
    ['', 'sv'],
    ['en', 'en'],
    ['EN', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['en-US', 'en'],
    ['sv', 'sv'],
    ['sv-SE,sv;q=0.9,en;q=0.8', 'sv'],
    ['en;q=0.5,sv;q=0.9', 'sv'],
    ['sv;q=0.5,en;q=0.9', 'en'],
    ['sv, en', 'sv'],
    ['en, sv', 'en'],
    ['de', 'sv'],
    ['nb', 'sv'],
    ['nb,en;q=0.8', 'sv'],
    ['da,en;q=0.9', 'sv'],
    ['fr,en;q=0.8', 'en'],
    ['de-DE,fr;q=0.9,en;q=0.5', 'en'],
    ['en;q=0', 'sv'],
    ['sv;q=0,en;q=0.1', 'en'],
    ['*', 'sv'],
    ['  en  ', 'en'],
    ['EN-gb;Q=0.7', 'en'],
  ])('picks from %j: %s', (header, expected) => {
    expect(pickLanguage(header)).toBe(expected);
  });

  it.each([
    ['a word for q', 'en;q=abc'],
    ['an empty q', 'en;q='],
    ['a negative q', 'en;q=-1'],
    ['Infinity for q', 'en;q=Infinity'],
    ['a malformed q beside a good Swedish entry', 'sv;q=0.5,en;q=abc'],
    ['a q above 1 outranking a plain Swedish entry', 'sv,en;q=2'],
  ])('ignores %s (Swedish remains)', (_name, header) => {
    expect(pickLanguage(header)).toBe('sv');
  });

  it.each([
    ['garbage', ';;;,,,'],
    ['only commas', ',,,'],
    ['a bare q', 'q=1'],
  ])('falls back to Swedish for %s', (_name, header) => {
    expect(pickLanguage(header)).toBe('sv');
  });

  it('allows whitespace around ";" as RFC 9110 does (weight = OWS ";" OWS "q=" qvalue)', () => {
    expect(pickLanguage('en ;q=0.9')).toBe('en');
    expect(pickLanguage('en ; q=0.9, sv;q=0.5')).toBe('en');
  });

  it('still finds English at the end of a long header', () => {
    expect(pickLanguage(`${'x-foo;q=0.1,'.repeat(500)}en`)).toBe('en');
  });
});
