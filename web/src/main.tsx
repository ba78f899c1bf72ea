import { render } from 'preact';
import { Workbox } from 'workbox-window';
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

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  workbox = new Workbox('/sw.js');
  workbox.addEventListener('waiting', () => {
    waiting = true;
    draw();
  });
  workbox.register().catch(() => {
    // No service worker (private mode, old browser): the app still works online.
  });
}

draw();
