/**
 * The `--json` report: the whole run in schema version 2 (SPEC §4, §6.5). Key order is written
 * out field by field so the file is a stable artefact that diffs cleanly; numbers keep
 * full precision (JSON.stringify's shortest round-trip form is already deterministic) and
 * non-finite numbers become `null`, which JSON can represent and NaN cannot.
 * `samplesMs` appears only with `trace`, `wallMs` (host time, the one non-deterministic
 * figure) only with `timing`, so two default reports of one scenario are byte-identical.
 */
import type { StrategySpec } from '../scenario/types.js';
import type { NodeRoundRecord, RoundRecord, RunResult, RunSummary, StrategyRun } from '../sim/records.js';
import {
  effectiveParticipants, globalBatch, nodePhaseDurations, reportedDropReason, reportedDroppedAtMs, reportedFinishMs,
} from './round-figures.js';

/** 2 since time model v2 (SPEC §6): drops learnt when they happen changed the reported times. */
export const SCHEMA_VERSION = 2;
export const TOOL_NAME = 'dtrain';

/**
 * How the run was made, beyond the scenario (the top-level `run` block): what a rerun needs.
 * The core cannot know the host's versions or the command line, so the caller hands them in;
 * whatever it leaves out is written as null.
 */
export interface RunContext {
  /** the training engine (`fast`, `reference`, `parallel` or a custom one's name) */
  engine?: string;
  /** the backend asked for (`auto`, `wasm`, `cpu`); the JSON names the one the runs used when any ran */
  backend?: string;
  /** the Node.js version (`process.version`) */
  node?: string;
  /** the TensorFlow.js version */
  tfjs?: string;
  /** what the command line changed in the scenario */
  overrides?: { seed?: number; rounds?: number; strategy?: readonly string[] };
}

export interface JsonReportOptions {
  /** dtrain's version, written to `tool.version` */
  version: string;
  /** include each node's raw S1 samples (`samplesMs`) */
  trace: boolean;
  /** include host wall-clock time (`summary.wallMs`) */
  timing: boolean;
  /**
   * sha256 of the resolved scenario (src/golden/scenario-hash.ts), written as the additive
   * field `scenario.hash` when given; golden checks and sweeps key on it.
   */
  scenarioHash?: string;
  /** the `run` block: engine, versions, command-line overrides */
  run?: RunContext;
}

/** A finite number as-is; NaN / ±Infinity / null / undefined → null. */
function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function nodeToJson(node: NodeRoundRecord, round: RoundRecord, options: JsonReportOptions): Record<string, unknown> {
  const phases = nodePhaseDurations(round, node);
  return {
    id: node.id,
    efficiency: finiteOrNull(node.efficiency),
    effectiveMs: finiteOrNull(node.effectiveMs),
    observedMs: finiteOrNull(node.observedMs),
    // With --trace the key is always present; a record that carries no samples says null.
    ...(options.trace ? { samplesMs: node.samplesMs?.map(finiteOrNull) ?? null } : {}),
    batch: finiteOrNull(node.batch),
    responseMs: finiteOrNull(node.responseMs),
    pressure: finiteOrNull(node.pressure),
    threads: finiteOrNull(node.threads),
    ioQueue: finiteOrNull(node.ioQueue),
    participated: node.participated,
    dropReason: reportedDropReason(node),
    droppedAtMs: finiteOrNull(reportedDroppedAtMs(node)),
    finishMs: finiteOrNull(reportedFinishMs(node)),
    downloadMs: finiteOrNull(phases.downloadMs),
    computeMs: finiteOrNull(phases.computeMs),
    uploadMs: finiteOrNull(phases.uploadMs),
    gradNorm: finiteOrNull(node.gradNorm),
    volatility: finiteOrNull(node.volatility),
    weight: finiteOrNull(node.weight),
    plannedBatch: finiteOrNull(node.plannedBatch),
    downloadEndMs: finiteOrNull(node.downloadEndMs),
    computeEndMs: finiteOrNull(node.computeEndMs),
  };
}

/** A round's fields before `nodes` (its last field). */
export function roundFieldsToJson(round: RoundRecord): Record<string, unknown> {
  return {
    round: round.round,
    startMs: finiteOrNull(round.startMs),
    endMs: finiteOrNull(round.endMs),
    skipped: round.skipped,
    loss: finiteOrNull(round.loss),
    accuracy: finiteOrNull(round.accuracy),
    globalBatch: finiteOrNull(round.globalBatch ?? globalBatch(round)),
    effectiveParticipants: finiteOrNull(round.effectiveParticipants ?? effectiveParticipants(round)),
  };
}

