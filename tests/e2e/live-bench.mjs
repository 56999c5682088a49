// Benchmark (not a test): the delay a person waits between two devices. Two browsers (two devices)
// sync through a real dangan-server with their live connections open; a guest is saved on A
// (through the form, as a clerk does) LIVE_N times (default 50), and each time the time from the
// click on "save" until B's open list counts the new guest is taken. Prints p50, p95 and the
// slowest. Run by scripts/bench.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, ROOT } from './harness.mjs';

const N = Number(process.env.LIVE_N ?? 50);
const BIN = join(ROOT, 'target/release/dangan-server');
const dir = await mkdtemp(join(tmpdir(), 'dangan-live-bench-'));
const db = join(dir, 'sync.db');
const token = execFileSync(BIN, ['token', 'create', '--archive', 'live', '--db', db]).toString().trim();
const server = spawn(BIN, ['serve', '--db', db, '--dist', join(ROOT, 'dist'), '--listen', '127.0.0.1:0']);
const url = await new Promise((ok) => {
  let out = '';
  server.stdout.on('data', (d) => { out += d; const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) ok(m[1]); });
});
const pct = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };

async function device() {
  const browser = await launch();
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.addInitScript(([u, t]) => {
    if (!localStorage.getItem('dangan.sync')) localStorage.setItem('dangan.sync', JSON.stringify({ url: u, archive: 'live', token: t }));
  }, [url, token]);
  await page.goto(url + '/#/settings');
  await page.getByTestId('sync-live').waitFor({ timeout: 30000 });
  return { ...browser, page };
}

try {
  const a = await device();
  const b = await device();
  await b.page.goto(url + '/#/');
  await b.page.getByTestId('list-page').waitFor();
  const delays = [];
  for (let i = 0; i < N; i++) {
    await a.page.goto(url + '/#/new');
    await a.page.getByTestId('f-name').fill(`实时客人${i}`);
    await a.page.getByTestId('f-phones.0').fill(`1380000${String(i).padStart(4, '0')}`);
    const t0 = Date.now();
    await a.page.getByTestId('save').click();
    await b.page.waitForFunction((n) => document.querySelector('[data-testid=summary]')?.innerText.startsWith(`${n} `), i + 1, { timeout: 120000, polling: 'raf' });
    delays.push(Date.now() - t0);
    await a.page.getByTestId('profile').waitFor();
  }
  const s = (x) => `${(x / 1000).toFixed(2)} s`;
  console.log(`live sync, ${N} guests saved on A: shown on B after p50 ${s(pct(delays, 50))}, p95 ${s(pct(delays, 95))}, slowest ${s(Math.max(...delays))} (target p95 ≤ 2 s)`);
  await a.context.close();
  await b.context.close();
} finally {
  server.kill();
}
