// End-to-end: importing sheets in headless Chromium. A broken file imports nothing; the seeds'
// GBK customer list maps itself and imports; a generated 10,000-row XLSX imports and a row is
// found by pinyin; a cancelled import leaves nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openApp, screenshot, eventually, countProfiles, storedProfiles, ROOT, failOnPageProblems, ADMIN, tempDir } from './harness.mjs';

failOnPageProblems();

let app, server, browser, page, big;
const DIST = process.env.DIST ?? 'dist';
const DATA = join(ROOT, 'tests/data/import');

/** Writes a generated sheet with the sample generator; returns its path and one row to look for. */
function generate(kind, rows) {
  const out = join(big, `guests-${rows}.${kind}`);
  const text = execFileSync('cargo', ['run', '-q', '--release', '--example', 'import_samples', '--', `--${kind}`, String(rows), out], { cwd: ROOT, encoding: 'utf8' });
  return { path: out, ...JSON.parse(text.trim().split('\n').pop()) };
}

before(async () => {
  big = await tempDir('dangan-import-');
  app = await openApp(DIST);
  ({ server, browser, page } = app);
});

after(() => app?.close());

/** Waits until every row of the chosen file has been checked. */
const planned = (timeout = 60_000) => page.locator('[data-testid=import-preview][data-state=ready]').waitFor({ timeout });

/** A fresh import screen (leaving it resets it). */
const openImport = async () => {
  await page.getByTestId('nav-list').click();
  await page.getByTestId('list-page').waitFor();
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-page').waitFor();
};

test('a broken file is refused with its row, and nothing is imported', async () => {
  await openImport();
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'broken/unclosed-quote.csv'));
  const err = page.getByTestId('import-error');
  await err.waitFor();
  assert.match(await err.innerText(), /第 3 行的引号没有闭合/);
  assert.match(await err.innerText(), /没有导入任何内容/);
  await page.getByTestId('import-again').click();
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'broken/old-excel.xls'));
  await eventually(async () => assert.match(await page.getByTestId('import-error').innerText(), /另存为/));
  assert.equal(await countProfiles(page), 0);
});

test("the seeds' GBK customer list maps its headers, previews and imports", async () => {
  await openImport();
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'good/customers-zh-gbk.csv'));
  await planned();
  assert.match(await page.getByTestId('import-source').innerText(), /GB18030\) · 3 行/);
  // 序号 is ignored; 名称, 法人代表, 联系电话 … are recognised.
  assert.equal(await page.getByTestId('map-0').inputValue(), '');
  assert.equal(await page.getByTestId('map-1').inputValue(), 'name');
  assert.equal(await page.getByTestId('map-2').inputValue(), 'legal_rep');
  assert.equal(await page.getByTestId('map-10').inputValue(), 'contact_phone');
  await eventually(async () => assert.match(await page.getByTestId('import-summary').innerText(), /新建 3/));
  await screenshot(page, 'import-mapping');
  await page.getByTestId('import-preview').scrollIntoViewIfNeeded();
  await screenshot(page, 'import-preview');
  // Unmapping the name column stops the import with a clear message; mapping it back resumes.
  await page.getByTestId('map-1').selectOption('');
  await page.getByTestId('import-mapping-problem').waitFor();
  assert.ok(await page.getByTestId('import-start').isDisabled());
  await page.getByTestId('map-1').selectOption('name');
  await eventually(async () => assert.ok(await page.getByTestId('import-start').isEnabled()));
  await page.getByTestId('import-start').click();
  await eventually(async () => assert.match(await page.getByTestId('import-result').innerText(), /新建 3，更新 0，跳过 0/));
  assert.equal(await countProfiles(page), 3);
  await page.getByTestId('import-to-list').click();
  await page.getByTestId('search').fill('海景');
  await eventually(async () => assert.deepEqual(await page.getByTestId('row-name').allInnerTexts(), ['深圳市海景贸易有限公司']));
  await page.getByTestId('search').fill('');

  // The same file again: every row is a duplicate and is skipped by default.
  await openImport();
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'good/customers-zh-gbk.csv'));
  await eventually(async () => assert.match(await page.getByTestId('import-summary').innerText(), /重复跳过 3/));
  assert.ok(await page.getByTestId('import-start').isDisabled(), 'nothing to import');
  assert.match(await page.getByTestId('import-rows').innerText(), /与档案中的“.*”重复/);
});

