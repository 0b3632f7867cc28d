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

  test('a skipped round says so instead of loss and accuracy', () => {
    // Act
    const output = renderRunTables(tinyResult(), PLAIN);

    // Assert
    expect(output).toContain(
      '\nround 2  t = 6.000 s → 8.000 s  participants 0/4  skipped: no node took part, model unchanged\n');
  });

  test('every node of a round gets its own row', () => {
    // Arrange
    const expected = [
      'round 1  t = 0.000 s → 6.420 s  participants 3/4  loss 0.6931  acc 0.5000',
      '  node      e  batch  threads  io q  response ms  volatility  weight  status',
      `  ${'─'.repeat(74)}`,
      '  a     1.000     32        4     8            –           –   0.400  ✓',
      '  b     0.500     16        2     4            –           –   0.350  ✓',
      '  c     0.750     24        3     6            –           –   0.250  ✓',
      '  d     0.000      0        –     –            –           –   0.000  idle',
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
    expect(rowFor(lines, 'c')).toEqual(['c', '0.625', '18', '3', '5', '10.3', '–', '0.000', 'dropped: deadline']);
    expect(rowFor(lines, 'd')).toEqual(['d', '0.688', '19', '3', '6', '9.8', '0.200', '0.250', '✓']);
  });

  test('runs are introduced by their strategy and the tables end with a blank line', () => {
    // Act
    const output = renderRunTables(tinyResult(), PLAIN);

    // Assert
    expect(output.startsWith('dtrain · scenario tiny (scenarios/tiny.yaml) · seed 7 · 4 nodes\n')).toBe(true);
    expect(output).toContain('\n== s1s4: batch efficiency · resources pressure · aggregation volatility · backend cpu ==\n');
    expect(output).toContain('\n== sync-sgd: batch fixed · resources fixed · aggregation mean · backend cpu ==\n');
    expect(output.endsWith('  d     0.000     32        4     8         14.0           –   0.000  dropped: retries\n\n')).toBe(true);
    expect(output).not.toContain('summary');
  });

  test('the full table report is the run tables followed by the summary', () => {
    // Act
    const output = renderTableReport(tinyResult(), PLAIN);

    // Assert
    expect(output).toContain('dropped: retries\n\nsummary · scenario tiny · seed 7\n');
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
    expect(output).toContain('\u001b[33mdropped: deadline\u001b[39m');
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
  const STAT_AND_WORST_IDS = ['min', 'median', 'max', 'n-1', 'n-2', 'n-3', 'n-4', 'n-5', 'n-10', 'n-20', 'n-30', 'n-40', 'n-50'];

  test('256 nodes print min / median / max rows and the weakest nodes, not every node', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(256, 1), PLAIN), 'round 1');

    // Assert: round line, counts line, header, rule, 3 stats rows, heading row, 10 nodes
    expect(lines).toHaveLength(1 + 1 + 1 + 1 + 3 + 1 + 10);
    expect(lines[0]).toBe('round 1  t = 0.000 s → 6.000 s  participants 226/256  loss 0.5000  acc 0.8000');
    expect(lines[1]).toMatch(/^ {2}256 nodes: 226 ✓ · 5 dropped · 25 idle — /);
    const ids = lines.slice(4).map((line) => cells(line)[0]).filter((id) => !id.startsWith('lowest'));
    expect(ids).toEqual(STAT_AND_WORST_IDS);
  });

  test('the stats rows cover efficiency over all nodes and the rest over participants', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(256, 1), PLAIN), 'round 1');

    // Assert: idle nodes have e = 0 and batch 0, but batch's min is over participants (≥ 1)
    expect(rowFor(lines, 'min').slice(0, 3)).toEqual(['min', '0.000', '1']);
    expect(rowFor(lines, 'max').slice(0, 3)).toEqual(['max', '1.000', '32']);
  });

  test('1,000 nodes still print at most 20 lines per round', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(1000, 1), PLAIN), 'round 1');

    // Assert
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines.filter((line) => /^ {2}n-\d+ /.test(line)).length).toBeLessThanOrEqual(10);
  });

  test('maxNodeRows lowers the threshold: 4 nodes with maxNodeRows 3 are summarised', () => {
    // Act
    const lines = blockAfter(renderRunTables(tinyResult(), { ...PLAIN, maxNodeRows: 3 }), 'round 1');

    // Assert
    expect(rowFor(lines, 'median')).toEqual(['median', '0.625', '24', '3', '6', '–', '–', '0.350']);
  });

  test('16 nodes (the default maximum) are still listed one per row', () => {
    // Act
    const lines = blockAfter(renderRunTables(generatedResult(16, 1), PLAIN), 'round 1');

    // Assert: round line, header, rule, 16 rows
    expect(lines).toHaveLength(19);
  });
});
