// The administrator's directory screen in Debian's Chromium against the app started as
// `npm start` does, with no connector running. An administrator (invited from the CLI, passkey)
// finds the passwords kept in Nyckel, sees a missing name, keys that are not JSON and keys
// already registered refused against their fields, registers a connector from the public keys
// `npm run connector:keys` would print (generated here with Web Crypto) and sees its id, finds
// it listed as not connected and the state offline with what to do; an import and linking a
// mailbox then say in words that the domain cannot be reached (and, with the domain's answers
// changed in the browser, show an import's result and a linked account's DN); revoking it
// (with a confirmation) brings the local state back. axe, 44 px targets and no sideways scrolling
// throughout; desktop and phone screenshots as screenshots/directory-*.
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  addVirtualAuthenticator,
  adminInviteToken,
  expectFocus,
  expectGoodScreen,
  launch,
  openPage,
  PHONE,
  shot,
  startApp,
  TABLET,
} from './harness.mjs';

const ADMIN = { name: 'Kim Katalog', email: 'kim.katalog@example.se' };
const HEADING = 'Katalog';
const CONNECTOR = 'Servern i stadshuset';
const DESKTOP = { width: 1366, height: 768 };

/** The public halves a connector prints with `npm run connector:keys`. */
async function connectorKeys() {
  const signing = await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  const encryption = await webcrypto.subtle.generateKey(
    {
      name: 'RSA-OAEP',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['encrypt', 'decrypt'],
  );
  const { x } = await webcrypto.subtle.exportKey('jwk', signing.publicKey);
  const { n, e } = await webcrypto.subtle.exportKey('jwk', encryption.publicKey);
  return {
    signingKey: { kty: 'OKP', crv: 'Ed25519', x },
    encryptionKey: { kty: 'RSA', n, e },
  };
}

/** The connector's id: the RFC 7638 thumbprint of its signing key (directory-protocol.ts). */
function connectorId(keys) {
  return createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x: keys.signingKey.x }))
    .digest('base64url');
}

let app;
let browser;
/** One signed-in administrator for the whole file: an invite works once. */
let desktop;
let keys;

before(async () => {
  keys = await connectorKeys();
  app = await startApp();
  browser = await launch();
});

after(async () => {
  await desktop?.context.close();
  await browser?.close();
  app?.stop();
});

const statePanel = (page) => page.getByRole('region', { name: 'Läget nu' });
const importPanel = (page) => page.getByRole('region', { name: 'Importera från katalogen' });
const connectorsTable = (page) => page.getByRole('table', { name: /^Kopplingar/ });

/**
 * The error summary's text once it names `expected`, with the focus on it (a summary from the
 * previous try stays until the answer comes).
 */
async function summaryText(page, expected) {
  const summary = page.locator('.error-summary', { hasText: expected });
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
  assert.equal(await summary.getByRole('alert').count(), 1, 'the summary is an alert');
  return summary.innerText();
}

async function register(page) {
  await page.getByRole('button', { name: 'Registrera kopplingen' }).click();
}

