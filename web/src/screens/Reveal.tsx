import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { HandoverPeek, HandoverReveal } from '../../../worker/routes/handovers.schemas';
import { type ApiFailure, api } from '../api';
import { PasswordText } from '../components/PasswordText';
import { StepHeading } from '../components/StepHeading';
import { formatMoment } from '../format-time';
import { formatWait, useLang } from '../i18n';
import { CopyButton } from '../manage/components/CopyButton';
import { useRevealT } from './i18n-reveal';
import './reveal.css';

/** How long the password stays on screen after the tap. */
export const SHOW_SECONDS = 60;
/** When the countdown is announced a second time. */
const WARN_AT_SECONDS = 10;

/** A link's code as the server makes them; anything else was cut short or mistyped. */
const LINK_CODE = /^[A-Za-z0-9_-]{20,128}$/;

type Peek = InferOutput<typeof HandoverPeek>;
type Revealed = InferOutput<typeof HandoverReveal>;
type LinkState = Peek['state'];

type View =
  | { step: 'loading' }
  | { step: 'ready'; peek: Peek }
  | { step: 'shown'; revealed: Revealed; until: number }
  | { step: 'gone'; username: string }
  | { step: 'spent'; state: Exclude<LinkState, 'ready'>; viewedAt: string | null }
  | { step: 'failed'; failure: ApiFailure | null };

const mailboxName = (m: { username: string; unitName: string | null }) =>
  m.unitName ? `${m.username} (${m.unitName})` : m.username;

/**
 * /visa#<token>: a staff member's personal link. The app took the token out of
 * the address before this chunk loaded; it lives in this component's memory only, and so
 * does the password: on screen for 60 seconds after the tap, or until "Dölj nu". While the
 * page is hidden (the person switched to the mail app to type it) the password is blurred,
 * and it comes back with them within the 60 seconds. Nothing here touches any storage.
 * `code`: what the address had after the #, empty when nothing.
 */
export function Reveal({ code }: { code: string }) {
  const token = LINK_CODE.test(code) ? code : null;
  const t = useRevealT();
  const lang = useLang();
  const [view, setView] = useState<View>(
    token ? { step: 'loading' } : { step: 'failed', failure: null },
  );
  const [busy, setBusy] = useState(false);

  const failed = (res: ApiFailure) => setView({ step: 'failed', failure: res });

  async function peek() {
    if (!token) return;
    setView({ step: 'loading' });
    const res = await api<Peek>('POST', '/api/handovers/peek', { token });
    if (!res.ok) return failed(res);
    if (res.data.state !== 'ready') {
      return setView({ step: 'spent', state: res.data.state, viewedAt: res.data.viewedAt });
    }
    setView({ step: 'ready', peek: res.data });
  }

  useEffect(() => {
    void peek();
  }, []);

  async function reveal() {
    if (!token) return;
    setBusy(true);
    const res = await spend(token);
    setBusy(false);
    // Spent meanwhile (another tab, a parallel open): peek says how and when.
    if (!res.ok) return res.error === 'handover_spent' ? peek() : failed(res);
    setView({ step: 'shown', revealed: res.data, until: Date.now() + SHOW_SECONDS * 1000 });
  }

  if (view.step === 'shown') {
    return (
      <Shown
        revealed={view.revealed}
        until={view.until}
        onGone={() => setView({ step: 'gone', username: view.revealed.username })}
      />
    );
  }
  if (view.step === 'gone') {
    return (
      <section key="gone" class="reveal">
        <StepHeading>{t('goneHeading')}</StepHeading>
        <p>{t('goneBody')}</p>
      </section>
    );
  }
  if (view.step === 'ready') {
    const p = view.peek;
    return (
      <section key="ready" class="reveal">
        <StepHeading>{t('revealHeading', { username: mailboxName(p) })}</StepHeading>
        <p>{t('readyBody', { n: SHOW_SECONDS })}</p>
        <p class="hint">{t('readyUntil', { when: formatMoment(lang, p.expiresAt) })}</p>
        <div class="buttons">
          <button type="button" class="reveal-button" disabled={busy} onClick={reveal}>
            {busy ? t('working') : t('revealShow')}
          </button>
        </div>
      </section>
    );
  }
  if (view.step === 'spent') return <Spent state={view.state} viewedAt={view.viewedAt} />;
  if (view.step === 'failed') {
    return (
      <Failed
        failure={view.failure}
        missing={token ? null : code ? 'partial' : 'none'}
        onRetry={peek}
      />
    );
  }
  return (
    <section key="loading" class="reveal">
      <p class="hint" role="status">
        {t('checkingLink')}
      </p>
    </section>
  );
}

/** The only call that spends the link. */
function spend(token: string) {
  return api<Revealed>('POST', '/api/handovers/reveal', { token });
}

/**
 * The password, large and exactly as it is, with copy, a countdown and "Dölj nu". The view was
 * spent on the server at the tap; the 60 seconds are this page's, and end it only by running
 * out or by "Dölj nu". Hiding the page (the app switcher, another app, a locked phone) only
 * blurs the password, so its picture in the app switcher shows nothing readable.
 */
