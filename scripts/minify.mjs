// Minifies the built JS and CSS in place (run by scripts/sw.mjs, before it checks integrity values
// and lists the files to precache). wasm-bindgen's glue and the stylesheet are written for people
// to read: the desk's glue (77 KB) goes over the wire as 10.3 KB brotli, minified as 8.3 KB; the
// stylesheet 10.2 → 8.6 KB. Both download beside the desk's wasm before the first screen, where
// Lighthouse's simulated slow 4G shares one link among them. esbuild keeps what the code means:
// names of exports and properties stay (the wasm imports its glue by name), module syntax stays
// module syntax.
import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import { listFiles } from './files.mjs';

const require = createRequire(import.meta.url);
const esbuild = require('../tools/node_modules/esbuild');

/** Minifies every `.js` and `.css` under `dir`; prints the bytes before and after. */
export async function minifyDir(dir) {
  const files = (await listFiles(dir)).filter((p) => /\.(js|css)$/.test(p));
  let before = 0;
  let after = 0;
  for (const file of files) {
    const code = await readFile(file, 'utf8');
    const loader = file.endsWith('.css') ? 'css' : 'js';
    // No `format` and no `target`: a module stays a module, a classic script a classic script,
    // and no syntax is rewritten (boot.js awaits at its top level).
    const out = await esbuild.transform(code, { loader, minify: true, legalComments: 'none' });
    before += code.length;
    after += out.code.length;
    await writeFile(file, out.code);
  }
  console.log(`minify: ${files.length} JS and CSS files, ${before} → ${after} B`);
}
