import { describe, expect, it } from 'vitest';
import {
  type CharacterClasses,
  characterClasses,
  checkPassword,
  DEFAULT_POLICY,
  type PolicySettings,
  type PolicyViolation,
} from '../../worker/domain/policy';

const NONE: CharacterClasses = { upper: false, lower: false, digit: false, special: false };

describe('DEFAULT_POLICY', () => {
  it('follows the rule: 8 characters, 3 of 4 classes, 24 remembered, changed every 90 days', () => {
    expect(DEFAULT_POLICY).toEqual({
      minLength: 8,
      minClasses: 3,
      historyDepth: 24,
      maxAgeDays: 90,
    });
  });

  it('cannot be changed by a caller by accident', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
  });
});

describe('characterClasses', () => {
  it.each<[string, Partial<CharacterClasses>]>([
    ['A', { upper: true }],
    ['Z', { upper: true }],
    ['a', { lower: true }],
    ['z', { lower: true }],
    ['0', { digit: true }],
    ['9', { digit: true }],
    ['!', { special: true }],
    [' ', { special: true }],
    ['~', { special: true }],
    ['@', { special: true }],
    ['Aa0!', { upper: true, lower: true, digit: true, special: true }],
    ['', {}],
  ])('classifies %j', (password, present) => {
    expect(characterClasses(password)).toEqual({ ...NONE, ...present });
  });

  it.each(['Å', 'Ä', 'Ö', 'É'])('refuses %s as an upper case letter', (letter) => {
    expect(characterClasses(letter)).toEqual(NONE);
  });

  it.each(['å', 'ä', 'ö', 'é', 'ü'])('refuses %s as a lower case letter', (letter) => {
    expect(characterClasses(letter)).toEqual(NONE);
  });

  it.each(['\t', '\n', '\u007f', '\u00a0', '€', '😀', '٣'])(
    'does not count %j as a special character or a digit',
    (character) => {
      expect(characterClasses(character)).toEqual(NONE);
    },
  );
});

