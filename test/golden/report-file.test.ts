import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { parseReport } from '../../src/golden/report-file.js';
import { toJsonReport } from '../../src/report/json.js';
import { tinyResult } from '../report/fixtures.js';

function failure(text: string): DtrainError {
  try {
    parseReport(text, 'g.json');
  } catch (error) {
    if (error instanceof DtrainError) return error;
    throw error;
  }
  throw new Error('expected a DtrainError');
}

describe('parseReport', () => {
  it('reads a schema-version-2 report, hash included', () => {
    const report = parseReport(toJsonReport(tinyResult(), { version: '0.1.0', trace: false, timing: false, scenarioHash: 'abc' }), 'g.json');
    expect(report.scenario.hash).toBe('abc');
    expect(report.runs.map((run) => run.strategy.name)).toEqual(['s1s4', 'sync-sgd']);
  });

  it('another schema version is a clear error, exit 2', () => {
    const error = failure('{"schemaVersion": 3, "runs": []}');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('g.json has schema version 3; this dtrain reads schema version 2');
    expect(error.hint).toBe('re-record the golden with this dtrain: dtrain simulate SCENARIO --expect g.json --update');
  });

  it('a schema version too large for a number is said so, not shown as null', () => {
    expect(failure('{"schemaVersion": 2e400, "runs": []}').message).toBe('g.json has schema version a number too large to read; this dtrain reads schema version 2');
    expect(failure('{"schemaVersion": "2", "runs": []}').message).toBe('g.json has schema version "2"; this dtrain reads schema version 2');
  });

  it('a version-1 golden says why it cannot be compared and how to re-record it, exit 2', () => {
    const error = failure('{"schemaVersion": 1, "runs": []}');
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('golden.schemaVersion');
    expect(error.message).toBe('g.json has schema version 1, recorded before the time model changed (drops are now learnt '
      + 'when they happen, and the JSON has new fields); this dtrain reads schema version 2');
    expect(error.hint).toBe('re-record the golden with this dtrain: dtrain simulate SCENARIO --expect g.json --update');
  });

  it('a version-1 run report is to be run again, not re-recorded', () => {
    let hint: string | undefined;
    try {
      parseReport('{"schemaVersion": 1}', 'run.json', 'run');
    } catch (error) {
      hint = (error as DtrainError).hint;
    }
    expect(hint).toBe('run the scenario again with this dtrain: dtrain simulate SCENARIO --json FILE');
  });

  it('not JSON, no schemaVersion, or the wrong shape: exit 2 naming the file', () => {
    expect(failure('{').message).toMatch(/^g\.json is not JSON \(/);
    expect(failure('[1]').message).toBe('g.json is not a dtrain JSON report (it has no schemaVersion)');
    const broken = failure('{"schemaVersion":2,"tool":{"name":"dtrain","version":"1"},"scenario":{"name":"x"},"runs":[{"strategy":{"name":"s"},"backend":"cpu","rounds":[{"round":1,"nodes":[{}]}],"summary":{}}]}');
    expect(broken.message).toBe('g.json is not a dtrain JSON report: unexpected value at runs[0].rounds[0].nodes[0].id');
    expect(broken.exitCode).toBe(2);
  });

  it('a compared field holding an object ({ "toString": 1 }) is the wrong shape, not a TypeError', () => {
    const report = JSON.parse(toJsonReport(tinyResult(), { version: '0.1.0', trace: false, timing: false })) as {
      runs: Array<{ strategy: Record<string, unknown>; summary: Record<string, unknown>; rounds: Array<{ nodes: Array<Record<string, unknown>> } & Record<string, unknown>> }>;
    };
    const crafted = (edit: (r: typeof report) => void): string => {
      const copy = structuredClone(report);
      edit(copy);
      return JSON.stringify(copy);
    };
    expect(failure(crafted((r) => { r.runs[0]!.summary.finalAccuracy = { toString: 1 }; })).message)
      .toBe('g.json is not a dtrain JSON report: unexpected value at runs[0].summary.finalAccuracy');
    expect(failure(crafted((r) => { r.runs[1]!.strategy.batch = [1]; })).message)
      .toBe('g.json is not a dtrain JSON report: unexpected value at runs[1].strategy.batch');
    expect(failure(crafted((r) => { r.runs[0]!.rounds[0]!.loss = { valueOf: 1 }; })).message)
      .toBe('g.json is not a dtrain JSON report: unexpected value at runs[0].rounds[0].loss');
    expect(failure(crafted((r) => { r.runs[0]!.rounds[0]!.nodes[0]!.batch = { toString: 1 }; })).message)
      .toBe('g.json is not a dtrain JSON report: unexpected value at runs[0].rounds[0].nodes[0].batch');
  });

  it('JSON errors say where, never quote the text (V8 would)', () => {
    expect(failure('SECRET=hunter2').message).toBe('g.json is not JSON');
    expect(failure('{"a": 1,\n x}').message).toBe('g.json is not JSON (line 2, column 2)');
  });
});

