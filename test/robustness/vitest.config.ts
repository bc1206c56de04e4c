// The robustness suite (issue 4): npx vitest run --config test/robustness/vitest.config.ts
// Files run one after another: the process-level tests spawn servers and measure timings and
// event-loop delays, which other files running beside them on two cores would distort.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    include: ['test/robustness/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Figures are printed with console.log; show them as they come, not only on failure.
    silent: false,
  },
});
