import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // docs/examples import the package by name, as a user's project does.
  resolve: { alias: { 'kapso-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'docs/examples/**/*.test.ts'],
    exclude: ['test/robustness/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ['test/setup.ts'],
    // Test files share the modules they import (one import of the app per worker, not per file);
    // test/setup.ts gives each file its own cleanups.
    isolate: false,
  },
});
