import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { adminPersonPath } from '../../router';
import { EmailField, FormButtons, FormPanel, FormToggle, useForm } from './forms';
import { type AdminTextKey, useAdminT } from './i18n-admin';
import { checkPerson, type PersonDraft, PersonFields, personRefusal } from './person-fields';
import { ResourceTable } from './tables';
import type { AdminPerson } from './types';
import { AdminPage, AppLink, looksLikeEmail, useResource } from './ui';

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
  const form = useForm();
  const [draft, setDraft] = useState<PersonDraft>({
    name: '',
    phone: '',
    hsaId: '',
    isAdmin: false,
  });
  const [email, setEmail] = useState('');

  async function submit() {
    const emailProblem = { field: 'p-email', message: t('emailInvalid') };
    if (!form.valid(checkPerson(t, 'p', draft, looksLikeEmail(email) ? [] : [emailProblem]))) {
      return;
    }
    const { name, phone, hsaId, isAdmin } = draft;
    const res = await form.send<AdminPerson>(
      'POST',
      '/api/admin/people',
      {
        name: name.trim(),
        email: email.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(hsaId.trim() ? { hsaId: hsaId.trim() } : {}),
        isAdmin,
      },
      personRefusal('p', 'p-email'),
    );
    if (res.ok) onCreated(res.data);
  }

  return (
    <FormPanel form={form} heading={t('personCreateHeading')} onSubmit={submit}>
      <PersonFields
        prefix="p"
        form={form}
        draft={draft}
        onDraft={setDraft}
        adminHint={t('personIsAdminHint')}
      >
        <EmailField
          {...form.field('p-email', email, setEmail)}
          label={t('emailAddress')}
          hint={t('personEmailHint')}
        />
      </PersonFields>
      <FormButtons busy={form.busy} label={t('personCreate')} />
    </FormPanel>
  );
}

/** Everyone who signs in with a passkey, TOTP or a card: managers, delegates, administrators. */
export function People() {
  const t = useAdminT();
  const { route } = useLocation();
  const people = useResource<AdminPerson[]>('/api/admin/people');
  const [creating, setCreating] = useState(false);
  return (
    <AdminPage title={t('peopleHeading')} intro={t('peopleIntro')}>
      <FormToggle prefix="p" open={creating} onToggle={setCreating} label={t('personNew')}>
        <CreatePerson
          onCreated={(person) => {
            flash = t('personCreated', { name: person.name });
            route(adminPersonPath(person.id));
          }}
        />
      </FormToggle>

      <ResourceTable
        heading={t('peopleListHeading')}
        resource={people}
        empty={t('peopleEmpty')}
        columns={[t('colPerson'), t('colRoles'), t('colSignIn')]}
        row={(person) => (
          <tr key={person.id} class={person.disabled ? 'row-off' : undefined}>
            <th scope="row" data-label={t('colPerson')}>
              <AppLink href={adminPersonPath(person.id)}>{person.name}</AppLink>
              <span class="sub">{person.email}</span>
            </th>
            <td data-label={t('colRoles')}>
              <RoleList person={person} />
            </td>
            <td data-label={t('colSignIn')}>
              <SignInBadge person={person} />
            </td>
          </tr>
        )}
      />
    </AdminPage>
  );
}

/** The person's sign-in state as a badge, dashed when they are turned off. */
export function SignInBadge({ person }: { person: AdminPerson }) {
  const t = useAdminT();
  return (
    <span class={person.disabled ? 'badge badge-off' : 'badge'}>{t(signInState(person))}</span>
  );
}
