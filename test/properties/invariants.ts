/**
 * The invariants every run must keep, round by round (issue 6; SPEC §2 and §4), checked on
 * the RunResult and on its rendered table and JSON. Returns the broken ones as sentences
 * (empty = all hold), so that a failing property can print all of them.
 */
import type { RunResult, StrategyRun } from '../../src/sim/records.js';
import type { Scenario } from '../../src/scenario/types.js';

const WEIGHT_TOLERANCE = 1e-9;

function isInt(value: number): boolean {
  return Number.isInteger(value);
}

function within(value: number, lo: number, hi: number): boolean {
  return value >= lo && value <= hi;
}

/** Every number in the record is finite (null stays allowed where the schema allows it). */
function nonFinite(record: object): string[] {
  return Object.entries(record).flatMap(([key, value]) => {
    if (typeof value === 'number' && !Number.isFinite(value)) return [key];
    if (Array.isArray(value)) return value.some((v) => typeof v === 'number' && !Number.isFinite(v)) ? [key] : [];
    return [];
  });
}

function checkRun(scenario: Scenario, run: StrategyRun, allowStop: boolean): string[] {
  const broken: string[] = [];
  const say = (round: number, text: string): void => void broken.push(`${run.strategy.name} round ${round}: ${text}`);
  const { s1, s2, s3, s4 } = scenario.pipeline;
  const batchCap = s2.maxBatch ?? s2.standardBatch;
  const batchLow = Math.min(s2.minBatch, batchCap);
  const samplesPerWindow = Math.round(s1.windowMs / s1.intervalMs);
  let samplesTrained = 0;
  let previousEndMs = 0;

  for (const round of run.rounds) {
    const t = round.round;
    if (round.startMs !== previousEndMs) say(t, `starts at ${round.startMs}, but the previous round ended at ${previousEndMs}`);
    if (!(round.startMs <= round.endMs)) say(t, `ends (${round.endMs}) before it starts (${round.startMs})`);
    previousEndMs = round.endMs;
    if (!Number.isFinite(round.loss) || !Number.isFinite(round.accuracy)) say(t, `loss ${round.loss}, accuracy ${round.accuracy}`);
    if (!within(round.accuracy, 0, 1)) say(t, `accuracy ${round.accuracy} outside [0, 1]`);
    if (round.nodes.length !== scenario.cluster.nodes.length) say(t, `${round.nodes.length} node records for ${scenario.cluster.nodes.length} nodes`);

    const participants = round.nodes.filter((node) => node.participated);
    if (round.skipped !== (participants.length === 0)) say(t, `skipped is ${round.skipped} with ${participants.length} participants`);
    // time model v2: the round ends once every dispatched node's outcome is known, at the
    // deadline at the latest; a round with no dispatched node lasts one window
    const dispatchedNodes = round.nodes.filter((node) => node.plannedBatch > 0);
    const timeout = scenario.cluster.roundTimeoutMs;
    if (dispatchedNodes.length === 0) {
      if (round.endMs !== round.startMs + s1.windowMs) say(t, 'a round with no dispatched node does not last windowMs');
    } else {
      let knownMs = -Infinity;
      for (const node of dispatchedNodes) knownMs = Math.max(knownMs, node.finishMs ?? node.droppedAtMs ?? Number.NaN);
      const expectedEnd = timeout === null ? knownMs : Math.min(knownMs, round.startMs + timeout);
      if (round.endMs !== expectedEnd) say(t, `ends at ${round.endMs}, but the last outcome was known at ${expectedEnd}`);
    }
    if (dispatchedNodes.length > 0 && timeout !== null && round.endMs > round.startMs + timeout) say(t, `ends at ${round.endMs}, past the deadline`);
    for (const node of dispatchedNodes) {
      if (node.participated) {
        const sum = round.startMs + (node.downloadMs ?? Number.NaN) + (node.computeMs ?? Number.NaN) + (node.uploadMs ?? Number.NaN);
        if (!(Math.abs(sum - node.finishMs!) <= 1e-9 * Math.max(1, Math.abs(node.finishMs!)))) say(t, `node ${node.id}: start + phases = ${sum} ≠ finishMs ${node.finishMs}`);
        if (node.droppedAtMs != null) say(t, `node ${node.id} took part but has droppedAtMs ${node.droppedAtMs}`);
      } else if (!(node.droppedAtMs != null && within(node.droppedAtMs, round.startMs, round.endMs))) {
        say(t, `node ${node.id} was dropped at ${node.droppedAtMs}, outside the round [${round.startMs}, ${round.endMs}]`);
      }
    }

    let weightSum = 0;
    for (const node of round.nodes) {
      const spec = scenario.cluster.nodes.find((n) => n.id === node.id);
      const who = `node ${node.id}`;
      const bad = nonFinite(node);
      if (bad.length > 0) say(t, `${who} has non-finite ${bad.join(', ')}`);
      if (!within(node.efficiency, 0, 1)) say(t, `${who} efficiency ${node.efficiency} outside [0, 1]`);
      if (node.observedMs !== samplesPerWindow * s1.intervalMs) say(t, `${who} observedMs ${node.observedMs} ≠ K·Δ`);
      if (node.samplesMs !== undefined && (node.samplesMs.length !== samplesPerWindow || node.samplesMs.some((v) => v !== null && !(v >= 0 && Number.isFinite(v))))) {
        say(t, `${who} S1 samples ${JSON.stringify(node.samplesMs)}: expected ${samplesPerWindow} latencies ≥ 0 or lost`);
      }
      if (!(isInt(node.plannedBatch) && within(node.plannedBatch, batchLow, batchCap))) say(t, `${who} planned batch ${node.plannedBatch} outside [${batchLow}, ${batchCap}]`);
      const dispatched = node.plannedBatch > 0;
      if (dispatched) {
        const threadCap = Math.min(s3.maxThreads, spec?.cores ?? Infinity);
        if (!(isInt(node.threads) && within(node.threads, Math.min(s3.minThreads, threadCap), threadCap))) say(t, `${who} threads ${node.threads} out of bounds`);
        if (!(isInt(node.ioQueue) && within(node.ioQueue, s3.minQueue, s3.maxQueue))) say(t, `${who} ioQueue ${node.ioQueue} out of bounds`);
      } else if (node.threads !== 0 || node.ioQueue !== 0) {
        say(t, `${who} is not dispatched but has threads ${node.threads} / queue ${node.ioQueue}`);
      }
      if (node.participated) {
        if (node.batch !== node.plannedBatch || !(node.batch >= Math.max(1, batchLow))) say(t, `${who} took part with batch ${node.batch} (planned ${node.plannedBatch})`);
        if (!(node.finishMs !== null && within(node.finishMs, round.startMs, round.endMs))) say(t, `${who} finished at ${node.finishMs}, outside the round`);
        if (!(node.weight >= 0 && node.weight <= 1 + WEIGHT_TOLERANCE)) say(t, `${who} weight ${node.weight}`);
        weightSum += node.weight;
        samplesTrained += node.batch * scenario.model.localSteps;
      } else if (node.batch !== 0 || node.weight !== 0) {
        say(t, `${who} did not take part but has batch ${node.batch}, weight ${node.weight}`);
      }
    }
    if (participants.length > 0 && Math.abs(weightSum - 1) > WEIGHT_TOLERANCE) say(t, `participants' weights sum to ${weightSum}`);
    const cap = s4.maxWeight;
    if (run.strategy.aggregation === 'volatility' && cap !== null && cap * participants.length >= 1) {
      for (const node of participants) if (node.weight > cap + WEIGHT_TOLERANCE) say(t, `node ${node.id} weight ${node.weight} over maxWeight ${cap}`);
    }
  }
  if (run.summary.samplesTrained !== samplesTrained) broken.push(`${run.strategy.name}: samplesTrained ${run.summary.samplesTrained} ≠ ${samplesTrained}`);
  const stopped = run.diverged !== undefined || run.interrupted === true;
  if (stopped && !allowStop) broken.push(`${run.strategy.name}: stopped early (${JSON.stringify(run.diverged ?? 'interrupted')})`);
  const expectedRounds = run.diverged === undefined ? scenario.rounds : run.diverged.round - 1;
  if (run.rounds.length !== expectedRounds) broken.push(`${run.strategy.name}: ${run.rounds.length} rounds, expected ${expectedRounds}`);
  return broken;
}

/**
 * The invariants of every kept round. `allowStop`: a run may end early by diverging (the
 * extreme-values property), as long as it keeps exactly the rounds before the divergence.
 */
export function runInvariants(scenario: Scenario, result: RunResult, options: { allowStop?: boolean } = {}): string[] {
  const allowStop = options.allowStop === true;
  const broken = result.runs.flatMap((run) => checkRun(scenario, run, allowStop));
  const stopped = result.runs.some((run) => run.diverged !== undefined);
  if (result.runs.length !== scenario.strategies.length && !(allowStop && stopped)) broken.push(`${result.runs.length} runs for ${scenario.strategies.length} strategies`);
  return broken;
}

/** Rendered text (tables, JSON) shows no NaN, Infinity or undefined. */
export function textInvariants(name: string, text: string): string[] {
  const found = /NaN|Infinity|undefined/.exec(text);
  return found === null ? [] : [`${name} contains '${found[0]}' near: ${JSON.stringify(text.slice(Math.max(0, found.index - 60), found.index + 20))}`];
}
