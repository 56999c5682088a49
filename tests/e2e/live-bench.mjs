// Benchmark (not a test): the delay a person waits between two devices. Two browsers (two devices)
// sync through a real dangan-server with their live connections open; a guest is saved on A
// (through the form, as a clerk does) LIVE_N times (default 50), and each time the time from the
// click on "save" until B's open list counts the new guest is taken. Prints p50, p95 and the
// slowest. Run by scripts/bench.sh.
import { endpoint, syncingDevice, atDesk, ADMIN } from './harness.mjs';

const N = Number(process.env.LIVE_N ?? 50);
const server = await endpoint();
const url = server.url;
const token = server.token('live');
// Names unlike each other, so that the form's duplicate check does not stop a save.
const SURNAMES = [...'赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华'];
const guestName = (i) => {
  const [n, k] = [GIVEN.length, Math.floor(i / GIVEN.length)];
  return SURNAMES[i % SURNAMES.length] + GIVEN[i % n] + GIVEN[(i + 1 + k) % n];
};
const pct = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };

async function device(first) {
  const d = await syncingDevice(url, 'live', token);
  await d.page.goto(url + '/#/');
  // The first device sets the archive up; the second signs in once the staff arrive.
  await atDesk(d.page, ADMIN, { join: !first });
  await d.page.goto(url + '/#/settings');
  await d.page.getByTestId('sync-live').waitFor({ timeout: 30000 });
  return d;
}

try {
  const a = await device(true);
  const b = await device(false);
  await b.page.goto(url + '/#/');
  await b.page.getByTestId('list-page').waitFor();
  const delays = [];
  for (let i = 0; i < N; i++) {
    await a.page.goto(url + '/#/new');
    await a.page.getByTestId('f-name').fill(guestName(i));
    await a.page.getByTestId('f-phones.0').fill(`13${String(i * 7919 % 1000).padStart(3, '0')}${String(i).padStart(6, '0')}`);
    const t0 = Date.now();
    await a.page.getByTestId('save').click();
    if (await a.page.getByTestId('dupes').isVisible()) throw new Error(`${guestName(i)} was taken for a duplicate`);
    await b.page.waitForFunction((n) => document.querySelector('[data-testid=summary]')?.innerText.startsWith(`${n} `), i + 1, { timeout: Number(process.env.LIVE_WAIT_MS ?? 120000), polling: 50 });
    delays.push(Date.now() - t0);
    if (process.env.LIVE_DEBUG) console.log(i, delays.at(-1));
    await a.page.getByTestId('profile').waitFor();
  }
  const s = (x) => `${(x / 1000).toFixed(2)} s`;
  console.log(`live sync, ${N} guests saved on A: shown on B after p50 ${s(pct(delays, 50))}, p95 ${s(pct(delays, 95))}, slowest ${s(Math.max(...delays))} (target p95 ≤ 2 s)`);
  await a.context.close();
  await b.context.close();
} finally {
  server.stop();
}
