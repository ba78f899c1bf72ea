import { useLayoutEffect, useState } from 'preact/hooks';
import { PAGES } from '../../worker/domain/page-paths';

export {
  ADMIN_PAGES,
  adminPersonPath,
  ID_PAGES,
  identityPath,
  isPeoplePath,
  MANAGER_PAGES,
  mailboxPath,
  routinePath,
  unitPath,
} from '../../worker/domain/page-paths';

/**
 * The app's routes. The paths live in worker/domain/page-paths.ts, where the worker's links in
 * e-mail and SMS come from too.
 */
export const ROUTES = PAGES;

export type RouteName = keyof typeof ROUTES;

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
