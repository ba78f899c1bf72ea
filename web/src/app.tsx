import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { InferOutput } from 'valibot';
import type { NetworkStatus } from '../../worker/routes/meta.schemas';
import { api, type Info, type Policy, setApiLanguage } from './api';
import { type AppData, AppDataContext, DEFAULT_POLICY_VIEW } from './app-data';
import { DevOutbox } from './components/DevOutbox';
import { SupportContacts } from './components/SupportContacts';
import { UpdatePrompt } from './components/UpdatePrompt';
import { initialLang, type Lang, LangContext, saveLang, translate, useT } from './i18n';
import { isPeoplePath, onLinkClick, ROUTES, usePath } from './router';
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

type PeopleModule = { PeopleApp: ComponentType<{ path: string }> };
let peopleModule: Promise<PeopleModule> | null = null;

/**
 * The screens for managers, delegates and administrators, loaded only when one of their paths
 * is opened: the mailbox flow's first screen stays within its 30 KB budget, and the passkey
 * library comes with them. A hand-rolled loader, since preact/compat's lazy() would pull
 * compat into the first screen.
 */
function PeopleScreens({ path }: { path: string }) {
  const t = useT();
  const [PeopleApp, setPeopleApp] = useState<PeopleModule['PeopleApp'] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    peopleModule ??= import('./people/PeopleApp');
    peopleModule
      .then((m) => setPeopleApp(() => m.PeopleApp))
      .catch(() => {
        peopleModule = null;
        setFailed(true);
      });
  }, []);
  if (PeopleApp) return <PeopleApp path={path} />;
  return (
    <main id="main" class="wide">
      {failed ? (
        <p class="error" role="alert">
          {t('networkError')}
        </p>
      ) : (
        <p class="hint" role="status">
          {t('working')}
        </p>
      )}
    </main>
  );
}

type RevealModule = { Reveal: ComponentType<{ token: string | null }> };
let revealModule: Promise<RevealModule> | null = null;

/**
 * The personal link's token, taken out of the address at once: the fragment never
 * reaches a server, and after this it is not in the history either. Kept in memory only.
 */
function takeLinkToken(): string | null {
  const token = location.hash.slice(1);
  if (location.hash) history.replaceState(history.state, '', location.pathname);
  return /^[A-Za-z0-9_-]{20,128}$/.test(token) ? token : null;
}

/** The reveal page of a staff member's link: its own small chunk, like the people screens. */
function RevealScreen() {
  const t = useT();
  const [link, setLink] = useState(() => ({ token: takeLinkToken(), n: 0 }));
  const [Reveal, setReveal] = useState<RevealModule['Reveal'] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    // Another link opened in the same tab: a fresh page for it.
    const next = () => location.hash && setLink((l) => ({ token: takeLinkToken(), n: l.n + 1 }));
    addEventListener('hashchange', next);
    return () => removeEventListener('hashchange', next);
  }, []);
  useEffect(() => {
    revealModule ??= import('./screens/Reveal');
    revealModule
      .then((m) => setReveal(() => m.Reveal))
      .catch(() => {
        revealModule = null;
        setFailed(true);
      });
  }, []);
  if (Reveal) return <Reveal key={link.n} token={link.token} />;
  return failed ? (
    <p class="error" role="alert">
      {t('networkError')}
    </p>
  ) : (
    <p class="hint" role="status">
      {t('working')}
    </p>
  );
}

function screenFor(path: string) {
  switch (path) {
    case ROUTES.reveal:
      return <RevealScreen />;
    case ROUTES.start:
      return <Start />;
    case ROUTES.register:
      return <Register />;
    case ROUTES.reset:
      return <Reset />;
    case ROUTES.change:
      return <Change />;
    default:
      return null;
  }
}

export function App({ update }: { update: { waiting: boolean; apply: () => void } }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [policy, setPolicy] = useState<Policy>(DEFAULT_POLICY_VIEW);
  const [info, setInfo] = useState<Info | null>(null);
  const [internal, setInternal] = useState<boolean | null>(null);
  const [dismissed, setDismissed] = useState(false);
  const online = useOnline();
  const path = usePath();
  const t = (key: Parameters<typeof translate>[1]) => translate(lang, key);

  setApiLanguage(lang);
  const people = isPeoplePath(path);
  useEffect(() => {
    document.documentElement.lang = lang;
    // The people screens name themselves in the title (one per screen).
    if (!people) document.title = translate(lang, 'appName');
  }, [lang, people]);

  useEffect(() => {
    if (!online) return;
    api<Policy>('GET', '/api/policy').then((r) => r.ok && setPolicy(r.data));
    api<Info>('GET', '/api/info').then((r) => r.ok && setInfo(r.data));
    api<InferOutput<typeof NetworkStatus>>('GET', '/api/network').then((r) =>
      setInternal(r.ok ? r.data.internal : null),
    );
  }, [online]);

  const data: AppData = { policy, info, internal, online };
  const screen = people ? null : screenFor(path);
  return (
    <LangContext.Provider value={lang}>
      <AppDataContext.Provider value={data}>
        <a class="skip" href="#main">
          {lang === 'sv' ? 'Hoppa till innehållet' : 'Skip to content'}
        </a>
        <header class="top">
          <a class="brand" href={ROUTES.start} onClick={onLinkClick}>
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
        {people ? (
          <PeopleScreens path={path} />
        ) : (
          <main id="main">
            {!online && (
              <p class="notice" role="status">
                {t('offline')}
              </p>
            )}
            {screen ?? (
              <section>
                <h1>{t('notFoundHeading')}</h1>
                <a class="button" href={ROUTES.start} onClick={onLinkClick}>
                  {t('home')}
                </a>
              </section>
            )}
          </main>
        )}
        <footer class={people ? 'support wide' : 'support'}>
          <h2>{t('supportHeading')}</h2>
          {info && <SupportContacts channels={info.support} />}
          {info?.development && <DevOutbox />}
        </footer>
      </AppDataContext.Provider>
    </LangContext.Provider>
  );
}
