import { describe, expect, test } from 'vitest';
import { renderSummary } from '../../src/report/summary-table.js';
import { tinyResult } from './fixtures.js';

function rows(output: string): string[][] {
  return output.trimEnd().split('\n').map((line) => line.trim().split(/\s{2,}/));
}

describe('renderSummary', () => {
  test('compares strategies side by side; never reaching the target prints –', () => {
    // Act
    const table = rows(renderSummary(tinyResult(), { color: false }));

    // Assert
    expect(table).toEqual([
      ['summary · scenario tiny · seed 7'],
      ['strategy', 'final acc', 'best acc', 'simulated', 'to target', 'samples'],
      ['─'.repeat(60)],
      ['s1s4', '0.8833', '0.8833', '8.115 s', '8.115 s', '134'],
      ['sync-sgd', '0.6100', '0.6100', '8.000 s', '–', '128'],
      ['to target: simulated time until accuracy ≥ 0.85 (– = never reached)'],
    ]);
  });

  test('with timing, a wall-time column shows the measured host time', () => {
    // Arrange
    const result = tinyResult();
    result.runs[0].summary.wallMs = 850;

    // Act
    const table = rows(renderSummary(result, { color: false, timing: true }));

    // Assert
    expect(table[1].at(-1)).toBe('wall time');
    expect(table[3].at(-1)).toBe('850 ms');
    expect(table[4].at(-1)).toBe('–');
  });

  test('without timing, a measured wall time is not shown (output stays deterministic)', () => {
    // Arrange
    const result = tinyResult();
    result.runs[0].summary.wallMs = 850;

    // Act
    const output = renderSummary(result, { color: false });

    // Assert
    expect(output).toBe(renderSummary(tinyResult(), { color: false }));
    expect(output).not.toContain('wall time');
  });

  test('with timing but no run measured, there is no wall-time column', () => {
    // Act
    const output = renderSummary(tinyResult(), { color: false, timing: true });

    // Assert
    expect(output).not.toContain('wall time');
  });

  test('a strategy that trained no sample is said so under the table, in two lines of at most 80 columns', () => {
    // Arrange: every round of sync-sgd dropped every node
    const result = tinyResult();
    result.runs[1].summary.samplesTrained = 0;

    // Act
    const lines = renderSummary(result, { color: false }).trimEnd().split('\n');

    // Assert
    expect(lines.slice(4, 7)).toEqual([
      '  sync-sgd     0.6100    0.6100    8.000 s          –        0',
      "  ! sync-sgd trained no sample in its 2 rounds (no update was aggregated):",
      "    its accuracy is the untrained model's",
    ]);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(renderSummary(tinyResult(), { color: false })).not.toContain('trained no sample');
  });

  test('without a target accuracy the note says none is set', () => {
    // Arrange
    const result = tinyResult();
    result.scenario.targetAccuracy = null;

    // Act
    const output = renderSummary(result, { color: false });

    // Assert
    expect(output.endsWith('\n  to target: – (the scenario sets no targetAccuracy) · simulated = simulated time\n')).toBe(true);
  });

  test('samples trained are grouped by thousands', () => {
    // Arrange
    const result = tinyResult();
    result.runs[1].summary.samplesTrained = 1_234_567;

    // Act
    const table = rows(renderSummary(result, { color: false }));

    // Assert
    expect(table[4].at(-1)).toBe('1,234,567');
  });

  test('every strategy tied on the best final accuracy is green; colour off prints no escapes', () => {
    // Arrange
    const result = tinyResult();
    result.runs[1].summary.finalAccuracy = 0.88333;

    // Act
    const coloured = renderSummary(result, { color: true });
    const plain = renderSummary(result, { color: false });

    // Assert
    expect(coloured.split('\u001b[32m0.8833\u001b[39m')).toHaveLength(3);
    expect(plain).not.toContain('\u001b[');
  });
});

describe('renderSummary marks what a reader could misread', () => {
  test('an interrupted run is marked, with how many of the planned rounds it finished', () => {
    // Arrange: stopped after round 1 of 2
    const result = tinyResult();
    result.runs = [{ ...result.runs[0]!, rounds: result.runs[0]!.rounds.slice(0, 1), interrupted: true }];
    result.interrupted = true;

    // Act
    const table = rows(renderSummary(result, { color: false }));

    // Assert
    expect(table[3]![0]).toBe('s1s4 *');
    expect(table[4]).toEqual(['* s1s4: interrupted after 1 of 2 rounds; its figures cover those rounds']);
  });

  test('a complete run has no mark', () => {
    expect(renderSummary(tinyResult(), { color: false })).not.toContain('*');
  });

  test('scenario and strategy names are shown with control and bidi characters escaped', () => {
    // Arrange
    const result = tinyResult();
    result.scenario = { ...result.scenario, name: 'evil\u001b]0;owned\u0007' };
    result.runs[0]!.strategy = { ...result.runs[0]!.strategy, name: 'a\u202eb\nc' };

    // Act
    const output = renderSummary(result, { color: false, chart: true });

    // Assert
    expect(output).toContain('summary · scenario evil\\e]0;owned\\x07 · seed 7\n');
    expect(output).toContain('  a\\u{202e}b\\nc ');
    expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });
});
