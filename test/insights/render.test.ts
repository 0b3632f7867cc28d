import { describe, expect, it } from 'vitest';
import { detectInsights } from '../../src/insights/index.js';
import { insightText, renderInsights, renderSingleSeedNote, roundRanges } from '../../src/insights/render.js';
import { moreNodesText } from '../../src/insights/messages.js';
import type { RunResult } from '../../src/sim/records.js';
import { makeScenario } from '../report/fixtures.js';
import { idle, node, round, run, stepsTimeline, weighted } from './records.js';

const widest = (text: string): number => text.split('\n').reduce((most, line) => Math.max(most, [...line].length), 0);

describe('insightText', () => {
  it('shows a share too small for its decimals with two significant digits (one node of 131,072), a larger one as before', () => {
    const starved = (minWeight: number, equalShare: number): string => insightText({
      strategy: 's1s4', rounds: [2, 3, 4, 5, 6, 7], kind: 'starvedWeight', nodeId: 'rack-1155', minWeight, equalShare, longestStreak: [2, 7], longestLength: 6,
    }, makeScenario(['rack-1155']));
    // 1/131,072 = 0.000763 %; 7.4e-7 = 0.000074 %
    expect(starved(7.4e-7, 1 / 131_072)).toContain('(rounds 2–7; as low as 0.000074% where an equal share was 0.00076%)');
    // two decimals show two significant digits from 0.1 %, one decimal from 1 %
    expect(starved(0.03, 0.25)).toContain('as low as 3.00% where an equal share was 25.0%');
    expect(starved(0.0012, 1 / 256)).toContain('as low as 0.12% where an equal share was 0.39%');
    expect(starved(0, 0.01)).toContain('as low as 0.00% where an equal share was 1.0%');
  });
});

