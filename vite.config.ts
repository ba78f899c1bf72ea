import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** Builds the PWA into dist/web, which the worker serves as Workers static assets. */
export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [preact()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
  },
});
