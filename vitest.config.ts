import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Native modules (better-sqlite3, whisper) and child processes are happiest in forked workers.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A test that leaves a timer, socket or child process behind fails instead of hanging the run.
    teardownTimeout: 10_000,
    setupFiles: ['tests/helpers/setup.ts'],
  },
});
