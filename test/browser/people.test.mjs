// Sign-in and enrolment for managers, delegates and administrators in Debian's Chromium at
// phone size, against the app started as `npm start` does: the demo manager's invite link,
// a passkey made and used with Chromium's virtual authenticator (CDP WebAuthn), an invite by
// e-mail from the development outbox enrolled with an authenticator app (codes computed from
// the secret on screen), the step-up dialog and the idle sign-out. Passkeys need a host name
// as relying party, so these pages open at http://localhost:PORT, never 127.0.0.1.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  addVirtualAuthenticator,
  ageStrongChecks,
  axe,
  confirmResetOnBehalf,
  expectFocus,
  focused,
  inviteLinkFromOutbox,
  launch,
  openPage,
  PHONE,
  SCREENSHOTS,
  shot,
  smallTargets,
  startApp,
  totpCode,
} from './harness.mjs';

let app;
let browser;
/** The delegate's enrolment link, from the invite e-mail the demo manager sends below. */
let delegateLink;

before(async () => {
  app = await startApp();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  app?.stop();
});

async function expectAccessible(page, what) {
  assert.deepEqual(await axe(page), [], `axe violations on ${what}`);
  assert.deepEqual(await smallTargets(page), [], `small touch targets on ${what}`);
}

/** Nothing about the person, no password or code, in any storage the page can write. */
async function expectNothingStored(page, words) {
  const stored = await page.evaluate(async () => ({
    local: JSON.stringify(localStorage),
    session: JSON.stringify(sessionStorage),
    idb: (await indexedDB.databases()).map((d) => d.name),
  }));
  for (const word of words) {
    assert.doesNotMatch(stored.local + stored.session, new RegExp(word, 'i'));
  }
  assert.deepEqual(stored.idb, []);
}

const main = (page) => page.locator('main').innerText();

