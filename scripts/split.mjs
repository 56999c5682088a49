// The desk's first download without the parts it loads on first use (src/lazy.rs, issue 13).
//
// Trunk builds the desk with the `split` feature (index.html) and binds it whole; this step, run
// by the post-build hook (scripts/sw.mjs) before the service worker's precache list is written,
// replaces that with the split build: the linked wasm (kept with its relocations, build.rs) is
// cut by wasm-split-cli into the desk and its chunks, the desk bound by wasm-bindgen, every
// piece optimised by wasm-opt with index.html's flags. All files are named after one hash of the
// lot (`dangan-<hash>.js`, `dangan-<hash>_bg.wasm`, `dangan-<hash>_split.js`,
// `dangan-<hash>_<chunk>.wasm`), so the endpoint serves them immutable (server/src/assets.rs)
// and a new build never mixes with an old one.
import { execFileSync, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const MESSAGES = 'dangan.messages.';

/** Reads an unsigned LEB128 at `i` of `b`: [value, next index]. */
function leb(b, i) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = b[i++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i];
  }
}

/** An unsigned LEB128 of `n`, padded to five bytes (a section's size may be written so). */
function leb5(n) {
  const out = [];
  for (let k = 0; k < 5; k++) out.push((n % 128) | (k < 4 ? 0x80 : 0)), (n = Math.floor(n / 128));
  return Buffer.from(out);
}

/**
 * The loader wasm-split-cli writes starts a chunk's fetch and those of every chunk it depends on
 * in one go: the profile page's chunk, fetched ahead after the first screen, brings 45, and
 * starting 45 fetches is one task of 60–80 ms on Lighthouse's slowed phone (the largest part of
 * its Total Blocking Time). Each fetch is started in a task of its own instead, one after another
 * (a timer each, a few milliseconds apart); the chunks still download side by side.
 */
