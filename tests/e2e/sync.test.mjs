// Two devices (two isolated Chromium profiles) sync through a real dangan-server process that also
// serves the app: a guest made on A appears on B; the same field edited on both while the server
// is down ends with the same winner on both and the loser kept as a conflict, which staff settle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, screenshot, eventually, ROOT } from './harness.mjs';

const BIN = join(ROOT, 'target/debug/dangan-server');
let dir, server, url, token, a, b;

function startServer(listen) {
  return new Promise((ok, fail) => {
    const p = spawn(BIN, ['serve', '--db', join(dir, 'sync.db'), '--dist', join(ROOT, process.env.DIST ?? 'dist'), '--listen', listen]);
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) ok({ process: p, url: m[1] });
    });
    p.stderr.on('data', (d) => process.stderr.write(d));
    p.on('exit', (code) => fail(new Error(`dangan-server exited with ${code}: ${out}`)));
  });
}

async function device() {
  const browser = await launch();
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(url + '/#/settings');
  await page.getByTestId('sync').waitFor();
  assert.equal(await page.getByTestId('sync-url').inputValue(), url, 'the address defaults to the server the app came from');
  await page.getByTestId('sync-archive').fill('hotel-e2e');
  await page.getByTestId('sync-token').fill(token);
  await page.getByTestId('sync-save').click();
  await synced(page);
  return { ...browser, page };
}

/** Waits until the device's last round succeeded with nothing waiting. */
const synced = (page) => eventually(async () => {
  const s = await page.getByTestId('sync-status').innerText();
  assert.match(s, /上次同步 .* · 已是最新/);
  assert.doesNotMatch(s, /正在同步|无法|拒绝|出错/);
}, 20000);

async function syncNow(page) {
  await page.goto(url + '/#/settings');
  await page.getByTestId('sync-now').click();
  await synced(page);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dangan-sync-e2e-'));
  token = execFileSync(BIN, ['token', 'create', '--archive', 'hotel-e2e', '--db', join(dir, 'sync.db')]).toString().trim();
  server = await startServer('127.0.0.1:0');
  url = server.url;
  a = await device();
  b = await device();
});

after(async () => {
  await a?.context.close();
  await b?.context.close();
  server?.process.kill();
});

test('a wrong token is refused in plain words, and the form keeps what was typed', async () => {
  const page = a.page;
  await page.getByTestId('sync-token').fill('dgn_' + '0'.repeat(64));
  await page.getByTestId('sync-save').click();
  await eventually(async () => assert.match(await page.getByTestId('sync-error').innerText(), /拒绝了访问令牌/), 10000);
  assert.equal(await page.getByTestId('sync-archive').inputValue(), 'hotel-e2e');
  await page.getByTestId('sync-token').fill('not-a-token');
  await page.getByTestId('sync-save').click();
  await page.getByText('令牌以 dgn_ 开头').waitFor();
  await page.getByTestId('sync-token').fill(token);
  await page.getByTestId('sync-save').click();
  await synced(page);
});

test('a guest created on A appears on B', async () => {
  await a.page.goto(url + '/#/new');
  await a.page.getByTestId('f-name').fill('同步客人');
  await a.page.getByTestId('f-phones.0').fill('13711112222');
  await a.page.getByTestId('save').click();
  await a.page.getByTestId('profile').waitFor();
  await syncNow(a.page);
  await syncNow(b.page);
  await b.page.goto(url + '/#/');
  await b.page.getByTestId('search').fill('tbkr');
  await eventually(async () => assert.deepEqual(await b.page.getByTestId('row-name').allInnerTexts(), ['同步客人']));
});

test('the same field edited on both while apart: same winner on both, the loser kept, staff keep either', async () => {
  const port = new URL(url).port;
  server.process.kill();
  await new Promise((ok) => server.process.on('exit', ok));
  const edit = async (page, notes) => {
    await page.goto(url + '/#/');
    await page.getByTestId('search').fill('同步客人');
    await page.getByTestId('search').press('Enter');
    await page.getByTestId('edit').click();
    await page.getByTestId('f-notes').fill(notes);
    await page.getByTestId('save').click();
    await page.getByTestId('profile').waitFor();
  };
  await edit(a.page, 'A 写的：要无烟房');
  await edit(b.page, 'B 写的：要高楼层');
  server = await startServer(`127.0.0.1:${port}`);
  await syncNow(a.page);
  await syncNow(b.page);
  await syncNow(a.page);

  for (const { page } of [a, b]) {
    // The conflicts list names the guest; it opens the profile.
    await eventually(async () => assert.match(await page.getByTestId('nav-conflicts').innerText(), /冲突\s*1/));
    await page.getByTestId('nav-conflicts').click();
    await page.getByTestId('conflict-profile').filter({ hasText: '同步客人' }).click();
    await page.getByTestId('conflicts').waitFor();
    assert.match(await page.getByTestId('profile').innerText(), /B 写的：要高楼层/, 'the later edit wins on both');
    assert.deepEqual(await page.getByTestId('conflict-value').allInnerTexts(), ['B 写的：要高楼层', 'A 写的：要无烟房']);
  }
  await screenshot(a.page, 'sync-conflict');

  // On A, staff keep A's value; after syncing, both show it and the conflict is gone.
  await a.page.getByTestId('conflict-keep').nth(1).click();
  await eventually(async () => assert.equal(await a.page.getByTestId('conflicts').count(), 0));
  await eventually(async () => assert.equal(await a.page.getByTestId('nav-conflicts').count(), 0));
  assert.match(await a.page.getByTestId('profile').innerText(), /A 写的：要无烟房/);
  await syncNow(a.page);
  await syncNow(b.page);
  await b.page.goto(url + '/#/');
  await b.page.getByTestId('search').fill('同步客人');
  await b.page.getByTestId('search').press('Enter');
  await b.page.getByTestId('profile').waitFor();
  await eventually(async () => assert.match(await b.page.getByTestId('profile').innerText(), /A 写的：要无烟房/));
  assert.equal(await b.page.getByTestId('conflicts').count(), 0);
  // The field history tells who changed what.
  await b.page.getByTestId('field-history-toggle').click();
  const history = await b.page.getByTestId('field-history').innerText();
  assert.match(history, /备注: B 写的：要高楼层 → A 写的：要无烟房/);
  await screenshot(b.page, 'sync-field-history');
});