function Shown({
  revealed,
  until,
  onGone,
}: {
  revealed: Revealed;
  until: number;
  onGone: () => void;
}) {
  const t = useRevealT();
  const heading = useRef<HTMLHeadingElement>(null);
  const [left, setLeft] = useState(() => secondsLeft(until));
  const [away, setAway] = useState(() => document.visibilityState === 'hidden');
  const [announce, setAnnounce] = useState('');
  const gone = useRef(onGone);
  gone.current = onGone;

  useLayoutEffect(() => {
    heading.current?.focus();
    // Said once at the start and once near the end, never every second; the start a moment
    // after the live region is on the page, so screen readers notice the change.
    const timer = setTimeout(() => setAnnounce(t('announceStart', { n: SHOW_SECONDS })), 300);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    /** Whether any time is left; at none the password leaves the page. */
    const tick = () => {
      const seconds = secondsLeft(until);
      setLeft(seconds);
      if (seconds === 0) gone.current();
      else if (seconds <= WARN_AT_SECONDS) setAnnounce(t('announceSoon', { n: WARN_AT_SECONDS }));
      return seconds > 0;
    };
    const timer = setInterval(tick, 1000);
    // A hidden page's timers are slowed down; coming back checks the time before anything
    // shows, so a return after the 60 seconds never shows the password again.
    const back = () => tick() && setAway(false);
    const onVisibility = () => (document.visibilityState === 'hidden' ? setAway(true) : back());
    const onHide = () => setAway(true);
    addEventListener('pagehide', onHide);
    addEventListener('pageshow', back);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      removeEventListener('pagehide', onHide);
      removeEventListener('pageshow', back);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [until]);

  const label = t('shownLabel', { username: mailboxName(revealed) });
  return (
    <section key="shown" class="reveal panel panel-once" aria-labelledby="reveal-shown-heading">
      <h1 id="reveal-shown-heading" ref={heading} tabIndex={-1} class="step-heading">
        {label}
      </h1>
      <div class={away ? 'reveal-away' : undefined}>
        <PasswordText text={revealed.password} class="generated reveal-secret" />
      </div>
      <p class="hint">{t('shownHint')}</p>
      <p class="reveal-countdown">
        <span>{t('countdown', { n: left })}</span>
        <span
          class="reveal-bar"
          style={{ '--left': `${(left / SHOW_SECONDS) * 100}%` }}
          aria-hidden="true"
        />
      </p>
      <p class="visually-hidden" role="status">
        {announce}
      </p>
      <div class="buttons">
        <CopyButton text={revealed.password} label={t('copyPassword')} primary />
        <button type="button" class="secondary" onClick={() => gone.current()}>
          {t('hideNow')}
        </button>
      </div>
    </section>
  );
}

const secondsLeft = (until: number) => Math.max(0, Math.ceil((until - Date.now()) / 1000));

function Spent({
  state,
  viewedAt,
}: {
  state: Exclude<LinkState, 'ready'>;
  viewedAt: string | null;
}) {
  const t = useRevealT();
  const lang = useLang();
  const [heading, body] =
    state === 'viewed'
      ? [
          t('spentHeading'),
          viewedAt
            ? t('spentViewed', { when: formatMoment(lang, viewedAt) })
            : t('spentViewedNoTime'),
        ]
      : state === 'expired'
        ? [t('expiredHeading'), t('expiredBody')]
        : [t('revokedHeading'), t('revokedBody')];
  return (
    <section key={`spent-${state}`} class="reveal">
      <StepHeading>{heading}</StepHeading>
      <p class="notice">{body}</p>
    </section>
  );
}

function Failed({
  failure,
  missing,
  onRetry,
}: {
  failure: ApiFailure | null;
  /** No code in the address at all, or one too short or with characters a code never has. */
  missing: 'none' | 'partial' | null;
  onRetry: () => void;
}) {
  const t = useRevealT();
  const lang = useLang();
  if (missing || failure?.error === 'handover_invalid' || failure?.status === 400) {
    const body =
      missing === 'none' ? 'missingBody' : missing === 'partial' ? 'partialBody' : 'invalidBody';
    return (
      <section key="invalid" class="reveal">
        <StepHeading>{t('invalidHeading')}</StepHeading>
        <p class="notice">{t(body)}</p>
      </section>
    );
  }
  if (failure?.error === 'rate_limited') {
    return (
      <section key="throttled" class="reveal">
        <StepHeading>{t('throttledHeading')}</StepHeading>
        <p class="notice">
          {t('throttledBody', { time: formatWait(lang, failure.retryAfter ?? 900) })}
        </p>
      </section>
    );
  }
  return (
    <section key="error" class="reveal">
      <StepHeading>{t('errorHeading')}</StepHeading>
      <p class="error" role="alert">
        {failure?.error === 'network' || !failure?.message ? t('networkProblem') : failure.message}
      </p>
      <div class="buttons">
        <button type="button" onClick={onRetry}>
          {t('tryAgain')}
        </button>
      </div>
    </section>
  );
}
