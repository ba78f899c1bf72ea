// Installability, the service worker and offline behaviour, and the internal-network notice,
// in Debian's Chromium against the app as `npm start` runs it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axe, launch, launchProfile, openPage, PHONE, shot, startApp, TABLET } from './harness.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('the installable app', { timeout: 120_000 }, () => {
  let app;
  before(async () => {
    app = await startApp();
  });
  after(() => app?.stop());

  it('has a manifest Chromium accepts and judges installable', async () => {
    const { context, page } = await launchProfile(app.base, PHONE);
    await page.goto('/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    assert.match(manifest.url, /\/manifest\.webmanifest$/);
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.lang, 'sv');
    assert.equal(parsed.display, 'standalone');
    const installability = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installability.installabilityErrors, []);
    await context.close();
  });

  it('registers the service worker, and after one visit the shell loads offline', async () => {
    const { context, page } = await openPage(browser, app.base, PHONE, { serviceWorkers: 'allow' });
    await page.goto('/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      // The first visit is not controlled until the worker claims it: reload once.
    });
    await page.reload();
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true);
    const cached = await page.evaluate(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls;
    });
    assert.ok(
      cached.some((u) => u.includes('index.html')),
      'the shell is precached',
    );
    assert.ok(!cached.some((u) => new URL(u).pathname.startsWith('/api/')), 'no API answer cached');

    await context.setOffline(true);
    await page.goto('/aterstall');
    await page.getByRole('heading', { name: 'Återställ lösenord' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Du är offline/);
    await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');
    await page.getByRole('button', { name: 'Skicka kod' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Kunde inte nå Nyckel/);
    assert.deepEqual(await axe(page), []);
    await shot(page, 'phone-13-offline-reset');
    await context.close();
  });
});

for (const [size, viewport] of [
  ['phone', PHONE],
  ['tablet', TABLET],
]) {
  describe(`/chef offline at ${size} size`, { timeout: 120_000 }, () => {
    it('says there is no connection, with a heading and "Försök igen"', async () => {
      const app = await startApp();
      const { context, page } = await openPage(browser, app.base, viewport, {
        serviceWorkers: 'allow',
      });
      try {
        await page.goto('/');
        await page.evaluate(() => navigator.serviceWorker.ready);
        await page.reload();
        await context.setOffline(true);
        await page.goto('/chef');
        await page.getByRole('heading', { level: 1, name: 'Ingen anslutning' }).waitFor();
        assert.match(await page.locator('main').innerText(), /Kunde inte nå Nyckel/);
        const retry = page.getByRole('button', { name: 'Försök igen' });
        assert.deepEqual(await axe(page), []);
        await shot(page, `${size}-chef-offline`);
        // Back online, "Försök igen" loads the managing app.
        await context.setOffline(false);
        await retry.click();
        await page
          .getByRole('heading', { level: 1 })
          .filter({ hasNotText: 'Ingen anslutning' })
          .waitFor();
      } finally {
        await context.close();
        app.stop();
      }
    });
  });
}

describe('on the municipal network', { timeout: 120_000 }, () => {
  let app;
  before(async () => {
    // Every local request comes from 127.0.0.1: call that the municipal network.
    app = await startApp({ vars: ['INTERNAL_NETWORKS=127.0.0.0/8,::1/128'] });
  });
  after(() => app?.stop());

  for (const [size, viewport] of [
    ['phone', PHONE],
    ['tablet', TABLET],
  ]) {
    it(`explains before anything is typed and holds back registration (${size})`, async () => {
      const { context, page } = await openPage(browser, app.base, viewport);
      await page.goto('/');
      const notice = page.getByRole('status').filter({ hasText: 'kommunens nätverk' });
      await notice.waitFor();
      assert.match(await notice.innerText(), /Stäng av wifi/);
      assert.equal(await page.getByRole('link', { name: /Registrera mobilnummer/ }).count(), 0);
      assert.equal(await page.getByRole('link', { name: /Glömt lösenordet/ }).count(), 1);
      // The quarterly change works at the office, as the guide says.
      assert.equal(await page.getByRole('link', { name: /Byt lösenord/ }).count(), 1);
      assert.deepEqual(await axe(page), []);
      await shot(page, `${size}-14-internal-network`);
      await context.close();
    });
  }
});

describe('a new version', { timeout: 120_000 }, () => {
  let app;
  before(async () => {
    app = await startApp();
  });
  after(() => app?.stop());

  it('is offered, and the page reloads into it only after the person agrees', async () => {
    const swPath = path.resolve('dist', 'web', 'sw.js');
    const original = readFileSync(swPath, 'utf8');
    const { context, page } = await openPage(browser, app.base, PHONE, { serviceWorkers: 'allow' });
    try {
      await page.goto('/aterstall');
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload();
      await page.getByLabel('Brevlådans användarnamn').fill('hemtjanstab');

      // A new build: any byte of sw.js changed makes the browser install it beside the old one.
      writeFileSync(swPath, `${original}\n// next version ${Date.now()}\n`);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      const prompt = page.getByRole('status').filter({ hasText: 'En ny version av Nyckel finns' });
      await prompt.waitFor({ timeout: 30_000 });
      // Nothing reloaded on its own: what the person typed is still there.
      assert.equal(await page.getByLabel('Brevlådans användarnamn').inputValue(), 'hemtjanstab');
      assert.deepEqual(await axe(page), []);
      await shot(page, 'phone-17-update-offered');

      const reloaded = page.waitForEvent('framenavigated');
      await prompt.getByRole('button', { name: 'Uppdatera' }).click();
      await reloaded;
      await page.getByRole('heading', { name: 'Återställ lösenord' }).waitFor();
      assert.equal(await prompt.count(), 0);
    } finally {
      writeFileSync(swPath, original);
      await context.close();
    }
  });
});