function staggerFetches(loader) {
  const fetches = /const src = fetch\((new URL\("\.\/[\w.]+\.wasm", import\.meta\.url\))\);/g;
  const count = loader.match(fetches)?.length ?? 0;
  const loads = loader.match(/makeLoad\(/g).length - 1;
  if (count !== loads) throw new Error(`the split's loader starts ${count} fetches for ${loads} chunks: has wasm-split-cli's loader changed?`);
  const helper = `
// One chunk's fetch per task (scripts/split.mjs).
let fetchTurn = Promise.resolve();
function staggeredFetch(url) {
    const turn = fetchTurn.then(() => new Promise((resolve) => setTimeout(resolve, 0)));
    fetchTurn = turn;
    return turn.then(() => fetch(url));
}
`;
  return loader.replace(fetches, 'const src = staggeredFetch($1);').replace(/^function makeLoad/m, `${helper}function makeLoad`);
}

/**
 * The desk's messages, one custom section per language (domain/i18n.rs, the `catalogue` feature):
 * returns their contents and the wasm with each of those sections emptied (kept, so the indices
 * of the sections the linker's relocations name do not move).
 */
function takeMessages(wasm) {
  const parts = [wasm.subarray(0, 8)];
  const found = {};
  let i = 8;
  while (i < wasm.length) {
    const [size, body] = leb(wasm, i + 1);
    const end = body + size;
    if (wasm[i] === 0) {
      const [len, at] = leb(wasm, body);
      const name = wasm.subarray(at, at + len).toString('utf8');
      if (name.startsWith(MESSAGES)) {
        found[name.slice(MESSAGES.length)] = Buffer.from(wasm.subarray(at + len, end));
        const head = wasm.subarray(body, at + len);
        parts.push(Buffer.from([0]), leb5(head.length), head);
        i = end;
        continue;
      }
    }
    parts.push(wasm.subarray(i, end));
    i = end;
  }
  return { wasm: Buffer.concat(parts), found };
}

/**
 * Splits the desk Trunk wrote into `dir` (index.html's references follow) and writes its message
 * files; returns `{ messages: { Zh, En } }`, their names. No desk: nothing.
 */
export async function splitDesk(dir, root) {
  const trunkJs = readdirSync(dir).find((f) => /^dangan-[0-9a-f]+\.js$/.test(f));
  if (!trunkJs) return;
  const stem = trunkJs.slice(0, -'.js'.length);
  const profile = process.env.TRUNK_PROFILE === 'debug' ? 'debug' : 'release';
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const raw = join(targetDir, 'wasm32-unknown-unknown', profile, 'dangan.wasm');
  const work = mkdtempSync(join(tmpdir(), 'dangan-split-'));
  try {
    // The messages go to a file per language, named after its contents, listed for the loader.
    const { wasm: linked, found } = takeMessages(readFileSync(raw));
    const messages = {};
    for (const [lang, locale] of [['zh', 'Zh'], ['en', 'En']]) {
      if (!found[lang]) throw new Error(`${raw} has no ${MESSAGES}${lang} section: was it built with --features catalogue?`);
      const file = `messages-${createHash('sha256').update(found[lang]).digest('hex').slice(0, 16)}-${lang}.txt`;
      writeFileSync(join(dir, file), found[lang]);
      messages[locale] = file;
    }
    const input = join(work, 'dangan.wasm');
    writeFileSync(input, linked);
    const cut = join(work, 'cut');
    execFileSync('wasm-split-cli', ['--target', 'web', '--out-name', 'dangan', input, cut], { stdio: ['ignore', 'ignore', 'inherit'] });
    const loader = readFileSync(join(cut, '__wasm_split.js'), 'utf8');
    const chunks = readdirSync(cut).filter((f) => f.endsWith('.wasm') && f !== 'dangan.wasm');
    if (chunks.length === 0) throw new Error(`${raw} has no split points: was it built with --features split?`);
    const bound = join(work, 'bound');
    execFileSync('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-demangle', '--no-typescript', '--out-dir', bound, '--out-name', 'dangan', join(cut, 'dangan.wasm')], { stdio: 'inherit' });
    // The flags of the desk's <link data-trunk rel="rust"> in index.html.
    const page = readFileSync(join(root, 'index.html'), 'utf8');
    const params = page.match(/data-bin="dangan"[^>]*data-wasm-opt-params="([^"]*)"/)?.[1].split(/\s+/).filter(Boolean) ?? [];
    const pieces = [join(bound, 'dangan_bg.wasm'), ...chunks.map((c) => join(cut, c))];
    // binaryen from tools/ (the version trunk uses through scripts/build.sh's PATH).
    const local = join(root, 'tools', 'node_modules', '.bin', 'wasm-opt');
    const wasmOpt = existsSync(local) ? local : 'wasm-opt';
    // Two at a time: the machine has two cores. Beyond index.html's flags, what holds for this
    // build (0.8 KB of the desk): Rust's stack sits below the data, growing down from 1 MB, so
    // the first KB of memory is never used (constant offsets fold into addresses); the desk
    // creates the memory, zero-filled, which its chunks import; and the desk's passes run until
    // they gain nothing more (--converge: 0.4 KB more, 15 s of build).
    const DESK_ONLY = ['--zero-filled-memory', '--converge'];
    for (let i = 0; i < pieces.length; i += 2) {
      await Promise.all(pieces.slice(i, i + 2).map((p) => run(wasmOpt, ['-Oz', ...params, ...(p === pieces[0] ? DESK_ONLY : []), '--low-memory-unused', p, '-o', p])));
    }
    const hash = createHash('sha256');
    for (const p of pieces) hash.update(readFileSync(p));
    // The rewriting below is part of what the files are.
    hash.update(loader).update(readFileSync(join(bound, 'dangan.js'))).update(readFileSync(new URL(import.meta.url)));
    const name = `dangan-${hash.digest('hex').slice(0, 16)}`;
    // split_documents.wasm → dangan-<hash>_documents.wasm; chunk_3.wasm → dangan-<hash>_chunk_3.wasm
    const chunkName = (c) => `${name}_${c.replace(/^split_/, '')}`;
    let split = staggerFetches(loader).replace('"./dangan.js"', `"./${name}.js"`);
    for (const c of chunks) {
      if (!split.includes(`"./${c}"`)) throw new Error(`__wasm_split.js does not name ${c}`);
      split = split.replace(`"./${c}"`, `"./${chunkName(c)}"`);
      cpSync(join(cut, c), join(dir, chunkName(c)));
    }
    writeFileSync(join(dir, `${name}_split.js`), split);
    const js = readFileSync(join(bound, 'dangan.js'), 'utf8')
      // Where the loader is fetched from; the import object's keys stay the wasm's module names.
      .replaceAll('from "./__wasm_split.js"', `from "./${name}_split.js"`)
      .replace("'dangan_bg.wasm'", `'${name}_bg.wasm'`);
    writeFileSync(join(dir, `${name}.js`), js);
    cpSync(join(bound, 'dangan_bg.wasm'), join(dir, `${name}_bg.wasm`));
    if (existsSync(join(bound, 'snippets'))) cpSync(join(bound, 'snippets'), join(dir, 'snippets'), { recursive: true });
    for (const f of [`${stem}.js`, `${stem}_bg.wasm`]) unlinkSync(join(dir, f));
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    if (!html.includes(`${stem}_bg.wasm`)) throw new Error(`index.html does not name ${stem}_bg.wasm`);
    // The loader is fetched with the glue that imports it, not after: on a slow link a request
    // found late shares the link with the end of the desk's download and delays its first screen.
    const glue = `<link rel="modulepreload" href="/${name}.js"`;
    if (!html.replaceAll(stem, name).includes(glue)) throw new Error(`index.html does not preload ${name}.js`);
    const loaderLink = `<link rel="modulepreload" href="/${name}_split.js" crossorigin="anonymous" integrity="sha384-${createHash('sha384').update(split).digest('base64')}">`;
    // The integrity values of these links are put right by sw.mjs, which checks every one.
    writeFileSync(join(dir, 'index.html'), html.replaceAll(stem, name).replace(glue, `${loaderLink}${glue}`));
    const sizes = pieces.map((p) => readFileSync(p).length);
    console.log(`split: ${name}: desk ${sizes[0]} B, ${chunks.length} chunk(s) ${sizes.slice(1).join(' + ')} B; messages ${Object.values(messages).join(', ')}`);
    return { messages };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
