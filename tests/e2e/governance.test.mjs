// Staff and sign-in (issue 15): the first start sets up the archive's super administrator with a
// recovery code; the idle lock keeps the screen and a half-filled form; five wrong PINs lock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, screenshot, eventually, failOnPageProblems, accessibilityProblems, atDesk, addStaff, ADMIN, storedInClear } from './harness.mjs';

failOnPageProblems();

let server, browser, page, recoveryCode;

/** The clerk asks (`testid`: which flow) with `reason`; the administrator approves on this tablet. */
async function askAndApproveHere(testid, reason) {
  await page.getByTestId(`${testid}-ask`).click();
  await page.getByTestId(`${testid}-req-reason`).fill(reason);
  await page.getByTestId(`${testid}-req-confirm`).click();
  await eventually(async () => assert.match(await page.getByTestId(`${testid}-req-state`).innerText(), /等待管理员审批/));
  await page.getByTestId(`${testid}-approve-here`).click();
  await page.getByTestId(`${testid}-approver-pin`).fill(ADMIN.pin);
  await page.getByTestId(`${testid}-approve-go`).click();
}

/** Another tab of this app tells that it wrote (the page then reads its archive again, as after a
 * pulled page), and the page has had a moment to do so. */
async function otherTabWrote() {
  await page.evaluate(() => new BroadcastChannel('dangan-archive').postMessage('changed'));
  await page.waitForTimeout(1500);
}

before(async () => {
  server = await serve(process.env.DIST ?? 'dist');
  browser = await launch();
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  // The page's clock can be moved ahead (the idle lock), everything else untouched.
  await page.addInitScript(() => {
    const real = Date.now.bind(Date);
    window.__ahead = 0;
    Date.now = () => real() + window.__ahead;
  });
  await page.goto(server.url);
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

test('the first start asks for a super administrator; a weak or mistyped PIN is refused; the recovery code shows once', async () => {
  await page.getByTestId('setup').waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'setup');
  await page.getByTestId('setup-name').fill(ADMIN.name);
  await page.getByTestId('setup-pin').fill('123456');
  await page.getByTestId('setup-pin-again').fill('123456');
  await page.getByTestId('setup-go').click();
  await eventually(async () => assert.match(await page.getByTestId('setup-error').innerText(), /太容易猜到/));
  await page.getByTestId('setup-pin').fill(ADMIN.pin);
  await page.getByTestId('setup-pin-again').fill('204817');
  await page.getByTestId('setup-go').click();
  await eventually(async () => assert.match(await page.getByTestId('setup-error').innerText(), /不一致/));
  assert.equal(await page.getByTestId('setup-name').inputValue(), ADMIN.name, 'nothing typed is lost');
  // Records arrive meanwhile (another tab wrote; a sync round pulls alike): the app reads the
  // governance again, and the form keeps what was typed.
  await otherTabWrote();
  assert.equal(await page.getByTestId('setup-name').inputValue(), ADMIN.name, 'kept when records arrive');
  assert.equal(await page.getByTestId('setup-pin').inputValue(), ADMIN.pin);
  await page.getByTestId('setup-pin-again').fill(ADMIN.pin);
  await page.getByTestId('setup-go').click();
  const code = await page.getByTestId('recovery-code').innerText({ timeout: 30_000 });
  // The archive is set up now, but the code stays until it is noted, whatever arrives.
  await otherTabWrote();
  assert.equal(await page.getByTestId('recovery-code').innerText(), code, 'the recovery code stays');
  recoveryCode = code;
  assert.match(code, /^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/);
  await screenshot(page, 'recovery-code');
  await page.getByTestId('recovery-done').click();
  await page.getByTestId('list-page').waitFor();
  assert.equal(await page.getByTestId('staff-name').innerText(), ADMIN.name);
  // Nothing of the PIN is kept where a page can read it.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(ADMIN.pin), 'no PIN in local or session storage');
});

test('the idle lock covers the desk and keeps a half-filled form; the PIN brings it back as it was', async () => {
  await page.getByTestId('nav-new').click();
  await page.getByTestId('f-name').fill('半路客人');
  await page.getByTestId('f-phones.0').fill('13900001111');
  // Ten minutes without a touch.
  await page.evaluate(() => { window.__ahead += 11 * 60_000; });
  await page.getByTestId('lock').waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId('sign-in-who').innerText().then((s) => s.includes(ADMIN.name)), true);
  assert.equal(await page.locator('.app-frame').getAttribute('inert'), '', 'the desk under the lock is inert');
  assert.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'locked');
  await page.getByTestId('pin').fill(ADMIN.pin);
  await page.getByTestId('sign-in-go').click();
  await page.getByTestId('lock').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('f-name').inputValue(), '半路客人');
  assert.equal(await page.getByTestId('f-phones.0').inputValue(), '13900001111');
  await page.getByTestId('save').click();
  await page.getByTestId('profile').waitFor();
  assert.match(await page.getByTestId('profile').innerText(), new RegExp(`${ADMIN.name}`), 'the profile names who created it');
});

