// One form pattern on the public and the manager's forms, at phone (390×844) and tablet
// (1024×768) size: the submit stays enabled and a submit with something missing shows an error
// summary whose links take the focus to the field; the password checklist's server rows and
// broken rules; where the focus goes after a refusal; the focus ring only for keyboard users;
// on the municipal network the register form is not shown at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axe,
  expectFocus,
  launch,
  openPage,
  PHONE,
  shot,
  smallTargets,
  startApp,
  TABLET,
} from './harness.mjs';

let app;
let browser;

before(async () => {
  app = await startApp();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  app?.stop();
});

/** axe (label-in-name on) finds nothing and every target is at least 44 px. */
async function expectGood(page, what) {
  assert.deepEqual(await axe(page), [], `axe on ${what}`);
  assert.deepEqual(await smallTargets(page), [], `44 px targets on ${what}`);
}

/** The focused element's class (the error summary, the error box). */
const activeClass = (page) => page.evaluate(() => document.activeElement?.className);
/** The focused element's outline as drawn, to tell a ring from none. */
const activeOutline = (page) =>
  page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);

/** A checklist row by its words, with its state (ok, todo, broken) and what is read out. */
async function row(page, words) {
  const li = page.locator('.checklist li', { hasText: words });
  return {
    state: (await li.getAttribute('class')).replace('rule ', ''),
    text: await li.innerText(),
  };
}

