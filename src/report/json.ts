/**
 * The `--json` report: the whole run in schema version 1 (SPEC §4). Key order is written
 * out field by field so the file is a stable artefact that diffs cleanly; numbers keep
 * full precision (JSON.stringify's shortest round-trip form is already deterministic) and
 * non-finite numbers become `null`, which JSON can represent and NaN cannot.
 * `samplesMs` appears only with `trace`, `wallMs` (host time, the one non-deterministic
 * figure) only with `timing`, so two default reports of one scenario are byte-identical.
 */
import type { NodeRoundRecord, RoundRecord, RunResult, RunSummary, StrategyRun } from '../sim/records.js';

export const SCHEMA_VERSION = 1;
export const TOOL_NAME = 'dtrain';

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
}

/** A finite number as-is; NaN / ±Infinity / null / undefined → null. */
function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function nodeToJson(node: NodeRoundRecord, options: JsonReportOptions): Record<string, unknown> {
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
    finishMs: finiteOrNull(node.finishMs),
    gradNorm: finiteOrNull(node.gradNorm),
    volatility: finiteOrNull(node.volatility),
    weight: finiteOrNull(node.weight),
    // Additive fields (allowed within schema version 1) follow the specified ones.
    plannedBatch: finiteOrNull(node.plannedBatch),
    dropReason: node.dropReason ?? null,
    downloadEndMs: finiteOrNull(node.downloadEndMs),
    computeEndMs: finiteOrNull(node.computeEndMs),
  };
}

function roundToJson(round: RoundRecord, options: JsonReportOptions): Record<string, unknown> {
  return {
    round: round.round,
    startMs: finiteOrNull(round.startMs),
    endMs: finiteOrNull(round.endMs),
    skipped: round.skipped,
    loss: finiteOrNull(round.loss),
    accuracy: finiteOrNull(round.accuracy),
    nodes: round.nodes.map((node) => nodeToJson(node, options)),
  };
}

function summaryToJson(summary: RunSummary, options: JsonReportOptions): Record<string, unknown> {
  return {
    finalAccuracy: finiteOrNull(summary.finalAccuracy),
    bestAccuracy: finiteOrNull(summary.bestAccuracy),
    simulatedMs: finiteOrNull(summary.simulatedMs),
    samplesTrained: finiteOrNull(summary.samplesTrained),
    timeToTargetMs: finiteOrNull(summary.timeToTargetMs),
    ...(options.timing ? { wallMs: finiteOrNull(summary.wallMs) } : {}),
  };
}

function runToJson(run: StrategyRun, options: JsonReportOptions): Record<string, unknown> {
  const { name, batch, resources, aggregation } = run.strategy;
  return {
    strategy: { name, batch, resources, aggregation },
    backend: run.backend,
    rounds: run.rounds.map((round) => roundToJson(round, options)),
    summary: summaryToJson(run.summary, options),
    // Additive (issue 6): present only on a run that stopped early, so complete runs are unchanged.
    ...(run.interrupted === true ? { interrupted: true } : {}),
    ...(run.diverged === undefined ? {} : { diverged: run.diverged }),
  };
}

/** The schema-version-1 report as a string: 2-space indent, trailing newline. */
export function toJsonReport(result: RunResult, options: JsonReportOptions): string {
  const { name, seed, file } = result.scenario;
  const report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: options.version },
    scenario: { name, seed, file: file ?? null, ...(options.scenarioHash === undefined ? {} : { hash: options.scenarioHash }) },
    runs: result.runs.map((run) => runToJson(run, options)),
    // Additive (issue 6): `interrupted: true` after Ctrl-C / SIGTERM, `diverged: { strategy,
    // round, node, message }` after a non-finite value; absent when the run completed.
    ...(result.interrupted === true ? { interrupted: true } : {}),
    ...(result.diverged === undefined ? {} : { diverged: result.diverged }),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
