/**
 * The claims of every bundled scenario's description (and of its comments where they state a
 * measured number), checked on seeds 1–10 (large-cluster: 1–20, as its description says) as
 * they are stated: on average over seeds, with each difference paired on the seed (common
 * random numbers) and its 95 % Student t interval. A stated difference must have its direction
 * and an interval that excludes 0; "no significant difference" an interval that includes it.
 * Claims about simulated time alone run with a TF.js-free stub engine (the time model does not
 * depend on training); claims about accuracy run the real engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.js';
import { parseScenarioText } from '../../src/node/load.js';
import type { RoundRecord, RunResult, StrategyRun } from '../../src/sim/records.js';
import { roundFieldsToJson, runTailToJson } from '../../src/report/json.js';
import { RunColumnsBuilder } from '../../src/report/run-columns.js';
import { analyzeStudy, type Comparison } from '../../src/study/analyze.js';
import type { Metric } from '../../src/study/metrics.js';
import { studyRecord } from '../../src/study/record.js';
import { meanCi } from '../../src/sweep/stats.js';
import { stubEngineFactory } from '../properties/harness.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const S2_ALONE = 'efficiency/fixed/mean';
const S3_ALONE = 'fixed/pressure/mean';

function scenarioText(name: string): string {
  return readFileSync(join(DIR, `${name}.yaml`), 'utf8');
}

/** The scenario through the real loader, with its seed (and any other edit) applied to the text. */
function load(name: string, seed: number, edit: (text: string) => string = (text) => text) {
  const text = edit(scenarioText(name)).replace(/^seed: \d+$/m, `seed: ${seed}`);
  return parseScenarioText(text, join(DIR, `${name}.yaml`), { baseDir: DIR });
}

async function runStub(name: string, seed: number, edit?: (text: string) => string): Promise<RunResult> {
  const engine = stubEngineFactory((problem) => {
    throw new Error(problem);
  });
  return runScenario(load(name, seed, edit), { engine });
}

async function overSeeds(run: (seed: number) => Promise<RunResult>, seeds: readonly number[] = SEEDS): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const seed of seeds) results.push(await run(seed));
  return results;
}

function strategy(result: RunResult, name: string): StrategyRun {
  const run = result.runs.find((r) => r.strategy.name === name);
  if (run === undefined) throw new Error(`no run of ${name}`);
  return run;
}

/** Mean and 95 % interval of a per-seed value. */
function interval(values: number[]): { mean: number; low: number; high: number } {
  const { mean, halfWidth } = meanCi(values);
  if (mean === null || halfWidth === null) throw new Error('need two seeds or more');
  return { mean, low: mean - halfWidth, high: mean + halfWidth };
}

/** Per seed: value(a) / value(b) − 1. */
function relative(results: RunResult[], a: string, b: string, value: (run: StrategyRun) => number) {
  return interval(results.map((r) => value(strategy(r, a)) / value(strategy(r, b)) - 1));
}

/** Per seed: value(a) − value(b). */
function difference(results: RunResult[], a: string, b: string, value: (run: StrategyRun) => number) {
  return interval(results.map((r) => value(strategy(r, a)) - value(strategy(r, b))));
}

/**
 * What `dtrain study` over these seeds concludes for `strategy` against `baseline` on `metric`
 * (the README shows that study): each strategy's run made into a study record as its workers
 * make them, every comparison Holm-adjusted together.
 */
function studyVerdict(results: RunResult[], strategy: string, baseline: string, metric: Metric): Comparison {
  const strategies = results[0]!.runs.map((run) => run.strategy.name);
  const records = results.flatMap((result) => result.runs.map((run) => {
    const builder = new RunColumnsBuilder(result.scenario.model.localSteps);
    for (const record of run.rounds) builder.round({ ...roundFieldsToJson(record), nodes: record.nodes });
    const summary = runTailToJson(run, { version: 'test', trace: false, timing: false }).summary as Record<string, unknown>;
    const seed = result.scenario.seed;
    return studyRecord({ key: `${run.strategy.name}/${seed}`, strategy: run.strategy.name, seed }, builder.finish(summary));
  }));
  const { comparisons } = analyzeStudy({ records, strategies, baseline, target: results[0]!.scenario.targetAccuracy });
  const found = comparisons.find((c) => c.strategy === strategy && c.metric === metric);
  if (found === undefined) throw new Error(`no comparison of ${strategy} on ${metric}`);
  return found;
}

