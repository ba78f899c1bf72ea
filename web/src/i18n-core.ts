import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { COMMON } from './i18n-common';
import { type Catalogue, type Lang, lookUp, type Vars } from './i18n-text';

export type { Catalogue, Lang, Vars } from './i18n-text';

/** The keys an area's texts accept: its own, the shared glossary's, and a second glossary's. */
export type TextKeyOf<T extends Catalogue, G extends Catalogue = Record<never, never>> = (
  | keyof T
  | keyof G
  | keyof typeof COMMON
) &
  string;

export const LangContext = createContext<Lang>('sv');

export function useLang(): Lang {
  return useContext(LangContext);
}

/**
 * One area's texts: `const texts = createTexts({ key: { sv, en } })` gives
 * `texts.translate(lang, 'key', { n: 3 })` and the hook `texts.useTexts()`, which returns
 * `t('key', vars)` in the current language. Every area also reads the shared glossary
 * (i18n-common.ts), so a word several areas use is written once. Each area keeps its own table
 * beside its screens, so a chunk carries only its words.
 */
export function createTexts<
  const T extends Catalogue,
  const G extends Catalogue = Record<never, never>,
>(catalogue: T, glossary?: G) {
  const tables: readonly Catalogue[] = glossary
    ? [catalogue, glossary, COMMON]
    : [catalogue, COMMON];
  function translate(lang: Lang, key: TextKeyOf<T, G>, vars: Vars = {}): string {
    return lookUp(tables, lang, key, vars);
  }
  function useTexts() {
    const lang = useLang();
    return (key: TextKeyOf<T, G>, vars: Vars = {}) => translate(lang, key, vars);
  }
  return { catalogue, translate, useTexts };
}