test('five wrong PINs lock the name for five minutes, even against the right PIN', async () => {
  await page.getByTestId('staff-lock').click();
  await page.getByTestId('lock').waitFor();
  for (let left = 4; left >= 1; left--) {
    await page.getByTestId('pin').fill('111111');
    await page.getByTestId('sign-in-go').click();
    await eventually(async () => assert.match(await page.getByTestId('pin-error').innerText(), new RegExp(`剩余尝试次数：${left}`)));
  }
  await page.getByTestId('pin').fill('111111');
  await page.getByTestId('sign-in-go').click();
  await eventually(async () => assert.match(await page.getByTestId('pin-error').innerText(), /已锁定/));
  await page.getByTestId('pin').fill(ADMIN.pin);
  await page.getByTestId('sign-in-go').click();
  await eventually(async () => assert.match(await page.getByTestId('pin-error').innerText(), /已锁定/));
  await screenshot(page, 'locked-out');
  // Five minutes later the right PIN opens.
  await page.evaluate(() => { window.__ahead += 5 * 60_000 + 1000; });
  await page.getByTestId('pin').fill(ADMIN.pin);
  await page.getByTestId('sign-in-go').click();
  await page.getByTestId('lock').waitFor({ state: 'detached' });
  // A reload asks again (the keys live only in memory), and the same PIN opens.
  await page.reload();
  await page.getByTestId('sign-in').waitFor();
  await atDesk(page);
});

test('the super administrator adds a clerk; switching the clerk on duty is two taps and a PIN; the clerk manages no staff', async () => {
  await addStaff(page, { name: '王芳', pin: '580213' });
  await eventually(async () => assert.deepEqual(await page.getByTestId('staff-row').allInnerTexts().then((r) => r.map((x) => x.split('\t')[0].trim()).sort()), ['值班经理', '王芳'].sort()), 20_000);
  assert.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'staff-card');
  // The last super administrator cannot be made an ordinary user.
  await page.getByTestId(`staff-edit-${ADMIN.name}`).click();
  await page.getByTestId('staff-f-role').selectOption({ label: '普通用户' });
  await page.getByTestId('staff-f-pin').fill('661204');
  await page.getByTestId('staff-f-pin-again').fill('661204');
  await page.getByTestId('staff-save').click();
  await eventually(async () => assert.match(await page.getByTestId('staff-error').innerText(), /至少要有一位在职的超级管理员/));

  // Switch: the names show, a tap on one, the PIN.
  await page.getByTestId('staff-switch').click();
  await page.getByTestId('who-王芳').click();
  await page.getByTestId('pin').fill('580213');
  await page.getByTestId('sign-in-go').click();
  await page.getByTestId('lock').waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(await page.getByTestId('staff-name').first().innerText(), '王芳'));
  assert.equal(await page.getByTestId('staff-card').count(), 0, 'an ordinary user sees no staff card');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('f-name').fill('王芳的客人');
  await page.getByTestId('save').click();
  await page.getByTestId('profile').waitFor();
  assert.match(await page.getByTestId('profile').innerText(), /建档: 王芳/);
});

