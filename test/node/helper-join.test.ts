/**
 * The fast engine's second thread joins at the first round after it is ready. A run whose
 * rounds a timeline helper simulates starts a round from that helper's message (the event
 * loop's poll phase); the engine's thread, started during round 1 and ready long before it
 * ends, announced itself in a message that one setImmediate between rounds did not deliver
 * (the next round resumed in the same loop iteration, without polling), so round 2 ran on one
 * thread. Built package (the worker entry points exist in dist/ only).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainEngine } from '../../src/train/engine.js';
import { loadDist } from './dist.js';

type IndexModule = typeof import('../../src/index.js');
type HostModule = typeof import('../../src/node/host.js');
type LoadModule = typeof import('../../src/node/load.js');

let index: IndexModule;
let hosts: HostModule;
let loader: LoadModule;

beforeAll(async () => {
  [index, hosts, loader] = await Promise.all([loadDist<IndexModule>('index.js'), loadDist<HostModule>('node/host.js'), loadDist<LoadModule>('node/load.js')]);
});

// 20,000 nodes: a timeline helper (≥ 2^18 S1 samples a round); × 4,740 parameters and three
// local steps: the engine's second thread from round 1, which takes seconds here
const SCENARIO = `
seed: 2
rounds: 2
strategy: fedavg
data: { dataset: { blobs: { samples: 200000, features: 32, classes: 4 } } }
model: { hidden: [128], learningRate: 0.1, localSteps: 3 }
cluster:
  nodes:
    - { id: n, count: 20000, latency: { constant: 5 } }
`;

describe('the default engine’s second thread', () => {
  it('joins the round after the one that started it (the host’s turn delivers its message)', async () => {
    // Arrange: the default engine, asked at each round's training whether its thread has joined
    const scenario = loader.parseScenarioText(SCENARIO, 'join.yaml');
    const createFast = await hosts.nodeHost.engines.get('fast')!();
    const joined: boolean[] = [];
    const engine = async (options: Parameters<typeof createFast>[0]): Promise<TrainEngine> => {
      const created = await createFast(options);
      const train = created.trainLocal.bind(created);
      created.trainLocal = (tasks) => {
        joined.push((created as unknown as { helperJoined: boolean }).helperJoined);
        return train(tasks);
      };
      return created;
    };
    // Act
    const result = await index.runScenario(scenario, { engine, retainNodes: false, timelines: false });
    // Assert
    expect(result.runs[0]!.rounds).toHaveLength(2);
    expect(joined).toEqual([false, true]);
  }, 120_000);
});
