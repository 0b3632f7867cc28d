/**
 * Wording of the insights, kept apart from their detection (STYLE §2.12). Values arrive
 * pre-formatted; each function says what happened, the renderer adds where (rounds).
 */
import { formatCount } from '../report/format.js';

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

export function starvedWeightText(p: { node: string; length: number; from: number; to: number; minWeight: string; equalShare: string }): string {
  return `node ${p.node} got under half an equal share of the weight in ${p.length} of its rounds in a row `
    + `(rounds ${p.from}–${p.to}; as low as ${p.minWeight} where an equal share was ${p.equalShare}): it trains but barely counts`;
}

export function fewNormsText(p: { norms: number }): string {
  return `S4's weights rest on as few as ${p.norms} gradient norms per node: the coefficient of variation `
    + `of ${p.norms} values is mostly noise`;
}

export function localStepsSpreadText(p: { fewest: string; most: string; maxRound: number }): string {
  return `nodes took different numbers of local steps (${p.fewest} vs ${p.most} in round ${p.maxRound}): `
    + "averaging unequal local work optimises a skewed objective (FedNova's objective inconsistency)";
}

export function lossExplosionText(p: { maxLoss: string; maxRound: number; firstLoss: string }): string {
  return `the test loss exploded to ${p.maxLoss} (round ${p.maxRound}), over 10⁶ × round 1's ${p.firstLoss}, `
    + 'though still a finite number: training is diverging (try a lower learning rate)';
}

/** The command that repeats a comparison over seeds, as words a line may break between. */
/** `baseline`: given when the study's default one (sync-sgd) is not among the strategies. */
export function studyCommandWords(p: { scenario: string; strategies: string; baseline?: string }): string[] {
  return ['dtrain study', p.scenario, '--seeds 1..20', `--strategy ${p.strategies}`, ...(p.baseline === undefined ? [] : [`--baseline ${p.baseline}`]), '--out study'];
}

/** After a comparison of strategies on one seed (`dtrain simulate` with two or more); the command follows. */
export const SINGLE_SEED_NOTE = 'note: one seed, so the differences may be noise; a study over 20 seeds tells:';

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

/**
 * The nodes of a kind past the ones listed: `simulate` writes them all with --json; `explain`
 * has no --json, so it names the command that has.
 */
export function moreNodesText(count: number, where: 'simulate' | 'explain' = 'simulate'): string {
  const all = where === 'simulate' ? 'see --json for all' : '`dtrain simulate … --json` has them all';
  return `… and ${formatCount(count)} more node${count === 1 ? '' : 's'} like this (${all})`;
}

/** `round 3` / `rounds 3–7, 12` */
export function roundListText(ranges: string): string {
  return ranges.includes(',') || ranges.includes('–') ? `rounds ${ranges}` : `round ${ranges}`;
}
