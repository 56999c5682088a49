// Shared helpers for the end-to-end tests and the benchmark: a static server for the built app
// on 127.0.0.1 and Debian's Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const SHOTS = join(ROOT, 'tests/e2e/screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json',
};

/** Serves `dir` on 127.0.0.1 (a free port unless given); unknown paths get index.html. */
export async function serve(dir, port = 0, { isolated = false, mounts = {} } = {}) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    // `mounts` serves other directories under a path prefix on the same origin.
    const mount = Object.keys(mounts).find((m) => path.startsWith(m));
    const base = resolve(ROOT, mount ? mounts[mount] : dir);
    if (mount) path = '/' + path.slice(mount.length);
    let file = join(base, path);
    if (!file.startsWith(base) || path.endsWith('/')) file = join(base, 'index.html');
    let body;
    try { body = await readFile(file); } catch { file = join(base, 'index.html'); body = await readFile(file); }
    const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
    // Cross-origin isolation gives performance.now() 5 µs resolution (benchmark only).
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  // Closing also drops kept-alive connections, so a test can stop the server like a dropped network.
  return { url, port: server.address().port, close: () => { server.closeAllConnections(); return new Promise((ok) => server.close(ok)); } };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A Chromium with its own profile directory, so closing and relaunching it is a browser restart. */
export async function launch({ userDataDir, locale = 'zh-CN', viewport = { width: 1366, height: 860 }, extraArgs = [] } = {}) {
  const dir = userDataDir ?? await mkdtemp(join(tmpdir(), 'dangan-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, `--lang=${locale}`, ...extraArgs],
    locale,
    viewport,
  });
  return { context, dir };
}

export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** Retries an assertion until it holds (the UI updates asynchronously), for up to `timeout` ms. */
export async function eventually(check, timeout = 5000) {
  const end = Date.now() + timeout;
  for (;;) {
    try { return await check(); } catch (e) { if (Date.now() > end) throw e; }
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Profiles stored in the app's IndexedDB of `page`'s origin (live and deleted). */
export function countProfiles(page) {
  return page.evaluate(() => new Promise((ok, fail) => {
    const open = indexedDB.open('dangan');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const r = open.result.transaction('profiles').objectStore('profiles').count();
      r.onsuccess = () => { ok(r.result); open.result.close(); };
    };
  }));
}
