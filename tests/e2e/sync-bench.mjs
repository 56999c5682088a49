// Benchmark (not a test): a new device joins an archive of N profiles (default 100,000) that
// another device created, through a real dangan-server; prints the time from opening the app
// until the whole archive is listed and searchable. Run by scripts/bench.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, ROOT } from './harness.mjs';

const N = Number(process.env.SYNC_N ?? 100000);
const BIN = join(ROOT, 'target/release/dangan-server');
const dir = await mkdtemp(join(tmpdir(), 'dangan-sync-bench-'));
const db = join(dir, 'sync.db');
const token = execFileSync(BIN, ['token', 'create', '--archive', 'bench', '--db', db]).toString().trim();
const server = spawn(BIN, ['serve', '--db', db, '--dist', join(ROOT, 'dist'), '--listen', '127.0.0.1:0']);
const url = await new Promise((ok) => {
  let out = '';
  server.stdout.on('data', (d) => { out += d; const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) ok(m[1]); });
});
try {
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'dangan-server', '--example', 'sync_bench', String(N),
    '--push-to', `${url}/sync/v1/bench`, token], { stdio: 'inherit', cwd: ROOT });
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
  console.log(`new device, ${N} profiles: listed after ${(listed / 1000).toFixed(1)} s, first search answered at ${(searchable / 1000).toFixed(1)} s (target ≤ 10 s)`);
  await browser.context.close();
} finally {
  server.kill();
}
