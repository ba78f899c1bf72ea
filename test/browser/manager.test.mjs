// The manager's side in Debian's Chromium at tablet (1024×768) and phone (390×844) size,
// against the app started as `npm start` does: the demo manager enrols with an authenticator
// app through the API (the browser tests of enrolment itself are in people.test.mjs) and the
// session cookie goes into each browser context. The home's tasks and mailboxes, unlocking,
// a reset on behalf (generated and shown once, or typed with the checklist), inviting and
// removing a delegate, the unit's log and the step-up check; axe on every screen.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ageStrongChecks,
  axe,
  confirmResetOnBehalf,
  enrolWithTotp,
  expectFocus,
  expectGoodScreen,
  inviteLinkFromOutbox,
  launch,
  lockMailbox,
  openPage,
  PHONE,
  personCookie,
  runLocalSql,
  SCREENSHOTS,
  shot,
  smallTargets,
  startApp,
  TABLET,
  totpCode,
} from './harness.mjs';

let app;
let browser;
let manager;

before(async () => {
  app = await startApp();
  browser = await launch();
  manager = await enrolWithTotp(app.localhost, app.demoInviteLink());
  // Something to do for each kind of task: hemtjanstab is locked (five wrong passwords) and
  // due in 10 days, hemvardsgruppen (no number) was due five days ago.
  await lockMailbox(app.base, 'hemtjanstab');
  runLocalSql(
    app,
    `UPDATE mailboxes SET password_changed_at = CAST(strftime('%s', 'now') AS INTEGER) - 80 * 86400
       WHERE username = 'hemtjanstab';
     UPDATE mailboxes SET password_changed_at = CAST(strftime('%s', 'now') AS INTEGER) - 95 * 86400
       WHERE username = 'hemvardsgruppen';`,
  );
});

after(async () => {
  await browser?.close();
  app?.stop();
});

/** A page signed in as `who` (the manager unless said otherwise). */
async function signedIn(viewport, { cookie = manager.cookie, lang = 'sv' } = {}) {
  const opened = await openPage(browser, app.localhost, viewport);
  opened.context.setDefaultTimeout(20_000);
  await opened.context.addCookies([personCookie(cookie)]);
  if (lang !== 'sv') {
    await opened.page.addInitScript((l) => localStorage.setItem('nyckel.lang', l), lang);
  }
  return opened;
}

const expectGoodLayout = (page, what) => expectGoodScreen(page, what, smallTargets);

const main = (page) => page.locator('main').innerText();

