import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useT } from '../i18n';
import { CodeField, codeReady } from './CodeField';
import { ErrorBox } from './ErrorBox';
import { ErrorSummary, useProblems } from './ErrorSummary';
import { SubmitButton } from './FormButtons';
import { ResendButton } from './ResendButton';

/**
 * The code step shared by registration and reset: the code field, its error, "Next", the
 * resend offer after the wait, and a way back. A code that expired or locked, or a reset
 * blocked for the day, leaves only "start over": trying it again cannot work. `children`
 * (advice about the error) are read right after the error.
 */
const CODE_ID = 'sms-code';

export function CodeForm({
  code,
  onCode,
  busy,
  failure,
  notice,
  resendAfter,
  onResend,
  onSubmit,
  onRestart,
  restartLabel,
  children,
}: {
  code: string;
  onCode: (code: string) => void;
  busy: boolean;
  failure: ApiFailure | null;
  notice?: string | null;
  resendAfter: string;
  onResend: () => void;
  onSubmit: (e: Event) => void;
  onRestart: () => void;
  restartLabel: string;
  children?: ComponentChildren;
}) {
  const t = useT();
  // Trying this code again cannot work: it expired, locked, or the day's wrong codes are spent.
  const dead =
    failure?.error === 'expired' ||
    failure?.error === 'locked' ||
    failure?.error === 'reset_blocked_today';
  const form = useRef<HTMLFormElement>(null);
  const problems = useProblems();
  // After a refusal the focus goes back to the code (still there, to correct), or to "start
  // over" when only that can help, so a keyboard or screen-reader user goes on from where they
  // were, not from the button they pressed or the page's top. Enter in the field stays there.
  useEffect(() => {
    if (!failure) return;
    const active = document.activeElement;
    if (active instanceof HTMLInputElement && form.current?.contains(active)) return;
    const target = dead ? 'button[type=button]' : 'input';
    form.current?.querySelector<HTMLElement>(target)?.focus();
  }, [failure, dead]);
  return (
    <>
      <form
        ref={form}
        onSubmit={(e) => {
          e.preventDefault();
          if (busy) return;
          const bad = codeReady(code) ? [] : [{ field: CODE_ID, message: t('codeMissing') }];
          if (!problems.found(bad)) onSubmit(e);
        }}
        noValidate
      >
        <ErrorSummary problems={problems.problems} />
        <CodeField id={CODE_ID} error={problems.error(CODE_ID)} value={code} onValue={onCode} />
        <ErrorBox failure={failure} />
        {children}
        {notice && !failure && (
          <p class="hint" role="status">
            {notice}
          </p>
        )}
        <div class="buttons">
          {dead ? (
            <button type="button" onClick={onRestart}>
              {t('startOver')}
            </button>
          ) : (
            <SubmitButton label={t('next')} busy={busy} />
          )}
        </div>
      </form>
      {!dead && <ResendButton resendAfter={resendAfter} busy={busy} onResend={onResend} />}
      {!dead && (
        <button type="button" class="link" onClick={onRestart}>
          {restartLabel}
        </button>
      )}
    </>
  );
}
