import { describe, expect, it } from 'vitest';
import { explainKeptRound } from '../../src/explain/round.js';
import { CONTEXT, handResult, STAGES } from './fixture.js';

describe('explainRound', () => {
  it('round 1 of the hand-built run: every decision with formula, inputs and result', () => {
    // Arrange: a (20 of 20 samples under 50 ms) and b (10 of 20, 2 lost), latency 5 ms, transfer 0.5 ms.
    // By hand: b_a = 64·1/2 = 32, b_b = 64·0.5/1.5 = 21.33 → 21; step at 4 threads, 8 queue:
    // a 32·0.4/3.077 = 4.16 ms, b 21·0.4/3.077 = 2.73 ms; pressures 133.12 and 57.33, P_ref = 95.225;
    // threads round(4·1.398) = 6 and round(4·0.602) = 2; queues 11 and 5; steps 12.8/4 = 3.2 and
    // 8.4/1.818 = 4.62 ms; finishes 5.5 + 3.2 + 5.5 = 14.2 and 15.62 ms; no norm history → w = 1/2.
    const result = handResult();

    // Act
    const text = explainKeptRound({ scenario: result.scenario, run: result.runs[0]!, round: 1, context: CONTEXT, stages: STAGES });

    // Assert
    expect(text).toBe(`${[
      'dtrain explain · scenario tiny (scenarios/tiny.yaml) · seed 7',
      'strategy s1s4: batch efficiency · resources pressure · aggregation volatility',
      'round 1 of 2 · T = 0 ms → 15.62 ms · 2 of 2 nodes took part',
      '',
      'S1 communication efficiency → S2 batch size (batch stage: efficiency)',
      '  window [-2000 ms, 0 ms): 20 samples, one every 100 ms; a sample is effective when under 50 ms (a lost one never is)',
      '  b = B · e / (e + 1) with B = 64, rounded floor, clamped to [0, 64]; batch 0 = not dispatched',
      '  node a: 20 of 20 samples under 50 ms → e = 2000 ms / 2000 ms = 1.00 → b = 64 · 1.00 / 2.00 = 32 → floor → 32',
      '  node b: 10 of 20 samples under 50 ms (2 lost; 8 at 50 ms or more, up to 80 ms) → e = 1000 ms / 2000 ms = 0.50 → b = 64 · 0.50 / 1.50 = 21.33 → floor → 21',
      '',
      'S3 compute pressure → threads and I/O queue (resources stage: pressure)',
      '  pressure = batch × response time (ms); P_ref = median pressure of the dispatched nodes',
      '  P_ref = median(57.33, 133.12) = 95.225 over 2 dispatched nodes',
      '  threads = round(4 × pressure / P_ref), I/O queue = round(8 × pressure / P_ref), each clamped; round = half up',
      '  node a: response 4.16 ms (no earlier round: its step time at this batch with the base 4 threads and 8 queue) → pressure = 32 × 4.16 ms = 133.12',
      '          threads = round(4 × 133.12 / 95.225) = round(5.59) = 6 → clamp [1, min(32, 8 cores)] → 6',
      '          I/O queue = round(8 × 133.12 / 95.225) = round(11.18) = 11 → clamp [1, 64] → 11',
      '  node b: response 2.73 ms (no earlier round: its step time at this batch with the base 4 threads and 8 queue) → pressure = 21 × 2.73 ms = 57.33',
      '          threads = round(4 × 57.33 / 95.225) = round(2.41) = 2 → clamp [1, min(32, 8 cores)] → 2',
      '          I/O queue = round(8 × 57.33 / 95.225) = round(4.82) = 5 → clamp [1, 64] → 5',
      '',
      'Timeline from T = 0 ms: download, 1 local step, upload; the round ends at the barrier',
      '  model 15 parameters × 4 bytes = 60 bytes; transfer = bytes · 8 / bandwidth; a lost try is retried 100 ms later, 20 tries at most; no deadline',
      '  node a: download tried at 0 ms → latency 5 ms + transfer 0.5 ms → arrives 5.5 ms',
      '          compute 1 step × 3.2 ms → ends 8.7 ms',
      '            (speedup = 1 / ((1 − 0.9) + 0.9 / 6 threads) = 4; step = max(32 × 0.4 ms / 4, 2 ms / 11 queue) = max(3.2 ms, 0.182 ms) = 3.2 ms)',
      '          upload tried at 8.7 ms → latency 5 ms + transfer 0.5 ms → arrives 14.2 ms; waits 1.42 ms at the barrier',
      '  node b: download tried at 0 ms → latency 5 ms + transfer 0.5 ms → arrives 5.5 ms',
      '          compute 1 step × 4.62 ms → ends 10.12 ms',
      '            (speedup = 1 / ((1 − 0.9) + 0.9 / 2 threads) = 1.818; step = max(21 × 0.4 ms / 1.818, 2 ms / 5 queue) = max(4.62 ms, 0.4 ms) = 4.62 ms)',
      '          upload tried at 10.12 ms → latency 5 ms + transfer 0.5 ms → arrives 15.62 ms; waits 0 ms at the barrier',
      '  barrier: the round ends when the last outcome is known (a finish or a drop): node b\'s upload arrives at 15.62 ms; the next round starts at T = 15.62 ms',
      '',
      'S4 gradient volatility → aggregation weights (aggregation stage: volatility)',
      '  ‖g‖ = L2 norm of the pseudo-gradient (θ_t − θ_i) / (lr · localSteps); v = cv = population std / mean of the node\'s last 5 gradient norms',
      '  aggregation volatility: w = (1/(v + ε)) / Σ 1/(v + ε) with ε = 0.001; a node with too few norms takes the mean volatility of the others',
      '  no participant has 2 norms yet → equal weights',
      '  node a: ‖g‖ = 1.5; history [1.5]: fewer than 2 norms → no volatility of its own yet',
      '  node b: ‖g‖ = 2.5; history [2.5]: fewer than 2 norms → no volatility of its own yet',
      '  node a: w = 1 / 2 = 0.5',
      '  node b: w = 1 / 2 = 0.5',
      '',
      'Evaluation of the global model on the test split',
      '  θ_{t+1} = Σ w_i θ_i → loss 0.9, accuracy 0.6',
    ].join('\n')}\n`);
  });

  it('round 2: the norm history gives cv volatilities, inverse terms, their sum and the weights', () => {
    // By hand: a [1.5, 1.25] → 0.125 / 1.375 = 0.0909 → 1/(0.0919) = 10.8803; b [2.5, 2.25] → 0.125 / 2.375
    // = 0.0526 → 18.6457; Σ = 29.526 → w 0.3685 and 0.6315.
    const result = handResult();

    // Act
    const text = explainKeptRound({ scenario: result.scenario, run: result.runs[0]!, round: 2, context: CONTEXT, stages: STAGES });

    // Assert
    expect(text).toContain(`${[
      'S4 gradient volatility → aggregation weights (aggregation stage: volatility)',
      '  ‖g‖ = L2 norm of the pseudo-gradient (θ_t − θ_i) / (lr · localSteps); v = cv = population std / mean of the node\'s last 5 gradient norms',
      '  aggregation volatility: w = (1/(v + ε)) / Σ 1/(v + ε) with ε = 0.001; a node with too few norms takes the mean volatility of the others',
      '  node a: ‖g‖ = 1.25; history [1.5, 1.25] → v = std / mean = 0.125 / 1.375 = 0.0909',
      '          1/(v + ε) = 1/(0.0909 + 0.001) = 10.8803',
      '  node b: ‖g‖ = 2.25; history [2.5, 2.25] → v = std / mean = 0.125 / 2.375 = 0.0526',
      '          1/(v + ε) = 1/(0.0526 + 0.001) = 18.6457',
      '  Σ 1/(v + ε) = 10.8803 + 18.6457 = 29.526',
      '  node a: w = 10.8803 / 29.526 = 0.3685',
      '  node b: w = 18.6457 / 29.526 = 0.6315',
    ].join('\n')}\n`);
    expect(text).toContain('Notable in this run so far, and true in this round\n  ! node b held more than half of the weight (up to 63.2% in round 2)');
  });

  it('an aggregation stage explain has no words for: its summary, then each weight with the working as name = value pairs', () => {
    const result = handResult();
    const run = result.runs[0]!;
    const record = run.rounds[1]!;
    const plugin = { kind: 'aggregation' as const, name: 'median', summary: 'weights from the median norm', weigh: STAGES.aggregation.weigh };
    const aggregation: Array<Record<string, number | string>> = [{ rule: 'median-distance', distance: 0.5 }, { rule: 'median-distance', distance: 0.25, tiny: 0.0000071 }];
    const working = { ...record.working!, aggregation };
    const pluginRun = { ...run, strategy: { ...run.strategy, aggregation: 'median' }, rounds: [run.rounds[0]!, { ...record, working }] };

    const text = explainKeptRound({ scenario: result.scenario, run: pluginRun, round: 2, context: CONTEXT, stages: { ...STAGES, aggregation: plugin } });

    expect(text).toContain(`${[
      'S4 gradient volatility → aggregation weights (aggregation stage: median)',
      '  ‖g‖ = L2 norm of the pseudo-gradient (θ_t − θ_i) / (lr · localSteps); v = the volatility the median stage gives (its own measure); the history holds the node\'s last 5 gradient norms',
      '  aggregation median: weights from the median norm',
      // a plug-in's volatility is not said to be the scenario's cv: explain cannot know how it was made
      '  node a: ‖g‖ = 1.25; history [1.5, 1.25] → v = 0.0909 (the median stage\'s own measure)',
      '  node b: ‖g‖ = 2.25; history [2.5, 2.25] → v = 0.0526 (the median stage\'s own measure)',
      '  node a: w = 0.3685 (rule = median-distance, distance = 0.5)',
      // a working value too small for 4 decimals keeps 2 significant digits
      '  node b: w = 0.6315 (rule = median-distance, distance = 0.25, tiny = 0.0000071)',
    ].join('\n')}\n`);
  });

  it('--node keeps only that node and says so in the round line', () => {
    const result = handResult();
    const text = explainKeptRound({ scenario: result.scenario, run: result.runs[0]!, round: 2, nodeId: 'a', context: CONTEXT, stages: STAGES });
    expect(text).toContain('round 2 of 2 · T = 15.62 ms → 30.78 ms · 2 of 2 nodes took part · showing node a\n');
    expect(text).not.toMatch(/^ {2}node b:/m);
    expect(text).toContain('  P_ref = median(97.02, 102.4) = 99.71 over 2 dispatched nodes');
  });

  it('a round ending ten minutes or more into the run gives that end in min or h too', () => {
    const result = handResult();
    const run = result.runs[0]!;
    // 1,234,567.8 ms = 20.58 min
    run.rounds[1] = { ...run.rounds[1]!, startMs: 1_234_552.18, endMs: 1_234_567.8 };
    const text = explainKeptRound({ scenario: result.scenario, run, round: 2, nodeId: 'a', context: CONTEXT, stages: STAGES });
    expect(text).toContain('round 2 of 2 · T = 1234552.18 ms → 1234567.8 ms (20.6 min) · 2 of 2 nodes took part · showing node a\n');
  });

  it('a round the run does not have is a bug and throws', () => {
    const result = handResult();
    expect(() => explainKeptRound({ scenario: result.scenario, run: result.runs[0]!, round: 3, context: CONTEXT, stages: STAGES })).toThrow('the run has no round 3');
  });
});

