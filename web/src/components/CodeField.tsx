import { useEffect, useId } from 'preact/hooks';
import { extractCode } from '../../../worker/domain/code-text';
import { useT } from '../i18n';
import { describedIds, Field } from './Field';

/** Whether a typed code is whole: six digits, spaces aside. */
export const codeReady = (code: string) => /^\d{6}$/.test(code.replace(/\s/g, ''));

interface OtpCredential extends Credential {
  code: string;
}

/**
 * A 6-digit code's field, whether from an SMS or an authenticator app: numeric keyboard,
 * one-time-code autofill (iOS), and only digits and spaces kept of what is typed.
 */
export function CodeInput({
  id: given,
  error,
  label,
  hint,
  value,
  onValue,
  onPaste,
}: {
  /** For an error summary's link; otherwise one of its own. */
  id?: string;
  error?: string | undefined;
  label: string;
  hint: string;
  value: string;
  onValue: (code: string) => void;
  onPaste?: (e: ClipboardEvent) => void;
}) {
  const own = useId();
  const id = given ?? own;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        class="code-input"
        value={value}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        maxLength={7}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={describedIds(id, hint, error)}
        onInput={(e) => onValue(e.currentTarget.value.replace(/[^\d ]/g, '').slice(0, 7))}
        onPaste={onPaste}
      />
    </Field>
  );
}

/**
 * The SMS code's field: WebOTP where the browser has it (Android Chrome reads the
 * `@host #code` line of the SMS), and a paste of the whole SMS text keeps only the code.
 */
export function CodeField({
  id,
  error,
  value,
  onValue,
}: {
  id?: string;
  error?: string | undefined;
  value: string;
  onValue: (code: string) => void;
}) {
  const t = useT();

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
    <CodeInput
      id={id}
      error={error}
      label={t('codeLabel')}
      hint={t('codeHint')}
      value={value}
      onValue={onValue}
      onPaste={(e) => {
        const code = extractCode(e.clipboardData?.getData('text') ?? '');
        if (code) {
          e.preventDefault();
          onValue(code);
        }
      }}
    />
  );
}
