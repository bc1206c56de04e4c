// npm run build, second step: the command as three files in dist/ (what `npm start`, the package's
// bin and the Docker image run):
// - kapso-mock.cjs: src/cli.ts and everything it imports, dependencies included, in one CommonJS
//   file. Loading one file instead of some 700 modules is most of a cold start (docs/benchmark.md,
//   "Start-up"). better-sqlite3 stays outside (a native addon, loaded from node_modules). tsc has
//   type-checked the same sources just before; the tsc output in dist/ stays the package's library
//   (dist/index.js).
// - kapso-mock.js: src/launch.ts, which runs kapso-mock.cjs with V8's code cache for it;
// - kapso-mock.cjs.cache: that cache, written by a start of the server (in memory, on a free port of
//   127.0.0.1) that answers GET /health and one API list, then stops. V8's cache belongs to the Node version that made
//   it: another one only ignores it. A start that fails leaves no cache and the build goes on.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'kapso-mock.cjs');
const LAUNCHER = join(DIST, 'kapso-mock.js');
const CACHE = join(DIST, 'kapso-mock.cjs.cache');

/** What both files share: everything they import in one file, for the oldest Node the package supports. */
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' } as const;

rmSync(CACHE, { force: true });
await build({
  ...common,
  entryPoints: [join(ROOT, 'src', 'cli.ts')],
  outfile: BUNDLE,
  format: 'cjs',
  // Whitespace and syntax only (a smaller file parses sooner); names stay as written, so a stack
  // trace still names the functions (`node dist/cli.js`, unbundled, gives the source's lines too).
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3'],
  // src/paths.ts and the checkpointer find files from import.meta.url: the bundle's own URL here.
  define: { 'import.meta.url': 'kapsoMockUrl' },
  banner: { js: "const kapsoMockUrl = require('node:url').pathToFileURL(__filename).href;" },
  // ASCII only (esbuild escapes strings; regular expressions are written with \u escapes, and the
  // dependencies' licence comments go to kapso-mock.cjs.LEGAL.txt), so the launcher reads it as
  // Latin-1: twice as fast as UTF-8, and a one-byte string for V8.
  charset: 'ascii',
  legalComments: 'external',
  // kapso-mock.cjs.map, for profiles (bench/profile-summary.ts) and `node --enable-source-maps`; not
  // referenced from the bundle, so nothing reads it otherwise. Left out of the npm package and the image.
  sourcemap: 'external',
});
if (!isAscii(readFileSync(BUNDLE))) console.warn('scripts/bundle.ts: dist/kapso-mock.cjs is not ASCII (a regular expression with a non-ASCII character?); it loads, a little slower');
await build({ ...common, entryPoints: [join(ROOT, 'src', 'launch.ts')], outfile: LAUNCHER, format: 'esm' });

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** Starts the server through the launcher in its cache-writing mode, waits for /health, makes one API request, stops it. */
async function writeCodeCache(): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(LAUNCHER)}).then((m) => m.launch({ writeCacheOnExit: true }))`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), KAPSO_MOCK_DB: ':memory:', KAPSO_MOCK_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  let healthy = false;
  while (!healthy && child.exitCode === null && Date.now() < deadline) {
    healthy = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // A first API request too (authentication, a list, serialisation): its functions go in the cache.
  if (healthy) await fetch(`http://127.0.0.1:${port}/api/v1/customers`, { headers: { 'x-api-key': 'kapso-demo-key' } }).then((r) => r.text(), () => '');
  child.kill('SIGTERM');
  const code = await exited;
  if (!healthy || code !== 0) {
    rmSync(CACHE, { force: true });
    console.warn(`scripts/bundle.ts: no code cache (the priming start ${healthy ? `exited with ${code}` : 'never answered /health'}); kapso-mock starts without it`);
  }
}

await writeCodeCache();
