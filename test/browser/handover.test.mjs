// Handovers in Debian's Chromium, against the app as `npm start` runs it: the unit's staff list
// (add with the error summary, change, remove after asking), the demo manager's reset of
// hemtjanstab on behalf shared with two of the three seeded staff, each link opened at phone
// size in a fresh browser, the password shown once for 60 seconds (the browser's clock moved
// on), exactly as it is, and then "already used"; nothing of the password or the token left in Cache Storage,
// IndexedDB, localStorage or sessionStorage; the manager's view of who has seen it; a fresh
// link; and the mailbox's own share after an SMS reset. axe and 44 px targets on every screen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axe,
  codeFor,
  confirmResetOnBehalf,
  enrolWithTotp,
  expectFocus,
  expectGoodScreen,
  launch,
  linkTo as linkFromOutbox,
  openPage,
  PHONE,
  personCookie,
  seenMessages,
  shot,
  smallTargetsByLabel,
  spelledSv,
  spellOut,
  startApp,
  storedText,
  TABLET,
} from './harness.mjs';

const SARA = '+46701234581';
const OMAR = '+46701234582';
const LENA = '+46701234583';

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
  opened.context.setDefaultTimeout(15_000);
  await opened.context.addCookies([personCookie(manager.cookie)]);
  return opened;
}

const expectGood = (page, what) => expectGoodScreen(page, what);

const linkTo = (phone, seen) => linkFromOutbox(app.base, phone, seen);

const plain = (text) => text.replace(/\s/g, '');

