// The import benchmark (not a test): a generated 100,000-row CSV and XLSX imported through the
// app's import screen in headless Chromium, end to end (reading, parsing and validation in the
// worker and on the page, duplicate check, the IndexedDB transaction), beside the plain-JS
// IndexedDB put of the same number of profiles in one transaction (the foundation baseline).
// Also prints how often the progress moved and the longest frame the page missed while
// importing. Run through scripts/bench.sh (IMPORT_N to change the row count).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, jsPutBaseline, ROOT, atDesk, storedInClear, tempDir } from './harness.mjs';

const N = Number(process.env.IMPORT_N ?? 100000);
const dir = await tempDir('dangan-import-bench-');
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
    // When each phase ended, seen in the page (Playwright's waiting polls at up to 1 s apart).
    window.__at = {};
    const seen = (name, sel) => { if (!window.__at[name] && document.querySelector(sel)) window.__at[name] = performance.now(); };
    new MutationObserver(() => {
      if (document.querySelector('[data-testid=import-count]')) window.__progress.push(performance.now());
      seen('read', '[data-testid=import-mapping], [data-testid=import-preview]');
      seen('planned', '[data-testid=import-preview][data-state=ready]');
      seen('done', '[data-testid=import-report]');
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
  });
  // IMPORT_PROFILE=1 prints where the page spent its time in each phase (sampled by Chromium's
  // profiler, self time by function; wasm functions by their names).
  const cdp = process.env.IMPORT_PROFILE ? await b.context.newCDPSession(page) : null;
  const profiled = async (phase, run) => {
    if (!cdp) return run();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const out = await run();
    const { profile } = await cdp.send('Profiler.stop');
    console.error(`-- ${phase}: top self time`);
    for (const [name, ms] of selfTimes(profile).slice(0, 25)) console.error(`${ms.toFixed(0).padStart(7)} ms  ${name}`);
    return out;
  };
  const p0 = await page.evaluate(() => performance.now());
  await page.getByTestId('import-file').setInputFiles(path);
  // A file the import refuses (over its size or row limit) ends the run at once, with its words.
  await page.getByTestId('import-mapping').or(page.getByText('无法导入')).first().waitFor({ timeout: 600_000 });
  if (!await page.getByTestId('import-mapping').isVisible()) throw new Error(await page.locator('main').innerText());
  await profiled('check', () => page.locator('[data-testid=import-preview][data-state=ready]').waitFor({ timeout: 600_000 }));
  const summary = await page.getByTestId('import-summary').innerText();
  const pStart = await page.evaluate(() => performance.now());
  await profiled('write', async () => {
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-report').waitFor({ timeout: 600_000 });
  });
  const result = await page.getByTestId('import-result').innerText();
  const created = Number(/新建 (\d+)/.exec(result)[1]);
  const { frames, progress, pEnd, long, at } = await page.evaluate(() => ({ frames: window.__frames, progress: window.__progress, pEnd: performance.now(), long: window.__long, at: window.__at }));
  // The figure is only honest if the numbers were sealed: none of the file's first ID numbers may
  // be found in clear anywhere in the page's storage.
  const ids = readFileSync(path, 'utf8').split('\n').slice(1, 400).map((l) => /\b\d{17}[\dX]\b/.exec(l)?.[0]).filter(Boolean).slice(0, 5);
  const inClear = path.endsWith('.csv') && ids.length ? (await storedInClear(page, ids)).length : 0;
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
    created, inClear, summary: summary.replace(/\n/g, ' '),
    // Phases as the page saw them: from the file chosen to the mapping shown, to every row
    // checked, and from the click on import to the report.
    total_s: (at.read - p0 + at.planned - at.read + at.done - pStart) / 1000, read_s: (at.read - p0) / 1000, plan_s: (at.planned - at.read) / 1000, write_s: (at.done - pStart) / 1000,
    max_frame_gap_ms: gaps(frames, p0, pEnd),
    // While rows are written: from the first progress report to the last one.
    max_progress_gap_ms: gaps(progress, progress[0] ?? pStart, progress[progress.length - 1] ?? pEnd),
    first_progress_ms: (progress[0] ?? pEnd) - pStart,
    finishing_ms: pEnd - (progress[progress.length - 1] ?? pEnd),
  };
}

// Self time per function name of a CPU profile, largest first, in milliseconds.
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const out = new Map();
  for (const [id, us] of dt) {
    const f = byId.get(id).callFrame;
    const name = f.functionName || `(anonymous ${f.url.split('/').pop()}:${f.lineNumber})`;
    out.set(name, (out.get(name) ?? 0) + us / 1000);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
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
    const profile = await tempDir('dangan-import-parts-');
    for (let part = 0; part < PARTS; part++) {
      const r = await importOnce(generate(kind.toLowerCase(), part), profile);
      console.log(`import ${kind} part ${part + 1} of ${PARTS} (${N / PARTS} rows, archive ${part * N / PARTS} before): ${r.created} created in ${r.total_s.toFixed(1)} s (read ${r.read_s.toFixed(1)} s, check ${r.plan_s.toFixed(1)} s, write ${r.write_s.toFixed(1)} s) | longest missed frame ${r.max_frame_gap_ms.toFixed(0)} ms | ${r.summary}`);
    }
    continue;
  }
  const r = await importOnce(generate(kind.toLowerCase()));
  const rate = r.created / r.total_s;
  const fileRate = N / r.total_s;
  console.log(`import ${kind} ${N} rows: ${r.created} created in ${r.total_s.toFixed(1)} s (read ${r.read_s.toFixed(1)} s, check ${r.plan_s.toFixed(1)} s, write ${r.write_s.toFixed(1)} s) = ${fileRate.toFixed(0)} rows/s of the file, ${rate.toFixed(0)} created/s | plain JS put, one tx: ${base.toFixed(0)} profiles/s | ratio ${(fileRate / base).toFixed(2)}× (created: ${(rate / base).toFixed(2)}×) | longest missed frame ${r.max_frame_gap_ms.toFixed(0)} ms; progress: first after ${r.first_progress_ms.toFixed(0)} ms, then at most ${r.max_progress_gap_ms.toFixed(0)} ms apart, commit after the last ${r.finishing_ms.toFixed(0)} ms | ${r.summary} | stored values holding one of the file's first ID numbers in clear: ${r.inClear}`);
}
await server.close();
