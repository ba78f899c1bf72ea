import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useT } from '../i18n';
import { CodeField, codeReady } from './CodeField';
import { ErrorBox } from './ErrorBox';
import { ResendButton } from './ResendButton';

/**
 * The code step shared by registration and reset: the code field, its error, "Next", the
 * resend offer after the wait, and a way back. A code that expired or locked, or a reset
 * blocked for the day, leaves only "start over": trying it again cannot work. `children`
 * (advice about the error) are read right after the error.
 */
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
  // "Next" is disabled while the code is checked, and a disabled button loses the focus: after
  // a refusal the focus goes back to the code, or to "start over" when only that can help, so
  // a keyboard or screen-reader user goes on from where they were, not from the page's top.
  useEffect(() => {
    if (!failure || form.current?.contains(document.activeElement)) return;
    const target = dead ? 'button[type=button]' : 'input';
    form.current?.querySelector<HTMLElement>(target)?.focus();
  }, [failure, dead]);
  return (
    <>
      <form ref={form} onSubmit={onSubmit} noValidate>
        <CodeField value={code} onValue={onCode} />
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
            <button type="submit" disabled={busy || !codeReady(code)}>
              {busy ? t('working') : t('next')}
            </button>
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
