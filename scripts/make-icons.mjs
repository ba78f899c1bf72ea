// Renders the app icons into web/public/icons/. Run by hand when the design changes
// (`node scripts/make-icons.mjs`); the PNGs are committed so the build needs no browser.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium.mjs';

const outDir = path.join(import.meta.dirname, '..', 'web', 'public', 'icons');
const teal = '#0b4f6c';

// The key in a 100×100 box, centred on (50, 50): a ring bow, a shaft and two teeth, turned 45°
// because a diagonal key reads as "key" far better at 16 px than a level one. Every point lies
// within 36 units of the centre, so at scale 1 it already fits a maskable icon's safe circle
// (radius 40).
const key = `
  <g transform="rotate(45 50 50) translate(2.25 0)" fill="#fff">
    <circle cx="30" cy="50" r="13" fill="none" stroke="#fff" stroke-width="9"/>
    <rect x="44" y="45.5" width="39" height="9" rx="1.5"/>
    <rect x="72" y="50" width="7.5" height="16" rx="1"/>
    <rect x="61" y="50" width="6.5" height="11" rx="1"/>
  </g>`;

/**
 * @param {{ rounded: boolean, scale: number }} options rounded leaves transparent corners;
 *   scale shrinks the key around the centre (maskable icons get extra margin).
 */
function svg({ rounded, scale }) {
  const background = rounded
    ? `<rect width="100" height="100" rx="22" fill="${teal}"/>`
    : `<rect width="100" height="100" fill="${teal}"/>`;
  const glyph =
    scale === 1
      ? key
      : `<g transform="translate(50 50) scale(${scale}) translate(-50 -50)">${key}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img"><title>Nyckel</title>${background}${glyph}</svg>\n`;
}

const icons = [
  { file: 'icon-192.png', size: 192, rounded: true, scale: 1 },
  { file: 'icon-512.png', size: 512, rounded: true, scale: 1 },
  // Launchers crop maskable icons to anything from a circle to a squircle inside the 80% zone.
  { file: 'maskable-512.png', size: 512, rounded: false, scale: 0.9 },
  // iOS rounds the corners itself and shows transparency as black, so full-bleed and opaque.
  { file: 'apple-touch-icon.png', size: 180, rounded: false, scale: 1 },
];

await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, 'icon.svg'), svg({ rounded: true, scale: 1 }));

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const icon of icons) {
    await page.setViewportSize({ width: icon.size, height: icon.size });
    const markup = svg(icon).replace('<svg ', `<svg width="${icon.size}" height="${icon.size}" `);
    await page.setContent(
      `<!doctype html><html><body style="margin:0;overflow:hidden;background:transparent">${markup}</body></html>`,
    );
    // Rounded icons need see-through corners; the full-bleed ones must never be transparent.
    await page.screenshot({
      path: path.join(outDir, icon.file),
      omitBackground: icon.rounded,
      clip: { x: 0, y: 0, width: icon.size, height: icon.size },
    });
    console.log(`wrote web/public/icons/${icon.file} (${icon.size}×${icon.size})`);
  }
} finally {
  await browser.close();
}
