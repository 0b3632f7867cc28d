/** The input of every explanation builder: one round of one strategy run, plus its context. */
import type { ResolvedStages } from '../pipeline/stage-registry.js';
import type { Scenario } from '../scenario/types.js';
import type { RoundRecord, RunSetting, StrategyRun } from '../sim/records.js';

export interface ExplainInput {
  scenario: Scenario;
  /** the strategy's run; it holds at least rounds 1 … round */
  run: StrategyRun;
  round: number;
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