describe('explainRound: a drop learnt when it happens', () => {
  it('the upload that lost every try says when the drop became known, and that drop ends the round', () => {
    // Arrange: round 1, node b's upload loses all 4 tries (from its compute end, 10.12 ms, every 100 ms):
    // the last failure is learnt at 310.12 + 100 = 410.12 ms, the last outcome of the round
    const result = handResult();
    const round = result.runs[0]!.rounds[0]!;
    const b = round.nodes[1]!;
    const t = b.timeline!.upload!.tries[0]!.atMs;
    const droppedAtMs = t + 400;
    b.timeline = {
      ...b.timeline!, outcome: 'dropped', reason: 'retries', finishMs: null, droppedAtMs,
      upload: { tries: [0, 1, 2, 3].map((k) => ({ atMs: t + k * 100, latencyMs: null })), arrivedMs: null, activeMs: null, failure: 'retries', nextTryMs: null },
    };
    Object.assign(b, { participated: false, batch: 0, weight: 0, gradNorm: null, volatility: null, dropReason: 'retries', finishMs: null, droppedAtMs, uploadMs: null });
    round.endMs = droppedAtMs;

    // Act
    const text = explainKeptRound({ scenario: result.scenario, run: result.runs[0]!, round: 1, context: CONTEXT, stages: STAGES });

    // Assert
    expect(text).toContain([
      '          upload tried at 8.7 ms → latency 5 ms + transfer 0.5 ms → arrives 14.2 ms; waits 395.92 ms at the barrier',
      '  node b: download tried at 0 ms → latency 5 ms + transfer 0.5 ms → arrives 5.5 ms',
    ].join('\n'));
    expect(text).toContain([
      '          upload tried at 10.12 ms … 310.12 ms: all 4 tries lost → dropped (retries) at 410.12 ms, when the last failure was learnt',
      '  barrier: the round ends when the last outcome is known (a finish or a drop): node b is dropped (retries) at 410.12 ms; the next round starts at T = 410.12 ms',
    ].join('\n'));
  });
});
