import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
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
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton } from '../components/CopyButton';
import { formatDay, formatWhen } from '../format';
import { useHT } from '../i18n-handover';
import { usePT } from '../i18n-people';
import { type PageActions, PagePending, usePageActions, useResource } from '../page-data';
import { useSensitive } from '../step-up';
import { useTitle } from '../use-title';
import { HandoverHistory, ShareOffer } from './Handovers';
import { MailboxChips, MailboxFacts } from './ManagerHome';
import '../mailbox-page.css';

type Detail = InferOutput<typeof MailboxDetail>;
type MailboxSummary = Detail['mailbox'];
type ResetResult = InferOutput<typeof ResetOnBehalfResult>;

/** A reset that went through; `action` is its number among the page's actions. */
type Done = {
  step: 'done';
  action: number;
  expiresAt: string;
  shareOfferId?: string;
  share?: boolean;
};
/**
 * Where the reset panel is. `back`: the reset just done, while "Återställ igen" is being
 * considered; "Avbryt" returns to it with its share offer.
 */
type ResetState =
  | { step: 'idle'; back?: Done }
  | { step: 'typing'; back?: Done }
  | {
      step: 'generated';
      action: number;
      password: string;
      expiresAt: string;
      shareOfferId?: string;
    }
  | Done;

/**
 * /chef/brevlada/<id>: the mailbox's details, "Lås upp" when it is locked or its resets by
 * SMS code are paused for the day, a reset on behalf (typed with the self-service checklist,
 * or generated and shown once), and its recent trail. After every action the page reads the
 * mailbox and its shared links again, and only the latest action's message is shown.
 */
export function MailboxPage({ id }: { id: string }) {
  const t = usePT();
  const lang = useLang();
  const actions = usePageActions();
  const [unlockedBy, setUnlockedBy] = useState<number | null>(null);
  const [linksRead, setLinksRead] = useState(0);
  const path = `/api/manager/mailboxes/${encodeURIComponent(id)}`;
  const { data: detail, failure, reload: load } = useResource<Detail>(path);
  useTitle(detail ? detail.mailbox.displayName : t('loading'));

  if (!detail) return <PagePending failure={failure} />;

  const m = detail.mailbox;
  // A new password ends the unopened links of the old one: the links are read again too.
  const afterReset = async () => {
    setLinksRead((n) => n + 1);
    await load();
  };
  // What cannot wait comes first: on a phone the facts and the reset fill the first screens.
  const urgent = !m.disabled && (m.locked || m.resetsPausedUntil !== null);
  return (
    <section class="mailbox-page">
      <p class="back">
        <a href={ROUTES.manager}>← {t('backToOverview')}</a>
      </p>
      <StepHeading>{m.displayName}</StepHeading>
      <MailboxChips m={m} />
      {/* Reading the page again after an action failed: what is shown may be older. */}
      <ErrorBox failure={failure ?? null} />
      {urgent ? (
        <Unlock
          locked={m.locked}
          resetsPaused={m.resetsPausedUntil !== null}
          path={path}
          begin={actions.begin}
          onDone={async (action) => {
            // Said once the page reads the mailbox unlocked, in the panel's place.
            setUnlockedBy(action);
            await load();
          }}
        />
      ) : (
        unlockedBy === actions.latest && <Unlocked />
      )}
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
        <h2 id="actions-heading">{t('actions')}</h2>
        {m.disabled ? (
          <p class="notice">{t('disabledBody')}</p>
        ) : (
          <ResetOnBehalf
            mailbox={m}
            path={path}
            actions={actions}
            onReset={afterReset}
            onShared={afterReset}
          />
        )}
      </section>

      <HandoverHistory mailboxPath={path} read={linksRead} actions={actions} onChanged={load} />

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
  begin,
  onDone,
}: {
  locked: boolean;
  resetsPaused: boolean;
  path: string;
  begin: () => number;
  onDone: (action: number) => Promise<void>;
}) {
  const t = usePT();
  const { run } = useSensitive();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  return (
    <section class="panel panel-warn" aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">{locked ? t('unlockHeading') : t('resetsPausedHeading')}</h2>
      {locked && <p>{t('unlockBody')}</p>}
      {resetsPaused && <p>{t('resetsPausedBody')}</p>}
      <ErrorBox failure={failure} />
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          const action = begin();
          setBusy(true);
          setFailure(null);
          const res = await run('POST', `${path}/unlock`, {});
          setBusy(false);
          if (!res.ok) return setFailure(res);
          await onDone(action);
        }}
      >
        {busy ? t('working') : t('unlock')}
      </button>
    </section>
  );
}

/** What the unlock did, where its panel was; the button pressed is gone, so focus comes here. */
function Unlocked() {
  const t = usePT();
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section class="panel panel-done" aria-labelledby="unlocked-heading">
      <h2 id="unlocked-heading" ref={heading} tabIndex={-1}>
        {t('unlockedHeading')}
      </h2>
      <p>{t('unlockedBody')}</p>
    </section>
  );
}

