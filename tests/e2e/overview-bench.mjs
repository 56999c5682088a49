// The manager's views' benchmark (not a test): an archive of OV_PROFILES generated profiles with
// three history items each (stays, meals, complaints over three years; 100,000 and 300,000 by
// default), then
//   1. in the benchmark page: the facts read a slice at a time and each screen's computation
//      (src/bin/bench.rs bench_overview: median and longest of OV_ROUNDS);
//   2. in the app, signed in: the overview opened from the list until its figures are painted,
//      the four screens each until painted, and the longest task the page ran meanwhile (a frame
//      missed for that long).
// Run through scripts/bench.sh.
import { serve, launch, atDesk } from './harness.mjs';

const N = Number(process.env.OV_PROFILES ?? 100000);
const ROUNDS = Number(process.env.OV_ROUNDS ?? 5);

const server = await serve('dist', 0, { mounts: { '/bench/': 'dist-bench' } });
const { context } = await launch();
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(900_000);
await page.goto(server.url + 'bench/');
await page.waitForFunction(() => window.wasmBindings !== undefined);
console.error(`seeding ${N} profiles with 3 history items each…`);
await page.evaluate((n) => window.wasmBindings.seed_archive('dangan', n, true), N);
const parts = await page.evaluate((r) => window.wasmBindings.bench_overview('dangan', r).then(JSON.parse), ROUNDS);
console.log(JSON.stringify({ step: 'computation', ...parts }));

await page.goto(server.url);
await atDesk(page);
await page.getByTestId('list-page').waitFor();
// The desk's own work after a first sign-in into a large archive is let finish first.
await page.waitForTimeout(Number(process.env.OV_SETTLE_MS ?? 15000));
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
});
/** Goes to `hash` and waits until `selector` is painted; ms. */
const timed = (hash, selector) => page.evaluate(([h, s]) => new Promise((done) => {
  const t0 = performance.now();
  location.hash = h;
  const look = () => (document.querySelector(s) ? requestAnimationFrame(() => done(performance.now() - t0)) : requestAnimationFrame(look));
  look();
}), [hash, selector]);
const open = await timed('#/overview', '[data-testid=kpi-revenue]');
const longOpen = await page.evaluate(() => window.__long.splice(0));
const screens = {};
for (const [tab, sel] of [['abc', '[data-testid=abc-result]'], ['reminders', '[data-testid=rem-days]'], ['quality', '[data-testid=q-fix-first]'], ['', '[data-testid=dash-detail]']]) {
  screens[tab || 'dashboard'] = Math.round(await timed(`#/overview${tab ? '/' + tab : ''}`, sel));
}
const longScreens = await page.evaluate(() => window.__long.splice(0));
console.log(JSON.stringify({
  step: 'app',
  profiles: N,
  open_until_figures_ms: Math.round(open),
  longest_task_while_reading_ms: Math.round(Math.max(0, ...longOpen)),
  screens_ms: screens,
  longest_task_on_screens_ms: Math.round(Math.max(0, ...longScreens)),
}));
await context.close();
await server.close();