describe('the demo manager, with a passkey', { timeout: 150_000 }, () => {
  let context;
  let page;
  let errors;
  let authenticator;
  let link;

  before(async () => {
    ({ context, page, errors } = await openPage(browser, app.localhost, PHONE));
    // One wrong step should fail in seconds, not hold the steps after it for 30 s each.
    context.setDefaultTimeout(20_000);
    authenticator = await addVirtualAuthenticator(page);
    link = app.demoInviteLink();
    assert.ok(link, 'npm start prints the demo manager’s enrolment link');
  });

  after(() => context?.close());

  it('shows who the invite is for and takes its code out of the address bar', async () => {
    await page.goto(link);
    await page.getByRole('heading', { name: 'Välkommen till Nyckel' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Välkommen till Nyckel' });
    assert.match(await main(page), /Inbjudan gäller Maria Lind \(maria\.lind@example\.se\)/);
    assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');
    assert.equal(await page.title(), 'Välkommen till Nyckel – Nyckel');
    await expectAccessible(page, 'invite');
    await shot(page, 'people-invite-phone');
  });

  it('creates a passkey and lands on the manager home, signed in', async () => {
    await page.getByRole('button', { name: 'Skapa lösenordsnyckel' }).click();
    await page.getByRole('heading', { name: 'Översikt' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/chef');
    assert.match(await main(page), /Klart! Du är inloggad/);
    assert.match(await page.getByRole('navigation').innerText(), /Inloggad som Maria Lind/);
    const credentials = await authenticator.credentials();
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true, 'a discoverable passkey');
    await expectNothingStored(page, ['maria', 'lind']);
  });

  it('signs out, then signs in again with the passkey alone', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    assert.match(await main(page), /Du är utloggad/);
    await expectAccessible(page, 'sign-in');
    await shot(page, 'people-sign-in-phone');
    const home = await fetch(`${app.base}/api/manager/overview`);
    assert.equal(home.status, 401);

    await page.getByRole('button', { name: 'Logga in med lösenordsnyckel' }).click();
    await page.getByRole('heading', { name: 'Översikt' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Översikt' });
    assert.deepEqual(errors, []);
  });

  it('sends a signed-out person to sign in and back to the page they asked for', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    await page.goto('/chef/enhet/demo-unit-aby');
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    assert.equal(
      new URL(page.url()).search,
      `?next=${encodeURIComponent('/chef/enhet/demo-unit-aby')}`,
    );
    await page.getByRole('button', { name: 'Logga in med lösenordsnyckel' }).click();
    await page.getByRole('heading', { name: 'Hemtjänst Åby', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/chef/enhet/demo-unit-aby');

    // Only a path on this site is a place to go back to.
    await page.goto('/logga-in?next=//evil.example/chef');
    await page.getByRole('heading', { name: 'Översikt' }).waitFor();
    assert.equal(page.url(), `${app.localhost}/chef`);
  });

  it('refuses the used invite link and says who to ask for a new one', async () => {
    await page.goto(link);
    await page.getByRole('heading', { name: 'Inbjudan fungerar inte' }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /redan använts/);
    assert.match(await main(page), /Be om en ny inbjudan/);
    await expectAccessible(page, 'used invite');
    await shot(page, 'people-invite-used-phone');
  });

  it('asks for the passkey again before a sensitive change when the sign-in is over 10 minutes old', async () => {
    ageStrongChecks(app, 11);
    await page.goto('/chef/brevlada/demo-hemvardsgruppen');
    await page.getByRole('button', { name: 'Skapa ett lösenord åt mig' }).click();
    await confirmResetOnBehalf(page);
    const dialog = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await dialog.waitFor();
    await expectFocus(page, { tag: 'h2', text: 'Bekräfta att det är du' });
    assert.deepEqual(await axe(page), [], 'axe on the step-up dialog');
    // The viewport, not the full page: a modal dialog is drawn over what is on screen.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'people-step-up-phone.png') });

    await dialog.getByRole('button', { name: 'Bekräfta med lösenordsnyckel' }).click();
    await page.getByRole('heading', { name: 'Det nya lösenordet' }).waitFor();
    assert.equal(await dialog.count(), 0, 'the dialog closed');
    await page.getByRole('button', { name: 'Jag har sparat det' }).click();
    await page.getByRole('status').filter({ hasText: 'Lösenordet är bytt' }).waitFor();
  });

  it('invites a delegate from the unit’s page; the invite goes by e-mail', async () => {
    await page.goto('/chef/enhet/demo-unit-aby');
    await page.getByRole('heading', { name: 'Bjud in ett ombud' }).waitFor();
    // The unit page has a staff form too: the invite's fields are in its region.
    const invite = page.getByRole('region', { name: 'Bjud in ett ombud' });
    await invite.getByLabel('Namn').fill('Sara Ek');
    await invite.getByLabel('E-postadress').fill('sara.ek@example.se');
    await page.getByRole('button', { name: 'Skicka inbjudan' }).click();
    await page.getByText('Inbjudan är skickad till sara.ek@example.se.').waitFor();
    assert.match(await main(page), /Sara Ek[\s\S]*Inbjudan skickad, inte använd ännu/);
    delegateLink = await inviteLinkFromOutbox(app.base, 'sara.ek@example.se');
    assert.match(delegateLink, /^http:\/\/localhost:\d+\/inbjudan#[\w-]+$/);
  });

  it('cancelling the step-up changes nothing and says why', async () => {
    ageStrongChecks(app, 11);
    await page.goto('/chef/brevlada/demo-hemvardsgruppen');
    await page.getByRole('button', { name: 'Skapa ett lösenord åt mig' }).click();
    await confirmResetOnBehalf(page);
    const dialog = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Bekräfta att det är du/);
    assert.equal(await page.getByRole('heading', { name: 'Det nya lösenordet' }).count(), 0);
  });

  it('signs out after 30 minutes without activity and says so', async () => {
    await page.clock.install();
    await page.goto('/chef');
    await page.getByRole('heading', { name: 'Översikt' }).waitFor();
    await page.clock.fastForward('31:00');
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    assert.match(
      await page.getByRole('status').first().innerText(),
      /Du har loggats ut efter 30 minuter utan aktivitet/,
    );
    assert.equal(new URL(page.url()).searchParams.get('next'), '/chef');
    await shot(page, 'people-idle-signed-out-phone');
    const session = await page.evaluate(() => fetch('/api/people/session').then((r) => r.status));
    assert.equal(session, 401, 'the session ended on the server too');
  });
});

describe('a delegate, with an authenticator app', { timeout: 150_000 }, () => {
  let context;
  let page;
  let secret;

  after(() => context?.close());

  it('enrols with an authenticator app: a QR code, the key in groups of four, then a code', async () => {
    assert.ok(delegateLink, 'the demo manager sent an invite');
    ({ context, page } = await openPage(browser, app.localhost, PHONE));
    context.setDefaultTimeout(20_000);
    await page.goto(delegateLink);
    await page.getByRole('heading', { name: 'Välkommen till Nyckel' }).waitFor();
    await page.getByRole('button', { name: /Använd autentiseringsapp/ }).click();
    await page.getByRole('heading', { name: 'Lägg till Nyckel i appen' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Lägg till Nyckel i appen' });
    const qr = page.getByRole('img', { name: /QR-kod/ });
    assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
    const groups = await page.locator('.secret > span').allInnerTexts();
    assert.ok(
      groups.every((g) => /^[A-Z2-7]{1,4}$/.test(g)),
      groups.join(' '),
    );
    secret = groups.join('');
    const field = page.getByLabel('Engångskod (6 siffror)');
    assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
    await expectAccessible(page, 'authenticator app set-up');
    await shot(page, 'people-enrol-totp-phone');

    await field.fill(totpCode(secret));
    await page.getByRole('button', { name: 'Bekräfta och logga in' }).click();
    await page.getByRole('heading', { name: 'Hemtjänst Åby', level: 2 }).waitFor();
    assert.match(await main(page), /Din roll: ombud/);
    await expectNothingStored(page, ['sara', secret]);
  });

  it('sees the unit without the delegate controls a manager has', async () => {
    await page.goto('/chef/enhet/demo-unit-aby');
    await page.getByRole('heading', { name: 'Hemtjänst Åby', level: 1 }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Bjud in ett ombud' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /Ta bort .* som ombud/ }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0);
  });

  it('signs in with a code from the app, and a code already used is refused', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    await page.getByRole('button', { name: 'Använd engångskod från app' }).click();
    // The focus moves once the code form has rendered, a frame after the click.
    await page
      .waitForFunction(() => document.activeElement?.tagName === 'INPUT', null, { timeout: 5000 })
      .catch(() => {});
    assert.equal((await focused(page)).tag, 'input', 'focus moves to the e-mail field');
    // The enrolment used this period's code; the app's next one is accepted (±1 step).
    const code = totpCode(secret, { step: 1 });
    await page.getByLabel('E-postadress').fill('sara.ek@example.se');
    await page.getByLabel('Engångskod (6 siffror)').fill(code);
    await expectAccessible(page, 'sign-in with a code');
    await shot(page, 'people-sign-in-totp-phone');
    await page.getByRole('button', { name: 'Logga in med koden' }).click();
    await page.getByRole('heading', { name: 'Översikt' }).waitFor();

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('button', { name: 'Använd engångskod från app' }).click();
    await page.getByLabel('E-postadress').fill('sara.ek@example.se');
    await page.getByLabel('Engångskod (6 siffror)').fill(code);
    await page.getByRole('button', { name: 'Logga in med koden' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Inloggningen gick inte igenom/);
    assert.equal(await page.getByLabel('Engångskod (6 siffror)').inputValue(), '');
  });

  it('does not offer the SITHS card where no card issuer is trusted', async () => {
    const loaded = page.waitForResponse((r) => r.url().endsWith('/api/info'));
    await page.reload();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    await loaded;
    const info = await page.evaluate(() => fetch('/api/info').then((r) => r.json()));
    assert.equal(info.cardSignIn, false);
    await page.getByRole('button', { name: 'Logga in med lösenordsnyckel' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /SITHS/ }).count(), 0);
    assert.doesNotMatch(await main(page), /SITHS/);
  });
});

describe('where a SITHS card issuer is trusted', { timeout: 120_000 }, () => {
  let cardApp;
  let card;

  before(async () => {
    // No spaces: the test harness passes vars separated by whitespace.
    cardApp = await startApp({ vars: ['CLIENT_CERT_ISSUERS=CN=Test-CA,O=Nyckel,C=SE'] });
  });

  after(async () => {
    await card?.context.close();
    cardApp?.stop();
  });

  it('offers the card, and says why it was refused: no card was presented', async () => {
    card = await openPage(browser, cardApp.localhost, PHONE);
    card.context.setDefaultTimeout(20_000);
    const { page } = card;
    await page.goto('/logga-in');
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    const button = page.getByRole('button', { name: 'Logga in med SITHS-kort' });
    await button.waitFor();
    assert.match(await main(page), /Fungerar bara när kortet sitter i läsaren/);
    await button.click();
    // A local server has no mutual TLS in front of it: no certificate reaches the worker.
    const alert = page.getByRole('alert').filter({ hasText: 'Inget kort lästes' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Sätt kortet i läsaren/);
    assert.doesNotMatch(await main(page), /Inloggningen gick inte igenom/);
    await expectAccessible(page, 'refused card');
    await shot(page, 'people-sign-in-card-refused-phone');
    assert.deepEqual(card.errors, []);
  });
});
