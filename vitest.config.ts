import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files that must run in a fresh process: one replaces a Node module (vi.mock), and the
 * engines' tests choose TF.js's backend, a process-wide setting, for the engines they create.
 */
export const ISOLATED = ['test/cli/fifo-open.test.ts', 'test/train/**/*.test.ts', 'test/node/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/helpers/temp-root.ts'],
    // vitest's default is one worker fewer than the cores: one on a 2-core machine, where many
    // files spend their time waiting for the dtrain processes they start. Two workers there
    // took the suite from 522 s to 385 s; with the suite grown to 1,867 tests, three took it
    // from 496 s (two, a fresh-clone CI) to 428 s.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      // The rest share their worker processes: a fresh process per file (starting it, then
      // importing the test's modules again) cost 52 s for the 116 files under a second, 11 s shared.
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
    ],
  },
});
