import { useEffect, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type {
  WebhookTestResult,
  WebhookView as WebhookViewSchema,
} from '../../../../worker/routes/webhook.schemas';
import type { ApiFailure } from '../../api';
import { ErrorSummary } from '../components/ErrorSummary';
import { CheckboxField, ChoiceGroup, RadioGroup } from './choices';
import { BusyButton, FormButtons, FormPanel, InputField, TextAreaField, useForm } from './forms';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { failureProblem, type Problem } from './problems';
import { AdminTable } from './tables';
import { AdminPage, LiveStatus, LoadState, useFormat, useResource } from './ui';

type WebhookView = InferOutput<typeof WebhookViewSchema>;
type TestResult = InferOutput<typeof WebhookTestResult>;
type RecentEvent = WebhookView['recent'][number];

const PATH = '/api/admin/webhook';
/** The schema's limit (worker/routes/webhook.schemas.ts). */
const URL_MAX = 2048;

/** Which receiver the form sends: null = WEBHOOK_URL, '' = off, or the typed address. */
type Target = 'default' | 'custom' | 'off';

const FIELD = { url: 'wh-url', key: 'wh-key', writeback: 'wh-writeback' } as const;

function targetOf(view: WebhookView): Target {
  if (view.source === 'default') return 'default';
  return view.url === null ? 'off' : 'custom';
}

type Translate = ReturnType<typeof useAdminT>;

/**
 * The service names the field of a refused setting (`url`, `publicKey`, `publicKey.n`,
 * `writeback`) with an English reason; the page says it in the reader's language against the
 * field, and keeps the reason only where it has no text of its own.
 */
function issueProblem(t: Translate, issue: { path: string; message: string }): Problem {
  const { path, message } = issue;
  if (path === 'url' || path.startsWith('url.')) {
    if (/https/.test(message)) return { field: FIELD.url, message: t('webhookUrlNotHttps') };
    if (/user name or password/.test(message)) {
      return { field: FIELD.url, message: t('webhookUrlCredentials') };
    }
    if (/fragment/.test(message)) return { field: FIELD.url, message: t('webhookUrlFragment') };
    return { field: FIELD.url, message: t('webhookUrlNotUrl') };
  }
  if (path === 'publicKey' || path.startsWith('publicKey.')) {
    if (/private key/.test(message)) return { field: FIELD.key, message: t('webhookKeyPrivate') };
    if (/modulus/.test(message)) return { field: FIELD.key, message: t('webhookKeyBits') };
    if (path === 'publicKey.kty' || /kty/.test(message)) {
      return { field: FIELD.key, message: t('webhookKeyNotRsa') };
    }
    return { field: FIELD.key, message: t('webhookKeyUnusable') };
  }
  if (path === 'writeback' || path.startsWith('writeback.')) {
    return { field: FIELD.writeback, message: t('webhookWritebackNeedsKey') };
  }
  return { message: message || t('webhookRefused') };
}

/** A refused PUT as problems: each named field against its field, anything else at the top. */
function saveProblems(t: Translate, failure: ApiFailure): Problem[] {
  if (failure.error === 'invalid_request' && failure.issues && failure.issues.length > 0) {
    return failure.issues.map((issue) => issueProblem(t, issue));
  }
  return [failureProblem(failure)];
}

/** What the checks in the browser find; the server has the last word on scheme and key. */
function checkForm(
  t: Translate,
  target: Target,
  url: string,
  keyText: string,
): { problems: Problem[]; publicKey: Record<string, unknown> | null } {
  const problems: Problem[] = [];
  if (target === 'custom') {
    const trimmed = url.trim();
    if (!trimmed) problems.push({ field: FIELD.url, message: t('webhookUrlMissing') });
    else if (!URL.canParse(trimmed)) {
      problems.push({ field: FIELD.url, message: t('webhookUrlNotUrl') });
    }
  }
  let publicKey: Record<string, unknown> | null = null;
  if (keyText.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(keyText);
    } catch {
      problems.push({ field: FIELD.key, message: t('webhookKeyNotJson') });
      return { problems, publicKey };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push({ field: FIELD.key, message: t('webhookKeyNotObject') });
    } else publicKey = parsed as Record<string, unknown>;
  }
  return { problems, publicKey };
}

/**
 * /admin/webhook: the signed webhook to the directory connector. Shows whether it
 * sends and why not, where to, how delivery goes; sets the receiver, writeback mode and the
 * connector's public key; sends a test ping. Writes and the ping need a fresh sign-in, which
 * useWrite asks for.
 */
