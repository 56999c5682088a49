// Tablet and desktop layouts, storage durability and a full disk, in real headless Chromium against
// the release build. The archive holds 300 generated profiles (seeded through the storage API by
// the benchmark page on the same origin).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serve, launch, screenshot, eventually, countProfiles, accessibilityProblems, ROOT, failOnPageProblems, atDesk, printedPages } from './harness.mjs';

failOnPageProblems();

const PORTRAIT = { width: 768, height: 1024 };
const DESKTOP = { width: 1366, height: 768 };
let server, browser, page;

before(async () => {
  server = await serve(process.env.DIST ?? 'dist', 0, { mounts: { '/bench/': 'dist-bench' } });
  browser = await launch({ viewport: PORTRAIT });
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(server.url + 'bench/');
  await page.waitForFunction(() => window.wasmBindings !== undefined);
  await page.evaluate(() => window.wasmBindings.seed_archive('dangan', 300, false));
  await page.goto(server.url);
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
});

after(async () => {
  await browser?.context.close();
  await server?.close();
});

/** Visible controls smaller than 44×44 CSS px (a checkbox counts by its label). */
const smallTargets = (p = page) => p.evaluate(() => {
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, [role=button]')) {
    // Check boxes, radios and hidden file inputs are tapped through their label.
    const target = el.matches('input[type=checkbox], input[type=radio], input[type=file]') ? (el.closest('label') ?? el) : el;
    const r = target.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(target).visibility === 'hidden') continue;
    if (r.width < 43.5 || r.height < 43.5) {
      out.push(`${target.tagName.toLowerCase()}[${target.dataset.testid ?? ''}] "${target.textContent.trim().slice(0, 16)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
    }
  }
  return out;
});

/** Elements whose content is wider than their box (sideways scrolling or clipping). */
const sidewaysOverflow = (p = page) => p.evaluate(() => {
  const out = [];
  if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth} > ${innerWidth}`);
  for (const el of [document.body, ...document.querySelectorAll('.main, .main > *, .topbar, .rows, .card, form, fieldset')]) {
    if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className || el.tagName} ${el.scrollWidth} > ${el.clientWidth}`);
  }
  return out;
});

/** Checks the current screen: 44 px targets, no sideways scrolling; then takes a screenshot. */
async function checkScreen(name) {
  await page.evaluate(() => document.fonts.ready);
  assert.deepEqual(await smallTargets(), [], `${name}: touch targets under 44 px`);
  assert.deepEqual(await sidewaysOverflow(), [], `${name}: sideways overflow`);
  assert.deepEqual(await accessibilityProblems(page), [], `${name}: WCAG 2.1 AA (axe-core)`);
  await screenshot(page, name);
}

/** The screens of the office module (and the new-profile form) with what marks each loaded. */
const officeScreens = (profile) => [['#/new', 'profile-form'], ['#/overview', 'overview'], ['#/overview/abc', 'overview'],
  ['#/overview/reminders', 'overview'], ['#/overview/quality', 'overview'], ['#/receivables', 'receivables'],
  ['#/consignment', 'consignment'], ['#/log', 'log-page'], ['#/review', 'review'], ['#/destruction', 'destruction'],
  ['#/print', 'print-list'], [`#/p/${profile}/print`, 'print-form'], [`#/p/${profile}/account`, 'account'],
  [`#/p/${profile}/statement`, 'statement']];

/** Goes to `hash` and waits until its screen has loaded (no spinner left). */
async function showScreen(hash, ready) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.getByTestId(ready).waitFor();
  await page.waitForFunction(() => !document.querySelector('.main .spinner, [data-testid=screen-loading]'));
}

