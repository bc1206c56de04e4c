// npm run build, second step: src/cli.ts and everything it imports, dependencies included, in one
// ES module, dist/kapso-mock.js (what `npm start`, the package's bin and the Docker image run).
// Loading one file instead of some 700 modules is most of a cold start (docs/benchmark.md,
// "Start-up"): the bundle reaches its first /health answer in about two thirds of the time.
// better-sqlite3 stays outside (a native addon, loaded from node_modules). tsc has type-checked the
// same sources just before; the tsc output in dist/ stays the package's library (dist/index.js).
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

await build({
  entryPoints: [join(ROOT, 'src', 'cli.ts')],
  outfile: join(ROOT, 'dist', 'kapso-mock.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Whitespace and syntax only (a smaller file parses sooner); names stay as written, so a stack
  // trace still names the functions (`node dist/cli.js`, unbundled, gives the source's lines too).
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3'],
  // The CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as kapsoMockRequire } from 'node:module'; const require = kapsoMockRequire(import.meta.url);" },
  logLevel: 'warning',
});
