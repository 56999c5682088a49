// Profile (not a test): where a new device's time goes while it pulls SYNC_N profiles (default
// 20,000) with 3 history items each through a real endpoint. Samples the page's CPU with the
// DevTools profiler and prints the functions with the most self time. Needs a build that keeps
// function names: run it through scripts/profile-sync.sh.
import { join } from 'node:path';
import { endpoint, fillArchive, syncingDevice, ROOT } from './harness.mjs';

const N = Number(process.env.SYNC_N ?? 20000);
const server = await endpoint(process.env.PROFILE_DIST ?? join(ROOT, 'target/dist-profile'));
const url = server.url;
fillArchive(url, 'bench', server.token('bench'), N);
const browser = await syncingDevice(url, 'bench', server.token('bench'));
const page = browser.page;
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
await browser.context.close();
server.stop();