/** A screen's name for messages and screenshots: `#/p/<id>/print` → `profile-print`. */
const screenName = (hash) => hash.slice(2).replace(/^p\/[^/]+\//, 'profile-').replaceAll('/', '-');

/** Opens the list's first profile and gives its id. */
async function firstProfile() {
  await page.goto(server.url + '#/');
  await atDesk(page);
  await page.getByTestId('row').first().click();
  await page.getByTestId('profile').waitFor();
  return page.evaluate(() => location.hash.slice('#/p/'.length));
}

async function visitEveryScreen(size) {
  await page.setViewportSize(size);
  const tag = `${size.width}x${size.height}`;
  await page.goto(server.url + '#/');
  await atDesk(page);
  await page.getByTestId('list-page').waitFor();
  await page.getByTestId('search').fill('');
  await eventually(async () => assert.equal(await page.getByTestId('summary').innerText(), '300 份档案'));
  await checkScreen(`${tag}-list`);
  // The signed-in person's name stays visible at every width.
  assert.ok(await page.locator('header [data-testid=staff-name]').isVisible(), 'the staff label shows');

  await page.getByTestId('row').first().click();
  await page.getByTestId('profile').waitFor();
  await page.getByTestId('history').waitFor();
  await checkScreen(`${tag}-profile`);

  await page.getByTestId('edit').click();
  await page.getByTestId('profile-form').waitFor();
  await checkScreen(`${tag}-edit`);
  await page.getByTestId('cancel').click();

  // A new organisation with every kind of row: a preference, a special day, a contact.
  await page.getByTestId('nav-new').click();
  await page.getByTestId('profile-form').waitFor();
  await page.getByRole('button', { name: '单位' }).click();
  await page.getByTestId('add-pref-0').click();
  await page.getByTestId('add-day').click();
  await page.getByTestId('add-contact').click();
  await checkScreen(`${tag}-new-organisation`);
  await page.getByTestId('cancel').click();

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('storage-usage').waitFor();
  await checkScreen(`${tag}-settings`);

  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-file').setInputFiles(join(ROOT, 'tests/data/import/good/customers-zh-gbk.csv'));
  await page.locator('[data-testid=import-preview][data-state=ready]').waitFor();
  await checkScreen(`${tag}-import`);
  await page.getByTestId('nav-list').click();

  // The office module's screens, a tablet's managers' screens too.
  for (const [hash, ready] of officeScreens(await firstProfile())) {
    await showScreen(hash, ready);
    await checkScreen(`${tag}-${screenName(hash)}`);
  }
}

test('768×1024 portrait: every screen has 44 px targets and no sideways scrolling; search is docked within thumb reach', async () => {
  await visitEveryScreen(PORTRAIT);
  await page.goto(server.url + '#/');
  await atDesk(page);
  const box = await page.getByTestId('search').boundingBox();
  assert.ok(box.y > PORTRAIT.height * 0.85, `search box top at ${box.y}px: not in the bottom of the screen`);
  assert.ok(box.y + box.height <= PORTRAIT.height, 'the search box is fully on screen');
  assert.ok(box.width > PORTRAIT.width * 0.8, 'the search box spans the screen');
  // It works from the dock: a tap, a few letters, the list narrows.
  const name = (await page.getByTestId('row-name').first().innerText()).split(/\s/)[0];
  await page.getByTestId('search').tap().catch(() => page.getByTestId('search').click());
  await page.getByTestId('search').fill(name);
  await eventually(async () => assert.ok((await page.getByTestId('row-name').allInnerTexts()).some((n) => n.startsWith(name))));
  await checkScreen('768x1024-search');
});

test('1366×768 desktop: the same screens, the search box back in the top bar', async () => {
  await visitEveryScreen(DESKTOP);
  await page.goto(server.url + '#/');
  await atDesk(page);
  const box = await page.getByTestId('search').boundingBox();
  assert.ok(box.y < 80, `search box top at ${box.y}px`);
});

test('in English every screen passes the same accessibility checks (contrast, names, headings)', async () => {
  await page.setViewportSize(DESKTOP);
  await page.goto(server.url + '#/settings');
  await atDesk(page);
  await page.getByTestId('set-lang-en').click();
  try {
    await page.goto(server.url + '#/');
    await atDesk(page);
    await eventually(async () => assert.match(await page.getByTestId('summary').innerText(), /^300 /));
    // English words are longer: nothing may run off the screen (the top bar once hid its lock
    // and language buttons past the right edge at 1366 px).
    const check = async (name) => {
      assert.deepEqual(await accessibilityProblems(page), [], `en ${name}: WCAG 2.1 AA (axe-core)`);
      assert.deepEqual(await sidewaysOverflow(), [], `en ${name}: sideways overflow`);
      await screenshot(page, `en-${name}`);
    };
    await check('list');
    await page.getByTestId('row').first().click();
    await page.getByTestId('history').waitFor();
    await check('profile');
    await page.getByTestId('edit').click();
    await page.getByTestId('profile-form').waitFor();
    await check('edit');
    await page.getByTestId('cancel').click();
    for (const [nav, ready] of [['nav-settings', 'storage-usage'], ['nav-import', 'import-file'], ['nav-deleted', 'deleted-page']]) {
      await page.getByTestId(nav).click();
      await page.getByTestId(ready).waitFor();
      await check(nav);
    }
    await page.goto(server.url + '#/conflicts');
    await atDesk(page);
    await page.getByTestId('no-conflicts').waitFor();
    await check('conflicts');
    // The office module's screens and the new-profile form, each once it has loaded.
    const profile = await firstProfile();
    for (const [hash, ready] of officeScreens(profile)) {
      await showScreen(hash, ready);
      await check(screenName(hash));
    }
    // The English archive form (words in wider label cells) still prints on one A4 page.
    await page.evaluate((h) => { location.hash = h; }, `#/p/${profile}/print`);
    await page.getByTestId('print-form').waitFor();
    await page.emulateMedia({ media: 'print' });
    try {
      assert.equal(await printedPages(page), 1, 'the English form prints on one page');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    // And on a portrait tablet, where English words have least room: 44 px targets, nothing
    // running off the side.
    await page.setViewportSize(PORTRAIT);
    const desk = [['#/', 'list-page', 'list'], [`#/p/${profile}`, 'history', 'profile'], [`#/p/${profile}/edit`, 'profile-form', 'edit'],
      ['#/settings', 'storage-usage', 'settings'], ['#/import', 'import-file', 'import']];
    for (const [hash, ready, name = screenName(hash)] of [...desk, ...officeScreens(profile)]) {
      await showScreen(hash, ready);
      await checkScreen(`en-768-${name}`);
    }
  } finally {
    await page.setViewportSize(DESKTOP);
    await page.goto(server.url + '#/settings');
    await atDesk(page);
    await page.getByTestId('set-lang-zh-CN').click();
  }
});

test('a new device in English: the first administrator\'s setup has 44 px targets and fits a portrait tablet and a phone', async () => {
  const other = await launch({ locale: 'en-US' });
  const p = other.context.pages()[0] ?? await other.context.newPage();
  try {
    for (const size of [PORTRAIT, { width: 390, height: 844 }]) {
      await p.setViewportSize(size);
      await p.goto(server.url);
      await p.getByTestId('setup').waitFor();
      assert.match(await p.getByTestId('setup').innerText(), /super administrator/);
      // The departments to choose from are named in the setup's language too.
      assert.deepEqual(await p.getByTestId('setup-dept').locator('option').allInnerTexts(),
        ['Front desk', 'Sales', 'Finance', 'Housekeeping', 'Food and beverage']);
      assert.deepEqual(await smallTargets(p), [], `setup ${size.width}: touch targets under 44 px`);
      assert.deepEqual(await sidewaysOverflow(p), [], `setup ${size.width}: sideways overflow`);
      assert.deepEqual(await accessibilityProblems(p), [], `setup ${size.width}: WCAG 2.1 AA (axe-core)`);
      // Scrolled to its end, the whole card shows down to its bottom edge, and the gate reaches
      // the screen's foot (no band kept for a search box a gate does not have).
      const [card, gate, screen] = await p.evaluate(() => {
        const g = document.querySelector('.gate');
        g.scrollTop = g.scrollHeight;
        return [document.querySelector('.gate-card').getBoundingClientRect().bottom, g.getBoundingClientRect().bottom, innerHeight];
      });
      assert.ok(card <= gate + 0.5, `setup ${size.width}: the card ends at ${card}px, its scroll box at ${gate}px`);
      assert.ok(gate >= screen - 0.5, `setup ${size.width}: the gate ends at ${gate}px of ${screen}px`);
      await screenshot(p, `en-setup-${size.width}`);
    }
  } finally {
    await other.context.close();
  }
});

test('settings show this device\'s usage and quota and whether storage is persistent', async () => {
  await page.goto(server.url + '#/settings');
  await atDesk(page);
  const usage = await page.getByTestId('storage-usage').innerText();
  const [, used, quota] = usage.match(/已用 ([\d.]+ [KMGT]?B) · 浏览器允许最多 ([\d.]+ [KMGT]?B)/) ?? [];
  assert.ok(used && quota, usage);
  const real = await page.evaluate(() => navigator.storage.estimate());
  assert.ok(real.usage > 0 && real.quota > real.usage);
  assert.match(await page.getByTestId('storage-profiles').innerText(), /300/);
  const persisted = await page.evaluate(() => navigator.storage.persisted());
  if (persisted) {
    await page.getByTestId('storage-persisted').waitFor();
  } else {
    // Chromium decides by engagement; a fresh headless profile is refused, and the screen says what to do.
    await page.getByTestId('storage-best-effort').waitFor();
    await page.getByTestId('storage-ask').click();
    await eventually(async () => assert.ok(
      await page.getByTestId('storage-denied').isVisible() || await page.getByTestId('storage-persisted').isVisible()));
  }
});

test('a full disk: saving says so clearly, nothing is written, the form keeps every character; with space again it saves', async () => {
  const origin = new URL(server.url).origin;
  await page.goto(server.url + '#/new');
  await atDesk(page);
  await page.getByTestId('profile-form').waitFor();
  await page.getByTestId('f-name').fill('钱满仓');
  await page.getByTestId('f-phones.0').fill('13912345678');
  await page.getByTestId('f-notes').fill('住店偏好：高楼层，远离电梯。'.repeat(20));
  // The browser restarts with the disk full (a quota override applies to IndexedDB from the next
  // time the database is opened); the typed form survives as a draft.
  await browser.context.close();
  browser = await launch({ userDataDir: browser.dir, viewport: PORTRAIT });
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  try {
    await page.goto(server.url + '#/new');
    await atDesk(page);
    await page.getByTestId('profile-form').waitFor();
    assert.equal(await page.getByTestId('f-name').inputValue(), '钱满仓');
    await page.getByTestId('save').click();
    await eventually(async () => assert.match(await page.getByTestId('store-error').innerText(), /保存失败，表单内容已保留：设备存储空间已满/));
    assert.equal(await page.getByTestId('f-name').inputValue(), '钱满仓');
    assert.equal(await page.getByTestId('f-phones.0').inputValue(), '13912345678');
    assert.equal((await page.getByTestId('f-notes').inputValue()).length, 14 * 20);
    await screenshot(page, 'quota-error');
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
  // Nothing of the failed save reached the archive.
  assert.equal(await countProfiles(page), 300);
  await page.getByTestId('save').click();
  await page.getByTestId('profile').waitFor();
  assert.match(await page.getByTestId('profile-name').innerText(), /钱满仓/);
  assert.equal(await countProfiles(page), 301);
});