/** The mailbox flow's API, to prove what a reset or an unlock did. */
function mailboxLogin(username, password) {
  return fetch(`${app.base}/api/mailbox/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  }).then((r) => r.status);
}

describe('the manager’s home', { timeout: 120_000 }, () => {
  it('puts what needs doing first, then the unit’s mailboxes as a table on a tablet', async () => {
    const { context, page, errors } = await signedIn(TABLET);
    await page.goto('/chef');
    await page.getByRole('heading', { name: 'Att göra (4)' }).waitFor();
    await expectFocus(page, { tag: 'h1', text: 'Översikt' });
    const tasks = page.locator('.task-list > li');
    // Each chip is a word; its mark is decoration, hidden from screen readers.
    const chips = await tasks.locator('.chip').allInnerTexts();
    assert.deepEqual(
      chips.map((text) => text.split('\n').pop()),
      ['Försenat', 'Låst', 'Snart dags', 'Inget nummer'],
    );
    assert.match(await tasks.nth(0).innerText(), /Hemvårdsgruppen Åby.*skulle ha bytts senast/s);
    assert.match(await tasks.nth(1).innerText(), /Hemtjänst Åby.*Låst efter för många/s);
    assert.match(await tasks.nth(2).innerText(), /ska bytas senast .* \(om 10 dagar\)/);

    const table = page.getByRole('table', { name: 'Brevlådor i Hemtjänst Åby' });
    assert.ok(await table.isVisible());
    const headers = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(headers, [
      'Brevlåda',
      'Mobilnummer',
      'Lösenordet bytt',
      'Nästa byte senast',
      'Senaste aktivitet',
    ]);
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /070-•+ 45 67/);
    assert.match(await rows.nth(1).innerText(), /Inget nummer.*Försenat/s);
    assert.equal(await page.locator('.mailbox-cards').isVisible(), false);
    await expectGoodLayout(page, 'home on a tablet');
    await shot(page, 'manager-home-tablet');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the same mailboxes as cards on a phone', async () => {
    const { context, page } = await signedIn(PHONE);
    await page.goto('/chef');
    const cards = page.getByRole('list', { name: 'Brevlådor i Hemtjänst Åby' });
    await cards.waitFor();
    assert.equal(await cards.locator('> li').count(), 2);
    assert.equal(await page.getByRole('table').count(), 0, 'no table on a phone');
    assert.match(await cards.innerText(), /Nästa byte senast/);
    await expectGoodLayout(page, 'home on a phone');
    await shot(page, 'manager-home-phone');
    await context.close();
  });

  it('reads in English too', async () => {
    const { context, page } = await signedIn(TABLET, { lang: 'en' });
    await page.goto('/chef');
    await page.getByRole('heading', { name: 'To do (4)' }).waitFor();
    assert.match(await main(page), /Overdue.*Locked.*Due soon.*No number/s);
    assert.equal(await page.title(), 'Overview – Nyckel');
    await expectGoodLayout(page, 'home in English');
    await shot(page, 'manager-home-tablet-en');
    await context.close();
  });
});

describe('a mailbox’s page', { timeout: 120_000 }, () => {
  it('unlocks a locked mailbox without changing its password', async () => {
    assert.equal(await mailboxLogin('hemtjanstab', 'Brevlada-2026'), 423, 'locked to begin with');
    const { context, page } = await signedIn(TABLET);
    await page.goto('/chef');
    await page
      .locator('.task-locked')
      .getByRole('link', { name: 'Hemtjänst Åby (hemtjanstab)' })
      .click();
    await page.getByRole('heading', { name: 'Hemtjänst Åby', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/chef/brevlada/demo-hemtjanstab');
    await page.getByRole('heading', { name: 'Brevlådan är låst' }).waitFor();
    assert.match(await main(page), /Att låsa upp ändrar inte lösenordet/);
    await expectGoodLayout(page, 'a locked mailbox');
    await shot(page, 'manager-mailbox-locked-tablet');

    await page.getByRole('button', { name: 'Lås upp' }).click();
    await page.getByRole('heading', { name: 'Brevlådan är upplåst' }).waitFor();
    await expectFocus(page, { tag: 'h2', text: 'Brevlådan är upplåst' });
    await page.getByRole('button', { name: 'Lås upp' }).waitFor({ state: 'detached' });
    await page.locator('.chip-locked').waitFor({ state: 'detached' });
    assert.equal(await mailboxLogin('hemtjanstab', 'Brevlada-2026'), 200);
    await page.reload();
    await page.getByRole('table', { name: 'Händelser för brevlådan' }).waitFor();
    assert.match(
      await page.getByRole('table', { name: 'Händelser för brevlådan' }).innerText(),
      /Maria Lind\s+Brevlådan upplåst\s+\S+\s+Lyckades/,
    );
    await context.close();
  });

  it('resets on behalf with a generated password, shown once and then gone', async () => {
    const { context, page } = await signedIn(PHONE);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/chef/brevlada/demo-hemvardsgruppen');
    await page.getByRole('heading', { name: 'Återställ lösenord åt brevlådan' }).waitFor();
    await page.getByRole('button', { name: 'Skapa ett lösenord åt mig' }).click();
    assert.match(
      await confirmResetOnBehalf(page),
      /Alla som är inloggade i Nyckel med brevlådan loggas ut/,
    );
    await page.getByRole('heading', { name: 'Det nya lösenordet' }).waitFor();
    await expectFocus(page, { tag: 'h3', text: 'Det nya lösenordet' });
    const password = await page.locator('.generated .password').innerText();
    const plain = password.replace(/\s/g, '');
    assert.match(plain, /^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){2,}$/);
    assert.match(await main(page), /visas bara nu/);
    await expectGoodLayout(page, 'the generated password');
    await shot(page, 'manager-generated-password-phone');

    await page.getByRole('button', { name: 'Kopiera lösenordet' }).click();
    await page.getByText('Kopierat.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), plain);
    await page.getByRole('button', { name: 'Jag har sparat det' }).click();
    await page.getByText(/Lösenordet är bytt\. Nästa byte ska göras senast/).waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(plain.replace(/-/g, '.*')));
    assert.equal(await mailboxLogin('hemvardsgruppen', plain), 200);
    await shot(page, 'manager-reset-done-phone');
    await context.close();
  });

  it('resets on behalf with a typed password and the same live checklist as self-service', async () => {
    const { context, page } = await signedIn(TABLET);
    await page.goto('/chef/brevlada/demo-hemtjanstab');
    await page.getByRole('button', { name: 'Skriv ett eget lösenord' }).click();
    // The button that was pressed is gone: the focus is on a heading, not on <body>.
    await page.waitForFunction(() => /^H[1-3]$/.test(document.activeElement?.tagName ?? ''));
    const field = page.getByLabel('Nytt lösenord', { exact: true });
    await field.fill('abc');
    assert.equal(await page.locator('.checklist li.ok').count(), 2);
    const save = page.getByRole('button', { name: 'Spara lösenordet' });
    // Enabled all along: pressing it now sums up what is missing, with links to the fields.
    await save.click();
    await page.locator('.error-summary').filter({ hasText: 'uppfyller kraven' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
    await field.fill('Stark-Kanin-42');
    await page.getByLabel('Nytt lösenord igen').fill('Stark-Kanin-42');
    assert.equal(await page.locator('.checklist li.ok').count(), 5);
    await expectGoodLayout(page, 'a typed reset');
    await shot(page, 'manager-reset-typed-tablet');
    await save.click();
    await confirmResetOnBehalf(page);
    await page.getByText(/Lösenordet är bytt\. Nästa byte ska göras senast/).waitFor();
    assert.equal(await mailboxLogin('hemtjanstab', 'Stark-Kanin-42'), 200);
    await context.close();
  });
});

describe('a unit’s delegates and log', { timeout: 120_000 }, () => {
  let delegate;

  it('invites a delegate; the invite e-mail and its link show in the development outbox', async () => {
    const { context, page } = await signedIn(TABLET);
    await page.goto('/chef');
    await page.getByRole('link', { name: 'Ombud och logg för Hemtjänst Åby' }).click();
    await page.getByRole('heading', { name: 'Hemtjänst Åby', level: 1 }).waitFor();
    // The unit page has a staff form too: the invite's fields are in its region.
    const invite = page.getByRole('region', { name: 'Bjud in ett ombud' });
    await invite.getByLabel('Namn').fill('Sara Ek');
    await invite.getByLabel('E-postadress').fill('sara.ek@example.se');
    await page.getByRole('button', { name: 'Skicka inbjudan' }).click();
    await page.getByText('Inbjudan är skickad till sara.ek@example.se.').waitFor();
    const sara = page.locator('.person-card', { hasText: 'Sara Ek' });
    assert.match(await sara.innerText(), /ombud\s+Inbjudan skickad, inte använd ännu/);

    const link = await inviteLinkFromOutbox(app.base, 'sara.ek@example.se');
    await page.getByText('Utvecklarläge: utkorg för sms och e-post').click();
    const mail = page.locator('.dev-outbox li', { hasText: 'sara.ek@example.se' }).first();
    await mail.waitFor();
    assert.match(await mail.innerText(), /^E-post/);
    assert.equal(await mail.getByRole('link').first().getAttribute('href'), link);
    await expectGoodLayout(page, 'a unit with an invite');
    await shot(page, 'manager-unit-invited-tablet');
    await context.close();

    delegate = await enrolWithTotp(app.localhost, link);
  });

  it('removes a delegate after asking, and the delegate is signed out at once', async () => {
    const sara = await signedIn(PHONE, { cookie: delegate.cookie });
    await sara.page.goto('/chef');
    await sara.page.getByRole('heading', { name: 'Hemtjänst Åby', level: 2 }).waitFor();

    const { context, page } = await signedIn(TABLET);
    await page.goto('/chef/enhet/demo-unit-aby');
    await page.getByRole('button', { name: 'Ta bort som ombud: Sara Ek' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ta bort ombudet?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Sara Ek förlorar åtkomsten till Hemtjänst Åby direkt/);
    assert.deepEqual(await axe(page), [], 'axe on the confirmation');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'manager-revoke-dialog-tablet.png') });
    await dialog.getByRole('button', { name: 'Ta bort' }).click();
    await page.getByText('Sara Ek är inte längre ombud.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.person-card', { hasText: 'Sara Ek' }).waitFor({ state: 'detached' });

    // The delegate's next click finds the session gone.
    await sara.page
      .getByRole('link', { name: /Hemvårdsgruppen Åby/ })
      .first()
      .click();
    await sara.page.getByRole('heading', { name: 'Logga in' }).waitFor();
    assert.match(await main(sara.page), /Din inloggning har upphört/);
    await sara.context.close();
    await context.close();
  });

  it('shows the unit’s log: who, what, when, from where, outcome; more on request', async () => {
    const sizes = [
      [TABLET, 'tablet'],
      [PHONE, 'phone'],
    ];
    const entriesOf = (page, size) =>
      size === 'tablet'
        ? page.getByRole('table', { name: 'Logg för enheten' }).locator('tbody tr')
        : page.getByRole('list', { name: 'Logg för enheten' }).locator('> li');
    for (const [viewport, size] of sizes) {
      const { context, page } = await signedIn(viewport);
      await page.goto('/chef/enhet/demo-unit-aby');
      await entriesOf(page, size).first().waitFor();
      const log = await entriesOf(page, size).allInnerTexts();
      assert.ok(
        log.some((text) => /Ombud borttaget: Sara Ek/.test(text)),
        'the removal',
      );
      assert.ok(
        log.some((text) => /Ombud tillagt: Sara Ek/.test(text)),
        'the invite',
      );
      assert.ok(
        log.some((text) => /Brevlådan upplåst: hemtjanstab/.test(text)),
        'the unlock',
      );
      if (size === 'tablet') {
        const headers = page.getByRole('table', { name: 'Logg för enheten' }).locator('th');
        assert.deepEqual(await headers.allInnerTexts(), [
          'När',
          'Vem',
          'Vad',
          'Varifrån',
          'Utfall',
        ]);
        assert.match(log[0], /Maria Lind\s+Ombud borttaget: Sara Ek\s+127\.0\.0\.1\s+Lyckades/);
      }
      await expectGoodLayout(page, `the unit on a ${size}`);
      await shot(page, `manager-unit-${size}`);
      await context.close();
    }

    // Enough entries for a second page (25 a page): the staff signing in, again and again.
    for (let i = 0; i < 25; i++) await mailboxLogin('hemtjanstab', 'Stark-Kanin-42');
    for (const [viewport, size] of sizes) {
      const { context, page } = await signedIn(viewport);
      await page.goto('/chef/enhet/demo-unit-aby');
      const entries = entriesOf(page, size);
      await entries.first().waitFor();
      assert.equal(await entries.count(), 25);
      const newest = await entries.first().innerText();
      for (const part of ['hemtjanstab', 'Inloggning med brevlådans lösenord', '127.0.0.1']) {
        assert.ok(newest.includes(part), `${part} in ${newest}`);
      }
      await page.getByRole('button', { name: 'Visa fler händelser' }).click();
      await entries.nth(25).waitFor();
      const all = await entries.allInnerTexts();
      assert.ok(
        all.some((text) => /Ombud borttaget: Sara Ek/.test(text)),
        'older entries follow',
      );
      await context.close();
    }
  });
});

describe('the step-up check', { timeout: 120_000 }, () => {
  it('asks for the app’s code before a sensitive change when the sign-in is over 10 minutes old', async () => {
    ageStrongChecks(app, 11);
    const { context, page } = await signedIn(TABLET);
    await page.goto('/chef/brevlada/demo-hemtjanstab');
    await page.getByRole('button', { name: 'Skapa ett lösenord åt mig' }).click();
    await confirmResetOnBehalf(page);
    const dialog = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await dialog.waitFor();
    // Signed in with an authenticator app, so its code is offered first.
    const code = dialog.getByLabel('Engångskod (6 siffror)');
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.deepEqual(await axe(page), [], 'axe on the step-up dialog');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'manager-step-up-tablet.png') });
    await code.fill(totpCode(manager.secret, { step: 1 }));
    await dialog.getByRole('button', { name: 'Bekräfta med koden' }).click();
    await page.getByRole('heading', { name: 'Det nya lösenordet' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await context.close();
  });
});
