import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/golden/compare.js';
import { DEFAULT_TOLERANCES } from '../../src/golden/tolerances.js';
import { editedReport, reportOf } from './helpers.js';

const TOLERANCES = { ...DEFAULT_TOLERANCES };

describe('compareReports', () => {
  it('a report equals itself: nothing differs, every value is counted', () => {
    // 2 strategies; per strategy: 1 stage check + 2 rounds × (1 startMs + 4 nodes × 17 fields + 4 round fields) + 5 summary
    const comparison = compareReports(reportOf(), reportOf(), TOLERANCES);
    expect(comparison.differences).toEqual([]);
    expect(comparison.compared).toBe(2 * (1 + 2 * (1 + 4 * 21 + 6) + 5));
  });

  it('one changed batch is exactly one difference, at its strategy, round, node and field', () => {
    const run = editedReport((report) => {
      report.runs[0]!.rounds[1]!.nodes[1]!.batch = 12;
    });
    const { differences } = compareReports(run, reportOf(), TOLERANCES);
    expect(differences).toEqual([{ strategy: 's1s4', round: 2, node: 'b', field: 'batch', run: 12, golden: 11 }]);
  });

  it('a float within its tolerance passes; beyond it, it differs', () => {
    const nudged = (delta: number) => editedReport((report) => {
      report.runs[1]!.rounds[0]!.nodes[3]!.weight = 0.25 + delta;
    });
    expect(compareReports(nudged(5e-6), reportOf(), TOLERANCES).differences).toEqual([]);
    expect(compareReports(nudged(5e-5), reportOf(), TOLERANCES).differences).toMatchObject([{ strategy: 'sync-sgd', round: 1, node: 'd', field: 'weight' }]);
    expect(compareReports(nudged(5e-5), reportOf(), { ...TOLERANCES, weight: 1e-4 }).differences).toEqual([]);
  });

  it('the first difference is the earliest pipeline stage, even on a later node', () => {
    // node a's finish time (time model) and node d's batch (S2) both change in round 2
    const run = editedReport((report) => {
      report.runs[0]!.rounds[1]!.nodes[0]!.finishMs = 8001;
      report.runs[0]!.rounds[1]!.nodes[3]!.batch = 20;
    });
    const fields = compareReports(run, reportOf(), TOLERANCES).differences.map((d) => `${d.node}.${d.field}`);
    expect(fields).toEqual(['d.batch', 'a.finishMs']);
  });

  it('summary fields are compared after the rounds, with round: null', () => {
    const run = editedReport((report) => {
      report.runs[0]!.summary.samplesTrained = 135;
    });
    expect(compareReports(run, reportOf(), TOLERANCES).differences).toEqual([
      { strategy: 's1s4', round: null, node: null, field: 'samplesTrained', run: 135, golden: 134 },
    ]);
  });

  it('a number where the golden has null (or the other way round) differs', () => {
    const run = editedReport((report) => {
      report.runs[1]!.summary.timeToTargetMs = 8000;
    });
    expect(compareReports(run, reportOf(), TOLERANCES).differences).toMatchObject([{ field: 'timeToTargetMs', run: 8000, golden: null }]);
  });

  it('structural differences: other strategies, fewer rounds, other node ids', () => {
    const fewer = editedReport((report) => {
      report.runs[0]!.rounds.pop();
    });
    expect(compareReports(fewer, reportOf(), TOLERANCES).differences).toMatchObject([{ strategy: 's1s4', round: null, field: 'rounds', run: 1, golden: 2 }]);
    const renamed = editedReport((report) => {
      report.runs[1]!.rounds[0]!.nodes[2]!.id = 'x';
    });
    expect(compareReports(renamed, reportOf(), TOLERANCES).differences).toMatchObject([{ strategy: 'sync-sgd', round: 1, field: 'nodes', run: 'a, b, x, d', golden: 'a, b, c, d' }]);
    const onlyOne = editedReport((report) => {
      report.runs.pop();
    });
    expect(compareReports(onlyOne, reportOf(), TOLERANCES).differences).toMatchObject([{ field: 'strategies', run: 's1s4', golden: 's1s4, sync-sgd' }]);
  });
});
