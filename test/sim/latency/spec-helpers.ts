/** Small builders for latency specs in tests (not a test file itself). */
import type { DownInterval, LatencyProcess, LatencySpec } from '../../../src/scenario/types.js';
import { buildLatencyModel, type LatencyContext, type LatencyModel } from '../../../src/sim/latency/index.js';

export function spec(process: LatencyProcess, modifiers: { loss?: number; down?: DownInterval[] } = {}): LatencySpec {
  return { process, loss: modifiers.loss ?? 0, down: modifiers.down ?? [] };
}

export const CONTEXT: LatencyContext = { seed: 7, nodeId: 'a', resolutionMs: 100, originMs: -2000 };

export function model(latency: LatencySpec, context: Partial<LatencyContext> = {}): LatencyModel {
  return buildLatencyModel(latency, { ...CONTEXT, ...context });
}

/** Values at the start of slots first … first+count−1. */
export function slotValues(m: LatencyModel, first: number, count: number, resolutionMs = CONTEXT.resolutionMs): Array<number | null> {
  return Array.from({ length: count }, (_, i) => m.at((first + i) * resolutionMs));
}
