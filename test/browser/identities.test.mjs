// New hires and their initial passwords in Debian's Chromium against the app started
// as `npm start` does. An administrator (invited from the CLI, passkey) reads a CSV of hires
// with one bad row, sees the row's problem in Swedish, imports the good rows and creates a
// service token; the demo manager Maria Lind (Hemtjänst Åby) follows the link in her e-mail
// at tablet size, signs in with a passkey, fetches the password (large, grouped, with the
// start-date note), fetches it again through the step-up dialog, finds people with the
// search combobox (personnummer, "ake" for Åke) and the list of passwords to fetch under it,
// shown without a tap; a first login
// reported through the integration API makes the page say the password is gone. axe and
// 44 px targets on every new screen; tablet and phone screenshots as screenshots/identities-*.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  addVirtualAuthenticator,
  adminInviteToken,
  ageStrongChecks,
  expectFocus,
  expectGoodScreen,
  launch,
  openPage,
  PHONE,
  shot,
  spelledSv,
  spellOut,
  startApp,
  storedText,
  TABLET,
} from './harness.mjs';

const ADMIN = { name: 'Ida Import', email: 'ida.import@example.se' };
const MARIA = 'maria.lind@example.se';

/** A start date nine days ahead, as HR sends it (YYYY-MM-DD, Swedish calendar day). */
const START = new Date(Date.now() + 9 * 86_400_000).toLocaleDateString('sv-SE', {
  timeZone: 'Europe/Stockholm',
});
/** "1 december 2026", as the page writes the start date. */
const START_WORDS = new Intl.DateTimeFormat('sv-SE', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
}).format(new Date(`${START}T00:00:00Z`));

// Valid personnummer (the check digit is right), one samordningsnummer, and one row whose
// check digit is wrong; the unit by name and by id.
const CSV = [
  'Användar-id;Personnummer;HSA-id;Förnamn;Efternamn;Enhet;Startdatum;Status',
  `anand01;19850612-1238;;Anna;Andersson;Hemtjänst Åby;${START};ny`,
  `akeost01;19811228-9874;;Åke;Öst;Hemtjänst Åby;${START};ny`,
  `samord01;701063-2391;;Sam;Ordning;demo-unit-aby;${START};ny`,
  `felrad01;19850612-1239;;Fel;Radsson;Hemtjänst Åby;${START};ny`,
].join('\r\n');

let app;
let browser;
/** The administrator's page, signed in for the whole file (an invite works once). */
let admin;
/** Maria's tablet page. */
let tablet;
let authenticator;
/** Anna's initial password as the tablet showed it, to look for it after signing out. */
let fetchedPassword = '';
let serviceToken;
let identityUrl;

before(async () => {
  app = await startApp();
  browser = await launch();
});

after(async () => {
  await admin?.context.close();
  await tablet?.context.close();
  await browser?.close();
  app?.stop();
});

const inviteToken = () => adminInviteToken(app, ADMIN);

const expectGood = (page, what) => expectGoodScreen(page, what);

const main = (page) => page.locator('main').innerText();

