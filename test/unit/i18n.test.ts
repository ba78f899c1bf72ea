import { describe, expect, it } from 'vitest';
import { COMMON } from '../../web/src/i18n-common';
import { type Catalogue, interpolate, type Lang, lookUp, type Vars } from '../../web/src/i18n-text';
import { MANAGE_COMMON } from '../../web/src/manage/i18n-glossary';

declare global {
  interface ImportMeta {
    glob<M>(pattern: string, options: { eager: true }): Record<string, M>;
  }
}

interface Texts {
  catalogue: Catalogue;
  translate: (lang: Lang, key: string, vars?: Vars) => string;
}

/**
 * Every area's texts, found by file name so a new catalogue is checked without being listed
 * here. Vite loads them rather than an import: they pull in Preact, whose DOM types do not
 * belong in the worker's type check.
 */
const modules = import.meta.glob<Record<string, unknown>>('../../web/src/**/i18n*.ts', {
  eager: true,
});

const isTexts = (value: unknown): value is Texts =>
  typeof value === 'object' && value !== null && 'catalogue' in value && 'translate' in value;

const areas = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter((entry): entry is [string, Texts] => isTexts(entry[1]))
    .map(([name, texts]) => ({ name: `${file.replace('../../web/src/', '')}:${name}`, texts })),
);
const catalogues: [string, Catalogue][] = [
  ['i18n-common.ts:COMMON', COMMON],
  ['manage/i18n-glossary.ts:MANAGE_COMMON', MANAGE_COMMON],
  ...areas.map(({ name, texts }): [string, Catalogue] => [name, texts.catalogue]),
];

function area(suffix: string): Texts {
  const found = areas.find(({ name }) => name.endsWith(suffix));
  if (!found) throw new Error(`no texts ${suffix}`);
  return found.texts;
}

/** Swedish says "var 45:e dag" (an ordinal), English "every 45 days" (the number). */
const OWN_PLACEHOLDERS = new Set(['datesIntro']);

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('finds every area', () => {
    expect(areas.map(({ name }) => name).sort()).toEqual([
      'components/i18n-dev-outbox.ts:devOutboxTexts',
      'components/i18n-password.ts:passwordTexts',
      'components/i18n-share.ts:shareTexts',
      'i18n.ts:appTexts',
      'manage/admin/i18n-admin.ts:adminTexts',
      'manage/i18n-handover.ts:handoverTexts',
      'manage/i18n-people.ts:peopleTexts',
      'manage/i18n-routine.ts:routineTexts',
      'screens/i18n-reveal.ts:revealTexts',
    ]);
  });

  it('has Swedish and English words for every key, with the same placeholders', () => {
    for (const [name, catalogue] of catalogues) {
      for (const [key, entry] of Object.entries(catalogue)) {
        expect(entry.sv.trim(), `${name} ${key}`).not.toBe('');
        expect(entry.en.trim(), `${name} ${key}`).not.toBe('');
        if (OWN_PLACEHOLDERS.has(key)) continue;
        expect(placeholders(entry.en), `${name} ${key}`).toEqual(placeholders(entry.sv));
      }
    }
  });

  it('defines no key in two catalogues', () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, catalogue] of catalogues) {
      for (const key of Object.keys(catalogue)) {
        const first = owner.get(key);
        if (first) twice.push(`${key}: ${first} and ${name}`);
        else owner.set(key, name);
      }
    }
    expect(twice).toEqual([]);
  });
});

describe('translate', () => {
  it('fills in {name} placeholders, every occurrence, numbers as text', () => {
    expect(interpolate('Steg {n} av {of}', { n: 2, of: 3 })).toBe('Steg 2 av 3');
    expect(interpolate('{a} och {a}', { a: 'x' })).toBe('x och x');
    expect(interpolate('{n} s', { n: 0 })).toBe('0 s');
  });

  it('leaves a missing value empty and keeps text without placeholders as it is', () => {
    expect(interpolate('Till {unit}', {})).toBe('Till ');
    expect(interpolate('Till {unit}')).toBe('Till ');
    expect(interpolate('{ inte en variabel }', { x: 1 })).toBe('{ inte en variabel }');
  });

  it('reads the area first, then the shared glossary, and shows an unknown key as it is', () => {
    expect(lookUp([{ a: { sv: 'A {n}', en: 'B {n}' } }], 'en', 'a', { n: 1 })).toBe('B 1');
    expect(lookUp([{}, COMMON], 'sv', 'cancel')).toBe('Avbryt');
    expect(lookUp([{}], 'sv', 'no.such.key')).toBe('no.such.key');
  });

  it('gives each area its own words and the shared ones, in either language', () => {
    const app = area('i18n.ts:appTexts');
    expect(app.translate('sv', 'stepOf', { n: 1, of: 3 })).toBe('Steg 1 av 3');
    expect(app.translate('en', 'registeredBody', { username: 'hemtjanstab', phone: '070' })).toBe(
      'Security codes for hemtjanstab now go to 070.',
    );
    expect(app.translate('sv', 'working')).toBe('Vänta…');
    const admin = area('i18n-admin.ts:adminTexts');
    expect(admin.translate('sv', 'cancel')).toBe('Avbryt');
    expect(admin.translate('en', 'unit')).toBe('Unit');
    const routine = area('i18n-routine.ts:routineTexts');
    expect(routine.translate('sv', 'heading', { unit: 'Hemtjänst A' })).toBe(
      'Lösenordsrutin för Hemtjänst A',
    );
    expect(routine.translate('sv', 'heading')).toBe('Lösenordsrutin för ');
  });
});
