import { describe, expect, it } from 'vitest';
import { renderScenarioList } from '../../src/cli/scenarios.js';
import { dtrain } from './run-dtrain.js';

describe('dtrain scenarios', () => {
  it('lists every bundled scenario with its description and how to run one', () => {
    const run = dtrain(['scenarios']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe([
      'bundled scenarios',
      '  flaky-network     scenarios/flaky-network.yaml',
      '      Bursty and spiky links; S1/S2 shrink the batches of the nodes whose links',
      '      misbehave.',
      '  large-cluster     scenarios/large-cluster.yaml',
      '      256 nodes in five groups with mixed links and compute.',
      '  noisy-labels      scenarios/noisy-labels.yaml',
      '      Two of six nodes have 60% label noise; S4 down-weights their volatile',
      '      gradients.',
      '  noisy-neighbours  scenarios/noisy-neighbours.yaml',
      "      Three of eight nodes run 2–4× slower from 20 s to 80 s, then every node's",
      '      steps flicker 1–3×. On average over seeds, S3 (in s1s4 or alone) changes',
      "      nothing in the first 20 s, makes the slow phase's rounds about a third",
      "      shorter and the flicker phase's about a quarter longer (it starves last",
      "      round's quick nodes of threads), so 30 rounds take about as long as with",
      '      sync-sgd.',
      '  quickstart        scenarios/quickstart.yaml',
      '      Four nodes; one link turns bursty after 2 s.',
      '  shared-server     scenarios/shared-server.yaml',
      '      64 nodes share a 1 Gbps server link for a 100 MB model, so every',
      "      strategy's round lasts about 103 s. On average over seeds, S2's smaller",
      '      batches for the 16 far nodes train 12.5 % fewer samples yet save under 1 %',
      '      of the time (0.4 % with s1s4, 0.7 % with S1/S2 alone), and accuracy ends',
      "      within half a point of sync-sgd's.",
      '  straggler         scenarios/straggler.yaml',
      '      One slow compute node; S3 gives it more threads to shorten the barrier.',
      '  trace-replay      scenarios/trace-replay.yaml',
      '      One node replays a real ping trace with bursty loss.',
      '',
      'run one:    dtrain simulate scenarios/flaky-network.yaml',
      'explain it: dtrain explain scenarios/flaky-network.yaml',
      '',
    ].join('\n'));
  });

  it('a scenario without a description gets no second line; every line fits 80 columns', () => {
    for (const line of dtrain(['scenarios']).stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(renderScenarioList([{ name: 'x', path: 'x.yaml', description: '' }, { name: 'long-name', path: 'y.yaml', description: 'Y.' }]))
      .toBe('bundled scenarios\n  x          x.yaml\n  long-name  y.yaml\n      Y.\n\nrun one:    dtrain simulate x.yaml\nexplain it: dtrain explain x.yaml\n');
  });
});
