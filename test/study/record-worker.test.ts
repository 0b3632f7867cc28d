/**
 * A sweep's or study's worker (dist/sweep/worker.js: `npm run build` first) runs keeping no
 * node records: it streams the run's JSON report to a file (a sweep's, a study's with --store
 * full), which is byte for byte the report of the whole run, and answers with the outcome
 * read back from that report and, for a study, the compact record the whole report gives.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioHash } from '../../src/golden/scenario-hash.js';
import { parseScenarioText } from '../../src/node/load.js';
import { runOnWorkers, type WorkerAnswer, type WorkerReply, type WorkerTask } from '../../src/sweep/pool.js';
import { runScenario } from '../../src/index.js';
import { runContext } from '../../src/node/run-context.js';
import { toJsonReport } from '../../src/report/json.js';
import { readRunReport } from '../helpers/run-report.js';
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

describe('a sweep or study run on a worker', () => {
  it('writes its whole report round by round, and answers with its outcome and a study\'s columns', async () => {
    const scenario = parseScenarioText(SCENARIO, 'record-worker.yaml');
    const key = scenarioHash(scenario);
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-record-worker-'));
    const base: WorkerTask = { key, scenario, backend: 'cpu', engine: 'fast', version: '0.1.0' };
    const replies: WorkerReply[] = [];
    // two study runs with --store full first, on two workers at once, into one folder: each
    // worker's temporary file must be its own (they count their files from 1 alike); then a
    // sweep's run and a compact study run
    await runOnWorkers([
      { ...base, columns: { localSteps: 2 }, reportFile: join(dir, 'run.full.json') },
      { ...base, columns: { localSteps: 2 }, reportFile: join(dir, 'again.full.json') },
      { ...base, reportFile: join(dir, 'sweep.json') },
      { ...base, columns: { localSteps: 2 } },
    ], { jobs: 2, workerUrl: WORKER, onResult: (reply) => replies.push(reply) }).done;
    // the same run in this process, its records kept, its report made whole
    const run = runContext({ engine: 'fast', backend: 'cpu', seed: scenario.seed, strategy: ['s1s4'] });
    const whole = toJsonReport(await runScenario(scenario, { backend: 'cpu', engine: 'fast', timelines: false }), { version: '0.1.0', trace: false, timing: false, scenarioHash: key, run });
    const expected = columnsOfReport(whole, 2);
    // the run has what the record's columns are for: a drop, and samples of two steps
    expect(whole).toContain('"dropReason": "deadline"');
    expect(expected.rounds.samples.at(-1)).toBeGreaterThan(0);
    expect(replies).toHaveLength(4);
    const answers = replies.filter((reply): reply is WorkerAnswer => 'outcome' in reply);
    expect(answers.map((reply) => reply.outcome)).toEqual(Array(4).fill(readRunReport(whole, key)));
    expect(answers.map((reply) => reply.columns)).toEqual(expect.arrayContaining([expected, expected, expected, undefined]));
    expect(answers.filter((reply) => reply.columns !== undefined)).toHaveLength(3);
    for (const file of ['run.full.json', 'again.full.json', 'sweep.json']) expect(readFileSync(join(dir, file), 'utf8')).toBe(whole);
    // committed under its name, no temporary file left beside it
    expect(readdirSync(dir).sort()).toEqual(['again.full.json', 'run.full.json', 'sweep.json']);
  }, 60_000);
});
