/**
 * Latency of one node as a pure function of (seed, node, simulated time) (SPEC §1.2, §3).
 * `at(t)` is the node's process at grid slot k = floor(t / resolutionMs), evaluated at the
 * slot's start k · resolutionMs; the slot's randomness is `slotUniform(key, k, draw)` with
 * key = `streamKey(seed, 'latency', node, …)`, so queries in any order give the same values,
 * every strategy in a run sees the same network, and adding a node changes no other node.
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

/** Builds a spec (process + modifiers) on the stream `<seed>/latency/<node>/<path…>`. */
function buildSpec(
  spec: LatencySpec,
  ctx: LatencyContext,
  originSlot: number,
  path: ReadonlyArray<string | number>,
): SlotProcess {
  const streamPath = ['latency', ctx.nodeId, ...path];
  const processCtx: ProcessContext = {
    key: streamKey(ctx.seed, ...streamPath),
    originSlot,
    resolutionMs: ctx.resolutionMs,
    buildNested: (nested, ...subPath) => buildSpec(nested, ctx, originSlot, [...path, ...subPath]),
  };
  const process = buildProcess(spec.process, processCtx);
  return withModifiers(process, spec.loss, streamKey(ctx.seed, ...streamPath, 'loss'), spec.down);
}

export function buildLatencyModel(spec: LatencySpec, ctx: LatencyContext): LatencyModel {
  const { resolutionMs } = ctx;
  if (!(resolutionMs > 0) || !Number.isFinite(resolutionMs)) {
    throw new DtrainError('scenario.invalid', `latency resolution must be a positive number of ms, found ${resolutionMs}`);
  }
  const root = buildSpec(spec, ctx, slotOf(ctx.originMs, resolutionMs), []);
  return {
    at(timeMs) {
      const slot = slotOf(timeMs, resolutionMs);
      return root.valueAt(slot, slot * resolutionMs);
    },
  };
}
