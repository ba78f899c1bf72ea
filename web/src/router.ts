import { useLayoutEffect, useState } from 'preact/hooks';

/** The app's routes: Swedish paths, since people may read them in the address bar. */
export const ROUTES = {
  start: '/',
  register: '/registrera',
  reset: '/aterstall',
  change: '/byt-losenord',
  // A staff member's personal link from the SMS: /visa#<token>, loaded on demand.
  reveal: '/visa',
  // Managers, delegates and administrators, loaded as a separate chunk.
  signIn: '/logga-in',
  invite: '/inbjudan',
  manager: '/chef',
  admin: '/admin',
} as const;

export type RouteName = keyof typeof ROUTES;

/** A mailbox's page and a unit's page for managers and delegates. */
export const mailboxPath = (id: string) => `${ROUTES.manager}/brevlada/${encodeURIComponent(id)}`;
export const unitPath = (id: string) => `${ROUTES.manager}/enhet/${encodeURIComponent(id)}`;

/** Paths served by the lazily loaded people screens, not by the mailbox flow. */
export function isPeoplePath(path: string): boolean {
  return [ROUTES.signIn, ROUTES.invite, ROUTES.manager, ROUTES.admin].some(
    (root) => path === root || path.startsWith(`${root}/`),
  );
}

export function navigate(path: string, { replace = false } = {}) {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * The current path, following pushState and the back button. The listener is attached in a
 * layout effect, before the first paint, and the path is read again once it is: a link
 * activated between the first render and a later effect (a quick keyboard user on a slow
 * phone) would otherwise change the address while the screen stayed where it was.
 */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useLayoutEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    update();
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

/** A link that navigates inside the app without a page load. */
export function onLinkClick(event: MouseEvent) {
  const target = event.currentTarget as HTMLAnchorElement;
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(target.getAttribute('href') ?? '/');
}
