/**
 * Accuracy and loss after every round of every strategy against simulated time (the round's
 * end, seconds): the rows the line charts draw, as the HTML report's progress chart reads them.
 */
import type { JsonRound } from '../../src/browser/protocol.js';
import type { RunModel } from './model.js';
import type { Linear } from './scale.js';

export interface ProgressPoint {
  timeS: number;
  round: number;
  accuracy: number | null;
  loss: number | null;
}

export interface ProgressSeries {
  strategy: string;
  points: ProgressPoint[];
}

export function progressSeries(model: RunModel): ProgressSeries[] {
  return model.strategies.map((track) => ({
    strategy: track.name,
    points: track.rounds
      .filter((round) => typeof round.endMs === 'number')
      .map((round) => ({ timeS: round.endMs! / 1000, round: round.round, accuracy: round.accuracy, loss: round.loss })),
  }));
}

export interface ScoreRow {
  strategy: string;
  /** `12 / 30` */
  rounds: string;
  accuracy: number | null;
  bestAccuracy: number | null;
  loss: number | null;
  simulatedMs: number | null;
  /** simulated time when test accuracy first reached the target; null: not (yet), or no target */
  toTargetMs: number | null;
  /** samples trained: each participant's batch times the local steps, summed (the summary's samplesTrained) */
  samples: number;
  /** node-rounds that were dispatched but dropped */
  drops: number;
}

interface Tally {
  counted: number;
  best: number | null;
  batches: number;
  drops: number;
  toTargetMs: number | null;
  target: number | null;
}

/** Each run's running totals, extended by the rounds appended since the last call (the list only grows). */
const tallies = new WeakMap<readonly JsonRound[], Tally>();

function tally(rounds: readonly JsonRound[], targetAccuracy: number | null): Tally {
  let known = tallies.get(rounds);
  if (known === undefined || known.counted > rounds.length || known.target !== targetAccuracy) {
    known = { counted: 0, best: null, batches: 0, drops: 0, toTargetMs: null, target: targetAccuracy };
    tallies.set(rounds, known);
  }
  for (; known.counted < rounds.length; known.counted += 1) {
    const round = rounds[known.counted]!;
    const accuracy = round.accuracy;
    if (typeof accuracy === 'number' && (known.best === null || accuracy > known.best)) known.best = accuracy;
    if (known.toTargetMs === null && targetAccuracy !== null && !round.skipped && typeof accuracy === 'number' && accuracy >= targetAccuracy) {
      known.toTargetMs = round.endMs;
    }
    for (const node of round.nodes) {
      if (node.dropReason === 'retries' || node.dropReason === 'deadline') known.drops += 1;
      const batch = node.batch;
      if (node.participated && typeof batch === 'number') known.batches += batch;
    }
  }
  return known;
}

/**
 * The strategies side by side, as far as each has run: the CLI's summary, live. "To target"
 * is the CLI's: the end of the first round (not skipped) whose accuracy reached the target.
 */
export function scoreboard(model: RunModel, targetAccuracy: number | null = null, localSteps = 1): ScoreRow[] {
  return model.strategies.map((track) => {
    const last = track.rounds[track.rounds.length - 1];
    const totals = tally(track.rounds, targetAccuracy);
    return {
      strategy: track.name,
      rounds: `${track.rounds.length} / ${model.totalRounds}`,
      accuracy: last?.accuracy ?? null,
      bestAccuracy: totals.best,
      loss: last?.loss ?? null,
      simulatedMs: last?.endMs ?? null,
      toTargetMs: totals.toTargetMs,
      samples: totals.batches * localSteps,
      drops: totals.drops,
    };
  });
}

/**
 * The point of a line chart nearest to a click at (px, py), within `maxDistance` CSS pixels:
 * a click on a line picks that strategy's round there. Null when no point is that close.
 */
export function nearestPoint(
  series: readonly ProgressSeries[], field: 'accuracy' | 'loss', px: number, py: number, x: Linear, y: Linear, maxDistance = 24,
): { strategyIndex: number; round: number } | null {
  let best: { strategyIndex: number; round: number } | null = null;
  let bestDistance = maxDistance * maxDistance;
  series.forEach((s, strategyIndex) => {
    for (const point of s.points) {
      const value = point[field];
      if (value === null) continue;
      const dx = x(point.timeS) - px;
      const dy = y(value) - py;
      const distance = dx * dx + dy * dy;
      if (distance <= bestDistance) {
        bestDistance = distance;
        best = { strategyIndex, round: point.round };
      }
    }
  });
  return best;
}
