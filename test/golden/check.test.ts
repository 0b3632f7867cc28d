import { describe, expect, it } from 'vitest';
import { checkAgainstGolden, scenarioProblem } from '../../src/golden/check.js';
import { DEFAULT_TOLERANCES } from '../../src/golden/tolerances.js';
import { editedReport, reportOf } from './helpers.js';

const OPTIONS = { tolerances: { ...DEFAULT_TOLERANCES }, anyBackend: false };

describe('checkAgainstGolden', () => {
  it('an identical run is ok and counts the values compared', () => {
    const outcome = checkAgainstGolden(reportOf(), reportOf(), OPTIONS);
    expect(outcome).toEqual({ status: 'ok', compared: 2 * (1 + 2 * 91 + 5), notes: [] });
  });

  it('another scenario hash is a mismatch, not a regression, and values are not compared', () => {
    const outcome = checkAgainstGolden(reportOf(undefined, { hash: 'h2' }), reportOf(), OPTIONS);
    expect(outcome).toEqual({ status: 'mismatch', problems: [{ kind: 'scenario', goldenHash: 'h1', runHash: 'h2' }], notes: [] });
  });

  it('another backend is a mismatch; with anyBackend the values are compared within tolerances', () => {
    const onWasm = editedReport((report) => {
      for (const run of report.runs) run.backend = 'wasm';
      report.runs[0]!.rounds[0]!.loss = 0.69314 + 1e-6;
    });
    expect(checkAgainstGolden(onWasm, reportOf(), OPTIONS)).toMatchObject({
      status: 'mismatch', problems: [{ kind: 'backend', strategy: 's1s4', golden: 'cpu', run: 'wasm' }],
    });
    expect(checkAgainstGolden(onWasm, reportOf(), { ...OPTIONS, anyBackend: true })).toMatchObject({
      status: 'ok', notes: [{ kind: 'crossBackend', golden: 'cpu', run: 'wasm' }],
    });
  });

  it('another dtrain version is only a note', () => {
    expect(checkAgainstGolden(reportOf(undefined, { version: '0.2.0' }), reportOf(), OPTIONS)).toMatchObject({
      status: 'ok', notes: [{ kind: 'version', golden: '0.1.0', run: '0.2.0' }],
    });
  });

  it('a changed value is a regression carrying every difference', () => {
    const run = editedReport((report) => {
      report.runs[0]!.rounds[0]!.nodes[2]!.threads = 4;
    });
    const outcome = checkAgainstGolden(run, reportOf(), OPTIONS);
    expect(outcome.status).toBe('regression');
    expect(outcome.status === 'regression' && outcome.comparison.differences).toEqual([
      { strategy: 's1s4', round: 1, node: 'c', field: 'threads', run: 4, golden: 3 },
    ]);
  });
});

describe('scenarioProblem (before a run)', () => {
  it('none when the hashes agree or the golden has none', () => {
    expect(scenarioProblem(reportOf(), 'h1')).toBeUndefined();
    const noHash = editedReport((report) => {
      delete report.scenario.hash;
    });
    expect(scenarioProblem(noHash, 'h9')).toBeUndefined();
    expect(scenarioProblem(reportOf(), 'h9')).toEqual({ kind: 'scenario', goldenHash: 'h1', runHash: 'h9' });
  });

  it('another seed is named, and said to be all that differs when the scenario with the golden\'s seed has the golden\'s hash', () => {
    // Arrange
    const golden = reportOf();
    const goldenSeed = golden.scenario.seed as number;
    const name = golden.scenario.name;

    // Act
    const onlySeed = scenarioProblem(golden, 'h9', { name, seed: goldenSeed + 1, hashWithSeed: (seed) => (seed === goldenSeed ? 'h1' : 'h9') });
    const more = scenarioProblem(golden, 'h9', { name, seed: goldenSeed + 1, hashWithSeed: () => 'h8' });
    const sameSeed = scenarioProblem(golden, 'h9', { name, seed: goldenSeed });

    // Assert
    expect(onlySeed).toEqual({ kind: 'scenario', goldenHash: 'h1', runHash: 'h9', seeds: { golden: goldenSeed, run: goldenSeed + 1, only: true } });
    expect(more).toEqual({ kind: 'scenario', goldenHash: 'h1', runHash: 'h9', seeds: { golden: goldenSeed, run: goldenSeed + 1, only: false } });
    expect(sameSeed).toEqual({ kind: 'scenario', goldenHash: 'h1', runHash: 'h9' });
  });
});
