// Shared set-up for the browser tests: the app started exactly as `npm start` starts it (a
// temporary state folder, optional extra vars), Debian's Chromium through playwright-core,
// the phone and tablet viewports, axe, and screenshots under the git-ignored screenshots/.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

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

/** Starts `scripts/start.mjs` on a free port; returns its base URL and a stop function. */
export async function startApp({ vars = [] } = {}) {
  const port = String(21_000 + Math.floor(Math.random() * 8000));
  const state = mkdtempSync(path.join(tmpdir(), 'nyckel-browser-'));
  const server = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      PORT: port,
      NYCKEL_STATE_DIR: state,
      NYCKEL_VARS: [...RELAXED, ...vars].join(' '),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  server.stdout.on('data', (d) => {
    log += d;
  });
  server.stderr.on('data', (d) => {
    log += d;
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (server.exitCode !== null) throw new Error(`npm start exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`npm start did not answer:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    stop() {
      if (server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
      rmSync(state, { recursive: true, force: true });
    },
  };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
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

/** The newest code sent to `phone` that was not in `seen`, read from the development outbox. */
export async function codeFor(base, phone, seen = new Set()) {
  for (let i = 0; i < 60; i++) {
    const outbox = await (await fetch(`${base}/api/dev/outbox`)).json();
    const sms = outbox.find((m) => m.to === phone && !seen.has(m.createdAt + m.body));
    if (sms) {
      seen.add(sms.createdAt + sms.body);
      return /#(\d{6})$/.exec(sms.body)[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code sent to ${phone}`);
}

export async function seenMessages(base) {
  const outbox = await (await fetch(`${base}/api/dev/outbox`)).json();
  return new Set(outbox.map((m) => m.createdAt + m.body));
}

/** The element that has focus: tag and text, to check where a step put the focus. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim() ?? '' };
  });
}