const simulated = (run: StrategyRun) => run.summary.simulatedMs;
const excludesZero = (i: { low: number; high: number }) => i.low > 0 || i.high < 0;
const samples = (run: StrategyRun) => run.summary.samplesTrained;
const accuracy = (run: StrategyRun) => run.summary.finalAccuracy;
/** Rounded to the nearest whole per cent (a relative change of 0.374 → 37). */
const percent = (i: { mean: number }) => Math.round(i.mean * 100);

describe('shared-server: where S2 does not help because the wire is the bottleneck', () => {
  let real: RunResult[] = [];

  it('runs on seeds 1–10 with the real engine', async () => {
    real = await overSeeds((seed) => runScenario(load('shared-server', seed)));
    expect(real).toHaveLength(SEEDS.length);
  }, 60_000);

  it('every strategy\'s round lasts about 103 s: never under the 102.4 s the link needs for 64 × 100 MB each way', () => {
    for (const name of ['s1s4', 'sync-sgd', S2_ALONE]) {
      const perRound = interval(real.map((r) => simulated(strategy(r, name)) / r.scenario.rounds));
      expect(Math.round(perRound.mean / 1000), name).toBe(103);
      for (const r of real) {
        for (const round of strategy(r, name).rounds) expect(round.endMs - round.startMs).toBeGreaterThan(102_400);
      }
    }
  });

  it('S2 gives the 16 far nodes smaller batches and trains 12.5 % fewer samples', () => {
    for (const name of ['s1s4', S2_ALONE]) {
      const farBatch = interval(real.map((r) => meanBatch(strategy(r, name).rounds, 'far-')));
      const nearBatch = interval(real.map((r) => meanBatch(strategy(r, name).rounds, 'near-')));
      expect(farBatch.high, name).toBeLessThan(nearBatch.low);
      const samples = relative(real, name, 'sync-sgd', (run) => run.summary.samplesTrained);
      expect(samples.mean, name).toBeCloseTo(-0.125, 2);
      expect(samples.high, name).toBeLessThan(0);
    }
  });

  it('…yet saves under 1 % of the time: 0.4 % with s1s4, 0.7 % with S1/S2 alone', () => {
    const s1s4 = relative(real, 's1s4', 'sync-sgd', simulated);
    const s2 = relative(real, S2_ALONE, 'sync-sgd', simulated);
    expect(Math.round(s1s4.mean * 1000) / 10).toBe(-0.4);
    expect(Math.round(s2.mean * 1000) / 10).toBe(-0.7);
    for (const saving of [s1s4, s2]) {
      expect(saving.high).toBeLessThan(0);
      expect(saving.low).toBeGreaterThan(-0.01);
    }
  });

  it('accuracy ends within half a point of sync-sgd\'s (the paired 95 % interval)', () => {
    for (const name of ['s1s4', S2_ALONE]) {
      const accuracy = interval(real.map((r) => strategy(r, name).summary.finalAccuracy - strategy(r, 'sync-sgd').summary.finalAccuracy));
      expect(accuracy.low, name).toBeGreaterThan(-0.005);
      expect(accuracy.high, name).toBeLessThan(0.005);
    }
  });

  it('its comment: without the server link, S1/S2 alone is about 8 % faster than sync-sgd and s1s4 about 18 % slower', async () => {
    const withoutServer = (text: string) => {
      const edited = text.replace(/^ {2}server: .*\n/m, '');
      expect(edited).not.toBe(text);
      return edited;
    };
    const private_ = await overSeeds((seed) => runStub('shared-server', seed, withoutServer));
    const s2 = relative(private_, S2_ALONE, 'sync-sgd', simulated);
    const s1s4 = relative(private_, 's1s4', 'sync-sgd', simulated);
    expect(Math.round(s2.mean * 100)).toBe(-8);
    expect(Math.round(s1s4.mean * 100)).toBe(18);
    expect(excludesZero(s2) && excludesZero(s1s4)).toBe(true);
  }, 30_000);
});

