/**
 * The plug-in contract shared by every latency process (SPEC §1.2, §3). A process is asked for
 * its value at one grid slot `k` whose start time is `slotStartMs = k · resolutionMs`; it never
 * sees the raw query time, which is what makes every caller see the same network.
 */
import type { LatencyProcess, LatencySpec } from '../../scenario/types.js';

/** A process evaluated slot by slot: latency in ms, or null when the sample is lost / down. */
export interface SlotProcess {
  valueAt(slot: number, slotStartMs: number): number | null;
}

/** What a factory gets besides its own parameters; built once per (node, stream path). */
export interface ProcessContext {
  /** `slotUniform` key of this process's value draws: `streamKey(seed, 'latency' or 'slowdown', node, …)` */
  key: number;
  /** first slot of the grid (`floor(originMs / resolutionMs)`): Markov chains start here */
  originSlot: number;
  resolutionMs: number;
  /** builds a nested spec on its own sub-stream (`…/<subPath>`), used by `phases` */
  buildNested(spec: LatencySpec, ...subPath: Array<string | number>): SlotProcess;
}

export type ProcessKind = LatencyProcess['kind'];
export type ProcessOf<K extends ProcessKind> = Extract<LatencyProcess, { kind: K }>;
export type ProcessFactory<K extends ProcessKind> = (process: ProcessOf<K>, ctx: ProcessContext) => SlotProcess;
