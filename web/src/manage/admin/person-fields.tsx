import type { ComponentChildren } from 'preact';
import { parseHsaId } from '../../../../worker/domain/hsa-id';
import { CheckboxField } from './choices';
import { type Form, InputField } from './forms';
import { useAdminT } from './i18n-admin';
import { failureProblem, type Problem, type Refusal } from './problems';

/** What the administrator types about a person, when adding one and on the person's page. */
export interface PersonDraft {
  name: string;
  phone: string;
  hsaId: string;
  isAdmin: boolean;
}

/** The fields' ids in a form: `<prefix>-name`, `-phone`, `-hsa` and `-admin`. */
function idsOf(prefix: string) {
  return {
    name: `${prefix}-name`,
    phone: `${prefix}-phone`,
    hsa: `${prefix}-hsa`,
    admin: `${prefix}-admin`,
  };
}

/**
 * What the browser can check: a name, and an HSA-id as the API reads it if one is given.
 * `between` are the problems of the fields after the name (a new person's e-mail address),
 * so the summary lists them in the order of the form.
 */
export function checkPerson(
  t: ReturnType<typeof useAdminT>,
  prefix: string,
  draft: PersonDraft,
  between: Problem[] = [],
): Problem[] {
  const ids = idsOf(prefix);
  const found: Problem[] = [];
  if (!draft.name.trim()) found.push({ field: ids.name, message: t('personNameMissing') });
  found.push(...between);
  if (draft.hsaId.trim() && !parseHsaId(draft.hsaId).ok) {
    found.push({ field: ids.hsa, message: t('hsaInvalid') });
  }
  return found;
}

/**
 * A refused write: a number the API cannot read against the mobile field, a conflict (an
 * address or HSA-id someone else has) against `conflictField`.
 */
export function personRefusal(prefix: string, conflictField: string): Refusal {
  return (failure) =>
    failureProblem(
      failure,
      failure.error === 'invalid_phone'
        ? idsOf(prefix).phone
        : failure.error === 'conflict'
          ? failure.issues?.[0]?.path === 'hsaId'
            ? idsOf(prefix).hsa
            : conflictField
          : undefined,
    );
}

/**
 * Name, mobile and HSA-id side by side (`children` after the name: the e-mail address of a
 * new person), then whether the person is an administrator.
 */
export function PersonFields({
  prefix,
  form,
  draft,
  onDraft,
  adminHint,
  adminLocked = false,
  children,
}: {
  prefix: string;
  form: Form;
  draft: PersonDraft;
  onDraft: (draft: PersonDraft) => void;
  adminHint: string;
  /** Nobody takes their own administrator role away. */
  adminLocked?: boolean;
  children?: ComponentChildren;
}) {
  const t = useAdminT();
  const ids = idsOf(prefix);
  const set =
    <K extends keyof PersonDraft>(key: K) =>
    (value: PersonDraft[K]) =>
      onDraft({ ...draft, [key]: value });
  return (
    <>
      <div class="form-grid">
        <InputField
          {...form.field(ids.name, draft.name, set('name'))}
          label={t('name')}
          maxLength={100}
        />
        {children}
        <InputField
          {...form.field(ids.phone, draft.phone, set('phone'))}
          label={t('mobileNumber')}
          hint={t('personPhoneHint')}
          type="tel"
          maxLength={64}
          optional
          plain
        />
        <InputField
          {...form.field(ids.hsa, draft.hsaId, set('hsaId'))}
          label={t('hsaId')}
          hint={t('personHsaHint')}
          maxLength={64}
          optional
          plain
        />
      </div>
      <CheckboxField
        {...form.field(ids.admin, draft.isAdmin, set('isAdmin'))}
        label={t('personIsAdmin')}
        hint={adminHint}
        disabled={adminLocked}
      />
    </>
  );
}
