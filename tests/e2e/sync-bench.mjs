// Benchmark (not a test): a new device joins an archive of N profiles (default 100,000) with
// SYNC_HISTORY history items each (default 3: a stay, a bill, a complaint) that another device
// created, through a real dangan-server; prints the time from opening the app until the whole
// archive is pulled, listed and searchable. Run by scripts/bench.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, ROOT } from './harness.mjs';

const N = Number(process.env.SYNC_N ?? 100000);
const HISTORY = Number(process.env.SYNC_HISTORY ?? 3);
const BIN = join(ROOT, 'target/release/dangan-server');
const dir = await mkdtemp(join(tmpdir(), 'dangan-sync-bench-'));
const db = join(dir, 'sync.db');
// Two devices, two tokens: the one that filled the archive and the new one (the endpoint's rate
// limit is per token).
const newToken = () => execFileSync(BIN, ['token', 'create', '--archive', 'bench', '--db', db]).toString().trim();
const [fillerToken, token] = [newToken(), newToken()];
const server = spawn(BIN, ['serve', '--db', db, '--dist', join(ROOT, 'dist'), '--listen', '127.0.0.1:0']);
const url = await new Promise((ok) => {
  let out = '';
  server.stdout.on('data', (d) => { out += d; const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) ok(m[1]); });
});
try {
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'dangan-server', '--example', 'sync_bench', String(N),
    '--push-to', `${url}/sync/v1/bench`, fillerToken], { stdio: 'inherit', cwd: ROOT });
  const browser = await launch();
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.addInitScript(([u, t]) => {
    localStorage.setItem('dangan.sync', JSON.stringify({ url: u, archive: 'bench', token: t }));
  }, [url, token]);
  const t0 = Date.now();
  await page.goto(url + '/');
  await page.waitForFunction((n) => document.querySelector('[data-testid=summary]')?.innerText.startsWith(`${n} `), N, { timeout: 600000, polling: 100 });
  const listed = Date.now() - t0;
  await page.getByTestId('search').fill('zhang');
  await page.getByTestId('row').first().waitFor();
  const searchable = Date.now() - t0;
  // Complete: the last page (history included) merged, as the sync screen tells.
  await page.evaluate(() => { location.hash = '#/settings'; });
  await page.waitForFunction(() => /已是最新/.test(document.querySelector('[data-testid=sync-status]')?.innerText ?? ''), null, { timeout: 600000, polling: 100 });
  const complete = Date.now() - t0;
  console.log(`new device, ${N} profiles with ${N * HISTORY} history items: listed after ${(listed / 1000).toFixed(1)} s, first search answered at ${(searchable / 1000).toFixed(1)} s, everything pulled at ${(complete / 1000).toFixed(1)} s (target ≤ 15 s)`);
  await browser.context.close();
} finally {
  server.kill();
}
