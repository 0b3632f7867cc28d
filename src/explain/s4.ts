/**
 * S4 in words (SPEC §2 S4): each participant's gradient norm joins its history, the history
 * gives its volatility, and the aggregation stage turns those into weights — the inverse
 * volatility terms 1/(v + ε) and their sum for `volatility`, 1/|P_t| for `mean`, the shard
 * sizes for `samples`. Norms, volatilities and weights are the record's; the terms, the sum
 * and the mean filling a missing volatility are recomputed from them.
 */
import type { NodeRoundRecord } from '../sim/records.js';
import { DECIMALS, listOf, num } from './format.js';
import { normHistory } from './history.js';
import { NODE_INDENT, continuation, type RoundView } from './types.js';

function share(value: number): string {
  return num(value, DECIMALS.share);
}

function norm(value: number): string {
  return num(value, DECIMALS.norm);
}

const DROP_WORDS: Record<string, string> = {
  notDispatched: 'not dispatched',
  retries: 'dropped: every try of a transfer was lost',
  deadline: 'dropped: past the deadline',
};

function volatilityText(view: RoundView, nodeIndex: number): string {
  const { scenario, run, round } = view.input;
  const { s4 } = scenario.pipeline;
  const node = view.record.nodes[nodeIndex]!;
  const norms = normHistory(run, nodeIndex, round, s4.window).map((h) => h.norm);
  const history = `history [${listOf(norms.map(norm))}]`;
  // a node with too few norms may still carry a volatility: the mean S4 filled in for it
  if (norms.length < 2 || node.volatility === null) return `${history}: fewer than 2 norms → no volatility of its own yet`;
  if (s4.volatility === 'relchange') {
    const [previous, current] = norms.slice(-2) as [number, number];
    return `${history} → v = |${norm(current)} − ${norm(previous)}| / ${norm(previous)} = ${norm(node.volatility)}`;
  }
  const mean = norms.reduce((sum, n) => sum + n, 0) / norms.length;
  const std = Math.sqrt(norms.reduce((sum, n) => sum + (n - mean) ** 2, 0) / norms.length);
  return `${history} → v = std / mean = ${norm(std)} / ${norm(mean)} = ${norm(node.volatility)}`;
}

interface Terms {
  /** per participant (record order): 1/(v + ε) */
  terms: Map<number, number>;
  fill: number | null;
  sum: number;
  /** participants with a volatility of their own (the others were filled in) */
  own: ReadonlySet<number>;
}

/** Whether node i had the 2 norms a volatility of its own needs in this round. */
function hasOwnVolatility(view: RoundView, nodeIndex: number): boolean {
  const { run, round } = view.input;
  return normHistory(run, nodeIndex, round, view.input.scenario.pipeline.s4.window).length >= 2;
}

/** The `volatility` aggregator's inverse terms; null when no participant has a volatility. */
function inverseTerms(view: RoundView, participants: readonly number[]): Terms | null {
  const { epsilon } = view.input.scenario.pipeline.s4;
  const own = new Set(participants.filter((i) => hasOwnVolatility(view, i) && view.record.nodes[i]!.volatility !== null));
  const known = [...own].map((i) => view.record.nodes[i]!.volatility!);
  if (known.length === 0) return null;
  // recomputed from the others, as S4 did; the record carries the same value
  const fill = known.reduce((sum, v) => sum + v, 0) / known.length;
  const terms = new Map(participants.map((i) => [i, 1 / ((own.has(i) ? view.record.nodes[i]!.volatility! : fill) + epsilon)] as const));
  const sum = [...terms.values()].reduce((total, t) => total + t, 0);
  return { terms, fill: known.length < participants.length ? fill : null, sum, own };
}

function participantLines(view: RoundView, nodeIndex: number, terms: Terms | null): string[] {
  const { epsilon } = view.input.scenario.pipeline.s4;
  const aggregation = view.input.run.strategy.aggregation;
  const node = view.record.nodes[nodeIndex]!;
  const lines = [`${NODE_INDENT}node ${node.id}: ‖g‖ = ${norm(node.gradNorm ?? Number.NaN)}; ${volatilityText(view, nodeIndex)}`];
  if (aggregation === 'volatility' && terms !== null) {
    const isOwn = terms.own.has(nodeIndex);
    const v = isOwn ? node.volatility! : terms.fill!;
    const filled = isOwn ? '' : `v taken as the mean of the others' volatilities = ${norm(v)}; `;
    lines.push(`${continuation(node.id)}${filled}1/(v + ε) = 1/(${norm(v)} + ${epsilon}) = ${norm(terms.terms.get(nodeIndex)!)}`);
  }
  return lines;
}

