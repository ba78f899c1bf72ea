import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { HandoverPeek, HandoverReveal } from '../../../worker/routes/handovers.schemas';
import { type ApiFailure, api } from '../api';
import { StepHeading } from '../components/StepHeading';
import { formatMoment } from '../format-moment';
import { formatWait, useLang } from '../i18n';
import { CopyButton, Grouped } from '../people/components/CopyButton';
import './reveal.css';

/** How long the password stays on screen after the tap. */
export const SHOW_SECONDS = 60;
/** When the countdown is announced a second time. */
const WARN_AT_SECONDS = 10;

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

const TEXT = {
  heading: { sv: 'Lösenord till brevlådan {username}', en: 'Password of the mailbox {username}' },
  loading: { sv: 'Kontrollerar länken…', en: 'Checking the link…' },
  readyBody: {
    sv: 'Lösenordet visas bara en gång, i {n} sekunder. Se till att ingen annan ser skärmen innan du trycker.',
    en: 'The password is shown only once, for {n} seconds. Make sure nobody else can see the screen before you tap.',
  },
  readyUntil: { sv: 'Länken gäller till {when}.', en: 'The link works until {when}.' },
  show: { sv: 'Visa lösenordet', en: 'Show the password' },
  working: { sv: 'Vänta…', en: 'Please wait…' },
  shownLabel: { sv: 'Lösenordet till {username}', en: 'The password of {username}' },
  shownHint: {
    sv: 'Skriv in det i brevlådan nu, eller kopiera det. Det försvinner om du lämnar sidan.',
    en: 'Type it into the mailbox now, or copy it. It disappears if you leave the page.',
  },
  copy: { sv: 'Kopiera lösenordet', en: 'Copy the password' },
  countdown: { sv: 'Döljs om {n} s', en: 'Hidden in {n} s' },
  announceStart: {
    sv: 'Lösenordet visas i {n} sekunder.',
    en: 'The password is shown for {n} seconds.',
  },
  announceSoon: { sv: '{n} sekunder kvar.', en: '{n} seconds left.' },
  hideNow: { sv: 'Dölj nu', en: 'Hide now' },
  goneHeading: { sv: 'Lösenordet är dolt', en: 'The password is hidden' },
  goneBody: {
    sv: 'Länken är använd och kan inte visa lösenordet igen. Behöver du det igen? Be den som delade det om en ny länk.',
    en: 'The link is used and cannot show the password again. Need it again? Ask the person who shared it for a new link.',
  },
  spentHeading: { sv: 'Länken är använd', en: 'The link has been used' },
  spentViewed: {
    sv: 'Den här länken är redan använd – lösenordet visades {when}. Be den som delade det om en ny länk.',
    en: 'This link has already been used – the password was shown {when}. Ask the person who shared it for a new link.',
  },
  spentViewedNoTime: {
    sv: 'Den här länken är redan använd. Be den som delade lösenordet om en ny länk.',
    en: 'This link has already been used. Ask the person who shared the password for a new link.',
  },
  expiredHeading: { sv: 'Länken har gått ut', en: 'The link has expired' },
  expiredBody: {
    sv: 'Länken gällde i 24 timmar. Be den som delade lösenordet om en ny länk.',
    en: 'The link worked for 24 hours. Ask the person who shared the password for a new link.',
  },
  revokedHeading: { sv: 'Länken gäller inte längre', en: 'The link no longer works' },
  revokedBody: {
    sv: 'Du har fått en nyare länk, eller så har lösenordet bytts igen. Använd det senaste sms:et eller be den som delade lösenordet om en ny länk.',
    en: 'You have been sent a newer link, or the password has been changed again. Use the latest text message or ask the person who shared the password for a new link.',
  },
  invalidHeading: { sv: 'Länken fungerar inte', en: 'The link does not work' },
  invalidBody: {
    sv: 'Kontrollera att du öppnade hela länken från sms:et. Fungerar det ändå inte, be den som delade lösenordet om en ny länk.',
    en: 'Check that you opened the whole link from the text message. If it still does not work, ask the person who shared the password for a new link.',
  },
  missingBody: {
    sv: 'Adressen saknar länkens kod. Öppna länken i sms:et igen.',
    en: 'The address lacks the link’s code. Open the link in the text message again.',
  },
  throttledHeading: { sv: 'För många försök', en: 'Too many attempts' },
  throttledBody: {
    sv: 'Många felaktiga länkar har öppnats härifrån. Försök igen om {time}.',
    en: 'Many wrong links have been opened from here. Try again in {time}.',
  },
  errorHeading: { sv: 'Något gick fel', en: 'Something went wrong' },
  networkBody: {
    sv: 'Kunde inte nå Nyckel. Kontrollera anslutningen och försök igen.',
    en: 'Could not reach Nyckel. Check your connection and try again.',
  },
  retry: { sv: 'Försök igen', en: 'Try again' },
} as const;

