// `npm run bench:web`: Lighthouse (mobile emulation, Debian's Chromium) against the app as
// `npm start` runs it, plus the first screen's JS+CSS gzip bytes. The budgets:
// performance ≥ 95, accessibility 100, best practices ≥ 95. Exits 1 when one is missed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { startLocalApp } from '../scripts/local-app.mjs';

const BUDGET = { performance: 95, accessibility: 100, 'best-practices': 95 };
const PAGES = ['/', '/aterstall', '/registrera', '/byt-losenord'];
const RUNS = 3;

const budgetLine = execFileSync(process.execPath, ['scripts/check-web-budget.mjs'], {
  encoding: 'utf8',
}).trim();

const app = await startLocalApp({ portBase: 40_000 });
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM_PATH,
  chromeFlags: CHROMIUM_FLAGS,
});
const rows = [];
let failed = false;
try {
  for (const page of PAGES) {
    // Lighthouse's own advice: judge the median of several runs, not one noisy run.
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(
        await lighthouse(`${app.base}${page}`, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: Object.keys(BUDGET),
        }),
      );
    }
    runs.sort(
      (a, b) =>
        (a?.lhr.categories.performance?.score ?? 0) - (b?.lhr.categories.performance?.score ?? 0),
    );
    const result = runs[Math.floor(RUNS / 2)];
    const scores = Object.fromEntries(
      Object.keys(BUDGET).map((key) => [
        key,
        Math.round((result?.lhr.categories[key]?.score ?? 0) * 100),
      ]),
    );
    const misses = Object.entries(BUDGET)
      .filter(([key, min]) => scores[key] < min)
      .map(([key]) => key);
    if (misses.length > 0) {
      failed = true;
      for (const key of misses) {
        const category = result?.lhr.categories[key];
        const weak = (category?.auditRefs ?? [])
          .map((ref) => result?.lhr.audits[ref.id])
          .filter((audit) => audit && audit.score !== null && audit.score < 1)
          .map((audit) => `${audit.id} (${audit.score})`);
        console.log(`${page} ${key}: ${weak.join(', ')}`);
      }
    }
    rows.push({ page, ...scores });
  }
} finally {
  chrome.kill();
  app.stop();
}

console.log(`\n${budgetLine}\n`);
console.log(`median of ${RUNS} Lighthouse runs (mobile emulation) per page`);
console.log('page            performance  accessibility  best-practices');
for (const r of rows) {
  console.log(
    `${r.page.padEnd(16)}${String(r.performance).padStart(11)}${String(r.accessibility).padStart(15)}${String(r['best-practices']).padStart(16)}`,
  );
}
mkdirSync('bench', { recursive: true });
writeFileSync(
  path.join('bench', 'results-web.json'),
  JSON.stringify({ at: new Date().toISOString(), budget: budgetLine, rows }, null, 2),
);
if (failed) {
  console.log('\nA Lighthouse budget was missed (see above).');
  process.exit(1);
}
