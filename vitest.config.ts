import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one on a 2-core machine, where many
    // files spend their time waiting for the dtrain processes they start. Two workers there
    // took the suite from 522 s to 385 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
