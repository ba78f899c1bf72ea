import { useT } from '../i18n';
import type { Problem } from './ErrorSummary';
import { PasswordInput } from './PasswordInput';
import { TextField } from './TextField';

/** The ids the error summary links to: the username and the current password. */
export const CREDENTIAL_IDS = { username: 'mailbox-username', password: 'mailbox-password' };

/** What is missing before a username (and, with `password`, the current password) can go. */
export function credentialProblems(
  t: ReturnType<typeof useT>,
  username: string,
  password?: string,
): Problem[] {
  const problems: Problem[] = [];
  if (username.trim().length < 2) {
    problems.push({ field: CREDENTIAL_IDS.username, message: t('usernameMissing') });
  }
  if (password === '') {
    problems.push({ field: CREDENTIAL_IDS.password, message: t('currentPasswordMissing') });
  }
  return problems;
}

/** The mailbox username, as every flow asks for it. */
export function UsernameField({
  value,
  onValue,
  error,
}: {
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
}) {
  const t = useT();
  return (
    <TextField
      id={CREDENTIAL_IDS.username}
      error={error}
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
  error = () => undefined,
}: {
  username: string;
  onUsername: (v: string) => void;
  password: string;
  onPassword: (v: string) => void;
  /** The error summary's word for a field, by its id. */
  error?: (field: string) => string | undefined;
}) {
  const t = useT();
  return (
    <>
      <UsernameField value={username} onValue={onUsername} error={error(CREDENTIAL_IDS.username)} />
      <PasswordInput
        id={CREDENTIAL_IDS.password}
        error={error(CREDENTIAL_IDS.password)}
        label={t('currentPassword')}
        value={password}
        onValue={onPassword}
        autoComplete="current-password"
      />
    </>
  );
}
