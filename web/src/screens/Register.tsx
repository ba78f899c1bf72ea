import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import { formatPhone } from '../../../worker/domain/phone-format';
import type { PhoneSaved as PhoneSavedSchema } from '../../../worker/routes/mailbox.schemas';
import { type ApiFailure, api, type Challenge, type MailboxView } from '../api';
import { CodeForm } from '../components/CodeForm';
import { ErrorBox } from '../components/ErrorBox';
import { ErrorSummary, useProblems } from '../components/ErrorSummary';
import { Fact } from '../components/Fact';
import { FormButtons } from '../components/FormButtons';
import { useHumanCheck } from '../components/HumanCheck';
import { InternalNetworkNotice } from '../components/InternalNetworkNotice';
import { NewPasswordForm, useNewPassword } from '../components/NewPasswordFields';
import { NumberInText } from '../components/NumberInText';
import { StepHeading } from '../components/StepHeading';
import { TextField } from '../components/TextField';
import { CredentialFields, credentialProblems } from '../components/UsernameField';
import { saveFlow } from '../flow-state';
import { useT } from '../i18n';
import { ROUTES } from '../router';
import { Changed } from './Change';
import { useFlow } from './use-flow';

type PhoneSaved = InferOutput<typeof PhoneSavedSchema>;

type RegisterState =
  | { step: 'login' }
  // The password was right but must be changed first; the current one is in memory only.
  | { step: 'change'; mailbox: MailboxView }
  | { step: 'changed'; mailbox: MailboxView; changedAt: number }
  | { step: 'phone'; mailbox: MailboxView }
  | { step: 'code'; mailbox: MailboxView; phone: string; resendAfter: string }
  | { step: 'done'; mailbox: MailboxView; phone: string; first: boolean; unchanged: boolean };

const FLOW = 'register';
const PHONE_ID = 'register-phone';

/** A typed number in international form when it reads as a phone number at all, else null. */
function e164Of(typed: string): string | null {
  const digits = typed.replace(/[^\d+]/g, '');
  const e164 = digits.startsWith('+')
    ? digits
    : digits.startsWith('00')
      ? `+${digits.slice(2)}`
      : digits.startsWith('0')
        ? `+46${digits.slice(1)}`
        : digits;
  return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : null;
}

/**
 * A number as the person typed it, in the national form the rest of the app shows, when it
 * reads as a phone number at all (the server's answer decides; this is only for the text).
 */
function typedPhone(typed: string): string {
  const e164 = e164Of(typed);
  return e164 ? formatPhone(e164) : typed.trim();
}

/** The registered number as the field starts: national form, which the server reads back. */
function shownPhone(mailbox: MailboxView): string {
  return mailbox.phone ? formatPhone(mailbox.phone) : '';
}

/**
 * Registering a number as the guide has it: sign in with the mailbox's own username and
 * password, check or change the number, and confirm a new number with a code sent to it. Not
 * on the municipal network (the start page explains; the API refuses anyway).
 */
