// End-to-end: export (CSV, XLSX, vCard) of the current list, printing, and a backup restored on
// another device, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, launch, screenshot, eventually, countProfiles, storedProfiles, ROOT, failOnPageProblems, atDesk, ADMIN, tempDir, printedPages } from './harness.mjs';

failOnPageProblems();

let app, server, browser, page, dir;
const DIST = process.env.DIST ?? 'dist';
const DATA = join(ROOT, 'tests/data/import');

before(async () => {
  dir = await tempDir('dangan-transfer-');
  app = await openApp(DIST);
  ({ server, browser, page } = app);
  // An archive to work with: the English guest sheet and the seeds' customer list.
  for (const file of ['good/guests-en.csv', 'good/customers-zh-gbk.csv']) {
    await importFile(join(DATA, file));
  }
});

after(() => app?.close());

async function importFile(path, { expect = /新建 \d+/ } = {}) {
  await page.getByTestId('nav-list').click();
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-file').setInputFiles(path);
  await page.locator('[data-testid=import-preview][data-state=ready]').waitFor({ timeout: 60_000 });
  const summary = await page.getByTestId('import-summary').innerText();
  // A sheet offers to choose its header row; a vCard has none to choose.
  assert.equal(await page.getByTestId('import-header-row').count(), path.endsWith('.vcf') ? 0 : 1, path);
  if (await page.getByTestId('import-start').isEnabled()) {
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
  }
  assert.match(summary, expect);
  return summary;
}

/** Clicks `testid` and returns the downloaded file's path. */
async function download(testid) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { path, name: d.suggestedFilename() };
}

test('the list exports to CSV, Excel and vCard, and each file imports back as the same guests', async () => {
  await page.getByTestId('nav-list').click();
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^33 份档案/));
  const csv = await download('export-csv');
  assert.match(csv.name, /^客户档案-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile(csv.path);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM for Excel');
  const text = bytes.toString('utf8');
  assert.equal(text.trim().split('\r\n').length, 34, 'a header and 33 rows');
  assert.match(text.split('\r\n')[0], /^\uFEFF客户编码,名称,简称,客户类型/);
  // Each export imported again: every row is recognised as a guest already in the archive.
  for (const testid of ['export-csv', 'export-xlsx', 'export-vcard']) {
    await page.getByTestId('nav-list').click();
    await page.getByTestId('list-page').waitFor();
    const f = testid === 'export-csv' ? csv : await download(testid);
    await importFile(f.path, { expect: /新建 0[\s\S]*重复跳过 33/ });
  }
  assert.equal(await countProfiles(page), 33);

  // A search narrows what is exported.
  await page.getByTestId('nav-list').click();
  await page.getByTestId('search').fill('海景');
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^1 /));
  const one = await download('export-vcard');
  const card = await readFile(one.path, 'utf8');
  assert.equal(card.match(/BEGIN:VCARD/g).length, 1);
  assert.match(card, /FN:深圳市海景贸易有限公司\r\nKIND:org/);
  await page.getByTestId('search').fill('');

  // Ticked rows: exports hold only those, whatever the list shows; clearing goes back to the list.
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^33 份档案/));
  const names = (await page.getByTestId('row-name').allInnerTexts()).slice(1, 3);
  await page.getByTestId('row-pick').nth(1).check();
  await page.getByTestId('row-pick').nth(2).check();
  assert.equal(await page.getByTestId('list-page').isVisible(), true, 'ticking does not open the profile');
  assert.match(await page.getByTestId('picked').innerText(), /已选 2 份/);
  await screenshot(page, 'list-picked');
  const two = await readFile((await download('export-vcard')).path, 'utf8');
  assert.deepEqual([...two.matchAll(/^FN:(.*)\r$/gm)].map((m) => m[1]).sort(), [...names].sort());
  await page.getByTestId('unpick').click();
  assert.equal(await page.getByTestId('picked').count(), 0);
});

