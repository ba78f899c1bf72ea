import { useEffect, useState } from 'preact/hooks';

/** The app's routes: Swedish paths, since people may read them in the address bar. */
export const ROUTES = {
  start: '/',
  register: '/registrera',
  reset: '/aterstall',
  change: '/byt-losenord',
} as const;

export type RouteName = keyof typeof ROUTES;

export function navigate(path: string) {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path, following pushState and the back button. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
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
