import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import type { PersonView as PersonViewSchema } from '../../../../worker/routes/people-auth.schemas';
import type { ApiFailure, ApiResult } from '../../api';
import { useAppData } from '../../app-data';
import { ErrorBox } from '../../components/ErrorBox';
import { ErrorSummary, useProblems } from '../../components/ErrorSummary';
import { SubmitButton } from '../../components/FormButtons';
import { useHumanCheck } from '../../components/HumanCheck';
import { StepHeading } from '../../components/StepHeading';
import { ROUTES } from '../../router';
import { EmailField, TotpField, totpProblems } from '../components/Fields';
import { usePT } from '../i18n-people';
import { safeNext, setPerson, takeSignedOutReason, usePersonState } from '../session';
import { useSignIn } from '../sign-in';
import { useTitle } from '../use-title';

type PersonView = InferOutput<typeof PersonViewSchema>;

/**
 * /logga-in: a passkey first (no username: the passkey is discoverable), a code from an
 * authenticator app for devices without passkeys, a SITHS card where the deployment trusts
 * a card issuer (the public configuration says so; elsewhere the button would only fail).
 * Afterwards the page the person came from (`next`, a same-origin path) or /chef.
 */
type Kind = 'passkey' | 'totp' | 'card';

const EMAIL_ID = 'sign-in-email';
const CODE_ID = 'sign-in-code';

export function SignIn() {
  const t = usePT();
  const { route } = useLocation();
  const signIn = useSignIn();
  const [reason] = useState(takeSignedOutReason);
  const [showTotp, setShowTotp] = useState(false);
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<Kind | null>(null);
  const [failure, setFailure] = useState<{ kind: Kind; res: ApiFailure } | null>(null);
  const totpForm = useRef<HTMLFormElement>(null);
  useTitle(t('signIn'));
  useEffect(() => {
    // The button that opened the form is gone: the first field takes the focus.
    if (showTotp) totpForm.current?.querySelector('input')?.focus();
  }, [showTotp]);
  const failed = (kind: Kind) => (failure?.kind === kind ? failure.res : null);
  const person = usePersonState();
  const cardSignIn = useAppData().info?.cardSignIn === true;
  useEffect(() => {
    // Signed in just now, or already (a bookmark, the back button): on to where they were going.
    if (person) route(safeNext(new URLSearchParams(location.search).get('next')), true);
  }, [person]);

  const sendTotp = () => attempt('totp', () => signIn.totp(email, code, check.headers()));
  const check = useHumanCheck(() => void sendTotp());
  const problems = useProblems();

  async function attempt(kind: Kind, call: () => Promise<ApiResult<PersonView>>) {
    setBusy(kind);
    setFailure(null);
    const res = await call();
    setBusy(null);
    if (kind === 'totp') check.settle(res);
    if (!res.ok) {
      // Kept while the API asks for the check: the code goes again with it afterwards.
      if (!check.asked(res)) setCode('');
      return setFailure({ kind, res });
    }
    setPerson(res.data); // the effect above then goes on
  }

  /** A way to sign in with one press: its button, what it needs, and what went wrong with it. */
  const option = (way: {
    kind: 'passkey' | 'card';
    call: () => Promise<ApiResult<PersonView>>;
    label: string;
    hint: string;
    secondary?: boolean;
  }) => (
    <div class="sign-in-option">
      <button
        type="button"
        class={way.secondary ? 'secondary wide-button' : 'wide-button'}
        aria-describedby={`${way.kind}-hint`}
        disabled={busy !== null}
        onClick={() => attempt(way.kind, way.call)}
      >
        {busy === way.kind ? t('working') : way.label}
      </button>
      <p class="hint" id={`${way.kind}-hint`}>
        {way.hint}
      </p>
      <ErrorBox failure={failed(way.kind)} />
    </div>
  );

  const notice =
    reason === 'idle'
      ? t('signedOutIdle')
      : reason === 'expired'
        ? t('signedOutExpired')
        : reason === 'signed_out'
          ? t('signedOut')
          : null;

  return (
    <section class="narrow" key="sign-in">
      <StepHeading>{t('signIn')}</StepHeading>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>{t('signInIntro')}</p>
      {option({
        kind: 'passkey',
        call: signIn.passkey,
        label: t('signInPasskey'),
        hint: t('signInPasskeyHint'),
      })}

      <p class="divider">
        <span>{t('or')}</span>
      </p>
      {showTotp ? (
        <form
          ref={totpForm}
          class="sign-in-option"
          aria-labelledby="totp-heading"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (busy) return;
            const bad = [
              ...(/^[^@\s]+@[^@\s]+$/.test(email.trim())
                ? []
                : [{ field: EMAIL_ID, message: t('signInEmailInvalid') }]),
              ...totpProblems(t, code, CODE_ID),
            ];
            if (!problems.found(bad)) void sendTotp();
          }}
        >
          <h2 id="totp-heading">{t('totpHeading')}</h2>
          <ErrorSummary problems={problems.problems} level={4} />
          <EmailField
            id={EMAIL_ID}
            error={problems.error(EMAIL_ID)}
            value={email}
            onValue={setEmail}
            autoComplete="username"
          />
          <TotpField id={CODE_ID} error={problems.error(CODE_ID)} value={code} onValue={setCode} />
          <ErrorBox failure={failed('totp')} />
          {check.view}
          <div class="buttons">
            <SubmitButton label={t('signInTotp')} busy={busy === 'totp'} />
          </div>
        </form>
      ) : (
        <div class="sign-in-option">
          <button
            type="button"
            class="secondary wide-button"
            onClick={() => {
              setFailure(null);
              setShowTotp(true);
            }}
          >
            {t('useTotp')}
          </button>
        </div>
      )}
      {cardSignIn &&
        option({
          kind: 'card',
          call: signIn.certificate,
          label: t('signInCard'),
          hint: t('signInCardHint'),
          secondary: true,
        })}
      <p class="hint">{t('noAccount')}</p>
      <p>
        <a href={ROUTES.start} class="block-link">
          {t('mailboxLink')}
        </a>
      </p>
    </section>
  );
}
