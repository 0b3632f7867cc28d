/**
 * A node's scripted latency as a series on the slot grid (SPEC §8, §1.2), for replay outside
 * the simulator: one value per slot, from the slot holding the monitoring origin (−windowMs)
 * to the slot holding the requested duration D, each the value the run's own model gives at
 * the slot's start (null = lost or down).
 *
 * The model is built by the run's builder (run/network.ts) on a one-node copy of the
 * scenario, so the series is the very network the run sees: same seed stream
 * `<seed>/latency/<node>`, same grid, burst chains started at the same origin slot.
 *
 * Replay identity: written as CSV rows `k·res,value`, read back as `trace: FILE, loop: false`,
 * the trace parser keeps a CSV whose first time is negative on the simulated clock, unrounded
 * (scenario/trace-file.ts); the replayed value at slot start k·res is then the last row at or
 * before it, which is row k itself. So every lookup at a time t < (last slot + 1)·res gives
 * the original value, whatever its time within the slot. Times and values are printed in
 * JavaScript's shortest round-trip form, which the trace parser reads back to the same double.
 */
import { DtrainError } from '../errors.js';
import { buildNetwork } from '../run/network.js';
import type { Scenario } from '../scenario/types.js';
import { slotOf } from '../sim/latency/index.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

/** A series longer than this is refused: a CSV of ~10⁷ rows is already ~150 MB of text. */
export const MAX_SERIES_SLOTS = 10_000_000;

export interface LatencySeries {
  nodeId: string;
  /** the grid's slot width (cluster.latencyResolutionMs) */
  resolutionMs: number;
  /** the monitoring origin, −windowMs (the first slot is the one holding it) */
  originMs: number;
  /** the duration asked for: the last slot is the one holding it */
  durationMs: number;
  /** slot number of the first row */
  firstSlot: number;
  /** each slot's start time, k · resolutionMs */
  timesMs: Float64Array;
  /** each slot's latency in ms, NaN = lost (the run counts a non-finite latency as lost too) */
  valuesMs: Float64Array;
}

/**
 * The series of node `nodeId` from −windowMs to `durationMs`. The node must exist (the CLI
 * checks it first, with a did-you-mean); the duration must be positive and finite.
 */
export function latencySeries(scenario: Scenario, nodeId: string, durationMs: number, durationText = `${durationMs}`): LatencySeries {
  const node = scenario.cluster.nodes.find((n) => n.id === nodeId);
  if (node === undefined) throw new DtrainError('cli.invalidArgument', `unknown node '${nodeId}'`);
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) {
    throw new DtrainError('cli.invalidArgument', `--duration must be a positive duration, found ${durationMs} ms`);
  }
  const resolutionMs = scenario.cluster.latencyResolutionMs;
  const originMs = -scenario.pipeline.s1.windowMs;
  const firstSlot = slotOf(originMs, resolutionMs);
  const lastSlot = slotOf(durationMs, resolutionMs);
  const count = lastSlot - firstSlot + 1;
  if (!(count <= MAX_SERIES_SLOTS)) {
    throw new DtrainError(
      'cli.invalidArgument',
      `--duration ${escapeForTerminal(durationText)} (${durationMs} ms) covers ${count} slots of ${resolutionMs} ms from ${originMs} ms; at most ${MAX_SERIES_SLOTS} (a shorter duration or a coarser cluster.latencyResolutionMs)`,
    );
  }
  // the run's own builder, on this node alone (a burst chain allocates per node)
  const [model] = buildNetwork({ ...scenario, cluster: { ...scenario.cluster, nodes: [node] } });
  const timesMs = new Float64Array(count);
  const valuesMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const startMs = (firstSlot + i) * resolutionMs;
    const value = model!.at(startMs);
    timesMs[i] = startMs;
    valuesMs[i] = value === null || !Number.isFinite(value) ? Number.NaN : value;
  }
  return { nodeId, resolutionMs, originMs, durationMs, firstSlot, timesMs, valuesMs };
}

/** `time_ms,latency_ms` rows, one per slot, an empty latency for a lost slot. */
export function latencyCsv(series: LatencySeries): string {
  const lines: string[] = ['time_ms,latency_ms'];
  const { timesMs, valuesMs } = series;
  for (let i = 0; i < timesMs.length; i++) {
    const value = valuesMs[i]!;
    lines.push(`${String(timesMs[i]!)},${Number.isNaN(value) ? '' : String(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
