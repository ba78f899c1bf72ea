import { type ComponentType, h, type JSX, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { lazy, Router } from 'preact-iso';
import { PAGES } from '../../worker/domain/page-paths';

export {
  ADMIN_PAGES,
  adminPersonPath,
  ID_PAGES,
  identityPath,
  isManagePath,
  MANAGER_PAGES,
  mailboxPath,
  routinePath,
  unitPath,
} from '../../worker/domain/page-paths';

/**
 * The app's routes. The paths live in worker/domain/page-paths.ts, where the worker's links in
 * e-mail and SMS come from too. Navigation is preact-iso's: its LocationProvider (app.tsx)
 * follows same-origin links, pushState and the back button, and `useLocation().route` moves
 * to a page from code.
 */
export const ROUTES = PAGES;

export type RouteName = keyof typeof ROUTES;

/*
 * The helpers for lazily loaded screens live here, in the module the managing app imports
 * anyway: imported from a module of their own, they made the bundler split preact out of the
 * first screen's script into a second file, past the 30 KB budget.
 */

/**
 * A screen in a chunk of its own, fetched when it is first drawn: preact-iso's lazy(), whose
 * Router keeps the previous page on screen meanwhile. preact-iso's and not preact/compat's,
 * since compat would land in the mailbox flow's first screen. A chunk that cannot be fetched
 * (offline, or a deploy replaced it) draws `Failed` rather than nothing, and the screen's next
 * visit fetches it again instead of remembering the failure for the rest of the session.
 */
export function lazyScreen<P extends object>(
  load: () => Promise<ComponentType<P>>,
  Failed: ComponentType,
): ComponentType<P> {
  let Screen: ComponentType<P>;
  const attempt = () => {
    Screen = lazy(() => load().catch(() => FailedOnce as ComponentType<P>));
  };
  function FailedOnce() {
    useEffect(() => attempt, []);
    return h(Failed, null);
  }
  attempt();
  return (props: P) => h(Screen, props);
}

/**
 * A Router that says "working" while a screen's chunk is on its way (preact-iso keeps the
 * previous page meanwhile, and there is none on a first visit).
 */
export function ChunkRouter({ hint, children }: { hint: JSX.Element; children: VNode | VNode[] }) {
  const [loading, setLoading] = useState(false);
  return (
    <>
      {loading && hint}
      <Router onLoadStart={() => setLoading(true)} onLoadEnd={() => setLoading(false)}>
        {[children]}
      </Router>
    </>
  );
}