export function Register() {
  const t = useT();
  const { route } = useLocation();
  // A reload cannot resume a forced change: the current password it needs is gone.
  const { state, setState, failure, setFailure } = useFlow<RegisterState>(
    FLOW,
    { step: 'login' },
    (next) => next.step !== 'login' && next.step !== 'change',
  );
  const [busy, setBusy] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // The current password, kept only while a forced change needs it (never in storage).
  const current = useRef('');
  const chosen = useNewPassword();
  const [phone, setPhone] = useState(state.step === 'phone' ? shownPhone(state.mailbox) : '');
  const [code, setCode] = useState('');
  const onCode = useCallback((value: string) => setCode(value), []);

  // Resuming a flow: the 15-minute session may have ended while the person was away.
  useEffect(() => {
    if (state.step === 'change') return setState({ step: 'login' });
    if (state.step !== 'phone' && state.step !== 'code' && state.step !== 'changed') return;
    api<MailboxView>('GET', '/api/mailbox').then((res) => {
      if (!res.ok && res.status === 401) setState({ step: 'login' });
    });
  }, []);

  const check = useHumanCheck(() => void signIn());
  const problems = useProblems();

  /** A refusal once signed in: an ended session starts over at sign-in, the rest is shown. */
  const refused = (res: ApiFailure) =>
    res.status === 401 ? setState({ step: 'login' }) : setFailure(res);

  async function signIn() {
    setBusy(true);
    const res = await api<MailboxView>(
      'POST',
      '/api/mailbox/session',
      { username, password },
      check.headers(),
    );
    setBusy(false);
    check.settle(res);
    const given = password;
    // Kept while the API asks for the check: the request goes again with it afterwards.
    if (!check.asked(res)) setPassword('');
    if (!res.ok) return setFailure(res);
    if (res.data.mustChange) {
      // Past its due date, or the domain wants a new one: choose it now, with the current
      // password already proven, then go on to the number.
      current.current = given;
      return setState({ step: 'change', mailbox: res.data });
    }
    setPhone(shownPhone(res.data));
    setState({ step: 'phone', mailbox: res.data });
  }

  async function change() {
    if (state.step !== 'change') return;
    setBusy(true);
    const res = await api('POST', '/api/mailbox/password', {
      currentPassword: current.current,
      newPassword: chosen.password,
    });
    setBusy(false);
    if (!res.ok) return refused(res);
    current.current = '';
    chosen.clear();
    setState({ step: 'changed', mailbox: state.mailbox, changedAt: Date.now() });
  }

  async function requestCode(mailbox: MailboxView, number: string) {
    setBusy(true);
    const res = await api<Challenge | PhoneSaved>('PUT', '/api/mailbox/phone', {
      phone: number,
    });
    setBusy(false);
    if (!res.ok) return refused(res);
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
    const res = await api<PhoneSaved>('POST', '/api/mailbox/phone/verify', { code });
    setBusy(false);
    if (!res.ok) return refused(res);
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

  /** Leaving once signed in: the session ends, and nothing of the flow is kept. */
  const cancel = {
    label: t('cancel'),
    onClick: async () => {
      current.current = '';
      await finish();
      route(ROUTES.start);
    },
  };

  if (state.step === 'done') {
    return (
      <section key="done">
        <StepHeading>
          {state.unchanged ? t('unchangedHeading') : t('registeredHeading')}
        </StepHeading>
        <p class="success" role="status">
          <NumberInText
            text={(phone) => t('registeredBody', { username: state.mailbox.username, phone })}
            number={formatPhone(state.phone)}
          />
        </p>
        {state.first && <p>{t('registeredFirst')}</p>}
        <div class="buttons">
          {state.first && (
            <a class="button" href={ROUTES.change} onClick={() => finish()}>
              {t('changeNow')}
            </a>
          )}
          <a
            class={state.first ? 'button secondary' : 'button'}
            href={ROUTES.start}
            onClick={() => finish()}
          >
            {t('finished')}
          </a>
        </div>
      </section>
    );
  }

  if (state.step === 'changed') {
    const { mailbox } = state;
    return (
      <Changed
        username={mailbox.username}
        changedAt={state.changedAt}
        next={{
          label: t('continueToPhone'),
          onClick: () => {
            setPhone(shownPhone(mailbox));
            setState({ step: 'phone', mailbox });
          },
        }}
      />
    );
  }

  if (state.step === 'change') {
    const { mailbox } = state;
    return (
      <section key="change">
        <StepHeading>{t('mustChangeHeading')}</StepHeading>
        <p>{t('mustChangeBody', { username: mailbox.username })}</p>
        <NewPasswordForm
          username={mailbox.username}
          value={chosen}
          failure={failure}
          busy={busy}
          onSave={change}
          leave={cancel}
        />
      </section>
    );
  }

  if (state.step === 'code') {
    const back = () => setState({ step: 'phone', mailbox: state.mailbox });
    return (
      <section key="code">
        <StepHeading step={[3, 3]}>{t('phoneCodeHeading')}</StepHeading>
        <p>
          <NumberInText
            text={(phone) => t('phoneCodeIntro', { phone })}
            number={typedPhone(state.phone)}
          />
        </p>
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
        <StepHeading step={[2, 3]}>{t('mobileNumber')}</StepHeading>
        {/* As in the guide, the page shows which mailbox this is before anything changes. */}
        <dl class="facts compact mailbox-facts">
          <Fact term={t('username')} class="mailbox-username">
            {mailbox.username}
          </Fact>
          <Fact term={t('mailboxName')}>{mailbox.displayName}</Fact>
        </dl>
        <p>
          {mailbox.phone ? (
            <>
              {t('phoneCurrent')} <strong class="nowrap">{formatPhone(mailbox.phone)}</strong>
            </>
          ) : (
            t('phoneNone')
          )}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (busy) return;
            const bad = e164Of(phone) ? [] : [{ field: PHONE_ID, message: t('phoneInvalid') }];
            if (!problems.found(bad)) requestCode(mailbox, phone);
          }}
          noValidate
        >
          <ErrorSummary problems={problems.problems} />
          <TextField
            id={PHONE_ID}
            error={problems.error(PHONE_ID)}
            type="tel"
            label={t('phoneLabel')}
            hint={t('phoneHint')}
            value={phone}
            onValue={setPhone}
            maxLength={32}
          />
          <ErrorBox failure={failure} />
          <FormButtons
            label={phone === shownPhone(mailbox) ? t('phoneKeep') : t('phoneSend')}
            busy={busy}
            leave={cancel}
          />
        </form>
      </section>
    );
  }

  return (
    <section key="login">
      <StepHeading step={[1, 3]}>{t('registerHeading')}</StepHeading>
      <InternalNetworkNotice>
        <p>{t('registerIntro')}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy && !problems.found(credentialProblems(t, username, password))) {
              check.submit(e);
            }
          }}
          noValidate
        >
          <ErrorSummary problems={problems.problems} />
          <CredentialFields
            username={username}
            onUsername={setUsername}
            password={password}
            onPassword={setPassword}
            error={problems.error}
          />
          <ErrorBox failure={failure} />
          {check.view}
          <FormButtons
            label={t('signIn')}
            busy={busy}
            leave={{ label: t('cancel'), onClick: () => route(ROUTES.start) }}
          />
        </form>
      </InternalNetworkNotice>
    </section>
  );
}