function ResetOnBehalf({
  mailbox,
  path,
  actions,
  onReset,
  onShared,
}: {
  mailbox: MailboxSummary;
  path: string;
  actions: PageActions;
  /** The password changed: the page reads the mailbox and its links again. */
  onReset: () => Promise<void>;
  onShared: () => Promise<void>;
}) {
  const t = usePT();
  const lang = useLang();
  const { run } = useSensitive();
  const [state, setState] = useState<ResetState>({ step: 'idle' });
  const [asking, setAsking] = useState<'generate' | 'typed' | null>(null);
  const chosen = useNewPassword();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  // A step the person takes removes the button they pressed: the focus goes to the heading.
  function go(next: ResetState) {
    moved.current = true;
    setState(next);
  }
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    heading.current?.focus();
  }, [state]);

  async function reset(typed: string | null) {
    const action = actions.begin();
    setBusy(true);
    setFailure(null);
    const res = await run<ResetResult>(
      'POST',
      `${path}/password`,
      typed === null ? {} : { password: typed },
    );
    if (!res.ok) {
      setBusy(false);
      return setFailure(res);
    }
    // The facts are read first, so the page changes once: the result and the new facts
    // together, and nothing moves under the next tap.
    await onReset();
    setBusy(false);
    chosen.clear();
    // A mailbox outside every unit (an administrator can open one) has no staff to share with.
    const shareOfferId = mailbox.unitId === null ? undefined : res.data.shareOfferId;
    const expiresAt = res.data.passwordExpiresAt;
    if (res.data.generated) {
      setState({
        step: 'generated',
        action,
        password: res.data.generated,
        expiresAt,
        shareOfferId,
      });
    } else {
      go({ step: 'done', action, expiresAt, shareOfferId });
    }
  }

  if (state.step === 'generated') {
    return (
      <GeneratedPassword
        username={mailbox.username}
        password={state.password}
        canShare={state.shareOfferId !== undefined}
        onSaved={(share) => {
          // The password leaves the page's memory here; only the due date stays on screen.
          go({
            step: 'done',
            action: state.action,
            expiresAt: state.expiresAt,
            shareOfferId: state.shareOfferId,
            share,
          });
        }}
      />
    );
  }

  // A reset's message goes with the next action on the page, like every message here.
  const shown: ResetState =
    state.step === 'done' && state.action !== actions.latest ? { step: 'idle' } : state;
  const back =
    shown.step !== 'done' && shown.back?.action === actions.latest ? shown.back : undefined;
  const points = [
    t('resetConfirmOld'),
    t('resetConfirmSignOut'),
    t('resetConfirmLinks'),
    ...(mailbox.locked ? [t('resetConfirmUnlock')] : []),
    ...(mailbox.unitId === null ? [] : [t('resetConfirmMail')]),
  ];

  return (
    <div class="panel">
      <h3 ref={heading} tabIndex={-1}>
        {t('resetOnBehalfHeading')}
      </h3>
      {shown.step === 'done' ? (
        <>
          <p class="success" role="status">
            {t('resetDone', { date: formatDay(lang, shown.expiresAt) })}
          </p>
          <p>
            <strong>{t('doneTest')}</strong>
          </p>
          {shown.shareOfferId && mailbox.unitId !== null && (
            <ShareOffer
              key={shown.shareOfferId}
              mailboxPath={path}
              unitId={mailbox.unitId}
              offerId={shown.shareOfferId}
              openAtOnce={shown.share === true}
              onShared={onShared}
            />
          )}
          <div class="buttons">
            <button
              type="button"
              class="secondary"
              onClick={() =>
                downloadReminder({
                  due: new Date(shown.expiresAt),
                  username: mailbox.username,
                  title: t('calendarTitle', { username: mailbox.username }),
                  description: `${t('resetDone', { date: formatDay(lang, shown.expiresAt) })} ${location.origin}`,
                })
              }
            >
              {t('calendar')}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => go({ step: 'idle', back: shown })}
            >
              {t('resetAgain')}
            </button>
          </div>
        </>
      ) : (
        <p>{t('resetBody')}</p>
      )}
      {shown.step === 'typing' ? (
        <NewPasswordForm
          username={mailbox.username}
          value={chosen}
          failure={failure}
          busy={busy}
          onSave={() => setAsking('typed')}
          leave={{
            label: t('cancel'),
            onClick: () => {
              chosen.clear();
              setFailure(null);
              go({ step: 'idle', back });
            },
          }}
        />
      ) : (
        shown.step === 'idle' && (
          <>
            <ErrorBox failure={failure} />
            <div class="buttons">
              <button type="button" disabled={busy} onClick={() => setAsking('generate')}>
                {busy ? t('working') : t('resetGenerate')}
              </button>
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => {
                  setFailure(null);
                  go({ step: 'typing', back });
                }}
              >
                {t('resetType')}
              </button>
              {back && (
                <button type="button" class="secondary" disabled={busy} onClick={() => go(back)}>
                  {t('cancel')}
                </button>
              )}
            </div>
          </>
        )
      )}
      {asking && (
        <ConfirmDialog
          title={t('resetConfirmHeading', { name: mailbox.displayName })}
          body={t('resetConfirmBody')}
          points={points}
          confirmLabel={t('resetConfirm')}
          busy={false}
          failure={null}
          onConfirm={() => {
            // The question closes first: a fresh sign-in may be asked for next, and a refusal
            // is shown by the form or the buttons it concerns.
            const typed = asking === 'typed' ? chosen.password : null;
            setAsking(null);
            void reset(typed);
          }}
          onCancel={() => setAsking(null)}
        />
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
        {/* One main button: sharing by personal links is how the routine has staff get it. */}
        {canShare && <ShareButton onShare={() => onSaved(true)} />}
        <button
          type="button"
          class={canShare ? 'secondary' : undefined}
          onClick={() => onSaved(false)}
        >
          {t('savedIt')}
        </button>
      </div>
    </section>
  );
}

/** Straight from the generated password to sharing it. */
function ShareButton({ onShare }: { onShare: () => void }) {
  const t = useHT();
  return (
    <button type="button" onClick={onShare}>
      {t('shareButton')}
    </button>
  );
}
