// A tiny static server for the browser example (no dependencies): `node examples/browser/server.mjs`
// then open http://localhost:8080/. Everything is served from this machine, nothing from a CDN:
//   /                  this folder (index.html, app.js, style.css)
//   /dist/…            degen-guard's built ES modules (run `npm run build` at the repository root first)
//   /models/…          test/fixtures/models/ (the bundled kjv-genesis-gpt2)
//   /vendor/transformers/…  transformers.js's web build (node_modules/@huggingface/transformers/dist)
//   /vendor/ort/…      ONNX Runtime's WebAssembly files (node_modules/onnxruntime-web/dist)
// Options: --port N (default 8080; 0 picks a free port), --host H (default 127.0.0.1).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(fileURLToPath(new URL('.', import.meta.url)));
const repo = join(here, '..', '..');
const modules = join(here, 'node_modules');

/** URL prefix → folder on disk (first match wins). */
export const ROUTES = [
  ['/dist/', join(repo, 'dist')],
  ['/models/', join(repo, 'test', 'fixtures', 'models')],
  ['/vendor/transformers/', join(modules, '@huggingface', 'transformers', 'dist')],
  ['/vendor/ort/', join(modules, 'onnxruntime-web', 'dist')],
  ['/', here],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.png': 'image/png',
};

/** The file a URL path maps to, or null (never outside the routed folders). */
export function fileFor(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  for (const [prefix, dir] of ROUTES) {
    if (!path.startsWith(prefix)) continue;
    if (prefix === '/' && path.startsWith('/node_modules/')) return null;
    const rel = normalize(path.slice(prefix.length)).replace(/^([/\\])+/, '');
    const file = join(dir, rel === '' || rel === '.' ? 'index.html' : rel);
    if (file !== dir && !file.startsWith(dir + sep)) return null;
    return file;
  }
  return null;
}

/** Starts the server; resolves to it once it listens (its address tells the port). */
export function serve({ port = 8080, host = '127.0.0.1', log = false } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = fileFor(url.pathname);
    if (log && process.env.DEBUG_SERVER) console.log(req.method, url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (file === null || !existsSync(file) || !statSync(file).isFile()) {
      if (log) console.log(`404 ${url.pathname}`);
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
  };
  if (!existsSync(join(repo, 'dist', 'index.js'))) console.warn('dist/index.js is missing: run `npm run build` at the repository root first');
  if (!existsSync(join(modules, '@huggingface', 'transformers'))) console.warn('transformers.js is missing: run `npm install --prefix examples/browser --ignore-scripts` first');
  const server = await serve({ port: Number(arg('--port', 8080)), host: arg('--host', '127.0.0.1'), log: true });
  const { address, port } = server.address();
  console.log(`degen-guard browser example: http://${address}:${port}/`);
}
