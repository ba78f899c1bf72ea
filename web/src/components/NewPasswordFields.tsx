import { useId } from 'preact/hooks';
import { characterClasses, checkPassword } from '../../../worker/domain/policy';
import type { ApiFailure, Policy } from '../api';
import { useT } from '../i18n';
import { ErrorBox } from './ErrorBox';
import { PasswordInput } from './PasswordInput';

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
 * A step that only sets a new password: the two fields with their checklist, the error, "Spara
 * lösenordet" (ready once the checklist is met) and one way out.
 */
export function NewPasswordForm({
  policy,
  username,
  password,
  confirmation,
  onPassword,
  onConfirmation,
  failure,
  busy,
  onSubmit,
  leave,
}: {
  policy: Policy;
  username: string;
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
  failure: ApiFailure | null;
  busy: boolean;
  onSubmit: (e: Event) => void;
  leave: { label: string; onClick: () => void };
}) {
  const t = useT();
  const ready = passwordReady(policy, username, password, confirmation);
  return (
    <form onSubmit={onSubmit} noValidate>
      <NewPasswordFields
        policy={policy}
        username={username}
        password={password}
        confirmation={confirmation}
        onPassword={onPassword}
        onConfirmation={onConfirmation}
      />
      <ErrorBox failure={failure} />
      <div class="buttons">
        <button type="submit" disabled={busy || !ready}>
          {busy ? t('working') : t('savePassword')}
        </button>
        <button type="button" class="link" onClick={leave.onClick}>
          {leave.label}
        </button>
      </div>
    </form>
  );
}
