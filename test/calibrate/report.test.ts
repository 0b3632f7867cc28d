/** What `dtrain calibrate --measure` prints about node entries the defaults do not reach. */
import { describe, expect, it } from 'vitest';
import { formatMeasureReport, type MeasureReport } from '../../src/calibrate/report.js';

function report(overriding: string[]): MeasureReport {
  return {
    scenarioFile: 'scenario.yaml',
    model: '4 → 16 → 3 (131 parameters)',
    localSteps: 1,
    backend: 'wasm',
    timings: [1, 2, 4, 8, 16, 32].map((batch) => ({ batch, repetitionsMs: [1, 1, 1, 1, 1], medianMs: 1 })),
    fitSizes: [1, 4, 16],
    heldOutSizes: [2, 8, 32],
    fit: { stepOverheadMs: 1, msPerSample: 0.5 },
    mape: 0.02,
    overriding,
  };
}

/** The lines between the engine note and the YAML to paste. */
function note(text: string): string[] {
  const lines = text.split('\n');
  const from = lines.indexOf('parallelFraction is not measured here and is left as it is.') + 1;
  const to = lines.indexOf("Set in the scenario's cluster.defaults (or run again with --write):") - 1;
  return lines.slice(from, to);
}

describe('calibrate --measure: node entries that set their own compute values', () => {
  it('one entry (the starter scenario\'s slow node) is named in the singular, with what keeping its value means', () => {
    // Act
    const text = formatMeasureReport(report(['slow']));

    // Assert
    expect(note(text)).toEqual([
      'Node entry slow sets msPerSample or stepOverheadMs itself: cluster.defaults does not',
      'change it. Scale its values too if it should stay as much slower or faster as it was.',
    ]);
  });

  it('several entries are named in the plural; past eight the rest are counted', () => {
    // Act
    const two = formatMeasureReport(report(['slow', 'gpu']));
    const many = formatMeasureReport(report(Array.from({ length: 12 }, (_, i) => `n${i + 1}`)));

    // Assert
    expect(note(two)).toEqual([
      'Node entries slow, gpu set msPerSample or stepOverheadMs themselves: cluster.defaults',
      'does not change them. Scale their values too if they should stay as much slower or faster',
      'as they were.',
    ]);
    expect(note(many)[0]).toBe('Node entries n1, n2, n3, n4, n5, n6, n7, n8 and 4 more set msPerSample or stepOverheadMs themselves: cluster.defaults');
  });

  it('no such entry: no note', () => {
    expect(note(formatMeasureReport(report([])))).toEqual([]);
  });
});