describe('the directory at desktop size', { timeout: 120_000 }, () => {
  it('says the passwords are kept in Nyckel when no connector is registered', async () => {
    // WebAuthn refuses an IP address as relying party: the page must be on localhost.
    desktop = await openPage(browser, app.localhost, DESKTOP);
    const { page } = desktop;
    page.setDefaultTimeout(15_000);
    await addVirtualAuthenticator(page);
    await page.goto(`/inbjudan#${adminInviteToken(app, ADMIN)}`);
    await page
      .getByRole('link', { name: /Skapa lösenordsnyckel/ })
      .or(page.getByRole('button', { name: /Skapa lösenordsnyckel/ }))
      .click();
    await page.waitForURL(/\/chef/);
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    await page
      .locator('.admin-sections')
      .getByRole('link', { name: /^Katalog Kopplingen till kommunens domän/ })
      .waitFor();

    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: HEADING, exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/katalog');
    await expectFocus(page, { tag: 'h1', text: HEADING });
    const state = await statePanel(page).innerText();
    assert.match(state, /Ingen katalog\s+Lösenorden finns i Nyckel \(ingen katalog\)\./);
    assert.doesNotMatch(state, /lösenordsregler/);
    const main = await page.locator('main').innerText();
    assert.match(main, /Ingen koppling är registrerad\./);
    assert.match(main, /Inga fel\./);
    assert.match(main, /npm run connector:keys \(eller nyckel-connector keys\)/);
    assert.deepEqual(await page.locator('form code').allInnerTexts(), [
      'npm run connector:keys',
      'nyckel-connector keys',
    ]);
    // No import without a connector: it says so instead of offering a form that cannot work.
    assert.match(await importPanel(page).innerText(), /Registrera och starta en koppling först/);
    assert.equal(await page.getByLabel('Enhet som får brevlådorna').count(), 0);
    await expectGoodScreen(page, 'the directory, local');
    await shot(page, 'directory-desktop-local');
  });

  it('refuses a missing name, keys that are not JSON and keys without both halves, each against its field', async () => {
    const { page } = desktop;
    const name = page.getByLabel('Namn', { exact: true });
    const text = page.getByLabel('Kopplingens publika nycklar (JSON)');

    await register(page);
    const both = await summaryText(page, /Skriv ett namn på kopplingen\./);
    assert.match(both, /Klistra in nycklarna som kopplingen skrev ut\./);
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.equal(await text.getAttribute('aria-invalid'), 'true');

    await name.fill(CONNECTOR);
    await text.fill('{"signingKey": {"kty": "OKP",');
    await register(page);
    await summaryText(page, /Nycklarna är inte giltig JSON/);
    assert.equal(await name.getAttribute('aria-invalid'), null);
    await page.getByRole('link', { name: /Nycklarna är inte giltig JSON/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'dir-keys');
    await expectGoodScreen(page, 'the registration with an error found in the browser');
    await shot(page, 'directory-desktop-errors');

    await text.fill(JSON.stringify({ signingKey: keys.signingKey }));
    await register(page);
    await summaryText(page, /Det saknas signingKey eller encryptionKey/);

    // Refused by the server (400 naming keys.signingKey.x): no base64url key at all.
    await text.fill(
      JSON.stringify({ ...keys, signingKey: { ...keys.signingKey, x: 'inte-en-nyckel' } }),
    );
    await register(page);
    await summaryText(page, /Signeringsnyckeln \(signingKey\) är inte en publik Ed25519-nyckel/);
    assert.equal(await text.getAttribute('aria-invalid'), 'true');
  });

  it('registers a connector, shows its id, and lists it as not connected with what to do', async () => {
    const { page } = desktop;
    const id = connectorId(keys);
    await page.getByLabel('Namn', { exact: true }).fill(CONNECTOR);
    await page.getByLabel('Kopplingens publika nycklar (JSON)').fill(JSON.stringify(keys, null, 2));
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/api/admin/directory/connectors') && r.request().method() === 'POST',
    );
    await register(page);
    assert.equal((await answered).status(), 201);
    const heading = page.getByRole('heading', { name: `${CONNECTOR} är registrerad` });
    await heading.waitFor();
    await expectFocus(page, { tag: 'h2', text: `${CONNECTOR} är registrerad` });
    assert.equal(await page.locator('#dir-registered-id').innerText(), id);
    assert.match(await page.getByRole('status').filter({ hasText: id }).innerText(), /Jämför id:t/);

    const row = connectorsTable(page).getByRole('row', { name: new RegExp(CONNECTOR) });
    await row.waitFor();
    const cells = await row.innerText();
    assert.ok(cells.includes(id), 'the id in the row');
    assert.match(cells, /Inte ansluten/);
    assert.match(cells, /Inget än/);
    await statePanel(page)
      .getByText(/Ingen koppling är ansluten just nu/)
      .waitFor();
    const state = await statePanel(page).innerText();
    assert.match(state, /Inte ansluten/);
    assert.match(state, /Gör så här: kontrollera att tjänsten nyckel-connector körs/);
    assert.match(state, /Domänens regler är inte kända än/);
    await expectGoodScreen(page, 'the directory with a connector that is not connected');
    await shot(page, 'directory-desktop-offline');

    // The same keys again: 409, said against the keys.
    await page.getByRole('button', { name: 'Registrera en till' }).click();
    await page.getByLabel('Namn', { exact: true }).fill(`${CONNECTOR} igen`);
    await page.getByLabel('Kopplingens publika nycklar (JSON)').fill(JSON.stringify(keys));
    await register(page);
    await summaryText(page, /De här nycklarna är redan registrerade/);
    await page.getByLabel('Kopplingens publika nycklar (JSON)').fill('');
    await page.getByLabel('Namn', { exact: true }).fill('');
  });

  it('says in words that the domain cannot be reached when importing or linking a mailbox', async () => {
    const { page } = desktop;
    const panel = importPanel(page);
    await panel.getByRole('button', { name: 'Importera' }).click();
    await summaryText(page, /Välj en enhet\./);
    const unit = panel.getByLabel('Enhet som får brevlådorna');
    const firstUnit = await unit.locator('option').nth(1).getAttribute('value');
    await unit.selectOption(firstUnit);
    await panel.getByLabel(/^OU/).fill('OU=Brevlador,DC=nyckel,DC=test');
    await panel.getByRole('button', { name: 'Importera' }).click();
    await summaryText(page, /Nyckel når inte kommunens katalog \(domänen\) just nu/);
    await expectGoodScreen(page, 'the import refused for want of a connector');

    // What a connected domain answers (no domain here): the result in words, focus on it.
    await page.route('**/api/admin/directory/import', (route) =>
      route.fulfill({
        json: {
          created: [{ id: 'mb-1', username: 'nyanstalld.ett' }],
          skipped: [
            { username: 'gammal.konto', reason: 'disabled' },
            { username: 'hemtjanstab', reason: 'username_taken' },
          ],
        },
      }),
    );
    await panel.getByRole('button', { name: 'Importera' }).click();
    await panel.getByRole('heading', { name: 'Resultat av importen' }).waitFor();
    await expectFocus(page, { tag: 'h3', text: 'Resultat av importen' });
    const outcome = await panel.innerText();
    assert.match(outcome, /Importen är klar\. Nya brevlådor: 1\. Hoppades över: 2\./);
    assert.match(outcome, /nyanstalld\.ett/);
    assert.match(outcome, /gammal\.konto – Kontot är avstängt i domänen/);
    assert.match(outcome, /hemtjanstab – En annan brevlåda har redan det användarnamnet/);
    await expectGoodScreen(page, 'the import result');
    await shot(page, 'directory-desktop-import');
    await page.unroute('**/api/admin/directory/import');

    // The mailbox list offers linking now that a connector is registered.
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Brevlådor', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Brevlådor' }).waitFor();
    const first = page.locator('.admin-table tbody tr').first();
    const username = await first.locator('th .mono').innerText();
    // Three actions a row still fit a landscape tablet and a phone.
    await page.setViewportSize(TABLET);
    await expectGoodScreen(page, 'the mailboxes with the link action on a tablet');
    await page.setViewportSize(DESKTOP);
    const phone = await openPage(browser, app.localhost, PHONE);
    await phone.context.addCookies(await desktop.context.cookies());
    await phone.page.goto('/admin/brevlador');
    await phone.page.getByRole('button', { name: `Koppla till domänkonto ${username}` }).waitFor();
    await expectGoodScreen(phone.page, 'the mailboxes with the link action on a phone');
    await shot(phone.page, 'directory-phone-mailboxes');
    await phone.context.close();
    await page.getByRole('button', { name: `Koppla till domänkonto ${username}` }).click();
    const dialog = page.getByRole('dialog', { name: `Koppla ${username} till ett domänkonto` });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Domänkontots användarnamn').inputValue(), username);
    await dialog.getByLabel('Sätt också ett nytt lösenord i domänen').check();
    await dialog.getByLabel('Nytt lösenord', { exact: true }).waitFor();
    await expectGoodScreen(page, 'the link dialog');
    await shot(page, 'directory-desktop-link');
    await dialog.getByLabel('Sätt också ett nytt lösenord i domänen').uncheck();
    await dialog.getByRole('button', { name: 'Koppla brevlådan' }).click();
    await summaryText(page, /Nyckel når inte kommunens katalog \(domänen\) just nu/);

    // A found account: the dialog closes and the account's DN is said.
    const dn = `CN=${username},OU=Brevlador,DC=nyckel,DC=test`;
    await page.route('**/api/admin/mailboxes/*/directory', (route) =>
      route.fulfill({
        json: {
          id: 'mb',
          mode: 'ad',
          account: {
            guid: '00000000-0000-4000-8000-000000000000',
            username,
            displayName: username,
            dn,
            disabled: false,
            locked: false,
          },
        },
      }),
    );
    await dialog.getByRole('button', { name: 'Koppla brevlådan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .getByText(`${username} är kopplad till domänkontot ${dn}.`)
      .waitFor();
    await expectFocus(page, {
      tag: 'button',
      text: `Koppla till domänkonto ${username}`,
    });
    await page.unroute('**/api/admin/mailboxes/*/directory');
  });

  it('revokes the connector after a confirmation, and the passwords are kept in Nyckel again', async () => {
    const { page } = desktop;
    await page.goto('/admin/katalog');
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    await page.getByRole('button', { name: `Återkalla ${CONNECTOR}` }).click();
    const dialog = page.getByRole('dialog', { name: `Återkalla ${CONNECTOR}?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /kopplas ned direkt/);
    await expectGoodScreen(page, 'the revoke confirmation');
    await dialog.getByRole('button', { name: 'Återkalla', exact: true }).click();
    await page.getByRole('status').getByText(`${CONNECTOR} är återkallad.`).waitFor();
    await expectFocus(page, { tag: 'h2', text: 'Kopplingar (1)' });
    const row = connectorsTable(page).getByRole('row', { name: new RegExp(CONNECTOR) });
    assert.match(await row.innerText(), /Återkallad\s+\d/);
    assert.equal(await page.getByRole('button', { name: `Återkalla ${CONNECTOR}` }).count(), 0);
    await statePanel(page)
      .getByText(/Lösenorden finns i Nyckel \(ingen katalog\)/)
      .waitFor();
    const listed = await (await page.request.get('/api/admin/directory')).json();
    assert.equal(listed.state, 'local');
    assert.ok(listed.connectors[0].revokedAt, 'revoked in the API too');
    await expectGoodScreen(page, 'the directory after the revoke');
    await shot(page, 'directory-desktop-revoked');
  });
});

describe('the directory on a phone', { timeout: 60_000 }, () => {
  it('fits a phone in Swedish and reads in English, with nothing for axe', async () => {
    const { context, page } = await openPage(browser, app.localhost, PHONE);
    page.setDefaultTimeout(15_000);
    await context.addCookies(await desktop.context.cookies());
    await page.goto('/admin/katalog');
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    await connectorsTable(page).waitFor();
    await expectGoodScreen(page, 'the directory on a phone');
    await shot(page, 'directory-phone');

    await page.evaluate(() => localStorage.setItem('nyckel.lang', 'en'));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
    assert.match(
      await statePanel(page)
        .or(page.getByRole('region', { name: 'Status now' }))
        .innerText(),
      /The passwords are kept in Nyckel \(no directory\)\./,
    );
    await expectGoodScreen(page, 'the directory in English on a phone');
    await shot(page, 'directory-phone-en');
    await context.close();
  });
});
