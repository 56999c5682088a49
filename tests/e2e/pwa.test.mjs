// The PWA in real headless Chromium against the release build: installability and a start with
// the server stopped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, launch, screenshot, eventually, ROOT, CHROMIUM_ARGS, failOnPageProblems, watchPage, takePageProblems, atDesk, ADMIN, tempDir } from './harness.mjs';

failOnPageProblems();

const DIST = process.env.DIST ?? 'dist';
let server, browser, page;

before(async () => {
  server = await serve(DIST);
  browser = await launch();
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(server.url);
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

test('installable: the manifest is linked and complete, every icon loads at its size, the service worker controls the page', async () => {
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifest = await page.evaluate(async (h) => (await fetch(h)).json(), href);
  for (const key of ['name', 'short_name', 'start_url', 'scope', 'display', 'theme_color', 'background_color', 'lang', 'icons', 'id']) {
    assert.ok(manifest[key], `manifest.${key}`);
  }
  assert.equal(manifest.display, 'standalone');
  const pngs = manifest.icons.filter((i) => i.type === 'image/png');
  assert.ok(pngs.some((i) => i.sizes === '192x192' && i.purpose.includes('any')));
  assert.ok(pngs.some((i) => i.sizes === '512x512' && i.purpose.includes('any')));
  assert.ok(pngs.some((i) => i.purpose.includes('maskable')));
  for (const icon of manifest.icons) {
    const got = await page.evaluate(async (src) => {
      const r = await fetch(src);
      const b = new Uint8Array(await r.arrayBuffer());
      const dv = new DataView(b.buffer);
      const png = b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
      return { ok: r.ok, type: r.headers.get('content-type'), size: png ? `${dv.getUint32(16)}x${dv.getUint32(20)}` : 'any' };
    }, new URL(icon.src, new URL(href, server.url)).href);
    assert.ok(got.ok, icon.src);
    assert.equal(got.type, icon.type, icon.src);
    assert.equal(got.size, icon.sizes, icon.src);
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await caches.open(k)).keys()))).flat().map((r) => new URL(r.url).pathname));
  assert.ok(cached.some((p) => p.endsWith('.wasm')) && cached.some((p) => p.endsWith('.css')) && cached.includes('/index.html'), cached.join(' '));
  // Chromium's own verdict: a secure context (127.0.0.1), no prefer_related_applications, and
  // the browser's installability check reports nothing missing.
  assert.equal(await page.evaluate(() => window.isSecureContext), true);
  assert.ok(!manifest.prefer_related_applications);
  const cdp = await browser.context.newCDPSession(page);
  const { errors: manifestErrors } = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifestErrors, []);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
});

test('the app runs under the endpoint\'s strict content security policy: no inline script, and an injected one is refused and reported', async () => {
  const r = await page.evaluate(async () => {
    const res = await fetch('/', { cache: 'no-store' });
    return { csp: res.headers.get('content-security-policy'), html: await res.text() };
  });
  assert.match(r.csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(r.csp, /style-src 'self';/);
  const inline = [...r.html.matchAll(/<script([^>]*)>/g)].filter(([, attrs]) => !/\ssrc=/.test(attrs));
  assert.deepEqual(inline, [], 'every script of the page is a file');
  // The listener every test relies on works: an injected inline script and style are refused.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.head.append(s);
    const st = document.createElement('div');
    st.setAttribute('style', 'color: red');
    document.body.append(st);
    st.remove();
  });
  assert.equal(await page.evaluate(() => window.__injected), undefined);
  const reported = [];
  await eventually(async () => {
    reported.push(...takePageProblems());
    assert.ok(reported.some((x) => /script-src/.test(x)), reported.join('\n'));
    assert.ok(reported.some((x) => /style-src/.test(x)), reported.join('\n'));
  });
});

