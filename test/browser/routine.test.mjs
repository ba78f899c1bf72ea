// The unit's routine in Debian's Chromium, against the app started as
// `npm start` does. The demo manager enrols with an authenticator app through the API, as in
// manager.test.mjs, and follows the unit page's link to the routine: its content (mailboxes,
// people, the dates of the coming year in words), axe and 44 px targets at phone and tablet
// size, English, and the print view: nothing of the app around it, on one or two A4 pages.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  enrolWithTotp,
  expectFocus,
  expectGoodScreen,
  launch,
  openPage,
  PHONE,
  personCookie,
  runLocalSql,
  SCREENSHOTS,
  shot,
  smallTargets,
  startApp,
  TABLET,
} from './harness.mjs';

/** A4 at 96 CSS px per inch: 210 mm × 297 mm. */
const A4 = { width: 794, height: 1123 };
const DAY_MS = 86_400_000;
const UNIT = '/chef/enhet/demo-unit-aby';
const ROUTINE = `${UNIT}/rutin`;

let app;
let browser;
let manager;
/** When the ages were set: the dates below count from here. */
let seededAt;

before(async () => {
  app = await startApp();
  browser = await launch();
  manager = await enrolWithTotp(app.localhost, app.demoInviteLink());
  // As the seed says: hemtjanstab changed 80 days ago (due in 10 days), hemvardsgruppen
  // 95 days ago (due 5 days ago: overdue).
  seededAt = Date.now();
  runLocalSql(
    app,
    `UPDATE mailboxes SET password_changed_at = ${Math.floor(seededAt / 1000) - 80 * 86400}
       WHERE username = 'hemtjanstab';
     UPDATE mailboxes SET password_changed_at = ${Math.floor(seededAt / 1000) - 95 * 86400}
       WHERE username = 'hemvardsgruppen';`,
  );
});

after(async () => {
  await browser?.close();
  app?.stop();
});

/** The Swedish calendar date `days` from when the ages were set, then `cycles` × 90 days on. */
function dueDate(days, cycles, lang = 'sv') {
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(
    new Date(seededAt + days * DAY_MS),
  );
  const [y, m, d] = ymd.split('-').map(Number);
  return new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d + cycles * 90)));
}

async function signedIn(viewport, { lang = 'sv' } = {}) {
  const opened = await openPage(browser, app.localhost, viewport);
  opened.context.setDefaultTimeout(20_000);
  await opened.context.addCookies([personCookie(manager.cookie)]);
  if (lang !== 'sv') {
    await opened.page.addInitScript((l) => localStorage.setItem('nyckel.lang', l), lang);
  }
  return opened;
}

const expectGoodLayout = (page, what) => expectGoodScreen(page, what, smallTargets);

const main = (page) => page.locator('main').innerText();

/** Pages of a PDF: its /Type /Page objects, not the /Type /Pages tree above them. */
function pdfPages(bytes) {
  return (
    Buffer.from(bytes)
      .toString('latin1')
      .match(/\/Type\s*\/Page(?![s\w])/g) ?? []
  ).length;
}

