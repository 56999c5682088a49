// Benchmark (not a test): how long a screen of the office module (settings, import; loaded on first
// use, see ui/office.rs) takes to show once the service worker has cached it, on Lighthouse's
// simulated mid-range phone CPU (4× slowdown). Each run reloads the page (so the module is fetched
// from the cache, compiled and instantiated again), waits for the list, then goes to the screen;
// the time is from the hash change to the screen in the DOM. A second visit in the same page (the
// module already running) is timed too. Prints p50 and p95 of RUNS runs (default 10). Run by
// scripts/bench.sh.
import { serve, launch, atDesk } from './harness.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
const pct = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const server = await serve(process.env.DIST ?? 'dist');
const browser = await launch();
try {
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(server.url);
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  await page.waitForFunction(async () => (await (await caches.open((await caches.keys())[0])).keys()).some((r) => r.url.endsWith('/office_bg.wasm')), null, { timeout: 20000 });
  const cdp = await browser.context.newCDPSession(page);
  const show = (hash, testid) => page.evaluate(([hash, testid]) => new Promise((done) => {
    const t0 = performance.now();
    const seen = () => document.querySelector(`[data-testid="${testid}"]`);
    new MutationObserver((_, o) => { if (seen()) { o.disconnect(); done(performance.now() - t0); } }).observe(document.body, { childList: true, subtree: true });
    location.hash = hash;
  }), [hash, testid]);
  const results = {};
  for (const [name, hash, testid] of [['settings', '#/settings', 'settings-page'], ['import', '#/import', 'import-page']]) {
    const first = [], again = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto(server.url + '#/');
      await atDesk(page);
      await page.getByTestId('list-page').waitFor();
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      first.push(await show(hash, testid));
      await show('#/', 'list-page');
      again.push(await show(hash, testid));
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    }
    results[name] = { first, again };
    console.log(`${name}: first use from the cache p50 ${pct(first, 50).toFixed(0)} ms, p95 ${pct(first, 95).toFixed(0)} ms; again p50 ${pct(again, 50).toFixed(0)} ms, p95 ${pct(again, 95).toFixed(0)} ms (CPU 4× slower, ${RUNS} runs)`);
  }
} finally {
  await browser.context.close();
  await server.close();
}
