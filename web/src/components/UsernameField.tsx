import { useT } from '../i18n';
import { TextField } from './TextField';

/** The mailbox username, as every flow asks for it. */
export function UsernameField({ value, onValue }: { value: string; onValue: (v: string) => void }) {
  const t = useT();
  return (
    <TextField
      label={t('username')}
      hint={t('usernameHint')}
      value={value}
      onValue={onValue}
      autoComplete="username"
      maxLength={64}
      plain
    />
  );
}
