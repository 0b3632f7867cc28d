import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that must run in a fresh process: one replaces a Node module (vi.mock), and the
 * engines' tests choose TF.js's backend, a process-wide setting, for the engines they create.
 */
export const ISOLATED = ['test/cli/fifo-open.test.ts', 'test/train/**/*.test.ts', 'test/node/**/*.test.ts'];

/**
 * The files that take longest (seconds in a whole run on a 2-core machine, 2026-12-04), started
 * first. Without a timing cache (a fresh clone, as CI runs) vitest starts the largest files
 * first, and a short file that runs long (the 1,000-scenario property, the command-line fuzz)
 * started last and ran alone for the last 10–30 s while the other workers had nothing left.
 */
export const SLOW_FIRST = [
  'test/playground-ui/page.test.ts', // 79
  'test/study/study-cli.test.ts', // 58
  'test/hostile/runtime.test.ts', // 57
  'test/docs.test.ts', // 54
  'test/playground/browser.test.ts', // 54
  'test/hostile/outputs.test.ts', // 52
  'test/hostile/reads.test.ts', // 44
  'test/plugins/plugins-cli.test.ts', // 40
  'test/sweep/sweep-cli.test.ts', // 38
  'test/scenarios/claims.test.ts', // 36
  'test/cli/sweep.test.ts', // 33
  'test/run/rounds-ahead.test.ts', // 33
  'test/properties/planning.test.ts', // 32
  'test/node/window-thread.test.ts', // 31
  'test/calibrate/cli.test.ts', // 28
  'test/properties/cli-fuzz.test.ts', // 25
  'test/hostile/budget.test.ts', // 25
  'test/cli/check.test.ts', // 24
  'test/playground/cli.test.ts', // 24
  'test/export/cli.test.ts', // 23
  'test/hostile/signals.test.ts', // 22
  'test/cli/explain.test.ts', // 22
  'test/node/engine-helper.test.ts', // 21
];

/** `files` (paths from the root) with SLOW_FIRST's ahead, in its order; the rest keep theirs. */
export function slowFirst<T>(files: readonly T[], pathOf: (file: T) => string): T[] {
  const rank = (file: T): number => {
    const at = SLOW_FIRST.indexOf(pathOf(file));
    return at < 0 ? SLOW_FIRST.length : at;
  };
  // Array.prototype.sort is stable
  return [...files].sort((a, b) => rank(a) - rank(b));
}

/** vitest's order (failed first, then longest or largest first), SLOW_FIRST ahead of the rest. */
class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return slowFirst(await super.sort(files), (file) => relative(file.project.config.root, file.moduleId).split('\\').join('/'));
  }
}

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    sequence: { sequencer: SlowFirst },
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
