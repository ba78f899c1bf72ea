import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { characterClasses, checkPassword } from '../../../worker/domain/policy';
import type { ApiFailure, Policy } from '../api';
import { useAppData } from '../app-data';
import { useT } from '../i18n';
import { ErrorBox } from './ErrorBox';
import { ErrorSummary, type Problem, useProblems } from './ErrorSummary';
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

/** A rule of the checklist: met (✓), not yet met (○), or broken by what is typed (✗, red). */
type RuleState = 'ok' | 'todo' | 'broken';

const MARK: Record<RuleState, string> = { ok: '✓', todo: '○', broken: '✗' };

/**
 * The new password twice, with a live checklist computed by the same policy module the
 * worker uses, so the page and the server can never disagree about the rules. Reuse and
 * the common-password list are the server's to judge (it knows the history and the whole
 * list): those two rows stay open until it refuses a password, then show ✗ until the password
 * is edited. A rule the typed password breaks (Å, the username) is ✗ at once; after a submit
 * with the list not met, every open row is ✗ as well.
 */
export function NewPasswordFields({
  policy,
  username,
  password,
  confirmation,
  onPassword,
  onConfirmation,
  refused = [],
  submitted = false,
  ids,
  errors = {},
}: {
  policy: Policy;
  username: string;
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
  /** What the server refused this password for ('reused', 'common'). */
  refused?: readonly string[];
  /** A submit found the list not met: open rows are shown as broken. */
  submitted?: boolean;
  ids?: { password: string; confirmation: string };
  errors?: { password?: string | undefined; confirmation?: string | undefined };
}) {
  const t = useT();
  const listId = useId();
  const violations = checkPassword(password, policy, { username, confirmation });
  const classes = characterClasses(password);
  const classCount = [classes.upper, classes.lower, classes.digit, classes.special].filter(
    Boolean,
  ).length;
  /** Met, or broken when `broken` (or after a submit), else still open. */
  const state = (ok: boolean, broken = false): RuleState =>
    ok ? 'ok' : broken || submitted ? 'broken' : 'todo';
  /** Judged by the server: never ✓ here, ✗ once it refused (the page's list judges common too). */
  const server = (broken: boolean): RuleState => (broken ? 'broken' : 'todo');
  const rules = [
    {
      key: 'length',
      state: state(!violations.includes('too_short')),
      text: t('ruleLength', { n: policy.minLength }),
    },
    {
      key: 'classes',
      state: state(classCount >= policy.minClasses),
      text: t('ruleClasses', { n: policy.minClasses }),
    },
    {
      key: 'characters',
      state: state(
        password.length > 0 && !violations.includes('invalid_characters'),
        violations.includes('invalid_characters'),
      ),
      text: t('ruleCharacters'),
    },
    {
      key: 'username',
      state: state(
        password.length > 0 && !violations.includes('contains_username'),
        violations.includes('contains_username'),
      ),
      text: t('ruleUsername'),
    },
    {
      key: 'match',
      state: state(confirmation.length > 0 && !violations.includes('mismatch')),
      text: t('ruleMatch'),
    },
    {
      key: 'reused',
      state: server(refused.includes('reused')),
      text: t('ruleReused'),
    },
    {
      key: 'common',
      state: server(
        refused.includes('common') || (password.length > 0 && violations.includes('common')),
      ),
      text: t('ruleCommon'),
    },
  ];
  const said: Record<RuleState, string> = {
    ok: t('ruleMet'),
    todo: t('ruleNotMet'),
    broken: t('ruleBroken'),
  };
  return (
    <>
      <PasswordInput
        id={ids?.password}
        error={errors.password}
        label={t('newPassword')}
        value={password}
        onValue={onPassword}
        autoComplete="new-password"
        describedBy={listId}
      />
      <PasswordInput
        id={ids?.confirmation}
        error={errors.confirmation}
        label={t('confirmPassword')}
        value={confirmation}
        onValue={onConfirmation}
        autoComplete="new-password"
      />
      <div class="checklist" id={listId}>
        <p class="checklist-heading">{t('checklistHeading')}</p>
        <ul>
          {rules.map((rule) => (
            <li key={rule.key} class={`rule ${rule.state}`}>
              <span class="rule-mark" aria-hidden="true">
                {MARK[rule.state]}
              </span>
              <span>
                {rule.text}
                <span class="visually-hidden"> ({said[rule.state]})</span>
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
 * What keeps the password from being sent, as the error summary and the fields say it: the
 * rules the page can judge (the server still judges reuse), and the confirmation.
 */
export function passwordProblems(
  policy: Policy,
  username: string,
  password: string,
  confirmation: string,
  ids: { password: string; confirmation: string },
  t: ReturnType<typeof useT>,
): Problem[] {
  const violations = checkPassword(password, policy, { username, confirmation });
  const problems: Problem[] = [];
  if (violations.some((v) => v !== 'common' && v !== 'mismatch')) {
    problems.push({ field: ids.password, message: t('passwordFixRules') });
  }
  if (!confirmation || violations.includes('mismatch')) {
    problems.push({ field: ids.confirmation, message: t('passwordFixMatch') });
  }
  return problems;
}

/**
 * The form that sets a new password: any fields it needs first (`children`: who and the
 * current password), the two fields with their checklist, the error, `extra` (the human check
 * where the call has one), "Spara lösenordet" and one way out. A submit with something
 * missing shows the error summary (`before` adds the problems of the fields in `children`). A
 * refusal from the server (and the rows it marks) is shown only while the password is the one
 * it refused: it goes as soon as the person edits it, and comes back if they type it again.
 */
export function NewPasswordForm({
  username,
  value,
  failure,
  busy,
  onSave,
  before,
  leave,
  children,
  extra,
}: {
  username: string;
  value: NewPassword;
  failure: ApiFailure | null;
  busy: boolean;
  onSave: () => void;
  before?: () => Problem[];
  leave: { label: string; onClick: () => void };
  /** The fields before the new password, given the summary's word for a field by its id. */
  children?: (error: (field: string) => string | undefined) => ComponentChildren;
  extra?: ComponentChildren;
}) {
  const t = useT();
  const { policy } = useAppData();
  const check = useProblems();
  const base = useId();
  const ids = { password: `${base}-new`, confirmation: `${base}-again` };
  const typed = `${value.password}\n${value.confirmation}`;
  const refusal = useRef({ failure, typed });
  if (refusal.current.failure !== failure) refusal.current = { failure, typed };
  const shown = refusal.current.typed === typed ? failure : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (busy) return;
        const problems = [
          ...(before?.() ?? []),
          ...passwordProblems(policy, username, value.password, value.confirmation, ids, t),
        ];
        if (!check.found(problems)) onSave();
      }}
      noValidate
    >
      <ErrorSummary problems={check.problems} />
      {children?.(check.error)}
      <NewPasswordFields
        policy={policy}
        username={username}
        {...value}
        refused={shown?.violations ?? []}
        submitted={check.problems.some((p) => p.field === ids.password)}
        ids={ids}
        errors={{
          password: check.error(ids.password),
          confirmation: check.error(ids.confirmation),
        }}
      />
      <ErrorBox failure={shown} />
      {extra}
      <FormButtons label={t('savePassword')} busy={busy} leave={leave} />
    </form>
  );
}
