import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { formatWait, useLang, useT } from '../i18n';

/**
 * An error from the API as a person reads it: the server's own message in their language,
 * how long to wait when there is a wait, tries left, and which server-side password rules
 * (reuse, common passwords) refused it; the page's checklist covers the others. role="alert" makes
 * screen readers announce it as soon as it appears, and it takes the focus from the button
 * that was pressed (or from nowhere), so the next Tab goes on from the error; a person typing
 * in a field (Enter to send) keeps their place.
 */
export function ErrorBox({ failure }: { failure: ApiFailure | null }) {
  const t = useT();
  const lang = useLang();
  const ref = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (failure && !active?.matches('input, select, textarea')) ref.current?.focus();
  }, [failure]);
  if (!failure) return <div class="error-slot" aria-live="assertive" />;
  const message = failure.error === 'network' ? t('networkProblem') : failure.message;
  return (
    <div class="error-slot" aria-live="assertive">
      <p class="error" role="alert" ref={ref} tabIndex={-1}>
        {message}
        {/* A reset blocked for the day says "tomorrow" itself; hours to wait would only confuse. */}
        {failure.retryAfter !== undefined &&
          failure.error !== 'policy' &&
          failure.error !== 'reset_blocked_today' && (
            <> {t('retryIn', { time: formatWait(lang, failure.retryAfter) })}</>
          )}
        {failure.attemptsLeft !== undefined && (
          <> {t('attemptsLeft', { n: failure.attemptsLeft })}</>
        )}
        {failure.violations?.includes('reused') && <> {t('violation_reused')}</>}
        {failure.violations?.includes('common') && <> {t('violation_common')}</>}
        {failure.violations?.includes('domain_policy') && <> {t('violation_domain_policy')}</>}
        {failure.violations?.includes('too_recent') && <> {t('violation_too_recent')}</>}
      </p>
    </div>
  );
}
