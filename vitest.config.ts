import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
    setupFiles: ['tests/helpers/setup.ts'],
    env: { TZ: 'UTC', DUBAN_LOG_LEVEL: 'silent' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores, i.e. ONE on CI's 2 cores: the suite then ran
    // in 315 s against a 5-minute budget. Two workers bring it to about 200 s; the tests wait on I/O
    // (servers, SQLite, child processes) as much as on CPU, so both cores stay busy.
    maxWorkers: 2,
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
