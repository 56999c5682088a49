// Benchmark (not a test): a new device joins an archive of N profiles (default 100,000) with
// SYNC_HISTORY history items each (default 3: a stay, a bill, a complaint) that another device
// created, through a real dangan-server; prints the time from opening the app until the whole
// archive is pulled, listed and searchable. Run by scripts/bench.sh. SYNC_TIMEOUT_S (default 600)
// bounds each wait.
import { resolve } from 'node:path';
import { endpoint, fillArchive, syncingDevice, atDesk } from './harness.mjs';

const N = Number(process.env.SYNC_N ?? 100000);
const HISTORY = Number(process.env.SYNC_HISTORY ?? 3);
// How long to wait for the list and for the pull to complete (a million takes longer than ten minutes).
const TIMEOUT = Number(process.env.SYNC_TIMEOUT_S ?? 600) * 1000;
// DIST: another build's folder (alternated runs of two builds compare them on this noisy machine).
const server = await endpoint(process.env.DIST ? resolve(process.env.DIST) : undefined);
const url = server.url;
try {
  // Two devices, two tokens: the one that filled the archive and the new one (the endpoint's
  // rate limit is per token).
  fillArchive(url, 'bench', server.token('bench'), N);
  const browser = await syncingDevice(url, 'bench', server.token('bench'));
  const page = browser.page;
  const t0 = Date.now();
  await page.goto(url + '/');
  // The filled archive has no staff yet: the bench sets it up (part of the figures, about 1 s).
  await atDesk(page);
  // A wait that runs out says what the page showed (the list's count, the sync status).
  const shown = () => page.evaluate(() => ['summary', 'sync-status', 'sync-badge'].map((t) => `${t}: ${document.querySelector(`[data-testid=${t}]`)?.innerText ?? '—'}`).join('; '));
  await page.waitForFunction((n) => document.querySelector('[data-testid=summary]')?.innerText.startsWith(`${n} `), N, { timeout: TIMEOUT, polling: 100 })
    .catch(async (e) => { throw new Error(`the list never counted ${N}: ${await shown()}`, { cause: e }); });
  const listed = Date.now() - t0;
  await page.getByTestId('search').fill('zhang');
  await page.getByTestId('row').first().waitFor();
  const searchable = Date.now() - t0;
  // Complete: the last page (history included) merged, as the sync screen tells.
  await page.evaluate(() => { location.hash = '#/settings'; });
  await page.waitForFunction(() => /已是最新/.test(document.querySelector('[data-testid=sync-status]')?.innerText ?? ''), null, { timeout: TIMEOUT, polling: 100 });
  const complete = Date.now() - t0;
  console.log(`new device, ${N} profiles with ${N * HISTORY} history items: listed after ${(listed / 1000).toFixed(1)} s, first search answered at ${(searchable / 1000).toFixed(1)} s, everything pulled at ${(complete / 1000).toFixed(1)} s (target ≤ 15 s)`);
  await browser.context.close();
} finally {
  server.stop();
}
