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
      '  data-matters      scenarios/data-matters.yaml',
      '      Six nodes with label-sorted (non-IID) digits; two reach the server over',
      '      slow links. On average over seeds, S2 gives the two far nodes almost no',
      '      samples, so s1s4 and S1/S2 alone train a third fewer samples and finish',
      '      about two thirds sooner than sync-sgd, but end about 11 points lower in',
      '      accuracy: the far nodes hold a third of the training data. lb-bsp, faster',
      '      still, loses about as much. sync-sgd reaches 80 % accuracy on most seeds;',
      '      s1s4 on none.',
      '  flaky-network     scenarios/flaky-network.yaml',
      '      Bursty and spiky links, retries and a 5 s deadline. On average over seeds,',
      '      s1s4 trains about 16 % fewer samples than sync-sgd (S1/S2 shrink the',
      '      batches of the nodes whose links misbehave) and finishes about 20 %',
      '      sooner, a saving that varies widely from seed to seed: a paired t-test',
      '      finds it, but it is not significant once dtrain study corrects for its',
      '      many comparisons. Final accuracy shows no significant difference. fedavg',
      "      takes exactly sync-sgd's time, with no significant difference in accuracy",
      '      either.',
      '  large-cluster     scenarios/large-cluster.yaml',
      '      256 nodes in five groups with mixed links and compute, on non-IID',
      '      generated data. On average over seeds, s1s4 trains 9 % fewer samples than',
      '      sync-sgd yet takes as long (no significant difference in simulated time);',
      '      its final accuracy is about 0.8 points higher over 20 seeds, not',
      '      significant once dtrain study corrects for its many comparisons. S4 holds',
      '      its lowest-weighted node at about a tenth of an equal share.',
      '  noisy-labels      scenarios/noisy-labels.yaml',
      '      Two of six nodes have 60 % label noise. On average over seeds, S4 gives',
      '      the noisy nodes about the same weight as the clean ones (weight ratio',
      '      noisy/clean about 1.0; together they hold a third of the weight, their',
      '      equal share), although its weights swing from round to round: it does not',
      "      down-weight noisy labels. s1s4 takes exactly sync-sgd's time, and final",
      '      accuracy shows no significant difference.',
      '  noisy-neighbours  scenarios/noisy-neighbours.yaml',
      "      Three of eight nodes run 2–4× slower from 20 s to 80 s, then every node's",
      '      steps flicker 1–3×. On average over seeds, S3 (in s1s4 or alone) changes',
      "      nothing in the first 20 s, makes the slow phase's rounds about a third",
      "      shorter and the flicker phase's about a quarter longer (it starves last",
      "      round's quick nodes of threads), so 30 rounds take about as long as with",
      '      sync-sgd.',
      '  quickstart        scenarios/quickstart.yaml',
      "      Four nodes; node c's link turns bursty from 2 s to 6 s. On average over",
      '      seeds, s1s4 trains about 8 % fewer samples than sync-sgd (S2 shrinks the',
      '      batches of nodes whose samples are slow) and finishes about 3 % sooner, a',
      '      small saving that a paired t-test finds but that is not significant once',
      '      dtrain study corrects for its many comparisons; final accuracy shows no',
      '      significant difference.',
      '  shared-server     scenarios/shared-server.yaml',
      '      64 nodes share a 1 Gbps server link for a 100 MB model, so every',
      "      strategy's round lasts about 103 s. On average over seeds, S2's smaller",
      '      batches for the 16 far nodes train 12.5 % fewer samples yet save under 1 %',
      '      of the time (0.4 % with s1s4, 0.7 % with S1/S2 alone), and accuracy ends',
      "      within half a point of sync-sgd's.",
      '  straggler         scenarios/straggler.yaml',
      '      One node computes four times slower; links are clean, so only S3 acts.',
      '      s1s4 finishes 37 % sooner than sync-sgd, but only because sync-sgd runs 4',
      '      threads on 16-core nodes: on all cores (the stage pick { batch: fixed,',
      '      resources: cores, aggregation: mean }) the same batches finish 51 % sooner',
      '      than sync-sgd, and s1s4 is 27 % slower than that. lb-bsp (batches sized to',
      "      each node's speed, all cores) is fastest, 72 % sooner than sync-sgd. On",
      '      average over seeds, final accuracy shows no significant difference between',
      '      any two of them.',
      '  trace-replay      scenarios/trace-replay.yaml',
      '      One node replays a real ping trace with bursty loss, its samples near the',
      '      22 ms threshold. S2 gives that node smaller batches, so s1s4 trains 6 %',
      '      fewer samples than sync-sgd and finishes 2.3 % sooner, the same on every',
      '      seed (the trace and the other links do not depend on it); on average over',
      '      seeds, final accuracy shows no significant difference.',
      '',
      'run one:    dtrain simulate scenarios/data-matters.yaml',
      'explain it: dtrain explain scenarios/data-matters.yaml',
      '',
    ].join('\n'));
  });

  it('a scenario without a description gets no second line; every line fits 80 columns', () => {
    for (const line of dtrain(['scenarios']).stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(renderScenarioList([{ name: 'x', path: 'x.yaml', description: '' }, { name: 'long-name', path: 'y.yaml', description: 'Y.' }]))
      .toBe('bundled scenarios\n  x          x.yaml\n  long-name  y.yaml\n      Y.\n\nrun one:    dtrain simulate x.yaml\nexplain it: dtrain explain x.yaml\n');
  });
});
