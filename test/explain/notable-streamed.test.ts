/**
 * `dtrain explain` without --round keeps no node records: the list of notable rounds reads only
 * the insights, found as the rounds finish (131,072 nodes: 3.4 GB and 34 s when the run kept
 * every record with its raw S1 samples, 1.0 GB and 12 s without). It is sized that way, so a
 * budget between the two estimates lets the list run and refuses a round explained (which reads
 * every raw sample of the rounds up to it); and it lists what the kept records list.
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
  it('is sized as a run that keeps no node records: it fits a budget that refuses a round explained', async () => {
    // Arrange: a budget halfway between the two estimates of the same three rounds of one strategy
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-explain-'));
    writeFileSync(join(dir, 'many.yaml'), SCENARIO);
    const scenario = parseScenarioText(SCENARIO, join(dir, 'many.yaml'));
    const one = { ...scenario, strategies: scenario.strategies.slice(0, 1) };
    const shape = datasetShape(one.data.dataset);
    const kept = estimateRun(one, shape, { json: false, trace: true }).memoryBytes;
    const streamed = estimateRun(one, shape, { json: false, trace: false, streamed: true }).memoryBytes;
    expect(kept - streamed).toBeGreaterThan(2 * 2 ** 20);
    const budget = `${Math.floor((kept + streamed) / 2 / 2 ** 20 * 10) / 10}MiB`;
    // Act
    const notable = await runCli(['explain', 'many.yaml', '--no-progress', '--max-memory', budget], { cwd: dir });
    const round = await runCli(['explain', 'many.yaml', '--no-progress', '--round', '3', '--max-memory', budget], { cwd: dir });
    // Assert
    expect([notable.status, notable.stderr]).toEqual([0, '']);
    expect(notable.stdout).toContain('3 rounds run; the rounds where something notable happened:');
    expect(round.status).toBe(2);
    expect(round.stdout).toBe('');
    expect(round.stderr).toMatch(/^error: this run needs an estimated [\d.]+ MiB of memory, over the budget of [\d.]+ MiB/);
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
