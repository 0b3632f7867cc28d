/**
 * The default engine as `dtrain simulate` runs it (built CLI): on a scenario of nodes ×
 * parameters ≥ 2^20 it starts its helper thread in round 1, which joins the rounds after its
 * start-up (40 rounds: most of the run), and the run's JSON is `--engine parallel`'s byte for
 * byte but for the engine's name (the two-worker engine is bit-identical to one thread,
 * test/node/parallel-engine.test.ts); the process ends on its own once done.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, STACK_TRACE } from '../hostile/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dtrain-default-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `
seed: 3
rounds: 40
data: { dataset: { blobs: { samples: 20000, features: 32, classes: 4 } } }
model: { hidden: [128], learningRate: 0.1 }
pipeline: { s2: { standardBatch: 16 } }
cluster:
  nodes:
    - { id: n, count: 320, latency: { constant: 5 } }
`;

describe('the default engine in dtrain simulate', () => {
  it('gives --engine parallel’s JSON, byte for byte but the engine’s name, on a round above the two-thread threshold', async () => {
    // Arrange: 320 nodes × (32·128 + 128 + 128·4 + 4 = 4,740 parameters) = 1,516,800 ≥ 2^20
    const file = join(dir, 'wide.yaml');
    writeFileSync(file, SCENARIO);
    const out = (engine: string) => join(dir, `${engine}.json`);
    // Act
    const results = [];
    for (const engine of ['fast', 'parallel']) results.push(await runCli(['simulate', file, '--engine', engine, '--json', out(engine), '--quiet', '--no-progress']));
    // Assert
    for (const result of results) {
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.status).toBe(0);
    }
    const [fast, parallel] = [readFileSync(out('fast'), 'utf8'), readFileSync(out('parallel'), 'utf8')];
    expect(fast).toContain('"engine": "fast"');
    expect(fast.length).toBeGreaterThan(100_000);
    expect(parallel.replace('"engine": "parallel"', '"engine": "fast"')).toBe(fast);
  }, 120_000);
});
