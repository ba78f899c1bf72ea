import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api, type Challenge, type MailboxView } from '../api';
import { CodeForm } from '../components/CodeForm';
import { ErrorBox } from '../components/ErrorBox';
import { InternalNetworkNotice } from '../components/InternalNetworkNotice';
import { PasswordInput } from '../components/PasswordInput';
import { StepHeading } from '../components/StepHeading';
import { TextField } from '../components/TextField';
import { UsernameField } from '../components/UsernameField';
import { loadFlow, saveFlow } from '../flow-state';
import { useT } from '../i18n';
import { navigate, onLinkClick, ROUTES } from '../router';

type RegisterState =
  | { step: 'login' }
  | { step: 'phone'; mailbox: MailboxView }
  | { step: 'code'; mailbox: MailboxView; phone: string; resendAfter: string }
  | { step: 'done'; mailbox: MailboxView; phone: string; first: boolean; unchanged: boolean };

const FLOW = 'register';

/**
 * Rule 1 of the guide: sign in with the mailbox's own username and password, check or change
 * the number, and confirm a new number with a code sent to it. Rule 2: not on the municipal
 * network (the start page explains; the API refuses anyway).
 */
export function Register() {
  const t = useT();
  const [state, setStateRaw] = useState<RegisterState>(
    () => loadFlow<RegisterState>(FLOW) ?? { step: 'login' },
  );
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [mustChange, setMustChange] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [phone, setPhone] = useState(state.step === 'phone' ? (state.mailbox.phone ?? '') : '');
  const [code, setCode] = useState('');
  const onCode = useCallback((value: string) => setCode(value), []);

  const setState = (next: RegisterState) => {
    saveFlow(FLOW, next.step === 'login' ? null : next);
    setFailure(null);
    setStateRaw(next);
  };

  // Resuming a flow: the 15-minute session may have ended while the person was away.
  useEffect(() => {
    if (state.step !== 'phone' && state.step !== 'code') return;
    api<MailboxView>('GET', '/api/mailbox').then((res) => {
      if (!res.ok && res.status === 401) setState({ step: 'login' });
    });
  }, []);

  async function login(e: Event) {
    e.preventDefault();
    setBusy(true);
    const res = await api<MailboxView>('POST', '/api/mailbox/session', { username, password });
    setBusy(false);
    setPassword('');
    if (!res.ok) return setFailure(res);
    if (res.data.mustChange) {
      // The domain wants a new password before anything else: the change screen signs in
      // with the same password and sets one, then the number can be registered.
      await api('DELETE', '/api/mailbox/session');
      return setMustChange(true);
    }
    setPhone(res.data.phone ?? '');
    setState({ step: 'phone', mailbox: res.data });
  }

  async function requestCode(mailbox: MailboxView, number: string) {
    setBusy(true);
    const res = await api<Challenge | { phone: string }>('PUT', '/api/mailbox/phone', {
      phone: number,
    });
    setBusy(false);
    if (!res.ok) {
      if (res.status === 401) return setState({ step: 'login' });
      return setFailure(res);
    }
    if ('phone' in res.data) {
      return setState({
        step: 'done',
        mailbox,
        phone: res.data.phone,
        first: false,
        unchanged: true,
      });
    }
    setCode('');
    setState({ step: 'code', mailbox, phone: number, resendAfter: res.data.resendAfter });
  }

  async function verify(e: Event) {
    e.preventDefault();
    if (state.step !== 'code') return;
    setBusy(true);
    const res = await api<{ phone: string }>('POST', '/api/mailbox/phone/verify', { code });
    setBusy(false);
    if (!res.ok) {
      if (res.status === 401) return setState({ step: 'login' });
      return setFailure(res);
    }
    setState({
      step: 'done',
      mailbox: state.mailbox,
      phone: res.data.phone,
      first: state.mailbox.phone === null,
      unchanged: false,
    });
  }

  async function finish() {
    await api('DELETE', '/api/mailbox/session');
    saveFlow(FLOW, null);
  }

  if (state.step === 'done') {
    return (
      <section key="done">
        <StepHeading>
          {state.unchanged ? t('unchangedHeading') : t('registeredHeading')}
        </StepHeading>
        <p class="success" role="status">
          {t('registeredBody', { username: state.mailbox.username, phone: state.phone })}
        </p>
        {state.first && <p>{t('registeredFirst')}</p>}
        <div class="buttons">
          {state.first && (
            <a
              class="button"
              href={ROUTES.reset}
              onClick={(e) => {
                finish();
                onLinkClick(e);
              }}
            >
              {t('actionReset')}
            </a>
          )}
          <a
            class={state.first ? 'button secondary' : 'button'}
            href={ROUTES.start}
            onClick={(e) => {
              finish();
              onLinkClick(e);
            }}
          >
            {t('home')}
          </a>
        </div>
      </section>
    );
  }

  if (state.step === 'code') {
    const back = () => setState({ step: 'phone', mailbox: state.mailbox });
    return (
      <section key="code">
        <StepHeading>{t('phoneCodeHeading')}</StepHeading>
        <p>{t('phoneCodeIntro', { phone: state.phone })}</p>
        <CodeForm
          code={code}
          onCode={onCode}
          busy={busy}
          failure={failure}
          resendAfter={state.resendAfter}
          onResend={() => requestCode(state.mailbox, state.phone)}
          onSubmit={verify}
          onRestart={back}
          restartLabel={t('back')}
        />
      </section>
    );
  }

  if (state.step === 'phone') {
    const { mailbox } = state;
    return (
      <section key="phone">
        <StepHeading>{t('phoneHeading')}</StepHeading>
        <p>
          {mailbox.phone ? (
            <>
              {t('phoneCurrent')} <strong>{mailbox.phone}</strong>
            </>
          ) : (
            t('phoneNone')
          )}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            requestCode(mailbox, phone);
          }}
          noValidate
        >
          <TextField
            label={t('phoneLabel')}
            hint={t('phoneHint')}
            value={phone}
            onValue={setPhone}
            type="tel"
            autoComplete="tel"
            inputMode="tel"
            maxLength={32}
            plain
          />
          <ErrorBox failure={failure} />
          <div class="buttons">
            <button type="submit" disabled={busy || phone.trim().length < 6}>
              {busy ? t('working') : phone === mailbox.phone ? t('phoneKeep') : t('phoneSend')}
            </button>
            <button
              type="button"
              class="link"
              onClick={async () => {
                await finish();
                navigate(ROUTES.start);
              }}
            >
              {t('cancel')}
            </button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <section key="login">
      <StepHeading>{t('registerHeading')}</StepHeading>
      <InternalNetworkNotice />
      <p>{t('registerIntro')}</p>
      <form onSubmit={login} noValidate>
        <UsernameField value={username} onValue={setUsername} />
        <PasswordInput
          label={t('currentPassword')}
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
        />
        <ErrorBox failure={failure} />
        {mustChange && (
          <div class="notice" role="status">
            <p>{t('mustChangeFirst')}</p>
            <a class="button" href={ROUTES.change} onClick={onLinkClick}>
              {t('actionChange')}
            </a>
          </div>
        )}
        <div class="buttons">
          <button type="submit" disabled={busy || !username.trim() || !password}>
            {busy ? t('working') : t('signIn')}
          </button>
          <button type="button" class="link" onClick={() => navigate(ROUTES.start)}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
