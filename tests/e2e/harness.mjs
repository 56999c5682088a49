// Shared helpers for the end-to-end tests and the benchmark: a static server for the built app
// on 127.0.0.1, a real sync endpoint for the benchmarks, and Debian's Chromium driven by
// playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, rmSync } from 'node:fs';
import { readFile, mkdtemp, mkdir } from 'node:fs/promises';
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
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

/**
 * The security headers `dangan-server` sends with every answer (its `headers` command: the content
 * security policy and the rest), so the static server of the tests serves the app under the same
 * policy as the endpoint does.
 */
export function endpointHeaders() {
  const bin = ['debug', 'release'].map((p) => join(ROOT, 'target', p, 'dangan-server')).find((b) => existsSync(b));
  if (!bin) throw new Error('build the endpoint first (cargo build -p dangan-server): the tests serve its headers');
  return Object.fromEntries(execFileSync(bin, ['headers']).toString().trim().split('\n').map((l) => {
    const at = l.indexOf(': ');
    return [l.slice(0, at), l.slice(at + 2)];
  }));
}

/**
 * Serves `dir` on 127.0.0.1 (a free port unless given) with the endpoint's security headers;
 * unknown paths get index.html.
 */
export async function serve(dir, port = 0, { isolated = false, mounts = {} } = {}) {
  const security = endpointHeaders();
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
    const headers = { ...security, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
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

/**
 * A new temporary folder, removed when this process exits: a browser profile or an endpoint's
 * database of a benchmark holds hundreds of megabytes, and runs left behind filled the disk.
 */
const made = [];
process.on('exit', () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
export async function tempDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * The release `dangan-server` on a free port of 127.0.0.1, serving `dist`, its database in a new
 * temporary folder: `url`, `token(archive)` (a new token of that archive each call), `stop()`.
 */
export async function endpoint(dist = join(ROOT, 'dist')) {
  const bin = join(ROOT, 'target/release/dangan-server');
  const db = join(await tempDir('dangan-endpoint-'), 'sync.db');
  const token = (archive) => execFileSync(bin, ['token', 'create', '--archive', archive, '--db', db]).toString().trim();
  const server = spawn(bin, ['serve', '--db', db, '--dist', dist, '--listen', '127.0.0.1:0']);
  const url = await new Promise((ok, fail) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) ok(m[1]); });
    server.on('exit', (code) => fail(new Error(`dangan-server exited with ${code}: ${out}`)));
  });
  return { url, token, stop: () => server.kill() };
}

/**
 * The debug `dangan-server` (what `scripts/test.sh` builds) on a free port of 127.0.0.1, its
 * database `sync.db` in `dir`, serving the built app: `{ process, url }`.
 */
export function debugServer(dir) {
  return new Promise((ok, fail) => {
    const p = spawn(join(ROOT, 'target/debug/dangan-server'), ['serve', '--db', join(dir, 'sync.db'), '--dist', join(ROOT, process.env.DIST ?? 'dist'), '--listen', '127.0.0.1:0']);
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) ok({ process: p, url: m[1] });
    });
    p.on('exit', (code) => fail(new Error(`dangan-server exited with ${code}: ${out}`)));
  });
}

/**
 * Fills `archive` with `n` generated profiles, each with SYNC_HISTORY history items (default 3),
 * pushed as another device would with `token` (server/examples/sync_bench.rs).
 */
export function fillArchive(url, archive, token, n) {
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'dangan-server', '--example', 'sync_bench', String(n),
    '--push-to', `${url}/sync/v1/${archive}`, token], { stdio: 'inherit', cwd: ROOT });
}

/** A page of a new browser whose app will sync with `archive` on the endpoint at `url`. */
export async function syncingDevice(url, archive, token) {
  const browser = await launch();
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.addInitScript(([u, a, t]) => {
    if (!localStorage.getItem('dangan.sync')) localStorage.setItem('dangan.sync', JSON.stringify({ url: u, archive: a, token: t }));
  }, [url, archive, token]);
  return { ...browser, page };
}

/**
 * What went wrong in the pages of every browser `launch` started, since the last test: uncaught
 * errors and content security policy violations (pages and workers). `failOnPageProblems`
 * makes each test of a file fail on them.
 */
const problems = [];

/** Registers a check after each test of the calling file: no page error, no policy violation. */
export function failOnPageProblems() {
  afterEach(() => {
    const found = problems.splice(0);
    if (found.length) throw new Error(`the page reported problems:\n${found.join('\n')}`);
  });
}

/** Takes the problems recorded so far (a test that provokes one on purpose). */
export function takePageProblems() {
  return problems.splice(0);
}

