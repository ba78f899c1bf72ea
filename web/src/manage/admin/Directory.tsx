import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { ConnectorKeys } from '../../../../worker/domain/directory-protocol';
import type {
  ConnectorRegistered,
  ConnectorView,
  ImportResult as ImportResultSchema,
} from '../../../../worker/routes/directory.schemas';
import type { ApiFailure } from '../../api';
import { type Lang, useLang } from '../../i18n';
import { ErrorSummary } from '../components/ErrorSummary';
import { locale } from '../format';
import { ConfirmDialog, useConfirm } from './confirm';
import { FormButtons, FormPanel, InputField, TextAreaField, UnitSelect, useForm } from './forms';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { failureProblem, type Problem } from './problems';
import { AdminTable, Count, RowButton } from './tables';
import type { AdminUnit, DirectoryView } from './types';
import { AdminPage, LiveStatus, LoadState, useFocusedHeading, useFormat, useResource } from './ui';

type Connector = InferOutput<typeof ConnectorView>;
type ImportResult = InferOutput<typeof ImportResultSchema>;
type Policy = NonNullable<DirectoryView['policy']>;
type Registered = InferOutput<typeof ConnectorRegistered>;

const PATH = '/api/admin/directory';
/** The schema's limits (worker/routes/directory.schemas.ts). */
const NAME_MAX = 100;
const DN_MAX = 1024;

const FIELD = { name: 'dir-name', keys: 'dir-keys', unit: 'dir-unit', ou: 'dir-ou' } as const;

type Translate = ReturnType<typeof useAdminT>;

const STATE_TEXT: Record<DirectoryView['state'], { badge: AdminTextKey; text: AdminTextKey }> = {
  local: { badge: 'dirStateLocalBadge', text: 'dirStateLocal' },
  connected: { badge: 'dirStateConnectedBadge', text: 'dirStateConnected' },
  offline: { badge: 'dirStateOfflineBadge', text: 'dirStateOffline' },
};

const OPS: Record<string, AdminTextKey> = {
  verify: 'dirOp_verify',
  change: 'dirOp_change',
  reset: 'dirOp_reset',
  unlock: 'dirOp_unlock',
  must_change: 'dirOp_must_change',
  find: 'dirOp_find',
  list: 'dirOp_list',
  health: 'dirOp_health',
  hello: 'dirOp_hello',
};

const SKIP_TEXT: Record<string, AdminTextKey> = {
  invalid_username: 'dirSkip_invalid_username',
  disabled: 'dirSkip_disabled',
  linked: 'dirSkip_linked',
  username_taken: 'dirSkip_username_taken',
  limit: 'dirSkip_limit',
};

/** An operation in words; one this page does not know keeps its code. */
function opText(t: Translate, op: string | null): string {
  if (op === null) return '–';
  const key = OPS[op];
  return key ? t(key) : op;
}

/** "30 minuter", "1 dygn": the largest whole unit, in the reader's language. */
function duration(lang: Lang, seconds: number): string {
  const [value, unit] =
    seconds >= 86_400 && seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds >= 3_600 && seconds % 3_600 === 0
        ? [seconds / 3_600, 'hour']
        : seconds >= 60
          ? [Math.round(seconds / 60), 'minute']
          : [seconds, 'second'];
  return new Intl.NumberFormat(locale(lang), { style: 'unit', unit, unitDisplay: 'long' }).format(
    value,
  );
}

/**
 * /admin/katalog: the municipality's domain through the directory connector. Says
 * in words whether Nyckel keeps the passwords itself, has a connector or has lost it; lists
 * the connectors and their recent errors; registers a connector from the public keys it
 * printed, revokes one, and imports the accounts of an OU as mailboxes. Writes need a fresh
 * sign-in, which useWrite asks for.
 */
