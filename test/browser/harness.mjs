// Shared set-up for the browser tests: the app started exactly as `npm start` starts it (a
// temporary state folder, optional extra vars), Debian's Chromium through playwright-core,
// the phone and tablet viewports, axe, and screenshots under the git-ignored screenshots/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { startLocalApp } from '../../scripts/local-app.mjs';

export const PHONE = { width: 390, height: 844 };
export const TABLET = { width: 1024, height: 768 };
export const SCREENSHOTS = path.resolve('screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

/** Budgets raised: these tests walk flows many times from one address and one number. */
const RELAXED = [
  'RESET_PER_USERNAME_PER_HOUR=1000',
  'RESET_PER_ADDRESS_PER_HOUR=1000',
  'LOGIN_PER_ADDRESS_PER_15_MIN=1000',
  'SMS_PER_ACCOUNT_PER_HOUR=1000',
  'SMS_PER_NUMBER_PER_HOUR=1000',
  'SMS_PER_ADDRESS_PER_HOUR=1000',
];

/** The app as `npm start` runs it, with budgets raised and any extra vars. */
export function startApp({ vars = [] } = {}) {
  return startLocalApp({ vars: [...RELAXED, ...vars] });
}

const CHROMIUM = { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS };

export function launch() {
  return chromium.launch(CHROMIUM);
}

/**
 * A browser with a real profile: Chromium refuses to call an app installable in the
 * incognito-like contexts of `launch()`. Close the returned context to end it.
 */
export async function launchProfile(base, viewport) {
  const profile = mkdtempSync(path.join(tmpdir(), 'nyckel-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM,
    viewport,
    baseURL: base,
    locale: 'sv-SE',
    isMobile: viewport === PHONE,
    hasTouch: viewport === PHONE,
  });
  context.on('close', () => {
    // Chromium may still be flushing its profile for a moment after the close.
    setTimeout(() => rmSync(profile, { recursive: true, force: true, maxRetries: 10 }), 500);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** A fresh context (AxeBuilder needs one from newContext) at a phone or tablet size. */
export async function openPage(browser, base, viewport, options = {}) {
  const context = await browser.newContext({
    viewport,
    baseURL: base,
    locale: options.locale ?? 'sv-SE',
    colorScheme: options.colorScheme ?? 'light',
    hasTouch: viewport === PHONE,
    isMobile: viewport === PHONE,
    serviceWorkers: options.serviceWorkers ?? 'block',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  // Every test waits for the element it needs; waiting for 'load' as well (icons, manifest)
  // only adds a way to time out on a busy machine.
  const goto = page.goto.bind(page);
  page.goto = (url, options) => goto(url, { waitUntil: 'domcontentloaded', ...options });
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, errors };
}

/** axe finds nothing (WCAG 2.1 A and AA rules). Returns the violations for the assertion. */
export async function axe(page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export {
  codeFromOutbox as codeFor,
  outboxSnapshot as seenMessages,
} from '../../scripts/local-app.mjs';

/** The element that has focus: tag and text, to check where a step put the focus. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim() ?? '' };
  });
}
