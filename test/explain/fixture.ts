/**
 * A two-node, two-round s1s4 run built without training: S1–S3 from the pipeline's own
 * functions, timelines from the time model (latency 5 ms, transfer 0.5 ms), and hand-set
 * gradient norms with the S4 weights they imply. Every value is consistent, so the
 * explanation's arithmetic can be checked by hand.
 */
import { decideRound } from '../../src/pipeline/index.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { NormHistories } from '../../src/pipeline/norm-histories.js';
import { roundTimelines } from '../../src/sim/round-time.js';
import { stepMs } from '../../src/sim/time-model.js';
import type { NodeRoundRecord, RoundRecord, RunResult, RunSetting } from '../../src/sim/records.js';
import { S1S4, makeScenario } from '../report/fixtures.js';

const LATENCY_MS = 5;
const TRANSFER_MS = 0.5;
/** a: every sample 5 ms; b: 10 under 50 ms, 8 at 80 ms, 2 lost. */
const SAMPLES: Array<Array<number | null>> = [
  Array.from({ length: 20 }, () => 5),
  [...Array.from({ length: 10 }, () => 5), ...Array.from({ length: 8 }, () => 80), null, null],
];
const NORMS = [[1.5, 1.25], [2.5, 2.25]];
const EVALS = [{ loss: 0.9, accuracy: 0.6 }, { loss: 0.7, accuracy: 0.75 }];

export const CONTEXT: RunSetting = {
  paramCount: 15,
  modelBytes: 60,
  transferMs: [TRANSFER_MS, TRANSFER_MS],
  sampleCounts: [60, 60],
};

/** The s1s4 stages, as the registry resolves them. */
export const STAGES = createStageRegistry().resolve(S1S4);

export function handResult(): RunResult {
  const scenario = { ...makeScenario(['a', 'b']), strategies: [S1S4] };
  const { s1, s2, s3, s4 } = scenario.pipeline;
  const nodes = scenario.cluster.nodes;
  const rounds: RoundRecord[] = [];
  let startMs = 0;
  let lastResponseMs: Array<number | null> = [null, null];
  let lastBatch: Array<number | null> = [null, null];
  const histories = new NormHistories(2, s4.window);
  for (let r = 0; r < 2; r++) {
    const { plans, batchWorking, resourceWorking } = decideRound({
      nodes, samplesMs: SAMPLES, lastResponseMs, lastBatch, transferBytes: 62_500, localSteps: 1, stages: STAGES, s1, s2, s3,
      stepMsOf: (i, batch, threads, ioQueue) => stepMs(nodes[i]!, batch, threads, ioQueue),
    });
    // 62,500 bytes at 1 Gbps: TRANSFER_MS = 0.5 ms
    const timelines = roundTimelines({
      startMs, deadlineMs: null, retryMs: 100, maxRetries: 20, localSteps: 1, serverBps: Number.POSITIVE_INFINITY,
      nodes: plans.map((plan, i) => ({
        latencyAt: () => LATENCY_MS, bytes: 62_500, bandwidthBps: 1e9, slowdownAt: null,
        stepMs: stepMs(nodes[i]!, plan.batch, plan.threads, plan.ioQueue),
      })),
    }).map((t) => t!);
    for (let i = 0; i < 2; i++) histories.append(i, NORMS[i]![r]!);
    const weighed = STAGES.aggregation.weigh([0, 1].map((i) => ({ gradNormHistory: histories.history(i), sampleCount: CONTEXT.sampleCounts[i]!, batch: plans[i]!.batch, localSteps: 1 })), s4);
    const { volatilities, weights } = weighed;
    const endMs = timelines.reduce((last, t) => Math.max(last, t.finishMs ?? 0), 0);
    const records: NodeRoundRecord[] = plans.map((plan, i) => {
      const t = timelines[i]!;
      if (t.outcome !== 'finished') throw new Error('fixture: every node finishes');
      return {
        id: nodes[i]!.id, efficiency: plan.efficiency, effectiveMs: plan.effectiveMs, observedMs: plan.observedMs,
        samplesMs: SAMPLES[i]!, batch: plan.batch, plannedBatch: plan.batch, responseMs: plan.responseMs,
        pressure: plan.pressure, threads: plan.threads, ioQueue: plan.ioQueue, participated: true, dropReason: null,
        finishMs: t.finishMs, downloadEndMs: t.downloadEndMs, computeEndMs: t.computeEndMs, timeline: t,
        gradNorm: NORMS[i]![r]!, volatility: volatilities[i]!, weight: weights[i]!,
      };
    });
    rounds.push({ round: r + 1, startMs, endMs, skipped: false, ...EVALS[r]!, nodes: records, working: { batch: batchWorking, resources: resourceWorking, aggregation: weighed.working } });
    lastResponseMs = timelines.map((t) => (t.outcome === 'finished' ? t.stepMs : null));
    lastBatch = plans.map((plan) => plan.batch);
    startMs = endMs;
  }
  return {
    scenario,
    runs: [{
      strategy: S1S4, backend: 'cpu', rounds,
      summary: { finalAccuracy: 0.75, bestAccuracy: 0.75, simulatedMs: startMs, samplesTrained: 106, timeToTargetMs: null },
    }],
  };
}
