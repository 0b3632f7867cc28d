import { describe, expect, test } from 'vitest';
import { renderRunTables, renderTableReport } from '../../src/report/table.js';
import { generatedResult, tinyResult } from './fixtures.js';

const PLAIN = { color: false, quiet: false };
const ANSI = /\u001b\[/;

/** The lines of the block (round line + table) that starts with `heading`. */
function blockAfter(output: string, heading: string, occurrence = 0): string[] {
  const blocks = output.split('\n\n').filter((block) => block.startsWith(heading));
  return blocks[occurrence].split('\n');
}

/** A table row's cells: columns are separated by at least two spaces. */
function cells(line: string): string[] {
  return line.trim().split(/\s{2,}/);
}

function rowFor(lines: string[], id: string): string[] {
  const row = lines.map(cells).find((row) => row[0] === id);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
}

describe('renderRunTables at 4 nodes', () => {
  test('the round line shows simulated time, participants, loss and accuracy', () => {
    // Act
    const output = renderRunTables(tinyResult(), PLAIN);

    // Assert
    expect(output).toContain('\nround 2  t = 6.420 s → 8.115 s  participants 3/4  loss 0.4821  acc 0.8833\n');
  });

  test('a round ending ten minutes or more into the run gives that end in min or h too', () => {
    // Arrange: round 2 moved to 161,368.324 s → 161,370.019 s (161,370.019 / 3,600 = 44.825 h)
    const result = tinyResult();
    const round = result.runs[0]!.rounds[1]!;
    result.runs[0]!.rounds[1] = { ...round, startMs: 161_368_324, endMs: 161_370_019 };

    // Act
    const output = renderRunTables(result, PLAIN);

    // Assert
    // 83 columns: wrapped at 80
    expect(output).toContain('\nround 2  t = 161368.324 s → 161370.019 s (44.8 h)  participants 3/4  loss 0.4821\n  acc 0.8833\n');
  });

  test('a skipped round says so instead of loss and accuracy', () => {
    // Act
    const output = renderRunTables(tinyResult(), PLAIN);

    // Assert
    expect(output).toContain(
      '\nround 2  t = 6.000 s → 8.000 s  participants 0/4  skipped (no node took part)\n');
  });

  test('every node of a round gets its own row', () => {
    // Arrange
    const expected = [
      'round 1  t = 0.000 s → 6.420 s  participants 3/4  loss 0.6931  acc 0.5000',
      '  node      e  batch  thr  io q  prev step ms  vol  weight  status',
      `  ${'─'.repeat(64)}`,
      '  a     1.000     32    4     8             –    –   0.400  ✓',
      '  b     0.500     16    2     4             –    –   0.350  ✓',
      '  c     0.750     24    3     6             –    –   0.250  ✓',
      '  d     0.000      0    –     –             –    –   0.000  idle',
    ];

    // Act
    const lines = blockAfter(renderRunTables(tinyResult(), PLAIN), 'round 1');

    // Assert
    expect(lines).toEqual(expected);
  });

  test('a dropped node shows its planned batch and the reason; values use fixed precision', () => {
    // Act
    const lines = blockAfter(renderRunTables(tinyResult(), PLAIN), 'round 2');

    // Assert
    expect(rowFor(lines, 'a')).toEqual(['a', '1.000', '32', '5', '10', '12.5', '0.100', '0.500', '✓']);
    expect(rowFor(lines, 'b')).toEqual(['b', '0.375', '11', '2', '3', '12.8', '0.042', '0.250', '✓']);
    expect(rowFor(lines, 'c')).toEqual(['c', '0.625', '18', '3', '5', '10.3', '–', '0.000', '✗ deadline']);
    expect(rowFor(lines, 'd')).toEqual(['d', '0.688', '19', '3', '6', '9.8', '0.200', '0.250', '✓']);
  });

  test('runs are introduced by their strategy and the tables end with a blank line', () => {
    // Act
    const output = renderRunTables(tinyResult(), PLAIN);

    // Assert
    expect(output.startsWith('dtrain · scenario tiny (scenarios/tiny.yaml) · seed 7 · 4 nodes\n')).toBe(true);
    expect(output).toContain('\n== s1s4: batch efficiency · resources pressure · aggregation volatility\n  · backend cpu ==\n');
    expect(output).toContain('\n== sync-sgd: batch fixed · resources fixed · aggregation mean · backend cpu ==\n');
    expect(output.endsWith('  d     0.000     32    4     8          14.0    –   0.000  ✗ retries\n\n')).toBe(true);
    expect(output).not.toContain('summary');
  });

  test('the full table report is the run tables followed by the summary', () => {
    // Act
    const output = renderTableReport(tinyResult(), PLAIN);

    // Assert
    expect(output).toContain('✗ retries\n\nsummary · scenario tiny · seed 7\n');
    expect(output.endsWith('(– = never reached)\n')).toBe(true);
  });

  test('quiet keeps only the summary', () => {
    // Act
    const tables = renderRunTables(tinyResult(), { color: false, quiet: true });
    const report = renderTableReport(tinyResult(), { color: false, quiet: true });

    // Assert
    expect(tables).toBe('');
    expect(report.startsWith('summary · scenario tiny · seed 7\n')).toBe(true);
    expect(report).not.toContain('round 1');
  });

  test('without colour the output has no ANSI escapes', () => {
    // Act
    const output = renderTableReport(tinyResult(), PLAIN);

    // Assert
    expect(output).not.toMatch(ANSI);
  });

  test('with colour, dropped rows are yellow, idle rows dim and the best final accuracy green', () => {
    // Act
    const output = renderTableReport(tinyResult(), { color: true, quiet: false });

    // Assert
    expect(output).toContain('\u001b[33m✗ deadline\u001b[39m');
    expect(output).toContain('\u001b[2midle\u001b[22m');
    expect(output).toContain('\u001b[32m0.8833\u001b[39m');
  });

  test('identical input gives identical text', () => {
    // Act / Assert
    expect(renderTableReport(tinyResult(), { color: true, quiet: false }))
      .toBe(renderTableReport(tinyResult(), { color: true, quiet: false }));
  });
});

describe('renderRunTables above maxNodeRows', () => {
  const STAT_AND_WORST_IDS = ['min', 'low median', 'max', 'n-1', 'n-2', 'n-3', 'n-4', 'n-5', 'n-10', 'n-20', 'n-30', 'n-40', 'n-50'];

  test('256 nodes print min / low median / max rows, the weakest nodes and the dropped ones, not every node', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(256, 1), PLAIN), 'round 1');

    // Assert: round line, counts line, header, rule, 3 stats rows, heading row, 10 nodes, tie row,
    // dropped heading, the 5 dropped nodes (every 25th)
    expect(lines).toHaveLength(1 + 1 + 1 + 1 + 3 + 1 + 10 + 1 + 1 + 5);
    expect(lines[0]).toBe('round 1  t = 0.000 s → 6.000 s  participants 226/256  loss 0.5000  acc 0.8000');
    expect(lines[1]).toBe('  256 nodes: 226 ✓ · 5 dropped · 25 idle');
    const ids = lines.slice(4, 18).map((line) => line.slice(2, 12).trim()).filter((id) => !id.startsWith('lowest'));
    expect(ids).toEqual(STAT_AND_WORST_IDS);
    // the idle nodes tie at e 0: five are listed, the other 20 counted rather than padding the list
    expect(lines[18]).toBe('  … and 20 more with e 0.000');
    expect(lines.slice(19)).toEqual([
      '  dropped:',
      '  n-25        0.160      8    4     8          11.0      –   0.000  ✗ deadline',
      '  n-75        0.480     20    4     8          11.0      –   0.000  ✗ deadline',
      '  n-125       0.800     28    4     8          11.0      –   0.000  ✗ deadline',
      '  n-175       0.110      6    4     8          11.0      –   0.000  ✗ deadline',
      '  n-225       0.430     19    4     8          11.0      –   0.000  ✗ deadline',
    ]);
  });

  test('more dropped nodes than rows: the first are listed, the rest counted', () => {
    // Act: 1,000 nodes; every 25th is dropped unless it is also a 10th (idle): 20
    const lines = blockAfter(renderRunTables(generatedResult(1000, 1), PLAIN), 'round 1');

    // Assert
    expect(lines.filter((line) => line.endsWith('✗ deadline'))).toHaveLength(5);
    expect(lines.at(-1)).toBe('  … and 15 more dropped');
  });

  test('the median row is the lower median: a batch some node got, never a half batch', () => {
    // Arrange: participants' planned batches 30 and 31 (even count)
    const result = generatedResult(20, 1);
    const nodes = result.runs[0]!.rounds[0]!.nodes;
    nodes.forEach((node, i) => { node.plannedBatch = i % 2 === 0 ? 30 : 31; });

    // Act
    const lines = blockAfter(renderRunTables(result, PLAIN), 'round 1');

    // Assert
    expect(rowFor(lines, 'low median')[2]).toBe('30');
  });

  test('the stats rows cover efficiency over all nodes and the rest over participants', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(256, 1), PLAIN), 'round 1');

    // Assert: idle nodes have e = 0 and batch 0, but batch's min is over participants (≥ 1)
    expect(rowFor(lines, 'min').slice(0, 3)).toEqual(['min', '0.000', '1']);
    expect(rowFor(lines, 'max').slice(0, 3)).toEqual(['max', '1.000', '32']);
  });

  test('1,000 nodes still print at most 27 lines per round', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(1000, 1), PLAIN), 'round 1');

    // Assert
    expect(lines.length).toBeLessThanOrEqual(27);
    // at most 2 × 5 weakest nodes and 5 dropped ones
    expect(lines.filter((line) => /^ {2}n-\d+ /.test(line)).length).toBeLessThanOrEqual(15);
  });

  test('maxNodeRows lowers the threshold: 4 nodes with maxNodeRows 3 are summarised', () => {
    // Act
    const lines = blockAfter(renderRunTables(tinyResult(), { ...PLAIN, maxNodeRows: 3 }), 'round 1');

    // Assert
    expect(rowFor(lines, 'low median')).toEqual(['low median', '0.500', '24', '3', '6', '–', '–', '0.350']);
  });

  test('16 nodes (the default maximum) are still listed one per row', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(16, 1), PLAIN), 'round 1');

    // Assert: round line, header, rule, 16 rows
    expect(lines).toHaveLength(19);
  });
});

