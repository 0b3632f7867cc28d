import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, toJsonReport } from '../../src/report/json.js';
import { RunReportReader } from '../../src/sweep/run-report.js';
import { readRunReport } from '../helpers/run-report.js';
import { tinyResult } from '../report/fixtures.js';

function oneRunReport(hash: string): string {
  const result = tinyResult();
  return toJsonReport({ ...result, runs: result.runs.slice(1) }, { version: '0.1.0', trace: false, timing: false, scenarioHash: hash });
}

/** The reader fed `bytes` in pieces of `size`. */
function readInPieces(bytes: Uint8Array, key: string, size: number) {
  const reader = new RunReportReader(key);
  for (let at = 0; at < bytes.length; at += size) reader.write(bytes.subarray(at, at + size));
  return reader.end();
}

const OUTCOME = { strategy: 'sync-sgd', seed: 7, finalAccuracy: 0.61, bestAccuracy: 0.61, timeToTargetMs: null, simulatedMs: 8000, samplesTrained: 128 };

/** A hand-made report: only the fields the reader looks at, and a name in two-byte characters. */
const handMade = (runs: string, tail = '') =>
  `{"schemaVersion": ${SCHEMA_VERSION}, "scenario": {"name": "échelle ééé", "seed": 3, "hash": "k"}, "runs": ${runs}}${tail}`;
const RUN = '{"strategy": {"name": "s1s4"}, "rounds": [{"nodes": [{"id": "é"}]}], "summary": {"finalAccuracy": 0.5, "bestAccuracy": 0.75, "simulatedMs": 1e3, "samplesTrained": 64, "timeToTargetMs": null}}';

describe('readRunReport', () => {
  it('a complete report of the run gives its outcome', () => {
    expect(readRunReport(oneRunReport('k1'), 'k1')).toEqual(OUTCOME);
  });

  it('another run\'s report, a truncated file or a two-strategy report is not complete', () => {
    expect(readRunReport(oneRunReport('k1'), 'k2')).toBeUndefined();
    const text = oneRunReport('k1');
    expect(readRunReport(text.slice(0, text.length / 2), 'k1')).toBeUndefined();
    expect(readRunReport(toJsonReport(tinyResult(), { version: '0.1.0', trace: false, timing: false, scenarioHash: 'k1' }), 'k1')).toBeUndefined();
    expect(readRunReport('null', 'k1')).toBeUndefined();
  });
});

describe('RunReportReader: a report read in pieces, never held whole', () => {
  it('gives the same outcome in pieces of any size, split inside a two-byte character too', () => {
    const bytes = new TextEncoder().encode(oneRunReport('k1'));
    for (const size of [1, 2, 7, 4096]) expect(readInPieces(bytes, 'k1', size)).toEqual(OUTCOME);
    const made = new TextEncoder().encode(handMade(`[${RUN}]`));
    const outcome = { strategy: 's1s4', seed: 3, finalAccuracy: 0.5, bestAccuracy: 0.75, simulatedMs: 1000, samplesTrained: 64, timeToTargetMs: null };
    for (const size of [1, 3, 50]) expect(readInPieces(made, 'k', size)).toEqual(outcome);
    // a key given twice counts by its last value, as JSON.parse has it
    expect(readRunReport(handMade(`[${RUN}]`).replace('"seed": 3,', '"seed": 2, "seed": 3,'), 'k')).toEqual(outcome);
  });

  it('trailing data, a second run, runs as an object, another schema version or bytes that are not UTF-8: no report', () => {
    expect(readRunReport(handMade(`[${RUN}]`, ' {}'), 'k')).toBeUndefined();
    expect(readRunReport(handMade(`[${RUN}, ${RUN}]`), 'k')).toBeUndefined();
    expect(readRunReport(handMade(`{"a": ${RUN}}`), 'k')).toBeUndefined();
    expect(readRunReport(handMade('[]'), 'k')).toBeUndefined();
    expect(readRunReport(handMade(`[${RUN}]`).replace(`"schemaVersion": ${SCHEMA_VERSION}`, '"schemaVersion": 1'), 'k')).toBeUndefined();
    const bytes = new TextEncoder().encode(handMade(`[${RUN}]`));
    // the name's first é (0xc3 0xa9) with its second byte made a stray lead byte
    const at = bytes.indexOf(0xa9);
    bytes[at] = 0xc3;
    expect(readInPieces(bytes, 'k', 4096)).toBeUndefined();
  });
});
