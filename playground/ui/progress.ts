/**
 * Accuracy and loss after every round of every strategy against simulated time (the round's
 * end, seconds): the rows the line charts draw, as the HTML report's progress chart reads them.
 */
import type { RunModel } from './model.js';

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
  /** node-rounds that were dispatched but dropped */
  drops: number;
}

/** The strategies side by side, as far as each has run: the CLI's comparison, live. */
export function scoreboard(model: RunModel): ScoreRow[] {
  return model.strategies.map((track) => {
    const last = track.rounds[track.rounds.length - 1];
    let best: number | null = null;
    let drops = 0;
    for (const round of track.rounds) {
      if (typeof round.accuracy === 'number' && (best === null || round.accuracy > best)) best = round.accuracy;
      for (const node of round.nodes) if (node.dropReason === 'retries' || node.dropReason === 'deadline') drops += 1;
    }
    return {
      strategy: track.name,
      rounds: `${track.rounds.length} / ${model.totalRounds}`,
      accuracy: last?.accuracy ?? null,
      bestAccuracy: best,
      loss: last?.loss ?? null,
      simulatedMs: last?.endMs ?? null,
      drops,
    };
  });
}
