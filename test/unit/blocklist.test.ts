import { describe, expect, it } from 'vitest';
import { isCommonPassword, normalizeForBlocklist } from '../../worker/domain/blocklist';

describe('normalizeForBlocklist', () => {
  it.each([
    ['Sommar2026!', 'sommar'],
    ['Hösten24', 'hosten'],
    ['Välkommen1', 'valkommen'],
    ['ÅÄÖéüÆøß', 'aaoeuaeoss'],
    ['L0s3nord1', 'losenord'],
    ['P@ssw0rd!', 'password'],
    ['Vint3r2025', 'vinter'],
    ['$0mm4r', 'sommar'],
    ['L!nda', 'linda'],
    ['1loveyou', 'iloveyou'],
    ['#!Sommar', 'sommar'],
    ['Brevlada-2026', 'brevlada'],
    ['Hemvard#2026', 'hemvard'],
    ['Tr4sig-Kanin-44', 'trasig-kanin'],
    ['Örebro   Kommun', 'orebro kommun'],
  ])('folds %j to %j', (candidate, folded) => {
    expect(normalizeForBlocklist(candidate)).toBe(folded);
  });

  it.each(['12345678', '!!!!2026', '', '   ', '2026-01-01!'])(
    'folds %j, which has no letters, to an empty string',
    (candidate) => {
      expect(normalizeForBlocklist(candidate)).toBe('');
    },
  );

  it('strips the trailing year before undoing leetspeak, so the year never becomes letters', () => {
    expect(normalizeForBlocklist('Vinter2025')).toBe('vinter');
    expect(normalizeForBlocklist('Januari2026')).toBe('januari');
  });
});

describe('isCommonPassword', () => {
  it.each([
    'Sommar2026!',
    'Vinter2025',
    'Hösten24',
    'Host2026',
    'Våren2026!',
    'Var2026',
    'Januari2026',
    'December-24',
    'Summer2026!',
    'Lösenord1',
    'Losenord1',
    'Välkommen1',
    'Valkommen2026!',
    'L0s3nord1',
    'P@ssw0rd!',
    'Password123',
    'Welcome1!',
    'Qwerty123',
    'Qwertyuiop1',
    'Hejsan123',
    'Stockholm2026',
    'Göteborg1!',
    'Malm0',
    'Kommun2026!',
    'Hemtjänst1!',
    'Treserva2026',
    'Brevlada-2026',
    'Brevlåda1',
    'Nyckel123!',
    'Fotboll99',
    'Kärlek1',
    'Trustno1',
    'Tru5tn01',
    'Iloveyou!',
    '1loveyou',
    'Dr4g0n!',
    'He11o2026',
    'Abc123!',
    '@dmin2026',
    '2026Sommar!',
  ])('catches the common pattern %j', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(['12345678', '!!!!2026', '', '2026-06-21', '1234 5678'])(
    'catches %j, which is only digits and symbols',
    (password) => {
      expect(isCommonPassword(password)).toBe(true);
    },
  );

  it.each([
    ['Orebrokommun1!', ['Örebro kommun']],
    ['Örebro kommun 2026', ['Örebro kommun']],
    ['Lerums2026!', ['Lerums kommun']],
    ['LerumsKommun1', ['Lerums kommun']],
    ['Hemvardsgruppen1!', ['Hemvårdsgruppen Norr']],
    ['Norr2026!', ['Hemvårdsgruppen Norr']],
    ['Hemtjanstab2026', ['hemtjanstab']],
    ['Lilla-Edet1', ['Lilla Edet']],
    ['L1llaEdet!', ['Lilla Edet']],
  ])('catches %j when the names %j are given', (password, words) => {
    expect(isCommonPassword(password, words)).toBe(true);
  });

  it('does not catch a name-based password when the name is not given', () => {
    expect(isCommonPassword('Lerums2026!')).toBe(false);
  });

  it('ignores name parts shorter than four letters', () => {
    expect(isCommonPassword('Ale2026!', ['Ale kommun'])).toBe(false);
  });

  it('ignores names that fold to nothing instead of refusing everything', () => {
    expect(isCommonPassword('Kx9!mPq2', ['2026', '   '])).toBe(false);
  });

  it.each([
    'Hemvard#2026',
    'Tr4sig-Kanin-44',
    'Kx9!mPq2',
    'Correct-Horse-7',
    'Blå-Cykel-Regnar-9',
    'Sommarfjäril#Vid#Sjön7',
  ])('lets the stronger password %j pass', (password) => {
    expect(isCommonPassword(password)).toBe(false);
    expect(
      isCommonPassword(password, ['Örebro kommun', 'Hemvårdsgruppen', 'hemvardsgruppen']),
    ).toBe(false);
  });
});
