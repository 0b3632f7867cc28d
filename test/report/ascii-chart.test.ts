import { describe, expect, it } from 'vitest';
import { renderAccuracyChart, toGridSeries } from '../../src/report/ascii-chart.js';
import { renderSummary } from '../../src/report/summary-table.js';
import { tinyResult } from './fixtures.js';

describe('renderAccuracyChart', () => {
  it('plots each strategy on a common simulated-time axis, one line style per strategy', () => {
    // Arrange: span 8115 ms over 20 columns. s1s4 ends rounds at 6420 → column round(6420/8115·19) = 15
    // (accuracy 0.5) and 8115 → 19 (0.8833); sync-sgd at 6000 → 14 and 8000 → 19, 0.61 both times.
    // Range: tenths around 0.5 … 0.8833 → 0.5 … 0.9 in 4 rows.
    const result = tinyResult();

    // Act
    const chart = renderAccuracyChart(result, { color: false, width: 20, height: 4 });

    // Assert
    expect(chart).toBe([
      '  test accuracy vs simulated time',
      '   0.90┤                  ╭─',
      '   0.80┤                  │',
      '   0.70┤                  │',
      '   0.60┤              ════│═',
      '   0.50┤               ───╯',
      '       └────────────────────',
      '        0            8.115 s  simulated time',
      '        ── s1s4   ══ sync-sgd',
      '',
    ].join('\n'));
  });

  it("with colour each strategy's cells carry asciichart's colour codes", () => {
    const chart = renderAccuracyChart(tinyResult(), { color: true, width: 20, height: 4 });
    expect(chart.split('\n')[4]).toBe(
      '   0.60┤              \u001b[35m═\u001b[0m\u001b[35m═\u001b[0m\u001b[35m═\u001b[0m\u001b[35m═\u001b[0m\u001b[34m│\u001b[0m\u001b[35m═\u001b[0m',
    );
    expect(chart).toContain('\u001b[34m──\u001b[0m s1s4   \u001b[35m══\u001b[0m sync-sgd');
  });

  it('a round holds its accuracy until the next round ends; columns before the first end repeat it', () => {
    const run = tinyResult().runs[0]!;
    expect(toGridSeries(run, 8115, 20)).toEqual({
      values: [...Array.from({ length: 19 }, () => 0.5), 0.88333, 0.88333],
      firstColumn: 15,
      lastColumn: 19,
    });
  });

  it('no rounds, no chart; the summary includes the chart only when asked', () => {
    const empty = tinyResult();
    empty.runs.forEach((run) => { run.rounds = []; });
    expect(renderAccuracyChart(empty, { color: false })).toBe('');
    const result = tinyResult();
    expect(renderSummary(result, { color: false })).not.toContain('test accuracy vs simulated time');
    expect(renderSummary(result, { color: false, chart: true }))
      .toBe(`${renderSummary(result, { color: false })}\n${renderAccuracyChart(result, { color: false })}`);
  });
});
