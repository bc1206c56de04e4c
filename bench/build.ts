// The benchmark measures dist/ (what `npm start` and the Docker image run), so it builds first.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/** What `npm run build` runs (tsc, then the one-file bundle scripts/bundle.ts), unless BENCH_SKIP_BUILD=1. */
export function build(log: (line: string) => void): void {
  if (process.env.BENCH_SKIP_BUILD === '1') return log('build: skipped (BENCH_SKIP_BUILD=1)');
  log('build: tsc -p tsconfig.build.json, then scripts/bundle.ts');
  for (const args of [[join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], ['--import', 'tsx', join(ROOT, 'scripts', 'bundle.ts')]]) {
    const res = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    if (res.status !== 0) throw new Error('the build failed; the benchmark measures dist/, which must be fresh');
  }
}
