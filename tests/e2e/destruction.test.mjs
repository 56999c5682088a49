// Destruction (issue 18) across three devices and a real dangan-server: an administrator applies on
// A, a different super administrator approves on B with the endpoint's administrator token, and the
// guest is gone from A, B, a device C that was offline meanwhile, and the endpoint's database; a
// backup taken before brings nothing back; a guest who owes money cannot be destroyed; the register
// prints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { debugServer, launch, screenshot, eventually, ROOT, failOnPageProblems, atDesk, addStaff, accessibilityProblems, ADMIN, synced, syncNowAt, switchTo, tempDir } from './harness.mjs';

failOnPageProblems();

const BIN = join(ROOT, 'target/debug/dangan-server');
const BOSS2 = { name: '钱总', pin: '731942' };
const GUEST = '欧阳锋';
const PHONE = '13987654321';
let dir, server, url, token, adminToken, a, b, c;

const startServer = () => debugServer(dir);

const syncNow = (page) => syncNowAt(page, url, 30_000);

/** A device set up for sync; the first sets the archive's super administrator up, the others join. */
async function device(first = false) {
  const browser = await launch();
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(url + '/#/settings');
  await page.getByTestId('sync-archive').fill('hotel-des');
  await page.getByTestId('sync-token').fill(token);
  await page.getByTestId('sync-save').click();
  if (first) {
    await synced(page, 30_000);
    await page.goto(url + '/#/');
  }
  await atDesk(page, ADMIN, { join: !first });
  await syncNow(page);
  return { ...browser, page };
}

/** The names the list finds for `query`, read once the list says it has searched for it. */
async function found(page, query) {
  await page.goto(url + '/#/');
  await page.getByTestId('search').fill(query);
  await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /条匹配/));
  return page.getByTestId('row-name').allInnerTexts();
}

async function endpointBytes() {
  let raw = Buffer.alloc(0);
  for (const f of ['sync.db', 'sync.db-wal']) raw = Buffer.concat([raw, await readFile(join(dir, f)).catch(() => Buffer.alloc(0))]);
  return raw;
}

async function newGuest(page, name, phone) {
  await page.goto(url + '/#/new');
  await page.getByTestId('f-name').fill(name);
  await page.getByTestId('f-phones.0').fill(phone);
  await page.getByTestId('save').click();
  await page.getByTestId('profile').waitFor();
}

before(async () => {
  dir = await tempDir('dangan-destruction-e2e-');
  const db = join(dir, 'sync.db');
  token = execFileSync(BIN, ['token', 'create', '--archive', 'hotel-des', '--db', db]).toString().trim();
  adminToken = execFileSync(BIN, ['token', 'create', '--archive', 'hotel-des', '--scope', 'admin', '--db', db]).toString().trim();
  server = await startServer();
  url = server.url;
  a = await device(true);
  b = await device();
  c = await device();
});

after(async () => {
  for (const d of [a, b, c]) await d?.context.close();
  server?.process.kill();
});

