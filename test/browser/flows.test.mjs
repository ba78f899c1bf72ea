// The app in Debian's Chromium at phone (390×844) and tablet (1024×768) size, against the
// app started as `npm start` does: whole registration, whole reset (wrong code, resend
// timing, live checklist, success screen), keyboard-only use, both languages, axe on every
// screen. Screenshots of every screen land in screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axe,
  codeFor,
  expectFocus,
  focused,
  launch,
  openPage,
  PHONE,
  seenMessages,
  shot,
  startApp,
  TABLET,
} from './harness.mjs';

let app;
let browser;
let resets = 0;
/**
 * The seed's hemvardsgruppen was changed 95 days ago: past its three months, so its first
 * sign-in here goes through the forced change, and the tests after it use the new password.
 */
const hemvard = { password: 'Hemvard#2026', overdue: true };
/** The no-SMS advice as the reset of a real mailbox showed it, to compare with an unknown one. */
let adviceText = '';

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
}

for (const [size, viewport] of [
  ['phone', PHONE],
  ['tablet', TABLET],
]) {
  describe(`at ${size} size`, { timeout: 120_000 }, () => {
    it('registers a mobile number: sign in, see the number, confirm the new one with the SMS code', async () => {
      const { context, page, errors } = await openPage(browser, app.base, viewport);
      await page.goto('/');
      await expectAccessible(page, 'start');
      await shot(page, `${size}-01-start`);

      await page.getByRole('link', { name: /Registrera mobilnummer/ }).click();
      await expectFocus(page, { tag: 'h1', text: 'Registrera mobilnummer' });
      await page.getByLabel('Brevlådans användarnamn').fill('hemvardsgruppen');
      await page.getByLabel('Brevlådans nuvarande lösenord').fill(hemvard.password);
      await expectAccessible(page, 'register sign-in');
      await shot(page, `${size}-02-register-login`);
      await page.getByRole('button', { name: 'Logga in' }).click();

      if (hemvard.overdue) {
        // Overdue: the new password first, without typing the current one again.
        await page.getByRole('heading', { name: 'Byt lösenordet först' }).waitFor();
        await expectFocus(page, { tag: 'h1', text: 'Byt lösenordet först' });
        assert.match(await page.locator('main').innerText(), /äldre än rutinens tre månader/);
        assert.equal(await page.getByLabel('Brevlådans nuvarande lösenord').count(), 0);
        const next = `Kvartal-Byte-${size}-27`;
        await page.getByLabel('Nytt lösenord', { exact: true }).fill(next);
        await page.getByLabel('Nytt lösenord igen').fill(next);
        await expectAccessible(page, 'forced change');
        await shot(page, `${size}-02a-register-must-change`);
        await page.getByRole('button', { name: 'Spara lösenordet' }).click();
        await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
        assert.match(
          await page.locator('main').innerText(),
          /Det nya lösenordet för hemvardsgruppen är sparat/,
        );
        await expectAccessible(page, 'forced change saved');
        await shot(page, `${size}-02b-register-changed`);
        hemvard.password = next;
        hemvard.overdue = false;
        await page.getByRole('button', { name: 'Fortsätt till mobilnumret' }).click();
      }

      await page.getByRole('heading', { name: 'Mobilnummer', exact: true }).waitFor();
      const before = await seenMessages(app.base);
      const number = size === 'phone' ? '070-765 43 21' : '073-111 22 33';
      const e164 = size === 'phone' ? '+46707654321' : '+46731112233';
      const field = page.getByLabel('Mobilnummer som ska få koder');
      await field.fill(number);
      await expectAccessible(page, 'phone');
      await shot(page, `${size}-03-register-phone`);
      await page.getByRole('button', { name: 'Skicka kod till numret' }).click();

      await page.getByRole('heading', { name: 'Bekräfta numret' }).waitFor();
      assert.match(
        await page.locator('main').innerText(),
        /Numret sparas när du har skrivit in koden/,
      );
      await expectAccessible(page, 'phone code');
      await shot(page, `${size}-04-register-code`);
      await page.getByLabel('Säkerhetskod (6 siffror)').fill(await codeFor(app.base, e164, before));
      await page.getByRole('button', { name: 'Nästa' }).click();

      await page.getByRole('heading', { name: 'Numret är registrerat' }).waitFor();
      // In national form, as typed here; never the E.164 the API keeps.
      assert.match(await page.locator('main').innerText(), new RegExp(number));
      assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(`\\${e164}`));
      // Once, and on one line: a line never breaks inside the number.
      assert.equal((await page.locator('main').innerText()).split(number).length, 2);
      const shown = page.locator('main .success .nowrap');
      assert.equal(await shown.innerText(), number);
      // An inline element broken over two lines has two boxes.
      assert.equal(await shown.evaluate((e) => e.getClientRects().length), 1);
      await expectAccessible(page, 'registered');
      await shot(page, `${size}-05-register-done`);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('resets the password: wrong code, then the right one, a live checklist, the success screen', async () => {
      const { context, page, errors } = await openPage(browser, app.base, viewport);
      await page.clock.install();
      await page.goto('/aterstall');
      await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
      await expectAccessible(page, 'reset username');
      await shot(page, `${size}-06-reset-username`);
      const before = await seenMessages(app.base);
      await page.getByRole('button', { name: 'Skicka kod' }).click();

      await page.getByRole('heading', { name: 'Skriv in koden' }).waitFor();
      const main = page.locator('main');
      assert.match(await main.innerText(), /Det kan ta upp till 3 minuter/);
      assert.match(await main.innerText(), /Du kan få koden igen om (3 min 0\d|2 min 5\d) s/);
      assert.equal(await page.getByRole('button', { name: 'Skicka samma kod igen' }).count(), 0);
      const code = await codeFor(app.base, '+46701234567', before);
      const wrong = code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
      await page.getByLabel('Säkerhetskod (6 siffror)').fill(wrong);
      await page.getByRole('button', { name: 'Nästa' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /Koden stämmer inte.*Försök kvar: 4/s);
      await expectAccessible(page, 'reset code with error');
      await shot(page, `${size}-07-reset-wrong-code`);

      // After the guide's 3 minutes the page offers the same code again; the server keeps
      // its own clock, so a resend it does not yet allow is explained, not hidden.
      assert.equal(await page.getByRole('heading', { name: 'Har inget sms kommit?' }).count(), 0);
      await page.clock.fastForward('03:05');
      const resend = page.getByRole('button', { name: 'Skicka samma kod igen' });
      await resend.waitFor();
      // After the guide's 3 minutes: what to do if nothing comes, for everyone alike.
      const advice = page.getByRole('region', { name: 'Har inget sms kommit?' });
      await advice.waitFor();
      adviceText = await advice.innerText();
      assert.match(adviceText, /inte har något registrerat mobilnummer/);
      await advice.getByRole('link', { name: 'Registrera mobilnummer' }).waitFor();
      assert.match(await main.innerText(), /Du får samma kod igen/);
      await shot(page, `${size}-08-reset-resend-offered`);
      await resend.click();
      await page.getByRole('alert').filter({ hasText: 'Försök igen om' }).waitFor();

      await page.getByLabel('Säkerhetskod (6 siffror)').fill(code);
      await page.getByRole('button', { name: 'Nästa' }).click();
      await page.getByRole('heading', { name: 'Välj nytt lösenord' }).waitFor();
      await expectFocus(page, { tag: 'h1', text: 'Välj nytt lösenord' });

      const save = page.getByRole('button', { name: 'Spara lösenordet' });
      const rules = page.locator('.checklist li');
      await page.getByLabel('Nytt lösenord', { exact: true }).fill('abc');
      assert.equal(
        await page.locator('.checklist li.ok').count(),
        2,
        'only Å/Ä/Ö and username met',
      );
      // The button stays enabled: pressing it says what is missing instead (see forms.test).
      assert.equal(await save.isDisabled(), false);
      await page.getByLabel('Nytt lösenord', { exact: true }).fill('Hösten-2026');
      // Ö breaks a rule, which is more than not meeting it yet: ✗ and "uppfylls inte".
      assert.match(await rules.nth(2).innerText(), /uppfylls inte/);
      resets++;
      const password = `Tr4sig-Kanin-${size}-${resets}`;
      await page.getByLabel('Nytt lösenord', { exact: true }).fill(password);
      await page.getByLabel('Nytt lösenord igen').fill(`${password}x`);
      assert.match(await rules.nth(4).innerText(), /inte uppfyllt/);
      await page.getByLabel('Nytt lösenord igen').fill(password);
      assert.equal(await page.locator('.checklist li.ok').count(), 5);
      await page.getByRole('button', { name: 'Visa lösenord' }).first().click();
      assert.equal(
        await page.getByLabel('Nytt lösenord', { exact: true }).getAttribute('type'),
        'text',
      );
      await expectAccessible(page, 'new password');
      await shot(page, `${size}-09-reset-new-password`);
      await save.click();

      // The confirmation first; sharing with the unit's staff is offered under it.
      await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
      await expectFocus(page, { tag: 'h1', text: 'Lösenordet är bytt' });
      assert.match(await main.innerText(), /Det nya lösenordet för hemtjanstab är sparat/);
      assert.match(await main.innerText(), /Nästa byte ska göras senast \d{1,2} \w+ \d{4}/);
      assert.match(await main.innerText(), /Testa att logga in i brevlådan/);
      const offer = page.getByRole('button', { name: 'Dela lösenordet med personalen' });
      await offer.waitFor();
      await shot(page, `${size}-10a-reset-saved-share-offered`);
      await offer.click();
      await page.getByRole('heading', { name: 'Dela lösenordet med personalen' }).waitFor();
      await page.getByRole('button', { name: 'Hoppa över' }).click();
      await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
      assert.equal(await offer.count(), 0, 'offered once');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Lägg påminnelse i kalendern' }).click();
      const file = await download;
      assert.match(file.suggestedFilename(), /^nyckel-hemtjanstab\.ics$/);
      await expectAccessible(page, 'reset done');
      await shot(page, `${size}-10-reset-done`);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('shows the start page and a flow in English, and remembers the choice', async () => {
      const { context, page } = await openPage(browser, app.base, viewport);
      await page.goto('/');
      // Its accessible name is the word on it (WCAG 2.5.3): "click English" reaches it.
      const english = page.getByRole('button', { name: 'English', exact: true });
      assert.equal(await english.getAttribute('title'), 'Byt språk till engelska');
      await english.click();
      await page.getByRole('heading', { name: 'What do you want to do?' }).waitFor();
      assert.equal(
        await page.getByRole('button', { name: 'Svenska', exact: true }).getAttribute('lang'),
        'sv',
      );
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await expectAccessible(page, 'start in English');
      await shot(page, `${size}-11-start-en`);
      await page.reload();
      await page.getByRole('heading', { name: 'What do you want to do?' }).waitFor();
      await page.getByRole('link', { name: /Forgot the password/ }).click();
      await page.getByLabel('Mailbox username').fill('hemtjanstab');
      const before = await seenMessages(app.base);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByRole('heading', { name: 'Enter the code' }).waitFor();
      const code = await codeFor(app.base, '+46701234567', before);
      const wrong = code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
      await page.getByLabel('Security code (6 digits)').fill(wrong);
      await page.getByRole('button', { name: 'Next' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /The code is not correct.*Tries left: 4/s);
      await expectAccessible(page, 'code in English');
      await shot(page, `${size}-12-code-en`);

      await page.getByLabel('Security code (6 digits)').fill(code);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      resets++;
      const password = `Engelsk-Rad-${size}-${resets}`;
      await page.getByLabel('New password', { exact: true }).fill(password);
      await page.getByLabel('New password again').fill(password);
      await expectAccessible(page, 'new password in English');
      await page.getByRole('button', { name: 'Save the password' }).click();
      // Saved first, then the offer to share with the unit's staff.
      await page.getByRole('heading', { name: 'The password is changed' }).waitFor();
      assert.match(await page.locator('main').innerText(), /The next change is due by/);
      await page.getByRole('button', { name: 'Share the password with staff' }).click();
      await page.getByRole('heading', { name: 'Share the password with staff' }).waitFor();
      await expectAccessible(page, 'share step in English');
      await shot(page, `${size}-13a-share-en`);
      await page.getByRole('button', { name: 'Skip' }).click();
      await page.getByRole('heading', { name: 'The password is changed' }).waitFor();
      await expectAccessible(page, 'done in English');
      await shot(page, `${size}-13-done-en`);
      await context.close();
    });

    it('registers a number in English, every step axe-clean', async () => {
      const { context, page } = await openPage(browser, app.base, viewport);
      await page.addInitScript(() => localStorage.setItem('nyckel.lang', 'en'));
      await page.goto('/registrera');
      await page.getByLabel('Mailbox username').fill('hemvardsgruppen');
      await page.getByLabel('The mailbox’s current password').fill(hemvard.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Mobile number', exact: true }).waitFor();
      assert.match(await page.locator('main').innerText(), /Registered number:/);
      await expectAccessible(page, 'phone in English');
      const e164 = size === 'phone' ? '+46725550011' : '+46765550022';
      const before = await seenMessages(app.base);
      await page.getByLabel('Mobile number to receive codes').fill(e164);
      await page.getByRole('button', { name: 'Send a code to the number' }).click();
      await page.getByRole('heading', { name: 'Confirm the number' }).waitFor();
      await expectAccessible(page, 'phone code in English');
      await page.getByLabel('Security code (6 digits)').fill(await codeFor(app.base, e164, before));
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'The number is registered' }).waitFor();
      await expectAccessible(page, 'registered in English');
      await shot(page, `${size}-14-registered-en`);
      await context.close();
    });
  });
}

describe('keyboard only, on a phone', { timeout: 120_000 }, () => {
  it('shows the skip link first, as a full touch target, and it moves to the content', async () => {
    const { context, page } = await openPage(browser, app.base, PHONE);
    await page.goto('/');
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip');
    assert.deepEqual(await focused(page), { tag: 'a', text: 'Hoppa till innehållet' });
    const box = await skip.boundingBox();
    assert.ok(
      box && box.height >= 44 && box.width >= 44,
      `the skip link is ${JSON.stringify(box)}`,
    );
    assert.ok(box.x >= 0 && box.y >= 0, 'on screen when focused');
    await shot(page, 'phone-00-skip-link');
    await page.keyboard.press('Enter');
    assert.match(page.url(), /#main$/);
    await context.close();
  });

  it('completes a reset with Tab and Enter, focus on each new step’s heading', async () => {
    const { context, page } = await openPage(browser, app.base, PHONE);
    await page.goto('/');
    const kb = page.keyboard;
    // Skip link, brand, language, then the three actions: the reset is the fifth stop.
    for (let i = 0; i < 5; i++) await kb.press('Tab');
    assert.match((await focused(page)).text, /^Glömt lösenordet/);
    await kb.press('Enter');
    await expectFocus(page, { tag: 'h1', text: 'Återställ lösenord' });
    await kb.press('Tab');
    await kb.type('hemtjanstab');
    const before = await seenMessages(app.base);
    await kb.press('Enter');
    await page.getByRole('heading', { name: 'Skriv in koden' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Skriv in koden' });
    await kb.press('Tab');
    await kb.type(await codeFor(app.base, '+46701234567', before));
    await kb.press('Enter');
    await page.getByRole('heading', { name: 'Välj nytt lösenord' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Välj nytt lösenord' });
    resets++;
    const password = `Tangent-Bord-${resets}`;
    await kb.press('Tab');
    await kb.type(password);
    await kb.press('Tab'); // the show/hide button
    await kb.press('Tab');
    await kb.type(password);
    await kb.press('Enter');
    // Saved: the confirmation has the focus; the share offer is the next stops after the
    // calendar button, then its step, skipped with the keyboard.
    await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Lösenordet är bytt' });
    await page.getByRole('button', { name: 'Dela lösenordet med personalen' }).waitFor();
    await kb.press('Tab');
    assert.equal((await focused(page)).text, 'Lägg påminnelse i kalendern');
    await kb.press('Tab');
    assert.equal((await focused(page)).text, 'Dela lösenordet med personalen');
    await kb.press('Enter');
    await expectFocus(page, { tag: 'h1', text: 'Dela lösenordet med personalen' });
    await page.getByRole('button', { name: 'Hoppa över' }).focus();
    await kb.press('Enter');
    await expectFocus(page, { tag: 'h1', text: 'Lösenordet är bytt' });
    await context.close();
  });

  it('gives an unknown username the same no-SMS advice, word for word', async () => {
    assert.notEqual(adviceText, '', 'the reset test ran first');
    const { context, page } = await openPage(browser, app.base, PHONE);
    await page.clock.install();
    await page.goto('/aterstall');
    await page.getByLabel('Brevlådans användarnamn').fill('finnsinte42');
    await page.getByRole('button', { name: 'Skicka kod' }).click();
    await page.getByRole('heading', { name: 'Skriv in koden' }).waitFor();
    await page.clock.fastForward('03:05');
    const advice = page.getByRole('region', { name: 'Har inget sms kommit?' });
    await advice.waitFor();
    assert.equal(await advice.innerText(), adviceText);
    assert.deepEqual(await axe(page), []);
    await shot(page, 'phone-17-no-sms-advice');
    await context.close();
  });

  it('announces a wrong code through a live region', async () => {
    const { context, page } = await openPage(browser, app.base, PHONE);
    await page.goto('/aterstall');
    await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Skriv in koden' }).waitFor();
    await page.getByLabel('Säkerhetskod (6 siffror)').fill('000000');
    await page.keyboard.press('Enter');
    const alert = page.locator('[aria-live="assertive"] [role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Koden stämmer inte/);
    await context.close();
  });

  it('resumes a reset after a reload at the code step', async () => {
    const { context, page } = await openPage(browser, app.base, PHONE);
    await page.goto('/aterstall');
    await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
    await page.getByRole('button', { name: 'Skicka kod' }).click();
    await page.getByRole('heading', { name: 'Skriv in koden' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Skriv in koden' }).waitFor();
    const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
    assert.doesNotMatch(stored, /Hemvard|Brevlada|Tr4sig/);
    await context.close();
  });
});

describe('change with the current password, on a phone', { timeout: 120_000 }, () => {
  it('refuses a wrong current password, then changes it and shows the next due date', async () => {
    const { context, page, errors } = await openPage(browser, app.base, PHONE);
    await page.goto('/byt-losenord');
    await page.getByLabel('Brevlådans användarnamn').fill('hemvardsgruppen');
    await page.getByLabel('Brevlådans nuvarande lösenord').fill('Fel-Losen-99');
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('Blank-Spegel-77');
    await page.getByLabel('Nytt lösenord igen').fill('Blank-Spegel-77');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Fel användarnamn eller lösenord/);
    await shot(page, 'phone-15-change-wrong-password');

    await page.getByLabel('Brevlådans nuvarande lösenord').fill(hemvard.password);
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    // The confirmation first, with sharing offered under it while the session lasts.
    await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
    await page.getByRole('button', { name: 'Dela lösenordet med personalen' }).waitFor();
    assert.deepEqual(await axe(page), []);
    await shot(page, 'phone-16-change-done');
    await page.getByRole('link', { name: 'Klart' }).click();
    await page.getByRole('heading', { name: 'Vad vill du göra?' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();

    const login = await fetch(`${app.base}/api/mailbox/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'hemvardsgruppen', password: 'Blank-Spegel-77' }),
    });
    assert.equal(login.status, 200, 'the new password works against the API');
    hemvard.password = 'Blank-Spegel-77';
  });

  it('changes in English at tablet size, the confirmation before the share offer', async () => {
    const { context, page, errors } = await openPage(browser, app.base, TABLET);
    await page.addInitScript(() => localStorage.setItem('nyckel.lang', 'en'));
    await page.goto('/');
    await page.getByRole('link', { name: /Change the password/ }).click();
    await expectFocus(page, { tag: 'h1', text: 'Change the password' });
    await page.getByLabel('Mailbox username').fill('hemvardsgruppen');
    await page.getByLabel('The mailbox’s current password').fill(hemvard.password);
    await page.getByLabel('New password', { exact: true }).fill('Quiet-Harbour-58');
    await page.getByLabel('New password again').fill('Quiet-Harbour-58');
    await expectAccessible(page, 'change in English');
    await shot(page, 'tablet-18-change-en');
    await page.getByRole('button', { name: 'Save the password' }).click();
    await expectFocus(page, { tag: 'h1', text: 'The password is changed' });
    assert.match(
      await page.locator('main').innerText(),
      /The new password for hemvardsgruppen is saved\. The next change is due by/,
    );
    await page.getByRole('button', { name: 'Share the password with staff' }).waitFor();
    await expectAccessible(page, 'changed in English');
    await shot(page, 'tablet-19-changed-en');
    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'What do you want to do?' }).waitFor();
    hemvard.password = 'Quiet-Harbour-58';
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('the code field', { timeout: 120_000 }, () => {
  it('keeps only the code when the whole SMS is pasted, and offers one-time-code autofill', async () => {
    const { context, page } = await openPage(browser, app.base, PHONE);
    await page.goto('/aterstall');
    await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
    const before = await seenMessages(app.base);
    await page.getByRole('button', { name: 'Skicka kod' }).click();
    const field = page.getByLabel('Säkerhetskod (6 siffror)');
    await field.waitFor();
    assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await field.getAttribute('inputmode'), 'numeric');
    const code = await codeFor(app.base, '+46701234567', before);
    const outbox = await (await fetch(`${app.base}/api/dev/outbox`)).json();
    const sms = outbox.find((m) => m.body.endsWith(`#${code}`)).body;
    await field.focus();
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text', text);
      document.activeElement.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, sms);
    assert.equal(await field.inputValue(), code);
    await page.getByRole('button', { name: 'Nästa' }).click();
    await page.getByRole('heading', { name: 'Välj nytt lösenord' }).waitFor();
    await context.close();
  });
});
