/**
 * Reading CSV as Swedish Excel, LibreOffice and HR systems write it (the writer for the audit
 * export is `csv.ts`). RFC 4180 quoting, with what those programs add: a byte order mark,
 * `;` as the separator (a Swedish locale's list separator, the comma being its decimal sign),
 * Excel's `sep=` line, and any of CRLF, LF or CR (old Mac exports) as the line end. Pure, so
 * the web app can preview a file before it is sent.
 */

export interface CsvTable {
  /** The separator the file uses: from its `sep=` line, or detected in its header. */
  separator: string;
  /** The first record that is not blank, as written (the caller normalises the names). */
  header: string[];
  /**
   * The records after the header, blank ones left out. `line` is the 1-based line in the file
   * where the record starts, so a message can point at it; cells are as written, untrimmed,
   * and a row may have more or fewer cells than the header (the caller decides).
   */
  rows: { line: number; cells: string[] }[];
}

export type CsvReadResult =
  | { ok: true; table: CsvTable }
  | { ok: false; line: number; reason: 'unterminated_quote' | 'empty' };

const BOM = '\uFEFF';

/** Excel reads (and some exports write) `sep=;` as the first line to name the separator. */
const SEP_LINE = /^"?sep=([^"\r\n])"?(?:\r\n|\r|\n|$)/i;

/*
 * Candidates in the order that wins a tie: `;` first because it is what Swedish Excel writes,
 * and a file that has as many commas as semicolons in its header is most likely Swedish with a
 * comma inside a column name.
 */
const CANDIDATES = [';', '\t', ','] as const;
const DEFAULT_SEPARATOR = ';';

const QUOTE = '"';
const CR = '\r';
const LF = '\n';

/** Reads a whole file. Fails only when there is no header, or a quote is never closed. */
export function readCsv(text: string): CsvReadResult {
  let start = text.startsWith(BOM) ? BOM.length : 0;
  let firstLine = 1;
  let separator: string;

  const sepLine = SEP_LINE.exec(text.slice(start, start + 16));
  if (sepLine) {
    separator = sepLine[1] ?? DEFAULT_SEPARATOR;
    start += sepLine[0].length;
    firstLine = 2;
  } else {
    separator = detectSeparator(text, start);
  }

  const records = readRecords(text, start, firstLine, separator);
  if (!records.ok) return { ok: false, line: records.line, reason: 'unterminated_quote' };

  const [header, ...rows] = records.records.filter((record) => !isBlank(record.cells));
  if (!header) return { ok: false, line: firstLine, reason: 'empty' };
  return { ok: true, table: { separator, header: header.cells, rows } };
}

type CsvRecord = { line: number; cells: string[] };

/** Splits the text into records; stops at a quote that is never closed, with its line. */
function readRecords(
  text: string,
  start: number,
  firstLine: number,
  separator: string,
): { ok: true; records: CsvRecord[] } | { ok: false; line: number } {
  const records: CsvRecord[] = [];
  let i = start;
  let line = firstLine;

  while (i < text.length) {
    const record: CsvRecord = { line, cells: [] };
    records.push(record);
    let cell = '';
    let fieldStart = true;

    while (true) {
      if (i >= text.length) {
        record.cells.push(cell);
        break;
      }
      const c = text[i];

      // A quote opens a quoted field only as the field's first character (RFC 4180).
      if (fieldStart && c === QUOTE) {
        const quoteLine = line;
        i++;
        while (true) {
          if (i >= text.length) return { ok: false, line: quoteLine };
          const q = text[i];
          if (q === QUOTE) {
            if (text[i + 1] === QUOTE) {
              cell += QUOTE;
              i += 2;
              continue;
            }
            i++;
            break;
          }
          // Line breaks inside quotes are part of the cell, but still lines of the file.
          if (q === LF || (q === CR && text[i + 1] !== LF)) line++;
          cell += q;
          i++;
        }
        // Whatever follows the closing quote up to the separator is kept as text, as Excel
        // does with `"abc"def`, rather than refusing the file.
        fieldStart = false;
        continue;
      }

      fieldStart = false;
      if (c === separator) {
        record.cells.push(cell);
        cell = '';
        fieldStart = true;
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        record.cells.push(cell);
        i += c === CR && text[i + 1] === LF ? 2 : 1;
        line++;
        break;
      }
      // A quote inside an unquoted field is an ordinary character.
      const end = nextSpecial(text, i + 1, separator);
      cell += text.slice(i, end);
      i = end;
    }
  }
  return { ok: true, records };
}

/** The index of the next separator, CR or LF from `from`, or the end of the text. */
function nextSpecial(text: string, from: number, separator: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === separator || c === CR || c === LF) return i;
  }
  return text.length;
}

/*
 * A blank line, the final line end, and the `;;;;` rows Excel writes for formatted but empty
 * rows all carry nothing; skipping them here spares every caller the same check.
 */
function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/**
 * The candidate that occurs most often outside quotes in the first line with content (the
 * header); `;` when there is none (a file of one column).
 */
function detectSeparator(text: string, start: number): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let inQuotes = false;
  let fieldStart = true;
  let content = false;

  for (let i = start; i < text.length; i++) {
    const c = text[i] ?? '';
    if (inQuotes) {
      if (c === QUOTE) {
        if (text[i + 1] === QUOTE) i++;
        else inQuotes = false;
      }
      content = true;
      continue;
    }
    if (c === QUOTE && fieldStart) {
      inQuotes = true;
      fieldStart = false;
      continue;
    }
    const count = counts.get(c);
    if (count !== undefined) {
      counts.set(c, count + 1);
      fieldStart = true;
      continue;
    }
    if (c === CR || c === LF) {
      if (content) break;
      // A line of nothing but separators is blank to the reader too: it names no columns.
      for (const candidate of CANDIDATES) counts.set(candidate, 0);
      fieldStart = true;
      continue;
    }
    if (c.trim() !== '') content = true;
    fieldStart = false;
  }

  let best: string = DEFAULT_SEPARATOR;
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = counts.get(candidate) ?? 0;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