/** Records `page`'s uncaught errors and policy violations into `problems`. */
export function watchPage(page) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e}`));
  page.on('console', (m) => {
    // A panic's message (console_error_panic_hook) comes before the page error it causes.
    if (/Content.Security.Policy|Refused to (load|execute|apply|connect|create|compile)|panicked at/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('worker', (w) => w.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`worker console: ${m.text()}`);
  }));
}

/** Makes every page of `context` report violations of its content security policy. */
async function watchContext(context) {
  await context.exposeBinding('__dangan_csp_violation', (_, v) => problems.push(`policy violation: ${v}`));
  await context.addInitScript(() => {
    addEventListener('securitypolicyviolation', (e) => window.__dangan_csp_violation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A Chromium with its own profile directory, so closing and relaunching it is a browser restart. */
export async function launch({ userDataDir, locale = 'zh-CN', viewport = { width: 1366, height: 860 }, extraArgs = [] } = {}) {
  const dir = userDataDir ?? await tempDir('dangan-chromium-');
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, `--lang=${locale}`, ...extraArgs],
    locale,
    viewport,
  });
  await watchContext(context);
  return { context, dir };
}

/** How many A4 pages the page prints as (the print stylesheet, as "save as PDF" would). */
export async function printedPages(page, options = { preferCSSPageSize: true }) {
  const pdf = await page.pdf({ format: 'A4', ...options });
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
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

/**
 * Every profile stored in the app's IndexedDB of `page`'s origin (live and deleted), as its JSON
 * text, sorted: those in their own record in `profiles` and those written in bulk into `chunks`
 * (format `DGC1` + per record u32 LE id length, id, u32 LE JSON length, JSON; see
 * src/domain/chunk.rs). Decoded here independently of the app.
 */
export function storedProfiles(page) {
  return page.evaluate(() => new Promise((ok, fail) => {
    // An exception inside a request's callback would be lost in the page and leave the promise
    // waiting for ever: every callback reports it instead.
    const guard = (f) => (e) => { try { f(e); } catch (err) { fail(err); } };
    const open = indexedDB.open('dangan');
    open.onerror = () => fail(open.error);
    open.onsuccess = guard(() => {
      const db = open.result;
      const names = [...db.objectStoreNames].filter((n) => n === 'profiles' || n === 'chunks');
      const tx = db.transaction(names);
      const out = [];
      const text = new TextDecoder();
      tx.objectStore('profiles').getAll().onsuccess = guard((e) => e.target.result.forEach((v) => out.push(text.decode(v))));
      if (names.includes('chunks')) {
        tx.objectStore('chunks').getAll().onsuccess = guard((e) => e.target.result.forEach((b) => {
          const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
          if (text.decode(b.subarray(0, 4)) !== 'DGC1') throw new Error('not a chunk');
          let at = 4;
          const part = () => { const n = view.getUint32(at, true); const p = b.subarray(at + 4, at + 4 + n); at += 4 + n; return p; };
          while (at < b.length) { part(); out.push(text.decode(part())); }
        }));
      }
      tx.oncomplete = () => { db.close(); ok(out.sort()); };
      tx.onerror = () => fail(tx.error);
    });
  }));
}

/** Number of profiles stored in the app's IndexedDB of `page`'s origin (live and deleted). */
export async function countProfiles(page) {
  return (await storedProfiles(page)).length;
}

/**
 * The plain-JS baseline of the benchmarks: `n` generated profiles (from the bench page's
 * `bench_profiles_json`) put in one IndexedDB transaction; returns the milliseconds.
 */
export function jsPutBaseline(page, n) {
  return page.evaluate(async (n) => {
    const data = JSON.parse(window.wasmBindings.bench_profiles_json(n));
    const db = await new Promise((ok, bad) => {
      const r = indexedDB.open('baseline', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('profiles', { keyPath: 'id' });
      r.onsuccess = () => ok(r.result); r.onerror = bad;
    });
    const t = performance.now();
    await new Promise((ok, bad) => {
      const tx = db.transaction('profiles', 'readwrite');
      const st = tx.objectStore('profiles');
      for (const p of data) st.put(p);
      tx.oncomplete = ok; tx.onerror = bad;
    });
    const ms = performance.now() - t;
    db.close();
    return ms;
  }, n);
}

/** The built app served and opened in a fresh Chromium at its list (page errors fail the test with `failOnPageProblems`). */
/** The first super administrator every test's archive gets (the setup screen's answers). */
export const ADMIN = { name: '值班经理', pin: '204816' };

/**
 * Brings `page` to the desk as `who`: on the setup screen it sets the archive up with `who` as
 * its first super administrator (unless `join`: a device joining an archive waits for its staff
 * to arrive by sync instead), on the sign-in screen it taps the name and types the PIN.
 */
export async function atDesk(page, who = ADMIN, { join = false } = {}) {
  const setup = page.getByTestId('setup');
  const signIn = page.getByTestId('sign-in');
  // The signed-in person in the top bar (the settings show it too).
  const desk = page.getByTestId('staff').first();
  await (join ? signIn.or(desk) : setup.or(signIn).or(desk)).first().waitFor({ timeout: 60_000 });
  if (await setup.isVisible()) {
    await page.getByTestId('setup-name').fill(who.name);
    await page.getByTestId('setup-pin').fill(who.pin);
    await page.getByTestId('setup-pin-again').fill(who.pin);
    await page.getByTestId('setup-go').click();
    await page.getByTestId('recovery-done').click({ timeout: 30_000 });
  } else if (await signIn.isVisible()) {
    await page.getByTestId(`who-${who.name}`).click();
    await page.getByTestId('pin').fill(who.pin);
    await page.getByTestId('sign-in-go').click();
  }
  await desk.waitFor({ timeout: 30_000 });
}

/** The super administrator, in the settings, adds a staff member (an ordinary user by default). */
export async function addStaff(page, { name, pin, role = '普通用户' }) {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('staff-card').waitFor();
  await page.getByTestId('staff-f-name').fill(name);
  await page.getByTestId('staff-f-role').selectOption({ label: role });
  await page.getByTestId('staff-f-pin').fill(pin);
  await page.getByTestId('staff-f-pin-again').fill(pin);
  await page.getByTestId('staff-save').click();
}

export async function openApp(dist = process.env.DIST ?? 'dist') {
  const server = await serve(dist);
  const browser = await launch();
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(server.url);
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
  return { server, browser, page, close: async () => { await browser.context.close(); await server.close(); } };
}

/**
 * What axe-core finds against WCAG 2.1 A and AA on the screen (names and labels, contrast, nested
 * controls, …) plus one h1 per screen and headings in order, as `rule: selector` lines; empty
 * when the screen passes.
 */
export async function accessibilityProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // Evaluated through the debugging protocol: a script tag would be an inline script, which
    // the app's content security policy refuses.
    await page.evaluate(await readFile(join(ROOT, 'tests/e2e/node_modules/axe-core/axe.min.js'), 'utf8'));
  }
  return page.evaluate(async () => {
    const wcag = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    const headings = await window.axe.run(document, { runOnly: { type: 'rule', values: ['page-has-heading-one', 'heading-order'] } });
    return [...wcag.violations, ...headings.violations].flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

/**
 * What someone browsing the page's storage in the developer tools finds: every value of every
 * IndexedDB store (bytes read as UTF-8, objects as JSON), localStorage and sessionStorage, as
 * `store: text` lines; those holding one of `needles` are returned.
 */
export async function storedInClear(page, needles) {
  return page.evaluate(async (needles) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('dangan');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const text = (v) => {
      if (v instanceof Uint8Array) return new TextDecoder().decode(v);
      if (v && typeof v === 'object') {
        return JSON.stringify(v) + Object.values(v).map((x) => (x instanceof Uint8Array ? new TextDecoder().decode(x) : '')).join('');
      }
      return String(v);
    };
    const lines = [];
    for (const name of db.objectStoreNames) {
      const all = await new Promise((ok, fail) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      for (const v of all) lines.push(`${name}: ${text(v)}`);
    }
    db.close();
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i++) lines.push(`storage: ${s.key(i)}=${s.getItem(s.key(i))}`);
    }
    if (lines.length < 5) throw new Error(`only ${lines.length} stored values read`);
    return lines.filter((l) => needles.some((n) => l.includes(n))).map((l) => l.slice(0, 160));
  }, needles);
}

/** Waits until the device's last sync round succeeded with nothing waiting (the settings' status). */
export const synced = (page, timeout = 20_000) => eventually(async () => {
  const s = await page.getByTestId('sync-status').innerText();
  assert.match(s, /上次同步 .* · 已是最新/);
  assert.doesNotMatch(s, /正在同步|无法|拒绝|出错/);
}, timeout);

/** Opens the settings of the app served at `url` and syncs now. */
export async function syncNowAt(page, url, timeout) {
  await page.goto(url + '/#/settings');
  await page.getByTestId('sync-now').click();
  await synced(page, timeout);
}

/** Switches the desk of `page` to `who` (two taps and a PIN). */
export async function switchTo(page, who, pin) {
  await page.getByTestId('staff-switch').click();
  await page.getByTestId(`who-${who}`).click();
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('sign-in-go').click();
  await page.getByTestId('lock').waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(await page.getByTestId('staff-name').first().innerText(), who));
}
