import { render } from 'preact';
import type { Workbox } from 'workbox-window';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
let workbox: Workbox | null = null;
let waiting = false;

function draw() {
  if (!root) return;
  render(
    <App
      update={{
        waiting,
        apply: () => {
          // Reload only once the new service worker has taken over, after the person agreed.
          workbox?.addEventListener('controlling', () => location.reload());
          workbox?.messageSkipWaiting();
        },
      }}
    />,
    root,
  );
}

/**
 * The service worker is registered after the first screen is drawn, from a chunk of its own:
 * a person on mobile data waits only for what the first screen needs.
 */
async function registerServiceWorker() {
  const { Workbox } = await import('workbox-window');
  workbox = new Workbox('/sw.js');
  workbox.addEventListener('waiting', () => {
    waiting = true;
    draw();
  });
  await workbox.register();
}

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  registerServiceWorker().catch(() => {
    // No service worker (private mode, old browser, chunk not loaded): the app still works online.
  });
}

draw();