function meanBatch(rounds: RoundRecord[], prefix: string): number {
  let sum = 0;
  let count = 0;
  for (const round of rounds) {
    for (const node of round.nodes) {
      if (!node.id.startsWith(prefix)) continue;
      sum += node.batch;
      count += 1;
    }
  }
  return sum / count;
}

/** Mean duration of the rounds that start in [from, to). */
function meanRound(run: StrategyRun, from: number, to: number): number {
  const rounds = run.rounds.filter((r) => r.startMs >= from && r.startMs < to);
  if (rounds.length === 0) throw new Error(`no round starts in [${from}, ${to})`);
  return rounds.reduce((sum, r) => sum + r.endMs - r.startMs, 0) / rounds.length;
}

describe('noisy-neighbours: what S3 does about compute slowdowns in phases', () => {
  let runs: RunResult[] = [];
  const SLOW = 20_000;
  const FLICKER = 80_000;

  it('runs on seeds 1–10 (stub engine: only simulated times are claimed)', async () => {
    runs = await overSeeds((seed) => runStub('noisy-neighbours', seed));
    expect(runs).toHaveLength(SEEDS.length);
  }, 30_000);

  it('s1s4 has exactly the times of S3 alone (clean links: S1/S2 give every node B/2)', () => {
    for (const r of runs) {
      const times = (name: string) => strategy(r, name).rounds.map((round) => [round.startMs, round.endMs]);
      expect(times('s1s4')).toEqual(times(S3_ALONE));
    }
  });

  it('S3 changes nothing in the first 20 s', () => {
    for (const r of runs) {
      const early = (name: string) => strategy(r, name).rounds.filter((round) => round.startMs < SLOW).map((round) => round.endMs);
      expect(early(S3_ALONE).length).toBeGreaterThan(0);
      expect(early(S3_ALONE)).toEqual(early('sync-sgd'));
    }
  });

  it('from 20 s to 80 s (three nodes 2–4× slower) S3\'s rounds are about a third shorter', () => {
    const slow = relative(runs, S3_ALONE, 'sync-sgd', (run) => meanRound(run, SLOW, FLICKER));
    expect(slow.mean).toBeGreaterThan(-0.4);
    expect(slow.mean).toBeLessThan(-0.3);
    expect(slow.high).toBeLessThan(0);
  });

  it('from 80 s on (every node flickers 1–3×) S3\'s rounds are about a quarter longer', () => {
    const flicker = relative(runs, S3_ALONE, 'sync-sgd', (run) => meanRound(run, FLICKER, Infinity));
    expect(flicker.mean).toBeGreaterThan(0.2);
    expect(flicker.mean).toBeLessThan(0.3);
    expect(flicker.low).toBeGreaterThan(0);
  });

  it('…because it starves last round\'s quick nodes: most flicker rounds wait for a node given fewer than the base 4 threads', () => {
    let starved = 0;
    let rounds = 0;
    for (const r of runs) {
      for (const round of strategy(r, S3_ALONE).rounds) {
        if (round.startMs < FLICKER) continue;
        let last = round.nodes[0]!;
        for (const node of round.nodes) if ((node.finishMs ?? 0) > (last.finishMs ?? 0)) last = node;
        rounds += 1;
        if (last.threads < 4) starved += 1;
      }
    }
    expect(starved / rounds).toBeGreaterThan(0.5);
  });

  it('so the 30 rounds take as long as with sync-sgd: no clear difference, within 5 %', () => {
    const total = relative(runs, S3_ALONE, 'sync-sgd', simulated);
    expect(excludesZero(total)).toBe(false);
    expect(Math.abs(total.mean)).toBeLessThan(0.05);
  });
});

/** The description's claims hold only as long as it says what these tests check. */
function description(name: string): string {
  return load(name, 1).description;
}

/** Each run's mean batch of the nodes whose id starts with `prefix`, over seeds. */
function batchOf(results: RunResult[], name: string, prefix: string) {
  return interval(results.map((r) => meanBatch(strategy(r, name).rounds, prefix)));
}

