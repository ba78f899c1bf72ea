import { formatWait, useLang, useT } from '../i18n';
import { useNow } from './use-now';

/**
 * "Send the same code again", offered only after the 3 minutes the guide asks people to
 * wait; until then it says how long is left. The countdown text is not a live region
 * (a second-by-second announcement would drown the form); the button's appearance is.
 */
export function ResendButton({
  resendAfter,
  busy,
  onResend,
}: {
  resendAfter: string;
  busy: boolean;
  onResend: () => void;
}) {
  const t = useT();
  const lang = useLang();
  const now = useNow();
  const wait = (Date.parse(resendAfter) - now) / 1000;
  return (
    <div class="resend">
      {wait > 0 ? (
        <p class="hint">{t('resendWait', { time: formatWait(lang, wait) })}</p>
      ) : (
        <div aria-live="polite">
          <button type="button" class="secondary" disabled={busy} onClick={onResend}>
            {t('resendNow')}
          </button>
          <p class="hint">{t('resendExplain')}</p>
        </div>
      )}
    </div>
  );
}
