/**
 * Resources stage `cores` (SPEC §7.1): every dispatched node runs on all its cores,
 * threads = cores (maxThreads does not apply), and the I/O queue is S3's base, clamped as in
 * S3. The baseline a reviewer asks for when S3's gain is measured against `fixed`, which uses
 * baseThreads of however many cores a node has.
 */
import { fixedResources } from '../s3-resources.js';
import type { ResourceStageDefinition } from '../stage-registry.js';

export const coresResourceStage: ResourceStageDefinition = {
  kind: 'resources',
  name: 'cores',
  summary: 'cores (every node uses all its cores; base I/O queue)',
  allocate: (view, options) => ({
    allocations: view.nodes.map((node, i) => (view.batches[i]! > 0
      ? { threads: node.cores, ioQueue: fixedResources(node.cores, view.s3).ioQueue }
      : { threads: 0, ioQueue: 0 })),
    working: options?.working === false ? [] : view.nodes.map((node) => ({ rule: 'cores', cores: node.cores })),
  }),
};
