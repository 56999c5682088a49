// The manager's views (issue 16) on the hand-computed archive of `testdata::overview_archive`
// (restored from `examples/overview_seed.rs`): the dashboard shows the figures computed by hand
// in domain/overview/tests.rs, ABC with a weighted score ranks as computed, the lunar birthday
// falls on its day, the neglected list holds exactly the expected customers; screenshots of
// every screen in both languages at 1366×768 and 768×1024, and no accessibility problem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, screenshot, eventually, failOnPageProblems, accessibilityProblems, atDesk, ROOT, tempDir } from './harness.mjs';

failOnPageProblems();

let server, browser, page;
const DAY = 86_400_000;
/** A moment's local day as YYYY-MM-DD (the browser runs in this process's time zone). */
const local = (ms) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const NOW = Date.now();
const TODAY = local(NOW);
const inDays = (n) => local(NOW + n * DAY);
const daysSince = (day) => Math.round((Date.parse(TODAY) - Date.parse(day)) / DAY);

before(async () => {
  const seed = execFileSync(join(ROOT, 'target/release/examples/overview_seed'), [TODAY, String(NOW)]);
  const file = join(await tempDir('dangan-seed-'), 'seed.json');
  await writeFile(file, seed);
  server = await serve(process.env.DIST ?? 'dist');
  browser = await launch({ viewport: { width: 1366, height: 768 } });
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  // A new device: restore the archive before anyone is set up, then set up its administrator.
  await page.goto(server.url + '#/settings');
  await page.getByTestId('backup-file').setInputFiles(file);
  await page.getByTestId('backup-restore').click();
  await eventually(async () => assert.ok((await page.getByTestId('toast').allInnerTexts()).some((x) => /恢复完成：16 份记录有更新/.test(x))), 15_000);
  await page.goto(server.url + '#/');
  await atDesk(page);
  // The restore's toast goes by itself (and out of the screenshots).
  await page.getByTestId('toast').waitFor({ state: 'detached', timeout: 15_000 });
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

/** Chooses a custom period on the picker `testid`. */
async function customPeriod(testid, from, to) {
  await page.getByTestId(testid).getByTestId('period-custom').click();
  await page.getByTestId('period-from').fill(from);
  await page.getByTestId('period-to').fill(to);
}

/** The value and the period-before of a figure tile. */
async function figure(name) {
  const tile = page.getByTestId(`kpi-${name}`);
  const before = tile.getByTestId('kpi-before');
  return [await tile.getByTestId('kpi-value').innerText(), (await before.count()) ? (await before.innerText()).replace(/^\S+\s/, '') : null];
}

async function shots(name) {
  assert.deepEqual(await accessibilityProblems(page), [], `${name}: no accessibility problem`);
  await screenshot(page, `overview-${name}-1366`);
  await page.setViewportSize({ width: 768, height: 1024 });
  await screenshot(page, `overview-${name}-768`);
  await page.setViewportSize({ width: 1366, height: 768 });
}

test('the dashboard shows the figures computed by hand, and each opens its customers', async () => {
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('dash-period').waitFor({ timeout: 30_000 });
  // December 2026 against November (whole months: the month before).
  await customPeriod('dash-period', '2026-12-01', '2026-12-31');
  await eventually(async () => assert.match(await page.getByTestId('dash-span').innerText(), /2026-12-01 – 2026-12-31.*2026-11-01 – 2026-11-30/));
  assert.deepEqual(await figure('newcustomers'), ['1', '0']);
  assert.deepEqual(await figure('activecustomers'), ['2', '1']);
  assert.deepEqual(await figure('stays'), ['3', '1']);
  assert.deepEqual(await figure('nights'), ['6', '1']);
  assert.deepEqual(await figure('revenue'), ['¥3,300.00', '¥400.00']);
  assert.deepEqual(await figure('spendperstay'), ['¥1,000.00', '¥400.00']);
  assert.deepEqual(await figure('spendpercover'), ['¥150.00', '—']);
  assert.deepEqual(await figure('repeatrate'), ['50.0%', '0.0%']);
  assert.deepEqual(await figure('complaints'), ['1', '1']);
  assert.deepEqual(await figure('complaintrate'), ['33.3%', '100.0%']);
  assert.deepEqual(await figure('overduecomplaints'), ['1', '0']);
  // 乙's visit plans the next one for a week from today.
  const planned = inDays(7) >= '2026-12-01' && inDays(7) <= '2026-12-31' ? '1' : '0';
  assert.deepEqual(await figure('visitsplanned'), [planned, '0']);
  assert.deepEqual(await figure('completeness'), ['51.0%', null]);
  assert.deepEqual(await figure('accuracy'), ['50.0%', null]);
  // Revenue is open: its trend by month and the two customers behind it.
  await page.getByTestId('kpi-revenue').click();
  assert.match(await page.getByTestId('dash-how').innerText(), /入住与消费金额之和/);
  assert.equal(await page.getByTestId('dash-trend').locator('.bar').count(), 12);
  assert.equal(await page.getByTestId('dash-trend').locator('.bar').last().getAttribute('data-value'), '¥3,300.00');
  assert.deepEqual(await page.getByTestId('dash-customers').getByTestId('ov-customer').allInnerTexts(), ['甲', '乙']);
  // The repeat rate says how it is reached and opens the one who came twice.
  await page.getByTestId('kpi-repeatrate').click();
  assert.match(await page.getByTestId('dash-how').innerText(), /：1 \/ 2/);
  assert.deepEqual(await page.getByTestId('dash-customers').getByTestId('ov-customer').allInnerTexts(), ['甲']);
  await page.getByTestId('kpi-revenue').click();
  await shots('dashboard-zh');
  // A bar says its value on focus.
  await page.getByTestId('dash-trend').locator('.bar').last().focus();
  await screenshot(page, 'overview-dashboard-bar-focus');
});

test('archive quality: figures by hand, the profiles to fix first, the required items', async () => {
  await page.getByTestId('ov-tab-quality').click();
  await eventually(async () => assert.equal(await page.getByTestId('q-completeness').getByTestId('q-value').innerText(), '51.0%'));
  assert.equal(await page.getByTestId('q-accuracy').getByTestId('q-value').innerText(), '50.0%');
  const fix = page.getByTestId('q-fix-row');
  assert.deepEqual(await fix.getByTestId('ov-customer').allInnerTexts(), ['乙', '戊', '丙']);
  assert.match(await fix.nth(2).innerText(), /有误：电子邮箱|有误：邮箱/);
  // The super administrator requires the name only: every profile is complete.
  for (const f of ['gender', 'birth_date', 'id_doc.number', 'phones', 'address']) {
    await page.getByTestId(`q-req-person-${f}`).uncheck();
  }
  for (const f of ['org.tax_no', 'org.legal_rep', 'org.industry', 'phones', 'address', 'org.contacts', 'org.bank']) {
    await page.getByTestId(`q-req-org-${f}`).uncheck();
  }
  await page.getByTestId('q-required-save').click();
  await eventually(async () => assert.equal(await page.getByTestId('q-completeness').getByTestId('q-value').innerText(), '100.0%'), 10_000);
  await page.getByTestId('q-required').getByRole('button', { name: '恢复默认' }).click();
  await page.getByTestId('q-required-save').click();
  await eventually(async () => assert.equal(await page.getByTestId('q-completeness').getByTestId('q-value').innerText(), '51.0%'), 10_000);
  await shots('quality-zh');
  await page.getByTestId('toast').waitFor({ state: 'detached', timeout: 15_000 });
});

test('ABC with a weighted score ranks as computed by hand', async () => {
  await page.getByTestId('ov-tab-abc').click();
  await customPeriod('abc-period', '2026-11-01', '2026-12-31');
  await page.getByTestId('abc-w-0').fill('60');
  await page.getByTestId('abc-w-1').fill('40');
  await page.getByTestId('abc-cut-a').fill('40');
  await eventually(async () => assert.match(await page.getByTestId('abc-formula').innerText(), /收入占比 × 60% \+ 入住次数占比 × 40%/));
  const rows = page.getByTestId('abc-row');
  await eventually(async () => assert.deepEqual(await rows.getByTestId('ov-customer').allInnerTexts(), ['甲', '乙', '丙', '戊']));
  assert.deepEqual(await rows.getByTestId('abc-row-class').allInnerTexts(), ['A', 'B', 'C', 'C']);
  assert.deepEqual(await rows.getByTestId('abc-row-score').allInnerTexts(), ['49.19%', '34.32%', '16.49%', '0.00%']);
  // A bad cut-off is said, and nothing is ranked on it.
  await page.getByTestId('abc-cut-b').fill('70');
  await eventually(async () => assert.match(await page.getByTestId('abc-error').innerText(), /A 与 B 之和不超过 100%/));
  assert.equal(await page.getByTestId('abc-result').count(), 0);
  await page.getByTestId('abc-cut-b').fill('20');
  await page.getByTestId('abc-result').waitFor();
  await shots('abc-zh');
  // The ranked list exports whole: CSV as shown, Excel through the import/export worker.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('abc-csv').click()]);
  const text = await readFile(await csv.path(), 'utf8');
  assert.match(text.split('\r\n')[0], /排名,姓名,类别,收入,入住次数,得分,占比,累计占比/);
  assert.match(text.split('\r\n')[1], /^1,甲,A,"¥1,800.00",2,49.19%,49.19%,49.19%$/);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('abc-xlsx').click()]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  assert.equal((await readFile(await xlsx.path())).subarray(0, 2).toString(), 'PK', 'a workbook (zip)');

  // Applied as the customers' grades, C customers made potential ones through the mapping.
  await page.getByTestId('abc-apply-open').click();
  assert.match(await page.getByTestId('abc-apply-confirm').innerText(), /4 位客户.*A 1 位，B 1 位，C 2 位/);
  await page.getByTestId('abc-apply-classes').check();
  await page.getByTestId('abc-map-c').selectOption('3');
  await screenshot(page, 'overview-abc-apply');
  await page.getByTestId('abc-apply-go').click();
  await eventually(async () => assert.match(await page.getByTestId('abc-apply-status').innerText(), /已为 4 位客户写入/), 15_000);
  // The dashboard counts the A customer; writing grades did not make 乙's stale profile current.
  await page.getByTestId('ov-tab-dashboard').click();
  await eventually(async () => assert.deepEqual(await figure('acustomers'), ['1', null]));
  assert.deepEqual(await figure('accuracy'), ['50.0%', null]);
  // The list shows the grade and filters by it; the profile explains it.
  await page.getByTestId('nav-list').click();
  await page.getByTestId('filter-abc').selectOption('0');
  await eventually(async () => assert.deepEqual(await page.getByTestId('row-name').allInnerTexts(), ['甲']));
  await page.getByTestId('filter-abc').selectOption('2');
  await eventually(async () => assert.deepEqual((await page.getByTestId('row-name').allInnerTexts()).sort(), ['丙', '戊']));
  await page.getByTestId('filter-class').getByRole('button', { name: /潜在客户/ }).click();
  await eventually(async () => assert.equal(await page.getByTestId('row-name').count(), 2));
  await page.getByTestId('filter-class').getByRole('button').first().click();
  await page.getByTestId('filter-abc').selectOption('255');
  await page.getByTestId('row-name').filter({ hasText: '甲' }).click();
  assert.match(await page.getByTestId('profile-abc').innerText(), /A 类 · 排名 1 \/ 4 · 得分：收入占比 × 60% \+ 入住次数占比 × 40% · 本客户：收入 ¥1,800.00，入住次数 2/);
  await screenshot(page, 'overview-abc-profile');
  // Back on the screen, the step is still undoable: grades and classes as they were.
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('ov-tab-abc').click();
  await page.getByTestId('abc-apply-undo').click();
  await eventually(async () => assert.match(await page.getByTestId('abc-apply-status').innerText(), /已撤销：4 位客户/), 15_000);
  await page.getByTestId('nav-list').click();
  await page.getByTestId('filter-abc').selectOption('0');
  await eventually(async () => assert.equal(await page.getByTestId('row-name').count(), 0));
  await page.getByTestId('filter-abc').selectOption('255');
  await page.getByTestId('nav-overview').click();
});

test('reminders: the lunar birthday on its day, visits due, exactly the neglected customers, late complaints', async () => {
  await page.getByTestId('ov-tab-reminders').click();
  await page.getByTestId('rem-next-30').click();
  const days = page.getByTestId('rem-day');
  await eventually(async () => assert.equal(await days.count(), 2));
  // 甲's birthday (date of birth) in two days; 乙's lunar birthday ten days from today.
  assert.match(await days.nth(0).innerText(), new RegExp(`${inDays(2)}.*甲.*生日`, 's'));
  assert.match(await days.nth(1).innerText(), new RegExp(`${inDays(10)}.*乙.*生日 · 农历`, 's'));
  assert.match(await page.getByTestId('rem-visit').first().innerText(), new RegExp(`${inDays(7)}.*乙`, 's'));
  // Not visited in 90 days among important and main customers: 乙 (last visit 2026-08-01), and
  // 甲 once 90 days have passed since the relationship began.
  const neglected = ['甲', '乙'].filter((n) => daysSince(n === '甲' ? '2026-12-01' : '2026-08-01') > 90);
  const rows = page.getByTestId('rem-neglected-row');
  await eventually(async () => assert.deepEqual(await rows.getByTestId('ov-customer').allInnerTexts(), neglected));
  // Every class: the ordinary ones too, the longest gap first within a class.
  await page.getByTestId('rem-class-2').check();
  await eventually(async () => assert.deepEqual((await rows.getByTestId('ov-customer').allInnerTexts()).slice(-2), ['戊', '丙']));
  await page.getByTestId('rem-class-2').uncheck();
  await page.getByTestId('rem-days-input').fill('0');
  await eventually(async () => assert.match(await page.getByTestId('rem-neglected').innerText(), /1 到 3650/));
  await page.getByTestId('rem-days-input').fill('90');
  assert.match(await page.getByTestId('rem-complaint').innerText(), /乙.*2 小时/s);
  await shots('reminders-zh');
});

test('figures follow changes made elsewhere: a stay recorded in another tab', async () => {
  await page.getByTestId('ov-tab-dashboard').click();
  await customPeriod('dash-period', '2026-12-01', '2026-12-31');
  await eventually(async () => assert.deepEqual(await figure('revenue'), ['¥3,300.00', '¥400.00']));
  const other = await browser.context.newPage();
  try {
    await other.goto(server.url + '#/');
    await atDesk(other);
    await other.getByTestId('search').fill('戊');
    await other.getByTestId('search').press('Enter');
    await other.getByTestId('add-history').click();
    await other.getByTestId('h-kind-0').click();
    await other.getByTestId('h-date').fill('2026-12-02');
    await other.getByTestId('h-nights').fill('1');
    await other.getByTestId('h-amount').fill('700');
    await other.getByTestId('h-save').click();
    await other.getByTestId('history-item').first().waitFor();
  } finally {
    await other.close();
  }
  // The overview reads the archive again and the figures change, the period kept.
  await eventually(async () => assert.deepEqual(await figure('revenue'), ['¥4,000.00', '¥400.00']), 20_000);
  assert.deepEqual(await figure('activecustomers'), ['3', '1']);
});

test('every screen in English', async () => {
  await page.getByTestId('lang').click();
  for (const [tab, ready] of [['dashboard', 'dash-detail'], ['abc', 'abc-result'], ['reminders', 'rem-days'], ['quality', 'q-fix-first']]) {
    await page.getByTestId(`ov-tab-${tab}`).click();
    await page.getByTestId(ready).waitFor();
    await shots(`${tab}-en`);
  }
  await page.getByTestId('lang').click();
});
