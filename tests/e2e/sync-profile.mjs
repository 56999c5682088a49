// Profile (not a test): where a new device's time goes while it pulls SYNC_N profiles (default
// 20,000) with 3 history items each through a real endpoint. Samples the page's CPU with the
// DevTools profiler and prints the functions with the most self time. Needs a build that keeps
// function names: run it through scripts/profile-sync.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, ROOT } from './harness.mjs';
const N = Number(process.env.SYNC_N ?? 20000);
const BIN = join(ROOT, 'target/release/dangan-server');
const dir = await mkdtemp(join(tmpdir(), 'dangan-prof-'));
const db = join(dir, 'sync.db');
const newToken = () => execFileSync(BIN, ['token', 'create', '--archive', 'bench', '--db', db]).toString().trim();
const [fillerToken, token] = [newToken(), newToken()];
const server = spawn(BIN, ['serve', '--db', db, '--dist', process.env.PROFILE_DIST ?? join(ROOT, 'target/dist-profile'), '--listen', '127.0.0.1:0']);
const url = await new Promise((ok) => { let out = ''; server.stdout.on('data', (d) => { out += d; const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) ok(m[1]); }); });
execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'dangan-server', '--example', 'sync_bench', String(N), '--push-to', `${url}/sync/v1/bench`, fillerToken], { stdio: 'inherit', cwd: ROOT });
const browser = await launch();
const page = browser.context.pages()[0] ?? await browser.context.newPage();
await page.addInitScript(([u, t]) => { localStorage.setItem('dangan.sync', JSON.stringify({ url: u, archive: 'bench', token: t })); }, [url, token]);
const cdp = await browser.context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await page.goto(url + '/#/settings');
await page.getByTestId('sync-status').waitFor();
await cdp.send('Profiler.start');
const t0 = Date.now();
await page.waitForFunction(() => /已是最新/.test(document.querySelector('[data-testid=sync-status]')?.innerText ?? '') && !/正在/.test(document.querySelector('[data-testid=sync-status]')?.innerText ?? ''), null, { timeout: 600000, polling: 100 });
console.log(`pulled ${N} profiles with ${N * 3} history items in ${((Date.now() - t0) / 1000).toFixed(1)} s (unoptimised wasm, profiler on); self time by function:`);
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; let total = 0;
profile.samples.forEach((id, i) => { const n = byId.get(id); const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop()})`; self.set(name, (self.get(name) ?? 0) + dt[i]); total += dt[i]; });
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [name, t] of top) console.log((t / 1000).toFixed(0).padStart(6), 'ms', (100 * t / total).toFixed(1).padStart(5), '%', name.slice(0, 140));
await browser.context.close(); server.kill();