describe('the unit’s routine', { timeout: 180_000 }, () => {
  it('is one link away from the unit, and says what Nyckel knows, on a phone', async () => {
    const { context, page, errors } = await signedIn(PHONE);
    await page.goto(UNIT);
    await page.getByRole('link', { name: 'Enhetens rutin' }).click();
    await page
      .getByRole('heading', { name: 'Lösenordsrutin för Hemtjänst Åby', level: 1 })
      .waitFor();
    assert.equal(new URL(page.url()).pathname, ROUTINE);
    await expectFocus(page, { tag: 'h1', text: 'Lösenordsrutin för Hemtjänst Åby' });
    assert.equal(await page.title(), 'Lösenordsrutin för Hemtjänst Åby – Nyckel');

    assert.deepEqual(await page.locator('main h2').allInnerTexts(), [
      'Enhetens brevlådor',
      'Vem ansvarar',
      'Datum för lösenordsbyte det närmaste året',
      'Så byter vi lösenord',
      'Om du har glömt lösenordet',
      'Så får personalen det nya lösenordet',
      'Support',
    ]);
    const text = await main(page);
    // The mailboxes, with the number masked, or the lack of one.
    const mailboxes = page.locator('.routine-mailboxes > li');
    assert.equal(await mailboxes.count(), 2);
    assert.match(
      await mailboxes.nth(0).innerText(),
      /Hemtjänst Åby\s+Användarnamn\s+hemtjanstab\s+Mobilnummer för sms-koder\s+Registrerat: 070-•+ 45 67/,
    );
    assert.match(
      await mailboxes.nth(1).innerText(),
      /Hemvårdsgruppen Åby\s+Användarnamn\s+hemvardsgruppen\s+.*Inget nummer\. Registrera ett/s,
    );
    assert.doesNotMatch(text, /701234567/, 'never the whole number');
    // Who is responsible.
    assert.match(
      text,
      /Chef\s+Maria Lind, maria\.lind@example\.se\s+Ombud\s+Enheten har inga ombud\./,
    );
    // The dates of the coming year, in words: hemtjanstab is due in 10 days, then every 90
    // days; hemvardsgruppen was due 5 days ago and says so.
    const groups = page.locator('.routine-date-group');
    assert.deepEqual(await groups.nth(0).locator('li').allInnerTexts(), [
      dueDate(10, 0),
      dueDate(10, 1),
      dueDate(10, 2),
      dueDate(10, 3),
    ]);
    const late = await groups.nth(1).locator('li').allInnerTexts();
    assert.equal(late[0], `${dueDate(-5, 0)} – försenat – byt nu`);
    assert.deepEqual(late.slice(1), [
      dueDate(-5, 1),
      dueDate(-5, 2),
      dueDate(-5, 3),
      dueDate(-5, 4),
    ]);
    assert.match(dueDate(10, 0), /^\d{1,2} [a-zé]+ \d{4}$/, 'a date in words, like 3 mars 2027');
    // The guide's facts, in plain words.
    assert.match(text, /Lösenordet ska bytas var tredje månad \(90 dagar\)/);
    assert.match(text, /14 dagar före, 3 dagar före och samma dag/);
    assert.match(text, /Vänta 3 minuter om du inte har fått något sms, ibland kan det dröja/);
    assert.match(text, /till exempel hemtjanstab/);
    assert.match(text, /Använd en arbetsmobil i första hand/);
    assert.match(text, /Minst 8 tecken\.\s+Minst 3 av de här 4 sorterna/);
    assert.match(text, /ett lösenord som brevlådan har haft förut/);
    assert.match(
      text,
      /sms med en egen länk.*gäller i 24 timmar och går bara att öppna en gång.*visas i 60 sekunder/s,
    );
    assert.match(text, /Chefen ser i Nyckel vem som har sett lösenordet/);
    // The support channels as configured: the menu choice as written, the number to dial in
    // national form, the address, and the Treserva message as plain text.
    assert.match(
      text,
      /Telefon 2000, knappval 3 och 1\s+Ring 019-21 10 00\s+Mejla support@example\.se\s+Skicka ett meddelande i Treserva/,
    );
    const tels = await page
      .locator('section[aria-labelledby="routine-support"] a[href^="tel:"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(tels, ['tel:+4619211000']);
    // Links to the app on the configured origin.
    const hrefs = await page.locator('.routine-url').evaluateAll((as) => as.map((a) => a.href));
    assert.deepEqual(hrefs, [
      `${app.localhost}/byt-losenord`,
      `${app.localhost}/aterstall`,
      `${app.localhost}/registrera`,
    ]);
    await expectGoodLayout(page, 'the routine on a phone');
    await shot(page, 'routine-phone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('fits a tablet, prints, and copies its own link to share', async () => {
    const { context, page, errors } = await signedIn(TABLET);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(ROUTINE);
    await page.getByRole('heading', { name: 'Lösenordsrutin för Hemtjänst Åby' }).waitFor();
    await expectGoodLayout(page, 'the routine on a tablet');
    await shot(page, 'routine-tablet');

    await page.getByRole('button', { name: 'Kopiera länk' }).click();
    await page.getByText('Länken är kopierad.').waitFor();
    assert.equal(
      await page.evaluate(() => navigator.clipboard.readText()),
      `${app.localhost}${ROUTINE}`,
    );
    assert.match(
      await main(page),
      /Länken fungerar för enhetens chef och ombud när de är inloggade/,
    );

    // The print dialog itself cannot be driven headless: the button must open it.
    await page.evaluate(() => {
      window.print = () => {
        window.printed = true;
      };
    });
    await page.getByRole('button', { name: 'Skriv ut' }).click();
    assert.equal(await page.evaluate(() => window.printed), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('reads in English', async () => {
    const { context, page } = await signedIn(PHONE, { lang: 'en' });
    await page.goto(ROUTINE);
    await page.getByRole('heading', { name: 'Password routine for Hemtjänst Åby' }).waitFor();
    assert.deepEqual(await page.locator('main h2').allInnerTexts(), [
      'The unit’s mailboxes',
      'Who is responsible',
      'Password change dates for the coming year',
      'How we change the password',
      'If you have forgotten the password',
      'How the staff get the new password',
      'Support',
    ]);
    const text = await main(page);
    assert.match(text, new RegExp(`${dueDate(-5, 0, 'en')} – overdue – change it now`));
    assert.match(text, new RegExp(dueDate(10, 1, 'en')));
    assert.match(text, /Wait 3 minutes if no text message has come/);
    assert.match(text, /valid for 24 hours and opens only once/);
    assert.match(text, /Manager\s+Maria Lind, maria\.lind@example\.se/);
    await expectGoodLayout(page, 'the routine in English');
    await shot(page, 'routine-phone-en');
    await context.close();
  });

  it('prints on one or two A4 pages, without the app around it', async () => {
    const { context, page } = await signedIn(A4);
    await page.goto(ROUTINE);
    await page.getByRole('heading', { name: 'Lösenordsrutin för Hemtjänst Åby' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    for (const selector of [
      'header.top',
      'nav.people-nav',
      'footer.support',
      '.dev-outbox',
      '.routine-share',
    ]) {
      assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} printed`);
    }
    // Hidden buttons leave the accessibility tree, so they are found by tag, not by role.
    assert.ok((await page.locator('button').count()) >= 4, 'print, copy, language, sign out');
    for (const button of await page.locator('button').all()) {
      assert.equal(
        await button.isVisible(),
        false,
        `a button is printed: ${await button.innerText()}`,
      );
    }
    assert.equal(await page.locator('.back').isVisible(), false);
    const latest = page.locator('.routine-latest');
    assert.equal(await latest.isVisible(), true);
    assert.match(await latest.innerText(), new RegExp(`${app.localhost}${ROUTINE}`));
    await shot(page, 'routine-print');

    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    writeFileSync(path.join(SCREENSHOTS, 'routine.pdf'), pdf);
    const pages = pdfPages(pdf);
    assert.ok(pages >= 1 && pages <= 2, `the routine prints on ${pages} A4 pages`);
    await context.close();
  });

  it('holds at 320 px and in dark mode', async () => {
    const opened = await openPage(
      browser,
      app.localhost,
      { width: 320, height: 640 },
      {
        colorScheme: 'dark',
      },
    );
    opened.context.setDefaultTimeout(20_000);
    await opened.context.addCookies([personCookie(manager.cookie)]);
    await opened.page.goto(ROUTINE);
    await opened.page.getByRole('heading', { name: 'Lösenordsrutin för Hemtjänst Åby' }).waitFor();
    await expectGoodLayout(opened.page, 'the routine at 320 px in dark mode');
    await opened.context.close();
  });

  it('still prints on two A4 pages for a bigger unit: six mailboxes, three delegates', async () => {
    const now = Math.floor(Date.now() / 1000);
    const mailboxes = ['berga1', 'berga2', 'berga3', 'berga4', 'berga5', 'berga6'].map(
      (username, i) =>
        `('big-${username}', '${username}', 'Hemtjänst Berga grupp ${i + 1}', 'big-unit',
          ${i % 2 ? 'NULL' : `'+4670123456${i}'`}, 'not-a-hash', 'salt',
          ${now - (20 + i * 15) * 86400}, ${now})`,
    );
    const delegates = ['Ada Ek', 'Bo Lund', 'Cecilia Öberg-Svensson'].map(
      (name, i) => `('big-delegate-${i}', '${name}', 'ombud${i}@example.se', ${now})`,
    );
    runLocalSql(
      app,
      `INSERT INTO units (id, name, created_at) VALUES ('big-unit', 'Hemtjänst Berga', ${now});
       INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash,
         history_salt, password_changed_at, created_at) VALUES ${mailboxes.join(', ')};
       INSERT INTO people (id, name, email, created_at) VALUES ${delegates.join(', ')};
       INSERT INTO roles (person_id, unit_id, role, created_at) VALUES
         ('demo-manager-maria', 'big-unit', 'manager', ${now}),
         ('big-delegate-0', 'big-unit', 'delegate', ${now}),
         ('big-delegate-1', 'big-unit', 'delegate', ${now}),
         ('big-delegate-2', 'big-unit', 'delegate', ${now});`,
    );
    const { context, page } = await signedIn(A4);
    await page.goto('/chef/enhet/big-unit/rutin');
    await page.getByRole('heading', { name: 'Lösenordsrutin för Hemtjänst Berga' }).waitFor();
    assert.equal(await page.locator('.routine-mailboxes > li').count(), 6);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    writeFileSync(path.join(SCREENSHOTS, 'routine-big.pdf'), pdf);
    const pages = pdfPages(pdf);
    assert.ok(pages >= 1 && pages <= 2, `a bigger unit's routine prints on ${pages} A4 pages`);
    await context.close();
  });

  it('opens only for signed-in people of the unit', async () => {
    const stranger = await openPage(browser, app.localhost, PHONE);
    await stranger.page.goto(ROUTINE);
    await stranger.page.getByRole('heading', { name: 'Logga in' }).waitFor();
    assert.equal(new URL(stranger.page.url()).pathname, '/logga-in');
    assert.equal(await stranger.page.getByText('hemvardsgruppen').count(), 0);
    await stranger.context.close();

    const { context, page } = await signedIn(PHONE);
    await page.goto('/chef/enhet/no-such-unit/rutin');
    await page.getByRole('heading', { name: 'Det finns inget här' }).waitFor();
    await context.close();
  });
});
