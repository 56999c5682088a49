// Benchmark (not a test): the desk as a clerk feels it, on Lighthouse's simulated mid-range phone
// CPU (4× slowdown), in the app itself (not the storage API): DESK_N generated profiles (default
// 100,000, with their history) in the app's own archive, then
// - a search typed a character at a time: from the input event to the next frame after the list
//   changed (the count and rows drawn), per keystroke;
// - a profile opened from the list (the first row clicked) until its page is drawn, and back;
// - the new-profile form opened from the top bar until drawn.
// Prints p50 and p95 of each. DIST picks the build (default dist/). Run by scripts/bench.sh.
import { serve, launch, atDesk } from './harness.mjs';

const N = Number(process.env.DESK_N ?? 100000);
const RATE = Number(process.env.DESK_CPU ?? 4);
const pct = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const ms = (x) => `${x.toFixed(1)} ms`;
const server = await serve(process.env.DIST ?? 'dist', 0, { mounts: { '/bench/': process.env.DIST_BENCH ?? 'dist-bench' } });
const browser = await launch();
try {
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(server.url + 'bench/');
  await page.waitForFunction(() => window.wasmBindings !== undefined);
  await page.evaluate((n) => window.wasmBindings.seed_archive('dangan', n, true), N);
  console.error(`seeded ${N} profiles`);
  await page.goto(server.url);
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
  await page.getByTestId('summary').filter({ hasText: `${N} ` }).waitFor({ timeout: 120_000 });
  // Let the desk's start-up work (walking the rows, the candidate lists) finish first.
  await page.waitForTimeout(Number(process.env.DESK_SETTLE_MS ?? 15000));
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });

  // Sets the search box to `text` as a keystroke would and resolves with the time until the frame
  // after the list answered (its count or rows changed), or null if nothing changed within 2 s (a
  // space that leaves the query as it was).
  const type = (text) => page.evaluate((text) => new Promise((done) => {
    const input = document.querySelector('[data-testid=search]');
    const list = document.querySelector('[data-testid=list-page]');
    const t0 = performance.now();
    const o = new MutationObserver(() => {
      o.disconnect();
      clearTimeout(quiet);
      requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0)));
    });
    const quiet = setTimeout(() => { o.disconnect(); done(null); }, 2000);
    o.observe(list, { childList: true, subtree: true, characterData: true });
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), text);
  // Runs `act` in the page and resolves with the time until `testid` is in the DOM (and a frame).
  const until = (testid, act) => page.evaluate(([testid, act]) => new Promise((done) => {
    const t0 = performance.now();
    const seen = () => document.querySelector(`[data-testid="${testid}"]`);
    new MutationObserver((_, o) => {
      if (seen()) {
        o.disconnect();
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0)));
      }
    }).observe(document.body, { childList: true, subtree: true });
    if (act === 'row') document.querySelector('[data-testid=row]').click();
    else location.hash = act;
  }), [testid, act]);

  const words = ['zhang', 'wang wei', '138', 'li', '王', '张伟', 'beijing', 'chen'];
  const keys = [];
  for (let round = 0; round < 2; round++) {
    for (const w of words) {
      // A keystroke that left the query as it was (a space) changed nothing to time.
      for (let i = 1; i <= w.length; i++) {
        const ms = await type(w.slice(0, i));
        if (ms !== null) keys.push(ms);
      }
      await type('');
    }
  }
  const opens = [], backs = [], forms = [];
  for (let i = 0; i < 10; i++) {
    await type('');
    await type(words[i % words.length]);
    opens.push(await until('profile', 'row'));
    backs.push(await until('list-page', '#/'));
    forms.push(await until('profile-form', '#/new'));
    await until('list-page', '#/');
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const line = (what, xs) => console.log(`${what}: p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}, max ${ms(Math.max(...xs))} (${xs.length})`);
  console.log(`desk, ${N.toLocaleString('en')} profiles, CPU ${RATE}× slower (${process.env.DIST ?? 'dist'}):`);
  line('  search, keystroke to the frame after the list answered', keys);
  line('  profile opened from the list until drawn', opens);
  line('  back to the list until drawn', backs);
  line('  new-profile form until drawn', forms);
} finally {
  await browser.context.close();
  await server.close();
}
