// The inspector in a real browser (npm run test:browser): Playwright driving Debian's Chromium.
// Kept out of `npm test` (a browser is slow to start and not on every machine); .ci/run runs it
// after the other suites, installing chromium with apt-get when it is missing.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    include: ['test/browser/**/*.test.ts'],
    // One browser at a time on a two-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
