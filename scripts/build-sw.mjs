// Runs after `vite build`: bundles web/src/sw.ts into dist/web/sw.js, then injects the
// precache list (the shell, with revisions) with workbox-build. The service worker is not part
// of the app's Vite graph because it must keep the fixed URL /sw.js, outside assets/.
import { statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { injectManifest } from 'workbox-build';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'dist', 'web');
const swPath = path.join(outDir, 'sw.js');

await build({
  configFile: false,
  root,
  publicDir: false,
  logLevel: 'warn',
  // Workbox strips its development logging only when it sees production.
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir,
    // dist/web already holds the app that the precache list is made from.
    emptyOutDir: false,
    copyPublicDir: false,
    minify: true,
    target: 'es2022',
    // Registered as a classic script (workbox-window's default), so no import/export may remain.
    lib: {
      entry: path.join(root, 'web', 'src', 'sw.ts'),
      formats: ['iife'],
      name: 'nyckelServiceWorker',
      fileName: () => 'sw.js',
    },
  },
});

const { count, size, warnings } = await injectManifest({
  swSrc: swPath,
  swDest: swPath,
  globDirectory: outDir,
  globPatterns: ['**/*.{html,js,css,svg,png,webmanifest}'],
  // The managing app loads on demand: someone resetting a mailbox never downloads it.
  // The full phone-number metadata (the staff list's check) is ~50 KB gzip of which a
  // phone that only resets a mailbox needs nothing.
  globIgnores: ['sw.js', '_headers', 'assets/ManageApp-*', 'assets/AdminApp-*', 'assets/phone-*'],
  // Vite already puts a content hash in these names; a revision would only add a cache-busting
  // query to every install request.
  dontCacheBustURLsMatching: /^assets\/.+-[\w-]{8,}\.\w+$/,
  // The shell is tens of KB; anything near this limit is a mistake worth a warning, not a
  // silently bloated install.
  maximumFileSizeToCacheInBytes: 512 * 1024,
});
for (const warning of warnings) console.warn(`workbox: ${warning}`);
const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(
  `service worker: dist/web/sw.js ${kb(statSync(swPath).size)} KB, precaches ${count} files, ` +
    `${kb(size)} KB in total`,
);
