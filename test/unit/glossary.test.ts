import { describe, expect, it } from 'vitest';
import { misusedWords } from '../../worker/domain/glossary';

declare global {
  interface ImportMeta {
    glob(
      patterns: string[],
      options: { query: '?raw'; import: 'default'; eager: true },
    ): Record<string, string>;
  }
}

/** Every text a person reads: the web app's catalogues and the worker's messages, mails and sms. */
const sources = import.meta.glob(
  [
    '../../web/src/**/i18n*.ts',
    '../../worker/domain/messages.ts',
    '../../worker/domain/*-text.ts',
    '../../worker/domain/reset-alert.ts',
    '../../worker/domain/handover.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
);

/** The quoted strings of a source file: comments may name the words a text must not use. */
const strings = (source: string) =>
  [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)].map((m) => m[1] ?? m[2] ?? '');

describe('the glossary', () => {
  it('flags "enhet" for a phone or computer, and other words for a passkey', () => {
    expect(misusedWords('be om en ny inbjudan om du har bytt enhet')).toEqual([
      'mobil eller dator',
    ]);
    expect(misusedWords('Är appen på den här enheten?')).toEqual(['mobil eller dator']);
    expect(misusedWords('if you have changed device')).toEqual(['phone or computer']);
    expect(misusedWords('Logga in med inloggningsnyckel')).toEqual(['lösenordsnyckel']);
  });

  it('lets "enhet" name the unit', () => {
    for (const text of [
      'Ny enhet',
      'Välj en enhet.',
      'chefen för din enhet',
      'Bytte namn på enhet',
      'Cheferna i enheten får ett e-brev',
      'Logg för enheten',
    ]) {
      expect(misusedWords(text), text).toEqual([]);
    }
  });

  it('is followed by every catalogue', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    const misused = Object.entries(sources).flatMap(([file, source]) =>
      strings(source).flatMap((text) =>
        misusedWords(text).map((use) => `${file}: "${text}" (use "${use}")`),
      ),
    );
    expect(misused).toEqual([]);
  });
});
