import { defineConfig } from 'vitest/config';

// Two projects: fast pure-code tests, and real-browser tests that share one machine's two cores,
// so the browser files run one at a time.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
