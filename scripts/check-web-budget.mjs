// The first screen's budget, for a phone on mobile data: the JS and CSS that
// dist/web/index.html loads, gzip level 9, at most 30 KB in total. Prints the figure on every
// build; exits 1 over budget.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 30;
const dir = path.resolve(import.meta.dirname, '..', 'dist', 'web');
const html = readFileSync(path.join(dir, 'index.html'), 'utf8');

const gzipBytes = (file) => gzipSync(readFileSync(path.join(dir, file)), { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

function attribute(tag, name) {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Only files this origin serves count; a stray absolute URL would fail loudly on read. */
function local(url) {
  return url?.replace(/^\.?\//, '').split(/[?#]/)[0];
}

const files = new Set();
for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
  const src = local(attribute(tag, 'src'));
  if (src) files.add(src);
}
for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
  const rel = attribute(tag, 'rel')?.toLowerCase().split(/\s+/) ?? [];
  const href = local(attribute(tag, 'href'));
  if (href && (rel.includes('stylesheet') || rel.includes('modulepreload'))) files.add(href);
}

let js = 0;
let css = 0;
for (const file of files) {
  if (file.endsWith('.css')) css += gzipBytes(file);
  else js += gzipBytes(file);
}
const total = js + css;
console.log(
  `first screen: ${kb(total)} KB gzip (JS ${kb(js)} KB, CSS ${kb(css)} KB) of ${BUDGET_KB} KB budget`,
);
console.log(`service worker: sw.js ${kb(gzipBytes('sw.js'))} KB gzip (not in the budget)`);
if (total > BUDGET_KB * 1024) {
  console.error(`over the first-screen budget by ${kb(total - BUDGET_KB * 1024)} KB`);
  process.exit(1);
}
