// The mobile audit of the first load (issue 13): Lighthouse 12.2.3 on its default simulated
// mid-range phone and slow 4G, against dist/ served by dangan-server, LH_RUNS times (default 3).
// Prints each run's performance score, LCP, FCP, TBT, CLS, the bytes it counted, accessibility and
// best practices. Not a test: the figures move with the machine, and the audit is slow.
//
// LH_CURVE="300000 280000 …" also prints the LCP the audit's simulation gives when the desk's
// wasm is each of those sizes on the wire, everything else as measured: one load recorded, then
// audited again with the wasm's transfer size changed in the recording. Lighthouse simulates the
// network in whole round trips, so the LCP moves in steps (docs/performance.md shows where).
//
// LH_KEEP=dir keeps the reports (run<N>.json) and the recording there, to read or replay
// (docs/performance.md, ninth session: how the simulation was read).
//
// Lighthouse is installed on first use into target/lighthouse (npm registry); Chromium is
// Debian's (/usr/bin/chromium), as for the e2e tests. Run after scripts/build.sh and
// `cargo build -p dangan-server`:
//   node scripts/lighthouse.mjs
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const DIST = resolve(ROOT, process.env.DIST ?? 'dist');
const RUNS = Number(process.env.LH_RUNS ?? 3);
const CURVE = (process.env.LH_CURVE ?? '').split(/\s+/).filter(Boolean).map(Number);
const VERSION = '12.2.3';

const home = join(ROOT, 'target', 'lighthouse');
const bin = join(home, 'node_modules', '.bin', 'lighthouse');
if (!existsSync(bin)) {
  mkdirSync(home, { recursive: true });
  console.error(`installing lighthouse@${VERSION} into ${home}`);
  execFileSync('npm', ['i', '-E', `lighthouse@${VERSION}`, '--prefix', home, '--no-audit', '--no-fund', '--silent'], { stdio: 'inherit' });
}
const server = ['release', 'debug'].map((p) => join(ROOT, 'target', p, 'dangan-server')).find(existsSync);
if (!server) throw new Error('build the endpoint first: cargo build -p dangan-server');

const port = await new Promise((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => done(port)); });
});
const work = mkdtempSync(join(tmpdir(), 'dangan-lighthouse-'));
const child = spawn(server, ['serve', '--dist', DIST, '--db', join(work, 'sync.db'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 50; i++) {
  try { await fetch(url); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
}

const env = { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' };
const flags = ['--chrome-flags=--headless --no-sandbox --disable-gpu', '--quiet'];
const lighthouse = (args) => execFileSync(bin, [url, ...flags, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const audit = (file) => {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const a = r.audits;
  const n = (k) => Math.round(a[k].numericValue);
  const score = (c) => Math.round(r.categories[c].score * 100);
  return { performance: score('performance'), lcp: n('largest-contentful-paint'), fcp: n('first-contentful-paint'), tbt: n('total-blocking-time'), cls: a['cumulative-layout-shift'].numericValue.toFixed(3), bytes: n('total-byte-weight'), a11y: score('accessibility'), bestPractices: score('best-practices') };
};

try {
  for (let i = 1; i <= RUNS; i++) {
    const out = join(work, `run${i}.json`);
    lighthouse(['--output', 'json', '--output-path', out]);
    const f = audit(out);
    console.log(`run ${i}: performance ${f.performance}, LCP ${f.lcp} ms, FCP ${f.fcp} ms, TBT ${f.tbt} ms, CLS ${f.cls}, ${f.bytes} B, accessibility ${f.a11y}, best practices ${f.bestPractices}`);
  }
  if (CURVE.length) {
    const gathered = join(work, 'gathered');
    lighthouse(['-G=' + gathered]);
    const log = JSON.parse(readFileSync(join(gathered, 'defaultPass.devtoolslog.json'), 'utf8'));
    const desk = log.find((m) => m.method === 'Network.requestWillBeSent' && /\/dangan-[0-9a-f]+_bg\.wasm$/.test(m.params.request.url))?.params.requestId;
    if (!desk) throw new Error('the recording has no request for the desk wasm');
    const measured = log.find((m) => m.method === 'Network.loadingFinished' && m.params.requestId === desk).params.encodedDataLength;
    for (const size of [measured, ...CURVE]) {
      const dir = join(work, `as${size}`);
      cpSync(gathered, dir, { recursive: true });
      const scaled = log.map((m) => (m.params?.requestId === desk && 'encodedDataLength' in m.params && /loadingFinished|dataReceived/.test(m.method))
        ? { ...m, params: { ...m.params, encodedDataLength: Math.round(m.params.encodedDataLength * size / measured) } } : m);
      writeFileSync(join(dir, 'defaultPass.devtoolslog.json'), JSON.stringify(scaled));
      const out = join(work, `as${size}.json`);
      lighthouse(['-A=' + dir, '--output', 'json', '--output-path', out]);
      console.log(`desk wasm ${size} B${size === measured ? ' (as measured)' : ''}: simulated LCP ${audit(out).lcp} ms`);
    }
  }
} finally {
  child.kill();
  if (process.env.LH_KEEP) cpSync(work, process.env.LH_KEEP, { recursive: true });
  rmSync(work, { recursive: true, force: true });
}
