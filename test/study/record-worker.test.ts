/**
 * A study's worker (dist/sweep/worker.js: `npm run build` first) builds each run's compact
 * record as the run goes, keeping no node records, and with --store full streams the run's
 * JSON report to a file: the record is the one the whole report gives, and the file is the
 * report a sweep's worker answers with, byte for byte.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioHash } from '../../src/golden/scenario-hash.js';
import { parseScenarioText } from '../../src/node/load.js';
import { runOnWorkers, type WorkerReply, type WorkerTask } from '../../src/sweep/pool.js';
import { type ReportRound, type RunColumns, RunColumnsBuilder } from '../../src/report/run-columns.js';

const WORKER = new URL('../../dist/sweep/worker.js', import.meta.url);

// two local steps (samples count both), a node dropped at the deadline, a lossy link
const SCENARIO = `
name: record-worker
seed: 4
rounds: 4
data: { dataset: iris }
model: { hidden: [4], learningRate: 0.2, localSteps: 2 }
strategy: s1s4
cluster:
  roundTimeoutMs: 400
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, count: 3, latency: { normal: { mean: 30, std: 15 }, loss: 0.2 } }
    - { id: slow, msPerSample: 40, latency: { constant: 5 } }
`;

/** The columns the whole JSON report gives (what a study stored before it streamed). */
function columnsOfReport(json: string, localSteps: number): RunColumns {
  const report = JSON.parse(json) as { runs: Array<{ rounds: ReportRound[]; summary: Record<string, unknown> }> };
  const builder = new RunColumnsBuilder(localSteps);
  for (const round of report.runs[0]!.rounds) builder.round(round);
  return builder.finish(report.runs[0]!.summary);
}

describe('a study run on a worker', () => {
  it('answers with the columns of its whole report, and writes that report round by round with --store full', async () => {
    const scenario = parseScenarioText(SCENARIO, 'record-worker.yaml');
    const key = scenarioHash(scenario);
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-record-worker-'));
    const reportFile = join(dir, 'run.full.json');
    const base: WorkerTask = { key, scenario, backend: 'cpu', engine: 'fast', version: '0.1.0' };
    const replies: WorkerReply[] = [];
    // the two full reports first, on two workers at once, into one folder: each worker's
    // temporary file must be its own (they count their files from 1 alike)
    await runOnWorkers([
      { ...base, record: { localSteps: 2, reportFile } },
      { ...base, record: { localSteps: 2, reportFile: join(dir, 'again.full.json') } },
      base,
      { ...base, record: { localSteps: 2 } },
    ], { jobs: 2, workerUrl: WORKER, onResult: (reply) => replies.push(reply) }).done;
    expect(replies).toHaveLength(4);
    const whole = replies.find((reply): reply is { key: string; json: string } => 'json' in reply)!;
    const records = replies.filter((reply): reply is { key: string; record: RunColumns } => 'record' in reply);
    const expected = columnsOfReport(whole.json, 2);
    // the run has what the record's columns are for: a drop, and samples of two steps
    expect(whole.json).toContain('"dropReason": "deadline"');
    expect(expected.rounds.samples.at(-1)).toBeGreaterThan(0);
    expect(records.map((reply) => reply.record)).toEqual([expected, expected, expected]);
    expect(readFileSync(reportFile, 'utf8')).toBe(whole.json);
    expect(readFileSync(join(dir, 'again.full.json'), 'utf8')).toBe(whole.json);
    // committed under its name, no temporary file left beside it
    expect(readdirSync(dir).sort()).toEqual(['again.full.json', 'run.full.json']);
  }, 60_000);
});
