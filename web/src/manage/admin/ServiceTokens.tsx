import { useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type {
  CreatedServiceToken,
  ServiceTokenCreate,
  ServiceToken as ServiceTokenSchema,
} from '../../../../worker/routes/identities.schemas';
import { CheckboxField, ChoiceGroup } from './choices';
import { ConfirmDialog, useConfirm } from './confirm';
import { FormButtons, FormPanel, InputField, useForm } from './forms';
import { useAdminT } from './i18n-admin';
import { ShownOnce } from './OneTimePassword';
import { failureProblem, type Problem } from './problems';
import { ResourceTable, RowButton } from './tables';
import { AdminPage, LiveStatus, useFormat, useResource } from './ui';

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
  const form = useForm();
  const format = useFormat();
  const tokens = useResource<ServiceToken[]>(PATH);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [expires, setExpires] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const revoking = useConfirm<ServiceToken>();

  async function create() {
    setStatus(null);
    const found: Problem[] = [];
    const trimmed = name.trim();
    if (!trimmed) found.push({ field: 'token-name', message: t('tokenNameMissing') });
    if (scopes.length === 0)
      found.push({ field: 'token-scopes', message: t('tokenScopesMissing') });
    const day = expires.trim();
    if (day && !(day >= localDay(1) && day <= localDay(MAX_EXPIRY_DAYS - 1)))
      found.push({ field: 'token-expires', message: t('tokenExpiresInvalid') });
    if (!form.valid(found)) return;
    const res = await form.send<CreatedToken>(
      'POST',
      PATH,
      { name: trimmed, scopes, ...(day ? { expiresAt: endOfDay(day) } : {}) },
      (failure) =>
        failure.issues?.some((i) => i.path === 'expiresAt')
          ? { field: 'token-expires', message: t('tokenExpiresInvalid') }
          : failureProblem(failure, 'token-name'),
    );
    if (!res.ok) return;
    setName('');
    setScopes([]);
    setExpires('');
    setCreated(res.data);
    tokens.reload();
  }

  async function revoke() {
    const token = revoking.target;
    if (!token) return;
    const res = await revoking.send('DELETE', `${PATH}/${encodeURIComponent(token.id)}`);
    if (!res.ok) return;
    setStatus(t('tokenRevoked', { name: token.name }));
    revoking.close();
    tokens.reload();
  }

  const expiring = (tokens.data ?? []).filter((token) => token.expiresSoon);
  return (
    <AdminPage title={t('tokensHeading')} intro={t('tokensIntro')}>
      {created ? (
        <ShownOnce
          heading={t('tokenCreatedHeading', { name: created.name })}
          secret={created.token}
          texts={{
            copy: t('tokenCopy'),
            copied: t('tokenCopied'),
            copyFailed: t('copyFailed'),
            saved: t('tokenSaved'),
          }}
          // The token leaves the page's memory here; only its name stays in the list.
          onSaved={() => setCreated(null)}
        >
          <p class="notice">
            <strong>{t('tokenOnce')}</strong>
          </p>
          <p class="token-value mono">{created.token}</p>
        </ShownOnce>
      ) : (
        <FormPanel form={form} heading={t('tokenCreateHeading')} onSubmit={create}>
          <InputField
            {...form.field('token-name', name, setName)}
            label={t('name')}
            hint={t('tokenNameHint')}
            maxLength={NAME_MAX}
          />
          <ChoiceGroup
            id="token-scopes"
            legend={t('tokenScopes')}
            error={form.error('token-scopes')}
          >
            {SCOPES.map(({ scope, label }) => (
              <CheckboxField
                key={scope}
                id={`scope-${scope.replace(':', '-')}`}
                label={t(label)}
                hint={t(`${label}_hint`)}
                value={scopes.includes(scope)}
                onValue={(on) =>
                  setScopes((now) =>
                    on
                      ? [...now.filter((s) => s !== scope), scope]
                      : now.filter((s) => s !== scope),
                  )
                }
              />
            ))}
          </ChoiceGroup>
          <InputField
            {...form.field('token-expires', expires, setExpires)}
            type="date"
            label={t('tokenExpires')}
            hint={t('tokenExpiresHint')}
            maxLength={10}
            optional
          />
          <FormButtons busy={form.busy} label={t('tokenCreate')} />
        </FormPanel>
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

      <ResourceTable
        heading={t('tokensListHeading')}
        resource={tokens}
        empty={t('tokensEmpty')}
        columns={[
          t('name'),
          t('tokenScopes'),
          t('colCreated'),
          t('colLastUsed'),
          t('colExpires'),
          t('colStatus'),
        ]}
        actions
        row={(token) => (
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
              <TokenState token={token} />
            </td>
            <td class="row-actions">
              {!token.revokedAt && (
                <RowButton
                  label={t('tokenRevoke')}
                  name={token.name}
                  onClick={() => revoking.open(token)}
                  danger
                />
              )}
            </td>
          </tr>
        )}
      />
      {revoking.target && (
        <ConfirmDialog
          confirm={revoking}
          title={t('tokenRevokeHeading', { name: revoking.target.name })}
          body={<p>{t('tokenRevokeBody')}</p>}
          confirmLabel={t('tokenRevoke')}
          onConfirm={revoke}
        />
      )}
    </AdminPage>
  );
}

/** Revoked, expired, expiring soon or active, as a badge. */
function TokenState({ token }: { token: ServiceToken }) {
  const t = useAdminT();
  const format = useFormat();
  if (token.revokedAt) {
    return (
      <span class="badge badge-off">
        {t('tokenRevokedAt', { date: format.day(token.revokedAt) })}
      </span>
    );
  }
  if (token.expired) {
    return (
      <span class="badge badge-off">
        {t('tokenExpired', { date: format.day(token.expiresAt ?? '') })}
      </span>
    );
  }
  if (token.expiresSoon) {
    return (
      <span class="badge badge-warn">
        {t('tokenExpiresSoon', { date: format.day(token.expiresAt ?? '') })}
      </span>
    );
  }
  return <span class="badge">{t('tokenActive')}</span>;
}