for (const [size, viewport] of [
  ['phone', PHONE],
  ['tablet', TABLET],
]) {
  describe(`forms at ${size} size`, { timeout: 120_000 }, () => {
    it('draws the heading’s focus ring only for the keyboard', async () => {
      const { context, page, errors } = await openPage(browser, app.base, viewport);
      await page.goto('/byt-losenord');
      await expectFocus(page, { tag: 'h1', text: 'Byt lösenord' });
      assert.equal(await activeOutline(page), 'none', 'no ring on load');
      await shot(page, `forms-${size}-heading-on-load`);
      // With the keyboard the next step's heading shows where the focus is.
      await page.goto('/');
      await page.keyboard.press('Tab');
      await page.getByRole('link', { name: /Glömt lösenordet/ }).focus();
      await page.keyboard.press('Enter');
      await expectFocus(page, { tag: 'h1', text: 'Återställ lösenord' });
      assert.equal(await activeOutline(page), 'solid', 'a ring for the keyboard user');
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('sums up what is missing, links each problem to its field, and marks the checklist', async () => {
      const { context, page, errors } = await openPage(browser, app.base, viewport);
      await page.goto('/byt-losenord');
      const save = page.getByRole('button', { name: 'Spara lösenordet' });
      assert.equal(await save.isDisabled(), false, 'the button stays enabled');
      await save.click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      assert.equal(await activeClass(page), 'error-summary', 'the summary takes the focus');
      const links = await summary.getByRole('link').allInnerTexts();
      assert.deepEqual(links, [
        'Skriv brevlådans användarnamn, till exempel hemtjanstab.',
        'Skriv brevlådans nuvarande lösenord.',
        'Välj ett nytt lösenord som uppfyller kraven i listan under fälten.',
        'Skriv samma nya lösenord i båda fälten.',
      ]);
      // Each field says it too, and is marked invalid for a screen reader.
      assert.equal(
        await page.getByLabel('Brevlådans nuvarande lösenord').getAttribute('aria-invalid'),
        'true',
      );
      // The rules not met are now broken, in red with a cross.
      assert.match((await row(page, 'minst 8 tecken')).state, /broken/);
      assert.match((await row(page, 'minst 8 tecken')).text, /✗[\s\S]*uppfylls inte/);
      await expectGood(page, 'the error summary');
      await shot(page, `forms-${size}-change-summary`);
      await summary.getByRole('link', { name: /nuvarande lösenord/ }).click();
      await expectFocus(page, { tag: 'input', text: '' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'mailbox-password');
      await summary.getByRole('link', { name: /samma nya lösenord/ }).click();
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('autocomplete')),
        'new-password',
      );
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('shows a broken rule at once, and the server’s refusal on its row until the password is edited', async () => {
      const { context, page, errors } = await openPage(browser, app.base, viewport);
      await page.goto('/byt-losenord');
      const newPassword = page.getByLabel('Nytt lösenord', { exact: true });
      // Not met yet is neutral; Å breaks a rule, in red, before anything is sent.
      await newPassword.fill('Sk');
      assert.equal((await row(page, 'minst 8 tecken')).state, 'todo');
      assert.match((await row(page, 'minst 8 tecken')).text, /○[\s\S]*inte uppfyllt än/);
      await newPassword.fill('Skog-Å-2026x');
      assert.equal((await row(page, 'Å, Ä, Ö')).state, 'broken');
      assert.equal((await row(page, 'minst 8 tecken')).state, 'ok');
      // The two rows the server judges start open, never ✓ here.
      assert.equal((await row(page, 'använt förut')).state, 'todo');
      assert.equal((await row(page, 'vanligt lösenord')).state, 'todo');
      await shot(page, `forms-${size}-checklist-broken-rule`);

      // The current password again: the server refuses it as used before.
      await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
      await page.getByLabel('Brevlådans nuvarande lösenord').fill('Brevlada-2026');
      await newPassword.fill('Brevlada-2026');
      await page.getByLabel('Nytt lösenord igen').fill('Brevlada-2026');
      assert.equal(await page.locator('.checklist li.ok').count(), 5);
      await page.getByRole('button', { name: 'Spara lösenordet' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'använts förut' });
      await alert.waitFor();
      assert.equal((await row(page, 'använt förut')).state, 'broken');
      assert.match((await row(page, 'använt förut')).text, /✗/);
      // The focus left the pressed button for the error, not for <body>.
      assert.equal(await activeClass(page), 'error');
      await expectGood(page, 'the refused password');
      await shot(page, `forms-${size}-checklist-reused`);
      // Editing the password takes the refusal away: it was about the old one.
      await newPassword.fill('Brevlada-2026x');
      assert.equal(await alert.count(), 0);
      assert.equal((await row(page, 'använt förut')).state, 'todo');
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('says how to write a phone number, and puts the focus on a wrong password’s error', async () => {
      const { context, page, errors } = await openPage(browser, app.base, viewport);
      await page.goto('/registrera');
      await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
      await page.getByLabel('Brevlådans nuvarande lösenord').fill('Fel-Losen-99');
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Fel användarnamn eller lösenord' })
        .waitFor();
      assert.equal(await activeClass(page), 'error', 'focus on the error, not <body>');
      await page.getByLabel('Brevlådans nuvarande lösenord').fill('Brevlada-2026');
      await page.getByRole('button', { name: 'Logga in' }).click();
      await expectFocus(page, { tag: 'h1', text: 'Mobilnummer' });

      await page.locator('input[type=tel]').fill('12345');
      await page.getByRole('button', { name: /Skicka kod till numret|Numret stämmer/ }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      assert.equal(await activeClass(page), 'error-summary');
      const link = summary.getByRole('link', {
        name: 'Skriv ett mobilnummer, till exempel 070-123 45 67.',
      });
      await expectGood(page, 'a number that is no number');
      await shot(page, `forms-${size}-register-phone-summary`);
      await link.click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'register-phone');
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('on the manager’s sign-in: a summary for a missing code, the error in focus after a wrong one', async () => {
      const { context, page, errors } = await openPage(browser, app.base, viewport);
      await page.goto('/logga-in');
      await page.getByRole('button', { name: 'Använd engångskod från app' }).click();
      await page.getByRole('button', { name: 'Logga in med koden' }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      assert.equal(await activeClass(page), 'error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), [
        'Skriv din e-postadress i kommunen, till exempel anna.andersson@kommun.se.',
        'Skriv de 6 siffrorna som appen visar just nu.',
      ]);
      await expectGood(page, 'the sign-in summary');
      await shot(page, `forms-${size}-sign-in-summary`);
      await summary.getByRole('link', { name: /6 siffrorna/ }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'sign-in-code');

      await page.getByLabel('E-postadress').fill('ingen.alls@example.se');
      await page.getByLabel('Engångskod (6 siffror)').fill('123456');
      await page.getByRole('button', { name: 'Logga in med koden' }).click();
      await page.getByRole('alert').filter({ hasText: 'Inloggningen gick inte igenom' }).waitFor();
      assert.equal(await activeClass(page), 'error', 'focus on the error, not <body>');
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}

describe('on the municipal network', { timeout: 120_000 }, () => {
  let internal;
  before(async () => {
    // Every local request comes from 127.0.0.1: call that the municipal network.
    internal = await startApp({ vars: ['INTERNAL_NETWORKS=127.0.0.0/8,::1/128'] });
  });
  after(() => internal?.stop());

  for (const [size, viewport] of [
    ['phone', PHONE],
    ['tablet', TABLET],
  ]) {
    it(`shows the notice instead of the register form (${size})`, async () => {
      const { context, page, errors } = await openPage(browser, internal.base, viewport);
      const network = page.waitForResponse((r) => r.url().endsWith('/api/network'));
      await page.goto('/registrera');
      await network;
      const notice = page.getByRole('status').filter({ hasText: 'kommunens nätverk' });
      await notice.waitFor();
      assert.equal(await page.getByLabel('Brevlådans nuvarande lösenord').count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Logga in' }).count(), 0);
      await page.getByRole('link', { name: 'Till start' }).waitFor();
      await expectGood(page, 'the notice');
      await shot(page, `forms-${size}-register-internal`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
