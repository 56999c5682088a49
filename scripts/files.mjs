// Lists the files of a built dist: every file under `dir`, in any folder, as absolute paths.
// Shared by the post-build steps (sw.mjs, minify.mjs, compress.mjs), which each pick theirs.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under `dir` (recursively), as paths joined to `dir`. */
export async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name)).sort();
}
