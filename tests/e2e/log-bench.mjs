// The access-log benchmark (not a test): an archive of LOG_PROFILES generated profiles (3 history
// items each) and LOG_N access-log events of three other desks over a year, opened by its super
// administrator; times the log screen from the moment it is asked for until its first rows are
// painted, and until the integrity line says the whole log was checked. Run through
// scripts/bench.sh (LOG_N=100000 by default).
import { serve, launch, atDesk } from './harness.mjs';

const N = Number(process.env.LOG_N ?? 100000);
const PROFILES = Number(process.env.LOG_PROFILES ?? 100000);
const ROUNDS = 5;

const server = await serve('dist', 0, { mounts: { '/bench/': 'dist-bench' } });
const { context } = await launch();
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(600_000);
await page.goto(server.url + 'bench/');
await page.waitForFunction(() => window.wasmBindings !== undefined);
console.error(`seeding ${PROFILES} profiles and ${N} events…`);
// Sealed as after the upgrade: the sign-in has nothing left to seal while the log is timed.
await page.evaluate((n) => window.wasmBindings.seed_archive('dangan', n, true), PROFILES);
const seeded = await page.evaluate(({ n, p }) => window.wasmBindings.seed_events('dangan', n, p).then(JSON.parse), { n: N, p: PROFILES });
await page.goto(server.url);
await atDesk(page);
await page.getByTestId('list-page').waitFor();
// The desk's own work after a first sign-in into a large archive (building its candidate lists,
// checking for values to seal) is let finish first: what is timed is the log screen
// (LOG_SETTLE_MS=0 to time it in the middle of that).
await page.waitForTimeout(Number(process.env.LOG_SETTLE_MS ?? 15000));

const firstRows = [], checked = [];
for (let r = 0; r < ROUNDS; r++) {
  await page.evaluate(() => { location.hash = '#/'; });
  await page.getByTestId('list-page').waitFor();
  const t = await page.evaluate(() => new Promise((done) => {
    const t0 = performance.now();
    let rows = null;
    location.hash = '#/log';
    const look = () => {
      if (rows === null && document.querySelector('[data-testid=log-row]')) rows = performance.now() - t0;
      const line = document.querySelector('[data-testid=log-integrity]');
      if (rows !== null && line && line.dataset.state !== 'checking') {
        done({ rows, checked: performance.now() - t0, words: line.textContent, count: document.querySelector('[data-testid=log-count]')?.textContent });
      } else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }));
  firstRows.push(t.rows);
  checked.push(t.checked);
  if (r === 0) console.error(`log screen says: ${t.words} | events listed: ${t.count}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`access log of ${seeded.events.toLocaleString('en')} events (+ this desk's own), archive of ${PROFILES.toLocaleString('en')} profiles: log screen painted with its newest rows in median ${median(firstRows).toFixed(0)} ms (rounds ${firstRows.map(Math.round).join('/')}), whole log checked in median ${median(checked).toFixed(0)} ms (rounds ${checked.map(Math.round).join('/')})`);
// Where the time goes, step by step, outside the screen.
await page.goto(server.url + 'bench/');
await page.waitForFunction(() => window.wasmBindings !== undefined);
const parts = await page.evaluate(() => window.wasmBindings.bench_log_parts('dangan').then(JSON.parse));
console.log(`  the steps: the newest 200 of each desk (${parts.newest} events) ${parts.newest_ms.toFixed(0)} ms; all ${parts.sliced} in slices of 10,000 ${parts.slices_ms.toFixed(0)} ms, at once ${parts.read_ms.toFixed(0)} ms, verify the chains ${parts.verify_ms.toFixed(0)} ms, filter and sort ${parts.filter_sort_ms.toFixed(0)} ms, counts per day and staff ${parts.stats_ms.toFixed(0)} ms (${parts.events} events)`);
await context.close();
await server.close();
