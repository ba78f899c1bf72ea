// The one-view link page in Debian's Chromium, against the app as `npm start` runs it, at
// phone and tablet size: the mailbox's own reset shared with the three seeded staff, then
// each link opened in a fresh browser. Switching to the mail app (simulated through
// visibilitychange) blurs the password and coming back shows it again within the 60 seconds;
// "Dölj nu" and the end of the 60 seconds spend it (the page's clock moved on). The password
// is one run of text with its hyphens, spelled out character by character on request, in
// Swedish and English. A cut-short address says so. axe and 44 px targets on every screen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axe,
  codeFor,
  expectFocus,
  expectGoodScreen,
  launch,
  linkTo,
  openPage,
  PHONE,
  seenMessages,
  shot,
  spelledSv,
  spellOut,
  startApp,
  TABLET,
} from './harness.mjs';

const STAFF = { sara: '+46701234581', omar: '+46701234582', lena: '+46701234583' };

let app;
let browser;
const seen = new Set();

before(async () => {
  app = await startApp();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  app?.stop();
});

const linkToStaff = (phone) => linkTo(app.base, phone, seen);

/** hemtjanstab reset by SMS code to `password`, shared with all three staff: their links. */
async function shareNewPassword(password) {
  const { context, page } = await openPage(browser, app.localhost, PHONE);
  context.setDefaultTimeout(15_000);
  await page.goto('/aterstall');
  await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
  const before = await seenMessages(app.base);
  await page.getByRole('button', { name: 'Skicka kod' }).click();
  await page
    .getByLabel('Säkerhetskod (6 siffror)')
    .fill(await codeFor(app.base, '+46701234567', before));
  await page.getByRole('button', { name: 'Nästa' }).click();
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(password);
  await page.getByLabel('Nytt lösenord igen').fill(password);
  await page.getByRole('button', { name: 'Spara lösenordet' }).click();
  await page.getByRole('button', { name: 'Dela lösenordet med personalen' }).click();
  await page.getByRole('button', { name: 'Skicka länkar' }).click();
  await page.getByRole('heading', { name: 'Länkarna är skickade' }).waitFor();
  await context.close();
  return {
    sara: await linkToStaff(STAFF.sara),
    omar: await linkToStaff(STAFF.omar),
    lena: await linkToStaff(STAFF.lena),
  };
}

