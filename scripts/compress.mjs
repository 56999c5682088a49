// Writes a brotli (.br) and a gzip (.gz) copy beside every text and wasm file of a built dist, which
// the endpoint serves to clients that accept them (server/src/assets.rs); a copy that would not be
// smaller is not written. Called by sw.mjs (the post-build hook) once sw.js is written, or run as
// `node scripts/compress.mjs <dist>`.
import { readFile, writeFile } from 'node:fs/promises';
import { listFiles } from './files.mjs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = /\.(wasm|js|mjs|css|html|svg|json|webmanifest|txt|bin)$/;

export async function compressDir(dir) {
  const total = { files: 0, before: 0, after: 0 };
  for (const p of await listFiles(dir)) if (COMPRESSIBLE.test(p)) await compress(p, total);
  console.log(`compress: ${total.files} files, ${total.before} bytes, ${total.after} as brotli`);
}

async function compress(p, total) {
  const raw = await readFile(p);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [constants.BROTLI_PARAM_MODE]: /\.(wasm|bin)$/.test(p) ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  if (br.length < raw.length) await writeFile(`${p}.br`, br);
  if (gz.length < raw.length) await writeFile(`${p}.gz`, gz);
  total.files += 1;
  total.before += raw.length;
  total.after += Math.min(br.length, raw.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await compressDir(process.argv[2]);
