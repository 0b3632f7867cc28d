/**
 * Hand-made study records for the study report's tests: each round is
 * [endMs, accuracy, samples trained so far].
 */
import type { StudyRecord } from '../../src/study/record.js';

export type Round = [endMs: number, accuracy: number, samples: number];

export function handRecord(strategy: string, seed: number, rounds: Round[]): StudyRecord {
  const last = rounds.at(-1)!;
  let best = 0;
  for (const r of rounds) best = Math.max(best, r[1]);
  return {
    studyRecord: 1,
    key: `${strategy}-${seed}`,
    strategy,
    seed,
    summary: { finalAccuracy: last[1], bestAccuracy: best, simulatedMs: last[0], samplesTrained: last[2], timeToTargetMs: null },
    rounds: {
      round: rounds.map((_, i) => i + 1),
      endMs: rounds.map((r) => r[0]),
      accuracy: rounds.map((r) => r[1]),
      loss: rounds.map(() => 1),
      globalBatch: rounds.map(() => 8),
      effectiveParticipants: rounds.map(() => 2),
      skipped: rounds.map(() => false),
      samples: rounds.map((r) => r[2]),
      minWeightShare: rounds.map(() => 1),
    },
  };
}

/** Three seeds of a slow baseline (`sync-sgd`), a faster `s1s4` and a `constructor` (a name vega must not read as code). */
export function handStudy(): StudyRecord[] {
  return [
    handRecord('s1s4', 1, [[1000, 0.5, 10], [2000, 0.7, 20]]),
    handRecord('s1s4', 2, [[1000, 0.6, 10], [3000, 0.8, 30]]),
    handRecord('s1s4', 3, [[2000, 0.4, 20], [3000, 0.9, 30]]),
    handRecord('sync-sgd', 1, [[1500, 0.3, 16], [3000, 0.6, 32]]),
    handRecord('sync-sgd', 2, [[1500, 0.4, 16], [3000, 0.7, 32]]),
    handRecord('sync-sgd', 3, [[1500, 0.35, 16], [3000, 0.65, 32]]),
    handRecord('constructor', 1, [[1000, 0.45, 8], [2000, 0.55, 16]]),
    handRecord('constructor', 2, [[1000, 0.5, 8], [2000, 0.6, 16]]),
    handRecord('constructor', 3, [[1000, 0.55, 8], [2000, 0.62, 16]]),
  ];
}
