/**
 * sweep and study size V8's heap growth as simulate does (heap-growth.ts), from their runs'
 * estimates: the rule is applied to the sum of the estimates of the runs that can be in flight
 * at once, one per worker, since every worker's heap is in the one process. The CLI checks
 * spawn bin/dtrain.js (run `npm run build` first) with a preload that reports every V8 flag set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heapGrowthFlag, LARGE_RUN_BYTES, poolEstimateBytes } from '../../src/cli/heap-growth.js';
import { enforceGridLimits } from '../../src/limits/options.js';
import { loadScenario } from '../../src/node/load.js';
import type { Scenario } from '../../src/scenario/types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');
const PRELOAD = join(import.meta.dirname, 'fixtures', 'log-v8-flags.mjs');
/** iris, 3 nodes, 3 rounds, two strategies: each run estimates 200.1 MiB, so 4 at a time pass 768 MiB and 3 do not */
const TINY = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');
const FLAG_LINE = 'v8 flag set: --heap-growing-percent=50';
const MIB = 1024 ** 2;

function dtrainLoggingFlags(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', PRELOAD, BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** what a sweep's worker makes of each run: its JSON report written round by round, no node records kept */
const SWEEP = { json: true, trace: false, streamed: true };

const grid = (scenario: Scenario, seeds: number) =>
  Array.from({ length: seeds }, (_, i) => ({ key: `seed-${i + 1}`, scenario: { ...scenario, seed: i + 1 }, label: `seed ${i + 1}` }));

describe('poolEstimateBytes', () => {
  it('sums the estimates of the `jobs` largest runs, whatever their order', () => {
    expect(poolEstimateBytes([1, 5, 3, 4], 1)).toBe(5);
    expect(poolEstimateBytes([1, 5, 3, 4], 2)).toBe(9);
    expect(poolEstimateBytes([1, 5, 3, 4], 3)).toBe(12);
    expect(poolEstimateBytes([1, 5, 3, 4], 8)).toBe(13);
    expect(poolEstimateBytes([], 2)).toBe(0);
  });

  it('does not reorder the estimates it is given', () => {
    const bytes = [1, 5, 3, 4];
    poolEstimateBytes(bytes, 2);
    expect(bytes).toEqual([1, 5, 3, 4]);
  });
});

describe('the heap-growth decision for a grid on workers', () => {
  it('estimates every run even with --no-limits, and still refuses one over budget with limits on', async () => {
    const scenario = await loadScenario(join(ROOT, 'bench', 'scenarios', 'cluster-1000.yaml'));
    const free = enforceGridLimits(grid(scenario, 2), { limits: false, maxMemory: 1 }, SWEEP);
    expect([...free.keys()]).toEqual(['seed-1', 'seed-2']);
    expect(() => enforceGridLimits(grid(scenario, 2), { limits: true, maxMemory: 1 }, SWEEP)).toThrow(/^seed 1: /);
    const checked = enforceGridLimits(grid(scenario, 2), { limits: true }, SWEEP);
    expect(checked).toEqual(free);
  });

  it('two cluster-1000 runs on two workers are large together though neither is alone', async () => {
    const scenario = await loadScenario(join(ROOT, 'bench', 'scenarios', 'cluster-1000.yaml'));
    const bytes = [...enforceGridLimits(grid(scenario, 2), { limits: false }, SWEEP).values()];
    expect(bytes[0]).toBeLessThanOrEqual(LARGE_RUN_BYTES);
    expect(Math.round(bytes[0]! / MIB)).toBe(390);
    expect(heapGrowthFlag(poolEstimateBytes(bytes, 1))).toBeNull();
    expect(heapGrowthFlag(poolEstimateBytes(bytes, 2))).toBe('--heap-growing-percent=50');
  });

  it('the sweeps\' tiny scenario passes the threshold from four runs at a time, not three', async () => {
    const scenario = await loadScenario(TINY);
    const bytes = [...enforceGridLimits(grid(scenario, 4), { limits: false }, SWEEP).values()];
    expect(bytes.map((b) => Math.round(b / MIB))).toEqual([200, 200, 200, 200]);
    expect(heapGrowthFlag(poolEstimateBytes(bytes, 3))).toBeNull();
    expect(heapGrowthFlag(poolEstimateBytes(bytes, 4))).toBe('--heap-growing-percent=50');
  });
});

describe('sweep and study set the flag before their workers start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-heap-pool-'));

  /** `command` on four workers sets the flag once, just before they start; on three it does not. */
  function setsFlagForFourWorkers(command: 'sweep' | 'study', args: string[], fourOnly: string[] = []): void {
    const four = dtrainLoggingFlags([command, ...args, '--jobs', '4', ...fourOnly, '--out', join(dir, `${command}-4`)]);
    expect(four.status, four.stderr).toBe(0);
    const lines = four.stderr.split('\n');
    expect(lines.filter((line) => line.startsWith('v8 flag set: '))).toEqual([FLAG_LINE]);
    expect(lines.indexOf(FLAG_LINE)).toBe(lines.findIndex((line) => line.startsWith(`${command}: 4 runs, 0 already complete, 4 to run on 4 workers`)) - 1);
    const three = dtrainLoggingFlags([command, ...args, '--jobs', '3', '--out', join(dir, `${command}-3`)]);
    expect(three.status, three.stderr).toBe(0);
    expect(three.stderr).toContain(`${command}: 4 runs, 0 already complete, 4 to run on 3 workers`);
    expect(three.stderr).not.toContain('v8 flag set: ');
  }

  it('sweep: four runs on four workers set it once, before the first run; on three workers they do not', () => {
    setsFlagForFourWorkers('sweep', [TINY, '--set', 'seed=1..2', '--strategy', 's1s4,sync-sgd']);
  });

  it('study: the same, and with --no-limits too (the estimate is still made)', () => {
    setsFlagForFourWorkers('study', [TINY, '--seeds', '1..2'], ['--no-limits']);
  });
});
