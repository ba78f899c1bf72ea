/**
 * The pure half of the texts (no Preact, so the unit tests can read it): the catalogue's shape
 * and how a text is looked up and filled in. The hook half is in i18n-core.ts.
 */
export type Lang = 'sv' | 'en';

/** A text table: every key has its Swedish and its English words. */
export type Catalogue = Readonly<Record<string, { readonly sv: string; readonly en: string }>>;

export type Vars = Record<string, string | number>;

/** `{name}` becomes `vars.name`; a placeholder without a value becomes empty, never "undefined". */
export function interpolate(text: string, vars: Vars = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/**
 * The text of `key` in `lang`, from the first table that has it. A key no table has (only
 * possible past the types, such as a code from the server) is shown as it is.
 */
export function lookUp(tables: readonly Catalogue[], lang: Lang, key: string, vars?: Vars): string {
  for (const table of tables) {
    const entry = table[key];
    if (entry) return interpolate(entry[lang], vars);
  }
  return interpolate(key, vars);
}