describe('quickstart: a small saving from S2, no accuracy cost', () => {
  let runs: RunResult[] = [];

  it('runs on seeds 1–10 with the real engine', async () => {
    runs = await overSeeds((seed) => runScenario(load('quickstart', seed)));
    expect(description('quickstart')).toContain('about 8 % fewer samples');
  }, 30_000);

  it('s1s4 trains about 8 % fewer samples than sync-sgd, every node at most the base batch', () => {
    const fewer = relative(runs, 's1s4', 'sync-sgd', samples);
    expect(percent(fewer)).toBe(-8);
    expect(fewer.high).toBeLessThan(0);
    for (const r of runs) for (const round of strategy(r, 's1s4').rounds) for (const node of round.nodes) expect(node.batch).toBeLessThanOrEqual(32);
  });

  it('…and finishes about 3 % sooner: significant in a paired t-test alone, not in dtrain study over ten seeds', () => {
    expect(description('quickstart')).toContain('not significant once dtrain study corrects for its many comparisons');
    const saving = relative(runs, 's1s4', 'sync-sgd', simulated);
    expect(percent(saving)).toBe(-3);
    expect(saving.high).toBeLessThan(0);
    const study = studyVerdict(runs, 's1s4', 'sync-sgd', 'simulatedMs');
    expect(study.tP).toBeLessThan(0.05);
    expect(study.tPHolm).toBeGreaterThan(0.05);
    expect(study.verdict).toBe('no significant difference');
  });

  it('final accuracy: no significant difference', () => {
    expect(excludesZero(difference(runs, 's1s4', 'sync-sgd', accuracy))).toBe(false);
  });
});

describe('flaky-network: S1/S2 cut samples and, on average, time; no accuracy cost', () => {
  let runs: RunResult[] = [];

  it('runs on seeds 1–10 with the real engine', async () => {
    runs = await overSeeds((seed) => runScenario(load('flaky-network', seed)));
    expect(description('flaky-network')).toContain('about 20 % sooner');
  }, 30_000);

  it('s1s4 trains about 16 % fewer samples than sync-sgd', () => {
    const fewer = relative(runs, 's1s4', 'sync-sgd', samples);
    expect(fewer.mean).toBeGreaterThan(-0.19);
    expect(fewer.mean).toBeLessThan(-0.13);
    expect(fewer.high).toBeLessThan(0);
  });

  it('…and finishes about 20 % sooner, with a wide spread', () => {
    const saving = relative(runs, 's1s4', 'sync-sgd', simulated);
    expect(percent(saving)).toBeGreaterThanOrEqual(-22);
    expect(percent(saving)).toBeLessThanOrEqual(-18);
    expect(saving.high).toBeLessThan(0);
    expect(saving.high - saving.low).toBeGreaterThan(0.1);
  });

  it('…a saving a paired t-test finds but dtrain study over ten seeds does not call significant (the README shows that study)', () => {
    expect(description('flaky-network')).toContain('not significant once dtrain study corrects for its many comparisons');
    const study = studyVerdict(runs, 's1s4', 'sync-sgd', 'simulatedMs');
    expect(study.tP).toBeLessThan(0.05);
    expect(study.tPHolm).toBeGreaterThan(0.05);
    expect(study.verdict).toBe('no significant difference');
  });

  it('final accuracy: no significant difference; fedavg has exactly sync-sgd\'s time and no significant accuracy difference', () => {
    expect(excludesZero(difference(runs, 's1s4', 'sync-sgd', accuracy))).toBe(false);
    for (const r of runs) expect(simulated(strategy(r, 'fedavg'))).toBe(simulated(strategy(r, 'sync-sgd')));
    expect(excludesZero(difference(runs, 'fedavg', 'sync-sgd', accuracy))).toBe(false);
  });
});