describe('the terminal tables fit 80 columns', () => {
  function widest(text: string): number {
    let max = 0;
    for (const line of text.split('\n')) max = Math.max(max, [...line].length);
    return max;
  }

  function withIds(count: number, id: (k: number) => string) {
    const result = generatedResult(count, 2);
    result.scenario.cluster.nodes.forEach((node, k) => { node.id = id(k); });
    for (const round of result.runs[0]!.rounds) round.nodes.forEach((node, k) => { node.id = id(k); });
    return result;
  }

  test('at 4 nodes (the quickstart) every line is at most 80 columns', () => {
    expect(widest(renderRunTables(tinyResult(), PLAIN))).toBeLessThanOrEqual(80);
    expect(widest(renderTableReport(tinyResult(), PLAIN))).toBeLessThanOrEqual(80);
  });

  test('at 1,000 nodes with ids like the large-cluster groups (mobile-1000) every line is at most 80 columns', () => {
    const result = withIds(1000, (k) => `mobile-${k + 1}`);
    result.runs[0]!.rounds.forEach((round, r) => { round.startMs = 123_456.789 * r; round.endMs = 123_456.789 * (r + 1); });
    expect(widest(renderTableReport(result, PLAIN))).toBeLessThanOrEqual(80);
  });

  test('16 nodes listed one per row, dropped ones included, fit 80 columns', () => {
    expect(widest(renderRunTables(withIds(16, (k) => `edge-${k + 1}`), PLAIN))).toBeLessThanOrEqual(80);
  });
});

