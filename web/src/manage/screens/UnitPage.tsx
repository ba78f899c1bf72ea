import { useEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type {
  AuditItem as AuditItemSchema,
  AuditPage as AuditPageSchema,
} from '../../../../worker/routes/fields';
import type {
  UnitDetail as UnitDetailSchema,
  UnitPerson as UnitPersonSchema,
} from '../../../../worker/routes/manager.schemas';
import type { ApiFailure } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { StepHeading } from '../../components/StepHeading';
import { TextField } from '../../components/TextField';
import { ROUTES, routinePath } from '../../router';
import { AuditList } from '../components/AuditList';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmailField } from '../components/Fields';
import { usePT } from '../i18n-people';
import { PagePending, useResource } from '../page-data';
import { personApi, usePerson } from '../session';
import { useSensitive } from '../step-up';
import { useTitle } from '../use-title';
import { StaffList } from './StaffList';

type AuditItem = InferOutput<typeof AuditItemSchema>;
type AuditPage = InferOutput<typeof AuditPageSchema>;
type UnitDetail = InferOutput<typeof UnitDetailSchema>;
type UnitPerson = InferOutput<typeof UnitPersonSchema>;

const AUDIT_PAGE = 25;

/**
 * /chef/enhet/<id>: who has access to the unit (managers, delegates, enrolled or invited);
 * for its managers, inviting and removing delegates; and the unit's audit trail.
 */