test('applied for on A, approved on B by another super administrator: the guest is gone on A, B, an offline C and the endpoint, and an older backup brings nothing back', async () => {
  await addStaff(a.page, { name: BOSS2.name, pin: BOSS2.pin, role: '超级管理员' });
  // Saved (its PIN derived) before the page is left and the round below sends it.
  await eventually(async () => assert.ok((await a.page.getByTestId('staff-row').allInnerTexts()).some((r) => r.includes(BOSS2.name))), 20_000);
  await newGuest(a.page, GUEST, PHONE);
  await syncNow(a.page);
  await syncNow(b.page);
  await syncNow(c.page);
  // C's list takes in what its round pulled right after the round: wait for it, not a fixed time.
  await eventually(async () => assert.deepEqual(await found(c.page, '欧阳'), [GUEST]), 10_000);

  // C goes offline and edits the guest there.
  await c.context.setOffline(true);
  await c.page.getByTestId('search').press('Enter');
  await c.page.getByTestId('edit').click();
  await c.page.getByTestId('f-notes').fill('欧阳锋 离店前改过');
  await c.page.getByTestId('save').click();
  await c.page.getByTestId('profile').waitFor();
  // …and writes a new note on the guest's timeline: a record the destruction will not name.
  const NOTE = '离店留言：C设备记下';
  await c.page.getByTestId('add-history').click();
  await c.page.getByTestId('h-kind-4').click();
  await c.page.getByTestId('h-text').fill(NOTE);
  await c.page.getByTestId('h-save').click();
  await c.page.getByTestId('history-item').first().waitFor();

  // A backup taken on A before the destruction.
  await a.page.goto(url + '/#/settings');
  const [d] = await Promise.all([a.page.waitForEvent('download'), a.page.getByTestId('backup-download').click()]);
  const backup = join(dir, d.suggestedFilename());
  await d.saveAs(backup);

  // A's super administrator applies, from the guest's retention line.
  await a.page.goto(url + '/#/');
  await a.page.getByTestId('search').fill('欧阳');
  await a.page.getByTestId('search').press('Enter');
  await a.page.getByTestId('apply-destroy').click();
  await a.page.getByTestId('des-apply').waitFor({ timeout: 30_000 });
  await eventually(async () => assert.match(await a.page.getByTestId('des-count').innerText(), /将销毁 1 条记录/));
  assert.match(await a.page.getByTestId('des-not-due').innerText(), /保管期限未到/);
  await a.page.getByTestId('des-apply-reason').fill('客人要求删除个人信息');
  await a.page.getByTestId('des-apply-confirm').click();
  await a.page.getByTestId('destruction').waitFor();
  await eventually(async () => assert.match(await a.page.getByTestId('des-wait').innerText(), /申请人以外的超级管理员/));
  assert.deepEqual(await accessibilityProblems(a.page), []);
  await syncNow(a.page);

  // On B a different super administrator approves with the endpoint's administrator token.
  await syncNow(b.page);
  await switchTo(b.page, BOSS2.name, BOSS2.pin);
  await b.page.goto(url + '/#/destruction');
  const app = b.page.getByTestId('des-app');
  await app.waitFor({ timeout: 30_000 });
  assert.match(await app.innerText(), new RegExp(`${GUEST}[\\s\\S]*值班经理[\\s\\S]*客人要求删除个人信息`));
  await eventually(async () => assert.match(await app.getByTestId('des-count').innerText(), /将销毁 1 条记录/));
  // Without the token the endpoint's copies could not be erased: refused in words.
  await app.getByTestId('des-approve').click();
  await b.page.getByTestId('confirm-yes').click();
  await eventually(async () => assert.match(await app.getByTestId('des-error').innerText(), /管理员令牌/));
  // A device token is refused by the endpoint.
  await app.getByTestId('des-token').fill(token);
  await app.getByTestId('des-approve').click();
  await b.page.getByTestId('confirm-yes').click();
  await eventually(async () => assert.match(await app.getByTestId('des-error').innerText(), /服务器没有接受这个令牌/));
  await screenshot(b.page, 'destruction-approve');
  await app.getByTestId('des-token').fill(adminToken);
  // Another tab of B saves a guest: this tab reads the applications again, and the token typed stays.
  const other = await b.context.newPage();
  await other.goto(url + '/#/');
  await atDesk(other, BOSS2);
  await newGuest(other, '简长老', '13800000004');
  await other.close();
  await b.page.waitForTimeout(1500);
  assert.equal(await app.getByTestId('des-token').inputValue(), adminToken);
  await app.getByTestId('des-approve').click();
  await b.page.getByTestId('confirm-yes').click();
  const year = new Date().getFullYear();
  await eventually(async () => assert.match(await b.page.getByTestId('des-reg-no').first().innerText(), new RegExp(`XH-${year}-0001`)), 30_000);
  const row = await b.page.getByTestId('des-reg-row').first().innerText();
  const now = new Date();
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  assert.match(row, new RegExp(`${day}[\\s\\S]*值班经理[\\s\\S]*钱总[\\s\\S]*客人要求删除个人信息[\\s\\S]*1`));
  assert.doesNotMatch(row, new RegExp(GUEST), 'the register names no guest');
  assert.deepEqual(await found(b.page, '欧阳'), []);
  assert.equal((await endpointBytes()).includes(Buffer.from(GUEST)), false, 'the endpoint keeps no byte of the name');
  assert.equal((await endpointBytes()).includes(Buffer.from(PHONE)), false, 'nor of the phone');
  await syncNow(b.page);

  // A follows at its next sync.
  await syncNow(a.page);
  assert.deepEqual(await found(a.page, '欧阳'), []);
  // C comes back: its edit made offline is refused by the endpoint, and the guest goes there too.
  await c.context.setOffline(false);
  await syncNow(c.page);
  assert.deepEqual(await found(c.page, '欧阳'), []);
  await syncNow(b.page);
  assert.deepEqual(await found(b.page, '欧阳'), [], 'C\'s late edit did not bring it back');
  assert.equal((await endpointBytes()).includes(Buffer.from(GUEST)), false, 'nor onto the endpoint');
  assert.equal((await endpointBytes()).includes(Buffer.from(NOTE)), false, 'C learnt of the destruction before it pushed: its new note never left');

  // The backup from before: restoring it on A brings nothing destroyed back, and says so in the log.
  await a.page.goto(url + '/#/settings');
  await a.page.getByTestId('backup-file').setInputFiles(backup);
  await a.page.getByTestId('backup-restore').click();
  await eventually(async () => assert.match(await a.page.getByTestId('backup-status').innerText(), /1 份已销毁的记录未恢复/));
  assert.deepEqual(await found(a.page, '欧阳'), []);
  await a.page.goto(url + '/#/log');
  await eventually(async () => assert.match(await a.page.getByTestId('log-page').innerText(), /拒收已销毁的记录/), 15_000);
  assert.match(await a.page.getByTestId('log-page').innerText(), /销毁档案/);
  // The events that named the guest stay, naming the register number instead.
  assert.ok((await a.page.getByTestId('log-profile').allInnerTexts()).some((x) => x === `已销毁（XH-${year}-0001）`));
  assert.doesNotMatch(await a.page.getByTestId('log-page').innerText(), new RegExp(GUEST));

  // The register prints: the register alone, without the pending applications or the menus.
  await a.page.goto(url + '/#/destruction');
  await a.page.getByTestId('des-reg-row').first().waitFor();
  await a.page.emulateMedia({ media: 'print' });
  assert.equal(await a.page.getByTestId('des-pending').isVisible(), false);
  assert.equal(await a.page.locator('.topbar').isVisible(), false);
  assert.ok(await a.page.getByTestId('des-register').isVisible());
  await screenshot(a.page, 'destruction-register-print');
  await a.page.emulateMedia({ media: 'screen' });
});

