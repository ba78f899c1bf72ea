// The manager's mailbox page after each action, at phone (390×844) and tablet (1024×768)
// size: a locked mailbox shows "Lås upp" on the first screen; unlocking, resetting on behalf
// (asked first, naming what happens), sharing, a fresh link and the next reset each leave the
// page true without a reload: the latest action's message only, "Senaste aktivitet" and the
// events read again, ended links shown as ended, one filled button at a time.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  axe,
  confirmResetOnBehalf,
  enrolWithTotp,
  expectFocus,
  expectGoodScreen,
  launch,
  lockMailbox,
  openPage,
  PHONE,
  personCookie,
  SCREENSHOTS,
  shot,
  smallTargets,
  startApp,
  TABLET,
} from './harness.mjs';

let app;
let browser;
let manager;

before(async () => {
  app = await startApp();
  browser = await launch();
  manager = await enrolWithTotp(app.localhost, app.demoInviteLink());
});

after(async () => {
  await browser?.close();
  app?.stop();
});

async function signedIn(viewport) {
  const opened = await openPage(browser, app.localhost, viewport);
  opened.context.setDefaultTimeout(20_000);
  await opened.context.addCookies([personCookie(manager.cookie)]);
  return opened;
}

function mailboxLogin(username, password) {
  return fetch(`${app.base}/api/mailbox/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  }).then((r) => r.status);
}

const main = (page) => page.locator('main').innerText();

/** The value of one fact of the mailbox ("Senaste aktivitet" and the like). */
const fact = (page, term) =>
  page
    .locator('.facts > div', { has: page.locator('dt', { hasText: term }) })
    .locator('dd')
    .innerText();

/** The filled (main) buttons a person sees in the page's content. */
const filledButtons = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('main button')]
      .filter((b) => b.offsetParent !== null)
      .filter((b) => getComputedStyle(b).backgroundColor !== 'rgba(0, 0, 0, 0)')
      .map((b) => b.textContent?.trim()),
  );

/** Waits until `check` holds for the page's main text; the page reads its data after actions. */
async function waitForMain(page, check, what) {
  await page
    .waitForFunction(
      ({ source, flags }) =>
        new RegExp(source, flags).test(document.querySelector('main').innerText),
      { source: check.source, flags: check.flags },
      { timeout: 10_000 },
    )
    .catch(() => {});
  assert.match(await main(page), check, what);
}

const SIZES = [
  {
    viewport: PHONE,
    size: 'phone',
    id: 'demo-hemtjanstab',
    username: 'hemtjanstab',
    password: 'Brevlada-2026',
    name: 'Hemtjänst Åby',
  },
  {
    viewport: TABLET,
    size: 'tablet',
    id: 'demo-hemvardsgruppen',
    username: 'hemvardsgruppen',
    password: 'Hemvard#2026',
    name: 'Hemvårdsgruppen Åby',
  },
];

describe('the mailbox page after each action', { timeout: 300_000 }, () => {
  for (const { viewport, size, id, username, password, name } of SIZES) {
    it(`on a ${size}: unlock, a reset asked first, share, a fresh link, the next reset`, async () => {
      await lockMailbox(app.base, username);
      const { context, page, errors } = await signedIn(viewport);
      await page.goto(`/chef/brevlada/${id}`);
      await page.getByRole('heading', { name, level: 1 }).waitFor();

      // Locked: the panel and its button come before the facts, on the first screen.
      await page.getByRole('heading', { name: 'Brevlådan är låst' }).waitFor();
      const unlock = page.getByRole('button', { name: 'Lås upp' });
      const box = await unlock.boundingBox();
      assert.ok(
        box && box.y + box.height <= viewport.height,
        `"Lås upp" ends at ${box && box.y + box.height}px, below the first screen`,
      );
      assert.equal(await fact(page, 'Senaste aktivitet'), 'Ingen ännu');
      await expectGoodScreen(page, `a locked mailbox on a ${size}`, smallTargets);
      await shot(page, `mailbox-page-locked-${size}`);

      await unlock.click();
      await expectFocus(page, { tag: 'h2', text: 'Brevlådan är upplåst' });
      assert.match(await main(page), /Lösenordet är detsamma som förut\./);
      await page.locator('.chip-locked').waitFor({ state: 'detached' });
      // An unlock changes neither the password nor the number.
      assert.equal(await fact(page, 'Senaste aktivitet'), 'Ingen ännu');
      await expectGoodScreen(page, `an unlocked mailbox on a ${size}`, smallTargets);
      await shot(page, `mailbox-page-unlocked-${size}`);

      // The reset asks first, naming what will happen; "Avbryt" changes nothing.
      const generate = page.getByRole('button', { name: 'Skapa ett lösenord åt mig' });
      await generate.click();
      const ask = page.getByRole('dialog', { name: `Återställa lösenordet för ${name}?` });
      await ask.waitFor();
      const asked = await ask.innerText();
      for (const consequence of [
        'Det nuvarande lösenordet slutar gälla.',
        'Alla som är inloggade i Nyckel med brevlådan loggas ut.',
        'Länkar till det gamla lösenordet som ingen har öppnat slutar fungera.',
        'Enhetens chef och ombud får ett mejl om bytet.',
      ]) {
        assert.ok(asked.includes(consequence), `the question says: ${consequence}`);
      }
      assert.deepEqual(await axe(page), [], 'axe on the question');
      await page.screenshot({
        path: path.join(SCREENSHOTS, `mailbox-page-reset-question-${size}.png`),
      });
      await ask.getByRole('button', { name: 'Avbryt' }).click();
      await ask.waitFor({ state: 'detached' });
      await expectFocus(page, { tag: 'button', text: 'Skapa ett lösenord åt mig' });
      assert.equal(await page.getByRole('heading', { name: 'Det nya lösenordet' }).count(), 0);
      assert.match(await main(page), /Brevlådan är upplåst/);
      assert.equal(await mailboxLogin(username, password), 200, 'the password is as it was');

      // Reset: the unlock's line goes, the latest activity and the events are read again.
      await generate.click();
      await confirmResetOnBehalf(page);
      await expectFocus(page, { tag: 'h3', text: 'Det nya lösenordet' });
      const text = await main(page);
      assert.doesNotMatch(text, /Brevlådan är upplåst|detsamma som förut/);
      await waitForMain(page, /Lösenordet återställt av chef eller ombud, /, 'latest activity');
      assert.match(await fact(page, 'Senaste aktivitet'), /^Lösenordet återställt av chef/);
      assert.equal(await mailboxLogin(username, password), 401, 'the old password is gone');
      assert.deepEqual(await filledButtons(page), ['Dela med personalen']);
      await expectGoodScreen(page, `the generated password on a ${size}`, smallTargets);
      await shot(page, `mailbox-page-generated-${size}`);

      await page.getByRole('button', { name: 'Jag har sparat det' }).click();
      await expectFocus(page, { tag: 'h3', text: 'Återställ lösenord åt brevlådan' });
      await page.getByText(/Lösenordet är bytt\. Nästa byte ska göras senast/).waitFor();
      assert.deepEqual(await filledButtons(page), ['Dela med personalen'], 'one main button');
      assert.equal(await generate.count(), 0, 'no second reset one tap away');
      await expectGoodScreen(page, `a reset done on a ${size}`, smallTargets);
      await shot(page, `mailbox-page-reset-done-${size}`);

      // "Återställ igen" leads to the choice, and that asks again; "Avbryt" goes back.
      await page.getByRole('button', { name: 'Återställ igen' }).click();
      await expectFocus(page, { tag: 'h3', text: 'Återställ lösenord åt brevlådan' });
      await generate.click();
      await ask.waitFor();
      await ask.getByRole('button', { name: 'Avbryt' }).click();
      await ask.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Avbryt' }).click();
      await page.getByText(/Lösenordet är bytt\. Nästa byte ska göras senast/).waitFor();

      // Share with all three; the dialog's closing puts the focus on what it did.
      await page.getByRole('button', { name: 'Dela med personalen' }).click();
      const share = page.getByRole('dialog', { name: 'Dela med personalen' });
      await share.getByRole('button', { name: 'Skicka länkar' }).click();
      await share.locator('.share-results li').first().waitFor();
      await share.getByRole('button', { name: 'Stäng' }).click();
      await expectFocus(page, {
        tag: 'p',
        text: 'Länkarna är skickade. Du ser nedan vem som har sett lösenordet.',
      });
      const history = page.getByRole('region', { name: 'Delade lösenord' });
      const shared = history.locator('article').first();
      await shared.getByText(/av Maria Lind/).waitFor();
      assert.equal(await shared.locator('li').count(), 3);
      await waitForMain(page, /Lösenordet delat med personalen/, 'the share in the events');

      // A fresh link: its message replaces the reset's, and the events show it.
      await shared.getByRole('button', { name: 'Skicka ny länk till Lena Åkesson' }).click();
      await page.getByText('En ny länk är skickad till Lena Åkesson.').waitFor();
      await expectFocus(page, { tag: 'h2', text: 'Delade lösenord' });
      assert.doesNotMatch(await main(page), /Lösenordet är bytt\.|Länkarna är skickade/);
      await waitForMain(page, /Ny länk skickad till personal/, 'the fresh link in the events');
      await shot(page, `mailbox-page-resent-${size}`);

      // The next reset ends the unopened links: shown as ended at once, no "Skicka ny länk".
      await generate.click();
      await confirmResetOnBehalf(page);
      await page.getByRole('heading', { name: 'Det nya lösenordet' }).waitFor();
      assert.doesNotMatch(await main(page), /En ny länk är skickad/);
      await shared.getByText('Återkallad').first().waitFor();
      await page
        .waitForFunction(
          () =>
            document.querySelector('.handovers article')?.querySelectorAll('.handover-muted')
              .length === 3,
          null,
          { timeout: 10_000 },
        )
        .catch(() => {});
      const rows = await shared.locator('li').allInnerTexts();
      assert.equal(rows.length, 3);
      for (const row of rows) assert.match(row, /Återkallad/);
      assert.doesNotMatch(await shared.innerText(), /Skickad|Skickas/);
      assert.equal(await shared.getByRole('button', { name: /Skicka ny länk/ }).count(), 0);
      await page.getByRole('button', { name: 'Jag har sparat det' }).click();
      await page.getByText(/Lösenordet är bytt\. Nästa byte ska göras senast/).waitFor();
      assert.deepEqual(await filledButtons(page), ['Dela med personalen']);
      await expectGoodScreen(page, `after the next reset on a ${size}`, smallTargets);
      await shot(page, `mailbox-page-revoked-${size}`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
