/**
 * Accuracy and loss after every round of every strategy against simulated time (the round's
 * end, seconds): the rows the line charts draw, as the HTML report's progress chart reads them.
 */
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
  /** samples trained, from the finished report's summary; null until then */
  samples: number | null;
  /** node-rounds that were dispatched but dropped */
  drops: number;
}

/** The parts of a finished report's `summary` the scoreboard shows, per strategy name. */
export type Summaries = ReadonlyMap<string, { samplesTrained: number | null }>;

/**
 * The strategies side by side, as far as each has run: the CLI's summary, live. "To target"
 * is the CLI's: the end of the first round (not skipped) whose accuracy reached the target.
 */
export function scoreboard(model: RunModel, targetAccuracy: number | null = null, summaries: Summaries = new Map()): ScoreRow[] {
  return model.strategies.map((track) => {
    const last = track.rounds[track.rounds.length - 1];
    let best: number | null = null;
    let drops = 0;
    let toTargetMs: number | null = null;
    for (const round of track.rounds) {
      const accuracy = round.accuracy;
      if (typeof accuracy === 'number' && (best === null || accuracy > best)) best = accuracy;
      if (toTargetMs === null && targetAccuracy !== null && !round.skipped && typeof accuracy === 'number' && accuracy >= targetAccuracy) toTargetMs = round.endMs;
      for (const node of round.nodes) if (node.dropReason === 'retries' || node.dropReason === 'deadline') drops += 1;
    }
    return {
      strategy: track.name,
      rounds: `${track.rounds.length} / ${model.totalRounds}`,
      accuracy: last?.accuracy ?? null,
      bestAccuracy: best,
      loss: last?.loss ?? null,
      simulatedMs: last?.endMs ?? null,
      toTargetMs,
      samples: summaries.get(track.name)?.samplesTrained ?? null,
      drops,
    };
  });
}

/**
 * Each strategy's summary from a report's text (the `done` or `failed` message's JSON), or
 * an empty map for a report too large to parse on the page's thread or not one at all.
 */
export function reportSummaries(json: string, maxChars = 32 * 1024 * 1024): Map<string, { samplesTrained: number | null }> {
  const found = new Map<string, { samplesTrained: number | null }>();
  if (json.length > maxChars) return found;
  let report: unknown;
  try {
    report = JSON.parse(json);
  } catch {
    return found;
  }
  if (typeof report !== 'object' || report === null) return found;
  const runs = (report as { runs?: unknown }).runs;
  if (!Array.isArray(runs)) return found;
  for (const run of runs as Array<{ strategy?: { name?: unknown }; summary?: { samplesTrained?: unknown } }>) {
    const name = run.strategy?.name;
    const samples = run.summary?.samplesTrained;
    if (typeof name === 'string') found.set(name, { samplesTrained: typeof samples === 'number' ? samples : null });
  }
  return found;
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
