import { useEffect, useRef, useState } from 'preact/hooks';
import type { InferInput, InferOutput } from 'valibot';
import { formatPhone } from '../../../../worker/domain/phone-format';
import type {
  AdminPersonDetail as AdminPersonDetailSchema,
  InviteSent,
  PersonUpdate,
} from '../../../../worker/routes/admin.schemas';
import type { UnitRole as UnitRoleSchema } from '../../../../worker/routes/fields';
import { StepHeading } from '../../components/StepHeading';
import { ADMIN_PAGES } from '../../router';
import { ErrorSummary } from '../components/ErrorSummary';
import { usePerson } from '../session';
import { useTitle } from '../use-title';
import { RadioGroup } from './choices';
import { ConfirmDialog, useConfirm } from './confirm';
import { BusyButton, FormButtons, FormPanel, UnitSelect, useForm } from './forms';
import { useAdminT } from './i18n-admin';
import { RoleList, SignInBadge, takeFlash } from './People';
import { checkPerson, type PersonDraft, PersonFields, personRefusal } from './person-fields';
import type { AdminPerson, AdminUnit } from './types';
import { AppLink, LiveStatus, LoadState, useFormat, useResource } from './ui';

type AdminPersonDetail = InferOutput<typeof AdminPersonDetailSchema>;
type UnitRole = InferOutput<typeof UnitRoleSchema>;

function personPath(id: string) {
  return `/api/admin/people/${encodeURIComponent(id)}`;
}

/** Name, mobile, HSA-id and the administrator flag (the e-mail is the person's identity). */
function DetailsForm({
  person,
  self,
  onSaved,
}: {
  person: AdminPerson;
  self: boolean;
  onSaved: (person: AdminPerson) => void;
}) {
  const t = useAdminT();
  const form = useForm();
  // Shown and edited in national form; the server reads it back into E.164.
  const shownPhone = person.phone ? formatPhone(person.phone) : null;
  const [draft, setDraft] = useState<PersonDraft>({
    name: person.name,
    phone: shownPhone ?? '',
    hsaId: person.hsaId ?? '',
    isAdmin: person.isAdmin,
  });

  async function save() {
    if (!form.valid(checkPerson(t, 'pd', draft))) return;
    const name = draft.name.trim();
    const phone = draft.phone.trim() || null;
    const hsaId = draft.hsaId.trim() || null;
    // Only what changed, so a save never overwrites someone else's edit of another field.
    const change: InferInput<typeof PersonUpdate> = {};
    if (name !== person.name) change.name = name;
    if (phone !== shownPhone) change.phone = phone;
    if ((hsaId?.toUpperCase() ?? null) !== person.hsaId) change.hsaId = hsaId;
    if (draft.isAdmin !== person.isAdmin) change.isAdmin = draft.isAdmin;
    if (Object.keys(change).length === 0) {
      return form.setProblems([{ message: t('nothingChanged') }]);
    }
    const res = await form.send<AdminPerson>(
      'PATCH',
      personPath(person.id),
      change,
      personRefusal('pd', 'pd-admin'),
    );
    if (res.ok) onSaved(res.data);
  }

  return (
    <FormPanel form={form} heading={t('details')} onSubmit={save}>
      <p>
        <span class="label-inline">{t('emailAddress')}:</span> {person.email}
      </p>
      <PersonFields
        prefix="pd"
        form={form}
        draft={draft}
        onDraft={setDraft}
        adminHint={self ? t('selfAdminHint') : t('personIsAdminHint')}
        adminLocked={self}
      />
      <FormButtons busy={form.busy} label={t('saveChanges')} />
    </FormPanel>
  );
}

/** "Chef för Hemtjänst A" or "Ombud för …". */
function roleText(t: ReturnType<typeof useAdminT>, role: AdminPerson['roles'][number]): string {
  return t(role.role === 'manager' ? 'roleManagerOf' : 'roleDelegateOf', { unit: role.unitName });
}

