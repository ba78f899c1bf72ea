// Shared set-up for the browser tests: the app started exactly as `npm start` starts it (a
// temporary state folder, optional extra vars), Debian's Chromium through playwright-core,
// the phone and tablet viewports, axe, and screenshots under the git-ignored screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import * as OTPAuth from 'otpauth';
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
  // Every test's resets come from one network (the loopback address).
  'SMS_RESET_PER_NUMBER_PER_NETWORK_PER_HOUR=1000',
  'SMS_RESET_PER_NUMBER_PER_HOUR=1000',
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
  // The same for a reload: a CI run once waited 15 s for a 'load' that never came.
  const reload = page.reload.bind(page);
  page.reload = (options) => reload({ waitUntil: 'domcontentloaded', ...options });
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, errors };
}

/** axe finds nothing (WCAG 2.1 A and AA rules). Returns the violations for the assertion. */
export async function axe(page) {
  const result = await new AxeBuilder({ page })
    // WCAG 2.5.3 (label in name): axe marks its rule experimental and leaves it off; a voice
    // user says what they see, so every control's name must contain its visible text.
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
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

/** A valid personnummer (the Luhn digit computed) for the date `yymmdd` and a serial 0–999. */
export function personnummer(yymmdd, serial) {
  const base = `${yymmdd}${String(serial % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(base[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `19${base.slice(0, 6)}-${base.slice(6)}${(10 - (sum % 10)) % 10}`;
}

/** The element that has focus: tag and text, to check where a step put the focus. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim() ?? '' };
  });
}

/**
 * Waits until the focus is on the element described (tag and text), then asserts it. A step
 * moves the focus after it renders, so a check made at once can read the previous element.
 */
export async function expectFocus(page, expected, timeout = 5000) {
  await page
    .waitForFunction(
      ({ tag, text }) => {
        const el = document.activeElement;
        return el?.tagName.toLowerCase() === tag && (el.textContent?.trim() ?? '') === text;
      },
      expected,
      { timeout },
    )
    .catch(() => {});
  assert.deepEqual(await focused(page), expected);
}

// ─── People: passkeys, TOTP codes, invite links, an aged strong check ───

/**
 * Chromium's virtual authenticator (CDP WebAuthn domain) on this page: a platform
 * authenticator with resident keys and user verification that answers every ceremony at once.
 * Passkey pages must be opened at http://localhost:PORT: an IP address is no RP ID.
 */
export async function addVirtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    authenticatorId,
    credentials: async () =>
      (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

/** The authenticator app's code for a base32 secret, `step` periods of 30 s from now. */
export function totpCode(secret, { step = 0 } = {}) {
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '')),
  }).generate({ timestamp: Date.now() + step * 30_000 });
}

/**
 * The enrolment link in the newest invite e-mail to `email` in the development outbox
 * (an administrator's or a manager's invite); the mail is sent in the background, so it polls.
 */
export async function inviteLinkFromOutbox(base, email) {
  for (let i = 0; i < 100; i++) {
    const outbox = await (await fetch(`${base}/api/dev/outbox`)).json();
    const mail = outbox.find((m) => m.to === email && /\/inbjudan#/.test(m.body));
    const link = mail && /(https?:\/\/\S+\/inbjudan#[\w-]+)/.exec(mail.body)?.[1];
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no invite e-mail to ${email}`);
}

/**
 * Enrols the invite's person with an authenticator app through the API, as the enrolment
 * screen does: returns the person's session cookie value, the TOTP secret and the PersonView.
 */
export async function enrolWithTotp(origin, link) {
  const token = new URL(link).hash.slice(1);
  const post = (path, body, cookie) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: origin,
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body: JSON.stringify(body),
    });
  const options = await (await post('/api/people/enrol/totp/options', { token })).json();
  const res = await post('/api/people/enrol/totp', { token, code: totpCode(options.secret) });
  if (res.status !== 200) throw new Error(`enrolment refused: ${res.status} ${await res.text()}`);
  const cookie = /nyckel_person=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  return { cookie, secret: options.secret, person: await res.json() };
}

/** A person's session cookie in a browser context opened at http://localhost:PORT. */
export function personCookie(value) {
  return {
    name: 'nyckel_person',
    value,
    domain: 'localhost',
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
  };
}

