import { describe, expect, it } from 'vitest';
import { toCsv } from '../../worker/domain/csv';
import { readCsv } from '../../worker/domain/csv-read';

/** The table, or a failed test naming the error. */
function table(text: string) {
  const result = readCsv(text);
  if (!result.ok) throw new Error(`expected a table, got ${result.reason} at line ${result.line}`);
  return result.table;
}

describe('readCsv', () => {
  it('reads what Swedish Excel saves: BOM, semicolons, CRLF', () => {
    const text =
      '\ufeffFörnamn;Efternamn;E-post\r\nÅke;Öberg;ake@example.se\r\nÄrla;Ås;arla@example.se\r\n';
    expect(readCsv(text)).toEqual({
      ok: true,
      table: {
        separator: ';',
        header: ['Förnamn', 'Efternamn', 'E-post'],
        rows: [
          { line: 2, cells: ['Åke', 'Öberg', 'ake@example.se'] },
          { line: 3, cells: ['Ärla', 'Ås', 'arla@example.se'] },
        ],
      },
    });
  });

  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
  ])('reads %s line ends', (_name, eol) => {
    const t = table(['a;b', '1;2', '3;4', ''].join(eol));
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
    ]);
  });

  it('reads a file without a final line end', () => {
    expect(table('a;b\n1;2').rows).toEqual([{ line: 2, cells: ['1', '2'] }]);
  });

  it('reads a file with a header only', () => {
    expect(table('Namn;E-post\r\n')).toEqual({
      separator: ';',
      header: ['Namn', 'E-post'],
      rows: [],
    });
  });

  describe('separator', () => {
    it.each([
      ['semicolons', 'a;b;c\n1;2;3', ';'],
      ['commas', 'a,b,c\n1,2,3', ','],
      ['tabs', 'a\tb\tc\n1\t2\t3', '\t'],
      ['a comma inside a quoted header name', '"Namn, efternamn";Telefon\nx;y', ';'],
      ['a semicolon inside a quoted header name', '"Namn; efternamn",Telefon\nx,y', ','],
      ['more commas than semicolons', 'a,b,c;d\n1,2,3', ','],
      ['more tabs than commas', 'Namn\tAdress, ort\tTelefon\nx\ty\tz', '\t'],
      ['as many semicolons as commas (Swedish wins)', 'a;b,c\n1;2', ';'],
      ['a single column (the Swedish default)', 'Namn\nÅke', ';'],
      ['blank lines before the header', '\n\r\n  \na,b\n1,2', ','],
      ['a quoted header over two lines', '"Namn\nfull",Telefon\nx,y', ','],
    ])('detects it from %s', (_name, text, separator) => {
      expect(table(text).separator).toBe(separator);
    });

    it('passes over a line of nothing but separators before the header', () => {
      expect(table(',,,\na,b\n1,2')).toEqual({
        separator: ',',
        header: ['a', 'b'],
        rows: [{ line: 3, cells: ['1', '2'] }],
      });
    });

    it('keeps commas in the cells of a semicolon file', () => {
      expect(table('Namn;Adress\nÅke;Storgatan 1, Åby').rows).toEqual([
        { line: 2, cells: ['Åke', 'Storgatan 1, Åby'] },
      ]);
    });

    it('looks only at the header, not at the rows', () => {
      expect(table('a;b\nx,y,z,w').rows).toEqual([{ line: 2, cells: ['x,y,z,w'] }]);
    });

    it.each([
      ['sep=,', 'sep=,\r\nNamn,Telefon\r\nÅke,070\r\n', ','],
      ['sep=;', 'sep=;\nNamn;Telefon\nÅke;070\n', ';'],
      ['upper case SEP=', 'SEP=;\nNamn;Telefon\nÅke;070\n', ';'],
      ['a quoted "sep=;"', '"sep=;"\r\nNamn;Telefon\r\nÅke;070\r\n', ';'],
      ['sep= after a byte order mark', '\ufeffsep=,\nNamn,Telefon\nÅke,070', ','],
      ['sep= with a tab', 'sep=\t\nNamn\tTelefon\nÅke\t070', '\t'],
    ])('follows an Excel %s line and counts it as line 1', (_name, text, separator) => {
      expect(table(text)).toEqual({
        separator,
        header: ['Namn', 'Telefon'],
        rows: [{ line: 3, cells: ['Åke', '070'] }],
      });
    });

    it('follows sep= against what the header suggests', () => {
      expect(table('sep=,\nNamn;Ort,Telefon\nÅke;Åby,070')).toEqual({
        separator: ',',
        header: ['Namn;Ort', 'Telefon'],
        rows: [{ line: 3, cells: ['Åke;Åby', '070'] }],
      });
    });

    it('reads a header that only starts like sep= as a header', () => {
      expect(table('sep=;x\n1').header).toEqual(['sep=', 'x']);
    });
  });

  describe('quotes', () => {
    it.each([
      ['a separator inside quotes', '"a;b";c', ['a;b', 'c']],
      ['a doubled quote', '"say ""hej""";c', ['say "hej"', 'c']],
      ['only a doubled quote', '"""";c', ['"', 'c']],
      ['an empty quoted field', '"";c', ['', 'c']],
      ['a quoted last field', 'a;"b"', ['a', 'b']],
      ['a quote inside an unquoted field, kept', 'a"b;c', ['a"b', 'c']],
      ['text after the closing quote, kept (as Excel does)', '"abc"def;x', ['abcdef', 'x']],
      ['a quote after leading spaces, kept as text', ' "a";b', [' "a"', 'b']],
      ['an LF inside quotes', '"rad 1\nrad 2";x', ['rad 1\nrad 2', 'x']],
      ['a CRLF inside quotes, kept as written', '"rad 1\r\nrad 2";x', ['rad 1\r\nrad 2', 'x']],
      ['a formula-looking value, untouched', "'=SUM(A1);x", ["'=SUM(A1)", 'x']],
    ])('reads %s', (_name, row, cells) => {
      expect(table(`h1;h2\n${row}\n`).rows).toEqual([{ line: 2, cells }]);
    });

    it('counts the lines inside quoted cells, so later rows keep their true line', () => {
      const text =
        'Namn;Adress\r\nÅke;"Storgatan 1\r\n123 45 Åby"\r\nÄrla;"a\nb\rc"\r\nOlle;Torget\r\n';
      expect(table(text).rows).toEqual([
        { line: 2, cells: ['Åke', 'Storgatan 1\r\n123 45 Åby'] },
        { line: 4, cells: ['Ärla', 'a\nb\rc'] },
        { line: 7, cells: ['Olle', 'Torget'] },
      ]);
    });

    it('reads a header cell with a line break', () => {
      expect(table('"E-post\narbete";Namn\nx;y')).toEqual({
        separator: ';',
        header: ['E-post\narbete', 'Namn'],
        rows: [{ line: 3, cells: ['x', 'y'] }],
      });
    });

    it.each([
      ['in a row', 'a;b\n1;2\n"3;4\n5;6\n', 3],
      ['in the header', '"a;b\n1;2\n', 1],
      ['at the very end', 'a;b\n1;"', 2],
      ['after a multi-line cell', 'a;b\n"x\ny";"open\nz\n', 3],
      ['after a sep= line', 'sep=;\na;b\n1;"2\n', 3],
    ])('reports an unterminated quote %s with the line it opens on', (_name, text, line) => {
      expect(readCsv(text)).toEqual({ ok: false, line, reason: 'unterminated_quote' });
    });
  });

  describe('blank lines', () => {
    it('skips them and keeps the true line numbers', () => {
      expect(table('a;b\n\n1;2\n\r\n\r\n3;4\n\n\n').rows).toEqual([
        { line: 3, cells: ['1', '2'] },
        { line: 6, cells: ['3', '4'] },
      ]);
    });

    it('skips lines of nothing but whitespace', () => {
      expect(table('a;b\n   \n\t\n1;2').rows).toEqual([{ line: 4, cells: ['1', '2'] }]);
    });

    it('skips the empty ;;; rows Excel writes for formatted cells', () => {
      expect(table('a;b;c\r\n1;2;3\r\n;;\r\n; ;\r\n;;"";\r\n').rows).toEqual([
        { line: 2, cells: ['1', '2', '3'] },
      ]);
    });

    it('counts blank lines before the header', () => {
      expect(table('\n\na;b\n1;2')).toEqual({
        separator: ';',
        header: ['a', 'b'],
        rows: [{ line: 4, cells: ['1', '2'] }],
      });
    });
  });

  describe('cells', () => {
    it('leaves spaces for the caller to trim', () => {
      expect(table(' Namn ; E-post \n Åke ;ake@example.se ')).toEqual({
        separator: ';',
        header: [' Namn ', ' E-post '],
        rows: [{ line: 2, cells: [' Åke ', 'ake@example.se '] }],
      });
    });

    it('returns header names as written', () => {
      expect(table('FÖRNAMN;e-post;Användar-ID\n1;2;3').header).toEqual([
        'FÖRNAMN',
        'e-post',
        'Användar-ID',
      ]);
    });

    it.each([
      ['empty cells in the middle', 'a;;c', ['a', '', 'c']],
      ['a trailing separator', 'a;b;', ['a', 'b', '']],
      ['a leading separator', ';b;c', ['', 'b', 'c']],
      ['fewer cells than the header', 'a', ['a']],
      ['more cells than the header', 'a;b;c;d', ['a', 'b', 'c', 'd']],
    ])('keeps %s', (_name, row, cells) => {
      expect(table(`h1;h2;h3\n${row}`).rows).toEqual([{ line: 2, cells }]);
    });

    it('keeps a byte order mark that is not at the start', () => {
      expect(table('a;b\n\ufeffx;y').rows).toEqual([{ line: 2, cells: ['\ufeffx', 'y'] }]);
    });
  });

  it.each([
    ['an empty file', '', 1],
    ['a byte order mark only', '\ufeff', 1],
    ['line ends only', '\r\n\r\n\n', 1],
    ['whitespace only', '  \n\t\n', 1],
    ['separators only', ';;;\r\n;;;\r\n', 1],
    ['a sep= line only', 'sep=;\r\n', 2],
    ['a sep= line and blank lines', 'sep=,\n\n\n', 2],
  ])('reports %s as empty', (_name, text, line) => {
    expect(readCsv(text)).toEqual({ ok: false, line, reason: 'empty' });
  });

  it('reads back what the audit export writes', () => {
    const header = ['Tid', 'Händelse', 'Detalj'];
    const rows = [
      ['2026-05-15 10:00', 'Återställning', 'sa "hej"; och gick'],
      ['2026-05-15 10:01', 'Inloggning', 'rad 1\nrad 2'],
      ['2026-05-15 10:02', 'Formel', '=1+1'],
    ];
    expect(table(toCsv(header, rows))).toEqual({
      separator: ';',
      header,
      rows: [
        { line: 2, cells: rows[0] },
        { line: 3, cells: rows[1] },
        { line: 5, cells: ['2026-05-15 10:02', 'Formel', "'=1+1"] },
      ],
    });
  });
});