test('the first load holds only the desk: settings and import come as a second module on first use', async () => {
  const loaded = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  const first = await loaded();
  assert.ok(first.some((p) => /\/dangan-[0-9a-f]+_bg\.wasm$/.test(p)), first.join(' '));
  assert.ok(!first.some((p) => p.includes('office')), `the office module is not part of the first load: ${first.join(' ')}`);
  // The desk's own chunks (src/lazy.rs) are not part of it either: the profile page's (with the
  // form) is fetched once the first screen is painted, ahead of its use; sync's and export's not
  // at all here.
  const timed = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd })));
  const isChunk = (e) => /\/dangan-[0-9a-f]+_(?!bg\.)\w+\.wasm$/.test(e.path);
  await eventually(async () => assert.ok((await timed()).filter(isChunk).some((c) => /_profile\.wasm$/.test(c.path)), 'the profile page\'s chunk is fetched ahead'));
  const all = await timed();
  const desk = all.find((e) => /\/dangan-[0-9a-f]+_bg\.wasm$/.test(e.path));
  const chunks = all.filter(isChunk);
  for (const c of chunks) assert.ok(c.start >= desk.end, `${c.path} was fetched before the desk's wasm was in`);
  assert.ok(!chunks.some((c) => /_(sync|export)\.wasm$/.test(c.path)), `no sync or export chunk: ${chunks.map((c) => c.path).join(' ')}`);
  // The first download's budget: the desk as the endpoint sends it (brotli) was 717,674 B before
  // the chunks, 366,350 B once the setup and every write went into them, 320,906 B once start-up no
  // longer decoded whole profiles, 314,684 B without panic locations, 286,424 B once checking a
  // PIN, writing the access log, reading conflicts and adopting records from before sync were
  // chunks, 261,243 B once the messages left the wasm for a file per language (below), 249,572 B
  // once the notes to the office, the office's host, tending the index, a sync round's
  // bookkeeping and the live connection's lock were chunks, 248,580 B with SHA-256's compact
  // rounds, 249,095 B once a pull's merge told the conflicts list what changed (docs/
  // performance.md). The budget is issue 13's: 250,000 B.
  // Something new that pulls code back into the desk shows here; a part a clerk does not need to
  // find a guest goes in a lazy_fn! (src/lazy.rs).
  const built = await readdir(resolve(ROOT, DIST));
  const brSize = async (re) => (await stat(resolve(ROOT, DIST, built.find((f) => re.test(f))))).size;
  const size = await brSize(/^dangan-[0-9a-f]+_bg\.wasm\.br$/);
  assert.ok(size <= 250_000, `the desk's first download is ${size} B brotli, over its 250,000 B budget`);
  // The messages: only the shown language's file is fetched (Chinese here), with the wasm; the
  // other comes when a clerk switches (from the service worker's cache offline: the next test).
  const messages = first.filter((p) => /\/messages-[0-9a-f]{16}-(zh|en)\.txt$/.test(p));
  assert.deepEqual(messages.map((p) => p.slice(-6)), ['zh.txt'], first.join(' '));
  const zh = await brSize(/^messages-[0-9a-f]{16}-zh\.txt\.br$/);
  assert.ok(zh <= 11_500, `the Chinese messages are ${zh} B brotli, over their 11,500 B budget`);
  // What downloads beside it before the first screen, minified (scripts/minify.mjs): the JS glue
  // was 10,251 B brotli as wasm-bindgen writes it, now 8,511; the stylesheet 10,174, now 8,566.
  const glue = await brSize(/^dangan-[0-9a-f]+\.js\.br$/);
  assert.ok(glue <= 9_000, `the desk's JS glue is ${glue} B brotli: is it minified?`);
  const css = await brSize(/^main-[0-9a-f]+\.css\.br$/);
  assert.ok(css <= 9_200, `the stylesheet is ${css} B brotli: is it minified?`);
  // Nothing else shares the link with that download before the first screen (issue 13's LCP:
  // docs/performance.md): the page links no manifest (public/shell.js does, a second after the
  // page loaded, and the browser then fetches it and its icons: the test above), its icon is in the
  // page, the split's loader is fetched with the glue, and the messages' language is the one
  // public/shell.js chose for the loader.
  const html = await page.evaluate(async () => (await fetch('/', { cache: 'no-store' })).text());
  assert.doesNotMatch(html, /rel="manifest"/);
  assert.match(html, /<link rel="icon" href="data:image\/svg\+xml,/);
  assert.match(html, /<link rel="modulepreload" href="\/dangan-[0-9a-f]+_split\.js"/);
  assert.equal(await page.evaluate(() => globalThis.danganLang), 'Zh');
  // (Measured from the page's load event, which shell.js waits for: the wasm's responseEnd is
  // stamped some milliseconds after the load event in a run of several, so "a second after the
  // wasm" missed by 23 ms once.)
  const loadAt = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventStart);
  assert.ok(loadAt > 0);
  for (const e of all.filter((e) => e.path.startsWith('/icons/') || e.path.endsWith('.webmanifest'))) {
    assert.ok(e.start >= desk.end, `${e.path} was fetched while the desk's wasm was still coming`);
    assert.ok(e.start >= loadAt + 990, `${e.path} was fetched ${Math.round(e.start - loadAt)} ms after the page's load, not a second after it`);
  }
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-page').waitFor();
  assert.ok((await loaded()).some((p) => p.endsWith('/office_bg.wasm')));
  // The desk speaks to the office: the settings name who is signed in at the desk.
  await eventually(async () => assert.equal(await page.getByTestId('settings-page').getByTestId('staff-name').innerText(), ADMIN.name));
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-page').waitFor();
  assert.equal(await page.getByTestId('settings-page').count(), 0, 'the settings screen is gone');
  await page.evaluate(() => { window.__officeHost = document.querySelector('.office-host'); });
  await page.getByTestId('nav-list').click();
  await page.getByTestId('list-page').waitFor();
  // Leaving unmounts the office's screen, not only the desk's placeholder around it.
  await eventually(async () => assert.equal(await page.evaluate(() => window.__officeHost.childElementCount), 0));
  assert.equal(await page.getByTestId('staff-name').innerText(), ADMIN.name);
});