test('a clerk writes and finds an ID number but sees it masked everywhere; no store holds it in clear', async () => {
  const ID = '44030519850612303X';
  await page.getByTestId('nav-new').click();
  await page.getByTestId('f-name').fill('林小雨');
  await page.getByTestId('f-phones.0').fill('13922223333');
  await page.getByTestId('f-id_doc').fill(ID);
  await page.getByTestId('save').click();
  await page.getByTestId('profile').waitFor();
  assert.equal(await page.getByTestId('id-number').innerText(), '**************303X');
  assert.equal(await page.getByTestId('id-number-show').count(), 0, 'an ordinary user has no Show');
  assert.equal(await page.getByTestId('looked').count(), 0, 'nor the list of who looked');
  await screenshot(page, 'profile-clerk-masked');
  // The print form carries it masked; the list printed masks the phones too.
  await page.getByTestId('print').click();
  await page.getByTestId('print-form').waitFor();
  const form = await page.getByTestId('print-form').innerText();
  assert.match(form, /\*{14}303X/);
  assert.ok(!form.includes('440305198506'), 'no ID number in clear on the print form');
  await page.getByTestId('print-back').click();
  await page.getByTestId('profile').waitFor();
  await page.getByTestId('nav-list').click();
  await page.getByTestId('print-list-link').click();
  await page.getByTestId('print-list').waitFor();
  const list = await page.getByTestId('print-list').innerText();
  assert.match(list, /林小雨/);
  assert.ok(!list.includes('13922223333'), 'the printed list masks phones');
  await page.getByTestId('print-back').click();
  // Found by the whole number and by its last four.
  await page.getByTestId('search').fill(ID.toLowerCase());
  await eventually(async () => assert.deepEqual(await page.getByTestId('row-name').allInnerTexts(), ['林小雨']));
  await page.getByTestId('search').fill('303x');
  await eventually(async () => assert.deepEqual(await page.getByTestId('row-name').allInnerTexts(), ['林小雨']));
  // The CSV export carries it masked.
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = await readFile(await d.path(), 'utf8');
  assert.match(csv, /\*{14}303X/);
  assert.ok(!csv.includes('440305198506'), 'no ID number in clear in the export');
  assert.ok(!csv.includes('13922223333'), 'an ordinary user\'s export masks phones');
  // A full export is asked for with a reason; once approved the phones are there, the ID number
  // still masked (no file carries one).
  await askAndApproveHere('export-full', '给销售部做年度回访名单');
  await eventually(async () => assert.match(await page.getByTestId('export-full').innerText(), /已批准完整导出/));
  await screenshot(page, 'export-full-approved');
  const [full] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const fullCsv = await readFile(await full.path(), 'utf8');
  assert.ok(fullCsv.includes('13922223333'), 'the approved export carries the phones');
  assert.match(fullCsv, /\*{14}303X/);
  assert.ok(!fullCsv.includes('440305198506'), 'and still no ID number in clear');
  // The duplicate warning still knows the number.
  await page.getByTestId('search').fill('');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('f-name').fill('林晓雨');
  await page.getByTestId('f-id_doc').fill(ID);
  await page.getByTestId('save').click();
  await eventually(async () => assert.match(await page.getByTestId('dupes').innerText(), /林小雨.*证件号相同/s));
  await page.getByTestId('cancel').click();
  // Nothing in IndexedDB (profiles, change log, merge states, snapshot, journal) or in local
  // storage holds the number: the digits of its first twelve, in any store.
  assert.deepEqual(await storedInClear(page, ['440305198506', '4403051985']), []);
});

