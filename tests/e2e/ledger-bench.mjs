// The receivables' benchmark (not a test): an archive of LG_PROFILES generated customers
// (100,000 by default) with three history items each and about LG_MEAN ledger entries each
// (10: a million entries), then
//   1. in the benchmark page (src/bin/bench.rs bench_ledger): reading every profile and entry
//      into accounts, the archive-wide aging as of a date and the list of who owes, one
//      customer's ledger and aging, recording an entry (storage);
//   2. in the app, signed in: a customer's account screen opened until its ledger is painted,
//      a receipt recorded through the form until its row shows, the receivables screen opened
//      until the aging is painted (its first reading of the whole archive), and the longest
//      task meanwhile.
// Run through scripts/bench.sh.
import { serve, launch, atDesk } from './harness.mjs';

const N = Number(process.env.LG_PROFILES ?? 100000);
const MEAN = Number(process.env.LG_MEAN ?? 10);
const ROUNDS = Number(process.env.LG_ROUNDS ?? 5);

const server = await serve('dist', 0, { mounts: { '/bench/': 'dist-bench' } });
const { context } = await launch();
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(1_800_000);
await page.goto(server.url + 'bench/');
await page.waitForFunction(() => window.wasmBindings !== undefined);
console.error(`seeding ${N} customers with 3 history items and about ${MEAN} ledger entries each…`);
await page.evaluate((n) => window.wasmBindings.seed_archive('dangan', n, true), N);
const seeded = await page.evaluate(([n, m]) => window.wasmBindings.seed_ledger('dangan', n, m).then(JSON.parse), [N, MEAN]);
console.log(JSON.stringify({ step: 'seed', ...seeded }));
const parts = await page.evaluate(([n, r]) => window.wasmBindings.bench_ledger('dangan', n, r).then(JSON.parse), [N, ROUNDS]);
console.log(JSON.stringify({ step: 'computation', ...parts }));

await page.goto(server.url);
await atDesk(page);
await page.getByTestId('list-page').waitFor();
await page.waitForTimeout(Number(process.env.LG_SETTLE_MS ?? 15000));
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
});
/**
 * Does `act` in the page ({ hash } or { click: selector }), then
 * waits until `done` holds ({ sel } shown, or { count: [selector, n] } more than n of them); ms
 * from the act to the frame after. (No eval: the app's content security policy forbids it.)
 */
const timed = (act, done) => page.evaluate(([a, d]) => new Promise((ok) => {
  const t0 = performance.now();
  if (a.hash) location.hash = a.hash;
  if (a.click) document.querySelector(a.click).click();
  const holds = () => (d.sel ? !!document.querySelector(d.sel) : document.querySelectorAll(d.count[0]).length > d.count[1]);
  const look = () => (holds() ? requestAnimationFrame(() => ok(performance.now() - t0)) : requestAnimationFrame(look));
  look();
}), [act, done]);
const first = seeded.first;
const step = (s) => console.error(new Date().toISOString(), s);
step('app: signed in');
// The office module loads on the first of its screens: the account is opened twice, the
// second time is what a clerk meets.
await timed({ hash: `#/p/${first}/account` }, { sel: '[data-testid=acct-ledger]' });
await page.goto(server.url + '#/');
await page.getByTestId('list-page').waitFor();
step('account opened once');
const openAccount = await timed({ hash: `#/p/${first}/account` }, { sel: '[data-testid=acct-ledger]' });
const rows = await page.getByTestId('acct-row').count();
await page.getByTestId('e-kind').selectOption({ label: '收款' });
await page.getByTestId('e-amount').fill('12.34');
step('account open');
const record = await timed({ click: '[data-testid=e-save]' }, { count: ['[data-testid=acct-row]', rows] });
// A second one: what the clerk meets from then on (the first also loads the archive's map of
// chunked profiles into the screen's module).
// Five more, a second apart (one sample is at the mercy of a collection or a timer).
const later = [];
for (let k = 1; k <= 5; k++) {
  await page.waitForTimeout(1000);
  await page.getByTestId('e-amount').fill(`5${k}.78`);
  later.push(await timed({ click: '[data-testid=e-save]' }, { count: ['[data-testid=acct-row]', rows + k] }));
}
later.sort((a, b) => a - b);
const longAccount = await page.evaluate(() => window.__long.splice(0));
step('recorded');
const openReceivables = await timed({ hash: '#/receivables' }, { sel: '[data-testid=rcv-total-sum]' });
const longReceivables = await page.evaluate(() => window.__long.splice(0));
console.log(JSON.stringify({
  step: 'app',
  customers: N,
  account_open_ms: Math.round(openAccount),
  account_rows: rows,
  record_until_shown_ms: Math.round(record),
  later_records_until_shown_median_ms: Math.round(later[2]),
  later_records_until_shown_max_ms: Math.round(later[4]),
  longest_task_on_account_ms: Math.round(Math.max(0, ...longAccount)),
  receivables_first_open_ms: Math.round(openReceivables),
  longest_task_while_reading_ms: Math.round(Math.max(0, ...longReceivables)),
}));
await context.close();
await server.close();
