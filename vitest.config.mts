import { defineConfig } from 'vitest/config';

// Integration tests share one real Temporal dev server per file and spawn processes; two cores in CI,
// so files run in at most two forks and long timeouts are the norm rather than the exception.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/helpers/summary-line-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