/** The person's roles per unit: give one (or change it), take one away. */
function RolesPanel({
  person,
  units,
  onChanged,
}: {
  person: AdminPerson;
  units: AdminUnit[];
  onChanged: (message: string) => void;
}) {
  const t = useAdminT();
  const form = useForm();
  const [unitId, setUnitId] = useState('');
  const [role, setRole] = useState<UnitRole>('manager');
  /** Which button's write is on its way: "give", or the unit of the role being removed. */
  const [pending, setPending] = useState<string | null>(null);
  const rolePath = (unit: string) => `${personPath(person.id)}/roles/${encodeURIComponent(unit)}`;

  async function give() {
    if (!unitId) return form.setProblems([{ field: 'pr-unit', message: t('unitMissing') }]);
    setPending('give');
    const res = await form.send<null>('PUT', rolePath(unitId), { role }, 'pr-unit');
    if (!res.ok) return;
    setUnitId('');
    const unit = units.find((u) => u.id === unitId)?.name ?? '';
    onChanged(t(role === 'manager' ? 'roleGivenManager' : 'roleGivenDelegate', { unit }));
  }

  async function remove(target: AdminPerson['roles'][number]) {
    setPending(target.unitId);
    const res = await form.send<null>('DELETE', rolePath(target.unitId));
    if (!res.ok) return;
    onChanged(t('roleRemoved', { unit: target.unitName }));
    document.getElementById('pr-unit')?.focus();
  }

  return (
    <section class="panel" aria-labelledby="pr-heading">
      <h2 id="pr-heading">{t('rolesHeading')}</h2>
      <p class="hint">{t('rolesIntro')}</p>
      <ErrorSummary problems={form.problems} />
      {person.roles.length === 0 ? (
        <p>{t('noUnitRoles')}</p>
      ) : (
        <ul class="role-list">
          {person.roles.map((r) => (
            <li key={r.unitId}>
              <span>{roleText(t, r)}</span>
              <BusyButton
                class="secondary"
                busy={form.busy && pending === r.unitId}
                disabled={form.busy}
                label={t('remove')}
                onClick={() => remove(r)}
              >
                <span class="visually-hidden"> {roleText(t, r)}</span>
              </BusyButton>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          give();
        }}
        noValidate
        aria-labelledby="pr-give-heading"
      >
        <h3 id="pr-give-heading">{t('roleGiveHeading')}</h3>
        <UnitSelect
          {...form.field('pr-unit', unitId, setUnitId)}
          label={t('unit')}
          hint={t('roleUnitHint')}
          units={units}
        />
        <RadioGroup
          {...form.field('pr-role', role, setRole)}
          label={t('roleLabel')}
          options={[
            { value: 'manager', label: t('manager'), hint: t('roleManagerHint') },
            { value: 'delegate', label: t('roleDelegate'), hint: t('roleDelegateHint') },
          ]}
        />
        <div class="buttons">
          <BusyButton
            type="submit"
            busy={form.busy && pending === 'give'}
            disabled={form.busy}
            label={t('roleGive')}
          />
        </div>
      </form>
    </section>
  );
}

/** Send (or send again) the invite that lets the person create their sign-in. */
function InvitePanel({ person, onSent }: { person: AdminPerson; onSent: () => void }) {
  const t = useAdminT();
  const form = useForm();
  const format = useFormat();
  const [sent, setSent] = useState<string | null>(null);

  async function send() {
    setSent(null);
    const res = await form.send<InferOutput<typeof InviteSent>>(
      'POST',
      `${personPath(person.id)}/invite`,
      {},
    );
    if (!res.ok) return;
    setSent(t('inviteSent', { email: person.email, time: format.dateTime(res.data.expiresAt) }));
    onSent();
  }

  return (
    <section class="panel" aria-labelledby="pi-heading">
      <h2 id="pi-heading">{t('inviteSectionHeading')}</h2>
      <p>
        <SignInBadge person={person} />
      </p>
      <ErrorSummary problems={form.problems} />
      {person.disabled ? (
        <p>{t('inviteDisabled')}</p>
      ) : (
        <>
          <p class="hint">
            {person.enrolled
              ? t('inviteAgainHint')
              : person.invitePending
                ? t('invitePendingHint')
                : t('inviteHint')}
          </p>
          <div class="buttons">
            <BusyButton
              busy={form.busy}
              label={
                person.enrolled || person.invitePending ? t('inviteSendAgain') : t('inviteSend')
              }
              onClick={send}
            />
          </div>
        </>
      )}
      <LiveStatus message={sent} />
    </section>
  );
}

/**
 * Shown while the person's sign-in with a code is locked from any network, and after an
 * unlock here to say it is done (the button is gone then, so the focus moves to the heading).
 */
function LockPanel({
  person,
  onUnlocked,
}: {
  person: AdminPersonDetail;
  onUnlocked: () => Promise<void>;
}) {
  const t = useAdminT();
  const form = useForm();
  const format = useFormat();
  const heading = useRef<HTMLHeadingElement>(null);
  const [unlocked, setUnlocked] = useState(false);
  useEffect(() => {
    if (unlocked) heading.current?.focus();
  }, [unlocked]);

  const lockedUntil = person.signInLockedUntil;
  if (lockedUntil === null && !unlocked) return null;

  async function unlock() {
    setUnlocked(false);
    // The page shows the person unlocked before this says so.
    await form.send<null>('POST', `${personPath(person.id)}/unlock`, {}, undefined, async () => {
      await onUnlocked();
      setUnlocked(true);
    });
  }

  return (
    <section
      class={lockedUntil !== null ? 'panel panel-warn' : 'panel'}
      aria-labelledby="pl-heading"
    >
      <h2 id="pl-heading" ref={heading} tabIndex={-1}>
        {lockedUntil !== null ? t('signInLockedHeading') : t('signInUnlockedHeading')}
      </h2>
      {lockedUntil !== null ? (
        <>
          <p>{t('signInLockedUntil', { time: format.when(lockedUntil) })}</p>
          <p class="hint">{t('signInLockedHint')}</p>
          <ErrorSummary problems={form.problems} />
          <div class="buttons">
            <BusyButton busy={form.busy} label={t('unlockSignIn')} onClick={unlock} />
          </div>
        </>
      ) : (
        <p class="success">{t('signInUnlocked', { name: person.name })}</p>
      )}
    </section>
  );
}

/** One person: details, roles, invite, and turning their access off or on again. */
export function PersonDetail({ id }: { id: string }) {
  const t = useAdminT();
  const me = usePerson();
  // The one person (with their sign-in lock, which the list does not carry).
  const loaded = useResource<AdminPersonDetail>(personPath(id));
  const units = useResource<AdminUnit[]>('/api/admin/units');
  const [status, setStatus] = useState<string | null>(takeFlash);
  const confirming = useConfirm<true>();
  const person = loaded.data?.id === id ? loaded.data : null;
  const self = me?.id === id;
  useTitle(person?.name ?? t('peopleHeading'));

  if (!person) {
    if (loaded.state === 'failed' && loaded.failure.error === 'not_found') {
      return (
        <section>
          <StepHeading>{t('personMissing')}</StepHeading>
          <AppLink href={ADMIN_PAGES.people} class="button">
            {t('toPeople')}
          </AppLink>
        </section>
      );
    }
    return (
      <section>
        <StepHeading>{t('peopleHeading')}</StepHeading>
        <LoadState of={loaded} />
      </section>
    );
  }

  async function toggleDisabled() {
    if (!person) return;
    const res = await confirming.send<AdminPerson>('PATCH', personPath(person.id), {
      disabled: !person.disabled,
    });
    if (!res.ok) return;
    confirming.close();
    setStatus(
      t(person.disabled ? 'personEnabledDone' : 'personDisabledDone', { name: person.name }),
    );
    loaded.reload();
  }

  return (
    <section>
      <p class="back">
        <AppLink href={ADMIN_PAGES.people}>{t('backToPeople')}</AppLink>
      </p>
      <StepHeading>{person.name}</StepHeading>
      <div class="summary-line">
        <RoleList person={person} />
      </div>
      <LiveStatus message={status} />
      <LockPanel key={person.id} person={person} onUnlocked={loaded.reload} />
      <div class="detail-grid">
        <DetailsForm
          key={`${person.name}|${person.phone}|${person.hsaId}|${person.isAdmin}`}
          person={person}
          self={self}
          onSaved={(saved) => {
            setStatus(t('personSaved', { name: saved.name }));
            loaded.reload();
          }}
        />
        <RolesPanel
          person={person}
          units={units.data ?? []}
          onChanged={(message) => {
            setStatus(message);
            loaded.reload();
            units.reload();
          }}
        />
        <InvitePanel person={person} onSent={() => loaded.reload()} />
        <section class="panel" aria-labelledby="pa-heading">
          <h2 id="pa-heading">{person.disabled ? t('enablePersonHeading') : t('accessHeading')}</h2>
          {self ? (
            <p class="hint">{t('selfDisableHint')}</p>
          ) : (
            <>
              <p class="hint">{person.disabled ? t('enablePersonHint') : t('disablePersonHint')}</p>
              <div class="buttons">
                <button type="button" class="secondary" onClick={() => confirming.open(true)}>
                  {person.disabled ? t('enablePerson') : t('disablePerson')}
                </button>
              </div>
            </>
          )}
        </section>
      </div>
      {confirming.target && (
        <ConfirmDialog
          confirm={confirming}
          title={t(person.disabled ? 'enablePersonConfirmHeading' : 'disablePersonConfirmHeading', {
            name: person.name,
          })}
          body={<p>{person.disabled ? t('enablePersonHint') : t('disablePersonBody')}</p>}
          confirmLabel={person.disabled ? t('enablePerson') : t('disablePerson')}
          onConfirm={toggleDisabled}
        />
      )}
    </section>
  );
}
