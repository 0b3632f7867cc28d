/**
 * Wording of the insights, kept apart from their detection (STYLE §2.12). Values arrive
 * pre-formatted; each function says what happened, the renderer adds where (rounds).
 */

export const INSIGHTS_TITLE = 'insights';
export const NOTHING_NOTABLE = 'nothing notable: no node starved, dominated, straggled or was left out';

export function insightsHeading(strategy: string): string {
  return `${INSIGHTS_TITLE} · ${strategy}`;
}

export function zeroEfficiencyText(p: { node: string; thresholdMs: string }): string {
  return `node ${p.node} was not dispatched: e = 0, no latency sample under ${p.thresholdMs} in its window`;
}

export function dominantWeightText(p: { node: string; maxWeight: string; maxRound: number }): string {
  return `node ${p.node} held more than half of the weight (up to ${p.maxWeight} in round ${p.maxRound}): `
    + 'the global model mostly follows it';
}

export function starvedWeightText(p: { node: string; threshold: string; streak: number; minWeight: string }): string {
  return `node ${p.node} got under ${p.threshold} of the weight ${p.streak} or more rounds in a row `
    + `(as low as ${p.minWeight}): it trains but barely counts`;
}

export function batchSpreadText(p: { ratio: string; ratioLimit: string; maxRound: number; small: string; large: string }): string {
  return `batch sizes differed more than ${p.ratioLimit} across nodes (up to ${p.ratio} in round ${p.maxRound}: `
    + `${p.small} vs ${p.large}): averaging such unequal updates optimises a skewed objective `
    + "(FedNova's objective inconsistency)";
}

export function barrierStragglerText(p: { node: string; ratio: string; duration: string; othersMedian: string; maxRound: number }): string {
  return `node ${p.node} held up the barrier: its round took ${p.ratio} the others' median `
    + `(${p.duration} vs ${p.othersMedian} in round ${p.maxRound}) while they waited`;
}

export function droppedText(p: { node: string; retries: number; deadline: number }): string {
  const reasons = [
    ...(p.retries > 0 ? [`${p.retries} × every try lost`] : []),
    ...(p.deadline > 0 ? [`${p.deadline} × past the deadline`] : []),
  ];
  return `node ${p.node} was dispatched but dropped (${reasons.join(', ')}): its work was not aggregated`;
}

export const SKIPPED_ROUND_TEXT = 'no node took part: the round was skipped and the model did not change';

/** ` — in round 3` / ` — first in round 3, 6 rounds in all` */
export function whenText(firstRound: number, roundCount: number): string {
  return roundCount === 1 ? `in round ${firstRound}` : `first in round ${firstRound}, ${roundCount} rounds in all`;
}

export function moreNodesText(count: number): string {
  return `… and ${count} more node${count === 1 ? '' : 's'} like this (see --json for all)`;
}

/** `round 3` / `rounds 3–7, 12` */
export function roundListText(ranges: string): string {
  return ranges.includes(',') || ranges.includes('–') ? `rounds ${ranges}` : `round ${ranges}`;
}