describe('checkPassword', () => {
  it.each(['Kx9!mPq2', 'Hemvard#2026', 'Tr4sig-Kanin-44', 'Correct-Horse-7', 'Kvistrad7'])(
    'accepts %j',
    (password) => {
      expect(checkPassword(password, DEFAULT_POLICY)).toEqual([]);
    },
  );

  it.each<[string, PolicyViolation[]]>([
    ['Kvist7!', ['too_short']],
    ['Kvist7!x', []],
  ])('counts the length boundary: %j gives %j', (password, expected) => {
    expect(checkPassword(password, DEFAULT_POLICY)).toEqual(expected);
  });

  it('counts length in code points, so an emoji is one character', () => {
    // 7 code points but 8 UTF-16 units.
    expect(checkPassword('Kvist7😀', DEFAULT_POLICY)).toEqual(['too_short', 'invalid_characters']);
  });

  it('refuses an empty password as too short with too few classes', () => {
    const violations = checkPassword('', DEFAULT_POLICY);
    expect(violations).toContain('too_short');
    expect(violations).toContain('too_few_classes');
  });

  it.each<[string, boolean, boolean]>([
    // password, acceptable with 3 classes, acceptable with 4 classes
    ['kvistradgard', false, false],
    ['KVISTRADGARD', false, false],
    ['kvistrad77', false, false],
    ['kvist-rad-tre', false, false],
    ['Kvistrad7', true, false],
    ['Kvistrad!', true, false],
    ['kvistrad7!', true, false],
    ['KVISTRAD7!', true, false],
    ['Kvistrad7!', true, true],
    ['Kvist rad 7', true, true],
  ])('applies the class rule to %j (3 of 4: %s, 4 of 4: %s)', (password, atThree, atFour) => {
    const three = checkPassword(password, { ...DEFAULT_POLICY, minClasses: 3 });
    const four = checkPassword(password, { ...DEFAULT_POLICY, minClasses: 4 });
    expect(three).toEqual(atThree ? [] : ['too_few_classes']);
    expect(four).toEqual(atFour ? [] : ['too_few_classes']);
  });

  it.each([
    ['space', 'Kvist rad7'],
    ['tilde', 'Kvistrad7~'],
  ])('accepts the printable ASCII edge character %s', (_name, password) => {
    expect(checkPassword(password, DEFAULT_POLICY)).toEqual([]);
  });

  it.each([
    ['tab', 'Kvist\trad7!'],
    ['newline', 'Kvist\nrad7!'],
    ['DEL (0x7F)', 'Kvist\u007frad7!'],
    ['a control character', 'Kvist\u0001rad7!'],
    ['NBSP', 'Kvist\u00a0rad7!'],
    ['a zero-width space', 'Kvist\u200brad7!'],
    ['an emoji', 'Kvistrad7!😀'],
    ['é', 'Kvistréd7!'],
    ['å', 'Kvisträd7!'],
    ['Ö', 'Kvistrad7!Ö'],
  ])('refuses %s as an invalid character', (_name, password) => {
    expect(checkPassword(password, DEFAULT_POLICY)).toEqual(['invalid_characters']);
  });

  it.each(['hemtjanstab', 'HEMTJANSTAB', 'HemTjanstAb', '  hemtjanstab  '])(
    'finds the username written as %j in the password, whatever the case',
    (username) => {
      expect(checkPassword('Xy#HemTJANSTab7', DEFAULT_POLICY, { username })).toEqual([
        'contains_username',
      ]);
    },
  );

  it('ignores usernames shorter than three characters', () => {
    expect(checkPassword('Kvistrad7!ab', DEFAULT_POLICY, { username: ' ab ' })).toEqual([]);
  });

  it('reports a password that is only the username as both containing it and common', () => {
    expect(checkPassword('Hemtjanstab2026!', DEFAULT_POLICY, { username: 'hemtjanstab' })).toEqual([
      'contains_username',
      'common',
    ]);
  });

  it.each(['Sommar2026!', 'L0s3nord1!', 'P@ssw0rd!', 'Qwerty123!', 'Välkommen1'])(
    'refuses the common password %j',
    (password) => {
      expect(checkPassword(password, DEFAULT_POLICY)).toContain('common');
    },
  );

  it('refuses the organisation name given as a word', () => {
    expect(checkPassword('Lerumskommun1!', DEFAULT_POLICY)).toEqual([]);
    expect(checkPassword('Lerumskommun1!', DEFAULT_POLICY, { words: ['Lerums kommun'] })).toEqual([
      'common',
    ]);
  });

  it.each<[string | undefined, PolicyViolation[]]>([
    [undefined, []],
    ['Kvistrad7!', []],
    ['kvistrad7!', ['mismatch']],
    ['', ['mismatch']],
  ])('compares the confirmation %j', (confirmation, expected) => {
    expect(checkPassword('Kvistrad7!', DEFAULT_POLICY, { confirmation })).toEqual(expected);
  });

  it('never reports reuse, which only the server can judge', () => {
    expect(checkPassword('Sommar2026!', DEFAULT_POLICY, { username: 'sommar' })).not.toContain(
      'reused',
    );
  });

  it('reports every violation once, in the order of the union', () => {
    expect(
      checkPassword('€hej', DEFAULT_POLICY, { username: 'hej', confirmation: 'x', words: ['hej'] }),
    ).toEqual([
      'too_short',
      'too_few_classes',
      'invalid_characters',
      'contains_username',
      'common',
      'mismatch',
    ]);
  });

  it('follows changed settings', () => {
    const strict: PolicySettings = { ...DEFAULT_POLICY, minLength: 12 };
    expect(checkPassword('Kvistrad7!x', strict)).toEqual(['too_short']);
    expect(checkPassword('Kvistrad7!xy', strict)).toEqual([]);
    expect(checkPassword('Kvistrad7!x', DEFAULT_POLICY)).toEqual([]);
  });

  it('accepts any class mix when the settings ask for none', () => {
    expect(checkPassword('kvistradgard', { ...DEFAULT_POLICY, minClasses: 0 })).toEqual([]);
  });
});
