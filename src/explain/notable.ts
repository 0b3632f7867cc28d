/**
 * `dtrain explain` without --round: the rounds where something notable happened (the
 * insights, with their rounds) and the command that explains one of them.
 */
import { minOf } from '../extremes.js';
import { detectRunInsights } from '../insights/index.js';
import type { Insight } from '../insights/types.js';
import { renderStrategyInsights } from '../insights/render.js';
import type { Scenario } from '../scenario/types.js';
import type { StrategyRun } from '../sim/records.js';
import { explainHeader } from './round.js';

export interface NotableInput {
  scenario: Scenario;
  run: StrategyRun;
  /** how the user named the scenario, for the suggested command ('' = the default one) */
  scenarioArg: string;
  /** the --strategy to repeat in the suggestion (undefined = the default one) */
  strategyArg?: string;
  /**
   * The run's insights, found as its rounds finished (InsightStream), for a run that kept no
   * node records; absent: found here from the run's rounds.
   */
  insights?: readonly Insight[];
}

export function explainNotable(input: NotableInput): string {
  const { scenario, run } = input;
  const insights = input.insights ?? detectRunInsights(run, scenario);
  const strategy = input.strategyArg === undefined ? '' : ` --strategy ${input.strategyArg}`;
  const command = ['dtrain explain', ...(input.scenarioArg === '' ? [] : [input.scenarioArg])].join(' ');
  const rounds = `${run.rounds.length} round${run.rounds.length === 1 ? '' : 's'}`;
  const first = insights.length === 0 ? undefined : minOf(insights.map((insight) => insight.rounds[0]!));
  const suggestion = first === undefined
    ? `Nothing notable in ${rounds}. Explain any round (1–${run.rounds.length}) with`
      + ` ${command} --round N${strategy}`
    : `Explain a round step by step: ${command} --round ${first}${strategy}`
      + ` (any of 1–${run.rounds.length}; add --node ID for one node)`;
  return `${explainHeader(scenario, run.strategy)}\n${rounds} run; the rounds where something notable happened:\n\n`
    + `${renderStrategyInsights(run.strategy.name, insights, scenario, 'rounds')}\n\n${suggestion}\n`;
}