type Key = keyof typeof TEXT;

function useTexts() {
  const lang = useLang();
  return (key: Key, vars: Record<string, string | number> = {}) =>
    TEXT[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

const mailboxName = (m: { username: string; unitName: string | null }) =>
  m.unitName ? `${m.username} (${m.unitName})` : m.username;

/**
 * /visa#<token>: a staff member's personal link. The app took the token out of
 * the address before this chunk loaded; it lives in this component's memory only, and so
 * does the password: on screen for 60 seconds after the tap, gone sooner when the page is
 * hidden or left. Nothing here touches any storage.
 */
export function Reveal({ token }: { token: string | null }) {
  const t = useTexts();
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
        <StepHeading>{t('heading', { username: mailboxName(p) })}</StepHeading>
        <p>{t('readyBody', { n: SHOW_SECONDS })}</p>
        <p class="hint">{t('readyUntil', { when: formatMoment(lang, p.expiresAt) })}</p>
        <div class="buttons">
          <button type="button" class="reveal-button" disabled={busy} onClick={reveal}>
            {busy ? t('working') : t('show')}
          </button>
        </div>
      </section>
    );
  }
  if (view.step === 'spent') return <Spent state={view.state} viewedAt={view.viewedAt} />;
  if (view.step === 'failed') {
    return <Failed failure={view.failure} missing={!token} onRetry={peek} />;
  }
  return (
    <section key="loading" class="reveal">
      <p class="hint" role="status">
        {t('loading')}
      </p>
    </section>
  );
}

/** The only call that spends the link. */
function spend(token: string) {
  return api<Revealed>('POST', '/api/handovers/reveal', { token });
}

/** The password, large and grouped, with copy, a countdown and "Dölj nu". */
function Shown({
  revealed,
  until,
  onGone,
}: {
  revealed: Revealed;
  until: number;
  onGone: () => void;
}) {
  const t = useTexts();
  const heading = useRef<HTMLHeadingElement>(null);
  const [left, setLeft] = useState(() => Math.max(0, Math.ceil((until - Date.now()) / 1000)));
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
    const tick = () => {
      const seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(seconds);
      if (seconds === 0) gone.current();
      else if (seconds <= WARN_AT_SECONDS) setAnnounce(t('announceSoon', { n: WARN_AT_SECONDS }));
    };
    const timer = setInterval(tick, 1000);
    // Leaving, switching apps or locking the phone hides it at once (also from the back cache).
    const hide = () => gone.current();
    const hidden = () => document.visibilityState === 'hidden' && gone.current();
    addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      clearInterval(timer);
      removeEventListener('pagehide', hide);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, [until]);

  const label = t('shownLabel', { username: mailboxName(revealed) });
  return (
    <section key="shown" class="reveal panel panel-once" aria-labelledby="reveal-shown-heading">
      <h1 id="reveal-shown-heading" ref={heading} tabIndex={-1} class="step-heading">
        {label}
      </h1>
      <p class="generated reveal-secret">
        <Grouped text={revealed.password} class="password" />
      </p>
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
        <CopyButton text={revealed.password} label={t('copy')} />
        <button type="button" onClick={() => gone.current()}>
          {t('hideNow')}
        </button>
      </div>
    </section>
  );
}

function Spent({
  state,
  viewedAt,
}: {
  state: Exclude<LinkState, 'ready'>;
  viewedAt: string | null;
}) {
  const t = useTexts();
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
  missing: boolean;
  onRetry: () => void;
}) {
  const t = useTexts();
  const lang = useLang();
  if (missing || failure?.error === 'handover_invalid' || failure?.status === 400) {
    return (
      <section key="invalid" class="reveal">
        <StepHeading>{t('invalidHeading')}</StepHeading>
        <p class="notice">{missing ? t('missingBody') : t('invalidBody')}</p>
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
        {failure?.error === 'network' || !failure?.message ? t('networkBody') : failure.message}
      </p>
      <div class="buttons">
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      </div>
    </section>
  );
}
