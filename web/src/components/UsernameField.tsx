import { useT } from '../i18n';
import { PasswordInput } from './PasswordInput';
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

/** The mailbox's username and its current password, as signing in and changing ask for them. */
export function CredentialFields({
  username,
  onUsername,
  password,
  onPassword,
}: {
  username: string;
  onUsername: (v: string) => void;
  password: string;
  onPassword: (v: string) => void;
}) {
  const t = useT();
  return (
    <>
      <UsernameField value={username} onValue={onUsername} />
      <PasswordInput
        label={t('currentPassword')}
        value={password}
        onValue={onPassword}
        autoComplete="current-password"
      />
    </>
  );
}
