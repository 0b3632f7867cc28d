/** The input of every explanation builder: one round of one strategy run, plus its context. */
import type { ResolvedStages } from '../pipeline/stage-registry.js';
import type { Insight } from '../insights/types.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import type { RoundRecord, RunSetting } from '../sim/records.js';
import type { RoundHistory } from './history.js';

export interface ExplainInput {
  scenario: Scenario;
  /** the run's strategy */
  strategy: StrategySpec;
  /** the round explained, with its raw S1 samples */
  record: RoundRecord;
  /** what the explanation reads of the rounds before it */
  history: RoundHistory;
  /** the run's insights over its rounds up to the one explained */
  insights: readonly Insight[];
  /** explain only this node's decisions (round-level lines stay) */
  nodeId?: string;
  context: RunSetting;
  /** the run's strategy's stages (their names, summaries) */
  stages: ResolvedStages;
}

/** What the section builders share: the round's record and the indices of the nodes to show. */
export interface RoundView {
  input: ExplainInput;
  record: RoundRecord;
  shown: number[];
}

/** Indentation of per-node lines and of their continuation lines. */
export const NODE_INDENT = '  ';
export function continuation(nodeId: string): string {
  return ' '.repeat(NODE_INDENT.length + `node ${nodeId}: `.length);
}
