import { useEffect, useId } from 'preact/hooks';
import { extractCode } from '../../../worker/domain/code-text';
import { useT } from '../i18n';

interface OtpCredential extends Credential {
  code: string;
}

/**
 * The 6-digit code field: numeric keyboard, one-time-code autofill (iOS), WebOTP where the
 * browser has it (Android Chrome reads the `@host #code` line of the SMS), and a paste of
 * the whole SMS text keeps only the code.
 */
export function CodeField({ value, onValue }: { value: string; onValue: (code: string) => void }) {
  const t = useT();
  const id = useId();
  const hintId = `${id}-hint`;

  useEffect(() => {
    if (!('OTPCredential' in window)) return;
    const abort = new AbortController();
    navigator.credentials
      .get({ otp: { transport: ['sms'] }, signal: abort.signal } as CredentialRequestOptions)
      .then((credential) => {
        const code = (credential as OtpCredential | null)?.code;
        if (code) onValue(code);
      })
      .catch(() => {
        // Aborted, refused or unsupported: typing works as before.
      });
    return () => abort.abort();
  }, [onValue]);

  return (
    <div class="field">
      <label for={id}>{t('codeLabel')}</label>
      <p id={hintId} class="hint">
        {t('codeHint')}
      </p>
      <input
        id={id}
        class="code-input"
        value={value}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        maxLength={7}
        required
        aria-describedby={hintId}
        onInput={(e) => onValue(e.currentTarget.value.replace(/[^\d ]/g, '').slice(0, 7))}
        onPaste={(e) => {
          const text = e.clipboardData?.getData('text') ?? '';
          const code = extractCode(text);
          if (code) {
            e.preventDefault();
            onValue(code);
          }
        }}
      />
    </div>
  );
}
