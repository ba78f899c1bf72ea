import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useAppData } from '../app-data';
import { identityPath, MANAGER_PAGES, ROUTES } from '../router';
import { usePT } from './i18n-people';
import { signOut, usePerson } from './session';

/**
 * The frame of every screen of the managing app: for a signed-in person a bar with where they
 * can go (Hem; Administration for administrators), who is signed in and "Logga ut"; then the
 * page's <main>, wider than the mailbox flow's so a tablet shows a table.
 */
export function ManageLayout({ children }: { children: ComponentChildren }) {
  const t = usePT();
  const { path } = useLocation();
  const person = usePerson();
  const { online } = useAppData();
  const current = (root: string) =>
    path === root || path.startsWith(`${root}/`) ? ('page' as const) : undefined;
  // Home is current on its own pages, New hires on the search and on an identity.
  const inNewHires = path === MANAGER_PAGES.newHires || path.startsWith(identityPath(''));
  return (
    <>
      {person && (
        <nav class="people-nav" aria-label={t('navLabel')}>
          <ul>
            <li>
              <a
                href={ROUTES.manager}
                aria-current={inNewHires ? undefined : current(ROUTES.manager)}
              >
                {t('navHome')}
              </a>
            </li>
            <li>
              <a href={MANAGER_PAGES.newHires} aria-current={inNewHires ? 'page' : undefined}>
                {t('navNewHires')}
              </a>
            </li>
            {person.isAdmin && (
              <li>
                <a href={ROUTES.admin} aria-current={current(ROUTES.admin)}>
                  {t('administration')}
                </a>
              </li>
            )}
          </ul>
          <div class="people-who">
            <span>{t('signedInAs', { name: person.name })}</span>
            <button type="button" class="secondary" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          </div>
        </nav>
      )}
      <main id="main" class="wide">
        {!online && (
          <p class="notice" role="status">
            {t('peopleOffline')}
          </p>
        )}
        {children}
      </main>
    </>
  );
}