describe('straggler: S3\'s gain is against a 4-thread baseline', () => {
  const CORES = 'fixed/cores/mean';
  let runs: RunResult[] = [];

  it('runs on seeds 1–10 with the real engine; the times are the same on every seed', async () => {
    runs = await overSeeds((seed) => runScenario(load('straggler', seed)));
    for (const name of ['s1s4', 'sync-sgd', CORES, 'lb-bsp']) {
      const times = new Set(runs.map((r) => simulated(strategy(r, name))));
      expect(times.size, name).toBe(1);
    }
    expect(description('straggler')).toContain('27 % slower');
  }, 30_000);

  it('links are clean: every node gets the same batch in s1s4 and sync-sgd; only the threads differ', () => {
    for (const r of runs) {
      for (const name of ['s1s4', 'sync-sgd', CORES]) {
        for (const round of strategy(r, name).rounds) for (const node of round.nodes) expect(node.batch).toBe(32);
      }
      for (const round of strategy(r, 'sync-sgd').rounds) for (const node of round.nodes) expect(node.threads).toBe(4);
      for (const round of strategy(r, CORES).rounds) for (const node of round.nodes) expect(node.threads).toBe(16);
    }
  });

  it('s1s4 is 37 % sooner than sync-sgd, all cores 51 % sooner, and s1s4 27 % slower than all cores', () => {
    expect(percent(relative(runs, 's1s4', 'sync-sgd', simulated))).toBe(-37);
    expect(percent(relative(runs, CORES, 'sync-sgd', simulated))).toBe(-51);
    expect(percent(relative(runs, 's1s4', CORES, simulated))).toBe(27);
  });

  it('lb-bsp is the fastest, 72 % sooner than sync-sgd', () => {
    expect(percent(relative(runs, 'lb-bsp', 'sync-sgd', simulated))).toBe(-72);
    for (const r of runs) {
      for (const name of ['s1s4', 'sync-sgd', CORES]) expect(simulated(strategy(r, 'lb-bsp'))).toBeLessThan(simulated(strategy(r, name)));
    }
  });

  it('final accuracy: no significant difference between any two of them', () => {
    const names = ['s1s4', 'sync-sgd', CORES, 'lb-bsp'];
    for (const a of names) {
      for (const b of names) {
        if (a < b) expect(excludesZero(difference(runs, a, b, accuracy)), `${a} vs ${b}`).toBe(false);
      }
    }
  });
});

describe('noisy-labels: S4 does not down-weight the noisy nodes', () => {
  let runs: RunResult[] = [];
  const EQUAL = 1 / 6;

  it('runs on seeds 1–10 with the real engine', async () => {
    runs = await overSeeds((seed) => runScenario(load('noisy-labels', seed)));
    expect(description('noisy-labels')).toContain('about the same weight as the clean ones');
  }, 30_000);

  /** Per seed: a function of s1s4's weights, summed over the rounds, of the noisy and the clean nodes. */
  function weights(r: RunResult) {
    let noisy = 0;
    let clean = 0;
    let noisyCount = 0;
    let cleanCount = 0;
    let lowest = Infinity;
    for (const round of strategy(r, 's1s4').rounds) {
      for (const node of round.nodes) {
        if (node.id.startsWith('noisy-')) {
          noisy += node.weight;
          noisyCount += 1;
        } else {
          clean += node.weight;
          cleanCount += 1;
        }
        lowest = Math.min(lowest, node.weight);
      }
    }
    return { ratio: noisy / noisyCount / (clean / cleanCount), noisyShare: noisy / strategy(r, 's1s4').rounds.length, lowest };
  }

  it('the weight ratio noisy/clean is about 1.0: its 95 % interval includes 1 and lies within 0.75–1.33', () => {
    const ratio = interval(runs.map((r) => weights(r).ratio));
    expect(Math.round(ratio.mean * 10) / 10).toBe(1);
    expect(ratio.low).toBeLessThan(1);
    expect(ratio.high).toBeGreaterThan(1);
    expect(ratio.low).toBeGreaterThan(0.75);
    expect(ratio.high).toBeLessThan(1.33);
  });

  it('together the noisy nodes hold a third of the weight, their equal share', () => {
    const share = interval(runs.map((r) => weights(r).noisyShare));
    expect(share.low).toBeLessThan(1 / 3);
    expect(share.high).toBeGreaterThan(1 / 3);
    expect(Math.round(share.mean * 100)).toBeGreaterThanOrEqual(30);
    expect(Math.round(share.mean * 100)).toBeLessThanOrEqual(36);
  });

  it('…although the weights swing: in every run some node falls under half an equal share in some round', () => {
    for (const r of runs) expect(weights(r).lowest).toBeLessThan(EQUAL / 2);
  });

  it('its comment: the noisy nodes\' gradient norms are about a third larger, their volatility about the same', () => {
    const mean = (r: RunResult, noisy: boolean, value: (node: RoundRecord['nodes'][number]) => number | null) => {
      let sum = 0;
      let count = 0;
      for (const round of strategy(r, 's1s4').rounds.slice(5)) {
        for (const node of round.nodes) {
          const v = value(node);
          if (node.id.startsWith('noisy-') !== noisy || v === null) continue;
          sum += v;
          count += 1;
        }
      }
      return sum / count;
    };
    const norms = interval(runs.map((r) => mean(r, true, (n) => n.gradNorm) / mean(r, false, (n) => n.gradNorm)));
    expect(norms.mean).toBeGreaterThan(1.2);
    expect(norms.mean).toBeLessThan(1.45);
    expect(norms.low).toBeGreaterThan(1);
    const volatility = interval(runs.map((r) => mean(r, true, (n) => n.volatility) / mean(r, false, (n) => n.volatility)));
    expect(volatility.mean).toBeGreaterThan(0.8);
    expect(volatility.mean).toBeLessThan(1.2);
  });

  it('s1s4 takes exactly sync-sgd\'s time; final accuracy: no significant difference', () => {
    for (const r of runs) expect(simulated(strategy(r, 's1s4'))).toBe(simulated(strategy(r, 'sync-sgd')));
    expect(excludesZero(difference(runs, 's1s4', 'sync-sgd', accuracy))).toBe(false);
  });
});

