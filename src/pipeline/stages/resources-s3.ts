/**
 * Resources stages from S3's formula (claim 4): `pressure` (the patent: threads and I/O queue
 * scaled by pressure / P_ref) and `fixed` (the baseline: pressure / P_ref taken as 1, so every
 * dispatched node gets the base allocation, clamped).
 */
import { allocateResources, fixedResources, type ResourceAllocation } from '../s3-resources.js';
import type { ResourceStageDefinition, StageWorking } from '../stage-registry.js';

// Shared, frozen: the same for every node they stand for (one object a node and round otherwise)
const NOT_DISPATCHED = Object.freeze({ threads: 0, ioQueue: 0 });
const BASE_WORKING = Object.freeze({ rule: 'base', threadsRatio: null, queueRatio: null });
const FIXED_WORKING = Object.freeze({ rule: 'fixed' });

export const pressureResourceStage: ResourceStageDefinition = {
  kind: 'resources',
  name: 'pressure',
  summary: 'pressure',
  allocate: (view, options) => {
    const { s3, referencePressure } = view;
    const n = view.nodes.length;
    const allocations = new Array<ResourceAllocation>(n);
    const working = options?.working === false ? null : new Array<StageWorking>(n);
    // A node's allocation depends on its pressure and cores alone, its working on its pressure,
    // and a round has few distinct ones (step times repeat across a group): nodes that share
    // them share one frozen object instead of two objects each per round.
    const byPressure = new Map<number, { working: StageWorking; byCores: Map<number, ResourceAllocation> }>();
    for (let i = 0; i < n; i++) {
      const pressure = view.pressures[i]!;
      let known = byPressure.get(pressure);
      if (known === undefined) {
        const own = referencePressure > 0
          ? Object.freeze({ rule: 'pressure', threadsRatio: (s3.baseThreads * pressure) / referencePressure, queueRatio: (s3.baseQueue * pressure) / referencePressure })
          : BASE_WORKING;
        known = { working: own, byCores: new Map() };
        byPressure.set(pressure, known);
      }
      if (working !== null) working[i] = known.working;
      if (view.batches[i]! === 0) {
        allocations[i] = NOT_DISPATCHED;
        continue;
      }
      const cores = view.nodes[i]!.cores;
      let allocation = known.byCores.get(cores);
      if (allocation === undefined) {
        allocation = Object.freeze(allocateResources(pressure, referencePressure, cores, s3));
        known.byCores.set(cores, allocation);
      }
      allocations[i] = allocation;
    }
    return { allocations, working: working ?? [] };
  },
};

export const fixedResourceStage: ResourceStageDefinition = {
  kind: 'resources',
  name: 'fixed',
  summary: 'fixed',
  allocate: (view, options) => ({
    allocations: view.nodes.map((node, i) => (view.batches[i]! > 0 ? fixedResources(node.cores, view.s3) : NOT_DISPATCHED)),
    working: options?.working === false ? [] : view.nodes.map(() => FIXED_WORKING),
  }),
};
