/**
 * `dtrain explain` keeps no node records. The list of notable rounds reads only the insights,
 * found as the rounds finish (131,072 nodes: 3.4 GB and 34 s when the run kept every record
 * with its raw S1 samples, 1.0 GB and 12 s without); a round explained reads its own record,
 * with its raw samples and events, and each node's latest rounds and norms, gathered as the
 * rounds finish (131,072 nodes, round 5: 4.1 GB when the run kept every record, 1.3 GB with
 * --node). Each is sized that way, and lists or explains what the kept records do.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainNotable } from '../../src/explain/notable.js';
import { InsightStream } from '../../src/insights/index.js';
import { datasetShape } from '../../src/limits/dataset-shape.js';
import { estimateRun } from '../../src/limits/estimate.js';
import { parseScenarioText } from '../../src/node/load.js';
import { runCli } from '../hostile/cli.js';
import { tinyResult } from '../report/fixtures.js';

// 400 nodes with 1,000 S1 samples a window: their raw samples are most of what a kept run holds
const SCENARIO = `seed: 1
rounds: 3
data: { dataset: { blobs: { samples: 2000, features: 4, classes: 2 } } }
model: { hidden: [4] }
pipeline: { s1: { intervalMs: 10, windowMs: 10s } }
cluster:
  nodes:
    - { id: n, count: 400, latency: { constant: 5 } }
`;

describe('dtrain explain, the notable rounds', () => {
  it('is sized as a run that keeps no node records: the list below a round explained, a round explained below the kept rounds', async () => {
    // Arrange: the three estimates of the same three rounds of one strategy
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-explain-'));
    writeFileSync(join(dir, 'many.yaml'), SCENARIO);
    const scenario = parseScenarioText(SCENARIO, join(dir, 'many.yaml'));
    const one = { ...scenario, strategies: scenario.strategies.slice(0, 1) };
    const shape = datasetShape(one.data.dataset);
    const list = estimateRun(one, shape, { json: false, trace: false, streamed: true }).memoryBytes;
    const round = estimateRun(one, shape, { json: false, trace: true, streamed: true, explainRound: true }).memoryBytes;
    const kept = estimateRun(one, shape, { json: false, trace: true }).memoryBytes;
    // a round explained: one round's raw samples (400 nodes × 1,000 × 16 B) and events (400 ×
    // 1,400 B), the history (400 × (12 + 5 norms × 12 B)); with raw samples the helper thread
    // simulates no rounds ahead (400 × (1,900 + 600) B less)
    expect(round - list).toBe(400 * 1000 * 16 + 400 * 1400 + 400 * (12 + 5 * 12) - 400 * (1900 + 600));
    // the kept run: three rounds' records with their raw samples, 1,200 × (3,000 + 16,000) B,
    // against one round's (400 × (1,550 + 16,000) B) and the rest above
    expect(kept - round).toBe(1200 * (3000 + 16000) - 400 * (1550 + 16000) - 400 * 1400 - 400 * 72);
    const between = (low: number, high: number) => `${Math.floor((low + high) / 2 / 2 ** 20 * 10) / 10}MiB`;
    // Act
    const [listRun, roundRefused, roundRun] = await Promise.all([
      runCli(['explain', 'many.yaml', '--no-progress', '--max-memory', between(list, round)], { cwd: dir }),
      runCli(['explain', 'many.yaml', '--no-progress', '--round', '3', '--max-memory', between(list, round)], { cwd: dir }),
      runCli(['explain', 'many.yaml', '--no-progress', '--round', '3', '--node', 'n-7', '--max-memory', between(round, kept)], { cwd: dir }),
    ]);
    // Assert
    expect([listRun.status, listRun.stderr]).toEqual([0, '']);
    expect(listRun.stdout).toContain('3 rounds run; the rounds where something notable happened:');
    expect(roundRefused.status).toBe(2);
    expect(roundRefused.stdout).toBe('');
    expect(roundRefused.stderr).toMatch(/^error: this run needs an estimated [\d.]+ MiB of memory, over the budget of [\d.]+ MiB/);
    expect([roundRun.status, roundRun.stderr]).toEqual([0, '']);
    expect(roundRun.stdout.split('\n')[2]).toMatch(/^round 3 of 3 · T = [\d.]+ ms → [\d.]+ ms · 400 of 400 nodes took part · showing node n-7$/);
  }, 60_000);

  it('lists from the insights found as the rounds finished what it lists from the kept records', () => {
    const result = tinyResult();
    const run = result.runs[0]!;
    const stream = new InsightStream(result.scenario);
    for (const record of run.rounds) stream.round(record, run.strategy);
    stream.runEnd(run);
    const streamedRun = { ...run, rounds: run.rounds.map((record) => ({ ...record, nodes: [] })) };
    const input = { scenario: result.scenario, scenarioArg: 'tiny.yaml' };
    expect(explainNotable({ ...input, run: streamedRun, insights: stream.insights() })).toBe(explainNotable({ ...input, run }));
    // without the insights, a run of no node records has nothing notable to list
    expect(explainNotable({ ...input, run: streamedRun })).toContain('Nothing notable in 2 rounds');
  });
});
