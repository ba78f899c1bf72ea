// Locks and caps in Debian's Chromium at phone (390×844) and tablet (1024×768) size, against
// the app started as `npm start` does with the day's wrong reset codes lowered to 2 and the
// reset warning to 1 an hour: a staff member's reset blocked for the day (the code step and a
// new start refused alike, with the hint), the manager's "Lås upp" on the mailbox's page that
// lets the reset work again, an administrator unlocking a person's sign-in with a code after a
// fresh passkey check, and the overview's warning of an unusual reset rate with its link to the
// filtered audit log. axe, 44 px targets and screenshots (screenshots/locks-*) on every screen.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  addVirtualAuthenticator,
  adminInviteToken,
  ageStrongChecks,
  axe,
  codeFor,
  enrolWithTotp,
  expectFocus,
  expectGoodScreen,
  launch,
  openPage,
  PHONE,
  personCookie,
  SCREENSHOTS,
  seenMessages,
  shot,
  smallTargets,
  smallTargetsByLabel,
  startApp,
  TABLET,
  totpCode,
} from './harness.mjs';

const PHONE_NUMBER = '+46701234567';
const MAILBOX = 'hemtjanstab';
const ADMIN = { name: 'Alva Admin', email: 'alva.admin@example.se' };
const MANAGER_EMAIL = 'maria.lind@example.se';
const BLOCKED =
  'För många felaktiga koder i dag för det här användarnamnet. Försök igen i morgon, eller be din chef låsa upp brevlådan i Nyckel.';
const HINT = /^Enhetens chef eller ombud kan öppna brevlådan i Nyckel och välja ”Lås upp”/;

let app;
let browser;
let manager;
/** The signed-in administrator (a passkey on a virtual authenticator), for parts 3 and 4. */
let admin;

before(async () => {
  app = await startApp({ vars: ['RESET_FAILED_CODES_PER_DAY=2', 'RESET_ALERT_PER_HOUR=1'] });
  browser = await launch();
  manager = await enrolWithTotp(app.localhost, app.demoInviteLink());
});

after(async () => {
  await admin?.context.close();
  await browser?.close();
  app?.stop();
});

/** A page of its own at `viewport`, with the 20 s default wait of the other browser tests. */
async function open(viewport, base = app.base) {
  const opened = await openPage(browser, base, viewport);
  opened.page.setDefaultTimeout(20_000);
  return opened;
}

const main = (page) => page.locator('main').innerText();

/** Any digit of `code` moved by one: a wrong code of the same shape. */
const wrongCode = (code) => code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));

function post(path, body, origin = app.base) {
  return fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify(body),
  });
}

/** Starts a reset on the page for `username` and waits for the code step. */
async function startReset(page, username) {
  await page.goto('/aterstall');
  await page.getByLabel('Brevlådans användarnamn').fill(username);
  await page.getByRole('button', { name: 'Skicka kod' }).click();
  await page.getByRole('heading', { name: 'Skriv in koden' }).waitFor();
}

/** Types `code`, presses "Nästa" and waits for the alert that says `expected`. */
async function enterCode(page, code, expected) {
  await page.getByLabel('Säkerhetskod (6 siffror)').fill(code);
  await page.getByRole('button', { name: 'Nästa' }).click();
  const alert = page.getByRole('alert').filter({ hasText: expected });
  await alert.waitFor();
  // The tapped button was disabled while the code was checked; the focus is back on the code.
  await expectFocus(page, { tag: 'input', text: '' });
  return alert.innerText();
}

/** The same screen in a phone-sized context with the same cookies; checks and a screenshot. */
async function onPhoneToo(context, path, ready, name, targets) {
  const phone = await open(PHONE, app.localhost);
  await phone.context.addCookies(await context.cookies());
  await phone.page.goto(path);
  await ready(phone.page).waitFor();
  await expectGoodScreen(phone.page, `${name} on a phone`, targets);
  await shot(phone.page, `${name}-phone`);
  assert.deepEqual(phone.errors, []);
  await phone.context.close();
}

