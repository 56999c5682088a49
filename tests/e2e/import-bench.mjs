// The import benchmark (not a test): a generated 100,000-row CSV and XLSX imported through the
// app's import screen in headless Chromium, end to end (reading, parsing and validation in the
// worker and on the page, duplicate check, the IndexedDB transaction), beside the plain-JS
// IndexedDB put of the same number of profiles in one transaction (the foundation baseline).
// Also prints how often the progress moved and the longest frame the page missed while
// importing. Run through scripts/bench.sh (IMPORT_N to change the row count).
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serve, launch, jsPutBaseline, ROOT, atDesk } from './harness.mjs';

const N = Number(process.env.IMPORT_N ?? 100000);
const dir = await mkdtemp(join(tmpdir(), 'dangan-import-bench-'));
const server = await serve('dist', 0, { mounts: { '/bench/': 'dist-bench' } });

// IMPORT_PARTS=k splits the N rows into k files imported one after the other into the same
// archive (the import refuses files over 40 MB or 200,000 rows and asks for this; a million rows
// is 120 MB): IMPORT_N=1000000 IMPORT_PARTS=5.
const PARTS = Number(process.env.IMPORT_PARTS ?? 1);

function generate(kind, part = 0) {
  const out = join(dir, `guests-${part}.${kind}`);
  const rows = N / PARTS;
  execFileSync('cargo', ['run', '-q', '--release', '--example', 'import_samples', '--', `--${kind}`, String(rows), out, String(part * rows)], { cwd: ROOT });
  return out;
}

async function importOnce(path, userDataDir) {
  const b = await launch({ userDataDir });
  const page = b.context.pages()[0];
  await page.goto(server.url + '#/');
  await atDesk(page);
  await page.goto(server.url + '#/import');
  await page.getByTestId('import-file').waitFor();
  // Frames and progress updates, timed in the page.
  await page.evaluate(() => {
    window.__frames = []; window.__progress = []; window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: false });
    const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new MutationObserver(() => {
      if (document.querySelector('[data-testid=import-count]')) window.__progress.push(performance.now());
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const t0 = Date.now();
  const p0 = await page.evaluate(() => performance.now());
  await page.getByTestId('import-file').setInputFiles(path);
  // A file the import refuses (over its size or row limit) ends the run at once, with its words.
  await page.getByTestId('import-mapping').or(page.getByText('无法导入')).first().waitFor({ timeout: 600_000 });
  if (!await page.getByTestId('import-mapping').isVisible()) throw new Error(await page.locator('main').innerText());
  const tRead = Date.now();
  await page.locator('[data-testid=import-preview][data-state=ready]').waitFor({ timeout: 600_000 });
  const tPlanned = Date.now();
  const summary = await page.getByTestId('import-summary').innerText();
  const pStart = await page.evaluate(() => performance.now());
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-report').waitFor({ timeout: 600_000 });
  const t1 = Date.now();
  const result = await page.getByTestId('import-result').innerText();
  const created = Number(/新建 (\d+)/.exec(result)[1]);
  const { frames, progress, pEnd, long } = await page.evaluate(() => ({ frames: window.__frames, progress: window.__progress, pEnd: performance.now(), long: window.__long }));
  if (process.env.IMPORT_DEBUG) console.error('long tasks [start, ms] from file chosen:', JSON.stringify(long.filter(([, d]) => d > 150).map(([t, d]) => [t - Math.round(p0), d])), 'import started at', Math.round(pStart - p0),
    'progress gaps over 150 ms [at, ms] from import start:', JSON.stringify(progress.slice(1).map((t, i) => [Math.round(progress[i] - pStart), Math.round(t - progress[i])]).filter(([, d]) => d > 150)),
    'progress updates:', progress.length);
  const gaps = (xs, from, to) => {
    const s = xs.filter((x) => x >= from && x <= to);
    let max = 0;
    for (let i = 1; i < s.length; i++) max = Math.max(max, s[i] - s[i - 1]);
    return max;
  };
  await b.context.close();
  return {
    created, summary: summary.replace(/\n/g, ' '),
    total_s: (t1 - t0) / 1000, read_s: (tRead - t0) / 1000, plan_s: (tPlanned - tRead) / 1000, write_s: (t1 - tPlanned) / 1000,
    max_frame_gap_ms: gaps(frames, p0, pEnd),
    // While rows are written: from the first progress report to the last one.
    max_progress_gap_ms: gaps(progress, progress[0] ?? pStart, progress[progress.length - 1] ?? pEnd),
    first_progress_ms: (progress[0] ?? pEnd) - pStart,
    finishing_ms: pEnd - (progress[progress.length - 1] ?? pEnd),
  };
}

async function jsBaseline() {
  const b = await launch();
  const page = b.context.pages()[0];
  await page.goto(server.url + 'bench/');
  await page.waitForFunction(() => window.wasmBindings?.bench_profiles_json);
  const ms = await jsPutBaseline(page, N);
  await b.context.close();
  return N / ms * 1000;
}

console.error(`importing ${N} generated rows (${process.env.IMPORT_KINDS ?? "CSV,XLSX"}) in ${process.env.IMPORT_PARTS ?? 1} part(s)…`);
// IMPORT_KINDS picks the files (CSV,XLSX); BENCH_BASELINES=0 leaves out the plain-JS baseline
// (the million-row run).
const kinds = (process.env.IMPORT_KINDS ?? 'CSV,XLSX').split(',');
const base = process.env.BENCH_BASELINES === '0' ? NaN : await jsBaseline();
for (const kind of kinds) {
  if (PARTS > 1) {
    const profile = await mkdtemp(join(tmpdir(), 'dangan-import-parts-'));
    for (let part = 0; part < PARTS; part++) {
      const r = await importOnce(generate(kind.toLowerCase(), part), profile);
      console.log(`import ${kind} part ${part + 1} of ${PARTS} (${N / PARTS} rows, archive ${part * N / PARTS} before): ${r.created} created in ${r.total_s.toFixed(1)} s (read ${r.read_s.toFixed(1)} s, check ${r.plan_s.toFixed(1)} s, write ${r.write_s.toFixed(1)} s) | longest missed frame ${r.max_frame_gap_ms.toFixed(0)} ms | ${r.summary}`);
    }
    continue;
  }
  const r = await importOnce(generate(kind.toLowerCase()));
  const rate = r.created / r.total_s;
  const fileRate = N / r.total_s;
  console.log(`import ${kind} ${N} rows: ${r.created} created in ${r.total_s.toFixed(1)} s (read ${r.read_s.toFixed(1)} s, check ${r.plan_s.toFixed(1)} s, write ${r.write_s.toFixed(1)} s) = ${fileRate.toFixed(0)} rows/s of the file, ${rate.toFixed(0)} created/s | plain JS put, one tx: ${base.toFixed(0)} profiles/s | ratio ${(fileRate / base).toFixed(2)}× (created: ${(rate / base).toFixed(2)}×) | longest missed frame ${r.max_frame_gap_ms.toFixed(0)} ms; progress: first after ${r.first_progress_ms.toFixed(0)} ms, then at most ${r.max_progress_gap_ms.toFixed(0)} ms apart, commit after the last ${r.finishing_ms.toFixed(0)} ms | ${r.summary}`);
}
await server.close();