test('the clerk asks to see the number with a reason; an administrator approves with a PIN on the same tablet; it shows, and hides when the approval ends', async () => {
  await page.getByTestId('search').fill('林小雨');
  await page.getByTestId('search').press('Enter');
  await page.getByTestId('profile').waitFor();
  await page.getByTestId('id-number-ask').click();
  await page.getByTestId('id-number-req-confirm').click();
  await eventually(async () => assert.match(await page.getByTestId('id-number-req-error').innerText(), /请写明理由/));
  await page.getByTestId('id-number-req-reason').fill('客人要求核对证件');
  await page.getByTestId('id-number-req-confirm').click();
  await eventually(async () => assert.match(await page.getByTestId('id-number-req-state').innerText(), /等待管理员审批/));
  assert.equal(await page.getByTestId('id-number').innerText(), '**************303X');
  await page.getByTestId('id-number-approve-here').click();
  await page.getByTestId('id-number-approver-pin').fill(ADMIN.pin);
  await screenshot(page, 'request-approve-here');
  await page.getByTestId('id-number-approve-go').click();
  await eventually(async () => assert.equal(await page.getByTestId('id-number').innerText(), '44030519850612303X'));
  assert.match(await page.getByTestId('id-number-req-state').innerText(), /已批准，有效至 \d\d:\d\d/);
  assert.equal(await page.getByTestId('staff-name').first().innerText(), '王芳', 'the clerk is still the one signed in');
  assert.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'request-approved');
  // A day later the approval (24 hours by default) has ended: the number is masked again.
  await page.evaluate(() => { window.__ahead += 25 * 3600 * 1000; });
  await eventually(async () => assert.equal(await page.getByTestId('id-number').innerText(), '**************303X'), 15_000);
  assert.match(await page.getByTestId('id-number-req-state').innerText(), /授权已过期/);
  await page.evaluate(() => { window.__ahead -= 25 * 3600 * 1000; });
  // The day's jump may have locked the tablet (idle): the clerk signs in again.
  if (await page.getByTestId('lock').isVisible()) {
    await page.getByTestId('pin').fill('580213');
    await page.getByTestId('sign-in-go').click();
    await page.getByTestId('lock').waitFor({ state: 'detached' });
  }
  // A print of the full form is asked for the same way: masked until an administrator approves.
  await page.getByTestId('print').click();
  await page.getByTestId('print-form').waitFor();
  assert.match(await page.getByTestId('print-form').innerText(), /\*{14}303X/);
  await askAndApproveHere('print-full', '客人办理签证需要完整登记表');
  await eventually(async () => assert.match(await page.getByTestId('print-form').innerText(), /44030519850612303X/));
  assert.match(await page.getByTestId('print-full').innerText(), /已批准完整打印/);
  assert.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'print-full-approved');
  await page.getByTestId('print-back').click();
  await page.getByTestId('profile').waitFor();
  // The clerk finds every request of theirs and where it stands in the settings.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('my-request').first().waitFor();
  const mine = await page.getByTestId('my-request').allInnerTexts();
  assert.equal(mine.length, 3, mine.join('\n'));
  assert.ok(mine.some((r) => /林小雨\s+证件号码\s+客人要求核对证件\s+已批准/.test(r)), mine.join('\n'));
  assert.ok(mine.some((r) => /林小雨\s+完整打印档案表\s+客人办理签证需要完整登记表\s+已批准/.test(r)), mine.join('\n'));
  assert.ok(mine.some((r) => /完整导出（个人信息）\s+给销售部做年度回访名单\s+已批准/.test(r)), mine.join('\n'));
  assert.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'my-requests');
});


