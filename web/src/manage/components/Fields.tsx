import { CodeInput } from '../../components/CodeField';
import { TextField } from '../../components/TextField';
import { usePT } from '../i18n-people';

/** A person's e-mail address; `autoComplete` says whose it is ("username": the person's own). */
export function EmailField({
  hint,
  value,
  onValue,
  autoComplete,
}: {
  hint?: string;
  value: string;
  onValue: (v: string) => void;
  autoComplete?: 'username';
}) {
  const t = usePT();
  return (
    <TextField
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
export function TotpField({ value, onValue }: { value: string; onValue: (v: string) => void }) {
  const t = usePT();
  return (
    <CodeInput label={t('totpCode')} hint={t('totpCodeHint')} value={value} onValue={onValue} />
  );
}
