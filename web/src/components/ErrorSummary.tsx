import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';

/** One thing wrong with a form: the id of the field it belongs to (if any) and what to do. */
export interface Problem {
  field?: string;
  message: string;
}

/** The field itself, or the first control inside a group (a password pair, a fieldset). */
export function focusField(id: string) {
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
 * screen-reader users land on the list and can jump straight to the field to fix. Its
 * heading is one level below the form's own (an h4 in a form under an h3).
 */
export function ErrorSummary({ problems, level = 2 }: { problems: Problem[]; level?: 2 | 4 }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (problems.length > 0) ref.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  const Heading = level === 2 ? 'h2' : 'h4';
  return (
    // As GOV.UK Frontend: the box takes focus, the inner alert is announced once.
    <div class="error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <Heading class="error-summary-heading">{t('problemHeading')}</Heading>
        <ul>
          {problems.map((p) => {
            // A problem without words is a call that got no answer.
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

/** What is wrong with one field or group, under its label; "Fel:" is read before it. */
export function FieldError({ id, message }: { id?: string; message: string }) {
  const t = useT();
  return (
    <p id={id} class="field-error">
      <span class="visually-hidden">{t('errorPrefix')} </span>
      {message}
    </p>
  );
}

/**
 * A form's problems as its submit found them: `found(list)` shows them (true: stop) or clears
 * the summary (false: go on); `error(field)` is the one under that field's label. They stay
 * until the next submit, as the summary's links must keep pointing somewhere.
 */
export function useProblems() {
  const [problems, setProblems] = useState<Problem[]>([]);
  return {
    problems,
    found(list: Problem[]) {
      setProblems(list);
      return list.length > 0;
    },
    error: (field: string) => problems.find((p) => p.field === field)?.message,
  };
}
