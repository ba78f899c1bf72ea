import { useEffect, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import { parseNetworks } from '../../../../worker/domain/networks';
import type { NetworkSettingsView } from '../../../../worker/routes/admin.schemas';
import type { ApiFailure } from '../../api';
import { ConfirmDialog, useConfirm } from './confirm';
import { FormButtons, FormPanel, TextAreaField, useForm } from './forms';
import { useAdminT } from './i18n-admin';
import { failureProblem } from './problems';
import { AdminPage, LiveStatus, LoadState, useResource } from './ui';

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
  const form = useForm();
  const settings = useResource<NetworkSettings>(PATH);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const resetting = useConfirm<true>();

  const loaded = settings.state === 'ok' ? settings.data : null;
  // The text area starts from what the server holds, and again after every save or reset.
  useEffect(() => {
    if (loaded) setText(loaded.cidrs.join('\n'));
  }, [loaded]);

  async function save() {
    setStatus(null);
    const lines = linesOf(text);
    const res = await form.send<NetworkSettings>('PUT', PATH, { cidrs: lines }, (failure) => {
      const entry = failure.error === 'invalid_request' ? refusedEntry(failure, lines) : null;
      if (entry === null) return failureProblem(failure, 'net-list');
      const line = lines.indexOf(entry) + 1;
      return {
        field: 'net-list',
        message: line > 0 ? t('networkBadLine', { line, entry }) : t('networkBad', { entry }),
      };
    });
    if (!res.ok) return;
    setStatus(t('networksSaved', { n: res.data.cidrs.length }));
    settings.reload();
  }

  async function reset() {
    const res = await resetting.send<NetworkSettings>('DELETE', PATH);
    if (!res.ok) return;
    resetting.close();
    form.setProblems([]);
    setStatus(t('networksReset'));
    settings.reload();
  }

  return (
    <AdminPage title={t('networksHeading')}>
      <div class="notice">
        <p>{t('networksWhy')}</p>
      </div>
      <LoadState of={settings} />
      {settings.data && (
        <>
          <p class="source">
            <span class="badge">
              {settings.data.source === 'settings' ? t('sourceSettings') : t('sourceDefault')}
            </span>{' '}
            {settings.data.source === 'settings' ? t('sourceSettingsHint') : t('sourceDefaultHint')}
          </p>
          <FormPanel form={form} heading={t('networksFormHeading')} onSubmit={save}>
            <TextAreaField
              {...form.field('net-list', text, setText)}
              label={t('networksLabel')}
              hint={t('networksHelp')}
              rows={Math.min(14, Math.max(6, linesOf(text).length + 2))}
            />
            <FormButtons busy={form.busy} label={t('networksSave')}>
              {settings.data.source === 'settings' && (
                <button type="button" class="secondary" onClick={() => resetting.open(true)}>
                  {t('networksResetButton')}
                </button>
              )}
            </FormButtons>
          </FormPanel>
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
      {resetting.target && settings.data && (
        <ConfirmDialog
          confirm={resetting}
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
          onConfirm={reset}
        />
      )}
    </AdminPage>
  );
}
