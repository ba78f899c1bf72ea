import { useCallback, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import type { Resent, ResetStarted, ResetToken } from '../../../worker/routes/resets.schemas';
import { type ApiFailure, api } from '../api';
import { CodeForm } from '../components/CodeForm';
import { ErrorBox } from '../components/ErrorBox';
import { ErrorSummary, useProblems } from '../components/ErrorSummary';
import { FormButtons } from '../components/FormButtons';
import { useHumanCheck } from '../components/HumanCheck';
import { NewPasswordForm, useNewPassword } from '../components/NewPasswordFields';
import { NoSmsAdvice } from '../components/NoSmsAdvice';
import { PasswordChanged } from '../components/PasswordChanged';
import { StepHeading } from '../components/StepHeading';
import { CREDENTIAL_IDS, credentialProblems, UsernameField } from '../components/UsernameField';
import { formatTime, useLang, useT } from '../i18n';
import { ROUTES } from '../router';
import { useFlow } from './use-flow';

type ResetState =
  | { step: 'username' }
  | {
      step: 'code';
      id: string;
      username: string;
      sentAt: number;
      expiresAt: string;
      resendAfter: string;
    }
  | { step: 'password'; id: string; username: string; token: string }
  // Saved: the confirmation, then sharing with the unit's staff (with the same reset token).
  | { step: 'done'; id: string; username: string; token: string; changedAt: number };

const FLOW = 'reset';

/**
 * The guide's reset: username → SMS code → new password twice → done. Each step is kept
 * in sessionStorage so the flow survives a trip to the Messages app or a reload.
 */
export function Reset() {
  const t = useT();
  const { route } = useLocation();
  const lang = useLang();
  const { state, setState, failure, setFailure } = useFlow<ResetState>(
    FLOW,
    { step: 'username' },
    (next) => next.step !== 'username',
  );
  const [busy, setBusy] = useState(false);
  const [username, setUsername] = useState('');
  const [code, setCode] = useState('');
  const chosen = useNewPassword();
  const [resent, setResent] = useState(false);

  const restart = () => {
    setCode('');
    chosen.clear();
    setState({ step: 'username' });
  };
  const onCode = useCallback((value: string) => setCode(value), []);

  const check = useHumanCheck(() => void send());
  const problems = useProblems();

  async function send() {
    setBusy(true);
    const res = await api<InferOutput<typeof ResetStarted>>(
      'POST',
      '/api/resets',
      { username },
      check.headers(),
    );
    setBusy(false);
    check.settle(res);
    if (!res.ok) return setFailure(res);
    setState({
      step: 'code',
      id: res.data.id,
      username: username.trim(),
      sentAt: Date.now(),
      expiresAt: res.data.expiresAt,
      resendAfter: res.data.resendAfter,
    });
  }

  async function verify(e: Event) {
    e.preventDefault();
    if (state.step !== 'code') return;
    setBusy(true);
    const res = await api<InferOutput<typeof ResetToken>>('POST', `/api/resets/${state.id}/code`, {
      code,
    });
    setBusy(false);
    if (!res.ok) return setFailure(res);
    setState({ step: 'password', id: state.id, username: state.username, token: res.data.token });
  }

  async function resend() {
    if (state.step !== 'code') return;
    setBusy(true);
    const res = await api<InferOutput<typeof Resent>>('POST', `/api/resets/${state.id}/resend`);
    setBusy(false);
    if (!res.ok) return setFailure(res);
    setResent(true);
    setState({ ...state, resendAfter: res.data.resendAfter });
  }

  async function save() {
    if (state.step !== 'password') return;
    setBusy(true);
    const res = await api('POST', `/api/resets/${state.id}/password`, {
      token: state.token,
      newPassword: chosen.password,
    });
    setBusy(false);
    if (!res.ok) return setFailure(res);
    chosen.clear();
    setState({ ...state, step: 'done', changedAt: Date.now() });
  }

  if (state.step === 'done') {
    const { id, token } = state;
    return (
      <PasswordChanged
        username={state.username}
        changedAt={state.changedAt}
        share={{
          load: () => api('POST', `/api/resets/${id}/staff`, { token }),
          send: (staffIds) => api('POST', `/api/resets/${id}/handovers`, { token, staffIds }),
        }}
      />
    );
  }

  if (state.step === 'password') {
    return (
      <section key="password">
        <StepHeading step={[3, 3]}>{t('newPasswordHeading')}</StepHeading>
        <NewPasswordForm
          username={state.username}
          value={chosen}
          failure={failure}
          busy={busy}
          onSave={save}
          leave={{ label: t('startOver'), onClick: restart }}
        />
      </section>
    );
  }

  if (state.step === 'code') {
    return (
      <section key="code">
        <StepHeading step={[2, 3]}>{t('codeHeading')}</StepHeading>
        <p>{t('codeSentAt', { time: formatTime(lang, new Date(state.sentAt)) })}</p>
        <CodeForm
          code={code}
          onCode={onCode}
          busy={busy}
          failure={failure}
          notice={resent ? t('resent') : null}
          resendAfter={state.resendAfter}
          onResend={resend}
          onSubmit={verify}
          onRestart={restart}
          restartLabel={t('startOver')}
        >
          <BlockedHint failure={failure} />
        </CodeForm>
        <NoSmsAdvice sentAt={state.sentAt} />
      </section>
    );
  }

  return (
    <section key="username">
      <StepHeading step={[1, 3]}>{t('resetHeading')}</StepHeading>
      <p>{t('resetIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && !problems.found(credentialProblems(t, username))) check.submit(e);
        }}
        noValidate
      >
        <ErrorSummary problems={problems.problems} />
        <UsernameField
          value={username}
          onValue={setUsername}
          error={problems.error(CREDENTIAL_IDS.username)}
        />
        <ErrorBox failure={failure} />
        <BlockedHint failure={failure} />
        {check.view}
        <FormButtons
          label={t('sendCode')}
          busy={busy}
          leave={{ label: t('cancel'), onClick: () => route(ROUTES.start) }}
        />
      </form>
    </section>
  );
}

/**
 * After the day's wrong codes for the username (429 `reset_blocked_today`): when it works
 * again, and what the manager can do about it now.
 */
function BlockedHint({ failure }: { failure: ApiFailure | null }) {
  const t = useT();
  if (failure?.error !== 'reset_blocked_today') return null;
  return <p class="hint">{t('resetBlockedHint')}</p>;
}
