// Serves a built app directory on 127.0.0.1: `node serve.mjs <dir> <port>`.
import { serve } from './harness.mjs';

const [dir = 'dist', port = '8080'] = process.argv.slice(2);
const { url } = await serve(dir, Number(port));
console.log(`serving ${dir} at ${url}`);
