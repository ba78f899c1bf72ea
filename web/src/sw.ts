// Editors open this file outside any tsconfig (web/tsconfig.json excludes it, being DOM-only),
// so the worker types come with it; `tsc -p web/tsconfig.sw.json` is the real check.
/// <reference lib="webworker" />

import type { PrecacheEntry } from 'workbox-precaching';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

// scripts/build-sw.mjs replaces the placeholder with the shell's files (HTML, JS, CSS, icons,
// manifest). Nothing else is cached: there is deliberately no runtime caching, so an /api/
// answer (a mailbox view, a reset token) never lands in Cache Storage.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Deep links and reloads open offline too, and the app itself says that a reset needs a
// connection. API calls are not navigations, but a person opening /api/… in the tab must reach
// the network, never the shell.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }),
);

// A new version only takes over when the page asks (workbox-window's messageSkipWaiting(),
// after the person agreed): switching mid-reset would reload away what they typed.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
