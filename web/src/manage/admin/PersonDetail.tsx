import { useEffect, useRef, useState } from 'preact/hooks';
import type { InferInput, InferOutput } from 'valibot';
import { parseHsaId } from '../../../../worker/domain/hsa-id';
import { formatPhone } from '../../../../worker/domain/phone-format';
import type {
  AdminPersonDetail as AdminPersonDetailSchema,
  AdminPerson as AdminPersonSchema,
  AdminUnit as AdminUnitSchema,
  InviteSent,
  PersonUpdate,
} from '../../../../worker/routes/admin.schemas';
import type { UnitRole as UnitRoleSchema } from '../../../../worker/routes/fields';
import { StepHeading } from '../../components/StepHeading';
import { ADMIN_PAGES } from '../../router';
import { usePerson } from '../session';
import { useTitle } from '../use-title';
import { useAdminT } from './i18n-admin';
import { RoleList, signInState, takeFlash } from './People';
import {
  AppLink,
  CheckboxField,
  ConfirmDialog,
  ErrorSummary,
  failureProblem,
  InputField,
  LiveStatus,
  LoadState,
  type Problem,
  problemFor,
  RadioOption,
  SelectField,
  useFormat,
  useResource,
} from './ui';
import { useWrite } from './write';

type AdminPerson = InferOutput<typeof AdminPersonSchema>;
type AdminPersonDetail = InferOutput<typeof AdminPersonDetailSchema>;
type AdminUnit = InferOutput<typeof AdminUnitSchema>;
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
  const write = useWrite();
  const [name, setName] = useState(person.name);
  // Shown and edited in national form; the server reads it back into E.164.
  const shownPhone = person.phone ? formatPhone(person.phone) : null;
  const [phone, setPhone] = useState(shownPhone ?? '');
  const [hsaId, setHsaId] = useState(person.hsaId ?? '');
  const [isAdmin, setIsAdmin] = useState(person.isAdmin);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    const found: Problem[] = [];
    if (!name.trim()) found.push({ field: 'pd-name', message: t('personNameMissing') });
    if (hsaId.trim() && !parseHsaId(hsaId).ok) {
      found.push({ field: 'pd-hsa', message: t('hsaInvalid') });
    }
    setProblems(found);
    if (found.length > 0) return;
    // Only what changed, so a save never overwrites someone else's edit of another field.
    const change: InferInput<typeof PersonUpdate> = {};
    if (name.trim() !== person.name) change.name = name.trim();
    if ((phone.trim() || null) !== shownPhone) change.phone = phone.trim() || null;
    if ((hsaId.trim().toUpperCase() || null) !== person.hsaId) change.hsaId = hsaId.trim() || null;
    if (isAdmin !== person.isAdmin) change.isAdmin = isAdmin;
    if (Object.keys(change).length === 0) {
      return setProblems([{ message: t('nothingChanged') }]);
    }
    setBusy(true);
    const res = await write<AdminPerson>('PATCH', personPath(person.id), change);
    setBusy(false);
    if (!res.ok) {
      const field =
        res.error === 'invalid_phone'
          ? 'pd-phone'
          : res.error === 'conflict'
            ? 'pd-admin'
            : undefined;
      return setProblems([failureProblem(res, field)]);
    }
    onSaved(res.data);
  }

  return (
    <form class="panel" onSubmit={save} noValidate aria-labelledby="pd-details-heading">
      <h2 id="pd-details-heading">{t('details')}</h2>
      <ErrorSummary problems={problems} />
      <p>
        <span class="label-inline">{t('emailAddress')}:</span> {person.email}
      </p>
      <div class="form-grid">
        <InputField
          id="pd-name"
          label={t('name')}
          value={name}
          onValue={setName}
          error={problemFor(problems, 'pd-name')}
          maxLength={100}
        />
        <InputField
          id="pd-phone"
          label={t('mobileNumber')}
          hint={t('personPhoneHint')}
          type="tel"
          inputMode="tel"
          value={phone}
          onValue={setPhone}
          error={problemFor(problems, 'pd-phone')}
          maxLength={64}
          optional
          plain
        />
        <InputField
          id="pd-hsa"
          label={t('hsaId')}
          hint={t('personHsaHint')}
          value={hsaId}
          onValue={setHsaId}
          error={problemFor(problems, 'pd-hsa')}
          maxLength={64}
          optional
          plain
        />
      </div>
      <CheckboxField
        id="pd-admin"
        label={t('personIsAdmin')}
        hint={self ? t('selfAdminHint') : t('personIsAdminHint')}
        checked={isAdmin}
        onChecked={setIsAdmin}
        disabled={self}
      />
      <div class="buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('working') : t('saveChanges')}
        </button>
      </div>
    </form>
  );
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
  const write = useWrite();
  const [unitId, setUnitId] = useState('');
  const [role, setRole] = useState<UnitRole>('manager');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState<string | null>(null);

  async function give(e: Event) {
    e.preventDefault();
    if (!unitId) return setProblems([{ field: 'pr-unit', message: t('unitMissing') }]);
    setBusy('give');
    const res = await write<null>(
      'PUT',
      `${personPath(person.id)}/roles/${encodeURIComponent(unitId)}`,
      { role },
    );
    setBusy(null);
    if (!res.ok) return setProblems([failureProblem(res, 'pr-unit')]);
    setProblems([]);
    setUnitId('');
    const unit = units.find((u) => u.id === unitId)?.name ?? '';
    onChanged(t(role === 'manager' ? 'roleGivenManager' : 'roleGivenDelegate', { unit }));
  }

  async function remove(target: AdminPerson['roles'][number]) {
    setBusy(target.unitId);
    const res = await write<null>(
      'DELETE',
      `${personPath(person.id)}/roles/${encodeURIComponent(target.unitId)}`,
    );
    setBusy(null);
    if (!res.ok) return setProblems([failureProblem(res)]);
    setProblems([]);
    onChanged(t('roleRemoved', { unit: target.unitName }));
    document.getElementById('pr-unit')?.focus();
  }

  return (
    <section class="panel" aria-labelledby="pr-heading">
      <h2 id="pr-heading">{t('rolesHeading')}</h2>
      <p class="hint">{t('rolesIntro')}</p>
      <ErrorSummary problems={problems} />
      {person.roles.length === 0 ? (
        <p>{t('noUnitRoles')}</p>
      ) : (
        <ul class="role-list">
          {person.roles.map((r) => (
            <li key={r.unitId}>
              <span>
                {t(r.role === 'manager' ? 'roleManagerOf' : 'roleDelegateOf', {
                  unit: r.unitName,
                })}
              </span>
              <button
                type="button"
                class="secondary"
                disabled={busy !== null}
                onClick={() => remove(r)}
              >
                {busy === r.unitId ? t('working') : t('remove')}
                <span class="visually-hidden">
                  {' '}
                  {t(r.role === 'manager' ? 'roleManagerOf' : 'roleDelegateOf', {
                    unit: r.unitName,
                  })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={give} noValidate aria-labelledby="pr-give-heading">
        <h3 id="pr-give-heading">{t('roleGiveHeading')}</h3>
        <SelectField
          id="pr-unit"
          label={t('unit')}
          hint={t('roleUnitHint')}
          value={unitId}
          onValue={setUnitId}
          error={problemFor(problems, 'pr-unit')}
          options={[
            { value: '', label: t('chooseUnit') },
            ...units.map((u) => ({ value: u.id, label: u.name })),
          ]}
        />
        <fieldset class="choice">
          <legend>{t('roleLabel')}</legend>
          {(['manager', 'delegate'] as const).map((r) => (
            <RadioOption
              key={r}
              id={`pr-role-${r}`}
              name="pr-role"
              label={t(r === 'manager' ? 'manager' : 'roleDelegate')}
              hint={t(r === 'manager' ? 'roleManagerHint' : 'roleDelegateHint')}
              checked={role === r}
              onSelect={() => setRole(r)}
            />
          ))}
        </fieldset>
        <div class="buttons">
          <button type="submit" disabled={busy !== null}>
            {busy === 'give' ? t('working') : t('roleGive')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Send (or send again) the invite that lets the person create their sign-in. */
function InvitePanel({ person, onSent }: { person: AdminPerson; onSent: () => void }) {
  const t = useAdminT();
  const write = useWrite();
  const format = useFormat();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);

  async function send() {
    setBusy(true);
    setSent(null);
    const res = await write<InferOutput<typeof InviteSent>>(
      'POST',
      `${personPath(person.id)}/invite`,
      {},
    );
    setBusy(false);
    if (!res.ok) return setProblems([failureProblem(res)]);
    setProblems([]);
    setSent(t('inviteSent', { email: person.email, time: format.dateTime(res.data.expiresAt) }));
    onSent();
  }

  return (
    <section class="panel" aria-labelledby="pi-heading">
      <h2 id="pi-heading">{t('inviteSectionHeading')}</h2>
      <p>
        <span class={person.disabled ? 'badge badge-off' : 'badge'}>{t(signInState(person))}</span>
      </p>
      <ErrorSummary problems={problems} />
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
            <button type="button" onClick={send} disabled={busy}>
              {busy
                ? t('working')
                : person.enrolled || person.invitePending
                  ? t('inviteSendAgain')
                  : t('inviteSend')}
            </button>
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
  const write = useWrite();
  const format = useFormat();
  const heading = useRef<HTMLHeadingElement>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [unlocked, setUnlocked] = useState(false);
  useEffect(() => {
    if (unlocked) heading.current?.focus();
  }, [unlocked]);

  const lockedUntil = person.signInLockedUntil;
  if (lockedUntil === null && !unlocked) return null;

  async function unlock() {
    setBusy(true);
    setUnlocked(false);
    const res = await write<null>('POST', `${personPath(person.id)}/unlock`, {});
    if (!res.ok) {
      setBusy(false);
      return setProblems([failureProblem(res)]);
    }
    setProblems([]);
    // The page shows the person unlocked before this says so.
    await onUnlocked();
    setBusy(false);
    setUnlocked(true);
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
          <ErrorSummary problems={problems} />
          <div class="buttons">
            <button type="button" onClick={unlock} disabled={busy}>
              {busy ? t('working') : t('unlockSignIn')}
            </button>
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
  const write = useWrite();
  const me = usePerson();
  // The one person (with their sign-in lock, which the list does not carry).
  const loaded = useResource<AdminPersonDetail>(personPath(id));
  const units = useResource<AdminUnit[]>('/api/admin/units');
  const [status, setStatus] = useState<string | null>(takeFlash);
  const [confirming, setConfirming] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
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
        <LoadState load={loaded} reload={loaded.reload} />
      </section>
    );
  }

  async function toggleDisabled() {
    if (!person) return;
    setBusy(true);
    const res = await write<AdminPerson>('PATCH', personPath(person.id), {
      disabled: !person.disabled,
    });
    setBusy(false);
    if (!res.ok) return setProblems([failureProblem(res)]);
    setConfirming(false);
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
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    setProblems([]);
                    setConfirming(true);
                  }}
                >
                  {person.disabled ? t('enablePerson') : t('disablePerson')}
                </button>
              </div>
            </>
          )}
        </section>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t(person.disabled ? 'enablePersonConfirmHeading' : 'disablePersonConfirmHeading', {
            name: person.name,
          })}
          body={<p>{person.disabled ? t('enablePersonHint') : t('disablePersonBody')}</p>}
          confirmLabel={person.disabled ? t('enablePerson') : t('disablePerson')}
          busy={busy}
          problems={problems}
          onConfirm={toggleDisabled}
          onClose={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
