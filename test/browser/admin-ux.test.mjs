// The administrator's forms say how to fix what they refuse, and the log reads in words: the
// network list marks every bad line and asks before it is emptied, a duplicate unit names the
// one that exists, and the audit log shows names and plain Swedish, never ids. At the admin's
// 1366×768 and a phone's 390×844, with axe; screenshots as screenshots/admin-ux-*.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addVirtualAuthenticator,
  adminInviteToken,
  axe,
  launch,
  openPage,
  PHONE,
  shot,
  startApp,
} from './harness.mjs';

const ADMIN = { name: 'Ulla Admin', email: 'ulla.admin@example.se' };
const DESKTOP = { width: 1366, height: 768 };
const SIZES = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
];

let app;
let browser;
let admin;

async function expectAccessible(page, what) {
  assert.deepEqual(await axe(page), [], `axe violations on ${what}`);
}

async function open(page, path, heading) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

before(async () => {
  app = await startApp();
  browser = await launch();
  admin = await openPage(browser, app.localhost, DESKTOP);
  admin.page.setDefaultTimeout(30_000);
  await addVirtualAuthenticator(admin.page);
  await admin.page.goto(`/inbjudan#${adminInviteToken(app, ADMIN)}`);
  await admin.page
    .getByRole('link', { name: /Skapa lösenordsnyckel/ })
    .or(admin.page.getByRole('button', { name: /Skapa lösenordsnyckel/ }))
    .click();
  await admin.page.waitForURL(/\/chef/);
});

after(async () => {
  await admin?.context.close();
  await browser?.close();
  app?.stop();
});

describe('administrator forms and log', { timeout: 240_000 }, () => {
  for (const [size, viewport] of SIZES) {
    it(`marks every bad network line and confirms an empty list (${size})`, async () => {
      const { page } = admin;
      await page.setViewportSize(viewport);
      await open(page, '/admin/natverk', 'Interna nätverk');
      const field = page.getByLabel('Nätverk, ett per rad');
      // The list in force arrives after the heading; what is typed before it would be replaced.
      await page.waitForFunction((el) => el.value.trim() !== '', await field.elementHandle());
      await field.fill('10.0.0.0/8\n10.0.0.300/8\n192.168.0.0/16\n10.0.0.0/33');
      await page.getByRole('button', { name: 'Spara listan' }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      const text = await summary.innerText();
      assert.match(text, /Rad 2, ”10\.0\.0\.300\/8”, är inte ett nätverk: skriv en IP-adress/);
      assert.match(text, /Rad 4, ”10\.0\.0\.0\/33”, är inte ett nätverk: talet efter \//);
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      await expectAccessible(page, `networks with two bad lines (${size})`);
      await shot(page, `admin-ux-${size}-networks-bad-lines`);

      await field.fill('');
      await page.getByRole('button', { name: 'Spara listan' }).click();
      const dialog = page.getByRole('dialog', { name: 'Spara en tom lista?' });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /räknas inget nätverk som kommunens/);
      await expectAccessible(page, `empty-list confirmation (${size})`);
      await shot(page, `admin-ux-${size}-networks-confirm`);
      // Cancelling saves nothing.
      await dialog.getByRole('button', { name: 'Avbryt' }).click();
      await dialog.waitFor({ state: 'detached' });
      let saved = await (await page.request.get('/api/admin/networks')).json();
      assert.equal(saved.source, 'default');

      await page.getByRole('button', { name: 'Spara listan' }).click();
      await dialog.getByRole('button', { name: 'Spara tom lista' }).click();
      await page.getByText('Listan är sparad (0 nätverk).', { exact: false }).waitFor();
      saved = await (await page.request.get('/api/admin/networks')).json();
      assert.deepEqual(saved.cidrs, []);
      // Back to the default for the next size.
      assert.equal((await page.request.delete('/api/admin/networks')).status(), 200);
    });

    it(`says which unit already has the name (${size})`, async () => {
      const { page } = admin;
      await page.setViewportSize(viewport);
      await open(page, '/admin/enheter', 'Enheter');
      const name = `Hemtjänst Åby ${size}`;
      const field = page.getByLabel('Enhetens namn');
      await field.fill(name);
      await page.getByRole('button', { name: 'Skapa enheten' }).click();
      await page.getByText(`Enheten ${name} är skapad.`).waitFor();
      await field.fill(name.toUpperCase());
      await page.getByRole('button', { name: 'Skapa enheten' }).click();
      const message = `Det finns redan en enhet som heter ”${name}”.`;
      await page.locator('.error-summary').getByText(message, { exact: false }).waitFor();
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      const described = await field.getAttribute('aria-describedby');
      const said = await page.evaluate(
        (ids) =>
          ids
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent)
            .join(' '),
        described,
      );
      assert.match(said, /Det finns redan en enhet som heter/);
      assert.doesNotMatch(await page.locator('main').innerText(), /Ladda om/);
      await expectAccessible(page, `duplicate unit (${size})`);
      await shot(page, `admin-ux-${size}-unit-duplicate`);
    });

    it(`shows names and words in the audit log, never ids (${size})`, async () => {
      const { page } = admin;
      await page.setViewportSize(viewport);
      await open(page, '/admin/logg', 'Granskningslogg');
      const table = page.locator('table');
      await table.getByText('Interna nätverk ändrade').first().waitFor();
      const text = await table.innerText();
      assert.match(text, /Ulla Admin/);
      assert.match(text, /Enheten skapad/);
      assert.match(text, /Hemtjänst Åby/);
      assert.doesNotMatch(text, /\b(person|unit|mailbox|staff|identity):/);
      assert.match(text, /Antal efter: 0/);
      await expectAccessible(page, `audit log (${size})`);
      await shot(page, `admin-ux-${size}-audit`);
    });
  }
});
