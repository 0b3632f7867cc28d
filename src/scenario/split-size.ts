/**
 * The size of the test split (train/split.ts draws it): here because the loader checks
 * `data.partition.shards` against the training split before anything is trained.
 */

/** Number of test samples: round half up, clamped to [1, n − 1] so both splits are non-empty. */
export function testSampleCount(samples: number, testFraction: number): number {
  return Math.min(samples - 1, Math.max(1, Math.floor(samples * testFraction + 0.5)));
}
