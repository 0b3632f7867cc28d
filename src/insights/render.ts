/**
 * Insights as text: one line per insight, grouped under a heading per strategy (printed by
 * `dtrain simulate` after the tables, and by `dtrain explain` without --round). Node ids and
 * strategy names are escaped for the terminal where they enter the text.
 */
import { formatDuration, formatPercent } from '../report/format.js';
import type { Scenario } from '../scenario/types.js';
import type { RunResult } from '../sim/records.js';
import { escapeForTerminal as shown } from '../text/terminal-escape.js';
import { BATCH_SPREAD_RATIO } from './batch-spread.js';
import {
  NOTHING_NOTABLE, SKIPPED_ROUND_TEXT, barrierStragglerText, batchSpreadText, dominantWeightText, droppedText,
  insightsHeading, moreNodesText, roundListText, starvedWeightText, whenText, zeroEfficiencyText,
} from './messages.js';
import { STARVED_STREAK, STARVED_WEIGHT } from './starved-weight.js';
import type { Insight, InsightKind } from './types.js';

/** At most this many nodes per kind and strategy are listed; the rest are counted. */
export const MAX_NODES_PER_KIND = 10;

function ratio(value: number): string {
  return `${value.toFixed(1)}×`;
}

/** What the insight says, without when. */
export function insightText(insight: Insight, scenario: Scenario): string {
  switch (insight.kind) {
    case 'zeroEfficiency':
      return zeroEfficiencyText({ node: shown(insight.nodeId), thresholdMs: formatDuration(scenario.pipeline.s1.thresholdMs) });
    case 'dominantWeight':
      return dominantWeightText({ node: shown(insight.nodeId), maxWeight: formatPercent(insight.maxWeight), maxRound: insight.maxRound });
    case 'starvedWeight':
      return starvedWeightText({
        node: shown(insight.nodeId), threshold: formatPercent(STARVED_WEIGHT, 0), streak: STARVED_STREAK, minWeight: formatPercent(insight.minWeight, 2),
      });
    case 'batchSpread':
      return batchSpreadText({
        ratio: ratio(insight.maxRatio), ratioLimit: `${BATCH_SPREAD_RATIO}×`, maxRound: insight.maxRound,
        small: `${shown(insight.smallest.nodeId)} ${insight.smallest.value}`, large: `${shown(insight.largest.nodeId)} ${insight.largest.value}`,
      });
    case 'barrierStraggler':
      return barrierStragglerText({
        node: shown(insight.nodeId), ratio: ratio(insight.maxRatio), duration: formatDuration(insight.durationMs),
        othersMedian: formatDuration(insight.othersMedianMs), maxRound: insight.maxRound,
      });
    case 'dropped':
      return droppedText({ node: shown(insight.nodeId), retries: insight.retries, deadline: insight.deadline });
    case 'skippedRound':
      return SKIPPED_ROUND_TEXT;
  }
}

/** `3–7, 12`: consecutive rounds collapse into ranges. */
export function roundRanges(rounds: readonly number[]): string {
  const parts: string[] = [];
  let start = rounds[0];
  for (let i = 0; i < rounds.length; i++) {
    const round = rounds[i]!;
    if (rounds[i + 1] === round + 1) continue;
    parts.push(start === round ? `${round}` : `${start}–${round}`);
    start = rounds[i + 1];
  }
  return parts.join(', ');
}

/** Keeps the first MAX_NODES_PER_KIND insights of each kind; counts what was left out per kind. */
function capPerKind(insights: readonly Insight[]): Array<Insight | { more: number }> {
  const shown = new Map<InsightKind, number>();
  const lines: Array<Insight | { more: number }> = [];
  const hidden = new Map<InsightKind, { more: number }>();
  for (const insight of insights) {
    const count = shown.get(insight.kind) ?? 0;
    if (count < MAX_NODES_PER_KIND) {
      shown.set(insight.kind, count + 1);
      lines.push(insight);
      continue;
    }
    let more = hidden.get(insight.kind);
    if (more === undefined) {
      more = { more: 0 };
      hidden.set(insight.kind, more);
      lines.push(more);
    }
    more.more += 1;
  }
  return lines;
}

export type InsightStyle = 'summary' | 'rounds';

/**
 * One strategy's insights. `summary` (simulate): `! what — first in round 3, 6 rounds in all`;
 * `rounds` (explain): `rounds 3–7, 12: what`.
 */
export function renderStrategyInsights(strategy: string, insights: readonly Insight[], scenario: Scenario, style: InsightStyle): string {
  const lines = capPerKind(insights).map((entry) => {
    if ('more' in entry) return `  ${moreNodesText(entry.more)}`;
    const what = insightText(entry, scenario);
    return style === 'summary'
      ? `  ! ${what} — ${whenText(entry.rounds[0]!, entry.rounds.length)}`
      : `  ${roundListText(roundRanges(entry.rounds))}: ${what}`;
  });
  return [insightsHeading(shown(strategy)), ...(lines.length === 0 ? [`  ${NOTHING_NOTABLE}`] : lines)].join('\n');
}

/** Every strategy run of the result, in run order; ends with a newline. */
export function renderInsights(result: RunResult, insights: readonly Insight[], style: InsightStyle = 'summary'): string {
  const blocks = result.runs.map(({ strategy }) => renderStrategyInsights(
    strategy.name, insights.filter((insight) => insight.strategy === strategy.name), result.scenario, style,
  ));
  return `${blocks.join('\n\n')}\n`;
}