/** Runs SQL on the app's local D1 (its --persist-to folder) while the app runs. */
export function runLocalSql(app, sql) {
  execFileSync(
    path.join('node_modules', '.bin', 'wrangler'),
    ['d1', 'execute', 'DB', '--local', '--persist-to', app.state, '--command', sql],
    { stdio: 'ignore', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
}

/**
 * Makes every person's last strong check `minutes` older, as if the sign-in had happened that
 * long ago: the step-up dialog can be tested without waiting ten minutes.
 */
export function ageStrongChecks(app, minutes) {
  runLocalSql(
    app,
    `UPDATE sessions SET verified_at = verified_at - ${minutes * 60} WHERE kind = 'person'`,
  );
}

/** Locks a mailbox the way a stranger would: wrong passwords until the lockout. */
export async function lockMailbox(base, username, tries = 5) {
  for (let i = 0; i < tries; i++) {
    await fetch(`${base}/api/mailbox/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: `Fel-Losen-${i}-x` }),
    });
  }
}

/** Interactive elements smaller than 44×44 CSS px (WCAG 2.5.5), visible ones only. */
export function smallTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('a, button, input, summary')]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('skip'))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ el, box }) => `${el.tagName} "${el.textContent?.trim()}" ${box.width}×${box.height}`),
  );
}

/**
 * Like smallTargets, with selects and text areas too, and a checkbox or radio measured by its
 * label: the label is the part a finger presses (the administrator's forms).
 */
export function smallTargetsByLabel(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('a, button, input, select, textarea, summary')]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('skip'))
      .map((el) => {
        const target =
          el.type === 'checkbox' || el.type === 'radio'
            ? (el.closest('label') ?? document.querySelector(`label[for="${el.id}"]`) ?? el)
            : el;
        return { el, box: target.getBoundingClientRect() };
      })
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ el, box }) => `${el.tagName} "${el.textContent?.trim()}" ${box.width}×${box.height}`),
  );
}

/** Everything the page's origin keeps: Cache Storage bodies, IndexedDB, both storages. */
export function storedText(page) {
  return page.evaluate(async () => {
    const parts = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        parts.push(request.url);
        const response = await cache.match(request);
        parts.push(await response.text());
      }
    }
    for (const info of await indexedDB.databases()) {
      parts.push(info.name);
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(info.name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((resolve) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => resolve([]);
        });
        parts.push(JSON.stringify(all));
      }
      db.close();
    }
    parts.push(JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }));
    parts.push(location.href, String(history.length));
    return parts.join('\n');
  });
}

/**
 * The first administrator's invite, as a newcomer gets it: `npm run admin -- invite`
 * against the app's local D1. Only the token after # is used, since the CLI may print
 * another port than the test's.
 */
export function adminInviteToken(app, { email, name }) {
  const out = execFileSync(
    path.join('node_modules', '.bin', 'tsx'),
    ['scripts/admin.ts', 'invite', email, '--name', name, '--persist-to', app.state],
    { encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  const token = /\/inbjudan#([\w-]+)/.exec(out)?.[1];
  assert.ok(token, `no invite link in the CLI's output:\n${out}`);
  return token;
}

/**
 * axe finds nothing, no touch target is under 44 px (as `targets` measures them: by the
 * label for forms with checkboxes, by the element otherwise), nothing is wider than the screen.
 */
export async function expectGoodScreen(page, what, targets = smallTargetsByLabel) {
  assert.deepEqual(await axe(page), [], `axe violations on ${what}`);
  assert.deepEqual(await targets(page), [], `small touch targets on ${what}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the screen`);
}

/** The personal link in the newest SMS to `phone` not yet in `seen` (added to it); polls. */
export async function linkTo(base, phone, seen) {
  for (let i = 0; i < 100; i++) {
    const outbox = await (await fetch(`${base}/api/dev/outbox`)).json();
    const sms = outbox.find((m) => m.to === phone && !seen.has(m.createdAt + m.body));
    const link = sms && /(https?:\/\/\S+\/visa#[\w-]+)/.exec(sms.body)?.[1];
    if (link) {
      seen.add(sms.createdAt + sms.body);
      return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no link sent to ${phone}`);
}

/**
 * A password shown exactly as it is: `run` holds its text and no elements (no group gaps or
 * separators). Opens "Visa tecken för tecken" and returns the password and the spelled-out
 * list, one "W stor" per character.
 */
export async function spellOut(page, run) {
  const password = await run.textContent();
  assert.equal(await run.evaluate((el) => el.children.length), 0, 'one run, no separators');
  const toggle = page.getByRole('button', { name: 'Visa tecken för tecken' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const list = page.getByRole('list', { name: 'Lösenordet tecken för tecken' });
  assert.equal(await toggle.getAttribute('aria-controls'), await list.getAttribute('id'));
  const items = await list.getByRole('listitem').allInnerTexts();
  return { password, items: items.map((text) => text.replace(/\s+/g, ' ').trim()) };
}

/** What the spelled-out list says for a password of letters, digits and hyphens, in Swedish. */
export function spelledSv(password) {
  return [...password].map((c) =>
    c === '-'
      ? '- bindestreck'
      : /\d/.test(c)
        ? `${c} siffra`
        : c === c.toUpperCase()
          ? `${c} stor`
          : `${c} liten`,
  );
}

/**
 * Answers the manager's "Återställa lösenordet för …?" with yes: every reset on behalf asks
 * first. Returns the dialog's text, to check what it said would happen.
 */
export async function confirmResetOnBehalf(page) {
  const dialog = page.getByRole('dialog', { name: /^Återställa lösenordet för / });
  await dialog.waitFor();
  const text = await dialog.innerText();
  await dialog.getByRole('button', { name: 'Återställ lösenordet' }).click();
  await dialog.waitFor({ state: 'detached' });
  return text;
}