describe('large-cluster: fewer samples, the same time, slightly higher accuracy over 20 seeds', () => {
  const TWENTY = Array.from({ length: 20 }, (_, i) => i + 1);
  let runs: RunResult[] = [];

  it('runs on seeds 1–20 with the real engine', async () => {
    runs = await overSeeds((seed) => runScenario(load('large-cluster', seed)), TWENTY);
    expect(description('large-cluster')).toContain('not significant once dtrain study corrects for its many comparisons');
  }, 60_000);

  it('s1s4 trains 9 % fewer samples than sync-sgd', () => {
    const fewer = relative(runs, 's1s4', 'sync-sgd', samples);
    expect(percent(fewer)).toBe(-9);
    expect(fewer.high).toBeLessThan(0);
  });

  it('…yet takes as long: no significant difference in simulated time', () => {
    expect(excludesZero(relative(runs, 's1s4', 'sync-sgd', simulated))).toBe(false);
  });

  it('its final accuracy is about 0.8 points higher over 20 seeds, a difference seeds 1–10 alone do not show', () => {
    // the paired t-test alone gives p ≈ 0.01; dtrain study's Holm adjustment over its 11 metrics
    // lifts it above 0.05, which is why the description calls it not significant
    const gain = difference(runs, 's1s4', 'sync-sgd', accuracy);
    expect(gain.mean).toBeGreaterThan(0.005);
    expect(gain.mean).toBeLessThan(0.011);
    expect(excludesZero(difference(runs.slice(0, 10), 's1s4', 'sync-sgd', accuracy))).toBe(false);
  });

  it('S4 holds its lowest-weighted node at about a tenth of an equal share (sync-sgd: exactly an equal share)', () => {
    const lowestShare = (run: StrategyRun): number => {
      let lowest = Number.POSITIVE_INFINITY;
      for (const round of run.rounds) {
        const weights = round.nodes.filter((n) => n.participated).map((n) => n.weight);
        for (const w of weights) lowest = Math.min(lowest, w * weights.length);
      }
      return lowest;
    };
    const shares = runs.map((r) => lowestShare(strategy(r, 's1s4')));
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    expect(mean).toBeGreaterThan(0.05);
    expect(mean).toBeLessThan(0.15);
    for (const r of runs) expect(lowestShare(strategy(r, 'sync-sgd'))).toBeCloseTo(1, 9);
  });
});

