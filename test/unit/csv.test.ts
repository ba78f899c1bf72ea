import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, toCsv } from '../../worker/domain/csv';

describe('csvCell', () => {
  it('leaves a plain value as it is', () => {
    expect(csvCell('hemtjanstab')).toBe('hemtjanstab');
    expect(csvCell('Hemtjänst Åby')).toBe('Hemtjänst Åby');
    expect(csvCell('198.51.100.7')).toBe('198.51.100.7');
  });

  it('writes nothing for a missing value', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('writes numbers and booleans as they are, a negative number included', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes a value with the separator', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
  });

  it('quotes a value with a quote and doubles the quote', () => {
    expect(csvCell('say "hej"')).toBe('"say ""hej"""');
    expect(csvCell('"')).toBe('""""');
  });

  it('quotes a value with a line break', () => {
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('does not quote a comma, which is not the separator', () => {
    expect(csvCell('a,b')).toBe('a,b');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+46701234567', "'+46701234567"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
  ])('turns %j into text so a spreadsheet does not run it', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('neutralises a formula and still quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("https://evil.example";"klicka")')).toBe(
      '"\'=HYPERLINK(""https://evil.example"";""klicka"")"',
    );
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
  });

  it('leaves a formula character that is not first alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('person@example.se')).toBe('person@example.se');
  });
});

describe('toCsv', () => {
  it('starts with a byte order mark, separates with semicolons and ends lines in CRLF', () => {
    const text = toCsv(['Tid', 'Händelse'], [['2026-05-04T08:00:00.000Z', 'mailbox.login']]);
    expect(text).toBe('\uFEFFTid;Händelse\r\n2026-05-04T08:00:00.000Z;mailbox.login\r\n');
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('\uFEFFa;b\r\n');
  });

  it('keeps empty cells so the columns line up', () => {
    expect(csvRow(['a', null, '', 'd'])).toBe('a;;;d');
  });
});
