/**
 * `--shard i/n` (issue 5): the deterministic slice of a grid that job i of n runs — the runs
 * whose grid index ≡ i − 1 (mod n). Round-robin rather than contiguous blocks, so that each
 * shard gets a mix of every axis value and strategy and the shards take about as long.
 */
import { DtrainError } from '../errors.js';

export interface Shard {
  /** 1-based, as Slurm array ids and the issue's `--shard i/n` count */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new DtrainError('cli.invalidArgument', `--shard must be i/n with whole numbers 1 ≤ i ≤ n, found '${text}'`, {
      hint: 'e.g. --shard 1/4 … --shard 4/4; with a 0-based job index (Kubernetes JOB_COMPLETION_INDEX) add 1',
    });
  }
  return { index, count };
}

export function inShard(gridIndex: number, shard: Shard | null): boolean {
  return shard === null || gridIndex % shard.count === shard.index - 1;
}
