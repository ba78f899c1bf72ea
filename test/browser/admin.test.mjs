// The administrator's screens in Debian's Chromium against the app started as `npm start`
// does: an administrator invited from the CLI enrols a passkey (Chromium's virtual
// authenticator), then creates a unit, a mailbox with a generated password, a person with the
// manager role and their invite, edits the internal-network list, filters the audit log and
// downloads its CSV; one write after an aged strong check goes through the step-up dialog.
// axe on every screen (a portrait tablet in dark mode and English too); tablet and phone
// screenshots as screenshots/admin-*.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  addVirtualAuthenticator,
  adminInviteToken,
  ageStrongChecks,
  axe,
  expectFocus,
  launch,
  openPage,
  PHONE,
  shot,
  spelledSv,
  spellOut,
  startApp,
  TABLET,
} from './harness.mjs';

const ADMIN = { name: 'Alva Admin', email: 'alva.admin@example.se' };
const UNIT = 'Hemtjänst Berga';
const MAILBOX = 'bergagruppen';
const MANAGER = { name: 'Maja Chef', email: 'maja.chef@example.se' };

let app;
let browser;
/** One signed-in administrator for the whole file: an invite can be used only once. */
let tablet;

const inviteToken = () => adminInviteToken(app, ADMIN);

async function expectAccessible(page, what) {
  assert.deepEqual(await axe(page), [], `axe violations on ${what}`);
}

/** Goes to an admin screen the way a person does: through the menu, without a page load. */
async function openSection(page, name, heading = name) {
  await page
    .getByRole('navigation', { name: 'Administration' })
    .getByRole('link', { name })
    .click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await expectFocus(page, { tag: 'h1', text: heading });
}

/**
 * Interactive elements smaller than 44×44 CSS px. A checkbox or radio counts by its label,
 * which is the part a finger presses.
 */
