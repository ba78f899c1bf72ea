// The support channels as the organisation writes them (wrangler.toml's SUPPORT_CHANNELS: a
// switchboard menu choice with its number, an address, a message in Treserva), and phone
// numbers in Swedish national form on the number step, which names the mailbox it is for.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectGoodScreen, launch, openPage, PHONE, shot, startApp, TABLET } from './harness.mjs';

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

const CHANNELS = {
  sv: [
    'Telefon 2000, knappval 3 och 1 Ring 019-21 10 00',
    'Mejla support@example.se',
    'Skicka ett meddelande i Treserva: sök på "Treserva"',
  ],
  en: [
    'Phone 2000, then options 3 and 1 Call 019-21 10 00',
    'E-mail support@example.se',
    'Send a message in Treserva: search for "Treserva"',
  ],
};

const oneLine = (text) => text.replace(/\s+/g, ' ').trim();

for (const [size, viewport] of [
  ['phone', PHONE],
  ['tablet', TABLET],
]) {
  describe(`at ${size} size`, { timeout: 120_000 }, () => {
    for (const lang of ['sv', 'en']) {
      it(`shows the support channels as written, in ${lang}; only the number to dial is a call link`, async () => {
        const { context, page } = await openPage(browser, app.base, viewport);
        await page.addInitScript((l) => localStorage.setItem('nyckel.lang', l), lang);
        await page.goto('/');
        const contacts = page.locator('footer.support .support-contacts');
        await contacts.locator('li').first().waitFor();
        assert.deepEqual(
          (await contacts.locator('li').allInnerTexts()).map(oneLine),
          CHANNELS[lang],
        );
        // The menu choice stays text: "2000" never becomes a number to call.
        const links = await contacts
          .locator('a')
          .evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
        assert.deepEqual(links, [
          ['tel:+4619211000', lang === 'sv' ? 'Ring 019-21 10 00' : 'Call 019-21 10 00'],
          [
            'mailto:support@example.se',
            lang === 'sv' ? 'Mejla support@example.se' : 'E-mail support@example.se',
          ],
        ]);
        await expectGoodScreen(page, `start with the support channels (${lang})`);
        await shot(page, `${size}-support-footer-${lang}`);
        await context.close();
      });
    }

    it('names the mailbox on the number step and shows its number in national form', async () => {
      const { context, page } = await openPage(browser, app.base, viewport);
      await page.goto('/registrera');
      await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
      await page.getByLabel('Brevlådans nuvarande lösenord').fill('Brevlada-2026');
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.getByRole('heading', { name: 'Mobilnummer', exact: true }).waitFor();

      assert.equal(
        oneLine(await page.locator('.mailbox-facts').innerText()),
        'Brevlådans användarnamn hemtjanstab Brevlådans namn Hemtjänst Åby',
      );
      const main = await page.locator('main').innerText();
      assert.match(main, /Registrerat nummer: 070-123 45 67/);
      assert.doesNotMatch(main, /\+46|701234567/, 'never the E.164 the API keeps');
      const field = page.getByLabel('Mobilnummer som ska få koder');
      assert.equal(await field.inputValue(), '070-123 45 67');
      await expectGoodScreen(page, 'number step');
      await shot(page, `${size}-support-register-phone-step`);

      // The number as shown is the registered one: keeping it needs no code.
      await page.getByRole('button', { name: 'Numret stämmer' }).click();
      await page.getByRole('heading', { name: 'Numret var redan registrerat' }).waitFor();
      assert.match(
        await page.locator('main').innerText(),
        /Säkerhetskoder för hemtjanstab går nu till 070-123 45 67\./,
      );
      await expectGoodScreen(page, 'number kept');
      await context.close();
    });

    it('names the mailbox in English too', async () => {
      const { context, page } = await openPage(browser, app.base, viewport);
      await page.addInitScript(() => localStorage.setItem('nyckel.lang', 'en'));
      await page.goto('/registrera');
      await page.getByLabel('Mailbox username').fill('hemtjanstab');
      await page.getByLabel('The mailbox’s current password').fill('Brevlada-2026');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Mobile number', exact: true }).waitFor();
      assert.equal(
        oneLine(await page.locator('.mailbox-facts').innerText()),
        'Mailbox username hemtjanstab Mailbox name Hemtjänst Åby',
      );
      assert.match(await page.locator('main').innerText(), /Registered number: 070-123 45 67/);
      await expectGoodScreen(page, 'number step in English');
      await shot(page, `${size}-support-register-phone-step-en`);
      await context.close();
    });
  });
}
