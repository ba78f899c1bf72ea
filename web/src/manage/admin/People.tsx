import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import { parseHsaId } from '../../../../worker/domain/hsa-id';
import type { AdminPerson as AdminPersonSchema } from '../../../../worker/routes/admin.schemas';
import { StepHeading } from '../../components/StepHeading';
import { adminPersonPath } from '../../router';
import { useTitle } from '../use-title';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import {
  AppLink,
  CheckboxField,
  ErrorSummary,
  failureProblem,
  InputField,
  LoadState,
  looksLikeEmail,
  type Problem,
  problemFor,
  useResource,
} from './ui';
import { useWrite } from './write';

type AdminPerson = InferOutput<typeof AdminPersonSchema>;

/** As the API checks it: SE, the organisation number, a hyphen, 1–31 letters or digits. */
/** What a person's sign-in looks like now, in words (never colour alone). */
export function signInState(person: AdminPerson): AdminTextKey {
  if (person.disabled) return 'status_disabled';
  if (person.enrolled) return 'personEnrolled';
  if (person.invitePending) return 'personInvited';
  return 'personNotInvited';
}

/** "Chef för Hemtjänst A", "Ombud för …", "Administratör". */
export function RoleList({ person }: { person: AdminPerson }) {
  const t = useAdminT();
  if (!person.isAdmin && person.roles.length === 0) {
    return <span class="muted">{t('noRoles')}</span>;
  }
  return (
    <ul class="plain">
      {person.isAdmin && <li>{t('roleAdmin')}</li>}
      {person.roles.map((r) => (
        <li key={r.unitId}>
          {t(r.role === 'manager' ? 'roleManagerOf' : 'roleDelegateOf', { unit: r.unitName })}
        </li>
      ))}
    </ul>
  );
}

/**
 * A message for the next screen to announce after a create: the person's page says
 * "Anna är tillagd" when it opens. Module state, since it lives for one navigation only.
 */
let flash: string | null = null;

export function takeFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}

function CreatePerson({ onCreated }: { onCreated: (person: AdminPerson) => void }) {
  const t = useAdminT();
  const write = useWrite();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [hsaId, setHsaId] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  function check(): Problem[] {
    const found: Problem[] = [];
    if (!name.trim()) found.push({ field: 'p-name', message: t('personNameMissing') });
    if (!looksLikeEmail(email)) found.push({ field: 'p-email', message: t('emailInvalid') });
    if (hsaId.trim() && !parseHsaId(hsaId).ok) {
      found.push({ field: 'p-hsa', message: t('hsaInvalid') });
    }
    return found;
  }

  async function submit(e: Event) {
    e.preventDefault();
    const found = check();
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    const res = await write<AdminPerson>('POST', '/api/admin/people', {
      name: name.trim(),
      email: email.trim(),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(hsaId.trim() ? { hsaId: hsaId.trim() } : {}),
      isAdmin,
    });
    setBusy(false);
    if (!res.ok) {
      const field =
        res.error === 'invalid_phone'
          ? 'p-phone'
          : res.error === 'conflict'
            ? 'p-email'
            : undefined;
      return setProblems([failureProblem(res, field)]);
    }
    onCreated(res.data);
  }

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="p-create-heading">
      <h2 id="p-create-heading">{t('personCreateHeading')}</h2>
      <ErrorSummary problems={problems} />
      <div class="form-grid">
        <InputField
          id="p-name"
          label={t('name')}
          value={name}
          onValue={setName}
          error={problemFor(problems, 'p-name')}
          autoComplete="off"
          maxLength={100}
        />
        <InputField
          id="p-email"
          label={t('emailAddress')}
          hint={t('personEmailHint')}
          type="email"
          inputMode="email"
          value={email}
          onValue={setEmail}
          error={problemFor(problems, 'p-email')}
          maxLength={254}
          plain
        />
        <InputField
          id="p-phone"
          label={t('mobileNumber')}
          hint={t('personPhoneHint')}
          type="tel"
          inputMode="tel"
          value={phone}
          onValue={setPhone}
          error={problemFor(problems, 'p-phone')}
          maxLength={64}
          optional
          plain
        />
        <InputField
          id="p-hsa"
          label={t('hsaId')}
          hint={t('personHsaHint')}
          value={hsaId}
          onValue={setHsaId}
          error={problemFor(problems, 'p-hsa')}
          maxLength={64}
          optional
          plain
        />
      </div>
      <CheckboxField
        id="p-admin"
        label={t('personIsAdmin')}
        hint={t('personIsAdminHint')}
        checked={isAdmin}
        onChecked={setIsAdmin}
      />
      <div class="buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('working') : t('personCreate')}
        </button>
      </div>
    </form>
  );
}

/** Everyone who signs in with a passkey, TOTP or a card: managers, delegates, administrators. */
export function People() {
  const t = useAdminT();
  const { route } = useLocation();
  useTitle(t('peopleHeading'));
  const people = useResource<AdminPerson[]>('/api/admin/people');
  const [creating, setCreating] = useState(false);
  const list = people.data ?? [];
  return (
    <section>
      <StepHeading>{t('peopleHeading')}</StepHeading>
      <p>{t('peopleIntro')}</p>
      <button
        type="button"
        id="p-toggle"
        class={creating ? 'secondary' : ''}
        aria-expanded={creating}
        aria-controls="p-create"
        onClick={() => setCreating(!creating)}
      >
        {creating ? t('closeForm') : t('personNew')}
      </button>
      <div id="p-create" hidden={!creating}>
        {creating && (
          <CreatePerson
            onCreated={(person) => {
              flash = t('personCreated', { name: person.name });
              route(adminPersonPath(person.id));
            }}
          />
        )}
      </div>

      <h2 id="p-list-heading">
        {t('peopleListHeading')}
        {people.data && <span class="count"> ({list.length})</span>}
      </h2>
      <LoadState load={people} reload={people.reload} />
      {people.data && list.length === 0 && <p>{t('peopleEmpty')}</p>}
      {list.length > 0 && (
        <table class="admin-table" aria-labelledby="p-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('colPerson')}</th>
              <th scope="col">{t('colRoles')}</th>
              <th scope="col">{t('colSignIn')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((person) => (
              <tr key={person.id} class={person.disabled ? 'row-off' : undefined}>
                <th scope="row" data-label={t('colPerson')}>
                  <AppLink href={adminPersonPath(person.id)}>{person.name}</AppLink>
                  <span class="sub">{person.email}</span>
                </th>
                <td data-label={t('colRoles')}>
                  <RoleList person={person} />
                </td>
                <td data-label={t('colSignIn')}>
                  <span class={person.disabled ? 'badge badge-off' : 'badge'}>
                    {t(signInState(person))}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
