import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { ImportResult } from '../../../../worker/routes/identities.schemas';
import type { ApiFailure, ApiResult } from '../../api';
import { ErrorSummary } from '../components/ErrorSummary';
import { describedBy, FieldFrame } from '../components/FieldFrame';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { type Problem, problemFor } from './problems';
import { AdminPage, LiveStatus, useFocusedHeading } from './ui';
import { useWrite } from './write';

/** What the preview and the import answer (the import adds `initialPassword` per row). */
type ImportSummary = InferOutput<typeof ImportResult>;
type ImportRow = ImportSummary['rows'][number];

/** The worker's limit is 2 MB of text; a bigger file is refused here without sending it. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * The example file, as Swedish Excel saves "CSV UTF-8": a byte order mark, semicolons, CRLF.
 * The personnummer are made-up but valid (the check digit is right), so the file imports; the
 * start date is two weeks ahead, so the fetched password shows the start-date note.
 */
function exampleCsv(now: number): string {
  const start = new Date(now + 14 * 86_400_000).toLocaleDateString('sv-SE', {
    timeZone: 'Europe/Stockholm',
  });
  const rows = [
    'Användar-id;Personnummer;HSA-id;Förnamn;Efternamn;Enhet;Startdatum;Status',
    `anand01;19850612-1238;SE2321000131-E000000000001;Anna;Andersson;Hemtjänst Åby;${start};ny`,
    `akeost01;19811228-9874;;Åke;Öst;Hemtjänst Åby;${start};ny`,
  ];
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

const ISSUE_CODES = new Set([
  'user_id',
  'personal_number_format',
  'personal_number_date',
  'personal_number_checksum',
  'hsa_id',
  'given_name',
  'family_name',
  'name_characters',
  'unit',
  'start_date',
  'state',
]);

type Translate = ReturnType<typeof useAdminT>;

/** A row's problem in the reader's language: by its code, else the server's own words. */
function issueText(t: Translate, issue: ImportRow['issues'][number]): string {
  if (issue.code && ISSUE_CODES.has(issue.code)) {
    return t(`issue_${issue.code}` as AdminTextKey);
  }
  if (issue.message === 'conflict' || /personal number/i.test(issue.message)) {
    return t('issue_conflict');
  }
  return issue.message;
}

/** Column names as the worker reports a missing one, in the file's own Swedish headings. */
const COLUMN_NAMES: Record<string, string> = {
  userId: 'Användar-id',
  personalNumber: 'Personnummer',
  givenName: 'Förnamn',
  familyName: 'Efternamn',
  unitId: 'Enhet',
  startDate: 'Startdatum',
  state: 'Status',
};

/** A problem with the whole file (400 invalid_request), said in Swedish when it is known. */
function fileProblem(t: Translate, failure: ApiFailure): string {
  if (failure.status === 413) return t('fileTooLarge');
  const message = failure.issues?.[0]?.message ?? failure.message;
  if (/no rows/i.test(message)) return t('fileEmpty');
  const quote = /not closed \(line (\d+)\)/i.exec(message);
  if (quote) return t('fileQuote', { line: quote[1] ?? '' });
  const missing = /^Columns missing: (.+)$/i.exec(message);
  if (missing?.[1]) {
    const columns = missing[1]
      .split(',')
      .map((c) => COLUMN_NAMES[c.trim()] ?? c.trim())
      .join(', ');
    return t('fileColumns', { columns });
  }
  const many = /At most (\d+) rows/i.exec(message);
  if (many) return t('fileTooMany', { n: many[1] ?? '' });
  return message || failure.message;
}

function statusLabel(t: Translate, status: ImportRow['status']): string {
  switch (status) {
    case 'ok':
      return t('rowOk');
    case 'error':
      return t('rowError');
    case 'created':
      return t('rowCreated');
    case 'updated':
      return t('rowUpdated');
    case 'unchanged':
      return t('rowUnchanged');
  }
}

/** The example file as a download made in the browser; the URL is freed with the screen. */
function useExampleUrl(): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(
      new Blob([exampleCsv(Date.now())], { type: 'text/csv;charset=utf-8' }),
    );
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, []);
  return url;
}

/**
 * /admin/nyanstallda: the CSV of hires from HR, checked row by row before anything is saved
 * (preview), then imported with a fresh sign-in. Rows with errors are left out and listed,
 * so the file can be fixed and read again (a second import of the same rows changes nothing).
 */
