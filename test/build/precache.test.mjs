// Reads the build output (`npm run build` must have run): the service worker's precache list
// holds the shell and nothing of the API, and the manifest and icons are what the browser will
// be told they are.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const dist = path.resolve(import.meta.dirname, '..', '..', 'dist', 'web');
const sw = readFileSync(path.join(dist, 'sw.js'), 'utf8');
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');

/**
 * injectManifest swaps `self.__WB_MANIFEST` for a stable-stringified JSON array of
 * `{"revision":…,"url":…}`; its end is found by bracket depth because a URL may hold any
 * character, and the rest of the minified bundle is not JSON.
 */
function precacheManifest() {
  const start = sw.indexOf('[{"revision":');
  assert.notEqual(start, -1, 'sw.js carries an injected precache manifest');
  assert.equal(sw.indexOf('[{"revision":', start + 1), -1, 'exactly one injected manifest');
  let depth = 0;
  let inString = false;
  for (let i = start; i < sw.length; i++) {
    const c = sw[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return JSON.parse(sw.slice(start, i + 1));
    }
  }
  assert.fail('the injected precache manifest is not closed');
}

function attribute(tag, name) {
  const match = new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return match?.[1];
}

/** The scripts and stylesheets the first screen loads, as paths relative to dist/web. */
function firstScreenAssets() {
  const files = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, 'src');
    if (src) files.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel')?.split(/\s+/) ?? [];
    const href = attribute(tag, 'href');
    if (href && (rel.includes('stylesheet') || rel.includes('modulepreload'))) files.push(href);
  }
  return files.map((f) => f.replace(/^\.?\//, ''));
}

/** Width and height from a PNG's IHDR chunk, which always comes first. */
function pngSize(file) {
  const bytes = readFileSync(file);
  assert.deepEqual(
    [...bytes.subarray(0, 8)],
    [137, 80, 78, 71, 13, 10, 26, 10],
    `${file} is a PNG`,
  );
  assert.equal(bytes.toString('ascii', 12, 16), 'IHDR', `${file} starts with IHDR`);
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

const icons = [
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/maskable-512.png',
  'icons/apple-touch-icon.png',
  'icons/icon.svg',
];

describe('the built service worker', () => {
  const entries = precacheManifest();
  const urls = entries.map((entry) => entry.url);

  it('injects {url, revision} entries, each file once', () => {
    assert.ok(entries.length > 0);
    for (const entry of entries) {
      assert.equal(typeof entry.url, 'string');
      // null is only for names Vite already hashed; everything else needs a revision.
      if (entry.revision === null) assert.match(entry.url, /^assets\//);
      else assert.match(entry.revision, /^[0-9a-f]{32}$/);
    }
    assert.equal(new Set(urls).size, urls.length);
  });

  it('precaches index.html and every script and stylesheet it loads', () => {
    assert.ok(urls.includes('index.html'));
    const assets = firstScreenAssets();
    assert.ok(
      assets.some((f) => f.endsWith('.js')),
      'index.html loads a script',
    );
    assert.ok(
      assets.some((f) => f.endsWith('.css')),
      'index.html loads a stylesheet',
    );
    for (const asset of assets) assert.ok(urls.includes(asset), `${asset} is precached`);
  });

  it('precaches the web app manifest and every icon', () => {
    assert.ok(urls.includes('manifest.webmanifest'));
    for (const icon of icons) assert.ok(urls.includes(icon), `${icon} is precached`);
  });

  it('never precaches the API, the service worker itself or the headers file', () => {
    assert.deepEqual(
      urls.filter((u) => u.startsWith('api/') || u.startsWith('/api/')),
      [],
    );
    assert.ok(!urls.includes('sw.js'));
    assert.ok(!urls.includes('_headers'));
  });

  it('routes navigations to the cached shell but keeps /api/ out', () => {
    assert.ok(sw.includes('/index.html'));
    assert.ok(sw.includes('denylist:[/^\\/api\\//]'), 'the /api/ denylist is in the bundle');
    assert.ok(!/^\s*(import|export)\b/m.test(sw), 'a classic script: no import or export');
  });
});

describe('the web app manifest', () => {
  const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.webmanifest'), 'utf8'));

  it('has the Swedish name, language and standalone display of an installable app', () => {
    assert.equal(manifest.name, 'Nyckel – lösenord för brevlådor');
    assert.equal(manifest.short_name, 'Nyckel');
    assert.ok(manifest.description?.length > 20, 'a description');
    assert.equal(manifest.lang, 'sv');
    assert.equal(manifest.dir, 'ltr');
    assert.equal(manifest.id, '/');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.scope, '/');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.orientation, 'any');
    assert.equal(manifest.theme_color, '#0b4f6c');
    assert.equal(manifest.background_color, '#ffffff');
  });

  it('names 192, 512, maskable and SVG icons', () => {
    const find = (src) => manifest.icons.find((i) => i.src === src);
    assert.deepEqual(
      { ...find('/icons/icon-192.png') },
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    );
    assert.deepEqual(
      { ...find('/icons/icon-512.png') },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    );
    assert.deepEqual(
      { ...find('/icons/maskable-512.png') },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    );
    assert.equal(find('/icons/icon.svg')?.sizes, 'any');
    assert.equal(find('/icons/icon.svg')?.type, 'image/svg+xml');
  });

  it('names only icon files that exist, PNGs at the pixel size declared', () => {
    for (const icon of manifest.icons) {
      const file = path.join(dist, icon.src);
      assert.ok(existsSync(file), `${icon.src} exists`);
      if (icon.type === 'image/png') assert.equal(pngSize(file), icon.sizes, icon.src);
    }
    assert.equal(pngSize(path.join(dist, 'icons', 'apple-touch-icon.png')), '180x180');
  });
});
