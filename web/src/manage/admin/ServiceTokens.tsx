import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type {
  CreatedServiceToken,
  ServiceTokenCreate,
  ServiceToken as ServiceTokenSchema,
} from '../../../../worker/routes/identities.schemas';
import { StepHeading } from '../../components/StepHeading';
import { useTitle } from '../use-title';
import { useAdminT } from './i18n-admin';
import {
  CheckboxField,
  ConfirmDialog,
  ErrorSummary,
  failureProblem,
  InputField,
  LiveStatus,
  LoadState,
  type Problem,
  problemFor,
  useFormat,
  useResource,
} from './ui';
import { useWrite } from './write';

type Scope = InferOutput<typeof ServiceTokenCreate>['scopes'][number];
type ServiceToken = InferOutput<typeof ServiceTokenSchema>;
type CreatedToken = InferOutput<typeof CreatedServiceToken>;

const PATH = '/api/admin/service-tokens';
const NAME_MAX = 100;
/** The API refuses an expiry more than two years (730 days) away. */
const MAX_EXPIRY_DAYS = 730;

/** `YYYY-MM-DD` of a local date `days` from today, for the date field's bounds. */
function localDay(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The chosen last day as the moment it ends, in the administrator's own time zone: the token
 * works through the whole of the day they picked.
 */
function endOfDay(day: string): string {
  return new Date(`${day}T23:59:59`).toISOString();
}

const SCOPES: { scope: Scope; label: 'scope_identities_write' | 'scope_mailboxes_verify' }[] = [
  { scope: 'identities:write', label: 'scope_identities_write' },
  { scope: 'mailboxes:verify', label: 'scope_mailboxes_verify' },
];

/**
 * /admin/tjanstetoken: the bearer tokens of other systems (the HR system's identity feed, a
 * system that checks mailbox passwords). A new token is shown once, since only its hash is
 * stored; revoking one stops that system at once.
 */
export function ServiceTokens() {
  const t = useAdminT();
  useTitle(t('tokensHeading'));
  const write = useWrite();
  const format = useFormat();
  const tokens = useResource<ServiceToken[]>(PATH);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [expires, setExpires] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ServiceToken | null>(null);
  const [revokeProblems, setRevokeProblems] = useState<Problem[]>([]);

  async function create(e: Event) {
    e.preventDefault();
    setStatus(null);
    const found: Problem[] = [];
    const trimmed = name.trim();
    if (!trimmed) found.push({ field: 'token-name', message: t('tokenNameMissing') });
    if (scopes.length === 0)
      found.push({ field: 'token-scopes', message: t('tokenScopesMissing') });
    const day = expires.trim();
    if (day && !(day >= localDay(1) && day <= localDay(MAX_EXPIRY_DAYS - 1)))
      found.push({ field: 'token-expires', message: t('tokenExpiresInvalid') });
    if (found.length > 0) return setProblems(found);
    setBusy(true);
    const res = await write<CreatedToken>('POST', PATH, {
      name: trimmed,
      scopes,
      ...(day ? { expiresAt: endOfDay(day) } : {}),
    });
    setBusy(false);
    if (!res.ok) {
      const expiry = res.issues?.some((i) => i.path === 'expiresAt');
      return setProblems([
        expiry
          ? { field: 'token-expires', message: t('tokenExpiresInvalid') }
          : failureProblem(res, 'token-name'),
      ]);
    }
    setProblems([]);
    setName('');
    setScopes([]);
    setExpires('');
    setCreated(res.data);
    tokens.reload();
  }

  async function revoke() {
    if (!revoking) return;
    setBusy(true);
    const res = await write('DELETE', `${PATH}/${encodeURIComponent(revoking.id)}`);
    setBusy(false);
    if (!res.ok) return setRevokeProblems([failureProblem(res)]);
    setStatus(t('tokenRevoked', { name: revoking.name }));
    setRevoking(null);
    tokens.reload();
  }

  const scopesError = problemFor(problems, 'token-scopes');
  const list = tokens.data ?? [];
  const expiring = list.filter((token) => token.expiresSoon);
  return (
    <section>
      <StepHeading>{t('tokensHeading')}</StepHeading>
      <p>{t('tokensIntro')}</p>

      {created ? (
        <CreatedTokenPanel
          token={created}
          onSaved={() => {
            // The token leaves the page's memory here; only its name stays in the list.
            setCreated(null);
          }}
        />
      ) : (
        <form class="panel" onSubmit={create} noValidate aria-labelledby="token-create-heading">
          <h2 id="token-create-heading">{t('tokenCreateHeading')}</h2>
          <ErrorSummary problems={problems} />
          <InputField
            id="token-name"
            label={t('name')}
            hint={t('tokenNameHint')}
            value={name}
            onValue={setName}
            error={problemFor(problems, 'token-name')}
            maxLength={NAME_MAX}
          />
          <fieldset
            id="token-scopes"
            class={scopesError ? 'choice field-invalid' : 'choice'}
            aria-describedby={scopesError ? 'token-scopes-error' : undefined}
          >
            <legend>{t('tokenScopes')}</legend>
            {scopesError && (
              <p id="token-scopes-error" class="field-error">
                <span class="visually-hidden">{t('errorPrefix')} </span>
                {scopesError}
              </p>
            )}
            {SCOPES.map(({ scope, label }) => (
              <CheckboxField
                key={scope}
                id={`scope-${scope.replace(':', '-')}`}
                label={t(label)}
                hint={t(`${label}_hint`)}
                checked={scopes.includes(scope)}
                onChecked={(on) =>
                  setScopes((now) =>
                    on
                      ? [...now.filter((s) => s !== scope), scope]
                      : now.filter((s) => s !== scope),
                  )
                }
              />
            ))}
          </fieldset>
          <InputField
            id="token-expires"
            type="date"
            label={t('tokenExpires')}
            hint={t('tokenExpiresHint')}
            value={expires}
            onValue={setExpires}
            error={problemFor(problems, 'token-expires')}
            maxLength={10}
            optional
          />
          <div class="buttons">
            <button type="submit" disabled={busy}>
              {busy ? t('working') : t('tokenCreate')}
            </button>
          </div>
        </form>
      )}
      <LiveStatus message={status} />

      {expiring.length > 0 && (
        <section class="panel notice" aria-labelledby="tokens-expiring-heading">
          <h2 id="tokens-expiring-heading">{t('tokensExpiringHeading')}</h2>
          <p>{t('tokensExpiringIntro')}</p>
          <ul>
            {expiring.map((token) => (
              <li key={token.id}>
                <strong>{token.name}</strong>:{' '}
                {t('tokenExpiresSoon', { date: format.day(token.expiresAt ?? '') })}
              </li>
            ))}
          </ul>
        </section>
      )}

      <h2 id="tokens-list-heading">
        {t('tokensListHeading')}
        {tokens.data && <span class="count"> ({list.length})</span>}
      </h2>
      <LoadState load={tokens} reload={tokens.reload} />
      {tokens.data && list.length === 0 && <p>{t('tokensEmpty')}</p>}
      {list.length > 0 && (
        <table class="admin-table" aria-labelledby="tokens-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('tokenScopes')}</th>
              <th scope="col">{t('colCreated')}</th>
              <th scope="col">{t('colLastUsed')}</th>
              <th scope="col">{t('colExpires')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((token) => (
              <tr key={token.id} class={token.revokedAt || token.expired ? 'row-off' : undefined}>
                <th scope="row">{token.name}</th>
                <td data-label={t('tokenScopes')}>
                  <ul class="plain mono">
                    {token.scopes.map((s) => (
                      <li key={s}>{s}</li>
                    ))}
                  </ul>
                </td>
                <td data-label={t('colCreated')}>{format.dateTime(token.createdAt)}</td>
                <td data-label={t('colLastUsed')}>
                  {token.lastUsedAt ? format.dateTime(token.lastUsedAt) : t('neverUsed')}
                </td>
                <td data-label={t('colExpires')}>
                  {token.expiresAt ? format.day(token.expiresAt) : t('neverExpires')}
                </td>
                <td data-label={t('colStatus')}>
                  {token.revokedAt ? (
                    <span class="badge badge-off">
                      {t('tokenRevokedAt', { date: format.day(token.revokedAt) })}
                    </span>
                  ) : token.expired ? (
                    <span class="badge badge-off">
                      {t('tokenExpired', { date: format.day(token.expiresAt ?? '') })}
                    </span>
                  ) : token.expiresSoon ? (
                    <span class="badge badge-warn">
                      {t('tokenExpiresSoon', { date: format.day(token.expiresAt ?? '') })}
                    </span>
                  ) : (
                    <span class="badge">{t('tokenActive')}</span>
                  )}
                </td>
                <td class="row-actions">
                  {!token.revokedAt && (
                    <button
                      type="button"
                      class="danger-outline secondary"
                      onClick={() => {
                        setRevokeProblems([]);
                        setRevoking(token);
                      }}
                    >
                      {t('tokenRevoke')}
                      <span class="visually-hidden"> {token.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <ConfirmDialog
          title={t('tokenRevokeHeading', { name: revoking.name })}
          body={<p>{t('tokenRevokeBody')}</p>}
          confirmLabel={t('tokenRevoke')}
          busy={busy}
          problems={revokeProblems}
          onConfirm={revoke}
          onClose={() => setRevoking(null)}
        />
      )}
    </section>
  );
}

/** The new token, once: monospace, copyable, with what happens if it is lost. */
function CreatedTokenPanel({ token, onSaved }: { token: CreatedToken; onSaved: () => void }) {
  const t = useAdminT();
  const ref = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  useLayoutEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div class="panel one-time">
      <h2 ref={ref} tabIndex={-1} class="step-heading">
        {t('tokenCreatedHeading', { name: token.name })}
      </h2>
      <p class="notice">
        <strong>{t('tokenOnce')}</strong>
      </p>
      <p class="token-value mono">{token.token}</p>
      <div class="live-status" role="status">
        {copied === 'yes' && <p class="success">{t('tokenCopied')}</p>}
        {copied === 'no' && <p>{t('copyFailed')}</p>}
      </div>
      <div class="buttons">
        <button
          type="button"
          class="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(token.token);
              setCopied('yes');
            } catch {
              setCopied('no');
            }
          }}
        >
          {t('tokenCopy')}
        </button>
        <button type="button" onClick={onSaved}>
          {t('tokenSaved')}
        </button>
      </div>
    </div>
  );
}