export function IdentityImport() {
  const t = useAdminT();
  const write = useWrite();
  const exampleUrl = useExampleUrl();
  const [fileName, setFileName] = useState('');
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportSummary | null>(null);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState<'reading' | 'importing' | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  async function choose(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    setPreview(null);
    setResult(null);
    setStatus(null);
    setCsv(null);
    setProblems([]);
    if (!file) return;
    setFileName(file.name);
    if (file.size > MAX_FILE_BYTES) {
      return setProblems([{ field: 'import-file', message: t('fileTooLarge') }]);
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      return setProblems([{ field: 'import-file', message: t('fileNotText') }]);
    }
    setBusy('reading');
    const res = await write<ImportSummary>('POST', '/api/admin/identities/preview', {
      csv: text,
    });
    setBusy(null);
    if (!res.ok) {
      return setProblems([{ field: 'import-file', message: fileProblem(t, res) }]);
    }
    setCsv(text);
    setPreview(res.data);
  }

  async function runImport() {
    if (csv === null) return;
    setBusy('importing');
    setProblems([]);
    // The worker imports a part of the file per request (the edge limits the database
    // queries of one request); the parts are sent one after another until none is left.
    const rows: ImportRow[] = [];
    let from: number | null = 0;
    let last: ImportSummary | null = null;
    while (from !== null) {
      const res: ApiResult<ImportSummary> = await write<ImportSummary>(
        'POST',
        '/api/admin/identities/import',
        { csv, from },
      );
      if (!res.ok) {
        setBusy(null);
        setProgress(null);
        return setProblems([{ field: 'import-file', message: fileProblem(t, res) }]);
      }
      last = res.data;
      rows.push(...res.data.rows);
      from = res.data.next ?? null;
      setProgress({ done: rows.length, total: res.data.total ?? rows.length });
    }
    setBusy(null);
    setProgress(null);
    if (!last) return;
    const errors = rows.filter((r) => r.status === 'error').length;
    const data: ImportSummary = {
      ...last,
      rows,
      counts: { ok: rows.length - errors, errors },
    };
    const count = (s: ImportRow['status']) => rows.filter((r) => r.status === s).length;
    const started = rows.filter((r) => r.initialPassword === 'started').length;
    setResult(data);
    setPreview(null);
    setCsv(null);
    setStatus(
      `${t('importDone', {
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        errors: count('error'),
      })}${started > 0 ? ` ${t('importStarted', { n: started })}` : ''}`,
    );
  }

  function again() {
    setResult(null);
    setStatus(null);
    setFileName('');
    if (fileInput.current) {
      fileInput.current.value = '';
      fileInput.current.focus();
    }
  }

  const error = problemFor(problems, 'import-file');
  return (
    <AdminPage title={t('importHeading')} intro={t('importIntro')}>
      <p class="hint">{t('importColumns')}</p>
      {exampleUrl && (
        <p>
          <a href={exampleUrl} download="nyanstallda-exempel.csv" class="download-link">
            {t('importExample')}
          </a>
        </p>
      )}

      <div class="panel">
        <ErrorSummary problems={problems} />
        <FieldFrame
          id="import-file"
          label={t('importFile')}
          hint={t('importFileHint')}
          error={error}
        >
          <input
            ref={fileInput}
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            class="file-input"
            disabled={busy !== null}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy('import-file', t('importFileHint'), error)}
            onChange={choose}
          />
        </FieldFrame>
        {busy === 'reading' && (
          <p class="hint" role="status">
            {t('importReading')}
          </p>
        )}
      </div>

      {preview && (
        <ImportTable
          key="preview"
          heading={t('importPreviewHeading', { file: fileName })}
          summary={preview}
        >
          <p>
            {preview.counts.ok === 0
              ? t('importNothing')
              : preview.counts.errors === 0
                ? t('importCountsNoErrors', { ok: preview.counts.ok })
                : preview.counts.errors === 1
                  ? t('importCountsOneError', preview.counts)
                  : t('importCounts', preview.counts)}
          </p>
          <div class="buttons">
            <button
              type="button"
              disabled={preview.counts.ok === 0 || busy !== null}
              onClick={runImport}
            >
              {busy === 'importing'
                ? progress
                  ? t('importProgress', progress)
                  : t('working')
                : preview.counts.ok === 1
                  ? t('importButtonOne')
                  : t('importButton', { n: preview.counts.ok })}
            </button>
          </div>
        </ImportTable>
      )}
      <LiveStatus message={status} />
      {result && (
        <ImportTable key="result" heading={t('importResultHeading')} summary={result}>
          <div class="buttons">
            <button type="button" class="secondary" onClick={again}>
              {t('importAnother')}
            </button>
          </div>
        </ImportTable>
      )}
    </AdminPage>
  );
}

/** The rows of a preview or an import; the heading takes focus when it appears. */
function ImportTable({
  heading,
  summary,
  children,
}: {
  heading: string;
  summary: ImportSummary;
  children: ComponentChildren;
}) {
  const t = useAdminT();
  const ref = useFocusedHeading();
  return (
    <section aria-labelledby="import-table-heading">
      <h2 id="import-table-heading" ref={ref} tabIndex={-1}>
        {heading}
      </h2>
      {children}
      <table class="admin-table import-table">
        <caption class="visually-hidden">{t('importTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colLine')}</th>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('userId')}</th>
            <th scope="col">{t('colStatus')}</th>
            {summary.committed && <th scope="col">{t('identityInitialPassword')}</th>}
            <th scope="col">{t('colProblems')}</th>
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((row) => (
            <tr key={row.line} class={row.status === 'error' ? 'row-error' : undefined}>
              <td data-label={t('colLine')}>{row.line}</td>
              <th scope="row">{row.name || '–'}</th>
              <td data-label={t('userId')} class="mono">
                {row.userId || '–'}
              </td>
              <td data-label={t('colStatus')}>
                <span class={row.status === 'error' ? 'badge badge-error' : 'badge badge-ok'}>
                  <span aria-hidden="true">{row.status === 'error' ? '✕ ' : '✓ '}</span>
                  {statusLabel(t, row.status)}
                </span>
              </td>
              {summary.committed && (
                <td data-label={t('identityInitialPassword')}>
                  {row.status === 'error'
                    ? '–'
                    : row.initialPassword === 'started'
                      ? t('initialStarted')
                      : t('initialNoneYet')}
                </td>
              )}
              <td data-label={t('colProblems')} class="problems">
                {row.issues.length === 0 ? (
                  <span class="muted">{t('noProblems')}</span>
                ) : (
                  <ul class="plain">
                    {row.issues.map((issue) => (
                      <li key={`${issue.path}:${issue.code ?? issue.message}`}>
                        {issueText(t, issue)}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
