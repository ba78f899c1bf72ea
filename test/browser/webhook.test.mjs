// The administrator's webhook screen in Debian's Chromium against the app started as
// `npm start` does. An administrator (invited from the CLI, passkey) finds the webhook off for
// want of a receiver (the development WEBHOOK_SECRET is set; a missing secret is shown from an
// answer changed in the browser), sees a receiver that is no URL, one that is not https, a key
// that is not JSON, a short key and writeback without a key refused against their own fields,
// saves an https receiver with writeback and the connector's key (fingerprint shown), and sends
// a test event that honestly cannot arrive. Then a receiver on this machine gets the ping
// (through the step-up dialog) and a real password change, encrypted; the deliveries table
// shows it. axe and 44 px targets throughout (English in dark mode too); tablet and phone
// screenshots as screenshots/webhook-*.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  addVirtualAuthenticator,
  adminInviteToken,
  ageStrongChecks,
  axe,
  expectFocus,
  expectGoodScreen,
  launch,
  openPage,
  PHONE,
  shot,
  startApp,
  TABLET,
} from './harness.mjs';

const ADMIN = { name: 'Vera Webb', email: 'vera.webb@example.se' };
const HEADING = 'Webhook till katalogen';
/** A receiver nobody answers for (RFC 2606 .invalid never resolves). */
const UNREACHABLE = 'https://katalog.nyckel.invalid/nyckel';
/** A demo mailbox from scripts/seed.ts, whose password the last test changes. */
const MAILBOX = { username: 'hemtjanstab', password: 'Brevlada-2026' };

/** The connector's key pair, as its JOSE library would export the public half. */
function rsaJwk(bits) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ format: 'jwk' });
}
const KEY = rsaJwk(2048);
/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
const THUMBPRINT = createHash('sha256')
  .update(JSON.stringify({ e: KEY.e, kty: KEY.kty, n: KEY.n }))
  .digest('base64url');

let app;
let browser;
/** One signed-in administrator for the whole file: an invite works once. */
let tablet;
/** A receiver on this machine (http://localhost is allowed in development only). */
let receiver;
const received = [];

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, resolve));
  // A short timeout: the unreachable receiver must not hold a test for eight seconds.
  app = await startApp({ vars: ['WEBHOOK_TIMEOUT_MS=3000'] });
  browser = await launch();
});

after(async () => {
  await tablet?.context.close();
  await browser?.close();
  app?.stop();
  receiver?.close();
});

const inviteToken = () => adminInviteToken(app, ADMIN);

async function expectAccessible(page, what) {
  assert.deepEqual(await axe(page), [], `axe violations on ${what}`);
}

const expectGood = (page, what) => expectGoodScreen(page, what);

const statePanel = (page) => page.getByRole('region', { name: 'Läget nu' });
const testPanel = (page) => page.getByRole('region', { name: 'Testa mottagaren' });

async function save(page) {
  await page.getByRole('button', { name: 'Spara inställningarna' }).click();
}

/** Saves and waits for the server's answer, so an earlier confirmation is not taken for it. */
async function saveAndWait(page) {
  const answered = page.waitForResponse(
    (r) => r.url().endsWith('/api/admin/webhook') && r.request().method() === 'PUT',
  );
  await save(page);
  assert.equal((await answered).status(), 200);
}

/**
 * The error summary's text once it names `expected`, with the focus on it (a summary from the
 * previous try stays until the answer comes).
 */
async function summaryText(page, expected) {
  const summary = page.locator('.error-summary', { hasText: expected });
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
  return summary.innerText();
}

async function settingsNow(page) {
  return (await page.request.get('/api/admin/webhook')).json();
}