describe('names are escaped for the terminal', () => {
  test('a node id, strategy name, scenario name and file with control or bidi characters are shown as escapes', () => {
    // Arrange
    const result = tinyResult();
    result.scenario = { ...result.scenario, name: 'x\u001b[2J', file: 'dir/\u202egnp.yaml' };
    result.runs[0]!.strategy = { ...result.runs[0]!.strategy, name: 'mine\u001b]0;title\u0007' };
    result.runs[0]!.rounds[0]!.nodes[0]!.id = 'a\u2066';

    // Act
    const output = renderTableReport(result, PLAIN);

    // Assert
    expect(output.startsWith('dtrain · scenario x\\e[2J (dir/\\u{202e}gnp.yaml) · seed 7 · 4 nodes\n')).toBe(true);
    expect(output).toContain('\n== mine\\e]0;title\\x07: batch efficiency');
    expect(output).toContain('\n  a\\u{2066}  1.000 ');
    expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u2066\u202e]/);
  });
});

describe('labels', () => {
  test('the step-time column is labelled for what it is and explained in the legend', () => {
    const output = renderRunTables(tinyResult(), PLAIN);
    // round 1 has no previous round: the value is then the node's step time at the base allocation
    expect(output).toContain('\nprev step ms = S3’s response time: its mean step time when it last took part\n'
      + '(before that: its step time at this batch with the base threads and queue)\n');
    expect(output).not.toContain('response ms');
  });

  test('a non-zero weight never prints as 0.000', () => {
    const result = tinyResult();
    result.runs[0]!.rounds[0]!.nodes[0]!.weight = 0.0004;
    const lines = blockAfter(renderRunTables(result, PLAIN), 'round 1');
    expect(rowFor(lines, 'a')[7]).toBe('<0.001');
  });
});
