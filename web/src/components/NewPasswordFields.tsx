import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { characterClasses, checkPassword } from '../../../worker/domain/policy';
import type { ApiFailure, Policy } from '../api';
import { useAppData } from '../app-data';
import { useT } from '../i18n';
import { ErrorBox } from './ErrorBox';
import { FormButtons } from './FormButtons';
import { PasswordInput } from './PasswordInput';

/**
 * A new password and its confirmation as the person types them, named as NewPasswordFields
 * takes them; `clear` empties both.
 */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  return {
    password,
    confirmation,
    onPassword: setPassword,
    onConfirmation: setConfirmation,
    clear() {
      setPassword('');
      setConfirmation('');
    },
  };
}

export type NewPassword = ReturnType<typeof useNewPassword>;

/**
 * The new password twice, with a live checklist computed by the same policy module the
 * worker uses, so the page and the server can never disagree about the rules. Reuse and
 * the common-password list are judged by the server (it knows the history).
 */
export function NewPasswordFields({
  policy,
  username,
  password,
  confirmation,
  onPassword,
  onConfirmation,
}: {
  policy: Policy;
  username: string;
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
}) {
  const t = useT();
  const listId = useId();
  const violations = checkPassword(password, policy, { username, confirmation });
  const classes = characterClasses(password);
  const classCount = [classes.upper, classes.lower, classes.digit, classes.special].filter(
    Boolean,
  ).length;
  const rules = [
    {
      key: 'length',
      ok: !violations.includes('too_short'),
      text: t('ruleLength', { n: policy.minLength }),
    },
    {
      key: 'classes',
      ok: classCount >= policy.minClasses,
      text: t('ruleClasses', { n: policy.minClasses }),
    },
    {
      key: 'characters',
      ok: password.length > 0 && !violations.includes('invalid_characters'),
      text: t('ruleCharacters'),
    },
    {
      key: 'username',
      ok: password.length > 0 && !violations.includes('contains_username'),
      text: t('ruleUsername'),
    },
    {
      key: 'match',
      ok: confirmation.length > 0 && !violations.includes('mismatch'),
      text: t('ruleMatch'),
    },
  ];
  return (
    <>
      <PasswordInput
        label={t('newPassword')}
        value={password}
        onValue={onPassword}
        autoComplete="new-password"
        describedBy={listId}
      />
      <PasswordInput
        label={t('confirmPassword')}
        value={confirmation}
        onValue={onConfirmation}
        autoComplete="new-password"
      />
      <div class="checklist" id={listId}>
        <p class="checklist-heading">{t('checklistHeading')}</p>
        <ul>
          {rules.map((rule) => (
            <li key={rule.key} class={rule.ok ? 'rule ok' : 'rule'}>
              <span class="rule-mark" aria-hidden="true">
                {rule.ok ? '✓' : '○'}
              </span>
              <span>
                {rule.text}
                <span class="visually-hidden"> ({rule.ok ? t('ruleMet') : t('ruleNotMet')})</span>
              </span>
            </li>
          ))}
        </ul>
        <p class="hint">{t('ruleServer')}</p>
      </div>
    </>
  );
}

/** True when everything the page can judge is met (the server still judges reuse). */
export function passwordReady(
  policy: Policy,
  username: string,
  password: string,
  confirmation: string,
) {
  return (
    checkPassword(password, policy, { username, confirmation }).filter((v) => v !== 'common')
      .length === 0 && confirmation.length > 0
  );
}

/**
 * The form that sets a new password: any fields it needs first (`children`: who and the
 * current password), the two fields with their checklist, the error, `extra` (the human check
 * where the call has one), "Spara lösenordet" (ready once the checklist is met and `ready`) and
 * one way out.
 */
export function NewPasswordForm({
  username,
  value,
  failure,
  busy,
  onSave,
  ready = true,
  leave,
  children,
  extra,
}: {
  username: string;
  value: NewPassword;
  failure: ApiFailure | null;
  busy: boolean;
  onSave: () => void;
  ready?: boolean;
  leave: { label: string; onClick: () => void };
  children?: ComponentChildren;
  extra?: ComponentChildren;
}) {
  const t = useT();
  const { policy } = useAppData();
  const complete = ready && passwordReady(policy, username, value.password, value.confirmation);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (complete) onSave();
      }}
      noValidate
    >
      {children}
      <NewPasswordFields policy={policy} username={username} {...value} />
      <ErrorBox failure={failure} />
      {extra}
      <FormButtons label={t('savePassword')} busy={busy} ready={complete} leave={leave} />
    </form>
  );
}
