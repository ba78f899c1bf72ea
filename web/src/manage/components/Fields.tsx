import { CodeInput, codeReady } from '../../components/CodeField';
import type { Problem } from '../../components/ErrorSummary';
import { TextField } from '../../components/TextField';
import { usePT } from '../i18n-people';

/** A person's e-mail address; `autoComplete` says whose it is ("username": the person's own). */
export function EmailField({
  id,
  error,
  hint,
  value,
  onValue,
  autoComplete,
}: {
  id?: string;
  error?: string | undefined;
  hint?: string;
  value: string;
  onValue: (v: string) => void;
  autoComplete?: 'username';
}) {
  const t = usePT();
  return (
    <TextField
      id={id}
      error={error}
      type="email"
      label={t('emailAddress')}
      hint={hint}
      value={value}
      onValue={onValue}
      autoComplete={autoComplete}
      maxLength={254}
    />
  );
}

/** The 6-digit code from an authenticator app (TOTP). */
export function TotpField({
  id,
  error,
  value,
  onValue,
}: {
  id?: string;
  error?: string | undefined;
  value: string;
  onValue: (v: string) => void;
}) {
  const t = usePT();
  return (
    <CodeInput
      id={id}
      error={error}
      label={t('totpCode')}
      hint={t('totpCodeHint')}
      value={value}
      onValue={onValue}
    />
  );
}

/** What keeps an authenticator code from being sent, for the error summary. */
export function totpProblems(t: ReturnType<typeof usePT>, code: string, id: string): Problem[] {
  return codeReady(code) ? [] : [{ field: id, message: t('totpMissing') }];
}
