/**
 * `dtrain explain --round R`: every decision of one round in words a student can follow,
 * stage by stage (S1 → S2, S3, the timeline, S4, evaluation), each with its formula, its
 * inputs and its result. Pure: the run's records and the scenario in, text out.
 */
import { detectRunInsights } from '../insights/index.js';
import { insightText } from '../insights/render.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import type { StrategyRun } from '../sim/records.js';
import { keptHistory } from './history.js';
import { longTimeReading } from '../text/duration.js';
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
  return `round ${record.round} of ${input.scenario.rounds} · T = ${ms(record.startMs)} → ${ms(record.endMs)}${longTimeReading(record.endMs / 1000)}`
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
  const insights = input.insights
    .filter((insight) => insight.rounds.includes(record.round))
    .filter((insight) => input.nodeId === undefined || !('nodeId' in insight) || insight.nodeId === input.nodeId);
  if (insights.length === 0) return [];
  return ['Notable in this run so far, and true in this round', ...insights.map((i) => `${NODE_INDENT}! ${insightText(i, input.scenario)}`)];
}

/**
 * The explanation's sections in order, each made when called (an empty one is left out): at
 * 131,072 nodes a section is a line or more per node, so the CLI writes each as it is made
 * rather than the whole text as one string. Joined with blank lines they are explainRound.
 */
export function explainRoundSections(input: ExplainInput): Array<() => string[]> {
  const { record } = input;
  const shown = record.nodes.flatMap((node, i) => (input.nodeId === undefined || node.id === input.nodeId ? [i] : []));
  const view: RoundView = { input, record, shown };
  return [
    () => [explainHeader(input.scenario, input.strategy), roundLine(view)],
    () => efficiencyBatchSection(view),
    () => resourcesSection(view),
    () => timelineSection(view),
    () => aggregationSection(view),
    () => evaluationLines(view),
    () => notableLines(view),
  ];
}

/** The whole explanation of `input.record`'s round; ends with a newline. */
export function explainRound(input: ExplainInput): string {
  const sections = explainRoundSections(input).map((section) => section()).filter((lines) => lines.length > 0);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** What explaining a round of a run that kept its rounds' records takes (the playground's, tests'). */
export interface KeptRoundInput extends Pick<ExplainInput, 'scenario' | 'nodeId' | 'context' | 'stages'> {
  /** the strategy's run; it holds at least rounds 1 … round */
  run: StrategyRun;
  round: number;
}

/** explainRound of round `round` of a run that kept its rounds' records. */
export function explainKeptRound(input: KeptRoundInput): string {
  const { run, round, ...rest } = input;
  const record = run.rounds[round - 1];
  if (record === undefined || record.round !== round) throw new RangeError(`the run has no round ${round}`);
  const insights = detectRunInsights({ ...run, rounds: run.rounds.slice(0, round) }, input.scenario);
  return explainRound({ ...rest, strategy: run.strategy, record, history: keptHistory(run), insights });
}
