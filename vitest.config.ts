import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (Node: the SAC core, the CLI, the store and protocol) and `e2e` (real headless
 * Chromium against the production build). `npm test` runs both. Training tests are slow by nature on
 * 2 cores, hence the generous timeouts; these are limits, not performance assertions.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/rl/**/*.test.ts', 'tests/cli/**/*.test.ts', 'tests/ui/**/*.test.ts', 'tests/page/**/*.test.ts', 'tests/worker/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // One browser at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
