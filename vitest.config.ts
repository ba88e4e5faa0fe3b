import { configDefaults, defineConfig } from 'vitest/config';

/*
 * Three projects, so that `npm run test:fast` (`vitest run --project fast`) gives an answer in under a
 * minute while `vitest run` (what `npm test` and .ci/run use) still runs everything.
 *
 * The rule, which a new test file falls into without anyone editing this file:
 * - a unit test beside its code (`src/**\/*.test.ts`) is fast;
 * - a test under `tests/` (cross-module, multi-process, crash, browser, soak, bad-audio corpus) is slow;
 * - the exceptions are listed here: the `tests/` files that work in process (an app on a port and
 *   HTTP, no browser, no engine) and finish in seconds are fast (FAST_TESTS), and the `src/` files
 *   that run a real speech engine are slow (SLOW_SRC: pocketsphinx) or heavy (HEAVY_SRC: whisper, with
 *   the other files listed in HEAVY).
 * Keep a fast file under about 10 s on a quiet two-core machine; move it to SLOW_SRC (or out of
 * FAST_TESTS) when it grows past that.
 * How they share the machine: first the fast files, two at a time (they compute: two cores, two
 * files); then the slow ones, three at a time (most of a slow file's time is spent waiting: for a
 * child process to start, a browser to paint, a fake engine's timed chunks, so a third file uses
 * the time the other two leave the cores idle; the README's loaded-machine check, `npm test`
 * beside two CPU burners, is a harsher load than a third file); and then the HEAVY files run one
 * at a time, alone: they run real inference on every core (whisper uses them all), or assert how
 * fast a whole app reacts (a recording stops background work within a second), which a second
 * file beside them would make a test of the machine rather than of Hark.
 * pocketsphinx hears a window on one core (a long file's windows side by side, one process each),
 * so its files (the engine contracts for pocketsphinx and for a command, pocketsphinx.test.ts) run
 * with the slow ones: their one timing, an abort answered within a second, is a kill and a
 * rejection, milliseconds even beside another file.
 */
const FAST_TESTS = [
  'tests/architecture.test.ts',
  'tests/buildWhisper.test.ts',
  'tests/cancelledImport.test.ts',
  'tests/web/**/*.test.ts',
  'tests/api.test.ts',
  'tests/machineRules.test.ts',
  'tests/sse.test.ts',
  'tests/attacks/diskFull.test.ts',
  'tests/attacks/hostOrigin.test.ts',
  'tests/attacks/traversal.test.ts',
  'tests/attacks/uploads.test.ts',
];
/** Real pocketsphinx inference, on one core: seconds per test. */
const SLOW_SRC = [
  'src/transcription/pocketsphinx.test.ts',
  'src/transcription/pocketsphinxSession.test.ts',
  'src/transcription/pocketsphinxSpare.test.ts',
];
/** Real whisper.cpp inference, on every core: seconds per test. */
const HEAVY_SRC = [
  'src/transcription/whisper/whisperAccuracy.test.ts',
  'src/transcription/whisper/whisperRecognizer.test.ts',
];

/**
 * How many slow files run at once: 3 on the two-core machine `npm test` is timed on (see below);
 * HARK_TEST_SLOW_WORKERS=2 for a machine that other work keeps busy.
 */
const SLOW_WORKERS = Number(process.env.HARK_TEST_SLOW_WORKERS ?? 3);

/** Real inference on every core, or a reaction time asserted: run alone, after the rest. */
const HEAVY = [
  ...HEAVY_SRC,
  'tests/contract/engines.test.ts',
  'tests/contract/postgresFaults.test.ts',
  'tests/priority.test.ts',
  'tests/load.test.ts',
  'tests/e2e/manyNotes.test.ts',
];

export default defineConfig({
  test: {
    // Native modules (better-sqlite3, whisper) and child processes are happiest in forked workers.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A test that leaves a timer, socket or child process behind fails instead of hanging the run.
    teardownTimeout: 10_000,
    setupFiles: ['tests/helpers/setup.ts'],
    // expect.poll waits for a condition; its default of 1 s is overrun by a busy machine. A passing
    // poll returns as soon as the condition holds, so a generous limit costs nothing.
    expect: { poll: { timeout: 15_000 } },
    // As root: the copy that children running as nobody use, and the check that it works (see the file).
    globalSetup: ['tests/helpers/globalSetup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['src/**/*.test.ts', ...FAST_TESTS],
          exclude: [...configDefaults.exclude, ...SLOW_SRC, ...HEAVY_SRC],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: ['tests/**/*.test.ts', ...SLOW_SRC],
          exclude: [...configDefaults.exclude, ...FAST_TESTS, ...HEAVY],
          maxWorkers: SLOW_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'heavy',
          include: HEAVY,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
