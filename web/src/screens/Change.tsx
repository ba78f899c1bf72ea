import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { type ApiFailure, api, type MailboxView } from '../api';
import { useHumanCheck } from '../components/HumanCheck';
import { NewPasswordForm, useNewPassword } from '../components/NewPasswordFields';
import { PasswordChanged } from '../components/PasswordChanged';
import { StepHeading } from '../components/StepHeading';
import { CredentialFields, credentialProblems } from '../components/UsernameField';
import { useT } from '../i18n';
import { ROUTES } from '../router';

/**
 * Change with the current password, on one screen: signs in, changes, confirms, and offers
 * to share the new password with the unit's staff (the session that changed it is what
 * allows that), signing out when the person leaves. The passwords live only in this
 * component's memory, never in storage.
 */
export function Change() {
  const t = useT();
  const { route } = useLocation();
  const [username, setUsername] = useState('');
  const [current, setCurrent] = useState('');
  const chosen = useNewPassword();
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ username: string; changedAt: number } | null>(null);

  const check = useHumanCheck(() => void change());

  async function change() {
    setBusy(true);
    setFailure(null);
    const login = await api<MailboxView>(
      'POST',
      '/api/mailbox/session',
      { username, password: current },
      check.headers(),
    );
    check.settle(login);
    if (!login.ok) {
      setBusy(false);
      return setFailure(login);
    }
    const res = await api('POST', '/api/mailbox/password', {
      currentPassword: current,
      newPassword: chosen.password,
    });
    setBusy(false);
    if (!res.ok) {
      await api('DELETE', '/api/mailbox/session');
      return setFailure(res);
    }
    setCurrent('');
    chosen.clear();
    // The session stays while the confirmation and the share offer are on screen.
    setDone({ username: login.data.username, changedAt: Date.now() });
  }

  if (done) return <Changed username={done.username} changedAt={done.changedAt} />;

  return (
    <section>
      <StepHeading>{t('changeHeading')}</StepHeading>
      <p>{t('changeIntro')}</p>
      <NewPasswordForm
        username={username.trim()}
        value={chosen}
        failure={failure}
        busy={busy}
        onSave={() => void change()}
        before={() => credentialProblems(t, username, current)}
        leave={{ label: t('cancel'), onClick: () => route(ROUTES.start) }}
        extra={check.view}
      >
        {(error) => (
          <CredentialFields
            username={username}
            onUsername={setUsername}
            password={current}
            onPassword={setCurrent}
            error={error}
          />
        )}
      </NewPasswordForm>
    </section>
  );
}

/** The confirmation in the session that made the change; leaving it signs out. */
export function Changed({
  username,
  changedAt,
  next,
}: {
  username: string;
  changedAt: number;
  next?: { label: string; onClick: () => void };
}) {
  const kept = useRef(next !== undefined);
  const signedOut = useRef(false);
  const signOut = async () => {
    if (signedOut.current) return;
    signedOut.current = true;
    await api('DELETE', '/api/mailbox/session');
  };
  // Leaving the screen any way signs out, unless the flow goes on with the session.
  useEffect(
    () => () => {
      if (!kept.current) void signOut();
    },
    [],
  );
  return (
    <PasswordChanged
      username={username}
      changedAt={changedAt}
      share={{
        load: () => api('GET', '/api/mailbox/staff'),
        send: (staffIds) => api('POST', '/api/mailbox/handovers', { staffIds }),
      }}
      {...(next ? { next } : { onFinish: signOut })}
    />
  );
}