export function roundToJson(round: RoundRecord, options: JsonReportOptions): Record<string, unknown> {
  return { ...roundFieldsToJson(round), nodes: round.nodes.map((node) => nodeToJson(node, round, options)) };
}

export function summaryToJson(summary: RunSummary, options: JsonReportOptions): Record<string, unknown> {
  return {
    finalAccuracy: finiteOrNull(summary.finalAccuracy),
    bestAccuracy: finiteOrNull(summary.bestAccuracy),
    simulatedMs: finiteOrNull(summary.simulatedMs),
    samplesTrained: finiteOrNull(summary.samplesTrained),
    timeToTargetMs: finiteOrNull(summary.timeToTargetMs),
    ...(options.timing ? { wallMs: finiteOrNull(summary.wallMs) } : {}),
  };
}

/** A run's fields before its rounds. */
export function runHeadToJson(strategy: StrategySpec, backend: string): Record<string, unknown> {
  const { name, batch, resources, aggregation } = strategy;
  return { strategy: { name, batch, resources, aggregation }, backend };
}

/** A run's fields after its rounds. */
export function runTailToJson(run: StrategyRun, options: JsonReportOptions): Record<string, unknown> {
  return {
    summary: summaryToJson(run.summary, options),
    // Additive (issue 6): present only on a run that stopped early, so complete runs are unchanged.
    ...(run.interrupted === true ? { interrupted: true } : {}),
    ...(run.diverged === undefined ? {} : { diverged: run.diverged }),
  };
}

function runToJson(run: StrategyRun, options: JsonReportOptions): Record<string, unknown> {
  return {
    ...runHeadToJson(run.strategy, run.backend),
    rounds: run.rounds.map((round) => roundToJson(round, options)),
    ...runTailToJson(run, options),
  };
}

/** The `run` block: every key always present, null when the caller did not say. */
export function runContextToJson(result: { runs: ReadonlyArray<{ backend: string }> }, context: RunContext = {}): Record<string, unknown> {
  const { overrides = {} } = context;
  return {
    engine: context.engine ?? null,
    // the backend the runs used (`auto` resolved), which a rerun on another machine should ask for
    backend: result.runs[0]?.backend ?? context.backend ?? null,
    node: context.node ?? null,
    tfjs: context.tfjs ?? null,
    overrides: {
      seed: overrides.seed ?? null,
      rounds: overrides.rounds ?? null,
      strategy: overrides.strategy === undefined ? null : [...overrides.strategy],
    },
  };
}

/** The schema-version-2 report as a string: 2-space indent, trailing newline. */
/** The report's fields before `runs`: what the run is (`runs` gives the backend it used). */
export function reportHeadToJson(result: { scenario: RunResult['scenario']; runs: ReadonlyArray<{ backend: string }> }, options: JsonReportOptions): Record<string, unknown> {
  const { name, seed, file } = result.scenario;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: options.version },
    scenario: { name, seed, file: file ?? null, ...(options.scenarioHash === undefined ? {} : { hash: options.scenarioHash }) },
    run: runContextToJson(result, options.run),
  };
}

/** The report's fields after `runs`: how the run ended. */
export function reportTailToJson(result: RunResult): Record<string, unknown> {
  return {
    // Additive (issue 6): `interrupted: true` after Ctrl-C / SIGTERM, `diverged: { strategy,
    // round, node, kind, message, hint? }` after a non-finite value or a burst chain run out
    // (its hint: what to change); absent when the run completed.
    ...(result.interrupted === true ? { interrupted: true } : {}),
    ...(result.diverged === undefined ? {} : { diverged: result.diverged }),
  };
}

/**
 * The schema-version-2 report as a string: 2-space indent, trailing newline. For a run too
 * large to hold, json-stream.ts writes the same bytes round by round.
 */
export function toJsonReport(result: RunResult, options: JsonReportOptions): string {
  const report = {
    ...reportHeadToJson(result, options),
    runs: result.runs.map((run) => runToJson(run, options)),
    ...reportTailToJson(result),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
