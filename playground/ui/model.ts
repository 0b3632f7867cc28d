/**
 * What the page knows of the current run, fed by the worker's messages in order: the
 * strategies and nodes from `start`, then every `round` (the JSON report's round object and
 * its timeline). Plain data and small functions, so the views are functions of it and the
 * tests need no DOM. Rounds are appended in place: at a round per frame, copying every
 * strategy's history each round would be the page's main cost.
 */
import type { JsonRound, RoundMessage, StartMessage, TimelinePhase } from '../../src/browser/protocol.js';

export interface StrategyTrack {
  name: string;
  rounds: JsonRound[];
  /** per round (same index as `rounds`): each node's phases, scenario order */
  timelines: TimelinePhase[][][];
}

export interface RunModel {
  scenario: StartMessage['scenario'];
  backend: string;
  nodes: string[];
  /** rounds per strategy */
  totalRounds: number;
  strategies: StrategyTrack[];
}

export function startRun(start: StartMessage): RunModel {
  return {
    scenario: start.scenario,
    backend: start.backend,
    nodes: start.nodes.slice(),
    totalRounds: start.rounds,
    strategies: start.strategies.map((name) => ({ name, rounds: [], timelines: [] })),
  };
}

/** Records one finished round; false (and nothing changed) for a round that does not fit the run. */
export function addRound(model: RunModel, message: RoundMessage): boolean {
  const track = model.strategies[message.strategyIndex];
  if (track === undefined || track.name !== message.strategy) return false;
  track.rounds.push(message.round);
  track.timelines.push(message.timeline.map((entry) => entry.phases));
  return true;
}

export function finishedRounds(model: RunModel): number {
  let total = 0;
  for (const track of model.strategies) total += track.rounds.length;
  return total;
}

/** Which round the round-level views show: a strategy and a round number, and a node or none. */
export interface Selection {
  strategyIndex: number;
  round: number;
  /** a node index, or null for the whole round */
  node: number | null;
  /** true while the views follow the newest round (until the user picks one) */
  follow: boolean;
}

export const NO_SELECTION: Selection = { strategyIndex: 0, round: 0, node: null, follow: true };

/** The newest finished round: the last strategy that has rounds, its last round. */
export function newestRound(model: RunModel): { strategyIndex: number; round: number } | null {
  for (let s = model.strategies.length - 1; s >= 0; s -= 1) {
    const rounds = model.strategies[s]!.rounds;
    if (rounds.length > 0) return { strategyIndex: s, round: rounds[rounds.length - 1]!.round };
  }
  return null;
}

/** The selection after a round arrives: a following selection moves to the newest round. */
export function followSelection(model: RunModel, selection: Selection): Selection {
  if (!selection.follow) return selection;
  const newest = newestRound(model);
  return newest === null ? selection : { ...selection, ...newest };
}

/** The selected round's record and timeline, or null when it has not finished. */
export function selectedRound(model: RunModel, selection: Selection): { round: JsonRound; timeline: TimelinePhase[][] } | null {
  const track = model.strategies[selection.strategyIndex];
  if (track === undefined) return null;
  // rounds arrive in order from 1, so round r is usually at r − 1
  const guess = selection.round - 1;
  const index = track.rounds[guess]?.round === selection.round ? guess : track.rounds.findIndex((r) => r.round === selection.round);
  if (index < 0) return null;
  return { round: track.rounds[index]!, timeline: track.timelines[index]! };
}