export function Webhook() {
  const t = useAdminT();
  const form = useForm();
  const settings = useResource<WebhookView>(PATH);
  const [target, setTarget] = useState<Target>('default');
  const [url, setUrl] = useState('');
  const [writeback, setWriteback] = useState(false);
  const [keyText, setKeyText] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  const loaded = settings.state === 'ok' ? settings.data : null;
  // The form starts from what is in force, and again after every save. The key is not sent
  // back by the API (only its fingerprint), so the text area keeps what was pasted.
  useEffect(() => {
    if (!loaded) return;
    setTarget(targetOf(loaded));
    setUrl(loaded.source === 'settings' && loaded.url ? loaded.url : '');
    setWriteback(loaded.writeback);
    setRemoveKey(false);
  }, [loaded]);

  async function save() {
    setStatus(null);
    const checked = checkForm(t, target, url, keyText);
    if (checked.problems.length > 0) return form.setProblems(checked.problems);
    const res = await form.send<WebhookView>(
      'PUT',
      PATH,
      {
        url: target === 'default' ? null : target === 'off' ? '' : url.trim(),
        writeback,
        // An empty box keeps the stored key (the API never sends it back to be pasted again).
        ...(checked.publicKey
          ? { publicKey: checked.publicKey }
          : removeKey
            ? { publicKey: null }
            : {}),
      },
      (failure) => saveProblems(t, failure),
    );
    if (!res.ok) return;
    setStatus(t(res.data.active ? 'webhookSavedOn' : 'webhookSavedOff'));
    settings.reload();
  }

  const view = settings.data;
  const keyHint = view?.publicKeyFingerprint
    ? `${t('webhookKeyHint')} ${t('webhookKeyStoredHint')}`
    : t('webhookKeyHint');
  return (
    <AdminPage title={t('webhookHeading')} intro={t('webhookIntro')}>
      <p>
        <strong>{t('webhookPasswordNote')}</strong>
      </p>
      <LoadState of={settings} />
      {view && (
        <>
          <StatePanel view={view} />
          <FormPanel form={form} heading={t('webhookFormHeading')} onSubmit={save}>
            <RadioGroup
              {...form.field('wh-target', target, setTarget)}
              label={t('webhookTarget')}
              options={[
                {
                  value: 'default',
                  label: t('webhookTargetDefault'),
                  hint: view.defaultUrl
                    ? t('webhookTargetDefaultHint', { url: view.defaultUrl })
                    : t('webhookTargetDefaultNone'),
                },
                { value: 'custom', label: t('webhookTargetCustom') },
                { value: 'off', label: t('webhookTargetOff'), hint: t('webhookTargetOffHint') },
              ]}
            />
            {target === 'custom' && (
              <InputField
                {...form.field(FIELD.url, url, setUrl)}
                label={t('webhookUrl')}
                hint={t('webhookUrlHint')}
                maxLength={URL_MAX}
                inputMode="text"
                plain
              />
            )}
            <ChoiceGroup
              id={FIELD.writeback}
              legend={t('webhookWritebackLegend')}
              error={form.error(FIELD.writeback)}
              class="writeback"
            >
              <CheckboxField
                {...form.field('wh-writeback-on', writeback, setWriteback)}
                label={t('webhookWriteback')}
                hint={t('webhookWritebackHint')}
              />
            </ChoiceGroup>
            <TextAreaField
              {...form.field(FIELD.key, keyText, setKeyText)}
              label={t('webhookKey')}
              hint={keyHint}
              rows={5}
            />
            {view.publicKeyFingerprint && !keyText.trim() && (
              <CheckboxField
                {...form.field('wh-remove-key', removeKey, setRemoveKey)}
                label={t('webhookRemoveKey')}
                hint={t('webhookRemoveKeyHint')}
              />
            )}
            <FormButtons busy={form.busy} label={t('webhookSave')} />
          </FormPanel>
          <LiveStatus message={status} />
          <TestPanel />
          <Deliveries view={view} />
        </>
      )}
    </AdminPage>
  );
}

