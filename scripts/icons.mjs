// Renders the SVG icon sources in public/icons/ to the PNG sizes the manifest lists, with
// headless Chromium (run by hand when the icon changes; the PNGs are committed).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, ROOT } from '../tests/e2e/harness.mjs';

const dir = join(ROOT, 'public/icons');
const { context } = await launch({ viewport: { width: 512, height: 512 } });
const page = context.pages()[0] ?? await context.newPage();
for (const [src, size, out] of [['icon.svg', 192, 'icon-192.png'], ['icon.svg', 512, 'icon-512.png'], ['maskable.svg', 512, 'maskable-512.png'], ['icon.svg', 180, 'apple-touch-icon.png']]) {
  const svg = await readFile(join(dir, src), 'utf8');
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: join(dir, out), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  console.log(`${out} ${size}x${size}`);
}
await context.close();
