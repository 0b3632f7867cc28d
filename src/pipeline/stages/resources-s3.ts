/**
 * Resources stages from S3's formula (claim 4): `pressure` (the patent: threads and I/O queue
 * scaled by pressure / P_ref) and `fixed` (the baseline: pressure / P_ref taken as 1, so every
 * dispatched node gets the base allocation, clamped).
 */
import { allocateResources, fixedResources } from '../s3-resources.js';
import type { ResourceStageDefinition } from '../stage-registry.js';

// Shared, frozen: the same for every node they stand for (one object a node and round otherwise)
const NOT_DISPATCHED = Object.freeze({ threads: 0, ioQueue: 0 });
const BASE_WORKING = Object.freeze({ rule: 'base', threadsRatio: null, queueRatio: null });
const FIXED_WORKING = Object.freeze({ rule: 'fixed' });

export const pressureResourceStage: ResourceStageDefinition = {
  kind: 'resources',
  name: 'pressure',
  summary: 'pressure',
  allocate: (view) => {
    const { s3, referencePressure } = view;
    const allocations = view.nodes.map((node, i) =>
      (view.batches[i]! > 0 ? allocateResources(view.pressures[i]!, referencePressure, node.cores, s3) : NOT_DISPATCHED));
    const working = view.pressures.map((pressure) => (referencePressure > 0
      ? { rule: 'pressure', threadsRatio: (s3.baseThreads * pressure) / referencePressure, queueRatio: (s3.baseQueue * pressure) / referencePressure }
      : BASE_WORKING));
    return { allocations, working };
  },
};

export const fixedResourceStage: ResourceStageDefinition = {
  kind: 'resources',
  name: 'fixed',
  summary: 'fixed',
  allocate: (view) => ({
    allocations: view.nodes.map((node, i) => (view.batches[i]! > 0 ? fixedResources(node.cores, view.s3) : NOT_DISPATCHED)),
    working: view.nodes.map(() => FIXED_WORKING),
  }),
};