describe('the unit’s staff list', { timeout: 180_000 }, () => {
  it('lists the staff, adds with an error summary, changes and removes after asking', async () => {
    const { context, page, errors } = await signedIn(TABLET);
    await page.goto('/chef/enhet/demo-unit-aby');
    const list = page.getByRole('list', { name: 'Personal i Hemtjänst Åby' });
    await list.waitFor();
    assert.deepEqual(
      (await list.locator('> li').allInnerTexts()).map((t) => t.split('\n')[0]),
      ['Lena Åkesson', 'Omar Berg', 'Sara Ek'],
    );
    assert.match(await list.innerText(), /070-•+ 45 81/);
    assert.doesNotMatch(await list.innerText(), /123 45 81/);

    // Both fields wrong: the summary takes the focus and links to each field.
    const add = page.getByRole('region', { name: 'Lägg till personal' });
    await add.getByLabel('Mobilnummer').fill('08-123 456 78');
    await add.getByRole('button', { name: 'Lägg till' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true);
    assert.match(await summary.innerText(), /Skriv personens namn/);
    assert.match(await summary.innerText(), /inte ett mobilnummer/);
    await summary.getByRole('link', { name: /inte ett mobilnummer/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'staff-add-phone');
    await expectGood(page, 'the staff form with errors');
    await shot(page, 'handover-staff-errors-tablet');

    await add.getByLabel('Namn').fill('Kim Nord');
    await add.getByLabel('Mobilnummer').fill('070-123 45 84');
    await add.getByRole('button', { name: 'Lägg till' }).click();
    await page.getByText('Kim Nord är tillagd.').waitFor();
    await summary.waitFor({ state: 'detached' });
    // Added: the focus is on the list's heading, with the new name under it, not on <body>.
    await expectFocus(page, { tag: 'h2', text: 'Personal' });
    assert.match(await list.innerText(), /Kim Nord\s+070-•+ 45 84/);

    await page.getByRole('button', { name: 'Ändra Kim Nord' }).click();
    await expectFocus(page, { tag: 'h3', text: 'Ändra Kim Nord' });
    const row = list.locator('li', { hasText: 'Ändra Kim Nord' });
    await row.getByLabel('Namn').fill('Kim Norden');
    await row.getByRole('button', { name: 'Spara' }).click();
    await page.getByText('Ändringen för Kim Norden är sparad.').waitFor();
    await expectFocus(page, { tag: 'h2', text: 'Personal' });
    assert.match(await list.innerText(), /Kim Norden\s+070-•+ 45 84/);
    await expectGood(page, 'the staff list on a tablet');
    await shot(page, 'handover-staff-tablet');

    await page.getByRole('button', { name: 'Ta bort Kim Norden' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ta bort ur personallistan?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Kim Norden tas bort ur listan direkt/);
    assert.deepEqual(await axe(page), [], 'axe on the confirmation');
    await dialog.getByRole('button', { name: 'Ta bort' }).click();
    await page.getByText('Kim Norden är borttagen.').waitFor();
    await list.locator('li', { hasText: 'Kim Norden' }).waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the same list on a phone', async () => {
    const { context, page } = await signedIn(PHONE);
    await page.goto('/chef/enhet/demo-unit-aby');
    const list = page.getByRole('list', { name: 'Personal i Hemtjänst Åby' });
    await list.waitFor();
    assert.equal(await list.locator('> li').count(), 3);
    await list.scrollIntoViewIfNeeded();
    await expectGood(page, 'the staff list on a phone');
    await shot(page, 'handover-staff-phone');
    await context.close();
  });
});

describe('sharing a reset on behalf with staff', { timeout: 300_000 }, () => {
  const seen = new Set();
  let password;
  let links;

  it('lets the manager reset hemtjanstab and share it with two of the three staff', async () => {
    const { context, page, errors } = await signedIn(PHONE);
    await page.goto('/chef/brevlada/demo-hemtjanstab');
    await page.getByRole('button', { name: 'Skapa ett lösenord åt mig' }).click();
    await confirmResetOnBehalf(page);
    await page.getByRole('heading', { name: 'Det nya lösenordet' }).waitFor();
    // Exactly as it is: one run of text, the hyphens part of it, spelled out on request.
    const shown = await spellOut(page, page.locator('.generated .password'));
    password = shown.password;
    assert.match(password, /^\S{4}-\S{4}-\S{4}$/);
    assert.deepEqual(shown.items, spelledSv(password));
    await page.getByText('14 tecken, bindestrecken ingår').waitFor();
    await expectGood(page, 'the generated password spelled out');
    await shot(page, 'handover-generated-spelled-phone');
    await page.getByRole('button', { name: 'Dela med personalen' }).click();

    const dialog = page.getByRole('dialog', { name: 'Dela med personalen' });
    await dialog.getByRole('group', { name: 'Vem ska få lösenordet?' }).waitFor();
    const boxes = dialog.getByRole('checkbox');
    assert.equal(await boxes.count(), 3);
    for (let i = 0; i < 3; i++) assert.equal(await boxes.nth(i).isChecked(), true);
    assert.match(await dialog.innerText(), /Sara Ek\s+070-•+ 45 81/);
    assert.doesNotMatch(await dialog.innerText(), new RegExp(password));
    await dialog.getByRole('checkbox', { name: /Lena Åkesson/ }).uncheck();
    assert.deepEqual(await axe(page), [], 'axe on the share dialog');
    assert.deepEqual(await smallTargetsByLabel(page), [], 'targets in the share dialog');
    await page.screenshot({ path: 'screenshots/handover-share-dialog-phone.png' });

    await dialog.getByRole('button', { name: 'Skicka länkar' }).click();
    const results = dialog.locator('.share-results li');
    await results.first().waitFor();
    assert.deepEqual(
      (await results.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')),
      ['Omar Berg 070-••• 45 82 Sms:et är på väg.', 'Sara Ek 070-••• 45 81 Sms:et är på väg.'],
    );
    await page.screenshot({ path: 'screenshots/handover-share-sent-phone.png' });
    await dialog.getByRole('button', { name: 'Stäng' }).click();
    await page.getByText(/Länkarna är skickade/).waitFor();
    // Closed: the focus is back on the page (the opener, or the heading if it is gone).
    await page.waitForFunction(() => document.activeElement !== document.body);
    assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
    const history = page.getByRole('region', { name: 'Delade lösenord' });
    await history.getByText(/Delat .* av Maria Lind/).waitFor();
    assert.doesNotMatch(await history.innerText(), /Lena/);
    await expectGood(page, 'the mailbox page after sharing');
    assert.deepEqual(errors, []);
    await context.close();

    links = { sara: await linkTo(SARA, seen), omar: await linkTo(OMAR, seen) };
    const outbox = await (await fetch(`${app.base}/api/dev/outbox`)).json();
    assert.equal(outbox.filter((m) => m.to === LENA).length, 0, 'nothing to Lena');
    for (const m of outbox.filter((m) => m.to === SARA || m.to === OMAR)) {
      assert.doesNotMatch(m.body, new RegExp(password), 'the SMS never carries the password');
    }
  });

  it('shows the password once at phone size, for 60 seconds, then says the link is used', async () => {
    const token = new URL(links.sara).hash.slice(1);
    // The service worker runs and controls the page, so the reveal passes through it.
    const { context, page, errors } = await openPage(browser, app.localhost, PHONE, {
      serviceWorkers: 'allow',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.clock.install();
    await page.goto('/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true);

    await page.goto(links.sara);
    const heading = page.getByRole('heading', {
      name: 'Lösenord till brevlådan hemtjanstab (Hemtjänst Åby)',
    });
    await heading.waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token is out of the address');
    assert.equal(new URL(page.url()).pathname, '/visa');
    assert.match(await page.locator('main').innerText(), /visas bara en gång, i 60 sekunder/);
    await expectGood(page, 'the reveal page before the tap');
    await shot(page, 'handover-reveal-ready');

    await page.getByRole('button', { name: 'Visa lösenordet' }).click();
    const secret = page.locator('.reveal-secret .password');
    await secret.waitFor();
    assert.equal(await secret.textContent(), password);
    await expectFocus(page, {
      tag: 'h1',
      text: 'Lösenordet till hemtjanstab (Hemtjänst Åby)',
    });
    assert.match(await page.locator('main').innerText(), /Döljs om (60|59|58) s/);
    const status = page.locator('main [role="status"]');
    await status.filter({ hasText: 'Lösenordet visas i 60 sekunder.' }).waitFor();
    await expectGood(page, 'the shown password');
    await shot(page, 'handover-reveal-shown');
    await page.getByRole('button', { name: 'Kopiera lösenordet' }).click();
    await page.getByText('Kopierat.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);

    // Nothing of the password or the token anywhere the origin keeps things.
    const stored = await storedText(page);
    assert.match(stored, /index\.html/, 'the shell is in Cache Storage');
    assert.ok(!stored.includes(password), 'the password is not stored');
    assert.ok(!stored.includes(token), 'the token is not stored');
    assert.ok(!plain(stored).includes(password), 'not even in pieces');

    // Announced at the start and near the end, not every second. (The page's clock runs on
    // while the checks above take their time, so the jump is measured from what it shows.)
    assert.equal(await status.innerText(), 'Lösenordet visas i 60 sekunder.');
    const left = Number(/Döljs om (\d+) s/.exec(await page.locator('main').innerText())?.[1]);
    assert.ok(left > 15, `${left} s left`);
    await page.clock.fastForward((left - 8) * 1000);
    assert.match(await page.locator('main').innerText(), /Döljs om [5-8] s/);
    assert.equal(await status.innerText(), '10 sekunder kvar.');
    await page.clock.fastForward('00:10');
    await page.getByRole('heading', { name: 'Lösenordet är dolt' }).waitFor();
    assert.ok(!(await page.content()).includes(password.slice(0, 4)), 'gone from the page');
    assert.ok(!(await storedText(page)).includes(password));

    await page.goto(links.sara);
    await page.getByRole('heading', { name: 'Länken är använd' }).waitFor();
    assert.match(
      await page.locator('main').innerText(),
      /Den här länken är redan använd – lösenordet visades \d{1,2} \w+ kl\. \d\d:\d\d\. Be den som delade det om en ny länk\./,
    );
    await expectGood(page, 'a spent link');
    await shot(page, 'handover-reveal-spent');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('blurs the password while the page is put away, and the second link is spent at the tap', async () => {
    const { context, page } = await openPage(browser, app.localhost, PHONE);
    await page.goto(links.omar);
    await page.getByRole('button', { name: 'Visa lösenordet' }).click();
    const secret = page.locator('.reveal-secret .password');
    await secret.waitFor();
    assert.equal(await secret.textContent(), password);
    // Switching to the mail app to type it blurs it; the view is not ended by that.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.locator('.reveal-away .password').waitFor();
    assert.equal(await secret.textContent(), password);
    await context.close();

    // A fresh browser: the link itself is spent, whoever opens it.
    const again = await openPage(browser, app.localhost, PHONE);
    await again.page.goto(links.omar);
    await again.page.getByRole('heading', { name: 'Länken är använd' }).waitFor();
    assert.equal(await again.page.getByRole('button', { name: 'Visa lösenordet' }).count(), 0);
    await again.context.close();
  });

  it('says plainly when a link is unknown', async () => {
    const { context, page } = await openPage(browser, app.localhost, PHONE);
    await page.goto(`/visa#${'x'.repeat(43)}`);
    await page.getByRole('heading', { name: 'Länken fungerar inte' }).waitFor();
    await page.getByText(/Kontrollera att du öppnade hela länken/).waitFor();
    await page.goto('/visa');
    await page.getByText('Adressen saknar länkens kod. Öppna länken i sms:et igen.').waitFor();
    assert.deepEqual(await axe(page), []);
    await context.close();

    // In English too: a spent link says when it was shown.
    const en = await openPage(browser, app.localhost, PHONE);
    await en.page.addInitScript(() => localStorage.setItem('nyckel.lang', 'en'));
    await en.page.goto(links.sara);
    await en.page.getByRole('heading', { name: 'The link has been used' }).waitFor();
    assert.match(
      await en.page.locator('main').innerText(),
      /This link has already been used – the password was shown \d{1,2} \w+ at \d\d:\d\d\./,
    );
    assert.deepEqual(await axe(en.page), []);
    await en.context.close();
  });

  it('shows the manager who has seen it, and sends a fresh link to one person', async () => {
    const { context, page, errors } = await signedIn(TABLET);
    await page.goto('/chef/brevlada/demo-hemtjanstab');
    const history = page.getByRole('region', { name: 'Delade lösenord' });
    const first = history.locator('article').first();
    await first.waitFor();
    const rows = await first.locator('li').allInnerTexts();
    assert.equal(rows.length, 2);
    for (const row of rows) assert.match(row, /Visad kl\. \d\d:\d\d/);
    assert.doesNotMatch(await first.innerText(), /Skickad|Skickas/);
    assert.equal(await first.getByRole('button', { name: /Skicka ny länk/ }).count(), 0);
    assert.match(await first.innerText(), /Lösenordet finns inte längre kvar att visa/);
    await expectGood(page, 'who has seen it');
    await shot(page, 'handover-history-viewed-tablet');

    // A second reset, typed this time, shared with Lena and Sara; Lena gets a fresh link.
    await page.getByRole('button', { name: 'Skriv ett eget lösenord' }).click();
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('Gron-Lykta-58');
    await page.getByLabel('Nytt lösenord igen').fill('Gron-Lykta-58');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await confirmResetOnBehalf(page);
    await page.getByText(/Lösenordet är bytt\. Nästa byte ska göras senast/).waitFor();
    await page.getByRole('button', { name: 'Dela med personalen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Dela med personalen' });
    await dialog.getByRole('checkbox', { name: /Omar Berg/ }).uncheck();
    assert.deepEqual(await axe(page), [], 'axe on the share dialog (tablet)');
    await page.screenshot({ path: 'screenshots/handover-share-dialog-tablet.png' });
    await dialog.getByRole('button', { name: 'Skicka länkar' }).click();
    await dialog.locator('.share-results li').first().waitFor();
    await dialog.getByRole('button', { name: 'Stäng' }).click();
    const old = await linkTo(LENA, seen);

    const newest = history.locator('article').first();
    await newest.getByText('Lena Åkesson').waitFor();
    await newest
      .getByText(/Skickad kl\./)
      .first()
      .waitFor();
    await newest.getByRole('button', { name: 'Skicka ny länk till Lena Åkesson' }).click();
    await page.getByText('En ny länk är skickad till Lena Åkesson.').waitFor();
    const fresh = await linkTo(LENA, seen);
    assert.notEqual(fresh, old);
    await expectGood(page, 'the history with a fresh link');
    await shot(page, 'handover-history-tablet');

    const lena = await openPage(browser, app.localhost, PHONE);
    await lena.page.goto(old);
    await lena.page.getByRole('heading', { name: 'Länken gäller inte längre' }).waitFor();
    await lena.page.goto(fresh);
    await lena.page.getByRole('button', { name: 'Visa lösenordet' }).click();
    // A typed password is shown as typed: its hyphens are characters, not group gaps.
    assert.equal(
      await lena.page.locator('.reveal-secret .password').textContent(),
      'Gron-Lykta-58',
    );
    await lena.page.getByText('13 tecken, bindestrecken ingår').waitFor();
    await lena.context.close();

    await page.reload();
    const lenaRow = history.locator('article').first().locator('li', { hasText: 'Lena Åkesson' });
    await lenaRow.getByText(/Visad kl\./).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('the mailbox’s own share after an SMS reset', { timeout: 180_000 }, () => {
  it('offers the staff after the new password, sends to the one picked, then finishes', async () => {
    const { context, page, errors } = await openPage(browser, app.localhost, PHONE);
    await page.goto('/aterstall');
    await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
    const before = await seenMessages(app.base);
    await page.getByRole('button', { name: 'Skicka kod' }).click();
    await page
      .getByLabel('Säkerhetskod (6 siffror)')
      .fill(await codeFor(app.base, '+46701234567', before));
    await page.getByRole('button', { name: 'Nästa' }).click();
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('Egen-Kanel-Vag-91');
    await page.getByLabel('Nytt lösenord igen').fill('Egen-Kanel-Vag-91');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();

    // Saved first; the share is the next step, offered under the confirmation.
    await expectFocus(page, { tag: 'h1', text: 'Lösenordet är bytt' });
    await page.getByRole('button', { name: 'Dela lösenordet med personalen' }).click();
    await expectFocus(page, { tag: 'h1', text: 'Dela lösenordet med personalen' });
    const boxes = page.getByRole('checkbox');
    assert.equal(await boxes.count(), 3);
    await page.getByRole('checkbox', { name: /Lena Åkesson/ }).uncheck();
    await page.getByRole('checkbox', { name: /Omar Berg/ }).uncheck();
    await expectGood(page, 'the mailbox share step');
    await shot(page, 'handover-mailbox-share-phone');
    await page.getByRole('button', { name: 'Skicka länkar' }).click();
    await page.getByRole('heading', { name: 'Länkarna är skickade' }).waitFor();
    assert.match(
      await page.locator('main').innerText(),
      /Sara Ek\s+070-•+ 45 81\s+Sms:et är på väg/,
    );
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
    assert.ok(!(await storedText(page)).includes('Egen-Kanel-Vag-91'));
    assert.deepEqual(errors, []);
    await context.close();

    const link = await linkTo(SARA, new Set());
    const outbox = await (await fetch(`${app.base}/api/dev/outbox`)).json();
    assert.match(outbox.find((m) => m.body.includes(link)).body, /Någon i ert arbetslag/);
    const res = await fetch(`${app.localhost}/api/handovers/reveal`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: app.localhost },
      body: JSON.stringify({ token: new URL(link).hash.slice(1) }),
    });
    assert.equal((await res.json()).password, 'Egen-Kanel-Vag-91');
  });
});

describe('the mailbox’s own share after a change', { timeout: 180_000 }, () => {
  it('keeps the session while the confirmation offers the share, and signs out on leaving', async () => {
    const { context, page, errors } = await openPage(browser, app.localhost, PHONE);
    await page.goto('/byt-losenord');
    await page.getByLabel('Brevlådans användarnamn').fill('hemvardsgruppen');
    await page.getByLabel('Brevlådans nuvarande lösenord').fill('Hemvard#2026');
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('Blank-Spegel-77');
    await page.getByLabel('Nytt lösenord igen').fill('Blank-Spegel-77');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
    const signedIn = () => page.evaluate(() => fetch('/api/mailbox').then((r) => r.status));
    assert.equal(await signedIn(), 200, 'the session that changed it is still there');
    await page.getByRole('button', { name: 'Dela lösenordet med personalen' }).click();
    await page.getByRole('heading', { name: 'Dela lösenordet med personalen' }).waitFor();
    for (const name of [/Lena Åkesson/, /Sara Ek/]) {
      await page.getByRole('checkbox', { name }).uncheck();
    }
    await page.getByRole('button', { name: 'Skicka länkar' }).click();
    await page.getByRole('heading', { name: 'Länkarna är skickade' }).waitFor();
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByRole('heading', { name: 'Lösenordet är bytt' }).waitFor();
    await page.getByRole('link', { name: 'Klart' }).click();
    await page.getByRole('heading', { name: 'Vad vill du göra?' }).waitFor();
    assert.equal(await signedIn(), 401, 'signed out on leaving the confirmation');
    assert.deepEqual(errors, []);
    await context.close();

    const link = await linkTo(OMAR, new Set());
    const res = await fetch(`${app.localhost}/api/handovers/reveal`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: app.localhost },
      body: JSON.stringify({ token: new URL(link).hash.slice(1) }),
    });
    assert.equal((await res.json()).password, 'Blank-Spegel-77');
  });
});
