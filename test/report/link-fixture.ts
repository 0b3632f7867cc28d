/**
 * The tiny run behind a shared server link: every node's own transfer takes 4 ms, and in
 * s1s4's round 1 (0 → 6420 ms) node a's upload waited for the link. By hand: its download's
 * bytes start moving at 5956 and arrive at 5960 (4 ms, no wait); its steps end at 5980; the
 * upload's try at 5980 meets 6 ms of latency, so its bytes start at 5986 and would arrive at
 * 5990 on its own bandwidth; they arrive at 6000: 10 ms waiting for the server link.
 */
import type { NodeTimeline } from '../../src/sim/time-model.js';
import type { RunResult } from '../../src/sim/records.js';
import { tinyResult } from './fixtures.js';

export const OWN_TRANSFER_MS = 4;

/** A scenario of four nodes behind a 1 Mbps server link: their transfers queue for it. */
export const LINK_SCENARIO_TEXT = `name: link-report
seed: 2
rounds: 2
data: { dataset: iris }
model: { hidden: [] }
cluster:
  server: { bandwidth: 1Mbps }
  nodes:
    - { id: a, count: 4, latency: { constant: 5 } }
`;

export function linkTimeline(): NodeTimeline {
  return {
    outcome: 'finished', reason: null, stepMs: 20, downloadEndMs: 5960, computeEndMs: 5980, finishMs: 6000, droppedAtMs: null,
    download: { tries: [{ atMs: 0, latencyMs: 5956 }], activeMs: 5956, arrivedMs: 5960, failure: null, nextTryMs: null },
    steps: [{ startMs: 5960, endMs: 5980 }],
    upload: { tries: [{ atMs: 5980, latencyMs: 6 }], activeMs: 5986, arrivedMs: 6000, failure: null, nextTryMs: null },
  };
}

export function linkResult(): RunResult {
  const result = tinyResult();
  result.scenario.cluster.server = { bandwidthBps: 1e9 };
  result.setting = { paramCount: 15, modelBytes: 500_000, transferMs: [4, 4, 4, 4], sampleCounts: [30, 30, 30, 30] };
  result.runs[0]!.rounds[0]!.nodes[0]!.timeline = linkTimeline();
  return result;
}
