import { describe, expect, it } from 'vitest';
import { explainNotable } from '../../src/explain/notable.js';
import { tinyResult } from '../report/fixtures.js';

describe('explainNotable', () => {
  it('lists the notable rounds of the run and suggests explaining the first one', () => {
    // Arrange: in the fixture's s1s4 run, d is idle with e = 0 in round 1 and c misses the deadline in round 2;
    // round 2's S4 weights come from 2 norms per node.
    const result = tinyResult();

    // Act
    const text = explainNotable({ scenario: result.scenario, run: result.runs[0]!, scenarioArg: 'tiny.yaml' });

    // Assert
    expect(text).toBe([
      'dtrain explain · scenario tiny (scenarios/tiny.yaml) · seed 7',
      'strategy s1s4: batch efficiency · resources pressure · aggregation volatility',
      '2 rounds run; the rounds where something notable happened:',
      '',
      'insights · s1s4',
      '  round 1: node d was not dispatched: e = 0, no latency sample under 50 ms in',
      '    its window',
      "  round 2: S4's weights rest on as few as 2 gradient norms per node: the",
      '    coefficient of variation of 2 values is mostly noise',
      '  round 2: node c was dispatched but dropped (1 × past the deadline): its work',
      '    was not aggregated',
      '',
      'Explain a round step by step: dtrain explain tiny.yaml --round 1 (any of 1–2; add --node ID for one node)',
      '',
    ].join('\n'));
  });

  it('with nothing notable it says so and keeps --strategy in the suggested command', () => {
    const result = tinyResult();
    const quiet = { ...result.runs[0]!, rounds: [result.runs[0]!.rounds[0]!].map((r) => ({ ...r, nodes: r.nodes.slice(0, 3) })) };
    const text = explainNotable({ scenario: result.scenario, run: quiet, scenarioArg: '', strategyArg: 's1s4' });
    expect(text).toContain('  nothing notable: no node starved, dominated, straggled or was left out\n');
    expect(text.endsWith('Nothing notable in 1 round. Explain any round (1–1) with dtrain explain --round N --strategy s1s4\n')).toBe(true);
  });
});
