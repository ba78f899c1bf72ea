import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { MailboxDetail, ResetOnBehalfResult } from '../../../../worker/routes/manager.schemas';
import type { ApiFailure } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { Fact } from '../../components/Fact';
import { NewPasswordForm, useNewPassword } from '../../components/NewPasswordFields';
import { PasswordText } from '../../components/PasswordText';
import { StepHeading } from '../../components/StepHeading';
import { useLang } from '../../i18n';
import { downloadReminder } from '../../ics';
import { ROUTES, unitPath } from '../../router';
import { AuditList } from '../components/AuditList';
import { CopyButton } from '../components/CopyButton';
import { formatDay, formatWhen } from '../format';
import { useHT } from '../i18n-handover';
import { usePT } from '../i18n-people';
import { PagePending, useResource } from '../page-data';
import { useSensitive } from '../step-up';
import { useTitle } from '../use-title';
import { HandoverHistory, ShareOffer } from './Handovers';
import { MailboxChips, MailboxFacts } from './ManagerHome';

type Detail = InferOutput<typeof MailboxDetail>;
type MailboxSummary = Detail['mailbox'];
type ResetResult = InferOutput<typeof ResetOnBehalfResult>;

type ResetState =
  | { step: 'idle' }
  | { step: 'typing' }
  | { step: 'generated'; password: string; expiresAt: string; shareOfferId?: string }
  | { step: 'done'; expiresAt: string; shareOfferId?: string; share?: boolean };

/**
 * /chef/brevlada/<id>: the mailbox's details, "Lås upp" when it is locked or its resets by
 * SMS code are paused for the day, a reset on behalf (typed with the self-service checklist,
 * or generated and shown once), and its recent trail.
 */
export function MailboxPage({ id }: { id: string }) {
  const t = usePT();
  const lang = useLang();
  const [message, setMessage] = useState<string | null>(null);
  const actionsHeading = useRef<HTMLHeadingElement>(null);
  const [handoversKey, setHandoversKey] = useState(0);
  const path = `/api/manager/mailboxes/${encodeURIComponent(id)}`;
  const { data: detail, failure, reload: load } = useResource<Detail>(path);
  useTitle(detail ? detail.mailbox.displayName : t('loading'));

  if (!detail) return <PagePending failure={failure} />;

  const m = detail.mailbox;
  return (
    <section class="mailbox-page">
      <p class="back">
        <a href={ROUTES.manager}>← {t('backToOverview')}</a>
      </p>
      <StepHeading>{m.displayName}</StepHeading>
      <MailboxChips m={m} />
      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading" class="visually-hidden">
          {t('details')}
        </h2>
        <dl class="facts">
          <Fact term={t('usernameLabel')} class="username-value">
            {m.username}
          </Fact>
          <Fact term={t('unit')}>
            {m.unitId === null ? (
              '–'
            ) : (
              <a href={unitPath(m.unitId)} class="block-link">
                {m.unitName}
              </a>
            )}
          </Fact>
          <MailboxFacts m={m} />
          {m.locked && m.lockedUntil && (
            <Fact term={t('factLocked')}>{formatWhen(lang, m.lockedUntil)}</Fact>
          )}
          {m.resetsPausedUntil && (
            <Fact term={t('factResetsPaused')}>{formatWhen(lang, m.resetsPausedUntil)}</Fact>
          )}
        </dl>
      </section>

      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading" ref={actionsHeading} tabIndex={-1}>
          {t('actions')}
        </h2>
        <div aria-live="polite">{message && <p class="success">{message}</p>}</div>
        {m.disabled ? (
          <p class="notice">{t('disabledBody')}</p>
        ) : (
          <>
            {(m.locked || m.resetsPausedUntil) && (
              <Unlock
                locked={m.locked}
                resetsPaused={Boolean(m.resetsPausedUntil)}
                path={path}
                onDone={async () => {
                  // The page shows the mailbox unlocked before it says so; the panel and
                  // its button are gone then, so the focus moves to the section.
                  await load();
                  setMessage(t('unlocked'));
                  actionsHeading.current?.focus();
                }}
              />
            )}
            <ResetOnBehalf
              mailbox={m}
              path={path}
              onDone={load}
              onShared={() => setHandoversKey((k) => k + 1)}
            />
          </>
        )}
      </section>

      <HandoverHistory key={handoversKey} mailboxPath={path} />

      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">{t('mailboxAudit')}</h2>
        <AuditList items={detail.audit} caption={t('mailboxAudit')} withTarget={false} />
      </section>
    </section>
  );
}

/** One "Lås upp" for a login lockout and for resets paused after today's wrong codes. */
function Unlock({
  locked,
  resetsPaused,
  path,
  onDone,
}: {
  locked: boolean;
  resetsPaused: boolean;
  path: string;
  onDone: () => Promise<void>;
}) {
  const t = usePT();
  const { run } = useSensitive();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  return (
    <div class="panel panel-warn">
      <h3>{locked ? t('unlockHeading') : t('resetsPausedHeading')}</h3>
      {locked && <p>{t('unlockBody')}</p>}
      {resetsPaused && <p>{t('resetsPausedBody')}</p>}
      <ErrorBox failure={failure} />
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setFailure(null);
          const res = await run('POST', `${path}/unlock`, {});
          setBusy(false);
          if (!res.ok) return setFailure(res);
          await onDone();
        }}
      >
        {busy ? t('working') : t('unlock')}
      </button>
    </div>
  );
}

