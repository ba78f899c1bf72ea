import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import type { NetworkStatus } from '../../worker/routes/meta.schemas';
import { api, type Info, type Policy, setApiLanguage } from './api';
import { type AppData, AppDataContext, DEFAULT_POLICY_VIEW } from './app-data';
import { Offline } from './components/Offline';
import { SupportContacts } from './components/SupportContacts';
import { UpdatePrompt } from './components/UpdatePrompt';
import { initialLang, type Lang, LangContext, saveLang, translate, useT } from './i18n';
import { ChunkRouter, isManagePath, lazyScreen, ROUTES } from './router';
import { Change } from './screens/Change';
import { Register } from './screens/Register';
import { Reset } from './screens/Reset';
import { Start } from './screens/Start';

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    addEventListener('online', update);
    addEventListener('offline', update);
    return () => {
      removeEventListener('online', update);
      removeEventListener('offline', update);
    };
  }, []);
  return online;
}

function ManageChunkFailed() {
  return (
    <main id="main" class="wide">
      <Offline />
    </main>
  );
}

/**
 * The screens for managers, delegates and administrators, loaded only when one of their paths
 * is opened: the mailbox flow's first screen stays within its 30 KB budget, and the passkey
 * library comes with them.
 */
const ManageApp = lazyScreen(
  () => import('./manage/ManageApp').then((m) => m.ManageApp),
  ManageChunkFailed,
);

/** The reveal page of a staff member's link: its own small chunk, like the managing app. */
/** The development outbox is for developers only, so it is never part of the first screen. */
function DevOutbox() {
  const [Outbox, setOutbox] = useState<ComponentType | null>(null);
  useEffect(() => {
    import('./components/DevOutbox').then(
      (m) => setOutbox(() => m.DevOutbox),
      () => undefined,
    );
  }, []);
  return Outbox ? <Outbox /> : null;
}
const Reveal = lazyScreen(() => import('./screens/Reveal').then((m) => m.Reveal), Offline);

/**
 * The personal link's code, taken out of the address at once: the fragment never
 * reaches a server, and after this it is not in the history either. Kept in memory only;
 * the reveal page checks it.
 */
function takeLinkCode(): string {
  const code = location.hash.slice(1);
  if (location.hash) history.replaceState(history.state, '', location.pathname);
  return code;
}

function RevealScreen() {
  const [link, setLink] = useState(() => ({ code: takeLinkCode(), n: 0 }));
  useEffect(() => {
    // Another link opened in the same tab: a fresh page for it.
    const next = () => location.hash && setLink((l) => ({ code: takeLinkCode(), n: l.n + 1 }));
    addEventListener('hashchange', next);
    return () => removeEventListener('hashchange', next);
  }, []);
  return <Reveal key={link.n} code={link.code} />;
}

function NotFound() {
  const t = useT();
  return (
    <section>
      <h1>{t('notFoundHeading')}</h1>
      <a class="button" href={ROUTES.start}>
        {t('home')}
      </a>
    </section>
  );
}

export function App({ update }: { update: { waiting: boolean; apply: () => void } }) {
  return (
    <LocationProvider scope="/">
      <Shell update={update} />
    </LocationProvider>
  );
}

/**
 * The mailbox flow's routes are declared here; the managing app's in manage/ManageApp.tsx.
 * Only root-relative links are followed without a page load (LocationProvider's scope): a
 * full address, such as a printed link in the outbox or the routine, loads its page afresh.
 */
function Shell({ update }: { update: { waiting: boolean; apply: () => void } }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [policy, setPolicy] = useState<Policy>(DEFAULT_POLICY_VIEW);
  const [info, setInfo] = useState<Info | null>(null);
  const [internal, setInternal] = useState<boolean | null>(null);
  const [dismissed, setDismissed] = useState(false);
  const online = useOnline();
  const { path } = useLocation();
  const t = (key: Parameters<typeof translate>[1]) => translate(lang, key);

  setApiLanguage(lang);
  const manage = isManagePath(path);
  useEffect(() => {
    document.documentElement.lang = lang;
    // The managing app's screens name themselves in the title (one per screen).
    if (!manage) document.title = translate(lang, 'appName');
  }, [lang, manage]);

  useEffect(() => {
    if (!online) return;
    api<Policy>('GET', '/api/policy').then((r) => r.ok && setPolicy(r.data));
    api<Info>('GET', '/api/info').then((r) => r.ok && setInfo(r.data));
    api<InferOutput<typeof NetworkStatus>>('GET', '/api/network').then((r) =>
      setInternal(r.ok ? r.data.internal : null),
    );
  }, [online]);

  const data: AppData = { policy, info, internal, online };
  return (
    <LangContext.Provider value={lang}>
      <AppDataContext.Provider value={data}>
        <a class="skip" href="#main">
          {lang === 'sv' ? 'Hoppa till innehållet' : 'Skip to content'}
        </a>
        <header class="top">
          <a class="brand" href={ROUTES.start}>
            <img src="/icons/icon.svg" alt="" width="32" height="32" />
            <span>
              <span class="brand-name">{t('appName')}</span>
              <span class="brand-tagline">{t('tagline')}</span>
            </span>
          </a>
          <button
            type="button"
            class="lang"
            lang={lang === 'sv' ? 'en' : 'sv'}
            // The name is the visible word ("English"), so a voice-control user who says what
            // they see reaches it (WCAG 2.5.3, label in name); what it does is its description.
            title={t('switchLanguageLabel')}
            onClick={() => {
              const next = lang === 'sv' ? 'en' : 'sv';
              saveLang(next);
              setLang(next);
            }}
          >
            {t('switchLanguage')}
          </button>
        </header>
        {update.waiting && !dismissed && (
          <UpdatePrompt onUpdate={update.apply} onLater={() => setDismissed(true)} />
        )}
        {manage ? (
          <ChunkRouter
            hint={
              <main id="main" class="wide">
                <p class="hint" role="status">
                  {t('working')}
                </p>
              </main>
            }
          >
            {/* "/*" hands the whole path on, so the managing app matches its own routes. */}
            <Route path="/*" component={ManageApp} />
          </ChunkRouter>
        ) : (
          <main id="main">
            {!online && (
              <p class="notice" role="status">
                {t('offline')}
              </p>
            )}
            <ChunkRouter
              hint={
                <p class="hint" role="status">
                  {t('working')}
                </p>
              }
            >
              <Route path={ROUTES.start} component={Start} />
              <Route path={ROUTES.register} component={Register} />
              <Route path={ROUTES.reset} component={Reset} />
              <Route path={ROUTES.change} component={Change} />
              <Route path={ROUTES.reveal} component={RevealScreen} />
              <Route default component={NotFound} />
            </ChunkRouter>
          </main>
        )}
        <footer class={manage ? 'support wide' : 'support'}>
          <h2>{t('supportHeading')}</h2>
          {info && <SupportContacts channels={info.support} />}
          {info?.development && <DevOutbox />}
        </footer>
      </AppDataContext.Provider>
    </LangContext.Provider>
  );
}
