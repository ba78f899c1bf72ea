// Every screen from a 320 px phone to a tablet in both orientations, light and dark, both
// languages: nothing wider than the screen, touch targets at least 44 px, axe clean.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axe, launch, openPage, shot, startApp } from './harness.mjs';

const SIZES = {
  small: { width: 320, height: 568 },
  portrait: { width: 768, height: 1024 },
  landscape: { width: 1024, height: 768 },
};
const SCREENS = {
  start: '/',
  reset: '/aterstall',
  register: '/registrera',
  change: '/byt-losenord',
};

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

/** Interactive elements smaller than 44×44 CSS px (WCAG 2.5.5 target size). */
function smallTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('a, button, input, summary')]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('skip'))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ el, box }) => `${el.tagName} "${el.textContent?.trim()}" ${box.width}×${box.height}`),
  );
}

for (const [sizeName, viewport] of Object.entries(SIZES)) {
  describe(`at ${sizeName} (${viewport.width}×${viewport.height})`, { timeout: 120_000 }, () => {
    for (const lang of ['sv', 'en']) {
      for (const scheme of ['light', 'dark']) {
        it(`lays out every screen in ${lang}, ${scheme}`, async () => {
          const { context, page } = await openPage(browser, app.base, viewport, {
            colorScheme: scheme,
          });
          await page.addInitScript((l) => localStorage.setItem('nyckel.lang', l), lang);
          for (const [name, route] of Object.entries(SCREENS)) {
            await page.goto(route);
            await page.locator('h1').first().waitFor();
            await page.locator('.support li').first().waitFor();
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - window.innerWidth,
            );
            assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the screen`);
            assert.deepEqual(await smallTargets(page), [], `small touch targets on ${name}`);
            assert.deepEqual(await axe(page), [], `axe on ${name}`);
            if (lang === 'sv' || name === 'start') {
              await shot(page, `${sizeName}-${scheme}-${lang}-${name}`);
            }
          }
          await context.close();
        });
      }
    }
  });
}