describe('trace-replay: S2 shrinks the remote node\'s batches', () => {
  let runs: RunResult[] = [];

  it('runs on seeds 1–10 with the real engine', async () => {
    runs = await overSeeds((seed) => runScenario(load('trace-replay', seed)));
    expect(description('trace-replay')).toContain('2.3 % sooner');
  }, 30_000);

  it('S2 gives the remote node smaller batches than the local ones', () => {
    expect(batchOf(runs, 's1s4', 'remote').high).toBeLessThan(batchOf(runs, 's1s4', 'local-').low);
  });

  it('s1s4 trains 6 % fewer samples and finishes 2.3 % sooner than sync-sgd, the same on every seed', () => {
    for (const [value, expected] of [[samples, -6.1], [simulated, -2.3]] as const) {
      const ratios = new Set(runs.map((r) => value(strategy(r, 's1s4')) / value(strategy(r, 'sync-sgd'))));
      expect(ratios.size).toBe(1);
      expect(Math.round(relative(runs, 's1s4', 'sync-sgd', value).mean * 1000) / 10).toBe(expected);
    }
  });

  it('final accuracy: no significant difference', () => {
    expect(excludesZero(difference(runs, 's1s4', 'sync-sgd', accuracy))).toBe(false);
  });
});

describe('data-matters: where fewer samples cost accuracy', () => {
  const S2 = 'efficiency/fixed/mean';
  let runs: RunResult[] = [];

  it('runs on seeds 1–10 with the real engine', async () => {
    runs = await overSeeds((seed) => runScenario(load('data-matters', seed)));
    expect(description('data-matters')).toContain('about 11 points lower');
  }, 30_000);

  it('S2 gives the far nodes almost no samples: under 2 % of s1s4\'s and of S1/S2 alone\'s, against a third with sync-sgd', () => {
    const farShare = (name: string) => interval(runs.map((r) => {
      let far = 0;
      let all = 0;
      for (const round of strategy(r, name).rounds) {
        for (const node of round.nodes) {
          all += node.batch;
          if (node.id.startsWith('far-')) far += node.batch;
        }
      }
      return far / all;
    }));
    for (const name of ['s1s4', S2]) expect(farShare(name).high, name).toBeLessThan(0.02);
    expect(farShare('sync-sgd').mean).toBeCloseTo(1 / 3, 6);
  });

  it('s1s4 and S1/S2 alone train a third fewer samples and finish about two thirds sooner', () => {
    for (const name of ['s1s4', S2]) {
      const fewer = relative(runs, name, 'sync-sgd', samples);
      expect(percent(fewer), name).toBe(-33);
      const saving = relative(runs, name, 'sync-sgd', simulated);
      expect(saving.mean, name).toBeGreaterThan(-0.72);
      expect(saving.mean, name).toBeLessThan(-0.6);
      expect(saving.high, name).toBeLessThan(0);
    }
  });

  it('…but end about 11 points lower in accuracy, significantly', () => {
    for (const name of ['s1s4', S2]) {
      const loss = difference(runs, name, 'sync-sgd', accuracy);
      expect(Math.round(loss.mean * 100), name).toBeGreaterThanOrEqual(-12);
      expect(Math.round(loss.mean * 100), name).toBeLessThanOrEqual(-10);
      expect(loss.high, name).toBeLessThan(0);
    }
  });

  it('lb-bsp is faster still and loses about as much (within 3 points of s1s4\'s loss)', () => {
    expect(relative(runs, 'lb-bsp', 's1s4', simulated).high).toBeLessThan(0);
    const loss = difference(runs, 'lb-bsp', 'sync-sgd', accuracy);
    expect(loss.high).toBeLessThan(0);
    expect(Math.abs(loss.mean - difference(runs, 's1s4', 'sync-sgd', accuracy).mean)).toBeLessThan(0.03);
  });

  it('sync-sgd reaches 80 % accuracy on most seeds, s1s4 on none', () => {
    const reached = (name: string) => runs.filter((r) => strategy(r, name).summary.timeToTargetMs !== null).length;
    expect(reached('sync-sgd')).toBeGreaterThan(SEEDS.length / 2);
    expect(reached('s1s4')).toBe(0);
  });
});
