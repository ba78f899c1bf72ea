import { describe, expect, it } from 'vitest';
import { validateIdentity } from '../../worker/domain/identity-input';
import { hasUnsafeNameCharacters } from '../../worker/domain/name-text';

describe('names', () => {
  it.each([
    ['U+2028', '\u2028'],
    ['U+2029', '\u2029'],
    ['U+200E', '\u200E'],
    ['U+200F', '\u200F'],
    ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'].map((c) => [`bidi ${c}`, c]),
    ...['\u2066', '\u2067', '\u2068', '\u2069'].map((c) => [`isolate ${c}`, c]),
    ['a zero-width joiner', '\u200D'],
    ['a soft hyphen', '\u00AD'],
    ['a byte-order mark', '\uFEFF'],
    ['a line feed', '\n'],
    ['a delete', '\u007F'],
    ['a C1 control', '\u009B'],
  ])('refuses %s inside a name', (_what, c) => {
    expect(hasUnsafeNameCharacters(`Anna${c}Berg`)).toBe(true);
  });

  it.each([
    'Anna Berg',
    'Åsa-Lena Öberg',
    'Zoë O’Brien',
    'Anna\u00A0Berg',
    'Ægir Þórsson',
    'Мария Иванова',
    'محمد',
  ])('accepts %s', (name) => {
    expect(hasUnsafeNameCharacters(name)).toBe(false);
  });

  it('refuses a bidi override in an identity’s name with a code of its own, naming the field', () => {
    const result = validateIdentity(
      {
        userId: 'annand01',
        personalNumber: '19850612-1238',
        givenName: 'Anna',
        familyName: 'And\u202Eersson',
        unitId: 'u1',
        startDate: '2026-12-01',
        state: 'new',
      },
      () => true,
    );
    expect(result).toEqual({
      ok: false,
      issues: [expect.objectContaining({ path: 'familyName', code: 'name_characters' })],
    });
  });

  it('still makes runs of ordinary spaces in an identity’s name one', () => {
    const result = validateIdentity(
      {
        userId: 'annand01',
        personalNumber: '19850612-1238',
        givenName: ' Anna   Maria ',
        familyName: 'Lund',
        unitId: 'u1',
        startDate: '2026-12-01',
        state: 'new',
      },
      () => true,
    );
    expect(result.ok && result.value.givenName).toBe('Anna Maria');
  });
});