describe('webhook settings at tablet size', { timeout: 120_000 }, () => {
  it('shows the webhook off for want of a receiver, and says so when a test is asked for', async () => {
    // WebAuthn refuses an IP address as relying party: the page must be on localhost.
    tablet = await openPage(browser, app.localhost, TABLET);
    const { page } = tablet;
    page.setDefaultTimeout(15_000);
    await addVirtualAuthenticator(page);
    await page.goto(`/inbjudan#${inviteToken()}`);
    await page
      .getByRole('link', { name: /Skapa lösenordsnyckel/ })
      .or(page.getByRole('button', { name: /Skapa lösenordsnyckel/ }))
      .click();
    await page.waitForURL(/\/chef/);
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    await page
      .locator('.admin-sections')
      .getByRole('link', { name: new RegExp(`^${HEADING}`) })
      .waitFor();

    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: HEADING })
      .click();
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    await expectFocus(page, { tag: 'h1', text: HEADING });
    assert.match(
      await page.locator('main').innerText(),
      /Lösenordet skickas aldrig med, utom när återskrivning är på – och då bara krypterat till kopplingens publika nyckel\./,
    );
    const state = await statePanel(page).innerText();
    assert.match(state, /Av\s+Webhooken är av: det finns ingen mottagaradress/);
    assert.match(state, /Så länge webhooken är av sparas inga händelser/);
    assert.match(state, /Ingen nyckel sparad/);
    assert.ok(await page.getByLabel('Till standardadressen från driften').isChecked());
    assert.match(await page.locator('main').innerText(), /WEBHOOK_URL är tom/);
    assert.equal(await page.getByLabel('Mottagarens adress').count(), 0);
    assert.match(await page.locator('main').innerText(), /Inga händelser än\./);

    await testPanel(page).getByRole('button', { name: 'Skicka testhändelse' }).click();
    await testPanel(page)
      .getByRole('status')
      .getByText('Ingen testhändelse skickades: det finns ingen mottagaradress.')
      .waitFor();
    await expectGood(page, 'the webhook off');
    await shot(page, 'webhook-tablet-off');
  });

  it('says in words that WEBHOOK_SECRET is missing when the deployment has none', async () => {
    const { page } = tablet;
    // The development secret is always set (.dev.vars); the answer is changed in the browser.
    await page.route('**/api/admin/webhook', async (route) => {
      const response = await route.fetch();
      const view = await response.json();
      await route.fulfill({
        response,
        json: { ...view, secretConfigured: false, active: false, inactiveReason: 'no_secret' },
      });
    });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    await statePanel(page)
      .getByText(
        'Webhooken är av: WEBHOOK_SECRET saknas – be driften lägga in den med wrangler secret put.',
      )
      .waitFor();
    await expectAccessible(page, 'the webhook without a secret');
    await shot(page, 'webhook-tablet-no-secret');
    await page.unroute('**/api/admin/webhook');
    await page.reload();
    await statePanel(page)
      .getByText(/det finns ingen mottagaradress/)
      .waitFor();
  });

  it('refuses a receiver that is no URL or not https, a key that is not JSON, a short key and writeback without a key, each against its field', async () => {
    const { page } = tablet;
    await page.getByLabel('Till en annan adress').check();
    const url = page.getByLabel('Mottagarens adress');
    const key = page.getByLabel('Kopplingens publika nyckel (JWK)');

    // Checked in the browser: both problems at once, each linked to its field.
    await url.fill('katalogen på servern');
    await key.fill('{"kty": "RSA", "n": ');
    await save(page);
    const summary = await summaryText(page, /Adressen är inte en webbadress/);
    assert.match(summary, /Nyckeln är inte giltig JSON/);
    assert.equal(await url.getAttribute('aria-invalid'), 'true');
    assert.equal(await key.getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#wh-key-error').innerText(), /inte giltig JSON/);
    await page.getByRole('link', { name: /Nyckeln är inte giltig JSON/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'wh-key');
    await expectGood(page, 'the form with errors found in the browser');
    await shot(page, 'webhook-tablet-errors');

    // Refused by the server (400 invalid_request naming `url`): plain http to another host.
    await url.fill('http://katalog.example.se/nyckel');
    await key.fill('');
    await save(page);
    await summaryText(page, /Adressen måste börja med https:\/\//);
    assert.equal(await url.getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#wh-url-error').innerText(), /måste börja med https/);
    assert.equal(await key.getAttribute('aria-invalid'), null);

    // Naming `publicKey`: a 1024-bit key.
    await url.fill(UNREACHABLE);
    await key.fill(JSON.stringify(rsaJwk(1024)));
    await save(page);
    await summaryText(page, /Nyckeln är för kort/);
    assert.equal(await key.getAttribute('aria-invalid'), 'true');
    assert.equal(await url.getAttribute('aria-invalid'), null);

    // Naming `writeback`: writeback asked for without a key.
    await key.fill('');
    await page.getByLabel('Skicka det nya lösenordet till katalogen').check();
    await save(page);
    await summaryText(page, /Återskrivning behöver kopplingens publika nyckel/);
    assert.match(
      await page.locator('#wh-writeback-error').innerText(),
      /Återskrivning behöver kopplingens publika nyckel/,
    );
    await page.getByRole('link', { name: /Återskrivning behöver/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'wh-writeback-on');
    await expectAccessible(page, 'the form with errors from the server');

    // Nothing of it was saved.
    const now = await settingsNow(page);
    assert.equal(now.source, 'default');
    assert.equal(now.writeback, false);
  });

  it('saves an https receiver with writeback and the key, shows its fingerprint, and says honestly that the test event cannot arrive', async () => {
    const { page } = tablet;
    await page.getByLabel('Mottagarens adress').fill(UNREACHABLE);
    await page.getByLabel('Kopplingens publika nyckel (JWK)').fill(JSON.stringify(KEY, null, 2));
    await saveAndWait(page);
    await page
      .getByRole('status')
      .getByText('Inställningarna är sparade. Webhooken är på.')
      .waitFor();
    assert.equal(await page.locator('.error-summary').count(), 0);
    await statePanel(page).getByText('Webhooken är på.', { exact: false }).waitFor();
    const state = await statePanel(page).innerText();
    assert.match(state, /På\s+Webhooken är på/);
    assert.ok(state.includes(UNREACHABLE), 'the receiver in force');
    assert.match(state, /Ändrad här/);
    assert.match(state, /På – nya lösenord skickas krypterade/);
    assert.ok(state.includes(THUMBPRINT), `the key's RFC 7638 thumbprint ${THUMBPRINT}`);
    const saved = await settingsNow(page);
    assert.equal(saved.url, UNREACHABLE);
    assert.equal(saved.publicKeyFingerprint, THUMBPRINT);
    assert.equal(saved.writeback, true);

    const button = testPanel(page).getByRole('button', { name: 'Skicka testhändelse' });
    await button.click();
    const result = testPanel(page).getByRole('status').locator('p');
    await result.waitFor();
    assert.match(
      await result.innerText(),
      /^Testhändelsen kom inte fram: (det gick inte att nå mottagaren alls|mottagaren svarade inte i tid)/,
    );
    assert.equal(await result.getAttribute('class'), 'error');
    await expectGood(page, 'the webhook on, with a failed test');
    await shot(page, 'webhook-tablet-on');
  });

  it('delivers the test event (after a fresh passkey check) and a real password change to a receiver on this machine', async () => {
    const { page } = tablet;
    const local = `http://localhost:${receiver.address().port}/hook`;
    // The key is not shown again: the text area still holds what was pasted, so it is kept.
    await page.getByLabel('Mottagarens adress').fill(local);
    await saveAndWait(page);
    await page
      .getByRole('status')
      .getByText('Inställningarna är sparade. Webhooken är på.')
      .waitFor();
    assert.equal((await settingsNow(page)).publicKeyFingerprint, THUMBPRINT);

    // Ten minutes after the last strong check, the test asks for the passkey again first.
    ageStrongChecks(app, 11);
    await testPanel(page).getByRole('button', { name: 'Skicka testhändelse' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await stepUp.waitFor();
    await expectAccessible(page, 'step-up over the webhook screen');
    await stepUp.getByRole('button', { name: 'Bekräfta med lösenordsnyckel' }).click();
    await testPanel(page)
      .getByRole('status')
      .getByText('Testhändelsen kom fram. Mottagaren svarade 204.')
      .waitFor();
    const ping = received.find((r) => r.body.event === 'ping');
    assert.ok(ping, 'the receiver got the ping');
    assert.match(ping.headers['nyckel-signature'], /\S/);

    // A mailbox password change goes out at once, the password encrypted to the key (JWE).
    const login = await fetch(`${app.base}/api/mailbox/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(MAILBOX),
    });
    assert.equal(login.status, 200);
    const cookie = /nyckel_mailbox=([^;]+)/.exec(login.headers.get('set-cookie'))?.[1];
    const change = await fetch(`${app.base}/api/mailbox/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `nyckel_mailbox=${cookie}` },
      body: JSON.stringify({ currentPassword: MAILBOX.password, newPassword: 'Webbkrok-2026x' }),
    });
    assert.equal(change.status, 204);
    for (let i = 0; i < 100 && !received.some((r) => r.body.event !== 'ping'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const event = received.find((r) => r.body.event === 'mailbox.password_changed');
    assert.ok(event, 'the receiver got the password change');
    assert.equal(event.body.mailbox.username, MAILBOX.username);
    assert.equal(event.body.password.split('.').length, 5, 'the password as a compact JWE');
    assert.ok(!JSON.stringify(event.body).includes('Webbkrok-2026x'), 'never in clear');

    await page.reload();
    const row = page.getByRole('row', { name: /Lösenord bytt/ });
    await row.waitFor();
    assert.match(await row.innerText(), /Kom fram/);
    assert.match(await row.innerText(), /HTTP 204/);
    assert.match(await page.locator('.counts').innerText(), /Kom fram\s+1/);
    await expectGood(page, 'the webhook with a delivered event');
    await shot(page, 'webhook-tablet-delivered');
  });

  it('turns the webhook off, then goes back to the default address', async () => {
    const { page } = tablet;
    await page.getByLabel('Ingenstans – stäng av webhooken').check();
    await page.getByLabel('Skicka det nya lösenordet till katalogen').uncheck();
    await page.getByLabel('Kopplingens publika nyckel (JWK)').fill('');
    await saveAndWait(page);
    await page
      .getByRole('status')
      .getByText('Inställningarna är sparade. Webhooken är av.')
      .waitFor();
    await statePanel(page)
      .getByText(/Webhooken är av: det finns ingen mottagaradress/)
      .waitFor();
    let now = await settingsNow(page);
    assert.deepEqual([now.url, now.source, now.writeback], [null, 'settings', false]);
    // An empty key box keeps the saved key; removing it is a choice of its own.
    assert.match(now.publicKeyFingerprint ?? '', /^[\w-]{43}$/);
    assert.ok(await page.getByLabel('Ingenstans – stäng av webhooken').isChecked());
    await page.getByLabel('Ta bort den sparade nyckeln').check();
    await saveAndWait(page);
    await page
      .getByRole('status')
      .getByText('Inställningarna är sparade. Webhooken är av.')
      .waitFor();
    now = await settingsNow(page);
    assert.equal(now.publicKeyFingerprint, null);
    // The form drops the choice once it has re-read the settings, a moment after the answer.
    await page.getByLabel('Ta bort den sparade nyckeln').waitFor({ state: 'detached' });

    await page.getByLabel('Till standardadressen från driften').check();
    await saveAndWait(page);
    await page
      .getByRole('status')
      .getByText('Inställningarna är sparade. Webhooken är av.')
      .waitFor();
    await statePanel(page).getByText('Standardadressen från driften (WEBHOOK_URL).').waitFor();
    now = await settingsNow(page);
    assert.equal(now.source, 'default');
  });
});

describe('webhook settings on a phone and in English', { timeout: 120_000 }, () => {
  it('fits the phone, with 44 px targets and nothing for axe, errors included', async () => {
    const { context, page } = await openPage(browser, app.localhost, PHONE);
    page.setDefaultTimeout(15_000);
    await context.addCookies(await tablet.context.cookies());
    await page.goto('/admin/webhook');
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    await page.getByText('Lösenord bytt').waitFor();
    await expectGood(page, 'the webhook screen on a phone');
    await shot(page, 'webhook-phone');

    await page.getByLabel('Till en annan adress').check();
    await page.getByLabel('Mottagarens adress').fill('ftp://katalog.example.se/');
    await page.getByLabel('Kopplingens publika nyckel (JWK)').fill('inte json');
    await save(page);
    await summaryText(page, /Nyckeln är inte giltig JSON/);
    await page.getByLabel('Kopplingens publika nyckel (JWK)').fill('');
    await save(page);
    await summaryText(page, /Adressen måste börja med https:\/\//);
    await expectGood(page, 'the webhook form with an error on a phone');
    await shot(page, 'webhook-phone-error');
    await context.close();
  });

  it('reads in English on a portrait tablet in dark mode, with nothing for axe', async () => {
    const viewport = { width: 768, height: 1024 };
    const { context, page } = await openPage(browser, app.localhost, viewport, {
      colorScheme: 'dark',
    });
    page.setDefaultTimeout(15_000);
    await context.addCookies(await tablet.context.cookies());
    await page.addInitScript(() => localStorage.setItem('nyckel.lang', 'en'));
    await page.goto('/admin/webhook');
    await page.getByRole('heading', { level: 1, name: 'Directory webhook' }).waitFor();
    await page.getByText('Password changed').waitFor();
    assert.match(
      await page.locator('main').innerText(),
      /The password is never sent unless writeback is on – and then only encrypted to the connector’s public key\./,
    );
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('No test event was sent: there is no receiver address.').waitFor();
    await expectGood(page, 'the webhook screen in English, dark');
    await context.close();
  });
});
