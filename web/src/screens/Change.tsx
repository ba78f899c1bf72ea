import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api';
import { useAppData } from '../app-data';
import { ErrorBox } from '../components/ErrorBox';
import { InternalNetworkNotice } from '../components/InternalNetworkNotice';
import { NewPasswordFields, passwordReady } from '../components/NewPasswordFields';
import { PasswordChanged } from '../components/PasswordChanged';
import { PasswordInput } from '../components/PasswordInput';
import { ShareStep } from '../components/ShareStep';
import { StepHeading } from '../components/StepHeading';
import { UsernameField } from '../components/UsernameField';
import { useT } from '../i18n';
import { navigate, ROUTES } from '../router';

/**
 * Change with the current password, on one screen: signs in, changes, offers to share the
 * new password with the unit's staff (issue 6; the session that changed it is what allows
 * that), then signs out. The passwords live only in this component's memory, never in storage.
 */
export function Change() {
  const t = useT();
  const { policy } = useAppData();
  const [username, setUsername] = useState('');
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ username: string; changedAt: number } | null>(null);
  const [sharing, setSharing] = useState<{ username: string; changedAt: number } | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const login = await api<{ username: string }>('POST', '/api/mailbox/session', {
      username,
      password: current,
    });
    if (!login.ok) {
      setBusy(false);
      return setFailure(login);
    }
    const res = await api('POST', '/api/mailbox/password', {
      currentPassword: current,
      newPassword: password,
    });
    setBusy(false);
    if (!res.ok) {
      await api('DELETE', '/api/mailbox/session');
      return setFailure(res);
    }
    setCurrent('');
    setPassword('');
    setConfirmation('');
    // The session stays until the person has shared or skipped, then signs out as before.
    setSharing({ username: login.data.username, changedAt: Date.now() });
  }

  if (done) return <PasswordChanged username={done.username} changedAt={done.changedAt} />;
  if (sharing) {
    return (
      <SharingSession
        onFinish={() => {
          setSharing(null);
          setDone(sharing);
        }}
      />
    );
  }

  const ready =
    username.trim().length > 1 &&
    current.length > 0 &&
    passwordReady(policy, username.trim(), password, confirmation);
  return (
    <section>
      <StepHeading>{t('changeHeading')}</StepHeading>
      <InternalNetworkNotice />
      <p>{t('changeIntro')}</p>
      <form onSubmit={submit} noValidate>
        <UsernameField value={username} onValue={setUsername} />
        <PasswordInput
          label={t('currentPassword')}
          value={current}
          onValue={setCurrent}
          autoComplete="current-password"
        />
        <NewPasswordFields
          policy={policy}
          username={username.trim()}
          password={password}
          confirmation={confirmation}
          onPassword={setPassword}
          onConfirmation={setConfirmation}
        />
        <ErrorBox failure={failure} />
        <div class="buttons">
          <button type="submit" disabled={busy || !ready}>
            {busy ? t('working') : t('savePassword')}
          </button>
          <button type="button" class="link" onClick={() => navigate(ROUTES.start)}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The share step in the session that made the change; signing out when it ends or is left. */
function SharingSession({ onFinish }: { onFinish: () => void }) {
  const signedOut = useRef(false);
  const signOut = () => {
    if (signedOut.current) return Promise.resolve();
    signedOut.current = true;
    return api('DELETE', '/api/mailbox/session');
  };
  // Leaving the page any other way (another screen, the start page) signs out too.
  useEffect(() => () => void signOut(), []);
  return (
    <ShareStep
      load={() => api('GET', '/api/mailbox/staff')}
      send={(staffIds) => api('POST', '/api/mailbox/handovers', { staffIds })}
      onFinish={async () => {
        await signOut();
        onFinish();
      }}
    />
  );
}
