/**
 * S4 in words (SPEC §2 S4): each participant's gradient norm joins its history, the history
 * gives its volatility, and the aggregation stage turns those into weights. Norms,
 * volatilities and weights are the record's; how the stage got each weight — the inverse
 * terms 1/(v + ε), their sum, the mean filling a missing volatility, the cap, the sample
 * counts — is the stage's working, kept with the round. A stage explain has no words for
 * (a plug-in) shows its working as name = value pairs.
 */
import { isBuiltinStage } from '../pipeline/stages/builtin.js';
import type { NodeRoundRecord } from '../sim/records.js';
import { DECIMALS, listOf, num, share, workingPairs } from './format.js';
import { NODE_INDENT, continuation, type RoundView } from './types.js';

function norm(value: number): string {
  return num(value, DECIMALS.norm);
}

const DROP_WORDS: Record<string, string> = {
  notDispatched: 'not dispatched',
  retries: 'dropped: every try of a transfer was lost',
  deadline: 'dropped: past the deadline',
};

function volatilityText(view: RoundView, nodeIndex: number): string {
  const { scenario, stages } = view.input;
  const { s4 } = scenario.pipeline;
  const node = view.record.nodes[nodeIndex]!;
  const norms = view.input.history.normHistory(nodeIndex, view.record.round, s4.window).map((h) => h.norm);
  const history = `history [${listOf(norms.map(norm))}]`;
  // a plug-in's volatility is its own measure, not the scenario's cv or relchange
  if (!isBuiltinStage(stages.aggregation)) {
    return `${history} → ${node.volatility === null ? 'no volatility' : `v = ${norm(node.volatility)}`} (the ${stages.aggregation.name} stage's own measure)`;
  }
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

type Working = Readonly<Record<string, number | string | null>>;

/** How the round was weighed, read from the aggregation stage's working. */
interface Weighing {
  /** the working's rule: inverse-volatility, mean, samples, or a plug-in's own */
  rule: string;
  /** per node index: the participant's working ({} when it has none) */
  of: (nodeIndex: number) => Working;
  /** inverse-volatility only: whether any participant had a volatility (else equal weights) */
  hasTerms: boolean;
  capped: boolean;
}

function numberIn(w: Working, key: string): number {
  const value = w[key];
  return typeof value === 'number' ? value : Number.NaN;
}

function weighing(view: RoundView, participants: readonly number[]): Weighing {
  const working = view.record.working?.aggregation;
  const of = (i: number): Working => working?.[i] ?? {};
  const first = of(participants[0]!);
  const rule = typeof first.rule === 'string' ? first.rule : '';
  return {
    rule,
    of,
    hasTerms: rule === 'inverse-volatility' && typeof first.term === 'number',
    capped: participants.some((i) => of(i).capped === 'yes'),
  };
}

const KNOWN_RULES = new Set(['inverse-volatility', 'mean', 'samples']);

/** A working explain has no words for, as " (name = value, …)". */
function workingText(w: Working): string {
  const pairs = workingPairs(w, DECIMALS.norm);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}

function participantLines(view: RoundView, nodeIndex: number, weighed: Weighing): string[] {
  const node = view.record.nodes[nodeIndex]!;
  const lines = [`${NODE_INDENT}node ${node.id}: ‖g‖ = ${norm(node.gradNorm ?? Number.NaN)}; ${volatilityText(view, nodeIndex)}`];
  if (weighed.hasTerms) {
    const w = weighed.of(nodeIndex);
    const v = numberIn(w, 'v');
    const filled = w.own === 'yes' ? '' : `v taken as the mean of the others' volatilities = ${norm(v)}; `;
    lines.push(`${continuation(node.id)}${filled}1/(v + ε) = 1/(${norm(v)} + ${numberIn(w, 'epsilon')}) = ${norm(numberIn(w, 'term'))}`);
  }
  return lines;
}

function weightLine(view: RoundView, nodeIndex: number, participants: readonly number[], weighed: Weighing): string {
  const node: NodeRoundRecord = view.record.nodes[nodeIndex]!;
  const w = weighed.of(nodeIndex);
  const prefix = `${NODE_INDENT}node ${node.id}: w = `;
  if (weighed.rule === 'mean' || (weighed.rule === 'inverse-volatility' && !weighed.hasTerms)) {
    return `${prefix}1 / ${participants.length} = ${share(node.weight)}`;
  }
  if (weighed.rule === 'samples') return `${prefix}${numberIn(w, 'samples')} / ${numberIn(w, 'total')} = ${share(node.weight)}`;
  if (weighed.rule !== 'inverse-volatility') return `${prefix}${share(node.weight)}${workingText(w)}`;
  const capped = weighed.capped ? ` before the cap; after it ${share(node.weight)}` : '';
  return `${prefix}${norm(numberIn(w, 'term'))} / ${norm(numberIn(w, 'sum'))} = ${share(weighed.capped ? numberIn(w, 'raw') : node.weight)}${capped}`;
}

/** What the cap did: shares above it cut and the excess handed on, or no feasible cap at all. */
function capLines(participants: readonly number[], weighed: Weighing): string[] {
  if (!weighed.capped) return [];
  const maxWeight = numberIn(weighed.of(participants[0]!), 'maxWeight');
  if (maxWeight * participants.length < 1) {
    return [`${NODE_INDENT}cap: maxWeight ${maxWeight} × ${participants.length} participants < 1, so no weights summing to 1 can respect it`
      + ` → equal weights 1 / ${participants.length}`];
  }
  return [`${NODE_INDENT}cap: shares above maxWeight ${maxWeight} are cut to it and the excess goes to the others in proportion to their weights`];
}

function ruleLines(view: RoundView, participants: readonly number[], weighed: Weighing): string[] {
  const { s4 } = view.input.scenario.pipeline;
  const { aggregation } = view.input.stages;
  const measure = !isBuiltinStage(aggregation)
    ? `v = the volatility the ${aggregation.name} stage gives (its own measure); the history holds the node's last ${s4.window} gradient norms`
    : s4.volatility === 'cv'
      ? `v = cv = population std / mean of the node's last ${s4.window} gradient norms`
      : 'v = relchange = |n − n_prev| / n_prev of its last two gradient norms';
  const lines = [`${NODE_INDENT}‖g‖ = L2 norm of the pseudo-gradient (θ_t − θ_i) / (lr · localSteps); ${measure}`];
  if (weighed.rule === 'mean') lines.push(`${NODE_INDENT}aggregation mean: every participant gets w = 1 / |P_t| (volatility shown, not used)`);
  if (weighed.rule === 'samples') {
    lines.push(`${NODE_INDENT}aggregation samples (FedAvg): w = the node's training samples / those of all participants (volatility shown, not used)`);
  }
  if (weighed.rule === 'inverse-volatility') {
    const w = weighed.of(participants[0]!);
    const cap = w.maxWeight === null ? '' : `; no share above maxWeight ${numberIn(w, 'maxWeight')} (the excess goes to the others in proportion)`;
    lines.push(`${NODE_INDENT}aggregation volatility: w = (1/(v + ε)) / Σ 1/(v + ε) with ε = ${numberIn(w, 'epsilon')}; a node with too few norms`
      + ` takes the mean volatility of the others${cap}`);
    if (!weighed.hasTerms) lines.push(`${NODE_INDENT}no participant has 2 norms yet → equal weights`);
  }
  if (!KNOWN_RULES.has(weighed.rule)) {
    lines.push(`${NODE_INDENT}aggregation ${aggregation.name}: ${aggregation.summary}`);
  }
  return lines;
}

export function aggregationSection(view: RoundView): string[] {
  const { record } = view;
  const participants = record.nodes.flatMap((n, i) => (n.participated ? [i] : []));
  const heading = `S4 gradient volatility → aggregation weights (aggregation stage: ${view.input.strategy.aggregation})`;
  if (participants.length === 0) return [heading, `${NODE_INDENT}no node took part: no weights, θ unchanged`];
  const weighed = weighing(view, participants);
  const shownParticipants = view.shown.filter((i) => record.nodes[i]!.participated);
  const absent = view.shown
    .filter((i) => !record.nodes[i]!.participated)
    .map((i) => `${NODE_INDENT}node ${record.nodes[i]!.id}: did not take part (${DROP_WORDS[record.nodes[i]!.dropReason ?? 'notDispatched']}) → weight 0`);
  const sumLine = !weighed.hasTerms
    ? []
    : [`${NODE_INDENT}Σ 1/(v + ε) = ${listOf(participants.map((i) => norm(numberIn(weighed.of(i), 'term'))), 6).replace(/, /g, ' + ')}`
      + ` = ${norm(numberIn(weighed.of(participants[0]!), 'sum'))}`];
  return [
    heading,
    ...ruleLines(view, participants, weighed),
    ...shownParticipants.flatMap((i) => participantLines(view, i, weighed)),
    ...absent,
    ...sumLine,
    ...capLines(participants, weighed),
    ...shownParticipants.map((i) => weightLine(view, i, participants, weighed)),
  ];
}