test('a real-shaped list with a title row, 银行名称 and full-width phones imports every company', async () => {
  await openImport();
  await page.getByTestId('import-file').setInputFiles(join(DATA, 'good/customer-list-titled-gbk.csv'));
  await planned();
  // The title and the date line above the headers are skipped; the header row can be changed.
  assert.equal(await page.getByTestId('import-header-row').inputValue(), '4');
  await page.getByTestId('import-title-skipped').waitFor();
  assert.equal(await page.getByTestId('map-1').inputValue(), 'name');
  assert.equal(await page.getByTestId('map-5').inputValue(), 'bank');
  assert.equal(await page.getByTestId('map-10').inputValue(), 'contact_phone');
  await eventually(async () => assert.match(await page.getByTestId('import-summary').innerText(), /新建 8.*有值未导入 1/s));
  const rows = await page.getByTestId('import-rows').innerText();
  assert.match(rows, /北京大学出版社\s+010-62751234/, 'the phone column shows a contact phone, folded');
  assert.match(rows, /新建（有值未导入）.*E 列“电子邮箱”.*\(无\)/s);
  await screenshot(page, 'import-titled-mapping');
  await page.getByTestId('import-preview').scrollIntoViewIfNeeded();
  await screenshot(page, 'import-titled-preview');
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.getByTestId('import-mapping').scrollIntoViewIfNeeded();
  await screenshot(page, '768x1024-import-titled-mapping');
  await page.getByTestId('import-preview').scrollIntoViewIfNeeded();
  await screenshot(page, '768x1024-import-titled-preview');
  await page.setViewportSize({ width: 1366, height: 768 });
  // Choosing the title as the header: no name column, so nothing can be imported; back to row 4.
  await page.getByTestId('import-header-row').selectOption('1');
  await page.getByTestId('import-mapping-problem').waitFor();
  assert.ok(await page.getByTestId('import-start').isDisabled());
  await page.getByTestId('import-header-row').selectOption('4');
  await planned();
  await eventually(async () => assert.ok(await page.getByTestId('import-start').isEnabled()));
  const before = await countProfiles(page);
  await page.getByTestId('import-start').click();
  const report = page.getByTestId('import-report');
  await eventually(async () => assert.match(await page.getByTestId('import-result').innerText(), /^新建 8，更新 0，跳过 0$/));
  assert.doesNotMatch(await report.innerText(), /\d\.\d s/, 'no meaningless seconds');
  assert.match(await page.getByTestId('import-flagged').innerText(), /第 7 行 五道口酒店用品有限公司：E 列“电子邮箱”：.*\(无\)/);
  await screenshot(page, 'import-report');
  await page.setViewportSize({ width: 768, height: 1024 });
  await screenshot(page, '768x1024-import-report');
  await page.setViewportSize({ width: 1366, height: 768 });
  assert.equal(await countProfiles(page), before + 8);
  // Imported profiles record who imported them (the default desk name when none is set).
  const imported = (await storedProfiles(page)).map((j) => JSON.parse(j)).filter((p) => p.org?.bank?.includes('北京'));
  assert.equal(imported.length, 8);
  // An import records the signed-in person who ran it.
  assert.ok(imported.every((p) => p.meta.created_by === ADMIN.name), JSON.stringify(imported.map((p) => p.meta.created_by)));
  // An organisation is found by its contact's phone tail, its legal representative and its address.
  await page.getByTestId('import-to-list').click();
  // The row says why it was found.
  for (const [q, why] of [['62751234', '联系人电话 010****1234'], ['张明', '联系人/法人 张明'], ['成府路 205', '地址 北京市海淀区成府路 205 号']]) {
    await page.getByTestId('search').fill(q);
    await eventually(async () => assert.deepEqual(await page.getByTestId('row-name').allInnerTexts(), ['北京大学出版社']), 5000);
    assert.equal(await page.getByTestId('row-match').innerText(), why);
  }
  await screenshot(page, 'list-org-by-contact');
  // Found by its own name: no reason shown, and the list names it once, its contact beside it.
  await page.getByTestId('search').fill('北京大学');
  await eventually(async () => assert.deepEqual(await page.getByTestId('row-name').allInnerTexts(), ['北京大学出版社']), 5000);
  assert.equal(await page.getByTestId('row-match').count(), 0);
  assert.equal(await page.locator('.row-sub').first().innerText(), '王老师');
  await page.getByTestId('search').fill('');
});

test('a 10,000-row XLSX imports and a guest is found by pinyin', async () => {
  const sheet = generate('xlsx', 10000);
  await openImport();
  await page.getByTestId('import-file').setInputFiles(sheet.path);
  await planned();
  const summary = await page.getByTestId('import-summary').innerText();
  const created = Number(/新建 (\d+)/.exec(summary)[1]);
  assert.ok(created > 9000, summary);
  const before = await countProfiles(page);
  await page.getByTestId('import-start').click();
  await eventually(async () => assert.match(await page.getByTestId('import-result').innerText(), new RegExp(`新建 ${created}，`)), 120_000);
  assert.equal(await countProfiles(page), before + created);
  await page.getByTestId('import-to-list').click();
  await page.getByTestId('search').fill(sheet.pinyin);
  await eventually(async () => assert.ok((await page.getByTestId('row-name').allInnerTexts()).includes(sheet.name), `${sheet.pinyin} finds ${sheet.name}`));
  await page.getByTestId('search').fill('');
});

test('a cancelled import leaves nothing behind', async () => {
  const sheet = generate('csv', 30000);
  await openImport();
  await page.getByTestId('import-file').setInputFiles(sheet.path);
  await planned();
  await page.getByTestId('policy-create').check();
  assert.ok(await page.getByTestId('import-start').isEnabled());
  const before = await countProfiles(page);
  // A slow tablet: the import takes long enough to be cancelled midway.
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-progress').waitFor();
  await eventually(async () => assert.match(await page.getByTestId('import-count').innerText(), /已写入 [1-9]\d* \//), 60_000);
  await page.getByTestId('import-cancel').click();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await eventually(async () => assert.match(await page.getByTestId('import-report').innerText(), /导入已取消/), 60_000);
  assert.equal(await countProfiles(page), before, 'nothing of the cancelled import remains');
});
