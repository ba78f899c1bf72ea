import { useEffect, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import {
  networkCutNeedsConfirmation,
  networkEntryProblem,
} from '../../../../worker/domain/networks';
import type { NetworkSettingsView } from '../../../../worker/routes/admin.schemas';
import type { ApiFailure } from '../../api';
import { ConfirmDialog, useConfirm } from './confirm';
import { FormButtons, FormPanel, TextAreaField, useForm } from './forms';
import { useAdminT } from './i18n-admin';
import { failureProblem } from './problems';
import { AdminPage, LiveStatus, LoadState, useResource } from './ui';

type NetworkSettings = InferOutput<typeof NetworkSettingsView>;

const PATH = '/api/admin/networks';

const isNetwork = (line: string) => networkEntryProblem(line) === null;

function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

type Why = 'address' | 'prefix' | 'comma' | 'empty';
const WHYS: readonly string[] = ['address', 'prefix', 'comma', 'empty'] satisfies Why[];

/** Each line the API refused: its number, its text and why (`issues` path cidrs.<index>). */
function badLines(
  failure: ApiFailure,
  lines: string[],
): { line: number; entry: string; why: Why }[] {
  const found = (failure.issues ?? []).flatMap((issue) => {
    const index = /^cidrs\.(\d+)$/.exec(issue.path)?.[1];
    const entry = index === undefined ? undefined : lines[Number(index)];
    if (entry === undefined) return [];
    const why = (WHYS.includes(issue.code ?? '') ? issue.code : 'address') as Why;
    return [{ line: Number(index) + 1, entry, why }];
  });
  if (found.length > 0) return found;
  // An older answer names only `entry`; the pure parser the worker uses finds it again.
  const entry = failure.entry;
  const index = entry === undefined ? -1 : lines.indexOf(entry);
  return index === -1 ? [] : [{ line: index + 1, entry: lines[index] ?? '', why: 'address' }];
}

/** A save that empties the list or removes more than half of it, waiting for "yes". */
interface Cut {
  lines: string[];
  before: string[];
  after: string[];
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
  const cutting = useConfirm<Cut>();

  const loaded = settings.state === 'ok' ? settings.data : null;
  // The text area starts from what the server holds, and again after every save or reset.
  useEffect(() => {
    if (loaded) setText(loaded.cidrs.join('\n'));
  }, [loaded]);

  function refused(lines: string[]) {
    return (failure: ApiFailure) => {
      const bad = failure.error === 'invalid_request' ? badLines(failure, lines) : [];
      if (bad.length === 0) return failureProblem(failure, 'net-list');
      return bad.map(({ line, entry, why }) => ({
        field: 'net-list',
        message: t('networkBadLine', { line, entry, why: t(`networkWhy_${why}`) }),
      }));
    };
  }

  function saved(res: { ok: true; data: NetworkSettings }) {
    setStatus(t('networksSaved', { n: res.data.cidrs.length }));
    settings.reload();
  }

  async function save() {
    setStatus(null);
    const lines = linesOf(text);
    const before = loaded?.cidrs ?? [];
    const after = [...new Set(lines)];
    // Asked here first; the server asks again (409) if the list changed meanwhile.
    if (networkCutNeedsConfirmation(before.length, after.length) && lines.every(isNetwork)) {
      form.setProblems([]);
      cutting.open({ lines, before, after });
      return;
    }
    const res = await form.send<NetworkSettings>('PUT', PATH, { cidrs: lines }, refused(lines));
    if (!res.ok) {
      if (res.error === 'confirmation_required') {
        form.setProblems([]);
        cutting.open({ lines, before, after });
      }
      return;
    }
    saved(res);
  }

  async function confirmCut(cut: Cut) {
    const res = await cutting.send<NetworkSettings>(
      'PUT',
      PATH,
      { cidrs: cut.lines, confirm: true },
      refused(cut.lines),
    );
    if (!res.ok) return;
    cutting.close();
    form.setProblems([]);
    saved(res);
  }

  async function reset() {
    const res = await resetting.send<NetworkSettings>('DELETE', PATH);
    if (!res.ok) return;
    resetting.close();
    form.setProblems([]);
    setStatus(t('networksReset'));
    settings.reload();
  }

  const fieldProblems = form.problems.filter((p) => p.field === 'net-list');
  const fieldError =
    fieldProblems.length > 1
      ? t('networkBadLines', {
          n: fieldProblems.length,
          lines: fieldProblems.map((p) => /\d+/.exec(p.message)?.[0]).join(', '),
        })
      : fieldProblems[0]?.message;
  const cut = cutting.target;
  const kind = cut?.after.length === 0 ? 'empty' : 'shrunk';

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
              error={fieldError}
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
      {cut && (
        <ConfirmDialog
          confirm={cutting}
          title={t(`networksCutHeading_${kind}`, {
            removed: cut.before.length - cut.after.length,
            before: cut.before.length,
          })}
          body={
            <>
              <p>
                {t(`networksCutBody_${kind}`, {
                  before: cut.before.length,
                  after: cut.after.length,
                })}
              </p>
              {kind === 'shrunk' && (
                <ul class="mono-list">
                  {cut.before
                    .filter((cidr) => !cut.after.includes(cidr))
                    .map((cidr) => (
                      <li key={cidr}>{cidr}</li>
                    ))}
                </ul>
              )}
            </>
          }
          confirmLabel={t(`networksCutConfirm_${kind}`)}
          onConfirm={() => confirmCut(cut)}
        />
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
