import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ApiFailure } from '../../api';
import { useLang } from '../../i18n';
import { Dialog as PeopleDialog } from '../components/Dialog';
import { formatDateTime, formatShortDay, formatWhen } from '../format';
import type { Load } from '../page-data';
import { useAdminT } from './i18n-admin';

/** The GET a screen stands on: the managing app's one data hook, for its pages too. */
export { useResource } from '../page-data';

/** One thing wrong with a form: the id of the field it belongs to (if any) and what to do. */
export interface Problem {
  field?: string;
  message: string;
}

export function problemFor(problems: Problem[], field: string): string | undefined {
  return problems.find((p) => p.field === field)?.message;
}

/** A failed call as a problem: the API's own message (localised), or "no connection". */
export function failureProblem(failure: ApiFailure, field?: string): Problem {
  return {
    field,
    message: failure.error === 'network' || !failure.message ? '' : failure.message,
  };
}

/** The field itself, or the first control inside a group (a password pair, a fieldset). */
function focusField(id: string) {
  const target = document.getElementById(id);
  const control = target?.matches('input, select, textarea, button')
    ? target
    : target?.querySelector<HTMLElement>('input, select, textarea');
  control?.focus();
  control?.scrollIntoView({ block: 'center' });
}

/**
 * The GOV.UK error summary pattern: after a failed submit, a box at the top of the form
 * takes focus, says what is wrong, and links each problem to its field, so keyboard and
 * screen-reader users land on the list and can jump straight to the field to fix.
 */
export function ErrorSummary({ problems }: { problems: Problem[] }) {
  const t = useAdminT();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (problems.length > 0) ref.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  return (
    // As GOV.UK Frontend: the box takes focus, the inner alert is announced once.
    <div class="error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2>{t('problemHeading')}</h2>
        <ul>
          {problems.map((p) => {
            const message = p.message || t('networkProblem');
            return (
              <li key={`${p.field}:${message}`}>
                {p.field ? (
                  <a
                    href={`#${p.field}`}
                    onClick={(e) => {
                      e.preventDefault();
                      focusField(p.field as string);
                    }}
                  >
                    {message}
                  </a>
                ) : (
                  message
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

/** Label, hint and error of one field, wired to the control through ids. */
function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
  optional = false,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  optional?: boolean;
  children: ComponentChildren;
}) {
  const t = useAdminT();
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {label}
        {optional && <span class="optional"> {t('optional')}</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          <span class="visually-hidden">{t('errorPrefix')} </span>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

function describedBy(id: string, hint?: string, error?: string) {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

export function InputField({
  id,
  label,
  hint,
  error,
  value,
  onValue,
  type = 'text',
  autoComplete = 'off',
  inputMode,
  maxLength,
  optional = false,
  plain = false,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email' | 'tel' | 'date';
  autoComplete?: string;
  inputMode?: 'text' | 'email' | 'tel';
  maxLength: number;
  optional?: boolean;
  /** Usernames, addresses and ids: no capitalisation, correction or spell checking. */
  plain?: boolean;
}) {
  const props = {
    id,
    value,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
    autoComplete,
    inputMode,
    maxLength,
    required: !optional,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
    autoCapitalize: plain ? 'none' : undefined,
    autoCorrect: plain ? 'off' : undefined,
    spellcheck: plain ? false : undefined,
  } as const;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      {type === 'email' ? (
        <input type="email" {...props} />
      ) : type === 'tel' ? (
        <input type="tel" {...props} />
      ) : type === 'date' ? (
        <input type="date" {...props} />
      ) : (
        <input type="text" {...props} />
      )}
    </FieldFrame>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  value,
  onValue,
  options,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        value={value}
        onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function TextAreaField({
  id,
  label,
  hint,
  error,
  value,
  onValue,
  rows,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
  rows: number;
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        value={value}
        rows={rows}
        onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
        autoCapitalize="none"
        autoCorrect="off"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

export function CheckboxField({
  id,
  label,
  hint,
  checked,
  onChecked,
  disabled = false,
}: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <div class="field check">
      <input
        type="checkbox"
        id={id}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChecked((e.currentTarget as HTMLInputElement).checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label for={id}>{label}</label>
        {hint && (
          <p id={`${id}-hint`} class="hint">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * One option of a radio group. The hint sits outside the label and is tied to the input as
 * its description, so the option's name stays short ("Chef") and the hint is read after it.
 */
export function RadioOption({
  id,
  name,
  label,
  hint,
  checked,
  onSelect,
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  checked: boolean;
  onSelect: () => void;
}) {
  return (
    <div class="radio">
      <input
        type="radio"
        id={id}
        name={name}
        checked={checked}
        onChange={onSelect}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/**
 * A polite live region that is always in the page, so a confirmation ("Enheten är skapad")
 * is announced when its text appears; an empty region is hidden from view.
 */
export function LiveStatus({
  message,
  tone = 'success',
}: {
  message: string | null;
  /** `info` for news that is not a finished change, such as how many entries are shown. */
  tone?: 'success' | 'info';
}) {
  return (
    <div class="live-status" role="status">
      {message && <p class={tone === 'success' ? 'success' : 'hint'}>{message}</p>}
    </div>
  );
}

/** "Loading…" while a list is on its way, the error with a retry when it failed. */
export function LoadState<T>({
  load,
  reload,
}: {
  load: Load<T>;
  reload: () => void;
}): JSX.Element | null {
  const t = useAdminT();
  if (load.state === 'loading' && load.data === null) {
    return (
      <p class="hint" role="status">
        {t('loading')}
      </p>
    );
  }
  if (load.state === 'failed') {
    return (
      <div class="error" role="alert">
        <p>{load.failure.error === 'network' ? t('networkProblem') : load.failure.message}</p>
        <button type="button" class="secondary" onClick={reload}>
          {t('tryAgain')}
        </button>
      </div>
    );
  }
  return null;
}

/** The people screens' modal dialog (native <dialog>, focus on its heading, Esc cancels). */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  return (
    <PeopleDialog title={title} onCancel={onClose}>
      {children}
    </PeopleDialog>
  );
}

/** "Are you sure?" for a change that cuts someone off (disable) or replaces a list. */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  busy,
  problems,
  onConfirm,
  onClose,
}: {
  title: string;
  body: ComponentChildren;
  confirmLabel: string;
  busy: boolean;
  problems: Problem[];
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useAdminT();
  return (
    <Dialog title={title} onClose={onClose}>
      <ErrorSummary problems={problems} />
      <div class="dialog-body">{body}</div>
      <div class="buttons">
        <button type="button" class="danger" onClick={onConfirm} disabled={busy}>
          {busy ? t('working') : confirmLabel}
        </button>
        <button type="button" class="secondary" onClick={onClose} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </Dialog>
  );
}

/** A link inside the app that navigates without a page load. */
export function AppLink({
  href,
  class: className,
  children,
  current = false,
}: {
  href: string;
  class?: string;
  children: ComponentChildren;
  current?: boolean;
}) {
  return (
    <a href={href} class={className} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

/**
 * Moments and days in the reader's language, in Swedish time, the way the municipality
 * reads its clocks: "3 mars 2026 14:05", "3 mars 2026", and "14:05" for a moment today.
 */
export function useFormat() {
  const lang = useLang();
  return {
    dateTime: (iso: string) => formatDateTime(lang, iso),
    day: (iso: string) => formatShortDay(lang, iso),
    when: (iso: string) => formatWhen(lang, iso),
  };
}

/** Whether a text is shaped like an e-mail address (the server has the last word). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}
