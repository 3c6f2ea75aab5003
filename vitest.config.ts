import { defineConfig } from 'vitest/config';

/** At most this many characters of one console message reach the output (the rest is counted, not printed). */
const CONSOLE_LIMIT = 4_000;

/**
 * The suite runs on busy 2-core machines (CI): two worker processes, each reusing its module
 * cache from file to file (`isolate: false`: a fresh module graph per file cost about three times
 * the CPU of the tests themselves). Every test file closes what it opens (servers, stores,
 * browsers); test/helpers/setup.ts puts back timers, spies and TZ after each file.
 * A failing test prints a bounded report: diffs are cut to a few hundred lines and a few levels
 * deep (a database object or a buffer in an assertion stays readable), and long console messages
 * are cut too, so the log of a failing CI run stays small.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    setupFiles: ['test/helpers/setup.ts'],
    env: { PARLANCE_SUITE_TZ: process.env.TZ ?? '' },
    chaiConfig: { truncateThreshold: 200 },
    diff: { truncateThreshold: 200, maxDepth: 5, printBasicPrototype: false },
    printConsoleTrace: false,
    onConsoleLog(log) {
      if (log.length <= CONSOLE_LIMIT) return undefined;
      process.stdout.write(`${log.slice(0, CONSOLE_LIMIT)}\n… (${log.length - CONSOLE_LIMIT} more characters not shown)\n`);
      return false;
    },
  },
});