function weightLine(view: RoundView, nodeIndex: number, participants: readonly number[], terms: Terms | null): string {
  const node: NodeRoundRecord = view.record.nodes[nodeIndex]!;
  const { aggregation } = view.input.run.strategy;
  const prefix = `${NODE_INDENT}node ${node.id}: w = `;
  if (aggregation === 'mean' || (aggregation === 'volatility' && terms === null)) {
    return `${prefix}1 / ${participants.length} = ${share(node.weight)}`;
  }
  if (aggregation === 'samples') {
    const counts = view.input.context.sampleCounts;
    const total = participants.reduce((sum, i) => sum + counts[i]!, 0);
    return `${prefix}${counts[nodeIndex]} / ${total} = ${share(node.weight)}`;
  }
  const raw = terms!.terms.get(nodeIndex)! / terms!.sum;
  const capped = isCapped(view, participants, terms) ? ` before the cap; after it ${share(node.weight)}` : '';
  return `${prefix}${norm(terms!.terms.get(nodeIndex)!)} / ${norm(terms!.sum)} = ${share(capped === '' ? node.weight : raw)}${capped}`;
}

/** Whether s4.maxWeight changed this round's volatility weights. */
function isCapped(view: RoundView, participants: readonly number[], terms: Terms | null): boolean {
  if (terms === null || view.input.scenario.pipeline.s4.maxWeight === null) return false;
  return participants.some((i) => Math.abs(terms.terms.get(i)! / terms.sum - view.record.nodes[i]!.weight) > 1e-12);
}

/** What the cap did: shares above it cut and the excess handed on, or no feasible cap at all. */
function capLines(view: RoundView, participants: readonly number[], terms: Terms | null): string[] {
  if (!isCapped(view, participants, terms)) return [];
  const maxWeight = view.input.scenario.pipeline.s4.maxWeight!;
  if (maxWeight * participants.length < 1) {
    return [`${NODE_INDENT}cap: maxWeight ${maxWeight} × ${participants.length} participants < 1, so no weights summing to 1 can respect it`
      + ` → equal weights 1 / ${participants.length}`];
  }
  return [`${NODE_INDENT}cap: shares above maxWeight ${maxWeight} are cut to it and the excess goes to the others in proportion to their weights`];
}

function ruleLines(view: RoundView, terms: Terms | null): string[] {
  const { s4 } = view.input.scenario.pipeline;
  const { aggregation } = view.input.run.strategy;
  const measure = s4.volatility === 'cv'
    ? `v = cv = population std / mean of the node's last ${s4.window} gradient norms`
    : 'v = relchange = |n − n_prev| / n_prev of its last two gradient norms';
  const lines = [`${NODE_INDENT}‖g‖ = L2 norm of the pseudo-gradient (θ_t − θ_i) / (lr · localSteps); ${measure}`];
  if (aggregation === 'mean') lines.push(`${NODE_INDENT}aggregation mean: every participant gets w = 1 / |P_t| (volatility shown, not used)`);
  if (aggregation === 'samples') {
    lines.push(`${NODE_INDENT}aggregation samples (FedAvg): w = the node's training samples / those of all participants (volatility shown, not used)`);
  }
  if (aggregation === 'volatility') {
    const cap = s4.maxWeight === null ? '' : `; no share above maxWeight ${s4.maxWeight} (the excess goes to the others in proportion)`;
    lines.push(`${NODE_INDENT}aggregation volatility: w = (1/(v + ε)) / Σ 1/(v + ε) with ε = ${s4.epsilon}; a node with too few norms`
      + ` takes the mean volatility of the others${cap}`);
    if (terms === null) lines.push(`${NODE_INDENT}no participant has 2 norms yet → equal weights`);
  }
  return lines;
}

export function aggregationSection(view: RoundView): string[] {
  const { record } = view;
  const participants = record.nodes.flatMap((n, i) => (n.participated ? [i] : []));
  const heading = `S4 gradient volatility → aggregation weights (aggregation stage: ${view.input.run.strategy.aggregation})`;
  if (participants.length === 0) return [heading, `${NODE_INDENT}no node took part: no weights, θ unchanged`];
  const terms = view.input.run.strategy.aggregation === 'volatility' ? inverseTerms(view, participants) : null;
  const shownParticipants = view.shown.filter((i) => record.nodes[i]!.participated);
  const absent = view.shown
    .filter((i) => !record.nodes[i]!.participated)
    .map((i) => `${NODE_INDENT}node ${record.nodes[i]!.id}: did not take part (${DROP_WORDS[record.nodes[i]!.dropReason ?? 'notDispatched']}) → weight 0`);
  const sumLine = terms === null
    ? []
    : [`${NODE_INDENT}Σ 1/(v + ε) = ${listOf(participants.map((i) => norm(terms.terms.get(i)!)), 6).replace(/, /g, ' + ')} = ${norm(terms.sum)}`];
  return [
    heading,
    ...ruleLines(view, terms),
    ...shownParticipants.flatMap((i) => participantLines(view, i, terms)),
    ...absent,
    ...sumLine,
    ...capLines(view, participants, terms),
    ...shownParticipants.map((i) => weightLine(view, i, participants, terms)),
  ];
}
