/**
 * Each study metric of one run, from its compact record. Accuracy at the equal-time horizon
 * needs the other strategies of the same seed: the horizon is the shortest simulated time among
 * them, and a strategy's accuracy there is the one of its last round ending at or before it.
 * Accuracy at the equal-samples horizon is the same with samples trained in place of time:
 * it tells a strategy that is faster because it trains less from one that learns more per
 * sample. Time to target is recomputed from the rounds (first trained round at or above the target),
 * so a study can be re-analysed for another --target without running anything again.
 */
import type { StudyRecord } from './record.js';

export const METRICS = [
  'finalAccuracy', 'bestAccuracy', 'horizonAccuracy', 'samplesHorizonAccuracy', 'timeToTargetMs', 'simulatedMs',
  'samplesTrained', 'meanGlobalBatch', 'meanEffectiveParticipants', 'skippedRounds', 'lowestWeightShare',
] as const;
export type Metric = (typeof METRICS)[number];

/** How a difference reads: higher accuracy, faster time, more samples … */
export type Kind = 'accuracy' | 'duration' | 'count' | 'share';

export const METRIC_INFO: Record<Metric, { label: string; kind: Kind; words: [more: string, less: string] }> = {
  finalAccuracy: { label: 'final accuracy', kind: 'accuracy', words: ['higher', 'lower'] },
  bestAccuracy: { label: 'best accuracy', kind: 'accuracy', words: ['higher', 'lower'] },
  horizonAccuracy: { label: 'accuracy at equal time', kind: 'accuracy', words: ['higher', 'lower'] },
  samplesHorizonAccuracy: { label: 'equal-samples accuracy', kind: 'accuracy', words: ['higher', 'lower'] },
  timeToTargetMs: { label: 'time to target', kind: 'duration', words: ['slower', 'faster'] },
  simulatedMs: { label: 'simulated time', kind: 'duration', words: ['slower', 'faster'] },
  samplesTrained: { label: 'samples trained', kind: 'count', words: ['more', 'fewer'] },
  meanGlobalBatch: { label: 'mean global batch', kind: 'count', words: ['larger', 'smaller'] },
  meanEffectiveParticipants: { label: 'effective participants', kind: 'count', words: ['more', 'fewer'] },
  skippedRounds: { label: 'skipped rounds', kind: 'count', words: ['more', 'fewer'] },
  lowestWeightShare: { label: 'lowest weight share', kind: 'share', words: ['higher', 'lower'] },
};

export type RunMetrics = Record<Metric, number | null>;

function average(values: ReadonlyArray<number | null>, keep: (i: number) => boolean): number | null {
  let sum = 0;
  let n = 0;
  values.forEach((v, i) => {
    if (v === null || !keep(i)) return;
    sum += v;
    n += 1;
  });
  return n === 0 ? null : sum / n;
}

/** The last round ending at or before `horizonMs` that has an accuracy; null when none did. */
export function accuracyAt(record: StudyRecord, horizonMs: number): number | null {
  const { endMs, accuracy } = record.rounds;
  let found: number | null = null;
  for (let i = 0; i < endMs.length; i++) {
    const end = endMs[i];
    if (end === null || end === undefined || end > horizonMs) break;
    if (accuracy[i] !== null) found = accuracy[i]!;
  }
  return found;
}

/** The last round whose samples trained so far are at or below `samples` and that has an accuracy; null when none. */
export function accuracyAtSamples(record: StudyRecord, samples: number): number | null {
  const { samples: trained, accuracy } = record.rounds;
  let found: number | null = null;
  for (let i = 0; i < trained.length; i++) {
    if (trained[i]! > samples) break;
    if (accuracy[i] !== null) found = accuracy[i]!;
  }
  return found;
}

export function timeToTarget(record: StudyRecord, target: number): number | null {
  const { skipped, accuracy, endMs } = record.rounds;
  for (let i = 0; i < accuracy.length; i++) {
    if (!skipped[i] && accuracy[i] !== null && accuracy[i]! >= target) return endMs[i] ?? null;
  }
  return null;
}

/** Per seed, the shortest simulated time of the runs of that seed (the equal-time horizon). */
export function horizons(records: readonly StudyRecord[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const record of records) {
    const ms = record.summary.simulatedMs;
    if (ms === null) continue;
    const known = out.get(record.seed);
    if (known === undefined || ms < known) out.set(record.seed, ms);
  }
  return out;
}

/** A run's samples trained by its last round (the records' own count, so the lookup above finds its rounds). */
function samplesOf(record: StudyRecord): number | null {
  const { samples } = record.rounds;
  return samples.length === 0 ? null : samples[samples.length - 1]!;
}

/** Per seed, the fewest samples any run of that seed trained (the equal-samples horizon). */
export function sampleHorizons(records: readonly StudyRecord[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const record of records) {
    const samples = samplesOf(record);
    if (samples === null) continue;
    const known = out.get(record.seed);
    if (known === undefined || samples < known) out.set(record.seed, samples);
  }
  return out;
}

export function runMetrics(record: StudyRecord, target: number, horizonMs: number | undefined, horizonSamples?: number): RunMetrics {
  const { rounds, summary } = record;
  const trained = (i: number) => !rounds.skipped[i];
  let lowest: number | null = null;
  for (const share of rounds.minWeightShare) if (share !== null && (lowest === null || share < lowest)) lowest = share;
  let skipped = 0;
  for (const s of rounds.skipped) if (s) skipped += 1;
  return {
    finalAccuracy: summary.finalAccuracy,
    bestAccuracy: summary.bestAccuracy,
    horizonAccuracy: horizonMs === undefined ? null : accuracyAt(record, horizonMs),
    samplesHorizonAccuracy: horizonSamples === undefined ? null : accuracyAtSamples(record, horizonSamples),
    timeToTargetMs: timeToTarget(record, target),
    simulatedMs: summary.simulatedMs,
    samplesTrained: summary.samplesTrained,
    meanGlobalBatch: average(rounds.globalBatch, trained),
    meanEffectiveParticipants: average(rounds.effectiveParticipants, () => true),
    skippedRounds: skipped,
    lowestWeightShare: lowest,
  };
}