/** On or off in words (and why not), where to, writeback and the key's fingerprint. */
function StatePanel({ view }: { view: WebhookView }) {
  const t = useAdminT();
  return (
    <section class="panel" aria-labelledby="wh-state-heading">
      <h2 id="wh-state-heading">{t('webhookStateHeading')}</h2>
      <p class="webhook-state">
        <span class={view.active ? 'badge badge-ok' : 'badge badge-off'}>
          {view.active ? t('webhookOn') : t('webhookOff')}
        </span>{' '}
        {view.active
          ? t('webhookActive')
          : view.inactiveReason === 'no_secret'
            ? t('webhookNoSecret')
            : t('webhookNoUrl')}
      </p>
      {!view.active && (
        <div class="notice">
          <p>{t('webhookNothingStored')}</p>
        </div>
      )}
      <dl class="facts">
        <div>
          <dt>{t('webhookReceiver')}</dt>
          <dd>
            {view.url ? <code class="wrap">{view.url}</code> : t('webhookNoReceiver')}
            <span class="sub">
              {view.source === 'default' ? t('webhookSourceDefault') : t('webhookSourceSettings')}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('webhookWritebackLegend')}</dt>
          <dd>{view.writeback ? t('webhookWritebackOn') : t('webhookWritebackOff')}</dd>
        </div>
        <div>
          <dt>{t('webhookFingerprint')}</dt>
          <dd>
            {view.publicKeyFingerprint ? (
              <>
                <code class="wrap">{view.publicKeyFingerprint}</code>
                <span class="sub">{t('webhookFingerprintHint')}</span>
              </>
            ) : (
              t('webhookNoKey')
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}

const TEST_TEXT: Record<NonNullable<TestResult['error']>, AdminTextKey> = {
  http: 'webhookTestHttp',
  redirect: 'webhookTestRedirect',
  timeout: 'webhookTestTimeout',
  network: 'webhookTestNetwork',
  no_secret: 'webhookTestNoSecret',
  no_url: 'webhookTestNoUrl',
};

/** A signed ping sent now; the answer says honestly whether it arrived, and if not, why. */
function TestPanel() {
  const t = useAdminT();
  const form = useForm();
  const [result, setResult] = useState<TestResult | null>(null);

  async function sendTest() {
    setResult(null);
    const res = await form.send<TestResult>('POST', `${PATH}/test`, {});
    if (res.ok) setResult(res.data);
  }

  const message = result
    ? result.delivered
      ? t('webhookTestDelivered', { status: result.status ?? '' })
      : t(TEST_TEXT[result.error ?? 'network'], { status: result.status ?? '' })
    : null;
  return (
    <section class="panel" aria-labelledby="wh-test-heading">
      <h2 id="wh-test-heading">{t('webhookTestHeading')}</h2>
      <ErrorSummary problems={form.problems} />
      <p>{t('webhookTestIntro')}</p>
      <div class="buttons">
        <BusyButton
          class="secondary"
          busy={form.busy}
          label={t('webhookTest')}
          onClick={sendTest}
        />
      </div>
      <LiveStatus message={message} tone={result?.delivered ? 'success' : 'error'} />
    </section>
  );
}

const STATUS_TEXT: Record<RecentEvent['status'], AdminTextKey> = {
  pending: 'webhookPending',
  delivering: 'webhookDelivering',
  delivered: 'webhookDelivered',
  failed: 'webhookFailed',
};

function eventName(t: Translate, event: string): string {
  if (event === 'mailbox.password_changed') return t('webhookEventPassword');
  if (event === 'mailbox.phone_changed') return t('webhookEventPhone');
  return event;
}

function lastAnswer(t: Translate, e: RecentEvent): string {
  switch (e.lastError) {
    case 'timeout':
      return t('webhookAnswerTimeout');
    case 'network':
      return t('webhookAnswerNetwork');
    case 'stuck':
      return t('webhookAnswerStuck');
  }
  return e.lastStatus === null ? '–' : `HTTP ${e.lastStatus}`;
}

/** How many events wait, are on their way, arrived or were given up; the newest ones. */
function Deliveries({ view }: { view: WebhookView }) {
  const t = useAdminT();
  const format = useFormat();
  const counts: [RecentEvent['status'], number][] = [
    ['pending', view.counts.pending],
    ['delivering', view.counts.delivering],
    ['delivered', view.counts.delivered],
    ['failed', view.counts.failed],
  ];
  return (
    <>
      <h2 id="wh-deliveries-heading">{t('webhookDeliveriesHeading')}</h2>
      <p class="hint">{t('webhookDeliveriesHint')}</p>
      <dl class="counts">
        {counts.map(([status, n]) => (
          <div key={status} class={status === 'failed' && n > 0 ? 'count-failed' : undefined}>
            <dt>{t(STATUS_TEXT[status])}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {view.counts.failed > 0 && (
        <div class="notice">
          <p>{t('webhookFailedNote', { n: view.counts.failed })}</p>
        </div>
      )}
      <h3 id="wh-recent-heading">{t('webhookRecentHeading')}</h3>
      {view.recent.length === 0 ? (
        <p>{t('webhookRecentEmpty')}</p>
      ) : (
        <AdminTable
          labelledBy="wh-recent-heading"
          columns={[
            t('webhookColEvent'),
            t('colStatus'),
            t('webhookColAttempts'),
            t('colCreated'),
            t('webhookColAnswer'),
          ]}
        >
          {view.recent.map((e) => (
            <tr key={e.id}>
              <th scope="row">
                {eventName(t, e.event)}
                <span class="sub mono wrap">{e.id}</span>
              </th>
              <td data-label={t('colStatus')}>
                <span class={`badge webhook-${e.status}`}>{t(STATUS_TEXT[e.status])}</span>
                {e.status === 'pending' && e.nextAttemptAt && (
                  <span class="sub">
                    {t('webhookNextAttempt', { time: format.dateTime(e.nextAttemptAt) })}
                  </span>
                )}
                {e.deliveredAt && <span class="sub">{format.dateTime(e.deliveredAt)}</span>}
              </td>
              <td data-label={t('webhookColAttempts')}>{e.attempts}</td>
              <td data-label={t('colCreated')}>{format.dateTime(e.createdAt)}</td>
              <td data-label={t('webhookColAnswer')}>{lastAnswer(t, e)}</td>
            </tr>
          ))}
        </AdminTable>
      )}
    </>
  );
}
