import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import type {
  InviteView,
  PersonView as PersonViewSchema,
  TotpEnrolment,
} from '../../../../worker/routes/people-auth.schemas';
import { type ApiFailure, type ApiResult, api } from '../../api';
import { codeReady } from '../../components/CodeField';
import { ErrorBox } from '../../components/ErrorBox';
import { StepHeading } from '../../components/StepHeading';
import { formatDate, formatTime, useLang } from '../../i18n';
import { ROUTES } from '../../router';
import { CopyButton, Grouped } from '../components/CopyButton';
import { TotpField } from '../components/Fields';
import { usePT } from '../i18n-people';
import { setPerson } from '../session';
import { useSignIn } from '../sign-in';
import { useTitle } from '../use-title';

/*
 * The invite's token arrives in the address's fragment (#…), which never reaches a server or
 * its logs. It is taken out of the address bar at once, so it is neither in the history nor
 * on screen, and kept in this module's memory only (never storage) until it is used.
 */
let inviteToken: string | null = null;

function takeTokenFromAddress(): string | null {
  const fromHash = location.hash.slice(1);
  if (fromHash) {
    inviteToken = decodeURIComponent(fromHash);
    history.replaceState(history.state, '', location.pathname);
  }
  return inviteToken;
}

type PersonView = InferOutput<typeof PersonViewSchema>;
type Invite = InferOutput<typeof InviteView>;
type TotpSetup = InferOutput<typeof TotpEnrolment>;

type State =
  | { step: 'checking' }
  | { step: 'invalid'; failure: ApiFailure | null }
  | { step: 'choose'; invite: Invite }
  | { step: 'totp'; invite: Invite; setup: TotpSetup };

/**
 * /inbjudan#<token>: who the invite is for, then a passkey (recommended) or an authenticator
 * app (QR code, or the key typed in, then a code). Enrolment replaces any earlier way to sign
 * in and signs the person in.
 */
export function Enrol() {
  const t = usePT();
  const { route } = useLocation();
  const lang = useLang();
  const signIn = useSignIn();
  const [token] = useState(takeTokenFromAddress);
  const [state, setStateRaw] = useState<State>(
    token ? { step: 'checking' } : { step: 'invalid', failure: null },
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [code, setCode] = useState('');
  const setState = (next: State) => {
    setFailure(null);
    setStateRaw(next);
  };
  useTitle(
    state.step === 'invalid'
      ? t('inviteInvalidHeading')
      : state.step === 'totp'
        ? t('totpSetupHeading')
        : t('inviteHeading'),
  );

  useEffect(() => {
    if (!token) return;
    api<Invite>('POST', '/api/people/invite', { token }).then((res) => {
      if (res.ok) setState({ step: 'choose', invite: res.data });
      else if (res.status === 400 || res.status === 410)
        setState({ step: 'invalid', failure: res });
      else setState({ step: 'invalid', failure: res });
    });
  }, [token]);

  /** A failed invite ends the flow; anything else (a cancelled passkey) can be tried again. */
  function handle(res: ApiResult<PersonView>) {
    if (res.ok) {
      inviteToken = null;
      setPerson(res.data, t('enrolledNotice', { path: `${location.host}${ROUTES.signIn}` }));
      route(ROUTES.manager, true);
      return;
    }
    if (res.error === 'invite_invalid') return setState({ step: 'invalid', failure: res });
    setCode('');
    setFailure(res);
  }

  async function passkey() {
    if (!token) return;
    setBusy(true);
    setFailure(null);
    const res = await signIn.enrolPasskey(token);
    setBusy(false);
    handle(res);
  }

  async function startTotp() {
    if (!token || state.step !== 'choose') return;
    setBusy(true);
    setFailure(null);
    const res = await api<TotpSetup>('POST', '/api/people/enrol/totp/options', { token });
    setBusy(false);
    if (!res.ok) {
      if (res.error === 'invite_invalid') return setState({ step: 'invalid', failure: res });
      return setFailure(res);
    }
    setState({ step: 'totp', invite: state.invite, setup: res.data });
  }

  async function confirmTotp(e: Event) {
    e.preventDefault();
    if (!token || !codeReady(code)) return;
    setBusy(true);
    setFailure(null);
    const res = await api<PersonView>('POST', '/api/people/enrol/totp', {
      token,
      code: code.replace(/\s/g, ''),
    });
    setBusy(false);
    handle(res);
  }

  if (state.step === 'checking') {
    return (
      <p class="hint" role="status">
        {t('loading')}
      </p>
    );
  }

  if (state.step === 'invalid') {
    return (
      <section class="narrow" key="invalid">
        <StepHeading>{t('inviteInvalidHeading')}</StepHeading>
        <p class="error" role="alert">
          {state.failure
            ? state.failure.error === 'network'
              ? t('loadFailed')
              : state.failure.message
            : t('inviteMissing')}
        </p>
        <p>{t('inviteAsk')}</p>
      </section>
    );
  }

  const { invite } = state;
  const expires = new Date(invite.expiresAt);
  const forWhom = t('inviteFor', {
    name: invite.name,
    email: invite.email,
    date: `${formatDate(lang, expires)} ${formatTime(lang, expires)}`,
  });

  if (state.step === 'totp') {
    const { setup } = state;
    const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}`;
    return (
      <section class="narrow" key="totp">
        <StepHeading>{t('totpSetupHeading')}</StepHeading>
        <ol class="steps">
          <li>
            <p>{t('totpStep1')}</p>
            <img class="qr" src={qr} alt={t('totpQrAlt')} width={220} height={220} />
            {setup.uri.startsWith('otpauth://') && (
              <p>
                <a href={setup.uri} class="block-link">
                  {t('totpOpenApp')}
                </a>
              </p>
            )}
            <p>{t('totpManual')}</p>
            <p class="secret-row">
              <span class="visually-hidden">{t('totpSecretLabel')}: </span>
              <Grouped text={setup.secret} class="secret" />
              <CopyButton text={setup.secret} label={`${t('copy')}: ${t('totpSecretLabel')}`} />
            </p>
          </li>
          <li>
            <p>{t('totpStep2')}</p>
            <form onSubmit={confirmTotp} noValidate>
              <TotpField value={code} onValue={setCode} />
              <ErrorBox failure={failure} />
              <div class="buttons">
                <button type="submit" disabled={busy || !codeReady(code)}>
                  {busy ? t('working') : t('totpConfirm')}
                </button>
                <button
                  type="button"
                  class="link"
                  onClick={() => setState({ step: 'choose', invite })}
                >
                  {t('chooseAgain')}
                </button>
              </div>
            </form>
          </li>
        </ol>
      </section>
    );
  }

  return (
    <section class="narrow" key="choose">
      <StepHeading>{t('inviteHeading')}</StepHeading>
      <p>{forWhom}</p>
      <p>{t('inviteChoose')}</p>
      <ul class="actions">
        <li>
          <button type="button" class="action action-button" disabled={busy} onClick={passkey}>
            <span class="action-title">{t('enrolPasskey')}</span>
            <span class="action-hint">{t('enrolPasskeyHint')}</span>
          </button>
        </li>
        <li>
          <button type="button" class="action action-button" disabled={busy} onClick={startTotp}>
            <span class="action-title">{t('enrolTotp')}</span>
            <span class="action-hint">{t('enrolTotpHint')}</span>
          </button>
        </li>
      </ul>
      {busy && (
        <p class="hint" role="status">
          {t('working')}
        </p>
      )}
      <ErrorBox failure={failure} />
    </section>
  );
}