export function UnitPage({ id }: { id: string }) {
  const t = usePT();
  const me = usePerson();
  const { run } = useSensitive();
  const base = `/api/manager/units/${encodeURIComponent(id)}`;
  const [message, setMessage] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<UnitPerson | null>(null);
  const [revokeFailure, setRevokeFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const peopleHeading = useRef<HTMLHeadingElement>(null);
  const [auditKey, setAuditKey] = useState(0);
  const { data: unit, failure, reload: load } = useResource<UnitDetail>(base);
  useTitle(unit?.name ?? t('loading'));

  if (!unit) return <PagePending failure={failure} />;

  async function revoke(person: UnitPerson) {
    setBusy(true);
    setRevokeFailure(null);
    const res = await run('DELETE', `${base}/delegates/${encodeURIComponent(person.id)}`);
    setBusy(false);
    if (!res.ok) return setRevokeFailure(res);
    // The list first, then the message: what is announced is already on screen.
    await load();
    setRevoking(null);
    setMessage(t('revoked', { name: person.name }));
    peopleHeading.current?.focus();
    setAuditKey((k) => k + 1);
  }

  const people = [...unit.people].sort(
    (a, b) =>
      (a.role === b.role ? 0 : a.role === 'manager' ? -1 : 1) || a.name.localeCompare(b.name),
  );

  return (
    <section class="unit-page">
      <p class="back">
        <a href={ROUTES.manager}>← {t('backToOverview')}</a>
      </p>
      <StepHeading>{unit.name}</StepHeading>
      <p>{t('yourRole', { role: t(`role_${unit.role}`) })}</p>
      <p class="people-link">
        <a href={routinePath(unit.id)}>{t('unitRoutineLink')}</a>
      </p>

      <section aria-labelledby="people-heading">
        <h2 id="people-heading" ref={peopleHeading} tabIndex={-1}>
          {t('unitPeople')}
        </h2>
        <div aria-live="polite">{message && <p class="success">{message}</p>}</div>
        {people.length === 0 ? (
          <p>{t('unitPeopleNone')}</p>
        ) : (
          <ul class="people-list">
            {people.map((p) => (
              <li key={p.id} class="card person-card">
                <div>
                  <p class="card-title">
                    {p.name} {p.id === me?.id && <span class="hint">{t('you')}</span>}
                  </p>
                  <p class="hint email">{p.email}</p>
                  <p>
                    <span class={`chip chip-role chip-${p.role}`}>{t(`role_${p.role}`)}</span>{' '}
                    <span class="person-state">
                      {p.enrolled
                        ? t('personEnrolled')
                        : p.invitePending
                          ? t('personInvited')
                          : t('personNotInvited')}
                    </span>
                  </p>
                </div>
                {unit.canManageDelegates && p.role === 'delegate' && (
                  <button
                    type="button"
                    class="secondary danger-outline"
                    aria-label={t('revokeLabel', { name: p.name })}
                    onClick={() => {
                      setRevokeFailure(null);
                      setRevoking(p);
                    }}
                  >
                    {t('revoke')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      {unit.canManageDelegates && (
        <InviteDelegate
          base={base}
          onInvited={async (text) => {
            await load();
            setMessage(text);
            setAuditKey((k) => k + 1);
          }}
          run={run}
        />
      )}

      <StaffList unitId={unit.id} unitName={unit.name} />

      <UnitAudit key={auditKey} base={base} />

      {revoking && (
        <ConfirmDialog
          title={t('revokeHeading')}
          body={t('revokeBody', { name: revoking.name, unit: unit.name })}
          confirmLabel={t('remove')}
          busy={busy}
          failure={revokeFailure}
          onConfirm={() => revoke(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </section>
  );
}

function InviteDelegate({
  base,
  onInvited,
  run,
}: {
  base: string;
  onInvited: (message: string) => Promise<void>;
  run: ReturnType<typeof useSensitive>['run'];
}) {
  const t = usePT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const ready = name.trim().length > 0 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim());

  async function submit(e: Event) {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setFailure(null);
    const res = await run<UnitPerson>('POST', `${base}/delegates`, {
      name: name.trim(),
      email: email.trim(),
    });
    setBusy(false);
    if (!res.ok) return setFailure(res);
    setName('');
    setEmail('');
    await onInvited(
      res.data.enrolled
        ? t('addedEnrolled', { name: res.data.name })
        : t('invited', { email: res.data.email }),
    );
  }

  return (
    <section aria-labelledby="invite-heading" class="panel">
      <h2 id="invite-heading">{t('inviteDelegateHeading')}</h2>
      <p>{t('inviteDelegateBody')}</p>
      <form onSubmit={submit} noValidate class="invite-form">
        <TextField label={t('name')} value={name} onValue={setName} maxLength={100} />
        <EmailField hint={t('delegateEmailHint')} value={email} onValue={setEmail} />
        <ErrorBox failure={failure} />
        <div class="buttons">
          <button type="submit" disabled={busy || !ready}>
            {busy ? t('working') : t('sendInvite')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The unit's trail, newest first, 25 at a time. */
function UnitAudit({ base }: { base: string }) {
  const t = usePT();
  const heading = useRef<HTMLHeadingElement>(null);
  const [items, setItems] = useState<AuditItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const load = async (before: string | null) => {
    setBusy(true);
    const query = new URLSearchParams({ limit: String(AUDIT_PAGE) });
    if (before) query.set('before', before);
    const res = await personApi<AuditPage>('GET', `${base}/audit?${query}`);
    setBusy(false);
    if (!res.ok) return setFailure(res);
    setFailure(null);
    setItems((earlier) => [...(before ? (earlier ?? []) : []), ...res.data.items]);
    setNext(res.data.next);
    // The last page removes the button that had the focus: the section's heading takes it.
    if (before && !res.data.next) heading.current?.focus();
  };
  useEffect(() => {
    void load(null);
  }, []);

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading" ref={heading} tabIndex={-1}>
        {t('unitAudit')}
      </h2>
      {items ? (
        <AuditList items={items} caption={t('unitAudit')} />
      ) : (
        !failure && (
          <p class="hint" role="status">
            {t('loading')}
          </p>
        )
      )}
      <ErrorBox failure={failure} />
      {next && (
        <div class="buttons">
          <button type="button" class="secondary" disabled={busy} onClick={() => load(next)}>
            {busy ? t('working') : t('loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}