/** The initial-password e-mail to Maria about `name`, from the development outbox. */
async function initialPasswordMail(name) {
  for (let i = 0; i < 100; i++) {
    const outbox = await (await fetch(`${app.base}/api/dev/outbox`)).json();
    const mail = outbox.find(
      (m) => m.channel === 'mail' && m.to === MARIA && m.body.includes(name),
    );
    const link = mail && /(https?:\/\/\S+\/chef\/identitet\/[\w-]+)/.exec(mail.body)?.[1];
    if (link) return { body: mail.body, link };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no initial-password mail to ${MARIA} about ${name}`);
}

/** Nothing of the password in any storage the page can write. */
async function expectNotStored(page, secret) {
  const stored = await page.evaluate(async () => ({
    text: JSON.stringify(localStorage) + JSON.stringify(sessionStorage),
    idb: (await indexedDB.databases()).map((d) => d.name),
  }));
  assert.ok(!stored.text.includes(secret), 'the password is in web storage');
  assert.deepEqual(stored.idb, []);
}

const passwordOnScreen = async (page) =>
  (await page.locator('.initial-secret').innerText()).replace(/\s/g, '');

describe('the demo manager enrols a passkey first', { timeout: 60_000 }, () => {
  it('creates her passkey from the demo invite and signs out', async () => {
    tablet = await openPage(browser, app.localhost, TABLET);
    tablet.context.setDefaultTimeout(20_000);
    await tablet.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    authenticator = await addVirtualAuthenticator(tablet.page);
    const { page } = tablet;
    await page.goto(app.demoInviteLink());
    await page.getByRole('button', { name: 'Skapa lösenordsnyckel' }).click();
    await page.getByRole('heading', { name: 'Översikt' }).waitFor();
    assert.equal((await authenticator.credentials()).length, 1);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
  });
});

describe('administrator imports new hires at tablet size', { timeout: 120_000 }, () => {
  it('offers an example CSV for Swedish Excel', async () => {
    admin = await openPage(browser, app.localhost, TABLET);
    const { page } = admin;
    admin.context.setDefaultTimeout(20_000);
    await admin.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await addVirtualAuthenticator(page);
    await page.goto(`/inbjudan#${inviteToken()}`);
    await page.getByRole('button', { name: /Skapa lösenordsnyckel/ }).click();
    await page.waitForURL(/\/chef/);
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    await page
      .locator('.admin-sections')
      .getByRole('link', { name: /^Nyanställda \(import\)/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Nyanställda (import)' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Nyanställda (import)' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Ladda ner en exempelfil (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'nyanstallda-exempel.csv');
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const text = bytes.toString('utf8').slice(1);
    assert.match(
      text,
      /^Användar-id;Personnummer;HSA-id;Förnamn;Efternamn;Enhet;Startdatum;Status\r\n/,
    );
    // The example starts in the future, so following it shows the start-date note.
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const starts = [...text.matchAll(/;(\d{4}-\d{2}-\d{2});ny\r\n/g)].map((m) => m[1]);
    assert.equal(starts.length, 2);
    for (const start of starts) assert.ok(start > today, `example start ${start} is not ahead`);
    await expectGood(page, 'import screen');
  });

  it('previews the file with the bad row explained in Swedish, then imports the good rows', async () => {
    const { page } = admin;
    await page.getByLabel('CSV-fil med nyanställda').setInputFiles({
      name: 'nyanstallda.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${CSV}\r\n`, 'utf8'),
    });
    await page.getByRole('heading', { name: 'Granskning av nyanstallda.csv' }).waitFor();
    await expectFocus(page, { tag: 'h2', text: 'Granskning av nyanstallda.csv' });
    const preview = await main(page);
    assert.match(preview, /3 rader kan importeras\. 1 rad har fel och hoppas över/);
    const bad = page.getByRole('row', { name: /Fel Radsson/ });
    assert.match(await bad.innerText(), /felrad01/);
    assert.match(await bad.innerText(), /kontrollsiffran/);
    assert.match(await page.getByRole('row', { name: /Åke Öst/ }).innerText(), /OK/);
    await expectGood(page, 'import preview');
    await shot(page, 'identities-admin-preview-tablet');

    await page.getByRole('button', { name: 'Importera 3 rader' }).click();
    await page.getByRole('heading', { name: 'Resultat av importen' }).waitFor();
    assert.match(
      await page.getByRole('status').filter({ hasText: 'Importen är klar' }).innerText(),
      /3 nya, 0 ändrade, 0 oförändrade, 1 med fel\. 3 initiala lösenord skapades/,
    );
    assert.match(await page.getByRole('row', { name: /Anna Andersson/ }).innerText(), /Ny/);
    await expectGood(page, 'import result');
    await shot(page, 'identities-admin-result-tablet');
  });

  it('creates a service token that is shown once', async () => {
    const { page } = admin;
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Tjänstetoken' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Tjänstetoken' }).waitFor();
    await page.getByRole('button', { name: 'Skapa token' }).click();
    const summary = await page.locator('.error-summary').innerText();
    assert.match(summary, /Skriv ett namn/);
    assert.match(summary, /Välj minst en behörighet/);
    await page.getByLabel('Namn', { exact: true }).fill('HR-systemet');
    await page.getByLabel(/Skriva nyanställda/).check();
    await expectGood(page, 'token form');
    await page.getByRole('button', { name: 'Skapa token' }).click();
    await page.getByRole('heading', { name: 'Token för HR-systemet' }).waitFor();
    assert.match(await main(page), /Den visas inte igen/);
    serviceToken = (await page.locator('.token-value').innerText()).trim();
    assert.ok(serviceToken.length >= 20, `token "${serviceToken}"`);
    await page.getByRole('button', { name: 'Kopiera token' }).click();
    await page.getByText('Token är kopierad.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), serviceToken);
    await expectGood(page, 'new token');
    await shot(page, 'identities-admin-token-tablet');
    await page.getByRole('button', { name: 'Jag har sparat den' }).click();
    assert.ok(!(await main(page)).includes(serviceToken), 'the token is gone from the page');
    await page.getByRole('rowheader', { name: 'HR-systemet' }).waitFor();
  });

  it('flags a token that expires within 30 days', async () => {
    const { page } = admin;
    const day = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 10);
      const pad = (n) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    });
    await page.getByLabel('Namn', { exact: true }).fill('Kortlivat system');
    await page.getByLabel(/Kontrollera brevlådors lösenord/).check();
    await page.getByLabel(/Går ut/).fill(day);
    await page.getByRole('button', { name: 'Skapa token' }).click();
    await page.getByRole('heading', { name: 'Token för Kortlivat system' }).waitFor();
    await page.getByRole('button', { name: 'Jag har sparat den' }).click();
    const soon = page.getByRole('region', { name: 'Token som snart går ut' });
    await soon.waitFor();
    assert.match(await soon.innerText(), /Kortlivat system: Går ut .*byt ut den/);
    await expectGood(page, 'expiring token');
  });
});