describe('a reset blocked for the day', { timeout: 60_000 }, () => {
  it('refuses the code after the day’s wrong codes, says why and what the manager can do', async () => {
    const { context, page, errors } = await open(PHONE);
    await page.clock.install();
    const before = await seenMessages(app.base);
    await startReset(page, MAILBOX);
    const wrong = wrongCode(await codeFor(app.base, PHONE_NUMBER, before));

    assert.match(await enterCode(page, wrong, 'Försök kvar: 4'), /^Koden stämmer inte\./);
    assert.match(await enterCode(page, wrong, 'Försök kvar: 3'), /^Koden stämmer inte\./);
    // The day's two wrong codes are spent: the third is not even compared.
    await page.getByLabel('Säkerhetskod (6 siffror)').fill(wrong);
    await page.getByRole('button', { name: 'Nästa' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'i dag för det här användarnamnet' });
    await alert.waitFor();
    assert.equal(await alert.innerText(), BLOCKED, 'no wait in hours, no tries left');
    // Only a new start can help now, and the focus is on it.
    await expectFocus(page, { tag: 'button', text: 'Börja om' });
    assert.match(await page.locator('.hint', { hasText: 'Lås upp' }).innerText(), HINT);
    // Announced at once: the error sits in an assertive live region, as role="alert".
    assert.equal(
      await page.locator('.error-slot[aria-live="assertive"] > p.error[role="alert"]').count(),
      1,
    );
    // Only a new start is offered: no "Nästa", no resend.
    assert.equal(await page.getByRole('button', { name: 'Nästa' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Börja om' }).count(), 1, 'one way back');
    await expectGoodScreen(page, 'the blocked code step', smallTargets);
    await shot(page, 'locks-reset-code-blocked-phone');
    // Not even after the guide's 3 minutes, when an ordinary code step offers the same code again.
    await page.clock.fastForward('03:05');
    await page.getByRole('heading', { name: 'Har inget sms kommit?' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Skicka samma kod igen' }).count(), 0);
    assert.doesNotMatch(await main(page), /Du kan få koden igen/);
    assert.deepEqual(await axe(page), [], 'axe on the blocked code step after 3 minutes');
    await shot(page, 'locks-reset-code-blocked-3min-phone');

    // A new start for the same name is refused with the same words and the same hint.
    await page.getByRole('button', { name: 'Börja om' }).first().click();
    await page.getByRole('heading', { name: 'Återställ lösenord' }).waitFor();
    await page.getByLabel('Brevlådans användarnamn').fill(MAILBOX);
    await page.getByRole('button', { name: 'Skicka kod' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'i dag för det här användarnamnet' });
    await refused.waitFor();
    assert.equal(await refused.innerText(), BLOCKED);
    assert.match(await page.locator('.hint', { hasText: 'Lås upp' }).innerText(), HINT);
    assert.equal(await page.getByRole('heading', { name: 'Skriv in koden' }).count(), 0);
    await expectGoodScreen(page, 'the refused start', smallTargets);
    await shot(page, 'locks-reset-start-blocked-phone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('refuses a name that is no mailbox the same way, on a tablet', async () => {
    // The cap counts the name typed, known or not: the answers tell no one which names exist.
    const { context, page, errors } = await open(TABLET);
    await startReset(page, 'ingen-sadan-brevlada');
    assert.match(await enterCode(page, '123456', 'Försök kvar: 4'), /^Koden stämmer inte\./);
    assert.match(await enterCode(page, '234567', 'Försök kvar: 3'), /^Koden stämmer inte\./);
    // The third with the keyboard: Enter in the field. The focus stays there, and the next
    // stop is the one thing left to do, a new start.
    await page.getByLabel('Säkerhetskod (6 siffror)').fill('345678');
    await page.getByLabel('Säkerhetskod (6 siffror)').press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'i dag för det här användarnamnet' });
    await alert.waitFor();
    assert.equal(await alert.innerText(), BLOCKED);
    await expectFocus(page, { tag: 'input', text: '' });
    await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', text: 'Börja om' });
    assert.match(await page.locator('.hint', { hasText: 'Lås upp' }).innerText(), HINT);
    await expectGoodScreen(page, 'the blocked code step on a tablet', smallTargets);
    await shot(page, 'locks-reset-code-blocked-tablet');

    // And the known mailbox's new start, at tablet size.
    await page.getByRole('button', { name: 'Börja om' }).first().click();
    await page.getByLabel('Brevlådans användarnamn').fill(MAILBOX);
    await page.getByRole('button', { name: 'Skicka kod' }).click();
    await page.getByRole('alert').filter({ hasText: BLOCKED }).waitFor();
    await expectGoodScreen(page, 'the refused start on a tablet', smallTargets);
    await shot(page, 'locks-reset-start-blocked-tablet');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('the manager’s mailbox page', { timeout: 60_000 }, () => {
  it('shows the paused resets, unlocks them, and the staff member’s reset works again', async () => {
    const { context, page, errors } = await open(TABLET, app.localhost);
    await context.addCookies([personCookie(manager.cookie)]);
    const path = '/chef/brevlada/demo-hemtjanstab';
    await page.goto(path);
    await page.getByRole('heading', { name: 'Hemtjänst Åby', level: 1 }).waitFor();
    const panel = page.locator('.panel-warn');
    await panel.getByRole('heading', { name: 'Återställning med sms-kod är pausad' }).waitFor();
    assert.match(
      await page.locator('.facts').innerText(),
      /Återställning med sms-kod pausad till\s+\S.*\d/,
    );
    assert.match(await panel.innerText(), /fel säkerhetskod för många gånger i dag/);
    // Only paused, not locked: the login lockout's words are not there.
    assert.doesNotMatch(await main(page), /Brevlådan är låst/);
    await expectGoodScreen(page, 'a mailbox with paused resets', smallTargets);
    await shot(page, 'locks-mailbox-paused-tablet');
    await onPhoneToo(
      context,
      path,
      (p) => p.getByRole('button', { name: 'Lås upp' }),
      'locks-mailbox-paused',
      smallTargets,
    );

    await panel.getByRole('button', { name: 'Lås upp' }).click();
    await page.getByRole('heading', { name: 'Brevlådan är upplåst' }).waitFor();
    assert.match(await main(page), /Brevlådan är upplåst\s+Lösenordet är detsamma som förut\./);
    await expectFocus(page, { tag: 'h2', text: 'Brevlådan är upplåst' });
    await page.getByRole('button', { name: 'Lås upp' }).waitFor({ state: 'detached' });
    assert.doesNotMatch(await main(page), /pausad/);
    await expectGoodScreen(page, 'a mailbox unlocked', smallTargets);
    await shot(page, 'locks-mailbox-unlocked-tablet');
    assert.deepEqual(errors, []);
    await context.close();

    // The staff member's reset now takes the right code.
    const staff = await open(PHONE);
    const before = await seenMessages(app.base);
    await startReset(staff.page, MAILBOX);
    await staff.page
      .getByLabel('Säkerhetskod (6 siffror)')
      .fill(await codeFor(app.base, PHONE_NUMBER, before));
    await staff.page.getByRole('button', { name: 'Nästa' }).click();
    await staff.page.getByRole('heading', { name: 'Välj nytt lösenord' }).waitFor();
    await expectFocus(staff.page, { tag: 'h1', text: 'Välj nytt lösenord' });
    assert.deepEqual(staff.errors, []);
    await staff.context.close();
  });
});

describe('an administrator and a locked sign-in with a code', { timeout: 60_000 }, () => {
  it('shows the lock on the person’s page and unlocks it after a fresh passkey check', async () => {
    // Five wrong codes for the manager's e-mail, as someone guessing would send them.
    const wrong = wrongCode(totpCode(manager.secret));
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await post('/api/people/session/totp', { email: MANAGER_EMAIL, code: wrong })).status,
      );
    }
    const locked = await post('/api/people/session/totp', {
      email: MANAGER_EMAIL,
      code: totpCode(manager.secret, { step: 1 }),
    });
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
    assert.equal(locked.status, 423, 'the right code is refused while locked');

    admin = await open(TABLET, app.localhost);
    const { page } = admin;
    await addVirtualAuthenticator(page);
    await page.goto(`/inbjudan#${adminInviteToken(app, ADMIN)}`);
    await page
      .getByRole('link', { name: /Skapa lösenordsnyckel/ })
      .or(page.getByRole('button', { name: /Skapa lösenordsnyckel/ }))
      .click();
    await page.waitForURL(/\/chef/);
    await page.goto('/admin/personer');
    await page.getByRole('link', { name: 'Maria Lind' }).click();
    await page.getByRole('heading', { level: 1, name: 'Maria Lind' }).waitFor();
    const panel = page.getByRole('region', { name: 'Inloggningen med kod är låst' });
    await panel.waitFor();
    assert.match(await panel.innerText(), /Inloggningen med kod är låst till \S.*\d\./);
    assert.match(await panel.innerText(), /Att låsa upp tar bort spärren från alla nätverk/);
    await expectGoodScreen(page, 'a person with a locked sign-in', smallTargetsByLabel);
    await shot(page, 'locks-person-locked-tablet');
    await onPhoneToo(
      admin.context,
      new URL(page.url()).pathname,
      (p) => p.getByRole('button', { name: 'Lås upp inloggningen' }),
      'locks-person-locked',
      smallTargetsByLabel,
    );

    // Ten minutes after the last strong check, the unlock asks for the passkey first.
    ageStrongChecks(app, 11);
    await panel.getByRole('button', { name: 'Lås upp inloggningen' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Bekräfta att det är du' });
    await stepUp.waitFor();
    assert.deepEqual(await axe(page), [], 'axe on the step-up dialog');
    // The viewport only: a full-page shot would draw the backdrop over the first screen only.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'locks-person-step-up-tablet.png') });
    // A code that is not right (this administrator has no app at all): the error takes the
    // focus, not <body>, and a missing code is said in the dialog's own summary first.
    await stepUp.getByRole('button', { name: 'Använd engångskod från app' }).click();
    await stepUp.getByRole('button', { name: 'Bekräfta med koden' }).click();
    await stepUp.locator('.error-summary').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
    await stepUp.getByLabel('Engångskod (6 siffror)').fill('123456');
    await stepUp.getByRole('button', { name: 'Bekräfta med koden' }).click();
    await stepUp.getByRole('alert').filter({ hasText: /\S/ }).last().waitFor();
    await page.waitForFunction(() => document.activeElement?.className === 'error');
    await stepUp.getByRole('button', { name: 'Bekräfta med lösenordsnyckel' }).click();
    await stepUp.getByRole('button', { name: 'Bekräfta med lösenordsnyckel' }).click();
    await stepUp.waitFor({ state: 'detached' });
    const done = page.getByRole('region', { name: 'Inloggningen med kod är upplåst' });
    await done.waitFor();
    assert.equal(
      await done.locator('.success').innerText(),
      'Maria Lind kan logga in med kod igen.',
    );
    await expectFocus(page, { tag: 'h2', text: 'Inloggningen med kod är upplåst' });
    await page.getByRole('button', { name: 'Lås upp inloggningen' }).waitFor({ state: 'detached' });
    await expectGoodScreen(page, 'a person unlocked', smallTargetsByLabel);
    await shot(page, 'locks-person-unlocked-tablet');
    assert.deepEqual(admin.errors, []);

    // The manager's right code works again.
    const res = await post(
      '/api/people/session/totp',
      { email: MANAGER_EMAIL, code: totpCode(manager.secret, { step: 1 }) },
      app.localhost,
    );
    assert.equal(res.status, 200);
  });
});

describe('the administration overview', { timeout: 60_000 }, () => {
  it('warns of an unusual reset rate and links to the resets in the audit log', async () => {
    for (const username of ['okand-ett', 'okand-tva']) {
      assert.equal((await post('/api/resets', { username })).status, 202);
    }
    const { page } = admin;
    await page.goto('/admin');
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    const alert = page.getByRole('region', { name: 'Ovanligt många återställningar' });
    await alert.waitFor();
    assert.match(
      await alert.innerText(),
      /\d+ återställningar startades senaste timmen \(gränsen för varning är 1\)\./,
    );
    assert.match(await alert.innerText(), /Det kan vara någon som prövar många användarnamn/);
    await expectGoodScreen(page, 'the overview with the warning', smallTargetsByLabel);
    await shot(page, 'locks-overview-alert-tablet');
    await onPhoneToo(
      admin.context,
      '/admin',
      (p) => p.getByRole('link', { name: 'Visa återställningarna i loggen' }),
      'locks-overview-alert',
      smallTargetsByLabel,
    );

    await alert.getByRole('link', { name: 'Visa återställningarna i loggen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Granskningslogg' }).waitFor();
    assert.match(page.url(), /\/admin\/logg\?action=reset$/);
    assert.equal(
      await page.getByLabel('Händelse', { exact: true }).locator('option:checked').innerText(),
      'Återställning med sms-kod',
    );
    await page.locator('tbody tr').first().waitFor();
    const actions = (await page.locator('tbody tr td:nth-child(3)').allInnerTexts()).map(
      (a) => a.split('\n')[0],
    );
    const RESET_ACTIONS = [
      'Återställning påbörjad',
      'Sms-kod angiven',
      'Sms-kod skickad igen',
      'Lösenordet återställt med sms-kod',
    ];
    assert.ok(actions.includes('Återställning påbörjad'), 'the starts');
    assert.ok(actions.includes('Sms-kod angiven'), 'the wrong codes');
    assert.ok(
      actions.every((a) => RESET_ACTIONS.includes(a)),
      `only resets: ${actions.join(', ')}`,
    );
    assert.match(await page.locator('tbody').innerText(), /daily_code_cap/);
    await expectGoodScreen(page, 'the audit log of resets', smallTargetsByLabel);
    await shot(page, 'locks-audit-resets-tablet');
    await onPhoneToo(
      admin.context,
      '/admin/logg?action=reset',
      (p) => p.locator('tbody tr').first(),
      'locks-audit-resets',
      smallTargetsByLabel,
    );
  });
});