test('a guest who owes money cannot be destroyed: the application says why and offers no submit', async () => {
  await newGuest(a.page, '黄药师', '13800000001');
  await a.page.getByTestId('open-account').click();
  await a.page.getByTestId('acct-entry').waitFor({ timeout: 30_000 });
  await a.page.getByTestId('e-kind').selectOption({ label: '销售/发票' });
  await a.page.getByTestId('e-amount').fill('800');
  await a.page.getByTestId('e-doc').fill('INV-9');
  await a.page.getByTestId('e-save').click();
  await eventually(async () => assert.match(await a.page.getByTestId('acct-balance').innerText(), /¥800\.00/), 10_000);
  await a.page.getByTestId('acct-back').click();
  await a.page.getByTestId('apply-destroy').click();
  await eventually(async () => assert.match(await a.page.getByTestId('des-blocked').innerText(), /账款未结清，不能销毁/), 30_000);
  assert.match(await a.page.getByTestId('des-apply-blocked').innerText(), /不能提交申请：请先结清账款/);
  assert.equal(await a.page.getByTestId('des-apply-confirm').count(), 0);
  await screenshot(a.page, 'destruction-refused-open-balance');
});

test('an administrator sets a hold with a reason: the profile is kept permanently and cannot be destroyed until the hold is lifted', async () => {
  await newGuest(a.page, '洪七公', '13800000002');
  await a.page.getByTestId('hold-set').click();
  await a.page.getByTestId('hold-kind').selectOption({ label: '纠纷' });
  // A reason must say something.
  await a.page.getByTestId('hold-set-reason').fill('纠纷');
  await a.page.getByTestId('hold-set-confirm').click();
  await eventually(async () => assert.notEqual((await a.page.getByTestId('hold-set-error').innerText()).trim(), ''));
  await a.page.getByTestId('hold-set-reason').fill('房价争议，客人投诉至消协');
  await a.page.getByTestId('hold-set-confirm').click();
  await eventually(async () => assert.equal(await a.page.getByTestId('retention').innerText(), '保管期限：永久保留：纠纷'));
  assert.match(await a.page.getByTestId('hold').innerText(), /纠纷：房价争议，客人投诉至消协（值班经理 设置）/);
  await screenshot(a.page, 'profile-hold');
  assert.deepEqual(await accessibilityProblems(a.page), []);
  await a.page.getByTestId('apply-destroy').click();
  await eventually(async () => assert.match(await a.page.getByTestId('des-blocked').innerText(), /永久保留（纠纷），不能销毁/), 30_000);
  assert.equal(await a.page.getByTestId('des-apply-confirm').count(), 0);

  await a.page.goBack();
  await a.page.getByTestId('hold-lift').click();
  await a.page.getByTestId('hold-lift-reason').fill('消协调解结案');
  // Another tab of the desk saves a guest: this tab reads its records again, and the reason being
  // typed stays.
  const other = await a.context.newPage();
  await other.goto(url + '/#/');
  await atDesk(other);
  await newGuest(other, '鲁有脚', '13800000003');
  await other.close();
  await a.page.waitForTimeout(1500);
  assert.equal(await a.page.getByTestId('hold-lift-reason').inputValue(), '消协调解结案');
  await a.page.getByTestId('hold-lift-confirm').click();
  await eventually(async () => assert.match(await a.page.getByTestId('retention').innerText(), /^保管期限：保留至 \d{4}-\d{2}-\d{2}$/));
  assert.equal(await a.page.getByTestId('hold').count(), 0);
  await a.page.getByTestId('apply-destroy').click();
  await a.page.getByTestId('des-apply-confirm').waitFor({ timeout: 30_000 });
});