describe('the manager fetches the initial password at tablet size', { timeout: 150_000 }, () => {
  it('follows the e-mail link, signs in with her passkey and lands on the person', async () => {
    const mail = await initialPasswordMail('Anna Andersson');
    assert.ok(!/[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}/.test(mail.body), 'no password');
    identityUrl = new URL(mail.link).pathname;
    const { page } = tablet;
    await page.goto(identityUrl);
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    assert.equal(new URL(page.url()).search, `?next=${encodeURIComponent(identityUrl)}`);
    await page.getByRole('button', { name: 'Logga in med lösenordsnyckel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anna Andersson' }).waitFor();
    assert.equal(new URL(page.url()).pathname, identityUrl);
    await expectFocus(page, { tag: 'h1', text: 'Anna Andersson' });
    const text = await main(page);
    assert.match(text, /anand01/);
    assert.match(text, /198506••-••••/);
    assert.ok(!text.includes('1238'), 'never the whole personnummer');
    assert.match(text, /Hemtjänst Åby/);
    assert.match(text, new RegExp(START_WORDS));
    assert.match(text, /Inte hämtat än/);
    await expectGood(page, 'identity page');
    await shot(page, 'identities-identity-tablet');
  });

  it('fetches the password: large, exactly as it is, with the start-date note', async () => {
    const { page } = tablet;
    await page.getByRole('button', { name: 'Hämta lösenord' }).click();
    await page.getByRole('heading', { name: 'Lösenord för Anna Andersson' }).waitFor();
    await expectFocus(page, { tag: 'h3', text: 'Lösenord för Anna Andersson' });
    const password = await passwordOnScreen(page);
    fetchedPassword = password;
    assert.match(password, /^\S{4}-\S{4}-\S{4}/, `generated password "${password}"`);
    // One run of text with its hyphens, never spaced groups; spelled out on request.
    const shown = await spellOut(page, page.locator('.initial-secret .password'));
    assert.equal(shown.password, password);
    assert.deepEqual(shown.items, spelledSv(password));
    await page.getByText(`${password.length} tecken, bindestrecken ingår`).waitFor();
    await expectGood(page, 'fetched password spelled out');
    await shot(page, 'identities-password-spelled-tablet');
    await page.getByRole('button', { name: 'Visa tecken för tecken' }).click();
    const style = await page.locator('.initial-secret').evaluate((el) => ({
      size: getComputedStyle(el).fontSize,
      font: getComputedStyle(el.firstElementChild).fontFamily,
    }));
    assert.ok(Number.parseFloat(style.size) >= 30, `font size ${style.size}`);
    assert.match(style.font, /mono|Menlo|Consolas/i);
    const text = await main(page);
    assert.match(text, new RegExp(`Lösenordet fungerar från och med ${START_WORDS}`));
    await page.getByText(/Hämtat 1 gång/).waitFor();
    await page.getByRole('button', { name: 'Kopiera lösenordet' }).click();
    await page.getByText('Kopierat.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
    await expectNotStored(page, password);
    await expectGood(page, 'fetched password');
    await shot(page, 'identities-password-tablet');

    await page.getByRole('button', { name: 'Dölj lösenordet' }).click();
    assert.equal(await page.locator('.initial-secret').count(), 0);
    assert.ok(!(await main(page)).includes(password.slice(0, 4)), 'hidden');
    await expectFocus(page, { tag: 'h2', text: 'Initialt lösenord' });

    // An aged sign-in: the step-up dialog asks for the passkey, then the same password.
    ageStrongChecks(app, 11);
    await page.getByRole('button', { name: 'Hämta lösenord' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Bekräfta med lösenordsnyckel' }).click();
    await page.getByRole('heading', { name: 'Lösenord för Anna Andersson' }).waitFor();
    assert.equal(await passwordOnScreen(page), password, 'the same password again');
    await page.getByText(/Hämtat 2 gånger/).waitFor();
    await page.getByRole('button', { name: 'Dölj lösenordet' }).click();
  });

  it('lists the unfetched passwords first among the home screen’s tasks', async () => {
    const { page } = tablet;
    await page.getByRole('navigation').getByRole('link', { name: 'Hem' }).click();
    await page.getByRole('heading', { level: 1, name: 'Översikt' }).waitFor();
    const first = await page.locator('.task-list > li').first().innerText();
    assert.match(first, /Hämta initialt lösenord för (Åke Öst|Sam Ordning)/);
    const startsWithoutYear = START_WORDS.replace(/ \d{4}$/, '');
    assert.match(first, new RegExp(`Börjar ${startsWithoutYear}`));
    assert.ok(!(await main(page)).includes('för Anna Andersson'), 'Anna is fetched');
    await expectGood(page, 'home with new hires');
    await shot(page, 'identities-home-tablet');
  });

  it('finds a person by personnummer and by name with the combobox', async () => {
    const { page } = tablet;
    await page.getByRole('navigation').getByRole('link', { name: 'Nyanställda' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nyanställda' }).waitFor();
    const box = page.getByRole('combobox', { name: 'Sök person' });
    await box.fill('19811228-9874');
    const listbox = page.getByRole('listbox', { name: 'Sök person' });
    await listbox.getByRole('option', { name: /Åke Öst/ }).waitFor();
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    assert.match(await page.locator('.combo-status').innerText(), /1 förslag/);
    await page.keyboard.press('Escape');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Escape');
    assert.equal(await box.inputValue(), '');

    await box.pressSequentially('ake');
    const option = listbox.getByRole('option', { name: /Åke Öst/ });
    await option.waitFor();
    assert.match(await option.innerText(), /akeost01 · 198112••-•••• · Hemtjänst Åby/);
    await page.keyboard.press('ArrowDown');
    assert.equal(await box.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    await expectGood(page, 'search with suggestions');
    await shot(page, 'identities-search-tablet');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Åke Öst' }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/chef\/identitet\//);
  });

  it('suggests people while the start of a personnummer or a reversed name is typed', async () => {
    const { page } = tablet;
    await page.getByRole('link', { name: '← Till Nyanställda' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nyanställda' }).waitFor();
    const box = page.getByRole('combobox', { name: 'Sök person' });
    const listbox = page.getByRole('listbox', { name: 'Sök person' });
    // The birth date alone, as the guide says: "skriv början av personnummer".
    await box.pressSequentially('850612');
    const anna = listbox.getByRole('option', { name: /Anna Andersson/ });
    await anna.waitFor();
    assert.equal(await listbox.getByRole('option').count(), 1);
    assert.match(await anna.innerText(), /198506••-••••/);
    assert.ok(!(await main(page)).includes('1238'), 'never the whole personnummer');
    // More digits after the date narrow it to those whose number goes on so.
    await box.pressSequentially('-9');
    await page
      .locator('.combo-status')
      .getByText(/Ingen träff/)
      .waitFor();
    await box.fill('');
    // The family name first, each word a prefix.
    await box.pressSequentially('öst å');
    await listbox.getByRole('option', { name: /Åke Öst/ }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    assert.equal(await box.inputValue(), '');
  });

  it('shows the passwords to fetch under the search without a tap', async () => {
    const { page } = tablet;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Nyanställda' }).waitFor();
    const due = page.getByRole('region', { name: 'Lösenord att hämta' });
    await due.getByRole('link', { name: /Sam Ordning/ }).waitFor();
    const list = await due.locator('.pick-list').innerText();
    assert.match(list, /Åke Öst/);
    // The search comes first, the list under it, both on the first screen of a tablet.
    const search = await page.getByRole('combobox', { name: 'Sök person' }).boundingBox();
    const first = await due.getByRole('link').first().boundingBox();
    assert.ok(search && first && search.y < first.y, 'search above the list');
    assert.ok(first.y + first.height <= 768, 'the first name is on the first screen');
    await expectGood(page, 'new hires with the passwords to fetch');
    await shot(page, 'identities-new-hires-tablet');

    // Suggestions cover the list while typing, and Escape gives it back.
    const box = page.getByRole('combobox', { name: 'Sök person' });
    await box.pressSequentially('701063');
    await page
      .getByRole('listbox', { name: 'Sök person' })
      .getByRole('option', { name: /Sam Ordning/ })
      .waitFor();
    await expectGood(page, 'new hires with suggestions');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    assert.equal(await box.inputValue(), '');

    await due.getByRole('link', { name: /Åke Öst/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Åke Öst' }).waitFor();
  });
});

describe('at phone size', { timeout: 90_000 }, () => {
  it('searches and shows a fetched password on a phone', async () => {
    const phone = await openPage(browser, app.localhost, PHONE);
    try {
      phone.context.setDefaultTimeout(20_000);
      await phone.context.addCookies(await tablet.context.cookies());
      const { page } = phone;
      await page.goto('/chef/nyanstallda');
      await page.getByRole('heading', { level: 1, name: 'Nyanställda' }).waitFor();
      await page.getByRole('combobox', { name: 'Sök person' }).pressSequentially('an');
      await page.getByRole('option', { name: /Anna Andersson/ }).waitFor();
      await expectGood(page, 'phone search');
      await shot(page, 'identities-search-phone');
      await page.getByRole('combobox', { name: 'Sök person' }).fill('');
      // Without a tap, the list of passwords to fetch is under the search.
      const due = page.getByRole('region', { name: 'Lösenord att hämta' });
      await due.getByRole('link', { name: /Åke Öst/ }).waitFor();
      await expectGood(page, 'phone new hires with the passwords to fetch');
      await shot(page, 'identities-new-hires-phone');
      await page.getByRole('combobox', { name: 'Sök person' }).pressSequentially('19850612');
      await page.getByRole('option', { name: /Anna Andersson/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Anna Andersson' }).waitFor();
      // The same session as the tablet's, whose step-up just now still counts.
      await page.getByRole('button', { name: 'Hämta lösenord' }).click();
      await page.getByRole('heading', { name: 'Lösenord för Anna Andersson' }).waitFor();
      await page.getByRole('button', { name: 'Visa tecken för tecken' }).click();
      await expectGood(page, 'phone password');
      await shot(page, 'identities-password-phone');
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.context.close();
    }
  });
});

describe('after the first login', { timeout: 90_000 }, () => {
  it('says the password is gone once the identity system reports the first login', async () => {
    const { page } = tablet;
    await page.goto(identityUrl);
    await page.getByRole('heading', { level: 1, name: 'Anna Andersson' }).waitFor();
    const res = await fetch(`${app.base}/api/integration/identities/anand01/first-login`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serviceToken}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 200, await res.clone().text());
    // The page still offers the button; the server answers 410 and the page says why.
    await page.getByRole('button', { name: 'Hämta lösenord' }).click();
    await page.getByText(/Anna Andersson har loggat in och valt ett eget lösenord/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Hämta lösenord' }).count(), 0);
    await page.reload();
    await page.getByText(/Anna Andersson har loggat in och valt ett eget lösenord/).waitFor();
    assert.match(await main(page), /Eget lösenord valt/);
    await expectGood(page, 'used password');
    await shot(page, 'identities-used-tablet');
    assert.deepEqual(tablet.errors, []);
  });

  it('leaves nothing of the password in the browser once the manager has signed out', async () => {
    const { page } = tablet;
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    assert.ok(fetchedPassword.length >= 12, 'the earlier test fetched the password');
    const stored = (await storedText(page)).replace(/\s/g, '');
    for (const form of [fetchedPassword, fetchedPassword.replace(/-/g, '')]) {
      assert.ok(!stored.includes(form), 'the initial password is kept in the browser');
    }
    assert.ok(!stored.includes('19850612-1238'), 'the personnummer is kept in the browser');
  });

  it('revokes the service token after a confirmation', async () => {
    const { page } = admin;
    ageStrongChecks(app, 11);
    const row = page.getByRole('row', { name: /HR-systemet/ });
    await row.getByRole('button', { name: 'Återkalla HR-systemet' }).click();
    const dialog = page.getByRole('dialog', { name: 'Återkalla HR-systemet?' });
    await expectGood(page, 'revoke dialog');
    await dialog.getByRole('button', { name: 'Återkalla' }).click();
    // The strong check is old: the administrator confirms with her passkey first.
    const stepUp = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await stepUp.getByRole('button', { name: 'Bekräfta med lösenordsnyckel' }).click();
    await page.getByText('HR-systemet är återkallad.').waitFor();
    await row.getByText(/^Återkallad/).waitFor();
    const res = await fetch(`${app.base}/api/integration/identities/akeost01/first-login`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serviceToken}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 401);
    assert.deepEqual(admin.errors, []);
  });
});
