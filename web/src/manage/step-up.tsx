import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useMemo, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { PersonView as PersonViewSchema } from '../../../worker/routes/people-auth.schemas';
import type { ApiFailure, ApiResult } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { ErrorSummary, useProblems } from '../components/ErrorSummary';
import { SubmitButton } from '../components/FormButtons';
import { useHumanCheck } from '../components/HumanCheck';
import { Dialog } from './components/Dialog';
import { TotpField, totpProblems } from './components/Fields';
import { usePT } from './i18n-people';
import { type Method, personApi, setPerson, usePerson } from './session';
import { useSignIn } from './sign-in';

type PersonView = InferOutput<typeof PersonViewSchema>;

type Confirm = () => Promise<boolean>;

const CODE_ID = 'step-up-code';

const StepUpContext = createContext<Confirm>(async () => false);

/**
 * Sensitive actions (reset on behalf, delegate changes, initial passwords) need a passkey,
 * code or card check within the last STEP_UP_MINUTES. `run` calls the API; on 403
 * `step_up_required` it asks the person to confirm in a dialog, then tries once more.
 * Cancelling returns the 403 as it came, for the screen to show.
 *
 *   const { run } = useSensitive();
 *   const res = await run<{ generated: string | null }>('POST', `/api/manager/...`, body);
 */
export function useSensitive() {
  const confirm = useContext(StepUpContext);
  const run = useCallback(
    async <T,>(method: Method, path: string, body?: unknown): Promise<ApiResult<T>> => {
      const first = await personApi<T>(method, path, body);
      if (first.ok || first.error !== 'step_up_required') return first;
      if (!(await confirm())) return first;
      return personApi<T>(method, path, body);
    },
    [confirm],
  );
  return useMemo(() => ({ run }), [run]);
}

/** Holds the step-up dialog for every screen below it (one at a time). */
export function StepUpProvider({ children }: { children: ComponentChildren }) {
  const [resolver, setResolver] = useState<((ok: boolean) => void) | null>(null);
  const confirm = useCallback(
    () => new Promise<boolean>((resolve) => setResolver(() => resolve)),
    [],
  );
  const done = (ok: boolean) => {
    resolver?.(ok);
    setResolver(null);
  };
  return (
    <StepUpContext.Provider value={confirm}>
      {children}
      {resolver && <StepUpDialog onDone={done} />}
    </StepUpContext.Provider>
  );
}

function StepUpDialog({ onDone }: { onDone: (ok: boolean) => void }) {
  const t = usePT();
  const person = usePerson();
  const signIn = useSignIn();
  const [mode, setMode] = useState<'passkey' | 'totp'>(
    person?.method === 'totp' ? 'totp' : 'passkey',
  );
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const sendTotp = () => check(() => signIn.totp(person?.email ?? '', code, human.headers()), true);
  const human = useHumanCheck(() => void sendTotp());
  const problems = useProblems();

  async function check(attempt: () => Promise<ApiResult<PersonView>>, totp = false) {
    setBusy(true);
    setFailure(null);
    const res = await attempt();
    setBusy(false);
    if (totp) human.settle(res);
    if (!res.ok) {
      // Kept while the API asks for the check: the code goes again with it afterwards.
      if (!human.asked(res)) setCode('');
      return setFailure(res);
    }
    // A passkey is chosen on the device, so someone else's could sign in here: then the
    // page follows the new person, and the change they did not ask for is not made.
    const same = res.data.id === person?.id;
    setPerson(res.data, same ? null : t('stepUpOtherPerson'));
    onDone(same);
  }

  /** The link to the other way of confirming; what went wrong with this one goes with it. */
  const switchTo = (next: typeof mode, label: string) => (
    <button
      type="button"
      class="link"
      disabled={busy}
      onClick={() => {
        setFailure(null);
        setMode(next);
      }}
    >
      {label}
    </button>
  );

  return (
    <Dialog title={t('stepUpHeading')} onCancel={() => !busy && onDone(false)}>
      <p>{t('stepUpBody')}</p>
      {mode === 'passkey' ? (
        <div class="buttons">
          <button type="button" disabled={busy} onClick={() => check(signIn.passkey)}>
            {busy ? t('working') : t('stepUpPasskey')}
          </button>
          {person?.method === 'certificate' && (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => check(signIn.certificate)}
            >
              {t('stepUpCard')}
            </button>
          )}
          {switchTo('totp', t('useTotp'))}
        </div>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy && !problems.found(totpProblems(t, code, CODE_ID))) void sendTotp();
          }}
        >
          <ErrorSummary problems={problems.problems} level={4} />
          <TotpField id={CODE_ID} error={problems.error(CODE_ID)} value={code} onValue={setCode} />
          {human.view}
          <div class="buttons">
            <SubmitButton label={t('stepUpTotp')} busy={busy} />
            {switchTo('passkey', t('stepUpPasskey'))}
          </div>
        </form>
      )}
      <ErrorBox failure={failure} />
      <div class="buttons">
        <button type="button" class="secondary" disabled={busy} onClick={() => onDone(false)}>
          {t('cancel')}
        </button>
      </div>
    </Dialog>
  );
}
