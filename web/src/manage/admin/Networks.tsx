import { useEffect, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import { parseNetworks } from '../../../../worker/domain/networks';
import type { NetworkSettingsView } from '../../../../worker/routes/admin.schemas';
import type { ApiFailure } from '../../api';
import { StepHeading } from '../../components/StepHeading';
import { useTitle } from '../use-title';
import { useAdminT } from './i18n-admin';
import {
  ConfirmDialog,
  ErrorSummary,
  failureProblem,
  LiveStatus,
  LoadState,
  type Problem,
  problemFor,
  TextAreaField,
  useResource,
} from './ui';
import { useWrite } from './write';

type NetworkSettings = InferOutput<typeof NetworkSettingsView>;

const PATH = '/api/admin/networks';

function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Which entry the API refused: it names it in `entry`; if that did not come through, the
 * same pure parser the worker uses finds the first line that is not one network.
 */
function refusedEntry(failure: ApiFailure, lines: string[]): string | null {
  if (failure.entry !== undefined) return failure.entry;
  return (
    lines.find((line) => {
      const parsed = line.includes(',') ? null : parseNetworks(line);
      return parsed?.kind !== 'ok' || parsed.ranges.length !== 1;
    }) ?? null
  );
}

/**
 * The internal-network list: the guide says a mailbox's number is registered from outside
 * the municipal network, so Nyckel refuses phone registration from these ranges (sign-in,
 * reset and change work there). Stored in D1; the wrangler var is the default.
 */
export function Networks() {
  const t = useAdminT();
  useTitle(t('networksHeading'));
  const write = useWrite();
  const settings = useResource<NetworkSettings>(PATH);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetProblems, setResetProblems] = useState<Problem[]>([]);

  const loaded = settings.state === 'ok' ? settings.data : null;
  // The text area starts from what the server holds, and again after every save or reset.
  useEffect(() => {
    if (loaded) setText(loaded.cidrs.join('\n'));
  }, [loaded]);

  async function save(e: Event) {
    e.preventDefault();
    setStatus(null);
    const lines = linesOf(text);
    setBusy(true);
    const res = await write<NetworkSettings>('PUT', PATH, { cidrs: lines });
    setBusy(false);
    if (!res.ok) {
      if (res.error === 'invalid_request') {
        const entry = refusedEntry(res, lines);
        if (entry !== null) {
          const line = lines.indexOf(entry) + 1;
          return setProblems([
            {
              field: 'net-list',
              message: line > 0 ? t('networkBadLine', { line, entry }) : t('networkBad', { entry }),
            },
          ]);
        }
      }
      return setProblems([failureProblem(res, 'net-list')]);
    }
    setProblems([]);
    setStatus(t('networksSaved', { n: res.data.cidrs.length }));
    settings.reload();
  }

  async function reset() {
    setBusy(true);
    const res = await write<NetworkSettings>('DELETE', PATH);
    setBusy(false);
    if (!res.ok) return setResetProblems([failureProblem(res)]);
    setConfirmReset(false);
    setProblems([]);
    setStatus(t('networksReset'));
    settings.reload();
  }

  return (
    <section>
      <StepHeading>{t('networksHeading')}</StepHeading>
      <div class="notice">
        <p>{t('networksWhy')}</p>
      </div>
      <LoadState load={settings} reload={settings.reload} />
      {settings.data && (
        <>
          <p class="source">
            <span class="badge">
              {settings.data.source === 'settings' ? t('sourceSettings') : t('sourceDefault')}
            </span>{' '}
            {settings.data.source === 'settings' ? t('sourceSettingsHint') : t('sourceDefaultHint')}
          </p>
          <form class="panel" onSubmit={save} noValidate aria-labelledby="net-form-heading">
            <h2 id="net-form-heading">{t('networksFormHeading')}</h2>
            <ErrorSummary problems={problems} />
            <TextAreaField
              id="net-list"
              label={t('networksLabel')}
              hint={t('networksHelp')}
              value={text}
              onValue={setText}
              error={problemFor(problems, 'net-list')}
              rows={Math.min(14, Math.max(6, linesOf(text).length + 2))}
            />
            <div class="buttons">
              <button type="submit" disabled={busy}>
                {busy ? t('working') : t('networksSave')}
              </button>
              {settings.data.source === 'settings' && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    setResetProblems([]);
                    setConfirmReset(true);
                  }}
                >
                  {t('networksResetButton')}
                </button>
              )}
            </div>
          </form>
          <LiveStatus message={status} />
          <details class="defaults">
            <summary>{t('networksDefaults')}</summary>
            {settings.data.defaults.length === 0 ? (
              <p>{t('networksDefaultsEmpty')}</p>
            ) : (
              <ul class="mono-list">
                {settings.data.defaults.map((cidr) => (
                  <li key={cidr}>{cidr}</li>
                ))}
              </ul>
            )}
          </details>
        </>
      )}
      {confirmReset && settings.data && (
        <ConfirmDialog
          title={t('networksResetHeading')}
          body={
            <>
              <p>{t('networksResetBody')}</p>
              <ul class="mono-list">
                {settings.data.defaults.map((cidr) => (
                  <li key={cidr}>{cidr}</li>
                ))}
              </ul>
            </>
          }
          confirmLabel={t('networksResetButton')}
          busy={busy}
          problems={resetProblems}
          onConfirm={reset}
          onClose={() => setConfirmReset(false)}
        />
      )}
    </section>
  );
}