function smallTargets(page) {
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

async function outboxMail(to) {
  for (let i = 0; i < 100; i++) {
    const outbox = await (await fetch(`${app.base}/api/dev/outbox`)).json();
    const mail = outbox.find((m) => m.to === to);
    if (mail) return mail.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${to}`);
}

before(async () => {
  app = await startApp();
  browser = await launch();
});

after(async () => {
  await tablet?.context.close();
  await browser?.close();
  app?.stop();
});

describe('administrator at tablet size', { timeout: 120_000 }, () => {
  it('enrols the first administrator with a passkey and shows the overview', async () => {
    // WebAuthn refuses an IP address as relying party: the page must be on localhost.
    tablet = await openPage(browser, app.localhost, TABLET);
    const { page } = tablet;
    page.setDefaultTimeout(20_000);
    await tablet.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await addVirtualAuthenticator(page);
    await page.goto(`/inbjudan#${inviteToken()}`);
    await page
      .getByRole('link', { name: /Skapa lösenordsnyckel/ })
      .or(page.getByRole('button', { name: /Skapa lösenordsnyckel/ }))
      .click();
    await page.waitForURL(/\/chef/);

    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    for (const section of [
      'Enheter',
      'Brevlådor',
      'Personer och roller',
      'Interna nätverk',
      'Granskningslogg',
    ]) {
      const card = page.locator('.admin-sections').getByRole('link', {
        name: new RegExp(`^${section}`),
      });
      assert.ok(await card.isVisible(), `a link to ${section}`);
    }
    await expectAccessible(page, 'overview');
    await shot(page, 'admin-tablet-overview');
  });

  it('creates a unit after pointing out the missing name, and renames it', async () => {
    const { page } = tablet;
    await openSection(page, 'Enheter');
    await page.getByRole('button', { name: 'Skapa enheten' }).click();
    // The error summary takes focus and links to the field.
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
    await page.getByRole('link', { name: 'Skriv enhetens namn.' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'unit-name');
    await expectAccessible(page, 'unit form with an error');

    await page.getByLabel('Enhetens namn').fill(`${UNIT} x`);
    await page.getByRole('button', { name: 'Skapa enheten' }).click();
    await page.getByText(`Enheten ${UNIT} x är skapad.`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(`${UNIT} x`) });
    await row.getByRole('button', { name: `Byt namn ${UNIT} x` }).click();
    const dialog = page.getByRole('dialog', { name: `Byt namn på ${UNIT} x` });
    await dialog.getByLabel('Nytt namn').fill(UNIT);
    await expectAccessible(page, 'rename dialog');
    await dialog.getByRole('button', { name: 'Spara namnet' }).click();
    await page.getByText(`${UNIT} x heter nu ${UNIT}.`).waitFor();
    await page.getByRole('rowheader', { name: UNIT, exact: true }).waitFor();
    await expectAccessible(page, 'units');
    await shot(page, 'admin-tablet-units');
  });

  it('creates a mailbox with a generated password that is shown once and works', async () => {
    const { page } = tablet;
    await openSection(page, 'Brevlådor');
    await page.getByRole('button', { name: 'Skapa ny brevlåda' }).click();
    await page.getByRole('button', { name: 'Skapa brevlådan' }).click();
    const summary = page.locator('.error-summary');
    assert.match(await summary.innerText(), /användarnamn/);
    assert.match(await summary.innerText(), /visningsnamn/);
    assert.match(await summary.innerText(), /Välj en enhet/);

    await page.getByLabel('Användarnamn').fill(MAILBOX);
    await page.getByLabel('Visningsnamn').fill('Berga-gruppen');
    await page.getByLabel('Enhet som äger brevlådan').selectOption({ label: UNIT });
    // Typing a password shows the same live checklist as the mailbox flow.
    await page.getByLabel('Jag skriver lösenordet själv').check();
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('kort');
    assert.match(await page.locator('.checklist').innerText(), /minst 8 tecken/);
    await page.getByLabel('Skapa ett lösenord åt mig').check();
    await expectAccessible(page, 'mailbox form');
    await shot(page, 'admin-tablet-mailbox-form');
    await page.getByRole('button', { name: 'Skapa brevlådan' }).click();

    await page.getByRole('heading', { name: `Brevlådan ${MAILBOX} är skapad` }).waitFor();
    await expectFocus(page, { tag: 'h2', text: `Brevlådan ${MAILBOX} är skapad` });
    // One run of text with its hyphens, spelled out on request.
    const { password, items } = await spellOut(page, page.locator('.one-time-password .password'));
    assert.ok(password.length >= 12, `generated password "${password}" is short`);
    assert.match(password, /^[^\s-]{4}(-[^\s-]{4})+$/);
    assert.deepEqual(items, spelledSv(password));
    await page.getByText(`${password.length} tecken, bindestrecken ingår`).waitFor();
    await page.getByRole('button', { name: 'Kopiera lösenordet' }).click();
    await page.getByText('Lösenordet är kopierat.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
    await expectAccessible(page, 'generated password');
    await shot(page, 'admin-tablet-mailbox-password');
    await page.getByRole('button', { name: 'Jag har sparat det' }).click();
    assert.equal(await page.locator('.one-time-password').count(), 0);
    assert.ok(!(await page.locator('main').innerText()).includes(password));

    // The password really is the mailbox's: it signs in.
    const login = await fetch(`${app.base}/api/mailbox/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: MAILBOX, password }),
    });
    assert.equal(login.status, 200);

    // Filtered by unit, disabled after a confirmation, enabled again.
    await page.getByLabel('Visa brevlådor för').selectOption({ label: UNIT });
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await page.getByRole('rowheader', { name: new RegExp(MAILBOX) }).waitFor();
    await page.getByRole('button', { name: `Stäng av ${MAILBOX}` }).click();
    const confirm = page.getByRole('dialog', { name: `Stänga av ${MAILBOX}?` });
    await expectAccessible(page, 'disable dialog');
    await shot(page, 'admin-tablet-mailbox-disable');
    await confirm.getByRole('button', { name: 'Stäng av brevlådan' }).click();
    await page.getByText(`${MAILBOX} är avstängd.`).waitFor();
    // The row says so in words once the list has been read again.
    await page.getByRole('button', { name: `Aktivera ${MAILBOX}` }).waitFor();
    assert.match(
      await page.getByRole('row', { name: new RegExp(MAILBOX) }).innerText(),
      /Avstängd/,
    );
    await page.getByRole('button', { name: `Aktivera ${MAILBOX}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Aktivera brevlådan' }).click();
    await page.getByText(`${MAILBOX} är aktiverad igen.`).waitFor();

    // Moved to the demo unit and back.
    await page.getByLabel('Visa brevlådor för').selectOption({ label: 'Alla enheter' });
    await page.getByRole('button', { name: `Flytta ${MAILBOX}` }).click();
    await page
      .getByRole('dialog')
      .getByLabel('Flytta till enhet')
      .selectOption({ label: 'Hemtjänst Åby' });
    await page.getByRole('dialog').getByRole('button', { name: 'Flytta brevlådan' }).click();
    await page.getByText(`${MAILBOX} hör nu till Hemtjänst Åby.`).waitFor();
    await page.getByRole('button', { name: `Flytta ${MAILBOX}` }).click();
    await page.getByRole('dialog').getByLabel('Flytta till enhet').selectOption({ label: UNIT });
    await page.getByRole('dialog').getByRole('button', { name: 'Flytta brevlådan' }).click();
    await page.getByText(`${MAILBOX} hör nu till ${UNIT}.`).waitFor();
    await expectAccessible(page, 'mailboxes');
    await shot(page, 'admin-tablet-mailboxes');

    // From a unit's count to its mailboxes: the filter comes with the link.
    await openSection(page, 'Enheter');
    await page.getByRole('link', { name: `1 brevlåda i ${UNIT}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Brevlådor' }).waitFor();
    assert.equal(
      await page.getByLabel('Visa brevlådor för').locator('option:checked').innerText(),
      UNIT,
    );
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  });

  it('adds a person, makes them manager of the unit and e-mails their invite', async () => {
    const { page } = tablet;
    await openSection(page, 'Personer och roller');
    await page.getByRole('button', { name: 'Lägg till person' }).click();
    await page.getByLabel('Namn').fill(MANAGER.name);
    await page.getByLabel('E-postadress').fill('inte-en-adress');
    await page.getByLabel('HSA-id').fill('123');
    await page.getByRole('button', { name: 'Lägg till personen' }).click();
    assert.match(await page.locator('.error-summary').innerText(), /e-postadress/);
    assert.match(await page.locator('.error-summary').innerText(), /HSA-id/);
    assert.equal(await page.getByLabel('E-postadress').getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'person form with errors');
    await page.getByLabel('E-postadress').fill(MANAGER.email);
    await page.getByLabel('HSA-id').fill('SE2321000016-7788');
    await page.getByLabel('Mobilnummer').fill('070-123 45 99');
    await shot(page, 'admin-tablet-person-form');
    await page.getByRole('button', { name: 'Lägg till personen' }).click();

    await page.getByRole('heading', { level: 1, name: MANAGER.name }).waitFor();
    await page.getByText(`${MANAGER.name} är tillagd.`).waitFor();
    await page.getByLabel('Enhet', { exact: true }).selectOption({ label: UNIT });
    await page.getByRole('radio', { name: 'Chef', exact: true }).check();
    await page.getByRole('button', { name: 'Ge rollen' }).click();
    await page.getByText(`Personen är chef för ${UNIT}.`).waitFor();
    await page.locator('.role-list li > span', { hasText: `Chef för ${UNIT}` }).waitFor();

    await page.getByRole('button', { name: 'Skicka inbjudan' }).click();
    await page.getByText(/Inbjudan är skickad till maja\.chef@example\.se/).waitFor();
    assert.match(await page.locator('main').innerText(), /gäller i 72 timmar/);
    const mail = await outboxMail(MANAGER.email);
    assert.match(mail, /\/inbjudan#[\w-]+/);
    await expectAccessible(page, 'person page');
    await shot(page, 'admin-tablet-person');

    await openSection(page, 'Personer och roller');
    const row = page.getByRole('row', { name: new RegExp(MANAGER.name) });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`Chef för ${UNIT}`));
    assert.match(await row.innerText(), /Inbjudan skickad/);
    await expectAccessible(page, 'people');
    await shot(page, 'admin-tablet-people');
  });

  it('refuses a malformed network, saves a valid list and restores the default after a fresh passkey check', async () => {
    const { page } = tablet;
    await openSection(page, 'Interna nätverk');
    await page.locator('.source').getByText('Standardlistan').waitFor();
    const field = page.getByLabel('Nätverk, ett per rad');
    await field.fill('10.0.0.0/8\n10.0.0.300/8');
    await page.getByRole('button', { name: 'Spara listan' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Rad 2, ”10\.0\.0\.300\/8”, är inte ett nätverk/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'networks with an error');
    await shot(page, 'admin-tablet-networks-error');

    await field.fill('10.0.0.0/8\n192.168.10.0/24\n2001:db8::/32');
    await page.getByRole('button', { name: 'Spara listan' }).click();
    await page.getByText('Listan är sparad (3 nätverk).', { exact: false }).waitFor();
    await page.locator('.source').getByText('Ändrad här').waitFor();
    const saved = await (await page.request.get('/api/admin/networks')).json();
    assert.deepEqual(saved.cidrs, ['10.0.0.0/8', '192.168.10.0/24', '2001:db8::/32']);
    await shot(page, 'admin-tablet-networks');

    // Ten minutes after the last strong check, a write asks for the passkey again first.
    ageStrongChecks(app, 11);
    await page.getByRole('button', { name: 'Återställ standard' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Återställ standard' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await stepUp.waitFor();
    await expectAccessible(page, 'step-up over a confirmation');
    await stepUp.getByRole('button', { name: 'Bekräfta med lösenordsnyckel' }).click();
    await page.getByText('Standardlistan gäller igen.').waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator('.source').getByText('Standardlistan').waitFor();
    await expectAccessible(page, 'networks');
  });

  it('filters the audit log and exports the same selection as CSV for Excel', async () => {
    const { page } = tablet;
    await openSection(page, 'Granskningslogg');
    // The first page of entries; when it does not come, the failure says what the page shows.
    await page
      .locator('tbody tr')
      .first()
      .waitFor()
      .catch(async (error) => {
        throw new Error(
          [
            error.message,
            page.url(),
            ...tablet.errors,
            await page.locator('body').innerText(),
          ].join('\n'),
        );
      });
    await page.getByLabel('Händelse', { exact: true }).selectOption({ label: 'Enheter' });
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await page.getByText('Visar alla 2 händelser.').waitFor();
    const actions = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    assert.deepEqual(
      actions.map((a) => a.split('\n')[0]),
      ['Enheten bytte namn', 'Enheten skapad'],
    );
    assert.match(await page.locator('tbody').innerText(), /Alva Admin/);
    assert.match(page.url(), /action=unit/);
    await expectAccessible(page, 'audit log');
    await shot(page, 'admin-tablet-audit');

    const link = page.getByRole('link', { name: 'Exportera CSV' });
    assert.match(await link.getAttribute('href'), /^\/api\/admin\/audit\.csv\?action=unit$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    assert.match(lines[0], /^Tid \(UTC\);Aktör;Händelse;/);
    assert.equal(lines.length, 3, 'header and the two unit entries');
    assert.ok(lines.slice(1).every((line) => /;Enheten [^;]+ \(unit\.\w+\);/.test(line)));
    assert.match(download.suggestedFilename(), /^nyckel-audit-.*\.csv$/);

    // An outcome with no entries says so in words.
    await page.getByLabel('Utfall').selectOption({ label: 'Nekades' });
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await page.getByText('Inga händelser med det urvalet.').waitFor();
  });
});

const SCREENS = {
  overview: ['/admin', 'Administration', 'Administration'],
  units: ['/admin/enheter', 'Enheter', 'Units'],
  mailboxes: ['/admin/brevlador', 'Brevlådor', 'Mailboxes'],
  people: ['/admin/personer', 'Personer och roller', 'People and roles'],
  networks: ['/admin/natverk', 'Interna nätverk', 'Internal networks'],
  audit: ['/admin/logg', 'Granskningslogg', 'Audit log'],
};

describe('administrator on a phone and a portrait tablet', { timeout: 120_000 }, () => {
  for (const [size, viewport, options] of [
    ['phone', PHONE, { colorScheme: 'light', lang: 'sv' }],
    [
      'portrait tablet, dark, English',
      { width: 768, height: 1024 },
      { colorScheme: 'dark', lang: 'en' },
    ],
  ]) {
    it(`fits every admin screen on a ${size}, with 44 px targets and nothing for axe`, async () => {
      const { context, page } = await openPage(browser, app.localhost, viewport, options);
      page.setDefaultTimeout(20_000);
      await context.addCookies(await tablet.context.cookies());
      await page.addInitScript((lang) => localStorage.setItem('nyckel.lang', lang), options.lang);
      for (const [name, [route, sv, en]] of Object.entries(SCREENS)) {
        await page.goto(route);
        await page
          .getByRole('heading', { level: 1, name: options.lang === 'sv' ? sv : en })
          .waitFor();
        await page.locator('.admin tbody tr, .admin .actions, .admin textarea').first().waitFor();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the screen`);
        assert.deepEqual(await smallTargets(page), [], `small touch targets on ${name}`);
        await expectAccessible(page, `${name} on a ${size}`);
        if (viewport === PHONE) await shot(page, `admin-phone-${name}`);
      }
      await page.goto('/admin/personer');
      await page.getByRole('link', { name: MANAGER.name }).click();
      await page.getByRole('heading', { level: 1, name: MANAGER.name }).waitFor();
      assert.deepEqual(await smallTargets(page), [], 'small touch targets on a person');
      await expectAccessible(page, `a person on a ${size}`);
      if (viewport === PHONE) await shot(page, 'admin-phone-person');
      await context.close();
    });
  }
});
