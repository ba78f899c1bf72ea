import type { ApiFailure } from '../api';
import { useT } from '../i18n';
import { CodeField } from './CodeField';
import { ErrorBox } from './ErrorBox';
import { ResendButton } from './ResendButton';

/**
 * The code step shared by registration and reset: the code field, its error, "Next", the
 * resend offer after the wait, and a way back. A code that expired or locked leaves only
 * "start over": trying it again cannot work.
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
}) {
  const t = useT();
  const dead = failure?.error === 'expired' || failure?.error === 'locked';
  return (
    <>
      <form onSubmit={onSubmit} noValidate>
        <CodeField value={code} onValue={onCode} />
        <ErrorBox failure={failure} />
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
            <button type="submit" disabled={busy || code.replace(/\s/g, '').length !== 6}>
              {busy ? t('working') : t('next')}
            </button>
          )}
        </div>
      </form>
      {!dead && <ResendButton resendAfter={resendAfter} busy={busy} onResend={onResend} />}
      <button type="button" class="link" onClick={onRestart}>
        {restartLabel}
      </button>
    </>
  );
}