/** The page put away (another app in front) or brought back, as a phone's browser says it. */
function setVisible(page, visible) {
  return page.evaluate((on) => {
    const state = on ? 'visible' : 'hidden';
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    Object.defineProperty(document, 'hidden', { value: !on, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);
}

/** How blurred the password is drawn: the CSS filter on it, 'none' when readable. */
const blurOf = (page) =>
  page.locator('.reveal-secret .password').evaluate((el) => getComputedStyle(el).filter);

const secondsLeft = async (page) =>
  Number(/Döljs om (\d+) s/.exec(await page.locator('main').innerText())?.[1]);

for (const [size, viewport, password] of [
  ['phone', PHONE, 'Tr4sig-Kanin-44'],
  ['tablet', TABLET, 'Lugn-Hav-Il1O0-x'],
]) {
  describe(`the one-view link at ${size} size`, { timeout: 300_000 }, () => {
    let links;

    before(async () => {
      links = await shareNewPassword(password);
    });

    it('survives a switch to the mail app, shows the password as it is, and ends on "Dölj nu"', async () => {
      const { context, page, errors } = await openPage(browser, app.localhost, viewport);
      context.setDefaultTimeout(15_000);
      await page.clock.install();
      await page.goto(links.sara);
      await page.getByRole('heading', { name: /^Lösenord till brevlådan hemtjanstab/ }).waitFor();
      assert.match(
        await page.locator('main').innerText(),
        /i 60 sekunder\. Under tiden kan du byta till e-postappen och komma tillbaka hit\./,
      );
      await page.getByRole('button', { name: 'Visa lösenordet' }).click();
      await expectFocus(page, { tag: 'h1', text: 'Lösenordet till hemtjanstab (Hemtjänst Åby)' });

      const secret = page.locator('.reveal-secret .password');
      assert.equal(await secret.textContent(), password);
      await page.getByText(`${password.length} tecken, bindestrecken ingår`).waitFor();
      assert.equal(await blurOf(page), 'none');
      assert.doesNotMatch(await page.locator('main').innerText(), /skriv in det i brevlådan nu/i);
      assert.match(await page.locator('main').innerText(), /byta till e-postappen/);

      // "Kopiera" is the main button, "Dölj nu" the second.
      const copy = page.getByRole('button', { name: 'Kopiera lösenordet' });
      const hide = page.getByRole('button', { name: 'Dölj nu' });
      assert.equal(await copy.evaluate((el) => el.classList.contains('secondary')), false);
      assert.equal(await hide.evaluate((el) => el.classList.contains('secondary')), true);
      await expectGoodScreen(page, `the shown password (${size})`);
      await shot(page, `reveal-shown-${size}`);

      // One run of text with its hyphens, no separate pieces; spelled out for reading aloud.
      const shown = await spellOut(page, secret);
      assert.equal(shown.password, password);
      assert.deepEqual(shown.items, spelledSv(password));
      await expectGoodScreen(page, `the spelled-out password (${size})`);
      await shot(page, `reveal-spelled-${size}`);

      // The switch to the mail app: blurred while away, still there and readable on return.
      const before = await secondsLeft(page);
      await setVisible(page, false);
      await page.waitForFunction(() => !!document.querySelector('.reveal-away'));
      assert.match(await blurOf(page), /^blur\(/);
      assert.match(
        await page.locator('.password-spelled').evaluate((el) => getComputedStyle(el).filter),
        /^blur\(/,
        'the spelled-out list is blurred too',
      );
      await shot(page, `reveal-away-${size}`);
      await page.clock.fastForward('00:20');
      await setVisible(page, true);
      await page.waitForFunction(() => !document.querySelector('.reveal-away'));
      assert.equal(await blurOf(page), 'none');
      assert.equal(await secret.textContent(), password);
      const after = await secondsLeft(page);
      assert.ok(after <= before - 19 && after > 0, `${before} s, then ${after} s left`);
      await shot(page, `reveal-back-${size}`);

      await hide.click();
      await page.getByRole('heading', { name: 'Lösenordet är dolt' }).waitFor();
      assert.ok(!(await page.content()).includes(password), 'gone from the page');
      await page.goto(links.sara);
      await page.getByRole('heading', { name: 'Länken är använd' }).waitFor();
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('ends the view after 60 seconds, also while the person is in another app', async () => {
      const { context, page, errors } = await openPage(browser, app.localhost, viewport);
      context.setDefaultTimeout(15_000);
      await page.clock.install();
      await page.goto(links.omar);
      await page.getByRole('button', { name: 'Visa lösenordet' }).click();
      assert.equal(await page.locator('.reveal-secret .password').textContent(), password);
      await setVisible(page, false);
      await page.clock.fastForward('01:01');
      await setVisible(page, true);
      await page.getByRole('heading', { name: 'Lösenordet är dolt' }).waitFor();
      assert.ok(!(await page.content()).includes(password), 'not shown again after the time');
      await expectGoodScreen(page, `the hidden password (${size})`);
      await page.goto(links.omar);
      await page.getByRole('heading', { name: 'Länken är använd' }).waitFor();
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('spells the password in English too', async () => {
      const { context, page, errors } = await openPage(browser, app.localhost, viewport);
      context.setDefaultTimeout(15_000);
      await page.addInitScript(() => localStorage.setItem('nyckel.lang', 'en'));
      await page.goto(links.lena);
      await page.getByRole('button', { name: 'Show the password' }).click();
      await page.getByText(`${password.length} characters, the hyphens included`).waitFor();
      await page.getByRole('button', { name: 'Show character by character' }).click();
      const items = await page
        .getByRole('list', { name: 'The password character by character' })
        .getByRole('listitem')
        .allInnerTexts();
      assert.deepEqual(
        items.slice(0, 5).map((t) => t.replace(/\s+/g, ' ').trim()),
        spelledSv(password)
          .slice(0, 5)
          .map((t) =>
            t
              .replace(/stor$/, 'capital')
              .replace(/liten$/, 'small')
              .replace(/siffra$/, 'digit')
              .replace(/bindestreck$/, 'hyphen'),
          ),
      );
      await expectGoodScreen(page, `the spelled-out password in English (${size})`);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('says what is wrong with a cut-short or missing code', async () => {
      const { context, page } = await openPage(browser, app.localhost, viewport);
      await page.goto('/visa#abc');
      await page.getByRole('heading', { name: 'Länken fungerar inte' }).waitFor();
      const text = await page.locator('main').innerText();
      assert.match(text, /Koden i adressen är ofullständig eller felaktig/);
      assert.match(text, /be den som delade lösenordet om en ny länk/);
      assert.doesNotMatch(text, /saknar/);
      assert.deepEqual(await axe(page), []);
      await shot(page, `reveal-partial-${size}`);
      await page.goto('/visa');
      await page.getByText('Adressen saknar länkens kod. Öppna länken i sms:et igen.').waitFor();
      await context.close();
    });
  });
}