test('with the server stopped the app starts, lists the profiles and creates one; back online it is all there', async () => {
  await page.getByTestId('nav-new').click();
  await page.getByTestId('f-name').fill('在线客人');
  await page.getByTestId('save').click();
  await page.getByTestId('profile').waitFor();

  const port = server.port;
  await server.close();
  await page.goto(server.url);
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^1 份档案/));
  await page.getByTestId('nav-new').click();
  await page.getByTestId('f-name').fill('断网新客');
  await page.getByTestId('f-phones.0').fill('13911112222');
  await page.getByTestId('save').click();
  await page.getByTestId('profile').waitFor();
  // The documents card's code is a chunk of its own: offline it comes from the service worker.
  await page.getByTestId('doc-empty').waitFor();
  await screenshot(page, 'offline-created');

  server = await serve(DIST, port);
  await page.reload();
  await atDesk(page);
  await page.getByTestId('profile').waitFor();
  await page.getByTestId('nav-list').click();
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^2 份档案/));
  await page.getByTestId('search').fill('dwxk');
  await eventually(async () => assert.deepEqual(await page.getByTestId('row-name').allInnerTexts(), ['断网新客']));
});

test('offline, settings and import open from the service worker\'s cache', async () => {
  const port = server.port;
  await server.close();
  await page.reload();
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-page').waitFor();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-page').waitFor();
  await eventually(async () => assert.match(await page.getByTestId('storage-profiles').innerText(), /2/));
  await screenshot(page, 'offline-settings');
  // The other language's messages are a file the first load did not fetch: offline it comes
  // from the service worker's cache, and the desk redraws in it.
  await page.getByTestId('nav-list').click();
  await page.getByTestId('list-page').waitFor();
  await page.getByTestId('lang').click();
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^2 profiles?/));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByTestId('lang').click();
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^2 份档案/));
  server = await serve(DIST, port);
});

test('a new build: "new version ready" shows; no reload while a form has unsaved text; reload applies it', async () => {
  // The next build: the same app with a service worker of another version.
  const next = await tempDir('dangan-next-');
  await cp(join(ROOT, DIST), next, { recursive: true });
  const sw = await readFile(join(next, 'sw.js'), 'utf8');
  await writeFile(join(next, 'sw.js'), sw.replace(/const VERSION = '([0-9a-f]+)'/, "const VERSION = '$1-next'"));
  const port = server.port;
  await server.close();
  server = await serve(next, port);

  await page.reload();
  await atDesk(page);
  await page.getByTestId('update-banner').waitFor({ timeout: 20000 });
  await page.getByTestId('nav-new').click();
  await page.getByTestId('f-name').fill('未保存的客人');
  await page.evaluate(() => { window.__notReloaded = true; });
  await page.getByTestId('update-reload').click();
  await page.getByTestId('update-blocked').waitFor();
  await screenshot(page, 'update-blocked');
  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page did not reload');
  assert.equal(await page.getByTestId('f-name').inputValue(), '未保存的客人', 'the input is still there');

  await page.getByTestId('cancel').click();
  await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
  // A reload asks for the PIN again (the keys live only in the page's memory).
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
  assert.equal(await page.evaluate(() => window.__notReloaded), undefined, 'reloaded into the new version');
  await eventually(async () => {
    const keys = await page.evaluate(() => caches.keys());
    assert.ok(keys.length === 1 && keys[0].endsWith('-next'), keys.join(' '));
  }, 10000);
  assert.equal(await page.getByTestId('update-banner').count(), 0);
});