test('the access log lists each step with counts per day and staff, exports CSV, and reports an event edited in IndexedDB', async () => {
  // An ordinary user has no log.
  assert.equal(await page.getByTestId('nav-log').count(), 0);
  await page.getByTestId('staff-switch').click();
  await page.getByTestId(`who-${ADMIN.name}`).click();
  await page.getByTestId('pin').fill(ADMIN.pin);
  await page.getByTestId('sign-in-go').click();
  await page.getByTestId('lock').waitFor({ state: 'detached' });
  await page.getByTestId('nav-log').click();
  await page.getByTestId('log-page').waitFor();
  await eventually(async () => assert.match(await page.getByTestId('log-integrity').innerText(), /^访问日志完整性：已验证 \d+ 条$/), 20_000);
  const what = async () => (await page.locator('[data-testid=log-row] td:nth-child(3)').allInnerTexts());
  for (const kind of ['登录', '退出', 'PIN 错误', '锁定', '员工变更', '查看档案', '查阅申请', '批准', '导出']) {
    assert.ok((await what()).includes(kind), `${kind} is in the log: ${(await what()).join(',')}`);
  }
  // The clerk's step: 王芳 opened the profile she created.
  const rows = await page.getByTestId('log-row').allInnerTexts();
  assert.ok(rows.some((r) => /王芳 · 普通用户\s+查看档案\s+王芳的客人/.test(r)), rows.slice(0, 5).join('\n'));
  // A sign-out names who signed out (taken when they did, though the log's code may come later).
  assert.ok(rows.some((r) => /· (普通用户|部门管理员|超级管理员)\s+退出/.test(r)), rows.filter((r) => r.includes('退出')).join('\n'));
  // The request names the field as staff know it, with the reason given.
  assert.ok(rows.some((r) => /查阅申请\s+林小雨\s+客人要求核对证件 · 证件号码/.test(r)), rows.filter((r) => r.includes('查阅申请')).join('\n'));
  // Counts: per day (every event on one day, or two when the page's clock, moved ahead by the
  // idle-lock tests, passed midnight) and per staff member.
  const total = Number(await page.getByTestId('log-count').innerText());
  const perDay = (await page.getByTestId('log-period-row').allInnerTexts()).map((r) => Number(r.trim().split(/\s+/).pop()));
  assert.equal(perDay.reduce((a, n) => a + n, 0), total, perDay.join(' + '));
  assert.ok(perDay.length <= 2, `${perDay.length} days`);
  assert.equal((await page.getByTestId('log-staff-row').allInnerTexts()).length, 2);
  // Filtered to wrong PINs: the five.
  await page.getByTestId('log-kind').selectOption({ label: 'PIN 错误' });
  await eventually(async () => assert.equal(await page.getByTestId('log-count').innerText(), '5'));
  assert.deepEqual(await accessibilityProblems(page), []);
  await screenshot(page, 'access-log');
  // The CSV export downloads the filtered events, and is itself logged.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-export').click()]);
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  assert.equal(csv.replace(/^\uFEFF/, '').trim().split('\r\n').length, 6, csv);
  await page.getByTestId('log-kind').selectOption({ label: '全部' });
  await page.getByTestId('log-reload').click();
  await eventually(async () => assert.ok((await what()).includes('导出访问日志')));

  // Someone edits an event in IndexedDB (a wrong PIN made to look like a sign-in).
  await page.evaluate(() => new Promise((done, fail) => {
    const open = indexedDB.open('dangan');
    open.onerror = fail;
    open.onsuccess = () => {
      const tx = open.result.transaction('events', 'readwrite');
      const store = tx.objectStore('events');
      const all = store.openCursor();
      all.onsuccess = () => {
        const c = all.result;
        if (!c) return;
        const e = JSON.parse(new TextDecoder().decode(c.value));
        if (e.kind === 'pin_wrong') {
          e.kind = 'sign_in';
          c.update(new TextEncoder().encode(JSON.stringify(e)));
          return;
        }
        c.continue();
      };
      tx.oncomplete = () => { open.result.close(); done(); };
      tx.onerror = fail;
    };
  }));
  await page.getByTestId('log-reload').click();
  await eventually(async () => assert.match(await page.getByTestId('log-integrity').innerText(), /访问日志完整性警报：.* #\d+ 被修改/));
  assert.equal(await page.getByTestId('log-integrity').getAttribute('role'), 'alert');
  await screenshot(page, 'access-log-tampered');
});

test('the super administrator sets the idle lock: a bad value is refused in words, a shorter one locks sooner', async () => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('policy-card').waitFor();
  assert.equal(await page.getByTestId('policy-idle').inputValue(), '10');
  await page.getByTestId('policy-idle').fill('0');
  await page.getByTestId('policy-save').click();
  await eventually(async () => assert.match(await page.getByTestId('policy-error').innerText(), /1 到 120 分钟/));
  await page.getByTestId('policy-idle').fill('2');
  // Fields move between classes (the two sealed ones are not offered).
  assert.equal(await page.getByTestId('policy-class-id_doc.number').count(), 0);
  assert.equal(await page.getByTestId('policy-class-email').inputValue(), 'personal');
  await page.getByTestId('policy-class-email').selectOption('sensitive');
  await screenshot(page, 'policy-card');
  await page.getByTestId('policy-save').click();
  await eventually(async () => assert.equal(await page.getByTestId('policy-error').count(), 0));
  await page.getByTestId('nav-list').click();
  await page.getByTestId('nav-settings').click();
  await eventually(async () => assert.equal(await page.getByTestId('policy-class-email').inputValue(), 'sensitive'));
  await page.getByTestId('nav-list').click();
  await page.evaluate(() => { window.__ahead += 2 * 60_000 + 5_000; });
  await page.getByTestId('lock').waitFor({ timeout: 15_000 });
  await page.getByTestId('pin').fill(ADMIN.pin);
  await page.getByTestId('sign-in-go').click();
  await page.getByTestId('lock').waitFor({ state: 'detached' });
});

test('a forgotten PIN: the recovery code sets a new one; a wrong code is refused in words', async () => {
  await page.getByTestId('staff-lock').click();
  await page.getByTestId('recover-link').click();
  await page.getByTestId('recover-code').fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
  await page.getByTestId('recover-pin').fill('615243');
  await page.getByTestId('recover-pin-again').fill('615243');
  await page.getByTestId('recover-go').click();
  await eventually(async () => assert.match(await page.getByTestId('recover-error').innerText(), /恢复码不对/), 20_000);
  assert.deepEqual(await accessibilityProblems(page), []);
  // As read from paper: lower case, spaces for dashes.
  await page.getByTestId('recover-code').fill(recoveryCode.toLowerCase().replaceAll('-', ' '));
  await page.getByTestId('recover-go').click();
  await page.getByTestId('lock').waitFor({ state: 'detached', timeout: 30_000 });
  await page.reload();
  await atDesk(page, { ...ADMIN, pin: '615243' });
});