function ResetOnBehalf({
  mailbox,
  path,
  onDone,
  onShared,
}: {
  mailbox: MailboxSummary;
  path: string;
  onDone: () => Promise<void>;
  onShared: () => void;
}) {
  const t = usePT();
  const lang = useLang();
  const { run } = useSensitive();
  const [state, setState] = useState<ResetState>({ step: 'idle' });
  const chosen = useNewPassword();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  async function reset(typed: string | null) {
    setBusy(true);
    setFailure(null);
    const res = await run<ResetResult>(
      'POST',
      `${path}/password`,
      typed === null ? {} : { password: typed },
    );
    setBusy(false);
    if (!res.ok) return setFailure(res);
    chosen.clear();
    // A mailbox outside every unit (an administrator can open one) has no staff to share with.
    const shareOfferId = mailbox.unitId === null ? undefined : res.data.shareOfferId;
    if (res.data.generated) {
      setState({
        step: 'generated',
        password: res.data.generated,
        expiresAt: res.data.passwordExpiresAt,
        shareOfferId,
      });
    } else {
      setState({ step: 'done', expiresAt: res.data.passwordExpiresAt, shareOfferId });
      await onDone();
    }
  }

  if (state.step === 'generated') {
    return (
      <GeneratedPassword
        username={mailbox.username}
        password={state.password}
        canShare={state.shareOfferId !== undefined}
        onSaved={async (share) => {
          // The password leaves the page's memory here; only the due date stays on screen.
          setState({
            step: 'done',
            expiresAt: state.expiresAt,
            shareOfferId: state.shareOfferId,
            share,
          });
          await onDone();
        }}
      />
    );
  }

  return (
    <div class="panel">
      <h3>{t('resetOnBehalfHeading')}</h3>
      {state.step === 'done' ? (
        <>
          <p class="success" role="status">
            {t('resetDone', { date: formatDay(lang, state.expiresAt) })}
          </p>
          <p>
            <strong>{t('doneTest')}</strong>
          </p>
          <div class="buttons">
            <button
              type="button"
              class="secondary"
              onClick={() =>
                downloadReminder({
                  due: new Date(state.expiresAt),
                  username: mailbox.username,
                  title: t('calendarTitle', { username: mailbox.username }),
                  description: `${t('resetDone', { date: formatDay(lang, state.expiresAt) })} ${location.origin}`,
                })
              }
            >
              {t('calendar')}
            </button>
          </div>
          {state.shareOfferId && mailbox.unitId !== null && (
            <ShareOffer
              key={state.shareOfferId}
              mailboxPath={path}
              unitId={mailbox.unitId}
              offerId={state.shareOfferId}
              openAtOnce={state.share === true}
              onShared={onShared}
            />
          )}
        </>
      ) : (
        <>
          <p>{t('resetBody')}</p>
          <p class="notice">{t('resetWarning')}</p>
        </>
      )}
      {state.step === 'typing' ? (
        <NewPasswordForm
          username={mailbox.username}
          value={chosen}
          failure={failure}
          busy={busy}
          onSave={() => void reset(chosen.password)}
          leave={{
            label: t('cancel'),
            onClick: () => {
              chosen.clear();
              setFailure(null);
              setState({ step: 'idle' });
            },
          }}
        />
      ) : (
        <>
          <ErrorBox failure={failure} />
          <div class="buttons">
            <button type="button" disabled={busy} onClick={() => reset(null)}>
              {busy ? t('working') : t('resetGenerate')}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => {
                setFailure(null);
                setState({ step: 'typing' });
              }}
            >
              {t('resetType')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** The generated password, once: large and exactly as it is, with copy, until "Jag har sparat det". */
function GeneratedPassword({
  username,
  password,
  canShare,
  onSaved,
}: {
  username: string;
  password: string;
  canShare: boolean;
  /** `share`: the person chose to share it with the staff next. */
  onSaved: (share: boolean) => void;
}) {
  const t = usePT();
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  const label = t('generatedLabel', { username });
  return (
    <section class="panel panel-once" aria-labelledby="generated-heading">
      <h3 id="generated-heading" ref={heading} tabIndex={-1} class="step-heading-small">
        {t('generatedHeading')}
      </h3>
      <p>{t('generatedOnce')}</p>
      <PasswordText text={password} class="generated" label={label} />
      <div class="buttons">
        <CopyButton text={password} label={t('copyPassword')} />
        <button type="button" onClick={() => onSaved(false)}>
          {t('savedIt')}
        </button>
        {canShare && <ShareButton onShare={() => onSaved(true)} />}
      </div>
    </section>
  );
}

/** Straight from the generated password to sharing it. */
function ShareButton({ onShare }: { onShare: () => void }) {
  const t = useHT();
  return (
    <button type="button" class="secondary" onClick={onShare}>
      {t('shareButton')}
    </button>
  );
}