test('when the second module or a chunk cannot load, the screen says so and Retry loads it once it can', async () => {
  // No service worker here, so the request for the module reaches the network, where it fails.
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const ctx = await b.newContext({ serviceWorkers: 'block', locale: 'zh-CN' });
    const p = await ctx.newPage();
    watchPage(p);
    await p.goto(server.url);
    await atDesk(p);
    await p.getByTestId('list-page').waitFor();
    await ctx.route('**/office.js', (route) => route.abort('internetdisconnected'));
    await p.getByTestId('nav-settings').click();
    await p.getByTestId('module-error').waitFor();
    assert.match(await p.getByTestId('module-error').innerText(), /此页面未能载入[\s\S]*查找、查看和登记客户不受影响/);
    await screenshot(p, 'module-error');
    // The desk still works meanwhile.
    await p.getByTestId('nav-list').click();
    await p.getByTestId('list-page').waitFor();
    await p.getByTestId('nav-settings').click();
    await p.getByTestId('module-error').waitFor();
    await ctx.unroute('**/office.js');
    await p.getByRole('button', { name: '重试' }).click();
    await p.getByTestId('settings-page').waitFor();

    await ctx.close();

    // A chunk of the desk that cannot be fetched (the profile page's, with the form): the list
    // works, the form's place says why, and Retry loads it once it can.
    const ctx2 = await b.newContext({ serviceWorkers: 'block', locale: 'zh-CN' });
    await ctx2.route('**/dangan-*_profile.wasm', (route) => route.abort('internetdisconnected'));
    // The setup's own chunk first: the form says why and keeps what was typed; sent again once
    // the chunk can come, the archive is set up.
    await ctx2.route('**/dangan-*_setup.wasm', (route) => route.abort('internetdisconnected'));
    const q = await ctx2.newPage();
    watchPage(q);
    await q.goto(server.url);
    await q.getByTestId('setup-name').fill(ADMIN.name);
    await q.getByTestId('setup-pin').fill(ADMIN.pin);
    await q.getByTestId('setup-pin-again').fill(ADMIN.pin);
    await q.getByTestId('setup-go').click();
    await eventually(async () => assert.match(await q.getByTestId('setup-error').innerText(), /这部分未能载入：首次使用需要联网/));
    assert.equal(await q.getByTestId('setup-name').inputValue(), ADMIN.name);
    await screenshot(q, 'setup-part-error');
    await ctx2.unroute('**/dangan-*_setup.wasm');
    await q.getByTestId('setup-go').click();
    await q.getByTestId('recovery-done').click({ timeout: 30_000 });
    // Signed in (the recovery code's screen is still the setup's until then).
    await q.getByTestId('staff').first().waitFor({ timeout: 30_000 });
    await q.getByTestId('list-page').waitFor();
    await q.getByTestId('nav-new').click();
    await q.getByTestId('part-error').waitFor();
    assert.match(await q.getByTestId('part-error').innerText(), /这部分未能载入：首次使用需要联网/);
    await screenshot(q, 'part-error');
    await q.getByTestId('nav-list').click();
    await q.getByTestId('list-page').waitFor();
    await q.getByTestId('nav-new').click();
    await q.getByTestId('part-error').waitFor();
    // Back, but slow: the screen says it is loading meanwhile.
    await ctx2.unroute('**/dangan-*_profile.wasm');
    await ctx2.route('**/dangan-*_profile.wasm', async (route) => { await new Promise((ok) => setTimeout(ok, 1500)); await route.continue(); });
    await q.getByTestId('part-error').getByRole('button', { name: '重试' }).click();
    await q.getByTestId('screen-loading').waitFor();
    assert.match(await q.getByTestId('screen-loading').innerText(), /正在载入此页面/);
    await q.getByTestId('f-name').fill('分块客人');
    await q.getByTestId('save').click();
    await q.getByTestId('profile').waitFor();
    await q.getByTestId('doc-empty').waitFor();
    assert.equal(await q.getByTestId('part-error').count(), 0);
  } finally {
    await b.close();
  }
});
