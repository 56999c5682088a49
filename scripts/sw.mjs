// Trunk post-build hook: splits the desk (scripts/split.mjs), moves trunk's inline loader out of index.html into a hashed file (the
// endpoint's content security policy allows no inline script), then writes sw.js into the staged
// dist with the list of every built file (hashed wasm, js, css, icons, manifest, index.html) and a
// version derived from their contents.
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { listFiles } from './files.mjs';
import { compressDir } from './compress.mjs';
import { minifyDir } from './minify.mjs';
import { splitDesk } from './split.mjs';
import { fileURLToPath } from 'node:url';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('run by trunk as a post_build hook (TRUNK_STAGING_DIR unset)');

// The desk as it is served: split into its first download and the chunks it loads on first use.
const desk = await splitDesk(dir, fileURLToPath(new URL('..', import.meta.url)));

// Trunk writes `<script type="module">import init … from '/dangan-….js'; …</script>` into the page.
const page = join(dir, 'index.html');
const html = await readFile(page, 'utf8');
const base = process.env.TRUNK_PUBLIC_URL ?? '/';
let moved = 0;
// The desk's messages (src/platform/messages.rs): the files' names, and the language the app will
// show fetched at once, beside the wasm. public/shell.js chose it (`danganLang`): it runs while
// the page is parsed, before this module. Without it the app fetches its messages itself.
function messagesPrelude(files) {
  const urls = Object.entries(files).map(([l, f]) => `${l}:{url:${JSON.stringify(base + f)}}`).join(',');
  return `
const m = (globalThis.danganMessages = {${urls}});
const shown = m[globalThis.danganLang];
if (shown) {
  shown.text = fetch(shown.url).then((r) => (r.ok ? r.text() : Promise.reject(new Error(\`\${shown.url}: HTTP \${r.status}\`))));
  shown.text.catch(() => {});
}
`;
}
const rewritten = html.replace(/<script type="module">([\s\S]*?)<\/script>/g, (_, code) => {
  if (desk) code = messagesPrelude(desk.messages) + code;
  const name = `boot-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
  writeFileSync(join(dir, name), code.trim() + '\n');
  moved += 1;
  return `<script type="module" src="${base}${name}"></script>`;
});
if (/<script(?![^>]*\ssrc=)[^>]*>/.test(rewritten)) throw new Error('index.html still has an inline script: move it to a file');
// The page's icon, if it links one, as a data: URL (index.html says why): the SVG, its white
// space folded. pwa.test.mjs checks the desk's page.
const withIcon = rewritten.replace(/<link rel="icon" href="([^":]+\.svg)"/, (_, href) => {
  const svg = readFileSync(join(dir, href), 'utf8').replace(/\s+/g, ' ').trim();
  return `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(svg)}"`;
});
await minifyDir(dir);
// Every local integrity value is taken again from the file as it now is: trunk took them before
// the files were minified, and it builds the three wasm binaries at once, each copying the
// crate's JS snippets, so it may hash a snippet while another pipeline is rewriting it (we saw the
// SHA-384 of an empty file). A wrong value makes the browser refuse the file: the app never starts.
let fixed = 0;
const checked = withIcon.replace(/(href|src)="([^"]+)"([^>]*?)integrity="(sha384-[^"]+)"/g, (all, attr, url, mid, integrity) => {
  const file = join(dir, url.startsWith(base) ? url.slice(base.length) : url);
  const actual = `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
  if (actual === integrity) return all;
  fixed += 1;
  return `${attr}="${url}"${mid}integrity="${actual}"`;
});
console.log(`index.html: ${fixed} integrity value(s) taken again`);
await writeFile(page, checked);
console.log(`index.html: ${moved} inline loader(s) moved to files`);

const files = (await listFiles(dir))
  .filter((p) => !basename(p).startsWith('sw') && !p.endsWith('.template.js') && !/\.(br|gz)$/.test(p))
  .map((p) => relative(dir, p).split('\\').join('/'))
  .sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(await readFile(join(dir, f)));
const version = hash.digest('hex').slice(0, 16);
const precache = ['./', ...files.map((f) => `./${f}`)];
const template = await readFile(new URL('../public/sw.template.js', import.meta.url), 'utf8');
await writeFile(join(dir, 'sw.js'), template.replace('__VERSION__', version).replace('__PRECACHE__', JSON.stringify(precache)));
console.log(`sw.js: version ${version}, ${precache.length} files precached`);
await compressDir(dir);