test('a profile prints as the customer archive form on one A4 page, and the list as a table', async () => {
  await page.getByTestId('nav-list').click();
  await page.getByTestId('search').fill('海景');
  await page.getByTestId('row-name').first().click();
  await page.getByTestId('print').click();
  const form = page.getByTestId('print-form');
  await form.waitFor();
  const text = await form.innerText();
  for (const label of ['客户档案登记表', '客户编码', '单位全称', '深圳市海景贸易有限公司', '法人代表', '王海', '开户银行', '招商银行深圳分行', '银行账号', '联系人', '刘敏', '建立关系日期', '2019-03-01', '填表人']) {
    assert.ok(text.includes(label), `the form shows ${label}`);
  }
  await screenshot(page, 'print-preview');
  await page.emulateMedia({ media: 'print' });
  // On paper: the sheet alone, on one A4 page.
  assert.ok(!(await page.locator('.topbar').isVisible()), 'no top bar on paper');
  assert.ok(!(await page.getByTestId('print-now').isVisible()), 'no buttons on paper');
  try {
    assert.equal(await printedPages(page), 1, 'the form prints on one page');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
  await page.getByTestId('search').fill('');

  await page.getByTestId('nav-list').click();
  await page.getByTestId('print-list-link').click();
  await page.getByTestId('print-list').waitFor();
  assert.equal(await page.locator('.list-grid tbody tr').count(), 33);
  await screenshot(page, 'print-list');
  // The list print (in the office module) prints the desk's list as it was left: searched, in
  // its order.
  await page.getByTestId('print-back').click();
  await page.getByTestId('search').fill('深圳');
  await eventually(async () => assert.ok((await page.getByTestId('row-name').count()) < 33));
  const shown = await page.getByTestId('row-name').allInnerTexts();
  assert.ok(shown.length > 1, 'more than one row, so their order is compared');
  await page.getByTestId('print-list-link').click();
  await page.getByTestId('print-list').waitFor();
  assert.deepEqual(await page.locator('.list-grid tbody td:nth-child(3)').allInnerTexts(), shown);
  assert.match(await page.getByTestId('print-list').innerText(), new RegExp(`· ${shown.length} `));
  await page.getByTestId('print-back').click();
  await page.getByTestId('search').fill('');
});

test('a backup restored on another device gives the same archive, and restoring twice adds nothing', async () => {
  await page.getByTestId('nav-settings').click();
  const backup = await download('backup-download');
  assert.match(backup.name, /^dangan-backup-\d{4}-\d{2}-\d{2}\.json$/);
  const parsed = JSON.parse(await readFile(backup.path, 'utf8'));
  assert.equal(parsed.format, 'dangan-backup');
  assert.equal(parsed.profiles, 33);
  assert.ok(!JSON.stringify(parsed.settings).includes('token'), 'no secrets in the backup');

  const other = await launch();
  const p2 = other.context.pages()[0] ?? await other.context.newPage();
  try {
    // A new device: before anyone is set up here, the settings are open to restore a backup.
    await p2.goto(server.url + '#/settings');
    await p2.getByTestId('backup').waitFor();
    // Not a backup: refused with a reason, nothing restored.
    await p2.getByTestId('backup-file').setInputFiles(join(DATA, 'good/guests-en.csv'));
    await eventually(async () => assert.match(await p2.getByTestId('backup-status').innerText(), /不是备份文件/));
    await p2.getByTestId('backup-file').setInputFiles(backup.path);
    await eventually(async () => assert.match(await p2.getByTestId('backup-confirm').innerText(), /33 份档案/));
    await p2.getByTestId('backup-restore').click();
    // The backup brought the staff, so the sign-in replaces the settings at once; the result
    // shows in a toast.
    await eventually(async () => assert.ok((await p2.getByTestId('toast').allInnerTexts()).some((x) => /恢复完成：33 份记录有更新/.test(x))));
    const dump = storedProfiles;
    assert.deepEqual(await dump(p2), await dump(page), 'every profile identical');
    // The backup brought the staff: the sign-in shows, and the same PIN opens it.
    await atDesk(p2, ADMIN, { join: true });
    await p2.goto(server.url + '#/settings');
    await p2.getByTestId('backup').waitFor();
    await p2.getByTestId('backup-file').setInputFiles(backup.path);
    await p2.getByTestId('backup-restore').click();
    await eventually(async () => assert.match(await p2.getByTestId('backup-status').innerText(), /0 份记录有更新，33 份已是最新/));
    await p2.getByTestId('nav-list').click();
    await p2.getByTestId('search').fill('海景');
    await eventually(async () => assert.ok((await p2.getByTestId('row-name').allInnerTexts()).includes('深圳市海景贸易有限公司')));
  } finally {
    await other.context.close();
  }
});
