/**
 * `dtrain explain --round R`: every decision of one round in words a student can follow,
 * stage by stage (S1 → S2, S3, the timeline, S4, evaluation), each with its formula, its
 * inputs and its result. Pure: the run's records and the scenario in, text out.
 */
import { detectRunInsights } from '../insights/index.js';
import { insightText } from '../insights/render.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import { ms, num } from './format.js';
import { efficiencyBatchSection } from './s1-s2.js';
import { resourcesSection } from './s3.js';
import { aggregationSection } from './s4.js';
import { timelineSection } from './timeline.js';
import { NODE_INDENT, type ExplainInput, type RoundView } from './types.js';

export type { ExplainInput } from './types.js';

/** `dtrain explain · scenario … · seed …` and the strategy's stages. */
export function explainHeader(scenario: Scenario, strategy: StrategySpec): string {
  const where = scenario.file === null ? '' : ` (${scenario.file})`;
  const { name, batch, resources, aggregation } = strategy;
  return `dtrain explain · scenario ${scenario.name}${where} · seed ${scenario.seed}\n`
    + `strategy ${name}: batch ${batch} · resources ${resources} · aggregation ${aggregation}`;
}

/** Above this many nodes, a round explained for all of them says how to explain one. */
const MANY_NODES = 50;

function roundLine(view: RoundView): string {
  const { record, input } = view;
  const took = record.nodes.filter((n) => n.participated).length;
  const only = input.nodeId === undefined ? '' : ` · showing node ${input.nodeId}`;
  // 16,384 nodes give some 160,000 lines
  const many = input.nodeId === undefined && record.nodes.length > MANY_NODES
    ? `\nevery node is explained below, a line or more each at every step; --node ID explains one (e.g. --node ${record.nodes[0]!.id})`
    : '';
  return `round ${record.round} of ${input.scenario.rounds} · T = ${ms(record.startMs)} → ${ms(record.endMs)}`
    + ` · ${took} of ${record.nodes.length} nodes took part${only}${many}`;
}

function evaluationLines(view: RoundView): string[] {
  const { record } = view;
  const model = record.skipped ? 'θ unchanged (no participant)' : 'θ_{t+1} = Σ w_i θ_i';
  return [
    'Evaluation of the global model on the test split',
    `${NODE_INDENT}${model} → loss ${num(record.loss, 4)}, accuracy ${num(record.accuracy, 4)}`,
  ];
}

function notableLines(view: RoundView): string[] {
  const { input, record } = view;
  const insights = detectRunInsights({ ...input.run, rounds: input.run.rounds.slice(0, record.round) }, input.scenario)
    .filter((insight) => insight.rounds.includes(record.round))
    .filter((insight) => input.nodeId === undefined || !('nodeId' in insight) || insight.nodeId === input.nodeId);
  if (insights.length === 0) return [];
  return ['Notable in this run so far, and true in this round', ...insights.map((i) => `${NODE_INDENT}! ${insightText(i, input.scenario)}`)];
}

/** The whole explanation of `input.round`; ends with a newline. */
export function explainRound(input: ExplainInput): string {
  const record = input.run.rounds[input.round - 1];
  if (record === undefined || record.round !== input.round) throw new RangeError(`the run has no round ${input.round}`);
  const shown = record.nodes.flatMap((node, i) => (input.nodeId === undefined || node.id === input.nodeId ? [i] : []));
  const view: RoundView = { input, record, shown };
  const sections = [
    [explainHeader(input.scenario, input.run.strategy), roundLine(view)],
    efficiencyBatchSection(view),
    resourcesSection(view),
    timelineSection(view),
    aggregationSection(view),
    evaluationLines(view),
    notableLines(view),
  ].filter((lines) => lines.length > 0);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
