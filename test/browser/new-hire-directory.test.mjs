// What a manager's page says about a new hire's initial password and the domain, in Debian's
// Chromium: the app runs with NEW_HIRE_PASSWORDS=ad and no connector, so a hire starting today
// is "not yet active in the directory" (with why) and one starting next week waits for the
// day; existing staff have no initial password and the page says to reset instead; a hire
// ended before the first login has none to fetch. axe and 44 px targets on each screen, phone
// and tablet screenshots as screenshots/new-hire-*.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  adminInviteToken,
  enrolWithTotp,
  expectGoodScreen,
  launch,
  openPage,
  PHONE,
  personCookie,
  personnummer,
  shot,
  startApp,
  TABLET,
} from './harness.mjs';

let app;
let browser;
/** The demo manager's session (Maria Lind, Hemtjänst Åby). */
let manager;
const ids = {};

const day = (days) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
    new Date(Date.now() + days * 86_400_000),
  );

before(async () => {
  app = await startApp({ vars: ['NEW_HIRE_PASSWORDS=ad'] });
  browser = await launch();
  manager = (await enrolWithTotp(app.localhost, app.demoInviteLink())).cookie;
  const token = adminInviteToken(app, { email: 'hr.it@example.se', name: 'HR IT' });
  const admin = (await enrolWithTotp(app.localhost, `${app.localhost}/inbjudan#${token}`)).cookie;
  const created = await fetch(`${app.localhost}/api/admin/service-tokens`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: app.localhost,
      Cookie: `nyckel_person=${admin}`,
    },
    body: JSON.stringify({ name: 'HR', scopes: ['identities:write'] }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const hr = (await created.json()).token;
  const report = async (userId, serial, fields) => {
    const res = await fetch(`${app.base}/api/integration/identities/${userId}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${hr}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        personalNumber: personnummer('920304', serial),
        hsaId: null,
        unitId: 'demo-unit-aby',
        state: 'new',
        ...fields,
      }),
    });
    assert.ok(res.status === 200 || res.status === 201, await res.clone().text());
    return (await res.json()).identity.id;
  };
  ids.today = await report('idag01', 11, {
    givenName: 'Ida',
    familyName: 'Idag',
    startDate: day(0),
  });
  ids.week = await report('vecka01', 12, {
    givenName: 'Vera',
    familyName: 'Veckan',
    startDate: day(7),
  });
  ids.staff = await report('redan01', 13, {
    givenName: 'Rune',
    familyName: 'Redan',
    startDate: day(-400),
    state: 'active',
  });
  const fields = { givenName: 'Sara', familyName: 'Slutat', startDate: day(3) };
  ids.ended = await report('slut01', 14, fields);
  await report('slut01', 14, { ...fields, state: 'ended' });
});

after(async () => {
  await browser?.close();
  app?.stop();
});

async function open(viewport, id) {
  const opened = await openPage(browser, app.localhost, viewport);
  opened.context.setDefaultTimeout(20_000);
  await opened.context.addCookies([personCookie(manager)]);
  await opened.page.goto(`/chef/identitet/${id}`);
  await opened.page.getByRole('heading', { level: 2, name: 'Initialt lösenord' }).waitFor();
  return opened;
}

const text = (page) => page.locator('main').innerText();

for (const [size, viewport] of [
  ['phone', PHONE],
  ['tablet', TABLET],
]) {
  describe(`the identity page and the domain, at ${size} size`, { timeout: 120_000 }, () => {
    it('starting today without a connector: not yet active, and why; the fetched password says so', async () => {
      const { context, page } = await open(viewport, ids.today);
      const main = await text(page);
      assert.match(main, /Ännu inte aktivt i katalogen\. Nyckel försöker igen var femte minut\./);
      assert.match(main, /Katalogen kunde inte nås\./);
      await expectGoodScreen(page, `pending at ${size}`);
      await shot(page, `new-hire-${size}-pending`);
      await page.getByRole('button', { name: 'Hämta lösenord' }).click();
      const shown = page.getByRole('heading', { name: 'Lösenord för Ida Idag' });
      await shown.waitFor();
      assert.match(
        await page.locator('.shown-password').innerText(),
        /Ännu inte aktivt i katalogen/,
      );
      assert.doesNotMatch(await page.locator('.shown-password').innerText(), /fungerar nu/);
      await expectGoodScreen(page, `pending, shown at ${size}`);
      await shot(page, `new-hire-${size}-pending-shown`);
      await context.close();
    });

    it('starting next week: the domain gets it on the start date', async () => {
      const { context, page } = await open(viewport, ids.week);
      assert.match(await text(page), /Lösenordet sätts i katalogen på startdagen, \d+ \w+ \d{4}\./);
      await expectGoodScreen(page, `waiting at ${size}`);
      await shot(page, `new-hire-${size}-waiting`);
      await context.close();
    });

    it('existing staff: no initial password, and what to do instead', async () => {
      const { context, page } = await open(viewport, ids.staff);
      const main = await text(page);
      assert.match(main, /Det finns inget initialt lösenord att hämta för Rune Redan\./);
      assert.match(main, /återställning/);
      await page
        .locator('main')
        .getByRole('link', { name: /019-21 10 00/ })
        .waitFor();
      assert.equal(await page.getByRole('button', { name: 'Hämta lösenord' }).count(), 0);
      await expectGoodScreen(page, `none at ${size}`);
      await shot(page, `new-hire-${size}-none`);
      await context.close();
    });

    it('ended before the first login: deleted, nothing to fetch', async () => {
      const { context, page } = await open(viewport, ids.ended);
      const main = await text(page);
      assert.match(main, /Anställningen avslutades före den första inloggningen/);
      assert.match(main, /Lösenordet är borttaget/);
      assert.equal(await page.getByRole('button', { name: 'Hämta lösenord' }).count(), 0);
      await expectGoodScreen(page, `withdrawn at ${size}`);
      await shot(page, `new-hire-${size}-withdrawn`);
      await context.close();
    });
  });
}