test('the super administrator sets how long records are kept: a bad number is refused in words, five years shows on every profile', async () => {
  await a.page.goto(url + '/#/settings');
  await a.page.getByTestId('policy-card').waitFor();
  await a.page.getByTestId('policy-ret-years').fill('0');
  await a.page.getByTestId('policy-save').click();
  await eventually(async () => assert.match(await a.page.getByTestId('policy-error').innerText(), /保管年限为 1 到 30 年/));
  await a.page.getByTestId('policy-ret-years').fill('5');
  await a.page.getByTestId('policy-save').click();
  await eventually(async () => assert.equal(await a.page.getByTestId('policy-error').count(), 0));
  await a.page.goto(url + '/#/');
  await a.page.getByTestId('search').fill('洪七公');
  await a.page.getByTestId('search').press('Enter');
  const now = new Date();
  const in5 = `${now.getFullYear() + 5}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  await eventually(async () => assert.equal(await a.page.getByTestId('retention').innerText(), `保管期限：保留至 ${in5}`), 15_000);
});

test('the review lists who is due and why; an administrator keeps one with a reason, marks another trade suspended, and records the review with its counts', async () => {
  // Two guests with the same phone: a duplicate is suspected.
  await newGuest(a.page, '周伯通', '13911110000');
  await a.page.goto(url + '/#/new');
  await a.page.getByTestId('f-name').fill('周伯通(老顽童)');
  await a.page.getByTestId('f-phones.0').fill('139 1111 0000');
  await a.page.getByTestId('save').click();
  // The form warns of the duplicate; the clerk creates it anyway (the review finds it later).
  await a.page.getByTestId('dupe-create').click();
  await a.page.getByTestId('profile').waitFor();
  await a.page.getByTestId('nav-review').click();
  await a.page.getByTestId('review').waitFor();
  const rows = a.page.getByTestId('rev-row');
  await rows.first().waitFor({ timeout: 30_000 });
  assert.match(await a.page.getByTestId('review').locator('h1').innerText(), /档案复核 · \d{4} 年 (2|8) 月复核/);
  const row = (name) => rows.filter({ has: a.page.getByTestId('rev-name').getByText(name, { exact: true }) });
  assert.match(await row('周伯通').getByTestId('rev-why').innerText(), /档案不完整[\s\S]*疑似重复/);
  assert.match(await a.page.getByTestId('rev-counts').innerText(), /本期待复核 \d+ 份/);
  await screenshot(a.page, 'review');
  assert.deepEqual(await accessibilityProblems(a.page), []);

  // Keep one with a reason: it leaves this review's list.
  await row('洪七公').getByTestId('rev-keep').click();
  await row('洪七公').getByTestId('rev-keep-reason').fill('老客户，资料下次入住时补齐');
  await row('洪七公').getByTestId('rev-keep-confirm').click();
  await eventually(async () => assert.equal(await row('洪七公').count(), 0), 15_000);
  // Mark another trade suspended: its profile says so.
  await row('周伯通(老顽童)').getByTestId('rev-suspend').click();
  await eventually(async () => assert.equal(await row('周伯通(老顽童)').getByTestId('rev-standing').innerText(), '停止往来'), 15_000);
  assert.equal(await row('周伯通(老顽童)').getByTestId('rev-suspend').count(), 0);
  // The review recorded as done, with its counts.
  await a.page.getByTestId('rev-record').click();
  await a.page.getByTestId('rev-record-reason').fill('2026 年下半年复核，已逐份处理');
  await a.page.getByTestId('rev-record-confirm').click();
  await eventually(async () => assert.match(await a.page.getByTestId('rev-done-row').first().innerText(), /复核：\d{4}-\d{2}-\d{2} 由 值班经理 完成，当时待复核 \d+ 份/), 15_000);
  await a.page.goto(url + '/#/');
  await a.page.getByTestId('search').fill('老顽童');
  await a.page.getByTestId('search').press('Enter');
  await eventually(async () => assert.equal(await a.page.getByTestId('standing').innerText(), '停止往来'));
});

test('merging duplicates: A keeps one and picks values, the other\'s stay moves with it; B, offline meanwhile, edited the other, and its edit lands on the kept one', async () => {
  await newGuest(a.page, '段誉', '13700000001');
  await a.page.goto(url + '/#/new');
  await a.page.getByTestId('f-name').fill('段誉(大理)');
  await a.page.getByTestId('f-phones.0').fill('13700000001');
  await a.page.getByTestId('f-address').fill('云南大理');
  await a.page.getByTestId('save').click();
  await a.page.getByTestId('dupe-create').click();
  await a.page.getByTestId('profile').waitFor();
  await a.page.getByTestId('add-history').click();
  await a.page.getByTestId('h-kind-0').click();
  await a.page.getByTestId('h-date').fill('2026-10-01');
  await a.page.getByTestId('h-nights').fill('2');
  await a.page.getByTestId('h-save').click();
  await a.page.getByTestId('history-item').first().waitFor();
  await syncNow(a.page);
  await syncNow(b.page);

  // B goes offline and notes something on the duplicate.
  await b.context.setOffline(true);
  await b.page.goto(url + '/#/');
  await b.page.getByTestId('search').fill('段誉(大理)');
  await b.page.getByTestId('search').press('Enter');
  await b.page.getByTestId('edit').click();
  await b.page.getByTestId('f-notes').fill('喜欢茶花');
  await b.page.getByTestId('save').click();
  await b.page.getByTestId('profile').waitFor();

  // A merges the duplicate into 段誉, taking its address.
  await a.page.goto(url + '/#/');
  await a.page.getByTestId('search').fill('段誉');
  await eventually(async () => assert.equal((await a.page.getByTestId('row-name').allInnerTexts()).length, 2));
  await a.page.getByTestId('row-name').getByText('段誉', { exact: true }).click();
  await a.page.getByTestId('merge-link').click();
  await a.page.getByTestId('mrg-q').waitFor({ timeout: 30_000 });
  await a.page.getByTestId('mrg-q').fill('大理');
  await a.page.getByTestId('mrg-hit').first().click();
  let address = a.page.locator('[data-testid="mrg-row"][data-field="address"]');
  await address.waitFor();
  // The other could be kept instead: the screen swaps the two, and back.
  await a.page.getByTestId('mrg-swap').click();
  await eventually(async () => assert.match(await a.page.getByTestId('mrg-find').innerText(), /保留“段誉\(大理\)”这份档案/));
  await eventually(async () => assert.match(await a.page.getByTestId('mrg-picks').innerText(), /与“段誉”不同的内容/));
  await a.page.getByTestId('mrg-swap').click();
  await eventually(async () => assert.match(await a.page.getByTestId('mrg-find').innerText(), /保留“段誉”这份档案/));
  address = a.page.locator('[data-testid="mrg-row"][data-field="address"]');
  await address.waitFor();
  assert.ok(await address.getByTestId('mrg-take').isChecked(), 'a value only the other has is taken by default');
  const name = a.page.locator('[data-testid="mrg-row"][data-field="name"]');
  assert.ok(await name.getByTestId('mrg-keep').isChecked());
  await screenshot(a.page, 'merge');
  assert.deepEqual(await accessibilityProblems(a.page), []);
  await a.page.getByTestId('mrg-go').click();
  await a.page.getByTestId('confirm-yes').click();
  await a.page.getByTestId('profile').waitFor({ timeout: 30_000 });
  assert.equal(await a.page.getByTestId('profile-name').innerText(), '段誉');
  await eventually(async () => assert.match(await a.page.getByTestId('profile').innerText(), /云南大理/));
  await eventually(async () => assert.equal(await a.page.getByTestId('history-item').count(), 1), 15_000);
  assert.deepEqual(await found(a.page, '段誉'), ['段誉'], 'the duplicate is gone from the list');
  await syncNow(a.page);

  // B comes back: the merge reaches it and its note lands on the kept profile, there and on A.
  await b.context.setOffline(false);
  await syncNow(b.page);
  await syncNow(b.page);
  assert.deepEqual(await found(b.page, '段誉'), ['段誉']);
  await b.page.getByTestId('search').press('Enter');
  await eventually(async () => assert.match(await b.page.getByTestId('profile').innerText(), /喜欢茶花[\s\S]*/), 15_000);
  assert.match(await b.page.getByTestId('profile').innerText(), /云南大理/);
  await syncNow(a.page);
  await a.page.goto(url + '/#/');
  await a.page.getByTestId('search').fill('段誉');
  await a.page.getByTestId('search').press('Enter');
  await eventually(async () => assert.match(await a.page.getByTestId('profile').innerText(), /喜欢茶花/), 15_000);
});
