import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/robustness/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
