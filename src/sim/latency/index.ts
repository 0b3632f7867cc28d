/**
 * Latency of one node as a pure function of (seed, node, simulated time) (SPEC §1.2, §3).
 * `at(t)` is the node's process at grid slot k = floor(t / resolutionMs), evaluated at the
 * slot's start k · resolutionMs; the slot's randomness is `slotUniform(key, k, draw)` with
 * key = `streamKey(seed, 'latency', node, …)`, so queries in any order give the same values,
 * every strategy in a run sees the same network, and adding a node changes no other node.
 *
 * A node's compute slowdown (SPEC §6.4) is the same machinery on its own stream,
 * `streamKey(seed, 'slowdown', node, …)`: same processes, same grid, independent draws.
 *
 * Processes are plug-ins: one file each, looked up by `process.kind` in `PROCESSES`.
 */
import { DtrainError } from '../../errors.js';
import { streamKey } from '../rng.js';
import type { LatencyProcess, LatencySpec } from '../../scenario/types.js';
import { burstProcess } from './burst.js';
import { constantProcess } from './constant.js';
import { slotOf } from './grid.js';
import { lognormalProcess } from './lognormal.js';
import { withModifiers } from './modifiers.js';
import { normalProcess } from './normal.js';
import { periodicProcess } from './periodic.js';
import { phasesProcess } from './phases.js';
import { spikesProcess } from './spikes.js';
import { traceProcess } from './trace.js';
import { uniformProcess } from './uniform.js';
import type { ProcessContext, ProcessFactory, ProcessKind, SlotProcess } from './types.js';

export type { ProcessContext, ProcessFactory, SlotProcess } from './types.js';
export { slotOf } from './grid.js';

export interface LatencyContext {
  seed: number;
  nodeId: string;
  /** slot width of the latency grid */
  resolutionMs: number;
  /** when monitoring starts (−windowMs): burst chains start in the good state at its slot */
  originMs: number;
}

export interface LatencyModel {
  /** latency in ms at simulated time t, or null when the sample is lost or the node is down */
  at(timeMs: number): number | null;
}

export interface SlowdownModel {
  /** the step-time multiplier at simulated time t, as the process gives it (may be < 0: read as 0) */
  at(timeMs: number): number;
}

/** The random stream family a model draws from: `<seed>/<stream>/<node>/…`. */
type Stream = 'latency' | 'slowdown';

/** The registry: one factory per `process.kind` (a missing kind is a type error). */
export const PROCESSES: { [K in ProcessKind]: ProcessFactory<K> } = {
  constant: constantProcess,
  uniform: uniformProcess,
  normal: normalProcess,
  lognormal: lognormalProcess,
  spikes: spikesProcess,
  burst: burstProcess,
  periodic: periodicProcess,
  trace: traceProcess,
  phases: phasesProcess,
};

export const PROCESS_KINDS = Object.keys(PROCESSES) as ProcessKind[];

function buildProcess(process: LatencyProcess, ctx: ProcessContext): SlotProcess {
  const factory = PROCESSES[process.kind] as ProcessFactory<ProcessKind> | undefined;
  if (factory === undefined) {
    const kind = (process as { kind: unknown }).kind;
    throw new DtrainError(
      'scenario.invalid',
      `unknown latency process "${String(kind)}"; expected one of ${PROCESS_KINDS.join(', ')}`,
    );
  }
  return (factory as (p: LatencyProcess, c: ProcessContext) => SlotProcess)(process, ctx);
}

/** Builds a spec (process + modifiers) on the stream `<seed>/<stream>/<node>/<path…>`. */
function buildSpec(
  spec: LatencySpec,
  ctx: LatencyContext,
  stream: Stream,
  originSlot: number,
  path: ReadonlyArray<string | number>,
): SlotProcess {
  const streamPath = [stream, ctx.nodeId, ...path];
  const processCtx: ProcessContext = {
    key: streamKey(ctx.seed, ...streamPath),
    originSlot,
    resolutionMs: ctx.resolutionMs,
    buildNested: (nested, ...subPath) => buildSpec(nested, ctx, stream, originSlot, [...path, ...subPath]),
  };
  const process = buildProcess(spec.process, processCtx);
  return withModifiers(process, spec.loss, streamKey(ctx.seed, ...streamPath, 'loss'), spec.down);
}

function checkResolution(resolutionMs: number): void {
  if (!(resolutionMs > 0) || !Number.isFinite(resolutionMs)) {
    throw new DtrainError('scenario.invalid', `latency resolution must be a positive number of ms, found ${resolutionMs}`);
  }
}

/** A process read at the slot a time falls in; a class, so a node's model is one small object. */
class SlotModel implements LatencyModel {
  constructor(private readonly root: SlotProcess, private readonly resolutionMs: number) {}

  at(timeMs: number): number | null {
    const slot = slotOf(timeMs, this.resolutionMs);
    return this.root.valueAt(slot, slot * this.resolutionMs);
  }
}

export function buildLatencyModel(spec: LatencySpec, ctx: LatencyContext): LatencyModel {
  const { resolutionMs } = ctx;
  checkResolution(resolutionMs);
  return new SlotModel(buildSpec(spec, ctx, 'latency', slotOf(ctx.originMs, resolutionMs), []), resolutionMs);
}

/**
 * A slowdown can never be missing, so a spec that could lose a value (loss, down, a trace with
 * an empty value, at any depth of phases) is refused here too, for specs not read from a
 * scenario file (the loader reports these with their place in the file).
 */
function missingValueIn(spec: LatencySpec): string | null {
  if (spec.loss > 0) return 'loss';
  if (spec.down.length > 0) return 'down';
  const { process } = spec;
  if (process.kind === 'trace' && process.samples.latenciesMs.some(Number.isNaN)) return 'a trace with an empty value';
  if (process.kind === 'phases') {
    for (const phase of process.phases) {
      const inner = missingValueIn(phase.latency);
      if (inner !== null) return inner;
    }
  }
  return null;
}

/** A node's compute slowdown (SPEC §6.4): the latency grid and processes on `<seed>/slowdown/<node>`. */
export function buildSlowdownModel(spec: LatencySpec, ctx: LatencyContext): SlowdownModel {
  const { resolutionMs } = ctx;
  checkResolution(resolutionMs);
  const missing = missingValueIn(spec);
  if (missing !== null) {
    throw new DtrainError('scenario.invalid', `node ${ctx.nodeId}: a slowdown may not have ${missing} (it must always have a value)`);
  }
  const root = buildSpec(spec, ctx, 'slowdown', slotOf(ctx.originMs, resolutionMs), []);
  return {
    at(timeMs) {
      const slot = slotOf(timeMs, resolutionMs);
      // never null: nothing above can lose a value
      return root.valueAt(slot, slot * resolutionMs)!;
    },
  };
}
