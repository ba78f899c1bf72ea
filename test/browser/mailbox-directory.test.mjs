// What a person sees of the domain's answers in the mailbox screens, at phone size: a
// password the domain wants changed first, and a domain that cannot be reached. The domain's
// side of both is proven against a real DC in test/e2e/directory.test.mjs; here the API's
// answers are given to the page as the worker sends them, so the screens are judged alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axe, focused, launch, openPage, PHONE, shot, startApp } from './harness.mjs';

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

describe('the domain in the mailbox screens', { timeout: 120_000 }, () => {
  it('a password the domain wants changed: the registration goes straight to choosing a new one', async () => {
    const { context, page, errors } = await openPage(browser, app.base, PHONE);
    await page.route('**/api/mailbox/session', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify({
              username: 'hemvardsgruppen',
              displayName: 'Hemvårdsgruppen Åby',
              phone: null,
              passwordChangedAt: new Date().toISOString(),
              passwordExpiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
              mustChange: true,
            }),
          })
        : route.fulfill({ status: 204 }),
    );
    await page.goto('/');
    await page.getByRole('link', { name: /Registrera mobilnummer/ }).click();
    await page.getByLabel('Brevlådans användarnamn').fill('hemvardsgruppen');
    await page.getByLabel('Brevlådans nuvarande lösenord').fill('Hemvard#2026');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Byt lösenordet först' }).waitFor();
    assert.equal((await focused(page)).tag, 'h1');
    assert.match(await page.locator('main').innerText(), /kräver domänen ett nytt/);
    // Nothing of the number step, and the current password is not asked for again.
    assert.equal(await page.getByRole('heading', { name: 'Mobilnummer', exact: true }).count(), 0);
    assert.equal(await page.getByLabel('Brevlådans nuvarande lösenord').count(), 0);
    await page.getByLabel('Nytt lösenord', { exact: true }).waitFor();
    assert.deepEqual(await axe(page), []);
    await shot(page, 'phone-directory-must-change');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('a domain that cannot be reached: the change says nothing changed and when to try again', async () => {
    const { context, page } = await openPage(browser, app.base, PHONE);
    await page.route('**/api/mailbox/session', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        headers: { 'Retry-After': '15' },
        body: JSON.stringify({
          error: 'directory_unavailable',
          message: 'Nyckel når inte kommunens katalog (domänen) just nu. Inget har ändrats.',
          retryAfter: 15,
        }),
      }),
    );
    await page.goto('/byt-losenord');
    await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
    await page.getByLabel('Brevlådans nuvarande lösenord').fill('Brevlada-2026');
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('Tr4sig-Kanin-44');
    await page.getByLabel('Nytt lösenord igen').fill('Tr4sig-Kanin-44');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /Inget har ändrats/);
    assert.match(text, /Försök igen om 15 s\./);
    assert.equal(text.match(/Försök igen/g)?.length, 1, 'the wait is said once');
    assert.deepEqual(await axe(page), []);
    await shot(page, 'phone-directory-unavailable');
    await context.close();
  });
});