describe('renderInsights', () => {
  it('node ids and strategy names are shown with control and bidi characters escaped', () => {
    // Arrange: node "b\u202e" idles with e = 0; the strategy's name carries an OSC title sequence
    const result: RunResult = {
      scenario: makeScenario(['a', 'b\u202e']),
      runs: [run([weighted(1, [0.5, 0.5]), round(2, [node('a', { weight: 1 }), idle('b\u202e')])], 's1s4\u001b]0;x\u0007')],
    };

    // Act
    const text = renderInsights(result, detectInsights(result));

    // Assert
    expect(text.split('\n').slice(0, 3)).toEqual([
      'insights · s1s4\\e]0;x\\x07',
      '  ! node b\\u{202e} was not dispatched: e = 0, no latency sample under 50 ms in',
      '    its window — in round 2',
    ]);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });

  it('prints each insight once per strategy with its first round and round count, within 80 columns', () => {
    // Arrange: s1s4 — a dominates rounds 1 and 3 (70 % at most), b idles with e = 0 in round 4,
    // batches 33 vs 8 in round 2 (one local step each: not flagged), round 2's S4 weights come
    // from 2 norms per node; sync-sgd — nothing notable.
    const result: RunResult = {
      scenario: makeScenario(['a', 'b']),
      runs: [
        run([
          weighted(1, [0.6, 0.4]),
          round(2, [node('a', { weight: 0.5, batch: 33 }), node('b', { weight: 0.5, batch: 8 })]),
          round(3, [node('a', { weight: 0.7 }), node('b', { weight: 0.3 })]),
          round(4, [node('a', { weight: 1 }), idle('b')]),
        ]),
        run([weighted(1, [0.5, 0.5])], 'sync-sgd'),
      ],
    };

    // Act
    const text = renderInsights(result, detectInsights(result));

    // Assert
    expect(text).toBe([
      'insights · s1s4',
      '  ! node b was not dispatched: e = 0, no latency sample under 50 ms in its',
      '    window — in round 4',
      '  ! node a held more than half of the weight (up to 70.0% in round 3): the',
      '    global model mostly follows it — first in round 1, 2 rounds in all',
      "  ! S4's weights rest on as few as 2 gradient norms per node: the coefficient of",
      '    variation of 2 values is mostly noise — in round 2',
      '',
      'insights · sync-sgd',
      '  nothing notable: no node starved, dominated, straggled or was left out',
      '',
    ].join('\n'));
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it('starvation, unequal local steps and an exploding loss, in words and within 80 columns', () => {
    // Arrange: 4 nodes; d holds 2–4 % for rounds 2–6 (equal share 25 %); round 3: a took 1
    // local step and b 3; the loss goes from 0.69 to 2.5e9 in round 6 without a NaN.
    const rounds = [1, 2, 3, 4, 5, 6].map((n) => ({
      ...round(n, [
        node('a', { weight: 0.32, ...(n === 3 ? { timeline: stepsTimeline(1) } : {}) }),
        node('b', { weight: 0.32, ...(n === 3 ? { timeline: stepsTimeline(3) } : {}) }),
        node('c', { weight: 0.32 }),
        node('d', { weight: n === 1 ? 0.04 + 0.2 : 0.02 + n / 200 }),
      ]),
      loss: n === 6 ? 2.5e9 : 0.69,
    }));
    const fedavg = { ...run(rounds), strategy: { name: 'fedavg', batch: 'fixed', resources: 'fixed', aggregation: 'samples' } };
    const result: RunResult = { scenario: makeScenario(['a', 'b', 'c', 'd']), runs: [fedavg] };

    // Act
    const text = renderInsights(result, detectInsights(result), 'rounds');

    // Assert
    expect(text).toBe([
      'insights · fedavg',
      '  round 6: the test loss exploded to 2.50e+9 (round 6), over 10⁶ × round 1\'s',
      '    0.69, though still a finite number: training is diverging (try a lower',
      '    learning rate)',
      '  rounds 2–6: node d got under half an equal share of the weight in 5 of its',
      '    rounds in a row (rounds 2–6; as low as 3.00% where an equal share was',
      '    25.0%): it trains but barely counts',
      '  round 3: nodes took different numbers of local steps (a 1 step vs b 3 steps in',
      '    round 3): averaging unequal local work optimises a skewed objective',
      "    (FedNova's objective inconsistency)",
      '',
    ].join('\n'));
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it('never breaks a line inside "— first in round 1," or "2 rounds in all", whatever the length before it', () => {
    for (let length = 1; length <= 40; length++) {
      const id = 'n'.repeat(length);
      const result: RunResult = { scenario: makeScenario([id, 'b']), runs: [run([1, 2].map((n) => round(n, [node(id, { weight: 0.7 }), node('b', { weight: 0.3 })])), 'fedavg')] };
      const text = renderInsights(result, detectInsights(result).filter((i) => i.kind === 'dominantWeight'));
      expect(text).toMatch(/— first in round 1,( |\n {4})2 rounds in all\n/);
      expect(widest(text)).toBeLessThanOrEqual(80);
    }
  });

  it('a comparison of two or more strategies on one seed ends with a note pointing to dtrain study', () => {
    const two: RunResult = { scenario: makeScenario(['a', 'b']), runs: [run([weighted(1, [0.5, 0.5])]), run([weighted(1, [0.5, 0.5])], 'sync-sgd')] };
    expect(renderSingleSeedNote(two)).toBe([
      'note: one seed, so the differences may be noise; a study over 20 seeds tells:',
      '  dtrain study scenarios/tiny.yaml --seeds 1..20 --strategy s1s4,sync-sgd \\',
      '      --out study',
      '',
    ].join('\n'));
    expect(renderSingleSeedNote({ ...two, runs: two.runs.slice(0, 1) })).toBe('');
    const spaced = { ...two, scenario: { ...two.scenario, file: "my runs/it's.yaml" } };
    expect(renderSingleSeedNote(spaced)).toContain("  dtrain study 'my runs/it'\\''s.yaml' --seeds 1..20 --strategy s1s4,sync-sgd \\\n");
    // without sync-sgd a study needs --baseline: the last strategy compared
    const noSync: RunResult = { ...two, runs: [two.runs[0]!, run([weighted(1, [0.5, 0.5])], 'fedavg')] };
    expect(renderSingleSeedNote(noSync)).toBe([
      'note: one seed, so the differences may be noise; a study over 20 seeds tells:',
      '  dtrain study scenarios/tiny.yaml --seeds 1..20 --strategy s1s4,fedavg \\',
      '      --baseline fedavg --out study',
      '',
    ].join('\n'));
  });

  it('lists at most 10 nodes per kind and counts the rest; the rounds style shows ranges', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `n${i + 1}`);
    const result: RunResult = {
      scenario: makeScenario(ids),
      runs: [run([1, 2, 3, 5].map((n) => round(n, [node('x', { weight: 1 }), ...ids.map((id) => idle(id))])))],
    };
    // one entry per line that is not a continuation (indented 4)
    const entries = renderInsights(result, detectInsights(result), 'rounds').trimEnd().split(/\n(?! {4})/);
    expect(entries).toHaveLength(1 + 10 + 1);
    expect(entries[1]).toBe('  rounds 1–3, 5: node n1 was not dispatched: e = 0, no latency sample under\n    50 ms in its window');
    // the rounds style is explain's, which has no --json: it names the command that has
    expect(entries[11]).toBe('  … and 2 more nodes like this (`dtrain simulate … --json` has them all)');
    const summary = renderInsights(result, detectInsights(result)).trimEnd().split(/\n(?! {4})/);
    expect(summary[11]).toBe('  … and 2 more nodes like this (see --json for all)');
    expect(moreNodesText(2140)).toBe('… and 2,140 more nodes like this (see --json for all)');
    expect(moreNodesText(1, 'explain')).toBe('… and 1 more node like this (`dtrain simulate … --json` has them all)');
  });

  it('round ranges collapse consecutive rounds', () => {
    expect(roundRanges([3])).toBe('3');
    expect(roundRanges([3, 4, 5, 7, 9, 10])).toBe('3–5, 7, 9–10');
  });
});
