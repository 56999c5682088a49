// End-to-end at scale: the app's own archive filled with 20,000 generated profiles (through the
// storage API, by the benchmark page served on the same origin). The list renders only the rows
// in view, scrolls to the last profile, and search answers at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, screenshot, failOnPageProblems, atDesk } from './harness.mjs';

failOnPageProblems();

const N = 20000;
let server, browser, page;

before(async () => {
  server = await serve(process.env.DIST ?? 'dist', 0, { mounts: { '/bench/': 'dist-bench' } });
  browser = await launch();
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(server.url + 'bench/');
  await page.waitForFunction(() => window.wasmBindings !== undefined);
  await page.evaluate((n) => window.wasmBindings.seed_archive('dangan', n, false), N);
  await page.goto(server.url);
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

test('20,000 profiles: counted, only the visible rows are in the page, the last one is reachable', async () => {
  assert.equal(await page.getByTestId('summary').innerText(), `${N} 份档案`);
  const rendered = await page.getByTestId('row').count();
  assert.ok(rendered > 5 && rendered < 60, `rows in the DOM: ${rendered}`);
  await page.getByTestId('sort').selectOption({ index: 1 });
  const rows = page.getByTestId('rows');
  await rows.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=rows]');
    const last = [...el.querySelectorAll('[data-testid=row]')].map((r) => parseFloat(r.style.top)).sort((a, b) => b - a)[0];
    return last + 60 >= el.scrollHeight - 1;
  });
  assert.ok(await page.getByTestId('row').count() < 60);
  await screenshot(page, 'list-20k-bottom');
});

test('search over 20,000 profiles counts every match, shows the best 200, and Enter opens the first', async () => {
  const search = page.getByTestId('search');
  const t0 = Date.now();
  await search.fill('zh');
  await page.getByTestId('summary').filter({ hasText: /条匹配/ }).waitFor();
  const ms = Date.now() - t0;
  assert.ok(ms < 1000, `search took ${ms} ms end to end`);
  const summary = await page.getByTestId('summary').innerText();
  const total = Number(summary.split(' ')[0]);
  assert.ok(total > 200, summary);
  assert.match(summary, /显示最相关的前 200/);
  const first = await page.getByTestId('row-name').first().innerText();
  assert.ok(first.length > 0);
  await search.press('Enter');
  await page.getByTestId('profile').waitFor();
  assert.equal(await page.getByTestId('profile-name').innerText().then((s) => s.split('\n')[0]), first);
});
