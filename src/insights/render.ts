/**
 * Insights as text: one line per insight, grouped under a heading per strategy (printed by
 * `dtrain simulate` after the tables, and by `dtrain explain` without --round). Node ids and
 * strategy names are escaped for the terminal where they enter the text.
 */
import { formatDuration, formatPercent } from '../report/format.js';
import { TERMINAL_WIDTH, wrapParts } from '../report/wrap.js';
import type { Scenario } from '../scenario/types.js';
import type { RunResult } from '../sim/records.js';
import { escapeForTerminal as shown } from '../text/terminal-escape.js';
import {
  NOTHING_NOTABLE, SKIPPED_ROUND_TEXT, barrierStragglerText, dominantWeightText, droppedText, fewNormsText,
  insightsHeading, localStepsSpreadText, lossExplosionText, moreNodesText, roundListText, SINGLE_SEED_NOTE,
  starvedWeightText, studyCommandWords, whenText, zeroEfficiencyText,
} from './messages.js';
import type { Insight, InsightKind } from './types.js';

/** At most this many nodes per kind and strategy are listed; the rest are counted. */
export const MAX_NODES_PER_KIND = 10;

function ratio(value: number): string {
  return `${value.toFixed(1)}×`;
}

/** A loss of any size in a few characters: `0.6931`, `2.35e+9`. */
function loss(value: number): string {
  return Math.abs(value) < 1e5 ? String(Number(value.toPrecision(4))) : value.toExponential(2);
}

const steps = (count: number): string => `${count} step${count === 1 ? '' : 's'}`;

/**
 * A share as a percentage with `decimals`, or with two significant digits where those would
 * show fewer: one node's equal share of 131,072 is 0.00076%, not 0.0%.
 */
function share(value: number, decimals: number): string {
  if (value === 0 || Math.abs(value * 100) >= 10 ** (1 - decimals)) return formatPercent(value, decimals);
  return `${(value * 100).toPrecision(2)}%`;
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
        node: shown(insight.nodeId), length: insight.longestLength, from: insight.longestStreak[0], to: insight.longestStreak[1],
        minWeight: share(insight.minWeight, 2), equalShare: share(insight.equalShare, 1),
      });
    case 'fewNorms':
      return fewNormsText({ norms: insight.fewestNorms });
    case 'localStepsSpread':
      return localStepsSpreadText({
        fewest: `${shown(insight.fewest.nodeId)} ${steps(insight.fewest.value)}`, most: `${shown(insight.most.nodeId)} ${steps(insight.most.value)}`,
        maxRound: insight.maxRound,
      });
    case 'lossExplosion':
      return lossExplosionText({ maxLoss: loss(insight.maxLoss), maxRound: insight.maxRound, firstLoss: loss(insight.firstLoss) });
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
 * An insight line kept within the terminal's 80 columns, broken between words; continuation
 * lines are indented two more columns than the line's own indent. `tail` is kept in the
 * pieces it comes in (`— first in round 3,` / `6 rounds in all`), never broken inside one.
 */
function wrapped(line: string, tail: readonly string[] = []): string {
  const lead = /^ */.exec(line)![0];
  const words: string[] = [];
  for (const word of line.slice(lead.length).split(' ')) {
    if (word === '') continue;
    // a unit stays with its number: `271 ms` is never broken
    if (words.length > 0 && /^(ms|s)[),;:]*$/.test(word)) words[words.length - 1] += ` ${word}`;
    else words.push(word);
  }
  for (const piece of tail) words.push(piece);
  return wrapParts(words, ' ', TERMINAL_WIDTH - lead.length, '  ').split('\n').map((part) => lead + part).join('\n');
}

/** `— first in round 3,` and `6 rounds in all`: when, in pieces a line may break between. */
function whenPieces(rounds: readonly number[]): string[] {
  const pieces = whenText(rounds[0]!, rounds.length).split(/(?<=,) /);
  pieces[0] = `— ${pieces[0]}`;
  return pieces;
}

/**
 * One strategy's insights. `summary` (simulate): `! what — first in round 3, 6 rounds in all`;
 * `rounds` (explain): `rounds 3–7, 12: what`.
 */
export function renderStrategyInsights(strategy: string, insights: readonly Insight[], scenario: Scenario, style: InsightStyle): string {
  const lines = capPerKind(insights).map((entry) => {
    if ('more' in entry) return wrapped(`  ${moreNodesText(entry.more, style === 'summary' ? 'simulate' : 'explain')}`);
    const what = insightText(entry, scenario);
    return style === 'summary'
      ? wrapped(`  ! ${what}`, whenPieces(entry.rounds))
      : wrapped(`  ${roundListText(roundRanges(entry.rounds))}: ${what}`);
  });
  return [insightsHeading(shown(strategy)), ...(lines.length === 0 ? [wrapped(`  ${NOTHING_NOTABLE}`)] : lines)].join('\n');
}

/** Every strategy run of the result, in run order; ends with a newline. */
export function renderInsights(result: RunResult, insights: readonly Insight[], style: InsightStyle = 'summary'): string {
  const blocks = result.runs.map(({ strategy }) => renderStrategyInsights(
    strategy.name, insights.filter((insight) => insight.strategy === strategy.name), result.scenario, style,
  ));
  return `${blocks.join('\n\n')}\n`;
}

/** A shell word: as is when plainly safe, else single-quoted (control characters escaped first). */
function shellWord(text: string): string {
  const safe = shown(text);
  return /^[\w./:@%+=,-]+$/.test(safe) ? safe : `'${safe.replaceAll("'", "'\\''")}'`;
}

/**
 * The note after a comparison of strategies on a single seed ('' for one strategy): one
 * seed's difference can be the seed's luck, and `dtrain study` over many seeds tells. The
 * command is broken with shell line continuations, so it can be copied whole.
 */
export function renderSingleSeedNote(result: RunResult): string {
  if (result.runs.length < 2) return '';
  const names = result.runs.map((run) => run.strategy.name);
  // a study needs a baseline: sync-sgd when it is compared, else the last one compared
  const words = studyCommandWords({
    scenario: shellWord(result.scenario.file ?? `${result.scenario.name}.yaml`),
    strategies: shellWord(names.join(',')),
    ...(names.includes('sync-sgd') ? {} : { baseline: shellWord(names.at(-1)!) }),
  });
  const lead = '  ';
  const command = wrapParts(words, ' ', TERMINAL_WIDTH - lead.length - ' \\'.length, '    ').split('\n');
  return `${wrapped(SINGLE_SEED_NOTE)}\n${command.map((line) => lead + line).join(' \\\n')}\n`;
}