export function Directory() {
  const t = useAdminT();
  const directory = useResource<DirectoryView>(PATH);
  const view = directory.data;
  return (
    <AdminPage title={t('dirHeading')} intro={t('dirIntro')}>
      <LoadState of={directory} />
      {view && (
        <>
          <StatePanel view={view} />
          <Connectors view={view} reload={directory.reload} />
          <RecentErrors view={view} />
          <RegisterForm onRegistered={directory.reload} />
          <ImportForm local={view.state === 'local'} />
        </>
      )}
    </AdminPage>
  );
}

/** Local, connected or offline in words (and what to do), and the domain's rules if known. */
function StatePanel({ view }: { view: DirectoryView }) {
  const t = useAdminT();
  const text = STATE_TEXT[view.state];
  return (
    <section class="panel" aria-labelledby="dir-state-heading">
      <h2 id="dir-state-heading">{t('dirStateHeading')}</h2>
      <p class="webhook-state">
        <span
          class={
            view.state === 'connected'
              ? 'badge badge-ok'
              : view.state === 'offline'
                ? 'badge badge-warn'
                : 'badge badge-off'
          }
        >
          {t(text.badge)}
        </span>{' '}
        {t(text.text)}
      </p>
      {view.state === 'offline' && (
        <div class="notice">
          <p>{t('dirStateOfflineTodo')}</p>
        </div>
      )}
      {view.state !== 'local' && (
        <>
          <h3 id="dir-policy-heading">{t('dirPolicyHeading')}</h3>
          {view.policy ? <PolicyFacts policy={view.policy} /> : <p>{t('dirPolicyUnknown')}</p>}
        </>
      )}
    </section>
  );
}

function PolicyFacts({ policy }: { policy: Policy }) {
  const t = useAdminT();
  const lang = useLang();
  const time = (seconds: number) => (seconds > 0 ? duration(lang, seconds) : t('dirNone'));
  const facts: [AdminTextKey, string][] = [
    [
      'dirLockoutThreshold',
      policy.lockoutThreshold > 0
        ? t('dirLockoutAttempts', { n: policy.lockoutThreshold })
        : t('dirLockoutNever'),
    ],
    ['dirObservationWindow', time(policy.observationWindowSeconds)],
    [
      'dirHistoryLength',
      policy.historyLength > 0 ? t('dirHistoryCount', { n: policy.historyLength }) : t('dirNone'),
    ],
    ['dirMinLength', t('dirMinLengthChars', { n: policy.minPasswordLength })],
    ['dirMinAge', time(policy.minPasswordAgeSeconds)],
  ];
  return (
    <dl class="facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{t(label)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Each connector: connected since when, its version and domain controller, its last job. */
function Connectors({ view, reload }: { view: DirectoryView; reload: () => Promise<void> }) {
  const t = useAdminT();
  const format = useFormat();
  const revoking = useConfirm<Connector>();
  const [status, setStatus] = useState<string | null>(null);

  async function revoke() {
    const connector = revoking.target;
    if (!connector) return;
    const res = await revoking.send(
      'DELETE',
      `${PATH}/connectors/${encodeURIComponent(connector.id)}`,
    );
    if (!res.ok) return;
    revoking.close();
    // Said once the list shows it; the row's button is gone, so the list's heading has focus.
    await reload();
    setStatus(t('dirRevoked', { name: connector.name }));
    document.getElementById('dir-connectors-heading')?.focus();
  }

  return (
    <>
      <h2 id="dir-connectors-heading" tabIndex={-1}>
        {t('dirConnectorsHeading')}
        <Count n={view.connectors.length} />
      </h2>
      <LiveStatus message={status} />
      {view.connectors.length === 0 ? (
        <p>{t('dirConnectorsEmpty')}</p>
      ) : (
        <AdminTable
          labelledBy="dir-connectors-heading"
          columns={[
            t('dirColConnector'),
            t('dirColConnection'),
            t('dirColVersion'),
            t('dirColDc'),
            t('dirColLastJob'),
          ]}
          actions
        >
          {view.connectors.map((c) => (
            <tr key={c.id} class={c.revokedAt ? 'row-off' : undefined}>
              <th scope="row">
                {c.name}
                <span class="sub mono wrap">{c.id}</span>
              </th>
              <td data-label={t('dirColConnection')}>
                {c.revokedAt ? (
                  <>
                    <span class="badge badge-off">{t('dirRevokedBadge')}</span>
                    <span class="sub">{format.day(c.revokedAt)}</span>
                  </>
                ) : c.connected ? (
                  <>
                    <span class="badge badge-ok">{t('dirStateConnectedBadge')}</span>
                    {c.connectedSince && (
                      <span class="sub">
                        {t('dirConnectedSince', { time: format.dateTime(c.connectedSince) })}
                      </span>
                    )}
                  </>
                ) : (
                  <span class="badge badge-warn">{t('dirNotConnected')}</span>
                )}
              </td>
              <td data-label={t('dirColVersion')}>{c.version ?? t('dirUnknown')}</td>
              <td data-label={t('dirColDc')} class="wrap">
                {c.domainController ?? t('dirUnknown')}
              </td>
              <td data-label={t('dirColLastJob')}>
                {c.lastJob ? (
                  <>
                    {opText(t, c.lastJob.op)}
                    {': '}
                    {c.lastJob.outcome === 'ok' ? (
                      t('outcome_success')
                    ) : (
                      <code>{c.lastJob.outcome || '–'}</code>
                    )}
                    <span class="sub">{format.dateTime(c.lastJob.at)}</span>
                  </>
                ) : (
                  t('dirNoJob')
                )}
              </td>
              <td class="row-actions">
                {!c.revokedAt && (
                  <RowButton
                    label={t('dirRevoke')}
                    name={c.name}
                    onClick={() => {
                      setStatus(null);
                      revoking.open(c);
                    }}
                    danger
                  />
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
      {revoking.target && (
        <ConfirmDialog
          confirm={revoking}
          title={t('dirRevokeHeading', { name: revoking.target.name })}
          body={<p>{t('dirRevokeBody')}</p>}
          confirmLabel={t('dirRevoke')}
          onConfirm={revoke}
        />
      )}
    </>
  );
}

/** The newest errors the connectors reported: when, which, doing what, the code and detail. */
function RecentErrors({ view }: { view: DirectoryView }) {
  const t = useAdminT();
  const format = useFormat();
  const nameOf = (id: string | null) =>
    view.connectors.find((c) => c.id === id)?.name ?? t('dirUnknownConnector');
  return (
    <>
      <h2 id="dir-errors-heading">{t('dirErrorsHeading')}</h2>
      {view.recentErrors.length === 0 ? (
        <p>{t('dirErrorsEmpty')}</p>
      ) : (
        <AdminTable
          labelledBy="dir-errors-heading"
          class="audit-table"
          columns={[
            t('colWhen'),
            t('dirColConnector'),
            t('colWhat'),
            t('dirColError'),
            t('dirColDetail'),
          ]}
        >
          {view.recentErrors.map((e, i) => (
            <tr key={`${e.at}:${i}`}>
              <th scope="row">{format.dateTime(e.at)}</th>
              <td data-label={t('dirColConnector')}>{nameOf(e.connectorId)}</td>
              <td data-label={t('colWhat')}>{opText(t, e.op)}</td>
              <td data-label={t('dirColError')}>
                <code>{e.error}</code>
              </td>
              <td data-label={t('dirColDetail')} class="detail">
                {e.detail ?? '–'}
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
    </>
  );
}

/** The commands an operator types, set as code inside a translated sentence. */
const COMMANDS = /(npm run connector:keys|nyckel-connector keys)/;
function withCommands(text: string) {
  return text
    .split(COMMANDS)
    .map((part, i) => (i % 2 === 1 ? <code key={part}>{part}</code> : part));
}

/** What the browser finds wrong with the pasted keys; the server judges the keys themselves. */
function parseKeys(t: Translate, text: string): { keys: ConnectorKeys | null; problem?: string } {
  if (!text.trim()) return { keys: null, problem: t('dirKeysMissing') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { keys: null, problem: t('dirKeysNotJson') };
  }
  const object = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!object(parsed) || !object(parsed.signingKey) || !object(parsed.encryptionKey)) {
    return { keys: null, problem: t('dirKeysShape') };
  }
  return { keys: parsed as ConnectorKeys };
}

/** A refused registration as problems against the name or the keys, or at the top. */
function registerProblems(t: Translate, failure: ApiFailure): Problem[] {
  if (failure.error === 'conflict') return [{ field: FIELD.keys, message: t('dirKeysConflict') }];
  if (failure.error === 'invalid_request' && failure.issues && failure.issues.length > 0) {
    return failure.issues.map(({ path, message }) => {
      if (path === 'name' || path.startsWith('name.')) {
        return { field: FIELD.name, message: t('dirNameMissing') };
      }
      if (path.startsWith('keys.signingKey')) {
        return { field: FIELD.keys, message: t('dirSigningKeyBad') };
      }
      if (path.startsWith('keys.encryptionKey')) {
        const why = /private key/.test(message)
          ? t('webhookKeyPrivate')
          : /modulus|bits/.test(message)
            ? t('webhookKeyBits')
            : t('webhookKeyUnusable');
        return { field: FIELD.keys, message: `${t('dirEncryptionKeyPrefix')} ${why}` };
      }
      if (path.startsWith('keys')) return { field: FIELD.keys, message: t('dirKeysShape') };
      return { message };
    });
  }
  return [failureProblem(failure)];
}

/** Name and the pasted public keys; the new connector's id is shown to compare. */
function RegisterForm({ onRegistered }: { onRegistered: () => void }) {
  const t = useAdminT();
  const form = useForm();
  const [name, setName] = useState('');
  const [keysText, setKeysText] = useState('');
  const [registered, setRegistered] = useState<Registered | null>(null);

  async function submit() {
    const found: Problem[] = [];
    const trimmed = name.trim();
    if (!trimmed) found.push({ field: FIELD.name, message: t('dirNameMissing') });
    const parsed = parseKeys(t, keysText);
    if (parsed.problem) found.push({ field: FIELD.keys, message: parsed.problem });
    if (!form.valid(found) || !parsed.keys) return;
    const res = await form.send<Registered>(
      'POST',
      `${PATH}/connectors`,
      { name: trimmed, keys: parsed.keys },
      (failure) => registerProblems(t, failure),
    );
    if (!res.ok) return;
    setName('');
    setKeysText('');
    setRegistered(res.data);
    onRegistered();
  }

  if (registered) {
    return <RegisteredPanel registered={registered} onAnother={() => setRegistered(null)} />;
  }
  return (
    <FormPanel form={form} heading={t('dirRegisterHeading')} onSubmit={submit}>
      <p>{withCommands(t('dirRegisterIntro'))}</p>
      <InputField
        {...form.field(FIELD.name, name, setName)}
        label={t('name')}
        hint={t('dirNameHint')}
        maxLength={NAME_MAX}
      />
      <TextAreaField
        {...form.field(FIELD.keys, keysText, setKeysText)}
        label={t('dirKeys')}
        hint={t('dirKeysHint')}
        rows={6}
      />
      <FormButtons busy={form.busy} label={t('dirRegister')} />
    </FormPanel>
  );
}

function RegisteredPanel({
  registered,
  onAnother,
}: {
  registered: Registered;
  onAnother: () => void;
}) {
  const t = useAdminT();
  const ref = useFocusedHeading();
  return (
    <div class="panel">
      <h2 ref={ref} tabIndex={-1} id="dir-registered-heading">
        {t('dirRegisteredHeading', { name: registered.name })}
      </h2>
      <div role="status">
        <dl class="facts">
          <div>
            <dt>{t('dirRegisteredId')}</dt>
            <dd>
              <code class="wrap" id="dir-registered-id">
                {registered.id}
              </code>
            </dd>
          </div>
        </dl>
        <p>{t('dirRegisteredNext')}</p>
      </div>
      <div class="buttons">
        <button type="button" class="secondary" onClick={onAnother}>
          {t('dirRegisterAnother')}
        </button>
      </div>
    </div>
  );
}

/** Unit and optional OU; then what became a mailbox and what was skipped, and why. */
function ImportForm({ local }: { local: boolean }) {
  const t = useAdminT();
  const form = useForm();
  const units = useResource<AdminUnit[]>(local ? null : '/api/admin/units');
  const [unitId, setUnitId] = useState('');
  const [ou, setOu] = useState('');
  const [result, setResult] = useState<ImportResult | null>(null);

  async function submit() {
    setResult(null);
    if (!unitId) return form.setProblems([{ field: FIELD.unit, message: t('unitMissing') }]);
    const res = await form.send<ImportResult>(
      'POST',
      `${PATH}/import`,
      { unitId, ...(ou.trim() ? { ou: ou.trim() } : {}) },
      (failure) => {
        const issues = failure.error === 'invalid_request' ? (failure.issues ?? []) : [];
        if (issues.length === 0) return failureProblem(failure);
        return issues.map((i) =>
          i.path === 'unitId'
            ? { field: FIELD.unit, message: t('unitMissing') }
            : i.path === 'ou'
              ? { field: FIELD.ou, message: t('dirImportOuHint') }
              : { message: i.message },
        );
      },
    );
    if (res.ok) setResult(res.data);
  }

  return (
    <section class="panel" aria-labelledby="dir-import-heading">
      <h2 id="dir-import-heading">{t('dirImportHeading')}</h2>
      <p>{t('dirImportIntro')}</p>
      {local ? (
        <p class="hint">{t('dirImportNeedsConnector')}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          noValidate
          aria-labelledby="dir-import-heading"
        >
          <ErrorSummary problems={form.problems} />
          <LoadState of={units} />
          <div class="form-grid">
            <UnitSelect
              {...form.field(FIELD.unit, unitId, setUnitId)}
              label={t('dirImportUnit')}
              units={units.data ?? []}
            />
            <InputField
              {...form.field(FIELD.ou, ou, setOu)}
              label={t('dirImportOu')}
              hint={t('dirImportOuHint')}
              maxLength={DN_MAX}
              optional
              plain
            />
          </div>
          <FormButtons busy={form.busy} label={t('dirImport')} />
        </form>
      )}
      {result && <ImportOutcome result={result} />}
    </section>
  );
}

function ImportOutcome({ result }: { result: ImportResult }) {
  const t = useAdminT();
  const ref = useFocusedHeading(result);
  return (
    <div class="import-outcome">
      <h3 ref={ref} tabIndex={-1}>
        {t('dirImportResultHeading')}
      </h3>
      <LiveStatus
        message={t('dirImportResult', {
          created: result.created.length,
          skipped: result.skipped.length,
        })}
      />
      <h4>{t('dirImportCreated')}</h4>
      {result.created.length === 0 ? (
        <p>{t('dirImportNone')}</p>
      ) : (
        <ul class="mono-list">
          {result.created.map((c) => (
            <li key={c.id}>{c.username}</li>
          ))}
        </ul>
      )}
      <h4>{t('dirImportSkipped')}</h4>
      {result.skipped.length === 0 ? (
        <p>{t('dirImportNone')}</p>
      ) : (
        <ul class="plain skipped-list">
          {result.skipped.map((s) => {
            const key = SKIP_TEXT[s.reason];
            return (
              <li key={`${s.username}:${s.reason}`}>
                <span class="mono">{s.username}</span>
                {' – '}
                {key ? t(key) : s.reason}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
